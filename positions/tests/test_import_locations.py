"""Where a framework import's problem is ("skills_en.csv line 4", "line 3") is written in the
report's language, as its message is, by every importer through one helper
(core.limits.at_line). Observed: a Chinese report's message in Chinese, at
"occupationSkillRelations_en.csv line 4"."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from positions.importers import framework_import

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def _line(file: str, line: int) -> str:
    with translation.override("zh-hans"):
        if file:
            return translation.gettext("%(file)s line %(line)d") % {"file": file, "line": line}
        return translation.gettext("line %(line)d") % {"line": line}


@pytest.mark.parametrize(
    ("fmt", "fixture", "file", "old", "new", "line"),
    [
        # an unknown occupation (esco.py)
        ("esco", "esco_v12", "occupationSkillRelations_en.csv", "occ-2,", "occ-9,", 4),
        # a title left out (onet.py)
        ("onet", "onet", "Occupation Data.txt", "\tFreight Forwarders\t", "\t\t", 3),
        # a column missing (onet.py, line 1)
        ("onet", "onet", "Occupation Data.txt", "O*NET-SOC Code\t", "Code\t", 1),
        # more fields than the header has (base.read_rows)
        ("onet", "onet", "Skills.txt", "Analyst\n", "Analyst\tsurplus\n", 2),
        # an ID number used twice (moodle.py: one file, no name)
        ("moodle", "moodle", "current.csv", ",CBE.1.2,", ",CBE.1.1,", 4),
    ],
)
def test_where_a_framework_import_s_problem_is_reads_in_the_report_s_language(
    tmp_path, chinese_stand_in, fmt, fixture, file, old, new, line
):
    chinese_stand_in(None, "%(file)s line %(line)d")
    shutil.copytree(FIXTURES / fixture, tmp_path / fixture)
    target = tmp_path / fixture / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    source = target if fmt == "moodle" else tmp_path / fixture

    with translation.override("zh-hans"):
        report = framework_import(path=source, format=fmt)

    assert not report.ok
    where = _line("" if fmt == "moodle" else file, line)
    # A Moodle file's problems are all listed (the ID number used twice leaves a cross reference
    # to the one renamed unknown too): the first of them is there.
    error = report.error or {}
    first = (error.get("problems") or [error])[0]
    assert first.get("where") == where, report.error


def test_where_a_case_package_s_json_breaks_reads_in_the_report_s_language(
    tmp_path, chinese_stand_in
):
    chinese_stand_in(None, "line %(line)d, column %(column)d")
    path = tmp_path / "package.json"
    path.write_text('{\n  "CFDocument": {\n    "title": "x",,\n  }\n}\n', encoding="utf-8")

    with translation.override("zh-hans"):
        report = framework_import(path=path, format="case")
        where = translation.gettext("line %(line)d, column %(column)d") % {"line": 3, "column": 18}

    assert not report.ok
    assert report.error["where"] == where, report.error
