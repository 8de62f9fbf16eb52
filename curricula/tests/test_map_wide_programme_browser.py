"""A programme outside the paper's field with many courses per module (mechanical engineering, 40
courses in two modules), as a curriculum designer reads its map in a real browser: on a wide
screen, on a phone, and scrolled sideways through the courses."""

import pytest

from conftest import wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The visible part of each module header's text, and the part of the map's box the course
# columns show (right of the columns that stay in view, left of the box's right edge).
MODULE_LABELS = """() => {
    const box = document.querySelector('.map-scroll').getBoundingClientRect();
    const frozen = Array.from(document.querySelectorAll('.map thead th'))
        .filter(th => !th.matches('.module-head, .course-head'))
        .filter(th => getComputedStyle(th).position === 'sticky')
        .filter(th => getComputedStyle(th).left !== 'auto')
        .reduce((right, th) => Math.max(right, th.getBoundingClientRect().right), box.left);
    return Array.from(document.querySelectorAll('.map .module-head')).map(th => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const text = range.getBoundingClientRect();
        const head = th.getBoundingClientRect();
        return {label: th.textContent.trim(), left: text.left, right: text.right,
                headLeft: head.left, headRight: head.right, from: frozen, to: box.right};
    });
}"""


def _mechanical_engineering(courses_per_module: int, terms: int = 0):
    from decimal import Decimal

    from curricula.models import Module
    from curricula.services import course_ability_link, course_create, programme_create
    from positions.models import Importance, Level, Requirement
    from positions.tests.factories import AbilityFactory, PlacementFactory

    mastered = Level.objects.get(code="M")
    placement = PlacementFactory(position__name="Design engineer")
    abilities = [AbilityFactory(text=f"analyse stresses in machine part {i}") for i in range(3)]
    for ability in abilities:
        Requirement.objects.create(
            position=placement.position,
            ability=ability,
            importance=Importance.ESSENTIAL,
            min_level=mastered,
        )
    courses = []
    for m, name in enumerate(["Engineering foundations", "Thermofluids and machine design"]):
        module = Module.objects.create(code=f"ME-M{m}", name=name, order=m)
        for i in range(courses_per_module):
            course = course_create(
                code=f"ME{m}{i:02d}",
                title=f"Mechanical engineering course {m}.{i}",
                credits=Decimal(3),
                module=module,
            )
            course_ability_link(course=course, ability=abilities[i % 3], level=mastered)
            courses.append(course)
    return programme_create(
        name="Mechanical Engineering BEng",
        track=placement.track,
        own_degree_level="bachelor",
        course_ids=[course.pk for course in courses],
        target_position_ids=[placement.position_id],
        course_terms=[(course.pk, 1 + i % terms) for i, course in enumerate(courses)]
        if terms
        else (),
    )


def _readable(label: dict, *, whole: bool) -> bool:
    """The text starts in the course columns' visible part (with room for a word), over its own
    module; `whole`: all of it stands there (on a phone a long name may run past the box's edge,
    as the course titles under it do)."""
    return (
        label["from"] - 1 <= label["left"] <= label["to"] - 40
        and label["left"] >= label["headLeft"] - 1
        and label["right"] <= label["headRight"] + 1
        and (not whole or label["right"] <= label["to"] + 1)
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_module_header_reads_in_view_however_wide_its_module_and_the_map_is_scrolled(
    open_page, live_server, width
):
    """A module of 20 courses is wider than the map's box: its name, centred over all its
    columns, stood out of view, to the right of what the box shows, on a 1280 px screen (and a
    phone, and 1920 px): the designer saw a blank band above the course heads. Scrolled sideways
    into the module, the name stayed out of view until the middle of the module came by. The name
    now stands at the start of what is shown of its module."""
    programme = _mechanical_engineering(courses_per_module=20)
    whole = width == "desktop"
    page, watch = open_page(width)
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)

    first, second = page.evaluate(MODULE_LABELS)
    assert first["label"] == "Engineering foundations"
    assert _readable(first, whole=whole), first

    # Scrolled sideways into the first module, its name follows; once the second module's start
    # is in view, the second's name is in view as well.
    page.locator(".map-scroll").evaluate("box => { box.scrollLeft = 400; }")
    first, second = page.evaluate(MODULE_LABELS)
    assert _readable(first, whole=whole), first
    page.locator(".map-scroll").evaluate(
        """box => { const head = box.querySelectorAll('.module-head')[1];
                    box.scrollLeft += head.getBoundingClientRect().left
                                      - box.getBoundingClientRect().left - 200; }"""
    )
    first, second = page.evaluate(MODULE_LABELS)
    assert second["label"] == "Thermofluids and machine design"
    assert _readable(second, whole=whole), second
    assert watch.problems == []


# Each filter input's placeholder: its text's width, as the input's font draws it, against the
# room the input gives it.
PLACEHOLDERS = """() => Array.from(document.querySelectorAll('.map-filters input[placeholder]'))
  .map(input => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {id: input.id, placeholder: input.placeholder,
            text: Math.ceil(context.measureText(input.placeholder).width), room: Math.floor(room)};
})"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_map_filters_placeholders_are_not_cut_off_on_a_wide_screen(
    open_page, live_server, language
):
    """*Find in the map* and *Find courses* say what to type in their placeholders, and on a
    1280 px screen, with room to spare in the filter bar, both were cut off mid-word ("words of
    an ability or its cc", "a course's code or words o")."""
    _page, watch = _placeholders_shown(open_page, live_server, language, "desktop")
    assert watch.problems == []


def _placeholders_shown(open_page, live_server, language: str, width: str):
    """A wide programme's page at `width` in `language`, its two search fields' placeholders
    each shown whole."""
    programme = _mechanical_engineering(courses_per_module=3)
    page, watch = open_page(width)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    inputs = page.evaluate(PLACEHOLDERS)
    assert {i["id"] for i in inputs} == {"map-search", "course-search"}
    assert [i for i in inputs if i["text"] > i["room"]] == []
    return page, watch


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_map_filters_placeholders_are_not_cut_off_on_a_phone(open_page, live_server, language):
    """At 390 px, *Find courses* showed "课程代码或课程名称中的词" of its placeholder, the rest
    cut off: each search field kept the width its own text box asked for, on a line with room to
    spare. On a phone each takes the filter bar's whole width."""
    page, watch = _placeholders_shown(open_page, live_server, language, "phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert watch.problems == []


# A4 landscape less the print style's 10 mm margins, in CSS pixels (277 mm at 96 px an inch).
A4_LANDSCAPE_WIDTH = 1047


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_progression_of_a_programme_over_eight_terms_prints_within_the_page(
    open_page, live_server, language
):
    """Printed (as the programme page and the printable report are, on landscape A4), a
    programme whose courses run over eight terms had a progression table 1,731 px wide on a
    page of 1,047: the later terms and the findings were cut off the paper. Each term's courses
    kept to one line; in print they wrap."""
    programme = _mechanical_engineering(courses_per_module=12, terms=8)
    page, watch = open_page("desktop")
    page.set_viewport_size({"width": A4_LANDSCAPE_WIDTH, "height": 700})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.emulate_media(media="print")
    for url in (programme.get_absolute_url(), f"/programs/{programme.pk}/report/"):
        page.goto(url)
        wait_until_settled(page)
        table = page.locator("#progression-table")
        assert table.locator("thead th").count() == 2 + 8 + 1  # ability, required, terms, findings
        right = table.evaluate("table => table.getBoundingClientRect().right")
        assert right <= A4_LANDSCAPE_WIDTH + 1, url
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_WIDTH, url
    assert watch.problems == []


# Each row header of the progression: its width and how many lines the ability's name (the text
# after its code) takes.
ABILITY_HEADS = """() => Array.from(
  document.querySelectorAll('#progression-table tbody th[scope="row"]')).map(th => {
    const range = document.createRange();
    range.selectNodeContents(th.lastChild);
    const tops = new Set(Array.from(range.getClientRects())
        .filter(rect => rect.width > 0).map(rect => Math.round(rect.top)));
    return {text: th.textContent.trim(), width: th.getBoundingClientRect().width, lines: tops.size};
})"""


@pytest.mark.parametrize("terms", [3, 7])
def test_the_progression_ability_column_is_wide_enough_to_read_on_a_wide_screen(
    open_page, live_server, terms
):
    """On a 1280 px screen the progression's ability column was 102 px wide: "AB3 analyse
    stresses in machine part 0" stood on six lines, a word or two a line, while the term
    columns beside it had room. The column now asks for about two dozen characters: a name of
    that length takes two lines at most."""
    programme = _mechanical_engineering(courses_per_module=12, terms=terms)
    page, watch = open_page("desktop")
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)

    heads = page.evaluate(ABILITY_HEADS)
    assert len(heads) == 3
    assert [head for head in heads if head["lines"] > 2] == []
    assert watch.problems == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_progression_scrolls_in_its_box_on_a_phone(open_page, live_server, width):
    """The wider ability column does not widen a phone's page: the table scrolls sideways in
    its box, as the site's other wide tables do, and the names still wrap there."""
    programme = _mechanical_engineering(courses_per_module=12, terms=7)
    page, watch = open_page("phone")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator("#progression .table-scroll")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # the terms scroll
    heads = page.evaluate(ABILITY_HEADS)
    assert all(head["width"] < width / 2 for head in heads), heads
    assert watch.problems == []
