"""The programme list's action *Set terms…*: the terms of a programme's courses on one page, one
save. Observed (a designer's civil engineering programme, built from an empty database): each
course's term was set one at a time, and a programme without terms reports "mastered with no
earlier introduction" for every mastered ability (README, Progression)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:curricula_programme_changelist")


@pytest.fixture
def programme():
    programme = ProgrammeFactory(name="Civil engineering")
    for order, code in enumerate(["CIV101", "CIV201", "CIV301"]):
        programme.programme_courses.create(course=CourseFactory(code=code), order=order)
    return programme


def _entry(programme, code: str) -> ProgrammeCourse:
    return programme.programme_courses.get(course__code=code)


def _field(programme, code: str) -> str:
    return f"term_{_entry(programme, code).course_id}"


def _post(client, programmes, **terms):
    data = {"action": "set_terms", "_selected_action": [p.pk for p in programmes]}
    if terms:
        data |= {"apply": "1", **terms}
    return client.post(CHANGELIST, data)


def test_the_page_lists_the_programmes_courses_with_a_term_field_each(admin_client, programme):
    ProgrammeCourse.objects.filter(course__code="CIV201").update(term=3)
    response = _post(admin_client, [programme])
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("CIV101") < html.index("CIV201") < html.index("CIV301")
    assert f'name="{_field(programme, "CIV101")}"' in html
    assert f'name="{_field(programme, "CIV201")}" value="3"' in html


def test_one_save_sets_every_term_and_an_empty_one_falls_back_to_the_stage(admin_client, programme):
    ProgrammeCourse.objects.filter(course__code="CIV301").update(term=6)
    response = _post(
        admin_client,
        [programme],
        **{
            _field(programme, "CIV101"): "1",
            _field(programme, "CIV201"): "2",
            _field(programme, "CIV301"): "",
        },
    )
    assert response.status_code == 302
    assert [_entry(programme, code).term for code in ("CIV101", "CIV201", "CIV301")] == [
        1,
        2,
        None,
    ]
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Civil engineering" in message and "3" in message for message in said)


def test_a_bad_term_is_a_field_error_and_nothing_is_written(admin_client, programme):
    response = _post(
        admin_client,
        [programme],
        **{
            _field(programme, "CIV101"): "1",
            _field(programme, "CIV201"): "99",
            _field(programme, "CIV301"): "two",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {_field(programme, "CIV201"), _field(programme, "CIV301")}
    assert [_entry(programme, code).term for code in ("CIV101", "CIV201", "CIV301")] == [
        None,
        None,
        None,
    ]


def test_one_programme_at_a_time(admin_client, programme):
    other = ProgrammeFactory()
    response = _post(admin_client, [programme, other])
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("one programme" in message for message in said)


@pytest.mark.parametrize("codename", ["change_programme", "change_programmecourse"])
def test_the_action_is_only_for_who_may_change_programmes_and_their_courses(
    client, staff_user, programme, codename
):
    staff_user.user_permissions.remove(*staff_user.user_permissions.filter(codename=codename))
    client.force_login(staff_user)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert b'value="set_terms"' not in page.content
    _post(client, [programme], **{_field(programme, "CIV101"): "4"})
    assert _entry(programme, "CIV101").term is None


def test_a_programme_without_courses_says_to_add_them_first(admin_client):
    empty = ProgrammeFactory()
    response = _post(admin_client, [empty])
    assert response.status_code == 200
    assert "has no courses yet" in response.content.decode()
