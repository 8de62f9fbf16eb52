"""The admin's import tables in Chinese on a phone. Observed (trying the catalogue import as a
new administrator at 390 px): the headings stood in capitals, 课程代码（CODE）, where the README
and the files write 课程代码（code）: Django's admin upper-cases every table heading (and
django-import-export each problem's column), and a column's name is shown as a file writes it.
And the 错误 (Errors) heading broke one character a line down its narrow column."""  # noqa: RUF002

import pytest

from conftest import load_by, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Department is not read: its note, a warning, draws the admin's alert icon (a 404 if not found).
CSV = "code,title,title_zh,credits,Department\nLOG102,Cross-border logistics,跨境物流,3 ECTS,IT\n"

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

    seen = page.evaluate(HEADINGS)
    assert seen["shown"][1] == "错误", seen
    assert "课程代码（code）" in seen["shown"], seen  # noqa: RUF001 (as the page writes it)
    assert seen["label"] == "学分（credits）", seen  # noqa: RUF001
    assert seen["errorsLines"] == 1, seen
    assert "icon-alert.svg" in seen["note"], seen
    assert watch.problems == []
