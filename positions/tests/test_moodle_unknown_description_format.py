"""A Moodle file's Description format that Moodle does not know is refused at its line.

Observed: a Description format Moodle has no format for (`9`, `x`; Moodle's are 0 MOODLE,
1 HTML, 2 PLAIN and 4 MARKDOWN) was imported without a word, kept, and written back by the
Moodle export as it came: a description Moodle cannot show, in a file its importer takes the
value of without a check. Refused at its line instead, as a scale or rule config Moodle
refuses is, naming the values it takes.
"""

import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.importers.moodle import framework_moodle_csv
from positions.models import Ability, Framework

pytestmark = pytest.mark.django_db

HEADER = (
    "Parent ID number,ID number,Short name,Description,Description format,Scale values,"
    "Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
    "Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy\n"
)
SAMPLE = Path(
    "/work/shared/samples/moodle/jfruitet_moodle-tool_lpimportcsv__tests_fixtures__example.csv"
)


def _file(tmp_path, framework_format: str, *competency_formats: str) -> Path:
    path = tmp_path / "uni-d.csv"
    rows = [f",UNI-D,Uni D skills,Its skills,{framework_format},,,,,,,,1,competency\n"]
    rows += [
        f",D{i},Skill {i},What skill {i} is,{fmt},,,,,,,,\n"
        for i, fmt in enumerate(competency_formats, 1)
    ]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["9", "x", "3", "-1", "1.5", "HTML"])
def test_a_description_format_moodle_does_not_know_is_refused_at_its_line(tmp_path, value):
    report = framework_import(path=_file(tmp_path, "1", "2", value), format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    message = report.error["message"]
    assert f"“{value}”" in message
    for known in ("0", "1", "2", "4"):
        assert known in message
    assert not Framework.objects.exists()


def test_every_unknown_description_format_is_named_at_its_own_line(tmp_path):
    report = framework_import(path=_file(tmp_path, "9", "1", "x"), format="moodle")

    assert not report.ok
    problems = report.error["problems"]
    assert [problem["where"] for problem in problems] == ["line 2", "line 4"]
    assert "“9”" in problems[0]["message"]
    assert "“x”" in problems[1]["message"]


def test_moodles_description_formats_are_taken_and_written_back(tmp_path):
    report = framework_import(path=_file(tmp_path, "4", "0", "1", " 2 ", "4", ""), format="moodle")
    assert report.ok, report.error

    exported = framework_moodle_csv(framework=Framework.objects.get())
    formats = [line.split(",")[4] for line in exported.splitlines()[1:]]
    # An empty cell is kept empty, as before (Moodle's default applies).
    assert formats == ["4", "0", "1", "2", "4", ""]


def test_a_format_held_from_before_the_check_is_exported_as_plain_text(tmp_path):
    """A format an earlier release took unchecked is not handed to Moodle: the export writes
    plain text, which shows the description as it is stored."""
    assert framework_import(path=_file(tmp_path, "1", "2"), format="moodle").ok
    ability = Ability.objects.get()
    ability.extra["moodle"]["descriptionformat"] = "9"
    ability.save(update_fields=["extra"])

    exported = framework_moodle_csv(framework=Framework.objects.get())

    assert exported.splitlines()[2].split(",")[4] == "2"


def test_the_moodle_sample_still_imports(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("the shared Moodle sample is not on this machine")
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error


def test_problems_come_in_line_order_with_the_other_column_checks(tmp_path):
    """The format is checked with the other Moodle columns: a file with a rule config Moodle
    refuses on an earlier line names both, in line order."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        HEADER + ",UNI-M,Uni M skills,,1,,,,,,,,1,competency\n"
        ",M1,Skill 1,,1,,,points,0,not json,,,,\n"
        ",M2,Skill 2,,7,,,,,,,,\n",
        encoding="utf-8",
    )

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    problems = report.error["problems"]
    assert [problem["where"] for problem in problems] == ["line 3", "line 4"]
    assert "rule config" in problems[0]["message"]
    assert "“7”" in problems[1]["message"]
