"""The decide page's what-if form, answered with a mistake in it, says what to change in the
words of the form and keeps every choice made. Before, a cell change with a course and a level
but no ability (the ability menu left at "Ability…") answered "0: ability: A valid integer is
required." and, without JavaScript or on reloading the address, gave back an empty form: the
courses ticked to take out and the cell row were gone. A cell change removing a link that is
not there named the course and the ability by database ids the reader never saw."""

import re

import pytest
from django.urls import reverse

from curricula.tests.test_decisions_api import _world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _world()


def _errors(html: str) -> list[str]:
    start = html.index('<ul class="errorlist"')
    block = html[start : html.index("</ul>", start)]
    return [item.split("</li>")[0] for item in block.split("<li>")[1:]]


def _selected(html: str, select_id: str) -> str:
    start = html.index(f'id="{select_id}"')
    block = html[start : html.index("</select>", start)]
    found = re.search(r'<option value="([^"]*)" selected>', block)
    return found.group(1) if found else ""


def _url(world) -> str:
    return reverse("curricula:programme-decide", args=[world["programme"].pk])


def test_a_cell_change_without_an_ability_says_which_and_keeps_the_form(client, world):
    own, cheap = world["own"], world["cheap"]
    response = client.get(
        _url(world),
        {
            "remove": own.pk,
            "add": cheap.pk,
            "cell_course": cheap.pk,
            "cell_ability": "",
            "cell_level": "M",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert _errors(html) == ["Cell change 1: choose an ability, or set its level to “No change”."]
    assert "valid integer" not in html
    # Nothing previewed for a scenario that is not the one asked.
    assert "requirements with a better status" not in html
    # Every choice comes back as made.
    assert re.search(rf'name="remove" value="{own.pk}" checked', html)
    assert re.search(rf'name="add" value="{cheap.pk}" checked', html)
    assert _selected(html, "cell-course-1") == str(cheap.pk)
    assert _selected(html, "cell-level-1") == "M"


def test_a_cell_change_without_a_course_says_which_in_chinese(client, world):
    """In Chinese the serializer said "0: course: 请填写合法的整数值。"."""
    a1 = world["abilities"][0]
    response = client.get(
        _url(world),
        {"cell_course": "", "cell_ability": a1.pk, "cell_level": "R"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    (error,) = _errors(response.text)
    assert "0: course" not in error
    assert error == "单元格修改 1：请选择课程，或将其等级设为“不修改”。"  # noqa: RUF001
    assert _selected(response.text, "cell-ability-1") == str(a1.pk)
    assert _selected(response.text, "cell-level-1") == "R"


def test_a_junk_id_keeps_the_rest_of_the_form(client, world):
    """An id that is not a number (a hand-edited address) is refused; the valid choices stay."""
    response = client.get(_url(world), {"add": ["abc", str(world["cheap"].pk)]})
    assert response.status_code == 400
    assert re.search(rf'name="add" value="{world["cheap"].pk}" checked', response.text)


def test_removing_a_link_that_is_not_there_names_course_and_ability_by_code(client, world):
    own, a2 = world["own"], world["abilities"][1]
    response = client.get(
        _url(world), {"cell_course": own.pk, "cell_ability": a2.pk, "cell_level": "-"}
    )
    assert response.status_code == 400
    assert _errors(response.text) == [f"Course OWN has no link to ability {a2.code} to remove."]
