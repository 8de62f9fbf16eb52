"""The curriculum map in a real browser (Debian's Chromium through Playwright, as the other browser
tests): the editor writes nothing until Enter or Save and each save can be undone; a pasted block
is previewed before it is saved; the grid is one tab stop; cells drill down from the keyboard on
the map and on the position page; the filters drive the figures and downloads; the layout keeps
its header and first columns in view; and the printed programme report holds the whole map."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from conftest import SCREENSHOTS, WIDTHS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = "Cross border senior e-commerce engineer — Operation and promotion"


def _programme():
    from curricula.models import Programme

    return Programme.objects.get(name=PROGRAMME)


def _links() -> set:
    from curricula.models import CourseAbility

    return set(CourseAbility.objects.values_list("course_id", "ability_id", "level__code"))


def _history_count() -> int:
    from curricula.models import CourseAbility

    return CourseAbility.history.count()


def _staff_on_the_map(open_page):
    """The paper's programme, and a page signed in as the `staff_user` fixture's account on its
    map, with the page's watch of console problems."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    return programme, page, watch


def _cell(page, row: int, column: int):
    return (
        page.locator("#curriculum-map tbody tr.map-row")
        .nth(row)
        .locator("td.level-cell")
        .nth(column)
    )


def _paste_text(page, text: str):
    """Paste `text` into the focused element, as Ctrl+V with it on the clipboard does."""
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.setData("text/plain", text);
          document.activeElement.dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        text,
    )


def test_arrow_keys_write_nothing_enter_writes_one_change_and_undo_restores_it(
    open_page, seeded, staff_user
):
    _, page, watch = _staff_on_the_map(open_page)
    links, history = _links(), _history_count()

    first = _cell(page, 0, 0)
    first.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "End", "Home"):
        page.keyboard.press(key)
    # In the editor too, arrow keys only change what is pending; Escape leaves it unwritten.
    page.keyboard.press("Enter")
    editor = page.locator("#map-panel form.cell-editor")
    editor.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator("#map-panel")).to_be_hidden()
    assert page.evaluate(
        "document.activeElement === document.querySelector("
        "'#curriculum-map tbody tr.map-row td.level-cell')"
    )
    assert (_links(), _history_count()) == (links, history)

    # Typing a level opens the editor with it; Enter writes exactly one change.
    before = first.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    page.keyboard.press(wanted.lower())
    editor.wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    # The saved cell flashes for 2.6 s from the status's change on: looked at first, not after
    # the other checks (and a database query), which can take longer on a busy machine.
    expect(_cell(page, 0, 0)).to_have_class(re.compile(r"\bcell--flash\b"))
    expect(status.get_by_role("button", name="Undo")).to_be_visible()
    expect(_cell(page, 0, 0)).to_have_text(wanted)
    assert _history_count() == history + 1
    page.locator("#gap-report .badge--fresh").wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "programme-editor-desktop.png", full_page=False)

    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    expect(_cell(page, 0, 0)).to_have_text(before)
    assert _links() == links
    assert watch.problems == []


def test_a_pasted_block_is_previewed_then_saved_as_one_change(open_page, seeded, staff_user):
    _, page, watch = _staff_on_the_map(open_page)
    links, history = _links(), _history_count()
    _cell(page, 1, 1).click()
    block = "I\tR\tM\nM\t\tr\n"
    _paste_text(page, block)
    preview = page.locator("#map-panel form.map-preview")
    preview.wait_for()
    expect(preview).to_contain_text("would change")
    assert page.locator("#curriculum-map td.cell--pending").count() >= 1
    assert (_links(), _history_count()) == (links, history)  # a preview writes nothing

    preview.get_by_role("button", name=re.compile(r"^Save \d+ changes?$")).click()
    expect(page.locator("#map-status")).to_contain_text("Saved")
    expected = [["I", "R", "M"], ["M", "", "R"]]
    for i, values in enumerate(expected):
        for j, value in enumerate(values):
            expect(_cell(page, 1 + i, 1 + j)).to_have_text(value)
    from curricula.models import CourseAbility

    reasons = set(
        CourseAbility.history.order_by("-history_id").values_list(
            "history_change_reason", flat=True
        )[: _history_count() - history]
    )
    assert len(reasons) == 1  # one change set
    page.locator("#map-status").get_by_role("button", name="Undo").click()
    expect(page.locator("#map-status")).to_contain_text("Undone")
    assert _links() == links
    assert watch.problems == []


def test_a_block_copied_from_excel_with_a_quoted_cell_and_full_width_levels_keeps_its_shape(
    open_page, seeded, staff_user
):
    """Observed: Excel (as LibreOffice and Google Sheets) puts a cell holding a line break in
    quotes on the clipboard, and ends each row with CR LF; the editor split the block at every
    line break, so the quoted cell's second half became a row of its own, every cell below it
    was shifted, and the preview refused “"M” and “"” as levels. Full-width levels (Ｒ, from a
    sheet typed with a Chinese input method) were refused too."""  # noqa: RUF002
    _, page, watch = _staff_on_the_map(open_page)
    links = _links()
    _cell(page, 1, 1).click()
    block = 'i\t"M\n"\r\nIntroduced\t\uff32\r\n'
    _paste_text(page, block)
    preview = page.locator("#map-panel form.map-preview")
    preview.wait_for()
    expect(preview).not_to_contain_text("is not a level")
    preview.get_by_role("button", name=re.compile(r"^Save \d+ changes?$")).click()
    expect(page.locator("#map-status")).to_contain_text("Saved")
    for (row, column), value in {(1, 1): "I", (1, 2): "M", (2, 1): "I", (2, 2): "R"}.items():
        expect(_cell(page, row, column)).to_have_text(value)
    page.locator("#map-status").get_by_role("button", name="Undo").click()
    expect(page.locator("#map-status")).to_contain_text("Undone")
    assert _links() == links
    assert watch.problems == []


def test_a_selected_block_is_set_to_a_level_and_the_grid_is_one_tab_stop(
    open_page, seeded, staff_user
):
    _, page, watch = _staff_on_the_map(open_page)
    # One tab stop: from the last control before the map, Tab enters the grid, the next leaves.
    page.locator("#map-status").evaluate(
        "node => node.insertAdjacentHTML('beforebegin', '<button id=before>before</button>')"
    )
    page.locator("#before").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#curriculum-map td.level-cell')")
    page.keyboard.press("Tab")
    assert not page.evaluate(
        "document.getElementById('curriculum-map').contains(document.activeElement)"
    )

    # Focus, not a click: a click opens the cell's editor, whose level choices then take the
    # arrow keys (a race the test used to win or lose by a few milliseconds).
    _cell(page, 0, 0).focus()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("#map-selection")).to_have_text("4 cells selected.")
    page.get_by_role("group", name="Edit the map").get_by_role(
        "button", name="Reinforced (R)", exact=True
    ).click()
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_contain_text("Saved")
    for row, column in ((0, 0), (0, 1), (1, 0), (1, 1)):
        expect(_cell(page, row, column)).to_have_text("R")
    assert watch.problems == []


def test_a_level_typed_after_select_row_or_select_column_sets_the_selection(
    open_page, seeded, staff_user
):
    """Observed walking the README ("a row with Shift+Space or *Select row*, a column with
    Ctrl+Space or *Select column*, then type a level"): after the *Select row* button the focus
    stayed on the button, outside the grid, and a level typed then did nothing at all. The
    buttons give the focus back to the grid's cell, where the keys act on the selection."""
    _, page, watch = _staff_on_the_map(open_page)
    _cell(page, 0, 0).focus()
    tools = page.get_by_role("group", name="Edit the map")
    tools.get_by_role("button", name="Select row").click()
    width = page.locator("#curriculum-map tbody tr.map-row").first.locator("td.level-cell").count()
    expect(page.locator("#map-selection")).to_have_text(f"{width} cells selected.")
    assert page.evaluate("document.activeElement.matches('#curriculum-map td.level-cell')")
    page.keyboard.press("m")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_contain_text("Saved")
    for column in range(width):
        expect(_cell(page, 0, column)).to_have_text("M")

    tools.get_by_role("button", name="Select column").click()
    assert page.evaluate("document.activeElement.matches('#curriculum-map td.level-cell')")
    page.keyboard.press("i")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    height = page.locator("#curriculum-map tbody tr.map-row").count()
    for row in range(height):
        expect(_cell(page, row, 0)).to_have_text("I")
    assert watch.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_cells_drill_down_from_the_keyboard_on_the_map_and_the_position_page(
    open_page, seeded, width
):
    from positions.models import Position

    programme = _programme()
    page, watch = open_page(width)
    page.goto(f"/programs/{programme.pk}/")
    linked = page.locator("#curriculum-map td.level-cell:not(:empty)").first
    linked.click()
    panel = page.locator("#map-panel")
    expect(panel).to_be_visible()
    for text in ("This cell", "Provenance", "Last change", "Required by"):
        expect(panel).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"programme-drill-down-{width}.png", full_page=False)
    page.keyboard.press("Escape")

    position = Position.objects.get(name="Online marketing specialist")
    page.goto(f"/positions/{position.pk}/")
    first = page.locator(".requirement-table td.level-cell").first
    first.focus()
    cells = page.locator(".requirement-table td.level-cell")
    target = page.locator(".requirement-table td.level-cell:has(a)").first
    index = cells.evaluate_all("(all, t) => all.indexOf(t)", target.element_handle())
    columns = page.locator(".requirement-table thead th[data-course]").count()
    for _ in range(index // columns):
        page.keyboard.press("ArrowDown")
    for _ in range(index % columns):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Provenance")
    expect(panel).to_contain_text(re.compile(r"courses? builds? it in this programme"))
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    assert watch.problems == []


def test_the_filters_drive_the_figures_and_the_downloads_and_stay_in_the_url(open_page, seeded):
    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/")
    whole = page.locator("#gap-report .big-number").inner_text()
    filters = page.get_by_role("search", name="Filter the map")
    filters.get_by_label("missing").check()
    filters.get_by_label("Competency area").select_option(label="Marketing ability")
    filters.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"status=missing"))
    assert re.search(r"\?status=missing&area=\d+$", page.url)  # no empty fields
    rows = page.locator("#curriculum-map tr.map-row")
    assert rows.count() >= 1
    assert rows.count() == page.locator("#curriculum-map tr.map-row--missing").count()
    assert page.locator("#gap-report .big-number").inner_text() != whole
    query = page.url.split("?", 1)[1]
    for name in ("Map as CSV", "Workbook (XLSX)", "Chart as SVG", "Printable report"):
        href = page.get_by_role("link", name=name).get_attribute("href")
        assert href.endswith("?" + query), (name, href)
    csv_body = page.request.get(page.get_by_role("link", name="Map as CSV").get_attribute("href"))
    header = next(csv.reader(io.StringIO(csv_body.text())))
    assert len(header) == 2 + rows.count()
    # Shared: opening the address again gives the same view.
    other, _ = open_page()
    other.goto(page.url)
    assert other.locator("#curriculum-map tr.map-row").count() == rows.count()
    assert watch.problems == []


def test_find_in_the_map_reads_a_dotted_code_a_part_at_a_time_as_the_site_search(open_page, seeded):
    """Observed: *Find in the map* for 2.2 kept 2.20 beside 2.2.1 (a code's start as typed),
    where the site search for 2.2 finds 2.2.1 alone."""
    from positions.models import Ability

    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/")
    rows = page.locator("#curriculum-map tbody tr.map-row")
    ids = [int(rows.nth(i).get_attribute("id").removeprefix("row-")) for i in range(2)]
    for pk, code in zip(ids, ("2.2.1", "2.20"), strict=True):
        Ability.objects.filter(pk=pk).update(code=code)
    codes = page.locator("#curriculum-map tbody tr.map-row th .code")
    filters = page.get_by_role("search", name="Filter the map")
    for typed, found in (("2.2", ["2.2.1"]), ("2", ["2.2.1", "2.20"]), ("2。20", ["2.20"])):
        filters.get_by_label("Find in the map").fill(typed)
        filters.get_by_role("button", name="Apply").click()
        page.wait_for_url(lambda url, typed=typed: parse_qs(urlsplit(url).query)["q"] == [typed])
        expect(codes).to_have_text(found)
        assert page.get_by_role("searchbox", name="Find in the map").input_value() == typed
    assert watch.problems == []


def test_the_map_keeps_its_header_and_first_columns_in_view(open_page, seeded):
    """Regressions: the corner cell scrolled with the rows (text showed through it), Required and
    Reached scrolled away sideways, an 80vh inner scroll hid rows of a map that fits, and on a
    phone no course column showed until one scrolled inside the map."""
    from django.db import transaction

    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

    # One transaction: one commit, one recompute (not one per row created).
    with transaction.atomic():
        position = PositionFactory()
        abilities = [
            AbilityFactory(text=f"ability {i} " + "with a long statement " * 3) for i in range(40)
        ]
        for ability in abilities:
            RequirementFactory(position=position, ability=ability)
        courses = [CourseFactory(code=f"K{i:02d}") for i in range(30)]
        for i, ability in enumerate(abilities):
            CourseAbilityFactory(course=courses[i % 30], ability=ability)
        big = ProgrammeFactory(courses=courses, targets=[position])
        coverage_recompute(programme_ids=[big.pk], force=True)

    page, watch = open_page()
    page.goto(f"/programs/{big.pk}/")
    region = page.locator(".map-scroll")
    region.evaluate("node => node.scrollIntoView()")
    box = region.bounding_box()
    region.evaluate("node => { node.scrollTop = 600; node.scrollLeft = 900; }")
    page.wait_for_timeout(100)
    corner = page.locator(".map__corner").bounding_box()
    assert abs(corner["x"] - box["x"]) < 3
    assert abs(corner["y"] - box["y"]) < 3
    covering = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th, td').className",
        [corner["x"] + 10, corner["y"] + corner["height"] - 5],
    )
    assert "map__corner" in covering
    for name in ("col-required", "col-reached"):
        head = page.locator(f"thead .{name}").bounding_box()
        cell = page.locator(f"tbody .{name}").nth(20).bounding_box()
        assert head["x"] < box["x"] + 30 * 16  # still left of the course columns
        assert abs(cell["x"] - head["x"]) < 1

    page.goto(f"/programs/{_programme().pk}/")  # 11 rows: they all fit
    assert page.evaluate(
        "(() => { const r = document.querySelector('.map-scroll');"
        " return r.scrollHeight <= r.clientHeight; })()"
    ), "the map should show all its rows without an inner scroll"

    phone, phone_watch = open_page("phone")
    phone.goto(f"/programs/{big.pk}/")
    region = phone.locator(".map-scroll").bounding_box()
    course = phone.locator("thead .course-head").first.bounding_box()
    assert course["x"] + course["width"] <= region["x"] + region["width"]
    assert watch.problems == []
    assert phone_watch.problems == []


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_printed_programme_report_holds_every_row_and_course_of_the_map(open_page, seeded):
    from curricula.selectors.maps import curriculum_map

    programme = _programme()
    shown = curriculum_map(programme=programme)
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/report/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True, print_background=True)
    text = _pdf_text(pdf)
    for row in shown.rows:
        assert " ".join(row.text.split()) in text, row.text
    for column in shown.columns:
        assert column.code in text
        # A course reads as its title on every page, the report included.
        assert " ".join(column.title.split()) in text
    assert "Gap report" in text
    assert "Summary" in text
    # Playwright's screenshots make their folder; a file written here needs it made (the test
    # may run first on its worker: then no screenshot has made it).
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "programme-report.pdf").write_bytes(pdf)

    # The programme page and the position page print too, nothing clipped and no navigation.
    for url in (f"/programs/{programme.pk}/", _position_url()):
        page.goto(url)
        page.emulate_media(media="print")
        printed = _pdf_text(page.pdf(format="A4", landscape=True, prefer_css_page_size=True))
        assert "Overview" not in printed  # the navigation
        table = page.locator("table.map, table.requirement-table").first
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
        for text_cell in page.locator("tbody th.ability-cell").all_inner_texts()[:60]:
            words = " ".join(text_cell.split()[:4])
            assert words in printed, (url, words)
    assert watch.problems == []


def _position_url() -> str:
    from positions.models import Position

    return Position.objects.get(name="Online marketing specialist").get_absolute_url()


def test_enter_pressed_twice_or_undo_clicked_twice_sends_one_request(open_page, seeded, staff_user):
    """A second Enter in the editor, or a double click on Undo, before the first answer came
    back sent the change again: the second undo was refused (409) and, when its answer came
    last, the panel said the undo had failed though it had been made."""
    _, page, watch = _staff_on_the_map(open_page)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    cell = _cell(page, 2, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    page.keyboard.press(wanted.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    expect(cell).to_have_text(wanted)
    page.wait_for_timeout(300)  # room for a second answer, were one sent
    assert len(posts) == 1

    posts.clear()
    status.get_by_role("button", name="Undo").dblclick()
    expect(status).to_contain_text("Undone")
    expect(cell).to_have_text(before)
    page.wait_for_timeout(300)
    assert len(posts) == 1
    expect(page.locator("#map-panel")).to_be_hidden()
    assert watch.problems == []


def test_a_save_that_cannot_reach_the_server_says_so(open_page, seeded, staff_user):
    """With the connection gone, Enter in the editor did nothing visible (an uncaught "Failed
    to fetch" in the console): the editor stayed as it was and nothing said the level was not
    saved."""
    _, page, watch = _staff_on_the_map(open_page)
    cell = _cell(page, 2, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    # The connection goes before the level is typed, and whatever the save's query string: set
    # after the editor opened, a save could now and then still reach the server.
    changes = re.compile(r"/changes/(\?.*)?$")
    page.route(changes, lambda route: route.abort())
    page.keyboard.press("m" if before != "M" else "i")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_contain_text("The server could not be reached")
    expect(page.locator("#map-panel form.cell-editor")).to_be_visible()  # to try again
    expect(cell).to_have_text(before)
    assert not [problem for problem in watch.problems if problem.startswith("page error")]

    page.unroute(changes)
    page.keyboard.press("Escape")
    _paste_text(page, "M")
    page.locator("#map-panel form.map-preview").wait_for()
    page.route("**/changes/", lambda route: route.abort())
    page.keyboard.press("Escape")
    _paste_text(page, "I")
    expect(page.locator("#map-status")).to_contain_text("The server could not be reached")
    assert not [problem for problem in watch.problems if problem.startswith("page error")]


def test_a_save_after_signing_in_again_in_another_tab_says_to_reload(open_page, seeded, staff_user):
    """Signing in rotates the form token: a map left open in one tab while its editor signed in
    again in another refused the next save with Django's own page, drawn inside the side panel
    with its own stylesheet and words for the site's developer. The panel now says that nothing
    was written and why, and offers the map afresh."""
    _, page, watch = _staff_on_the_map(open_page)
    links = _links()
    cell = _cell(page, 1, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    page.keyboard.press("m" if before != "M" else "i")
    page.locator("#map-panel form.cell-editor").wait_for()

    other = page.context.new_page()
    log_in(other, "staff", "staff-pass-123")
    other.close()
    page.bring_to_front()
    page.locator("#map-panel form.cell-editor").get_by_role("button", name="Save").click()

    panel = page.locator("#map-panel")
    expect(panel.locator(".map-errors")).to_contain_text("Nothing was written")
    expect(panel).to_contain_text("out of date")
    expect(panel.get_by_role("link", name="Reload the page")).to_have_attribute(
        "href", re.compile(r"^/programs/\d+/")
    )
    # Nothing of a page of its own (Django's brought its stylesheet, restyling the whole map).
    assert panel.locator("style, html, h1").count() == 0
    expect(cell).to_have_text(before)
    assert _links() == links
    assert not [problem for problem in watch.problems if problem.startswith("page error")]


@pytest.fixture
def linker(django_user_model):
    """Staff who may add and change links but not delete them."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="linker", password="linker-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_courseability", "change_courseability"])
    )
    return user


def _taught_cells(page) -> list[tuple[int, int]]:
    """(row, column) of every cell shown with a level, whose right-hand neighbour is a cell too."""
    return [
        tuple(position)
        for position in page.evaluate(
            """() => {
              const found = [];
              document.querySelectorAll("#curriculum-map tbody tr.map-row").forEach((row, r) => {
                const cells = row.querySelectorAll("td.level-cell");
                cells.forEach((cell, c) => {
                  if (/^[IRM]$/.test(cell.textContent.trim()) && c + 1 < cells.length)
                    found.push([r, c]);
                });
              });
              return found;
            }"""
        )
    ]


def test_delete_by_an_editor_who_may_not_clear_leaves_the_cell_and_says_why(
    open_page, seeded, linker
):
    """For staff who may not delete links, Delete or Backspace on a taught cell opened its
    editor with the level it has, as if to clear it: nothing opens now, the cell keeps its level
    and focus, the status says why, and the last save's Undo stays."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "linker", "linker-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    links = _links()
    (r, c), (r2, c2) = _taught_cells(page)[:2]

    # A change first, for a "Saved · Undo" the refusal must not take away.
    other = _cell(page, r2, c2)
    other.click()  # a first click selects the cell
    page.keyboard.press("Escape")
    was = other.inner_text().strip()
    page.keyboard.press("m" if was != "M" else "i")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    saved, history = _links(), _history_count()

    cell = _cell(page, r, c)
    cell.click()
    page.keyboard.press("Escape")
    level = cell.inner_text().strip()
    for key in ("Delete", "Backspace"):
        page.keyboard.press(key)
        expect(status).to_contain_text("Your account may not delete links (clear cells).")
        page.wait_for_timeout(300)  # room for an editor to open, were one opened
        expect(page.locator("#map-panel")).to_be_hidden()
        expect(cell).to_have_text(level)
        assert "cell--pending" not in (cell.get_attribute("class") or "")
        assert page.evaluate("document.activeElement.matches('#curriculum-map td.level-cell')")
        assert cell.evaluate("node => node === document.activeElement")
    assert (_links(), _history_count()) == (saved, history)

    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    assert _links() == links
    assert watch.problems == []


def test_a_pasted_blank_over_a_link_is_left_as_it_is_for_an_editor_who_may_not_clear(
    open_page, seeded, linker
):
    """Pasted by staff who may not delete links, a blank over a taught cell was previewed as a
    clear and the whole save was refused (403): the preview now leaves that cell unchanged and
    says why, and Save writes the rest as one change set."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "linker", "linker-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    links, history = _links(), _history_count()
    r, c = _taught_cells(page)[0]
    taught, neighbour = _cell(page, r, c), _cell(page, r, c + 1)
    level = taught.inner_text().strip()
    wanted = "M" if neighbour.inner_text().strip() != "M" else "I"
    taught.click()
    page.keyboard.press("Escape")
    _paste_text(page, f"\t{wanted}\n")
    preview = page.locator("#map-panel form.map-preview")
    preview.wait_for()
    expect(preview).to_contain_text("1 cell would change")
    expect(preview).to_contain_text("0 cleared")
    expect(preview).to_contain_text("Your account may not delete links (clear cells).")
    assert "cell--pending" not in (taught.get_attribute("class") or "")

    preview.get_by_role("button", name="Save 1 change").click()
    expect(page.locator("#map-status")).to_contain_text("Saved")
    expect(taught).to_have_text(level)
    expect(neighbour).to_have_text(wanted)
    assert _history_count() == history + 1  # one change set of one cell
    page.locator("#map-status").get_by_role("button", name="Undo").click()
    expect(page.locator("#map-status")).to_contain_text("Undone")
    assert _links() == links
    assert watch.problems == []


def test_a_new_link_saved_by_an_editor_who_may_not_delete_offers_no_undo_and_says_why(
    open_page, seeded, linker
):
    """Staff who may add links but not delete them were offered Undo after saving a new link,
    and Undo (which deletes it) was refused with a 403: the status now says why there is none,
    and the keyboard help promises neither Delete nor an undo of every save."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "linker", "linker-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    history = _history_count()
    r, c = page.evaluate(
        """() => {
          const rows = document.querySelectorAll("#curriculum-map tbody tr.map-row");
          for (let r = 0; r < rows.length; r++) {
            const cells = rows[r].querySelectorAll("td.level-cell");
            for (let c = 0; c < cells.length; c++)
              if (!cells[c].textContent.trim()) return [r, c];
          }
          return null;
        }"""
    )
    cell = _cell(page, r, c)
    # From the first cell by the keyboard: a click on the focused cell would open it as well.
    _cell(page, 0, 0).focus()
    for key in ["ArrowDown"] * r + ["ArrowRight"] * c:
        page.keyboard.press(key)
    page.keyboard.press("i")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")

    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    expect(status).to_contain_text("undo needs permission to delete links")
    expect(status.get_by_role("button")).to_have_count(0)
    expect(cell).to_have_text("I")
    assert _history_count() == history + 1

    page.get_by_text("Keyboard and paste").click()
    keys = page.locator(".map-tools__keys")
    expect(keys).to_contain_text("Delete and Backspace leave a cell as it is")
    expect(keys).not_to_contain_text("or Delete opens the editor")
    expect(keys).to_contain_text("unless it added links")
    assert watch.problems == []


def _empty_cell(page) -> tuple[int, int]:
    """(row, column) of the first cell shown without a level."""
    return tuple(
        page.evaluate(
            """() => {
              const rows = document.querySelectorAll("#curriculum-map tbody tr.map-row");
              for (let r = 0; r < rows.length; r++) {
                const cells = rows[r].querySelectorAll("td.level-cell");
                for (let c = 0; c < cells.length; c++)
                  if (!cells[c].textContent.trim()) return [r, c];
              }
              return null;
            }"""
        )
    )


def _focus_by_keys(page, r: int, c: int) -> None:
    """Focus cell (r, c) from the first one by the keyboard (a first click on a cell that is not
    focused selects it, unless the mouse-down has focused it already: the first cell's)."""
    _cell(page, 0, 0).focus()
    for key in ["ArrowDown"] * r + ["ArrowRight"] * c:
        page.keyboard.press(key)
    assert _cell(page, r, c).evaluate("node => node === document.activeElement")


def _pump_until(page, done, seconds: float = 5.0) -> None:
    """Let the page run (and Playwright call its route and event handlers) until done()."""
    for _ in range(int(seconds * 50)):
        if done():
            return
        page.wait_for_timeout(20)
    raise AssertionError("timed out")


def test_a_level_typed_while_the_cells_panel_is_on_its_way_is_the_one_it_opens_with(
    open_page, seeded, staff_user
):
    """A click on the focused cell fetches its panel; a level typed before that answer came
    back fetched it again, and whichever answer came last won: the panel opened with "not
    taught" instead of the typed level, and Save said there was nothing to save."""
    _, page, watch = _staff_on_the_map(open_page)
    history = _history_count()
    r, c = _empty_cell(page)
    cell = _cell(page, r, c)

    # The first panel request is held until the test lets it go, after any later one.
    held, started, ended = [], [], []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    panel_url = re.compile(r"/map/\d+/\?(.*&)?course=\d+")
    page.route(panel_url, hold_the_first)
    page.on("request", lambda request: panel_url.search(request.url) and started.append(request))
    for event in ("requestfinished", "requestfailed"):
        page.on(event, lambda request: panel_url.search(request.url) and ended.append(request))

    _focus_by_keys(page, r, c)
    cell.click()  # the focused cell: opens its panel
    _pump_until(page, lambda: held)
    page.keyboard.press("i")
    page.wait_for_timeout(300)  # room for a second request and its answer, were one sent
    held[0].continue_()
    _pump_until(page, lambda: len(ended) == len(started))

    editor = page.locator("#map-panel form.cell-editor")
    expect(editor.locator("input[type=radio]:checked")).to_have_value("I")
    assert "cell--pending" in (cell.get_attribute("class") or "")
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    expect(cell).to_have_text("I")
    expect(status).not_to_contain_text("could not be reached")
    assert _history_count() == history + 1
    assert watch.problems == []


@pytest.fixture
def changer(django_user_model):
    """Staff who may change a link's level but neither add links nor delete them."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="changer", password="changer-pass-123", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename="change_courseability"))
    return user


def test_an_editor_who_may_not_add_links_is_offered_no_level_on_an_empty_cell(
    open_page, seeded, changer
):
    """Staff who may change links but not add them could type a level into an empty cell and
    choose one in its editor, only to be refused at Save ("may not add links"): typing a level
    there now leaves the cell as it is and the status says why, the cell's panel offers no
    levels, and a taught cell's level is still changed as before."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "changer", "changer-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    links, history = _links(), _history_count()
    r, c = _empty_cell(page)
    cell = _cell(page, r, c)
    _focus_by_keys(page, r, c)

    status = page.locator("#map-status")
    panel = page.locator("#map-panel")
    for key in ("i", "M"):
        page.keyboard.press(key)
        expect(status).to_contain_text("Your account may not add links (fill empty cells).")
        page.wait_for_timeout(300)  # room for an editor to open, were one opened
        expect(panel).to_be_hidden()
        expect(cell).to_have_text("")
        assert "cell--pending" not in (cell.get_attribute("class") or "")
        assert cell.evaluate("node => node === document.activeElement")

    # Enter still opens the cell's details, without levels to choose, and says why.
    page.keyboard.press("Enter")
    panel.locator(".cell-panel").wait_for()
    expect(panel.locator("form.cell-editor")).to_have_count(0)
    expect(panel.locator("input[type=radio]")).to_have_count(0)
    expect(panel).to_contain_text("Your account may not add links (fill empty cells).")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert (_links(), _history_count()) == (links, history)

    # A taught cell's level is changed as before.
    tr, tc = _taught_cells(page)[0]
    taught = _cell(page, tr, tc)
    taught.click()
    page.keyboard.press("Escape")
    wanted = "M" if taught.inner_text().strip() != "M" else "I"
    page.keyboard.press(wanted.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Saved")
    expect(taught).to_have_text(wanted)
    assert _history_count() == history + 1

    page.get_by_text("Keyboard and paste").click()
    expect(page.locator(".map-tools__keys")).to_contain_text(
        "Typing, pasting or setting a level in an empty cell leaves it empty: "
        "your account may not add links."
    )
    assert watch.problems == []


def test_escape_or_another_cell_abandons_a_cell_panel_on_its_way(open_page, seeded, staff_user):
    """A cell's panel that came back after Escape opened all the same, and one that came back
    after another cell's editor had opened replaced that editor: the later intent wins."""
    _, page, watch = _staff_on_the_map(open_page)
    held, started, ended = [], [], []
    holding = [True]

    def hold(route):
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    panel_url = re.compile(r"/map/\d+/\?(.*&)?course=\d+")
    page.route(panel_url, hold)
    page.on("request", lambda request: panel_url.search(request.url) and started.append(request))
    for event in ("requestfinished", "requestfailed"):
        page.on(event, lambda request: panel_url.search(request.url) and ended.append(request))
    panel = page.locator("#map-panel")
    # An empty cell (a click on a taught cell's link opens it at once) with one to its right.
    r, c = page.evaluate(
        """() => {
          const rows = document.querySelectorAll("#curriculum-map tbody tr.map-row");
          for (let r = 0; r < rows.length; r++) {
            const cells = rows[r].querySelectorAll("td.level-cell");
            for (let c = 0; c + 1 < cells.length; c++)
              if (!cells[c].textContent.trim()) return [r, c];
          }
          return null;
        }"""
    )
    first, second = _cell(page, r, c), _cell(page, r, c + 1)

    _focus_by_keys(page, r, c)
    first.click()  # opens the focused cell's panel: held
    _pump_until(page, lambda: len(held) == 1)
    page.keyboard.press("Escape")
    held.pop().continue_()
    _pump_until(page, lambda: len(ended) == len(started))
    page.wait_for_timeout(200)
    expect(panel).to_be_hidden()
    assert first.evaluate("node => node === document.activeElement")

    first.click()  # held again
    _pump_until(page, lambda: len(held) == 1)
    holding[0] = False
    page.keyboard.press("ArrowRight")
    wanted = "M" if second.inner_text().strip() != "M" else "I"
    page.keyboard.press(wanted.lower())
    editor = page.locator("#map-panel form.cell-editor")
    expect(editor.locator("input[type=radio]:checked")).to_have_value(wanted)
    held.pop().continue_()
    _pump_until(page, lambda: len(ended) == len(started))
    page.wait_for_timeout(200)
    expect(editor.locator("input[type=radio]:checked")).to_have_value(wanted)
    column = page.locator("#curriculum-map thead th[data-course]").nth(c + 1)
    expect(panel.locator(".cell-panel")).to_have_attribute(
        "data-course", column.get_attribute("data-course")
    )
    expect(page.locator("#map-status")).not_to_contain_text("could not be reached")
    assert watch.problems == []


def test_a_selection_set_to_a_level_by_an_editor_who_may_not_add_leaves_its_empty_cells(
    open_page, seeded, changer
):
    """Set to a level by staff who may not add links, a selection holding empty cells was sent
    whole and refused (403): it is previewed instead, leaving the empty cells empty and saying
    how many and why, and Save writes the taught cells only, as one change set."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "changer", "changer-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    links, history = _links(), _history_count()
    r, c = _taught_cells(page)[0]
    row = page.locator("#curriculum-map tbody tr.map-row").nth(r).locator("td.level-cell")
    levels = [text.strip() for text in row.all_inner_texts()]
    wanted = "M" if levels[c] != "M" else "I"
    empty = sum(1 for level in levels if not level)
    changed = sum(1 for level in levels if level and level != wanted)
    assert empty
    assert changed

    _focus_by_keys(page, r, c)
    page.keyboard.press("Shift+Space")
    named = {"I": "Introduced (I)", "M": "Mastered (M)"}[wanted]
    page.get_by_role("group", name="Edit the map").get_by_role(
        "button", name=named, exact=True
    ).click()
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")

    preview = page.locator("#map-panel form.map-preview")
    preview.wait_for()
    expect(preview).to_contain_text("Preview of the selected cells")
    cells = "cell is" if empty == 1 else "cells are"
    expect(preview).to_contain_text(f"{empty} {cells} left empty, not filled.")
    expect(preview).to_contain_text("Your account may not add links (fill empty cells).")
    assert row.evaluate_all(
        "cells => cells.filter(td => !td.textContent.trim())"
        ".every(td => !td.classList.contains('cell--pending'))"
    )
    assert (_links(), _history_count()) == (links, history)

    save = "change" if changed == 1 else "changes"
    preview.get_by_role("button", name=f"Save {changed} {save}").click()
    expect(page.locator("#map-status")).to_contain_text("Saved")
    after = [text.strip() for text in row.all_inner_texts()]
    assert after == [wanted if level else "" for level in levels]
    assert _history_count() == history + changed
    assert watch.problems == []


def test_a_first_click_on_the_first_cell_selects_it_and_a_second_opens_it(
    open_page, seeded, staff_user
):
    """The first cell holds the grid's tab stop, so pressing the mouse on it focused it before
    the click, which then counted as a click on the focused cell: the first click opened its
    editor, where a first click on any other cell only selects it."""
    _, page, watch = _staff_on_the_map(open_page)
    first = _cell(page, 0, 0)
    panel = page.locator("#map-panel")

    first.click()
    page.wait_for_timeout(300)  # room for a panel to open, were one asked for
    expect(panel).to_be_hidden()
    assert first.evaluate("node => node === document.activeElement")

    first.click()  # the focused cell: opens its panel
    panel.locator(".cell-panel").wait_for()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # The keyboard as before: Enter on the focused cell opens it.
    page.keyboard.press("Enter")
    panel.locator(".cell-panel").wait_for()
    assert watch.problems == []


def _hold_panels(page):
    """Hold every cell panel request until the test lets it go: (held, started, ended)."""
    held, started, ended = [], [], []
    panel_url = re.compile(r"/map/\d+/\?(.*&)?course=\d+")
    page.route(panel_url, lambda route: held.append(route))
    page.on("request", lambda request: panel_url.search(request.url) and started.append(request))
    for event in ("requestfinished", "requestfailed"):
        page.on(event, lambda request: panel_url.search(request.url) and ended.append(request))
    return held, started, ended


def test_an_arrow_key_abandons_a_cell_panel_on_its_way(open_page, seeded, staff_user):
    """Escape and another cell dropped a panel that had not arrived yet, an arrow key did not:
    the panel of the cell left opened over the cell moved to."""
    _, page, watch = _staff_on_the_map(open_page)
    held, started, ended = _hold_panels(page)
    panel = page.locator("#map-panel")
    first, second = _cell(page, 0, 0), _cell(page, 0, 1)

    _focus_by_keys(page, 0, 0)
    for leave, back in (("ArrowRight", "ArrowLeft"), ("ArrowDown", "ArrowUp")):
        first.click()  # the focused cell: its panel is asked for, and held
        _pump_until(page, lambda: len(held) == 1)
        page.keyboard.press(leave)
        held.pop().continue_()
        _pump_until(page, lambda: len(ended) == len(started))
        page.wait_for_timeout(200)
        expect(panel).to_be_hidden()
        moved = second if leave == "ArrowRight" else _cell(page, 1, 0)
        assert moved.evaluate("node => node === document.activeElement")
        page.keyboard.press(back)
    assert watch.problems == []


def _forbidden_page(programme, django_user_model) -> str:
    """The site's own 403 page: a change sent by an account that may not edit the map."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(django_user_model.objects.create_user(username="outsider"))
    response = client.post(reverse("curricula:programme-changes", args=[programme.pk]))
    assert response.status_code == 403
    return response.content.decode()


def test_a_cell_panel_that_cannot_be_loaded_says_so(
    open_page, seeded, staff_user, django_user_model
):
    """A cell whose panel was refused (403), failed (500) or could not be fetched opened nothing
    and said nothing: the status says the cell's editor could not be loaded, and why when the
    server says why; the map stays as it was, the focus on the cell."""
    programme, page, watch = _staff_on_the_map(open_page)
    status, panel = page.locator("#map-status"), page.locator("#map-panel")
    panel_url = re.compile(r"/map/\d+/\?(.*&)?course=\d+")
    forbidden = _forbidden_page(programme, django_user_model)
    answers = [
        lambda route: route.fulfill(
            status=403, content_type="text/html; charset=utf-8", body=forbidden
        ),
        lambda route: route.fulfill(
            status=500, content_type="text/html", body="<h1>Server Error (500)</h1>"
        ),
        lambda route: route.abort("connectionrefused"),
        # A reason is set as text: "$&" is no replacement pattern (it wrote the sentence again).
        lambda route: route.fulfill(status=503, content_type="text/plain", body="Back at 9 $& 10."),
    ]
    expected = [
        "This cell's editor could not be loaded. Your account is not allowed to do this.",
        "This cell's editor could not be loaded.",
        "This cell's editor could not be loaded. "
        "The server could not be reached. Check the connection and try again.",
        "This cell's editor could not be loaded. Back at 9 $& 10.",
    ]
    # Every panel request is answered here from before the cell is reached, the n-th by the
    # n-th answer: none reaches the server, so no panel can open from a real answer, and a
    # request no Enter asked for shows in `asked` rather than as a round that fetched nothing.
    # (Routed after the cell was focused, one loaded run's first Enter found a panel open.)
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        answers[min(len(asked), len(answers)) - 1](route)

    page.route(panel_url, answer)
    cell = _cell(page, 1, 1)
    _focus_by_keys(page, 1, 1)
    for number, text in enumerate(expected):
        # What each round starts from, waited on rather than timed: no panel, the cell focused,
        # one request per earlier round.
        expect(panel).to_be_hidden()
        expect(cell).to_be_focused()
        assert len(asked) == number, (number, asked)
        try:
            with page.expect_request(panel_url, timeout=15_000):
                page.keyboard.press("Enter")
        except PlaywrightTimeoutError:
            # What the page was in, for whoever meets this: the round, the focus, the status.
            state = page.evaluate(
                """() => ({focus: document.activeElement && document.activeElement.outerHTML
                    .slice(0, 200), status: document.getElementById("map-status").textContent,
                    selected: document.querySelectorAll("td.level-cell.is-selected").length})"""
            )
            raise AssertionError(f"round {number}: Enter fetched no panel; {state}") from None
        # The status is set where the panel would have been opened, once the answer is read:
        # once it says the editor could not be loaded, the panel stays hidden.
        expect(status).to_have_text(text, timeout=15_000)
        expect(panel).to_be_hidden()
        expect(cell).to_be_focused()
    assert len(asked) == len(expected), asked
    assert not [problem for problem in watch.problems if problem.startswith("page error")]


def test_another_cells_panel_that_cannot_be_loaded_closes_the_one_open(
    open_page, seeded, staff_user
):
    """Observed: with one cell's panel open, another cell whose panel failed to load left the
    first panel open while the status said this cell's editor could not be loaded: the panel
    showed one cell, the status spoke of another. The open panel closes, having written
    nothing, and the focus stays on the cell moved to."""
    _, page, watch = _staff_on_the_map(open_page)
    status, panel = page.locator("#map-status"), page.locator("#map-panel")
    before = _links()
    _focus_by_keys(page, 1, 1)
    page.keyboard.press("Enter")
    panel.locator(".cell-panel").wait_for()

    panel_url = re.compile(r"/map/\d+/\?(.*&)?course=\d+")
    page.route(
        panel_url,
        lambda route: route.fulfill(
            status=500, content_type="text/html", body="<h1>Server Error (500)</h1>"
        ),
    )
    other = _cell(page, 2, 1)
    other.click()  # a first click on a cell not focused: selects it, opens nothing
    expect(other).to_be_focused()
    expect(panel).to_be_visible()
    with page.expect_response(panel_url):
        page.keyboard.press("Enter")
    expect(status).to_have_text("This cell's editor could not be loaded.")
    expect(panel).to_be_hidden()
    expect(other).to_be_focused()
    assert _links() == before
    assert not [problem for problem in watch.problems if problem.startswith("page error")]


def test_a_refusal_said_again_is_announced_again(open_page, seeded, linker):
    """Delete pressed twice where the account may not clear set the same words in the status
    twice: the live region's text did not change, and a screen reader said nothing the second
    time. The words are taken away and said again."""
    programme = _programme()
    page, watch = open_page()
    log_in(page, "linker", "linker-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    r, c = _taught_cells(page)[0]
    _focus_by_keys(page, r, c)
    page.evaluate(
        """() => {
          const status = document.getElementById("map-status");
          window.statusTexts = [];
          new MutationObserver(() => window.statusTexts.push(status.textContent)).observe(
            status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    words = "Your account may not delete links (clear cells)."
    for _ in range(2):
        page.keyboard.press("Delete")
        expect(page.locator("#map-status")).to_have_text(words)
    # The second time the status held the words already: they are taken away and set again in
    # the next animation frame, waited for (a fixed 100 ms was now and then too short for a
    # frame on a busy machine, the words then heard once).
    page.wait_for_function(
        """(words) => window.statusTexts.filter(
             (text, i, all) => text === words && (i === 0 || all[i - 1] !== words)).length >= 2""",
        arg=words,
    )
    texts = page.evaluate("window.statusTexts")
    heard = [text for i, text in enumerate(texts) if i == 0 or text != texts[i - 1]]
    assert heard.count(words) == 2, texts
    assert watch.problems == []


def test_undo_and_redo_alternate_however_often_the_status_button_is_clicked(
    open_page, seeded, staff_user
):
    """Save, then Undo, Redo, Undo, Redo from the status: the undo of a redo was shown as
    "Redone" with an Undo button (and clicking it redid again). Each click swaps in the status
    of what it did, named and offered as what it is, and the cell goes back and forth."""
    _, page, watch = _staff_on_the_map(open_page)
    cell = _cell(page, 1, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    page.keyboard.press(wanted.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status.locator("strong")).to_have_text("Saved")

    for label, offered, shown in (
        ("Undone", "Redo", before),
        ("Redone", "Undo", wanted),
        ("Undone", "Redo", before),
        ("Redone", "Undo", wanted),
    ):
        status.locator("[data-map-undo]").click()
        expect(status.locator("strong")).to_have_text(label)
        expect(status.locator("[data-map-undo]")).to_have_text(offered)
        expect(cell).to_have_text(shown)
    assert watch.problems == []


def test_ctrl_z_in_the_grid_undoes_the_last_save_and_ctrl_y_redoes_it(
    open_page, seeded, staff_user
):
    """A designer who has just pasted a block from a spreadsheet presses Ctrl+Z, as the
    spreadsheet taught them: the grid ignored it, and the change stayed with no word said. In the
    grid Ctrl+Z (⌘Z) is the status's Undo and Ctrl+Y or Ctrl+Shift+Z its Redo, when the status
    offers it; the focus stays on the cell, and the keyboard help says so."""
    _, page, watch = _staff_on_the_map(open_page)
    links = _links()
    cell = _cell(page, 1, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    page.keyboard.press(wanted.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status.locator("strong")).to_have_text("Saved")
    expect(cell).to_be_focused()

    page.keyboard.press("Control+y")  # nothing to redo: nothing happens
    page.keyboard.press("Control+z")
    expect(status.locator("strong")).to_have_text("Undone")
    expect(cell).to_have_text(before)
    expect(cell).to_be_focused()
    assert _links() == links

    page.keyboard.press("Control+z")  # undone already: the status offers Redo, not Undo
    page.keyboard.press("Control+Shift+z")
    expect(status.locator("strong")).to_have_text("Redone")
    expect(cell).to_have_text(wanted)
    page.keyboard.press("Control+z")
    expect(status.locator("strong")).to_have_text("Undone")
    page.keyboard.press("Control+y")
    expect(status.locator("strong")).to_have_text("Redone")
    expect(cell).to_have_text(wanted)
    expect(cell).to_be_focused()

    page.locator(".map-tools__keys summary").click()
    expect(page.locator(".map-tools__keys")).to_contain_text("Ctrl+Z undoes the last save")
    assert watch.problems == []


def test_a_level_typed_in_the_open_cell_editor_chooses_it(open_page, seeded, staff_user):
    """Enter opens a cell's editor; the designer then types M, as a level typed in the grid opens
    the editor with it, and presses Enter: the letter did nothing in the editor, and Enter saved
    the level it had ("Nothing to save"). In the editor a level's letter chooses that level (in
    either case) and the focus stays on it; Enter then writes it."""
    _, page, watch = _staff_on_the_map(open_page)
    cell = _cell(page, 1, 1)
    cell.click()
    page.keyboard.press("Escape")
    before = cell.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    page.keyboard.press("Enter")
    editor = page.locator("#map-panel form.cell-editor")
    editor.wait_for()
    page.keyboard.press(wanted.lower())
    chosen = editor.locator(f"input[type=radio][value='{wanted}']")
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status.locator("strong")).to_have_text("Saved")
    expect(cell).to_have_text(wanted)
    status.get_by_role("button", name="Undo").click()
    expect(status.locator("strong")).to_have_text("Undone")
    page.locator(".map-tools__keys summary").click()
    expect(page.locator(".map-tools__keys")).to_contain_text("choose a level (or type its letter)")
    assert watch.problems == []


# Whether `element` (the focused one by default) is in the viewport and not under the panel:
# the topmost element at its centre is it or inside it (WCAG 2.4.11, Focus Not Obscured).
IN_SIGHT = """(element) => {
  element = element || document.activeElement;
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return !!top && (top === element || element.contains(top));
}"""

# The map's last course column whose cells are wholly in view in its box, as the page opens.
RIGHTMOST_SHOWN = """() => {
  const box = document.querySelector('.map-scroll').getBoundingClientRect();
  const cells = Array.from(document.querySelector('#curriculum-map tbody tr.map-row')
    .querySelectorAll('td.level-cell'));
  let last = 0;
  cells.forEach((cell, i) => { if (cell.getBoundingClientRect().right <= box.right) last = i; });
  return last;
}"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_cell_panel_leaves_its_cell_in_sight_and_shift_tab_out_of_it_too(
    open_page, seeded, staff_user, width
):
    """Observed at 1280 px: Enter on a cell of the map's right-hand columns opened its panel
    over it, and Shift+Tab out of the panel went to that cell, focused but hidden (WCAG 2.4.11).
    The panel opens beside the page, which narrows to the space left, and the cell is scrolled
    into what is left of its box; on a phone, where the panel is at the bottom, the page
    scrolls the cell above it. Tab past the panel's end reaches the page in sight too."""
    programme = _programme()
    page, watch = open_page(width)
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    column = page.evaluate(RIGHTMOST_SHOWN)
    row = 3 if width == "phone" else 0
    cell = _cell(page, row, column)
    cell.click()
    cell.focus()
    page.keyboard.press("Enter")
    editor = page.locator("#map-panel form.cell-editor")
    editor.wait_for()
    page.wait_for_timeout(100)  # any scrolling the panel asks for
    assert cell.evaluate(IN_SIGHT), "the panel covers the cell it is about"

    page.locator("#map-panel").get_by_role("button", name="Close").first.focus()
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if not page.evaluate(
            "document.getElementById('map-panel').contains(document.activeElement)"
        ):
            break
    page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement !== document.body")
    assert page.evaluate(IN_SIGHT), page.evaluate("document.activeElement.outerHTML.slice(0, 200)")

    # Tab on past the panel's last control: what it reaches on the page is not under it either.
    page.keyboard.press("Enter")
    editor.wait_for()
    for _ in range(40):
        page.keyboard.press("Tab")
        if not page.evaluate(
            "document.getElementById('map-panel').contains(document.activeElement)"
        ):
            break
    page.wait_for_timeout(100)
    expect(page.locator("#map-panel")).to_be_visible()
    assert page.evaluate(IN_SIGHT), page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    assert watch.problems == []
