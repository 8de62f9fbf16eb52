"""A Moodle file's scale configuration that is not JSON, or not one Moodle takes, is refused at
its line, and the export writes none Moodle refuses.

Observed: a framework row whose Scale configuration was not JSON (`not json`, or a JSON list
whose commas a spreadsheet saved as semicolons, `[{"scaleid":"2"};{"id":1;…}]`) was imported
without a word, kept, and written back by the Moodle export as it came: a file Moodle's
importer refuses (it decodes the configuration to give its first item the scale's id,
framework_importer::get_scale_configuration), so the framework could not go back to Moodle.
Refused at its line instead, as a rule config Moodle refuses is.
"""

import csv
import io

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.spreadsheets import shown
from positions.importers import framework_import
from positions.importers.moodle import (
    DEFAULT_SCALE_CONFIGURATION,
    DEFAULT_SCALE_VALUES,
    framework_moodle_csv,
)
from positions.models import Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

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


# What Moodle refuses though it reads as JSON: tool_lpimportcsv sets the scale's id on the first
# item of the list (framework_importer::get_scale_configuration: an error on an empty list, an
# object or a first item that is no object), and core_competency's validate_scaleconfiguration
# wants a value marked the default and one marked proficient after it (errorscaleconfiguration).
NOT_MOODLES = [
    "[]",
    "{}",
    "null",
    '"[1,{""id"":1,""scaledefault"":1,""proficient"":1}]"',
    '"[{""scaleid"":""2""}]"',
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":0}]"',
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":""0"",""proficient"":1}]"',
]
NOT_MOODLES_IDS = [
    "empty-list",
    "object",
    "null",
    "first-not-object",
    "no-values",
    "no-proficient",
    "default-zero-text",
]


def _expected_message(config: str) -> str:
    return gettext(
        "the scale configuration “%(config)s” is not one Moodle takes: give a JSON list of the "
        "scale's id and its values, one of them the default and one proficient, as Moodle "
        'exports it ([{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}])'
    ) % {"config": config}


@pytest.mark.parametrize("config", NOT_MOODLES, ids=NOT_MOODLES_IDS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_framework_scale_configuration_moodle_refuses_though_json_is_refused_at_its_line(
    tmp_path, config, language
):
    """Observed: `[]` and `{}` were taken, being JSON, kept, and written back by the export:
    a file Moodle's importer stops on."""
    with translation.override(language):
        report = framework_import(path=_file(tmp_path, config), format="moodle")
        expected = _expected_message(shown(next(csv.reader([config]))[0]))
        where = gettext("line %(line)d") % {"line": 2}

    assert not report.ok
    assert report.error["message"] == expected
    assert report.error["where"] == where
    assert not Framework.objects.exists()


def test_a_competencys_own_scale_configuration_moodle_refuses_is_refused_at_its_line(tmp_path):
    report = framework_import(
        path=_file(tmp_path, GOOD, competency_scale='"Low,High",[]'), format="moodle"
    )

    assert not report.ok
    assert report.error["where"] == "line 3"
    assert report.error["message"] == _expected_message("[]")
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    "config",
    [
        # Moodle's own export of a one-value scale: the value is default and proficient.
        '"[{""scaleid"":""3""},{""id"":1,""scaledefault"":1,""proficient"":1}]"',
        # The scale's id is Moodle's to set: a first item without one is given it.
        '"[{},{""id"":1,""scaledefault"":true,""proficient"":0},'
        '{""id"":2,""scaledefault"":0,""proficient"":""1""}]"',
    ],
    ids=["one-value", "first-item-without-scaleid"],
)
def test_a_scale_configuration_moodle_takes_is_taken(tmp_path, config):
    report = framework_import(path=_file(tmp_path, config), format="moodle")

    assert report.ok, report.error


@pytest.mark.parametrize("config", ["[]", "{}", '[{"scaleid":"2"}]'])
def test_the_export_never_writes_a_scale_configuration_moodle_refuses(tmp_path, config):
    """A framework or competency kept with such a configuration before the import refused it
    is exported as one without a scale of its own: the framework with Moodle's default
    competence scale, the competency with the framework's."""
    framework = FrameworkFactory(
        name="Kept before",
        extra={"moodle": {"scalevalues": "A,B", "scaleconfiguration": config}},
    )
    AbilityFactory(
        framework=framework,
        code="K1",
        extra={"moodle": {"scalevalues": "Low,High", "scaleconfiguration": config}},
    )

    text = framework_moodle_csv(framework=framework)

    framework_row, competency_row = list(csv.reader(io.StringIO(text)))[1:]
    assert framework_row[5:7] == [DEFAULT_SCALE_VALUES, DEFAULT_SCALE_CONFIGURATION]
    assert competency_row[5:7] == ["", ""]
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert framework_import(path=path, format="moodle").ok
