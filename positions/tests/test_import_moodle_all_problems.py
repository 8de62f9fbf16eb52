"""A hand-written Moodle competency framework CSV is refused with every problem of every line at
once, each with its line number, as the course catalogue import does. Observed: the import
stopped at the first problem (an unknown parent ID number on line 4), so a designer mended one
line, uploaded again, learnt of the next, and so on. Still all or nothing: nothing is written
when any line has a problem. A file that cannot be read at all (wrong header) stops at once."""

from html import unescape
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions.importers import framework_import
from positions.importers.base import PROBLEM_LIST_LIMIT
from positions.models import Ability, Framework, ImportJob, ImportStatus

HEADER = (
    '"Parent ID number","ID number","Short name",Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross-referenced competency ID numbers",'
    '"Exported ID (optional)","Is framework",Taxonomy'
)
FRAMEWORK = (
    ',FW,"Framework",,1,"No,Yes",'
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":1}]",,,,,,1,'
)


def _row(parent: str, idnumber: str, related: str = "", extra: str = "") -> str:
    return f'{parent},{idnumber},"{idnumber} name",,1,,,,0,null,"{related}",,,{extra}'


# Line 1 the header, line 2 the framework.
MANY_PROBLEMS = [
    HEADER,
    FRAMEWORK,
    _row("", "A"),  # line 3: fine
    _row("MISSING", "B"),  # line 4: unknown parent
    _row("", "A"),  # line 5: duplicate ID number (of line 3)
    _row("FW", "C"),  # line 6: the framework's own ID number as parent
    _row("", "D", related="NOWHERE"),  # line 7: unknown cross reference
    _row("", "E", extra=",surplus"),  # line 8: more fields than the header has
    ',FW2,"Second",,1,,,,,,,,1,',  # line 9: a second framework row
]
EXPECTED = [
    ("line 4", "parent ID number MISSING is not in the file"),
    ("line 5", "ID number A already used on line 3"),
    ("line 6", "is the framework's own ID number"),
    ("line 7", "cross-referenced ID number NOWHERE is not in the file"),
    ("line 8", "more fields than the header has"),
    ("line 9", "a second framework row"),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _file(tmp_path, lines: list[str], name: str = "framework.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _said(problems: list[dict]) -> list[tuple[str, str]]:
    return sorted((p["where"], p["message"]) for p in problems)


def _assert_every_problem(problems: list[dict]) -> None:
    assert len(problems) == len(EXPECTED), problems
    by_where = {p["where"]: p["message"] for p in problems}
    for where, text in EXPECTED:
        assert text in by_where.get(where, ""), (where, problems)


def test_every_line_s_problem_is_reported_together_and_nothing_is_written(tmp_path):
    report = framework_import(path=_file(tmp_path, MANY_PROBLEMS), format="moodle")

    assert not report.ok
    _assert_every_problem(report.error["problems"])
    assert report.error["problems_total"] == len(EXPECTED)
    assert "6 problems" in report.error["message"]
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()


def test_a_single_problem_is_reported_as_before(tmp_path):
    lines = [HEADER, FRAMEWORK, _row("", "A"), _row("MISSING", "B")]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    assert report.error["where"] == "line 4"
    assert "parent ID number MISSING is not in the file" in report.error["message"]
    assert "problems" not in report.error


def test_the_framework_row_s_problems_come_with_the_lines_problems(tmp_path):
    lines = [HEADER, ',FW,"",,1,,,,,,,,1,', _row("", "A"), _row("MISSING", "B")]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    assert _said(report.error["problems"]) == [
        ("line 2", "the framework row needs an ID number and a short name"),
        ("line 4", "parent ID number MISSING is not in the file (unknown reference)"),
    ]


def test_a_file_without_a_framework_row_says_so_with_the_lines_problems(tmp_path):
    lines = [HEADER, _row("", "A"), _row("", "A")]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    messages = [p["message"] for p in report.error["problems"]]
    assert "no framework row (a row with 'Is framework' set)" in messages
    assert "ID number A already used on line 2" in messages


def test_a_cycle_of_parents_is_listed_at_its_line_among_the_others(tmp_path):
    lines = [HEADER, FRAMEWORK, _row("B", "A"), _row("A", "B"), _row("MISSING", "C")]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    assert [p["where"] for p in report.error["problems"]] == ["line 3", "line 5"]
    assert "parents form a cycle through A" in report.error["problems"][0]["message"]


def test_the_list_is_capped_and_says_how_many_more(tmp_path):
    n = PROBLEM_LIST_LIMIT + 25
    lines = [HEADER, FRAMEWORK, *(_row(f"MISSING{i}", f"C{i}") for i in range(n))]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    assert len(report.error["problems"]) == PROBLEM_LIST_LIMIT
    assert report.error["problems_total"] == n
    assert report.error["problems"][0]["where"] == "line 3"
    assert "25 more" in report.summary()


def test_a_wrong_header_still_stops_at_once(tmp_path):
    lines = ["Parent ID number,ID number,Short name", *MANY_PROBLEMS[1:]]
    report = framework_import(path=_file(tmp_path, lines), format="moodle")

    assert report.error["where"] == "line 1"
    assert "unrecognised header" in report.error["message"]
    assert "problems" not in report.error


# The doors.


def test_the_command_prints_every_problem_with_its_line(tmp_path):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_framework",
            str(_file(tmp_path, MANY_PROBLEMS)),
            format="moodle",
            stdout=out,
            stderr=StringIO(),
        )
    message = str(raised.value)
    assert "6 problems" in message
    assert "Nothing was written" in message
    for where, text in EXPECTED:
        assert any(
            line.strip().startswith(f"{where}: ") and text in line for line in message.splitlines()
        ), (
            where,
            message,
        )
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    # Said once, as the command's error: the whole summary was printed first on stdout too.
    assert out.getvalue() == ""


def test_in_chinese_the_command_s_problems_read_in_the_catalogue_s_words(
    tmp_path, chinese_stand_in
):
    chinese_stand_in(None, "the file has %(n)d problem", "the file has %(n)d problems")
    with translation.override("zh-hans"), pytest.raises(CommandError) as raised:
        call_command(
            "import_framework",
            str(_file(tmp_path, MANY_PROBLEMS)),
            format="moodle",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    with translation.override("zh-hans"):
        headline = translation.ngettext(
            "the file has %(n)d problem", "the file has %(n)d problems", 6
        ) % {"n": 6}
        where = translation.gettext("line %(line)d") % {"line": 4}
        first = translation.gettext("%(label)s: %(value)s") % {
            "label": where,
            "value": translation.gettext(
                "parent ID number %(id)s is not in the file (unknown reference)"
            )
            % {"id": "MISSING"},
        }
    message = str(raised.value)
    assert headline in message
    assert first in [line.strip() for line in message.splitlines()[1:]], message


def test_the_api_job_s_report_lists_every_problem(
    tmp_path, staff_client, django_capture_on_commit_callbacks
):
    content = ("\n".join(MANY_PROBLEMS) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("fw.csv", content), "format": "moodle"},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    detail = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()

    assert detail["status"] == ImportStatus.FAILED
    _assert_every_problem(detail["report"]["error"]["problems"])
    assert detail["report"]["error"]["problems_total"] == len(EXPECTED)
    assert not Framework.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_every_problem_of_a_job_run_inline(client, admin_user):
    client.force_login(admin_user)
    content = ("\n".join(MANY_PROBLEMS) + "\n").encode()
    response = client.post(
        reverse("admin:positions_importjob_add"),
        {
            "format": "moodle",
            "upload": SimpleUploadedFile("fw.csv", content),
            "min_level": "",
        },
        follow=True,
    )
    [message] = [unescape(str(m)) for m in response.context["messages"] if "fw.csv" in str(m)]
    assert "has run and failed" in message
    for where, text in EXPECTED:
        assert f"{where}: " in message, (where, message)
        assert text in message, (text, message)

    job = ImportJob.objects.get()
    page = client.get(reverse("admin:positions_importjob_change", args=[job.pk]))
    body = page.content.decode()
    for where, _text in EXPECTED:
        assert f"<li><strong>{where}</strong>" in body, where
