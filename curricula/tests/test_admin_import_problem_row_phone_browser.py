"""The admin's table of an import's problems on a phone, in Chinese. Observed (trying the
product as a new designer at 390 px): each problem's place, 3（文件第 4 行）("row 3, line 4" of a
CSV whose quoted outcomes span two lines), stood one or two characters a line down its narrow
column, five lines for one short phrase, while the table beside it scrolls in its own box. The
place now keeps to one line, as the map's names and headers do in Chinese."""  # noqa: RUF002

import pytest

from conftest import load_by, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Line 2's outcomes take two lines of the file: the bad credits are on line 4, row 3.
CSV = (
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
    page, watch = open_page("phone")
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    upload = tmp_path / "courses.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.goto("/admin/curricula/course/import/")
    page.set_input_files("input[type=file]", str(upload))
    load_by(page, page.locator("#content form [type=submit]").first.click)
    page.wait_for_selector("#content table.import-preview tbody td")

    seen = page.evaluate(PLACE_LINES)
    assert seen["text"] == "3（文件第 4 行）", seen  # noqa: RUF001 (as the page writes it)
    assert seen["lines"] == 1, seen
    assert watch.problems == []
