"""What the importers keep for the suggestions: an ability's description, alternative labels (one
per line) and language."""

import json
import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def test_esco_fills_description_alt_labels_and_language():
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok
    skill = Ability.objects.get(external_id="http://data.europa.eu/esco/skill/test-skill-1")
    assert skill.description == "Run the day-to-day operation of an online shop."
    assert skill.alt_labels == "run a webshop\noperate online stores"
    assert skill.language == "en"


def test_case_fills_notes_keywords_abbreviated_statement_and_language(tmp_path):
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    item = package["CFItems"][1]
    item["notes"] = "Written and spoken, in the customer's language."
    item["conceptKeywords"] = ["customer service", "Communication"]
    item["language"] = "zh"
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    assert framework_import(path=path, format="case").ok
    ability = Ability.objects.get(external_id=item["identifier"])
    assert ability.description == "Written and spoken, in the customer's language."
    assert ability.alt_labels == "Communication\ncustomer service"
    assert ability.language == "zh"
    other = Ability.objects.get(external_id=package["CFItems"][2]["identifier"])
    assert other.language == "en"  # the document's


def test_onet_reads_element_descriptions_when_the_content_model_is_there(tmp_path):
    folder = tmp_path / "onet"
    shutil.copytree(FIXTURES / "onet", folder)
    (folder / "Content Model Reference.txt").write_text(
        "Element ID\tElement Name\tDescription\n"
        "2.A.1.a\tReading Comprehension\tUnderstanding written sentences and paragraphs.\n"
    )
    assert framework_import(path=folder, format="onet").ok
    ability = Ability.objects.get(code="2.A.1.a")
    assert ability.description == "Understanding written sentences and paragraphs."
    assert ability.language == "en"
