"""A Moodle competency CSV whose header the importer cannot read says what is wrong with it: a
designer writing a framework by hand (a few of the 14 columns, one misspelt) read only
"unrecognised header: expected the 14 (or older 12) tool_lpimportcsv columns", and had to guess
which column was missing or which name was not Moodle's."""

import pytest

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db


def _refusal(tmp_path, text: str) -> dict:
    path = tmp_path / "framework.csv"
    path.write_text(text, encoding="utf-8")
    report = framework_import(path=path, format="moodle")
    assert not report.ok
    assert not Framework.objects.exists()
    return report.error


def test_a_header_without_a_column_the_import_needs_names_it(tmp_path):
    error = _refusal(tmp_path, "Parent ID number,ID number,Short name\n,NUR,Nursing\n")
    assert error["where"] == "line 1"
    assert "unrecognised header" in error["message"]
    assert "“Is framework”" in error["message"]
    assert "Short name" not in error["message"]  # a column it reads, present


def test_a_header_with_a_column_the_import_does_not_read_names_it(tmp_path):
    header = "Parent ID number,ID number,Shortname,Descripton,Is framework"
    error = _refusal(tmp_path, header + "\n,NUR,Nursing,Nursing practice,1\n")
    assert "“Descripton”" in error["message"]
    assert "Is framework" not in error["message"]


def test_a_readable_header_still_imports(tmp_path):
    path = tmp_path / "framework.csv"
    path.write_text(
        "Parent ID number,ID number,Short name,Is framework\n,NUR,Nursing,1\n,NUR1,Care,\n",
        encoding="utf-8",
    )
    report = framework_import(path=path, format="moodle")
    assert report.ok, report.error
    assert Framework.objects.count() == 1
