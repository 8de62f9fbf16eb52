"""Control characters and what XML cannot carry in names, titles and notes are refused at every
door that writes them (core.models.NameField, ProseField): the API answers a 400 naming the
field, the admin's form an error on the field, and nothing is written. Prose keeps its tabs and
line breaks. Bodies are sent as JSON text, escapes and all, as an attacker's client sends them.
"""

import json

import pytest

from core.tests.admin_forms import change_form_data
from curricula.models import Course, CourseAbility, Programme
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Position
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

# Each accepted by the API before (201 or 200, stored as sent): an escape starting a terminal's
# colour code, U+0085 (NEL, which a Windows-1252 ellipsis read as Latin-1 becomes), a
# backspace, a form feed and U+FFFE, none of which XML 1.0 nor a one-line name can hold.
ACCEPTED_BEFORE = {
    "escape": "\u001b[31mred",
    "NEL": "a\u0085b",
    "backspace": "a\u0008b",
    "form feed": "a\u000cb",
    "U+FFFE": "a\ufffeb",
}
# Refused before too (DRF's own NUL check; the JSON parser's for half a UTF-16 pair).
REFUSED_BEFORE = {"NUL": "a\u0000b", "lone surrogate": "a\ud800b"}


def _send(client, method: str, path: str, body: dict):
    # APIClient's own JSON encoding cannot write a lone surrogate: the text is sent escaped.
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("value", [*ACCEPTED_BEFORE.values(), REFUSED_BEFORE["NUL"]])
def test_a_control_character_in_a_new_position_name_is_a_400_naming_the_field(staff_client, value):
    response = _send(staff_client, "post", "/api/v1/positions/", {"name": value})

    assert response.status_code == 400, response.content
    assert "name" in response.json()
    assert not Position.objects.exists()


def test_a_lone_surrogate_in_a_body_is_a_400_and_nothing_is_written(staff_client):
    """The JSON parser refuses half of a UTF-16 pair before any field is read."""
    body = {"name": REFUSED_BEFORE["lone surrogate"]}
    response = _send(staff_client, "post", "/api/v1/positions/", body)

    assert response.status_code == 400, response.content
    assert "surrogate" in response.json()["detail"]
    assert not Position.objects.exists()


@pytest.mark.parametrize("value", ACCEPTED_BEFORE.values())
def test_a_control_character_in_a_new_course_is_a_400_naming_each_field(staff_client, value):
    response = _send(
        staff_client,
        "post",
        "/api/v1/courses/",
        {"code": "Z1", "title": value, "description": value, "outcomes": "fine"},
    )

    assert response.status_code == 400, response.content
    errors = response.json()
    assert set(errors) == {"title", "description"}
    assert "U+" in errors["title"][0]
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field"),
    [("courses", "title"), ("programs", "name"), ("course-abilities", "note")],
)
@pytest.mark.parametrize("value", ACCEPTED_BEFORE.values())
def test_a_control_character_in_an_edit_is_a_400_and_the_record_is_kept(
    staff_client, kind, field, value
):
    course = CourseFactory(title="Logistics")
    records = {
        "courses": course,
        "programs": ProgrammeFactory(name="Trade", courses=[course]),
        "course-abilities": CourseAbilityFactory(course=course, note="kept"),
    }
    record = records[kind]
    before = getattr(record, field)

    response = _send(staff_client, "patch", f"/api/v1/{kind}/{record.pk}/", {field: value})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    record.refresh_from_db()
    assert getattr(record, field) == before


def test_prose_keeps_its_tabs_and_line_breaks_and_a_name_has_none(staff_client):
    link = CourseAbilityFactory(course=CourseFactory())
    note = "First\tline\r\n\tindented second line\n第三行"

    kept = _send(staff_client, "patch", f"/api/v1/course-abilities/{link.pk}/", {"note": note})
    refused = _send(
        staff_client, "patch", f"/api/v1/courses/{link.course_id}/", {"title": "Two\nlines"}
    )

    assert kept.status_code == 200, kept.content
    # Stored a line at a time, as every door stores prose (a line's tab at its start trimmed).
    assert CourseAbility.objects.get(pk=link.pk).note == "First\tline\nindented second line\n第三行"
    assert refused.status_code == 400
    assert "U+000A" in refused.json()["title"][0]


def test_the_message_names_each_character_once(staff_client):
    response = _send(
        staff_client, "post", "/api/v1/positions/", {"name": "\u001b[1m\u001b[31mx\u0085y"}
    )
    assert response.status_code == 400
    assert "U+001B, U+0085" in response.json()["name"][0]


def test_the_admin_form_refuses_a_control_character_in_a_name(admin_client):
    position = PositionFactory(name="Analyst")
    url = f"/admin/positions/position/{position.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["name"] = "Ana\u001blyst"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    position.refresh_from_db()
    assert position.name == "Analyst"


def test_the_admin_form_refuses_a_control_character_in_a_programme_description(admin_client):
    programme = ProgrammeFactory(name="Trade", description="As it was")
    url = f"/admin/curricula/programme/{programme.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["description"] = "Line one\nline\u000btwo"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "description" in response.context["adminform"].form.errors
    assert Programme.objects.get(pk=programme.pk).description == "As it was"


# What str.strip() takes as surrounding whitespace though it is a control character: DRF and
# Django's forms stripped it at either end and stored the rest, where in the middle it was a 400.
STRIPPED_BEFORE = ["\u0085", "\u001c", "\u001d", "\u001e", "\u001f"]


@pytest.mark.parametrize("character", STRIPPED_BEFORE)
def test_a_control_character_at_either_end_of_a_title_is_refused_as_one_inside(
    staff_client, character
):
    for title in (f"Databases{character}", f"{character}Databases"):
        response = _send(staff_client, "post", "/api/v1/courses/", {"code": "Z1", "title": title})

        assert response.status_code == 400, response.content
        assert list(response.json()) == ["title"]
        assert f"U+{ord(character):04X}" in response.json()["title"][0]
    assert not Course.objects.exists()


@pytest.mark.parametrize("character", STRIPPED_BEFORE)
def test_a_control_character_at_the_end_of_a_code_is_refused(staff_client, character):
    response = _send(
        staff_client, "post", "/api/v1/courses/", {"code": f"Z1{character}", "title": "Z"}
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["code"]
    assert not Course.objects.exists()


def test_ordinary_whitespace_around_a_name_is_still_trimmed(staff_client):
    response = _send(
        staff_client,
        "post",
        "/api/v1/courses/",
        {"code": " Z1\t", "title": "\t Databases \r\n", "description": "\n Prose \n"},
    )

    assert response.status_code == 201, response.content
    course = Course.objects.get()
    assert (course.code, course.title, course.description) == ("Z1", "Databases", "Prose")


@pytest.mark.parametrize("character", STRIPPED_BEFORE)
def test_the_admin_form_refuses_a_control_character_at_the_end_of_a_name(admin_client, character):
    position = PositionFactory(name="Analyst")
    url = f"/admin/positions/position/{position.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["name"] = f"Analyst 2{character}"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    position.refresh_from_db()
    assert position.name == "Analyst"


def test_the_admin_form_still_trims_spaces_around_a_name(admin_client):
    position = PositionFactory(name="Analyst")
    url = f"/admin/positions/position/{position.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["name"] = "  Analyst 2\t"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    position.refresh_from_db()
    assert position.name == "Analyst 2"
