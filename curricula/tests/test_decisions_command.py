"""`manage.py recommend` on the paper's data, and the worked example it generates."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROGRAMME = "Cross border senior e-commerce engineer — Operation and promotion"
DOC = Path(__file__).resolve().parents[2] / "docs" / "worked-example.md"


def recommend(**options) -> str:
    out = io.StringIO()
    call_command("recommend", stdout=out, **options)
    return out.getvalue()


def test_worked_example_is_the_commands_current_output(paper):
    """docs/worked-example.md shows exactly what the command prints on the paper's data."""
    block = re.search(
        r"<!-- recommend:begin -->\n(.*?)\n<!-- recommend:end -->", DOC.read_text(), re.S
    )
    assert block is not None
    assert recommend(program=PROGRAMME).strip() == block.group(1).strip()


def test_recommend_names_gaps_courses_and_coverage_after(paper):
    text = recommend(program=PROGRAMME)
    assert "Essential coverage now: 18%" in text
    assert "**CBE118 E-commerce website construction**" in text
    assert "**CBE128 Business data analysis**" in text
    assert "proven optimal by branch-and-bound" in text
    assert "| **Programme** | **18%** | **36%** |" in text
    budgeted = recommend(program=PROGRAMME, budget=1)
    assert budgeted.count("(cost 1) closes:") == 1


def test_recommend_refuses_unknown_programmes_and_bad_options(paper):
    with pytest.raises(CommandError, match="No programme"):
        recommend(program="999999")
    with pytest.raises(CommandError, match="budget"):
        recommend(program=PROGRAMME, budget=-1)
    with pytest.raises(CommandError, match="target position"):
        recommend(program=PROGRAMME, position=999999)
