"""The admin's course import on a phone (375 and 390 px), the first step of a new designer's
workflow, in English and Chinese. Observed in the walkthroughs: the preview's table, nine columns
of course text, made the whole page 926 px wide, so the form, the messages and *Confirm import*
scrolled sideways with it; in Chinese, each problem's place, 3（文件第 4 行）("row 3, line 4" of a
CSV whose quoted outcomes span two lines), stood one or two characters a line down its narrow
column, five lines for one short phrase; the headings stood in capitals, 课程代码（CODE）, where
the README and the files write 课程代码（code）(Django's admin upper-cases every table heading,
and django-import-export each problem's column); and the 错误 (Errors) heading broke one
character a line."""  # noqa: RUF002

import pytest

from conftest import load_by, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "code,title,title_zh,description,outcomes,credits\n"
    'SE201,Software testing,软件测试,"Unit, integration and system testing of software.",'
    '"Describe the levels of software testing\nExecute software tests and report the findings",3\n'
)

SEEN = """() => {
  const table = document.querySelector('table.import-preview');
  const region = table.parentElement;
  return {page: document.documentElement.scrollWidth, region: region.clientWidth,
          table: table.scrollWidth, overflow: getComputedStyle(region).overflowX,
          tabindex: region.getAttribute('tabindex'),
          label: region.getAttribute('aria-labelledby') &&
                 document.getElementById(region.getAttribute('aria-labelledby')).textContent};
}"""


def _previewed(open_page, tmp_path, csv: str, *, width: int, chinese_at: str = ""):
    """A phone `width` px wide, logged in as staff (its language Chinese when `chinese_at`, the
    live server's address, is given), on the preview of the course import of `csv`."""
    page, watch = open_page("phone")
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, "staff", "staff-pass-123")
    if chinese_at:
        page.context.add_cookies(
            [{"name": "django_language", "value": "zh-hans", "url": chinese_at}]
        )
    upload = tmp_path / "courses.csv"
    upload.write_text(csv, encoding="utf-8")
    page.goto("/admin/curricula/course/import/")
    page.set_input_files("input[type=file]", str(upload))
    # Measured once the preview's page has loaded: its table appears while the page is still
    # being read, before the rest of it (and its style sheets) are there to measure.
    load_by(page, page.locator("#content form [type=submit]").first.click)
    page.wait_for_selector("#content table.import-preview tbody td")
    return page, watch


def test_the_import_preview_scrolls_in_its_own_box_on_a_phone(open_page, staff_user, tmp_path):
    page, watch = _previewed(open_page, tmp_path, CSV, width=375)

    seen = page.evaluate(SEEN)
    assert seen["page"] <= 375, seen
    assert seen["table"] > seen["region"], seen  # the table is wider: its box scrolls
    assert seen["overflow"] == "auto", seen
    # A scrolling box a keyboard can reach, named by the heading above it.
    assert seen["tabindex"] == "0", seen
    assert seen["label"] == "Preview", seen
    assert watch.problems == []


# Line 2's outcomes take two lines of the file: the bad credits are on line 4, row 3.
PLACE_CSV = (
    "code,title,title_zh,description,outcomes,credits\n"
    'WEB101,Web development,网页开发,"HTML, CSS and JavaScript.",'
    '"Describe how web pages are built\nDesign an online store front",3\n'
    "LOG102,Cross-border logistics,跨境物流,Customs and shipping.,Explain customs,3 ECTS\n"
)

PLACE_LINES = """() => {
  const cell = document.querySelector('#content table.import-preview tbody td');
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
  return {text: cell.textContent.trim(), lines: tops.size};
}"""


def test_a_problem_s_place_keeps_to_one_line_on_a_phone_in_chinese(
    open_page, live_server, staff_user, tmp_path
):
    page, watch = _previewed(open_page, tmp_path, PLACE_CSV, width=390, chinese_at=live_server.url)

    seen = page.evaluate(PLACE_LINES)
    assert seen["text"] == "3（文件第 4 行）", seen  # noqa: RUF001 (as the page writes it)
    assert seen["lines"] == 1, seen
    assert watch.problems == []


# Department is not read: its note, a warning, draws the admin's alert icon (a 404 if not found).
HEADINGS_CSV = (
    "code,title,title_zh,credits,Department\nLOG102,Cross-border logistics,跨境物流,3 ECTS,IT\n"
)

HEADINGS = """() => {
  const lines = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  };
  const headings = [...document.querySelectorAll('#content table.import-preview thead th')];
  const label = document.querySelector('#content .validation-error-field-label');
  return {
    shown: headings.map((th) => th.innerText.trim()),
    errorsLines: lines(headings[1]),
    label: label.innerText.trim(),
    note: getComputedStyle(document.querySelector('#content .import-note')).backgroundImage,
  };
}"""


def test_the_problem_table_s_headings_are_as_files_write_them_and_on_one_line(
    open_page, live_server, staff_user, tmp_path
):
    page, watch = _previewed(
        open_page, tmp_path, HEADINGS_CSV, width=390, chinese_at=live_server.url
    )

    seen = page.evaluate(HEADINGS)
    assert seen["shown"][1] == "错误", seen
    assert "课程代码（code）" in seen["shown"], seen  # noqa: RUF001 (as the page writes it)
    assert seen["label"] == "学分（credits）", seen  # noqa: RUF001
    assert seen["errorsLines"] == 1, seen
    assert "icon-alert.svg" in seen["note"], seen
    assert watch.problems == []
