"""A Moodle framework file imported again after a spreadsheet made an ID number a number (1.10
-> 1.1, 007 -> 7) creates a new competency beside the stored one: the import says so, by line,
in its report's warnings and the command's summary. A warning, not a refusal: the framework
may mean a new competency 1.1."""

import io

import pytest
from django.core.management import call_command

from positions.importers import DRY_RUN, framework_import
from positions.models import Ability

pytestmark = pytest.mark.django_db

HEADER = (
    '"Parent ID number","ID number","Short name",Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross-referenced competency ID numbers",'
    '"Exported ID (optional)","Is framework",Taxonomy'
)
FRAMEWORK = (
    ',FW-N,"Numbered","A framework numbered as a syllabus",1,"Not yet competent,Competent",'
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":0},'
    '{""id"":2,""scaledefault"":0,""proficient"":1}]",,,,,,1,"competency"'
)
SAID = (
    "No competency of the framework has the ID number “1.1”: the import creates a new one. "
    "Did you mean “1.10”?"
)


def _file(tmp_path, *codes: str):
    path = tmp_path / "framework.csv"
    rows = [f',{code},"Ability {code}","Does {code}",1,,,,0,null,,,,' for code in codes]
    path.write_text("\n".join([HEADER, FRAMEWORK, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_new_competency_whose_id_number_a_spreadsheet_made_a_number_is_said(tmp_path):
    report = framework_import(path=_file(tmp_path, "1.10", "2"), format="moodle")
    assert report.ok, report.error
    assert report.warnings == []
    report = framework_import(
        path=_file(tmp_path, "1.1", "2", "3"), format="moodle", options={DRY_RUN: True}
    )
    assert report.ok, report.error
    [warning] = report.warnings
    assert warning["where"] == "line 3"
    assert warning["message"].startswith(SAID), warning
    # A Moodle file is CSV alone, and the site's Moodle export has no XLSX: none is pointed to.
    assert warning["message"].endswith("set its column to Text when opening the CSV."), warning
    out = io.StringIO()
    call_command(
        "import_framework",
        str(_file(tmp_path, "1.1", "2", "3")),
        format="moodle",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert f"line 3: {SAID}" in out.getvalue(), out.getvalue()
    assert set(Ability.objects.values_list("code", flat=True)) == {"1.10", "1.1", "2", "3"}
