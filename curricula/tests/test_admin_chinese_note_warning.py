"""A link's Chinese note is a translation of its English one: when an editor changes the English
note in the admin and leaves the Chinese one, Chinese pages go on showing the old wording. The
admin saves the change and then warns, naming the link, that the Chinese note may no longer say
the same; it refuses nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory
from positions.tests.factories import level

pytestmark = pytest.mark.django_db

WARNING = "the Chinese note was not changed with the English note; check it still says the same"


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def _post_link(admin_client, link, **changes):
    url = reverse("admin:curricula_courseability_change", args=[link.pk])
    data = change_form_data(admin_client.get(url))
    data.update(changes)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_changing_the_english_note_alone_saves_it_and_warns_naming_the_link(admin_client):
    link = CourseAbilityFactory(note="Introduces it.", note_zh="引入该能力。")

    response = _post_link(admin_client, link, note="Builds it in the project.")

    link.refresh_from_db()
    assert (link.note, link.note_zh) == ("Builds it in the project.", "引入该能力。")
    (warning,) = _warnings(response)
    assert str(link) in warning
    assert WARNING in warning


@pytest.mark.parametrize(
    ("note_zh", "changes"),
    [
        ("引入该能力。", {"note": "Builds it.", "note_zh": "培养该能力。"}),  # both changed
        ("", {"note": "Builds it."}),  # no Chinese note: Chinese pages show the English one
        ("引入该能力。", {"level": "M"}),  # the note left alone
    ],
)
def test_no_warning_when_the_chinese_note_cannot_be_stale(admin_client, note_zh, changes):
    link = CourseAbilityFactory(note="Introduces it.", note_zh=note_zh, level=level("I"))
    if "level" in changes:
        changes["level"] = level(changes["level"]).pk

    response = _post_link(admin_client, link, **changes)

    assert _warnings(response) == []


@pytest.mark.parametrize(
    ("url_name", "prefix", "parent"),
    [
        ("admin:curricula_course_change", "ability_links", "course"),
        ("admin:positions_ability_change", "course_links", "ability"),
    ],
)
def test_changing_a_note_inline_warns_too(admin_client, url_name, prefix, parent):
    """The link rows of a course's and of an ability's page: the English note changed there
    alone warns as on the link's own page."""
    link = CourseAbilityFactory(note="Introduces it.", note_zh="引入该能力。")
    other = CourseAbilityFactory(note="Kept.", note_zh="保留。", **{parent: getattr(link, parent)})
    url = reverse(url_name, args=[getattr(link, f"{parent}_id")])
    data = change_form_data(admin_client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id") and str(value) == str(link.pk)
    )
    data[f"{prefix}-{index}-note"] = "Builds it in the project."

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert CourseAbility.objects.get(pk=link.pk).note == "Builds it in the project."
    (warning,) = _warnings(response)
    assert str(link) in warning
    assert str(other) not in warning


@pytest.mark.parametrize(
    ("url_name", "prefix", "parent"),
    [
        ("admin:curricula_course_change", "ability_links", "course"),
        ("admin:positions_ability_change", "course_links", "ability"),
    ],
)
def test_the_link_rows_offer_the_chinese_note_beside_the_english_one(
    admin_client, url_name, prefix, parent
):
    """Observed: a course's and an ability's link rows offered the English note only, so a
    translator changing a note there had to open each link on its own page."""
    link = CourseAbilityFactory(note="Introduces it.", note_zh="引入该能力。")
    url = reverse(url_name, args=[getattr(link, f"{parent}_id")])
    data = change_form_data(admin_client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id") and str(value) == str(link.pk)
    )
    assert data[f"{prefix}-{index}-note_zh"] == "引入该能力。"
    data[f"{prefix}-{index}-note"] = "Builds it in the project."
    data[f"{prefix}-{index}-note_zh"] = "在项目中培养该能力。"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    link.refresh_from_db()
    assert (link.note, link.note_zh) == ("Builds it in the project.", "在项目中培养该能力。")
    assert _warnings(response) == [], "both notes changed together"
