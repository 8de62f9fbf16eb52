"""Issue 15, observed 14: framework imports say which line and which field a problem is in, and
refuse what cannot be right (a competency related to itself), instead of a bare exception name."""

import json
import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework, Position

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_a_nul_character_in_a_moodle_csv_names_its_line_and_field(tmp_path):
    path = tmp_path / "nul.csv"
    text = (FIXTURES / "moodle" / "current.csv").read_text()
    path.write_text(text.replace("Product listings", "Product\x00listings"))

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    assert "short_name contains a NUL character" in report.error["message"]
    assert "ValueError" not in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_case_package_names_the_item(tmp_path):
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    package["CFItems"][1]["fullStatement"] = "half\x00statement"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "contains a NUL character" in report.error["message"]
    assert report.error["where"]
    assert not Ability.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-inf", "sNaN"])
@pytest.mark.django_db
def test_an_onet_data_value_that_is_not_a_number_names_file_and_line(tmp_path, value):
    folder = tmp_path / "onet"
    shutil.copytree(FIXTURES / "onet", folder)
    skills = (folder / "Skills.txt").read_text().replace("\tLV\t5.12\t", f"\tLV\t{value}\t", 1)
    (folder / "Skills.txt").write_text(skills)

    report = framework_import(path=folder, format="onet")

    assert not report.ok
    assert report.error["where"] == "Skills.txt line 3"
    assert report.error["message"] == f"Data Value '{value}' is not a number"
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_a_moodle_competency_cross_referencing_itself_is_refused(tmp_path):
    path = tmp_path / "self.csv"
    text = (FIXTURES / "moodle" / "current.csv").read_text()
    path.write_text(text.replace('"CBE.2.1",11', '"CBE.1.1",11'))

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 3"
    assert "CBE.1.1 cross-references itself" in report.error["message"]
    assert not Framework.objects.exists()
