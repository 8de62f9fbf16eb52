"""The Chinese admin names records in Chinese where they have Chinese text: a Chinese designer
read "Web editor and artist: P01.1 …" in a position's requirement rows, and the English names in
delete confirmations, autocomplete results, history pages and messages, because the models'
`__str__` are English (exports, CASE and the history read them, so they stay so): the admin
names a record with core.i18n.record_name instead."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def link():
    course = CourseFactory(code="WEB101", title="Web design", title_zh="网页设计")
    ability = AbilityFactory(code="P01.1", text="Edit web pages", text_zh="编辑网页")
    return CourseAbilityFactory(course=course, ability=ability, level=level("R"))


def test_str_stays_english_for_exports_and_case(link):
    with translation.override("zh-hans"):
        assert str(link) == "WEB101 → P01.1 Edit web pages [R]"
        assert str(link.course) == "WEB101 Web design"


def test_a_positions_requirement_rows_are_titled_in_chinese(admin_client):
    position = PositionFactory(name="Web editor and artist", name_zh="网页编辑与美工")
    ability = AbilityFactory(code="P01.1", text="Edit web pages", text_zh="编辑网页")
    RequirementFactory(position=position, ability=ability, min_level=level("R"))
    url = reverse("admin:positions_position_change", args=[position.pk])
    html = admin_client.get(url, **ZH).content.decode()
    assert "网页编辑与美工：P01.1 编辑网页" in html  # noqa: RUF001
    assert "Web editor and artist: P01.1" not in html
    assert "Edit web pages" not in html


def test_a_courses_link_rows_and_autocomplete_box_read_chinese(admin_client, link):
    url = reverse("admin:curricula_course_change", args=[link.course.pk])
    html = admin_client.get(url, **ZH).content.decode()
    assert "WEB101 → P01.1 编辑网页 [R]" in html
    assert "Edit web pages" not in html


def test_the_delete_confirmation_names_records_in_chinese(admin_client, link):
    url = reverse("admin:curricula_course_delete", args=[link.course.pk])
    html = admin_client.get(url, **ZH).content.decode()
    assert "WEB101 网页设计" in html
    assert "WEB101 → P01.1 编辑网页 [R]" in html
    assert "Web design" not in html
    assert "Edit web pages" not in html


def test_autocomplete_results_read_chinese(admin_client, link):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "curricula",
            "model_name": "courseability",
            "field_name": "ability",
            "term": "P01",
        },
        **ZH,
    )
    assert response.status_code == 200
    texts = [result["text"] for result in json.loads(response.content)["results"]]
    assert texts == ["P01.1 编辑网页"]


def test_the_history_pages_name_the_record_in_chinese(admin_client, link):
    history = reverse("admin:curricula_courseability_history", args=[link.pk])
    html = admin_client.get(history, **ZH).content.decode()
    assert "WEB101 → P01.1 编辑网页 [R]" in html
    assert "Edit web pages" not in html
    version = link.history.earliest()
    form = reverse(
        "admin:curricula_courseability_simple_history", args=[link.pk, version.history_id]
    )
    html = admin_client.get(form, **ZH).content.decode()
    assert "Edit web pages" not in html


def test_the_change_and_delete_messages_name_the_record_in_chinese(admin_client, link):
    url = reverse("admin:curricula_course_change", args=[link.course.pk])
    data = {
        "code": "WEB101",
        "title": "Web design",
        "title_zh": "网页设计",
        "credits": "3",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    page = admin_client.get(url, **ZH)
    form = page.context["adminform"].form
    data = {**{name: form[name].value() or "" for name in form.fields}, **data}
    for key, value in list(data.items()):
        if value is None:
            data[key] = ""
    formset = page.context["inline_admin_formsets"][0].formset
    data[f"{formset.prefix}-TOTAL_FORMS"] = "0"
    data[f"{formset.prefix}-INITIAL_FORMS"] = "0"
    del data["links-TOTAL_FORMS"], data["links-INITIAL_FORMS"]
    response = admin_client.post(url, data, **ZH)
    assert response.status_code == 302, response.context["adminform"].form.errors
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("WEB101 网页设计" in text for text in texts), texts
    delete = reverse("admin:curricula_courseability_delete", args=[link.pk])
    response = admin_client.post(delete, {"post": "yes"}, **ZH)
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("WEB101 → P01.1 编辑网页 [R]" in text for text in texts), texts
    assert not CourseAbility.objects.exists()
    assert Course.objects.filter(title_zh="网页设计").exists()


def test_the_abilities_list_names_them_in_chinese(admin_client, link):
    html = admin_client.get(reverse("admin:positions_ability_changelist"), **ZH).content.decode()
    assert "P01.1 编辑网页" in html
    assert "Edit web pages" not in html
    change = reverse("admin:positions_ability_change", args=[link.ability_id])
    assert f'href="{change}' in html  # the name still links its record
