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
    assert "**CBE118 E-commerce Website Construction**" in text
    assert "**CBE128 Business Data Analysis**" in text
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


HOSTILE = "<img src=x onerror=alert(1)> | `code` *bold* [link](http://x)\nnext"


def test_recommend_prints_names_as_text_never_as_markup(paper):
    """Issue 15, observed 12: names from the data are escaped in the Markdown, the table's `|`
    included, so a name can neither inject HTML nor break a table row."""
    from curricula.models import Course, Programme
    from positions.models import Ability, Position

    programme = Programme.objects.get(name=PROGRAMME)
    Course.objects.filter(code="CBE118").update(title=HOSTILE)
    Position.objects.filter(pk__in=programme.targets.values("position")).update(name=HOSTILE)
    Ability.objects.filter(requirements__position__in=programme.targets.values("position")).update(
        text=HOSTILE
    )
    Programme.objects.filter(pk=programme.pk).update(name=f"{HOSTILE} programme")

    text = recommend(program=str(programme.pk))

    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "\\`code\\` \\*bold\\* \\[link\\](http://x)" in text
    assert "\nnext" not in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) > 2
    # Every row has its four cell borders and no more: the escaped `\|` is not one.
    assert {len(re.findall(r"(?<!\\)\|", line)) for line in table} == {4}
