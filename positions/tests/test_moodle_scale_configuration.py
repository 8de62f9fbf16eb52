"""A Moodle file's scale configuration that is not JSON is refused at its line.

Observed: a framework row whose Scale configuration was not JSON (`not json`, or a JSON list
whose commas a spreadsheet saved as semicolons, `[{"scaleid":"2"};{"id":1;…}]`) was imported
without a word, kept, and written back by the Moodle export as it came: a file Moodle's
importer refuses (it decodes the configuration to give its first item the scale's id,
framework_importer::get_scale_configuration), so the framework could not go back to Moodle.
Refused at its line instead, as a rule config Moodle refuses is.
"""

import pytest

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

HEADER = (
    "Parent ID number,ID number,Short name,Description,Description format,Scale values,"
    "Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
    "Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy\n"
)
GOOD = (
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":0},'
    '{""id"":2,""scaledefault"":0,""proficient"":1}]"'
)


def _file(tmp_path, framework_config: str, competency_scale: str = ",") -> str:
    path = tmp_path / "uni-y.csv"
    path.write_text(
        HEADER
        + f',UNI-Y,Uni Y skills,,1,"Not yet,Competent",{framework_config},,,,,,1,competency\n'
        + f",Y1,Write code,,1,{competency_scale},,,,,,,\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "config",
    [
        "not json",
        '"[{""scaleid"":""2""};{""id"":1;""scaledefault"":1;""proficient"":1}]"',
        "",
    ],
    ids=["not-json", "semicolons", "blank"],
)
def test_a_framework_scale_configuration_moodle_cannot_read_is_refused_at_its_line(
    tmp_path, config
):
    report = framework_import(path=_file(tmp_path, config), format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 2"
    assert "scale configuration" in report.error["message"]
    assert not Framework.objects.exists()


def test_a_competencys_own_scale_moodle_cannot_read_is_refused_at_its_line(tmp_path):
    report = framework_import(
        path=_file(tmp_path, GOOD, competency_scale='"Low,High",not json'), format="moodle"
    )

    assert not report.ok
    assert report.error["where"] == "line 3"
    assert "scale configuration" in report.error["message"]
    assert not Framework.objects.exists()


def test_a_readable_scale_configuration_and_none_without_scale_values_are_taken(tmp_path):
    report = framework_import(path=_file(tmp_path, GOOD), format="moodle")
    assert report.ok, report.error

    # Without scale values, Moodle reads no configuration (a competency using the framework's
    # scale), and the export writes Moodle's default scale for a framework without one.
    path = tmp_path / "no-scale.csv"
    path.write_text(
        HEADER + ",UNI-Z,Uni Z skills,,1,,not json,,,,,,1,competency\n"
        ",Z1,Test code,,1,,not json,,,,,,,\n",
        encoding="utf-8",
    )
    assert framework_import(path=path, format="moodle").ok
