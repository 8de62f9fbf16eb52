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
        follow=True,  # to the address without the empty field, which reads the row the same
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
        follow=True,  # to the address without the empty field, which reads the row the same
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
    # Named by codes, and by its row since the check's refusals name their row.
    assert _errors(response.text) == [
        f"Cell change 1: Course OWN has no link to ability {a2.code} to remove."
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"add": "abc"},
            "Bring in from the catalogue: “abc” (add) is not a course id.",
        ),
        (
            {"remove": "-3"},
            "Take out of the programme: “-3” (remove) is not a course id.",
        ),
        (
            {"add_target": "9" * 25},
            f"Target positions: “{'9' * 25}” (add_target) is not a position id.",
        ),
        (
            {"add": "²"},
            "Bring in from the catalogue: “²” (add) is not a course id.",
        ),
        (
            {"remove_target": "½"},
            "Target positions: “½” (remove_target) is not a position id.",
        ),
        (
            {"cell_course": "x", "cell_ability": "1", "cell_level": "M"},
            "Cell change 1: “x” (cell_course) is not a course id.",
        ),
        (
            {"cell_course": "1", "cell_ability": "1.5", "cell_level": "M"},
            "Cell change 1: “1.5” (cell_ability) is not an ability id.",
        ),
        (
            # Longer than any level's code or name.
            {"cell_course": "1", "cell_ability": "1", "cell_level": "Z" * 65},
            f"Cell change 1: unknown level “{'Z' * 40}…”.",
        ),
        # Observed: with no level chosen the row asked for nothing, and its junk was dropped
        # without a word (a redirect to the page without it), where the README promises a 400.
        ({"cell_course": "x"}, "Cell change 1: “x” (cell_course) is not a course id."),
        (
            {"cell_course": "1", "cell_ability": "x", "cell_level": ""},
            "Cell change 1: “x” (cell_ability) is not an ability id.",
        ),
    ],
)
def test_a_junk_value_in_a_hand_edited_address_is_named_not_numbered(
    client, world, query, expected
):
    """A hand-edited address with an id that is not one (`?add=abc`) said "0: A valid integer is
    required." (the serializer's index in a list the reader never saw). It names the form's
    group, the parameter and the value given, in words the page can translate."""
    response = client.get(_url(world), query)
    assert response.status_code == 400
    errors = _errors(response.text)
    assert errors == [expected]
    assert not any(re.match(r"\d+:", error) for error in errors)


def test_a_junk_id_is_named_in_chinese(client, world):
    response = client.get(_url(world), {"add": "abc"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    (error,) = _errors(response.text)
    assert "0:" not in error
    assert "abc" in error
    assert "add" in error


def test_too_long_a_junk_value_is_shown_shortened(client, world):
    response = client.get(_url(world), {"add": "x" * 500})
    (error,) = _errors(response.text)
    assert "x" * 40 + "…" in error
    assert "x" * 41 not in error


def test_the_apply_form_names_a_junk_id_too(client, world, staff_user):
    client.force_login(staff_user)
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    response = client.post(url, {"add": "abc"})
    assert response.status_code == 400
    assert _errors(response.text) == [
        "Bring in from the catalogue: “abc” (add) is not a course id."
    ]


def test_too_many_courses_names_the_group(client, world):
    """Past the serializer's bound the message said "Ensure this field has no more than 500
    elements." without saying which field."""
    from curricula.decisions.requests import MAX_COURSES

    response = client.get(_url(world), {"add": [str(n) for n in range(1, MAX_COURSES + 2)]})
    assert response.status_code == 400
    (error,) = _errors(response.text)
    assert error.startswith("Bring in from the catalogue: ")


def test_a_nul_in_the_catalogue_search_is_dropped_not_a_server_error(client, world):
    """`?course_q=%00` was a 500 on PostgreSQL (which refuses a NUL in a query): no such
    character can be typed in the search box, so it is dropped and the rest searched."""
    response = client.get(_url(world), {"course_q": "CHE\x00AP"})
    assert response.status_code == 200
    catalogue = response.text[response.text.index('id="what-if-catalogue"') :]
    assert f'name="add" value="{world["cheap"].pk}"' in catalogue
    assert f'name="add" value="{world["both"].pk}"' not in catalogue


# A cell row built by hand (an address typed or kept, a form of another tool) may leave a
# parameter out altogether rather than send it empty; each is the row the reader wrote.
HAND_BUILT_ROWS = [
    (
        "cell_course={own}&cell_level=M",
        "Cell change 1: choose an ability, or set its level to “No change”.",
    ),
    (
        "cell_ability={a1}&cell_level=M",
        "Cell change 1: choose a course, or set its level to “No change”.",
    ),
    (
        "cell_level=M",
        "Cell change 1: choose a course and an ability, or set its level to “No change”.",
    ),
    (
        "cell_course={own}&cell_ability={a1}&cell_level=R&cell_course={own}&cell_level=M",
        "Cell change 2: choose an ability, or set its level to “No change”.",
    ),
    (
        "cell_course={own}&cell_ability={a1}&cell_level=R&cell_level=M",
        "Cell change 2: choose a course and an ability, or set its level to “No change”.",
    ),
]


@pytest.mark.parametrize(("query", "expected"), HAND_BUILT_ROWS)
def test_a_hand_built_cell_row_lacking_a_parameter_is_refused_naming_the_row(
    client, world, query, expected
):
    """Observed: `?cell_course=1&cell_level=M` (no `cell_ability` at all) was redirected to the
    bare page and previewed nothing, without a word: the form's rows were read by zipping the
    three lists, so a row with a level but a missing course or ability vanished. It is refused,
    as the same row sent with an empty ability is, naming the row."""
    own, a1 = world["own"], world["abilities"][0]
    sent = query.format(own=own.pk, a1=a1.pk)
    response = client.get(f"{_url(world)}?{sent}", follow=True)
    assert response.status_code == 400
    assert _errors(response.text) == [expected]
    assert "requirements with a better status" not in response.text
    # The row's level comes back chosen, to be corrected rather than made again.
    row = expected.split(":")[0].split()[-1]
    assert _selected(response.text, f"cell-level-{row}") == "M"


def test_applying_a_hand_built_row_lacking_its_ability_applies_nothing(client, world, staff_user):
    """The apply form read the same way: with a course brought in and a row lacking its
    `cell_ability`, the course was added and the cell change dropped without a word."""
    from curricula.models import ProgrammeCourse

    client.force_login(staff_user)
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    cheap = world["cheap"]
    response = client.post(url, {"add": cheap.pk, "cell_course": cheap.pk, "cell_level": "M"})
    assert response.status_code == 400
    assert _errors(response.text) == [
        "Cell change 1: choose an ability, or set its level to “No change”."
    ]
    assert not ProgrammeCourse.objects.filter(programme=world["programme"], course=cheap).exists()
