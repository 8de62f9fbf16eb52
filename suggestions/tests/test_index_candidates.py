"""How the app hands an ability to the engine: its name as the label, its description as the
description, each once."""

import csv
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability
from suggestions.engine.evaluation import skill_candidate
from suggestions.indexes import ability_candidate

ESCO = Path(__file__).resolve().parents[2] / "positions" / "tests" / "fixtures" / "esco_v12"

LABEL = "algorithms"
DESCRIPTION = "The self-contained step-by-step sets of operations that perform calculations."


def test_an_esco_skill_stated_by_its_label_gives_its_label_once_and_its_description_once():
    """ESCO: the label is the statement and the short name; the description explains it."""
    candidate = ability_candidate(1, LABEL, LABEL, DESCRIPTION, "algorithmics", "算法")

    assert candidate.fields == {
        "label": LABEL,
        "alt_labels": "algorithmics",
        "description": DESCRIPTION,
        "label_zh": "算法",
    }


def test_an_ability_imported_before_with_its_description_as_statement_ranks_alike():
    """Until the migration restates it, an ESCO ability holds its description as its statement:
    the engine still sees the description once."""
    candidate = ability_candidate(1, LABEL, DESCRIPTION, DESCRIPTION, "")

    assert candidate.fields == {"label": LABEL, "alt_labels": "", "description": DESCRIPTION}


def test_a_statement_beside_a_short_name_is_prose_with_the_description():
    """CASE or Moodle: a short name and a longer statement; both are read."""
    candidate = ability_candidate(1, "SQL", "Write SQL queries.", "Retrieve data.", "")

    assert candidate.fields["label"] == "SQL"
    assert candidate.fields["description"] == "Write SQL queries.\nRetrieve data."


@pytest.mark.django_db
def test_an_imported_esco_framework_is_ranked_from_the_fields_the_evaluation_reads():
    """The app's index over an imported ESCO framework sees each skill as the standalone ESCO
    evaluation does (label, alternative labels, description), so its measured quality holds."""
    assert framework_import(path=ESCO, format="esco").ok
    with (ESCO / "skills_en.csv").open(newline="", encoding="utf-8") as stream:
        expected = {
            row["conceptUri"]: skill_candidate(row).fields for row in csv.DictReader(stream)
        }
    rows = Ability.objects.values_list(
        "external_id", "short_name", "text", "description", "alt_labels"
    )

    found = {uri: ability_candidate(0, *fields).fields for uri, *fields in rows}

    assert found == expected
