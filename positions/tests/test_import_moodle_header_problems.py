"""A Moodle competency CSV whose header the importer cannot read says what is wrong with it: a
designer writing a framework by hand (a few of the 14 columns, one misspelt) read only
"unrecognised header: expected the 14 (or older 12) tool_lpimportcsv columns", and had to guess
which column was missing or which name was not Moodle's."""

import csv

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


@pytest.fixture
def csv_default_cell_bound():
    """csv's bound on a cell as a fresh process has it, whatever a test before raised it to."""
    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("csv_default_cell_bound")
def test_a_header_of_a_hundred_thousand_columns_is_refused_in_a_few_words(tmp_path):
    """A header longer than csv's own bound on a cell was "the file could not be imported
    (Error)"; read, its names not Moodle's are named once each, the first ten, not 100,000
    times in a message of 900 kB."""
    header = ",".join(f"c{i % 20}" for i in range(100_000))
    error = _refusal(tmp_path, header + "\n" + ",".join(["v"] * 100_000) + "\n")
    assert error["where"] == "line 1"
    assert "unrecognised header" in error["message"]
    assert error["message"].count("“c1”") == 1
    assert "“c9”" in error["message"]
    assert "“c10”" not in error["message"]
    assert len(error["message"]) < 500


def test_a_header_naming_a_column_twice_is_refused_naming_both(tmp_path):
    """Observed: imported, the second column's values silently taking the place of the
    first's (a competency's short name from whichever "Short name" came last)."""
    header = "Parent ID number,ID number,Short name,Is framework,Short name"
    error = _refusal(tmp_path, header + "\n,NUR,Nursing,1,Other\n,NUR1,Care,,Caring\n")
    assert error["where"] == "line 1"
    assert "“Short name”" in error["message"]
    assert "columns 3 and 5" in error["message"]
