"""The suggestions' commands: the evaluation on a small ESCO fixture, and generation."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import Suggestion
from suggestions.tests.factories import database_course, small_framework

FIXTURE = Path(__file__).parent / "fixtures" / "esco_small"


def _evaluate(*args) -> str:
    out = StringIO()
    call_command("evaluate_suggestions", "--esco", str(FIXTURE), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_evaluate_prints_one_json_object_with_recall_at_the_k_given_and_touches_no_database():
    with CaptureQueriesContext(connection) as queries:
        output = _evaluate("--k", "10", "--json")
    assert len(queries) == 0
    result = json.loads(output)  # exactly one object: anything else on stdout would fail here
    assert set(result) == {"queries", "candidates", "recall@10", "mrr", "seconds"}
    assert result["queries"] == 5
    assert result["candidates"] == 30
    assert 0 < result["recall@10"] <= 1
    assert 0 < result["mrr"] <= 1


def test_evaluate_default_k_is_20_and_the_engine_beats_the_baseline_on_the_fixture():
    engine = json.loads(_evaluate("--json"))
    baseline = json.loads(_evaluate("--json", "--baseline", "tfidf"))
    assert "recall@20" in engine
    assert engine["mrr"] >= baseline["mrr"]


def test_evaluate_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"occupations_en\.csv"):
        call_command("evaluate_suggestions", "--esco", str(tmp_path), "--json")


@pytest.mark.django_db
def test_suggest_generates_for_named_courses_and_reports_json():
    framework, abilities = small_framework()
    course = database_course()
    out = StringIO()
    call_command(
        "suggest", "--course", course.code, "--framework", str(framework.pk), "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["courses"] == 1
    assert result["created"] >= 1
    assert Suggestion.objects.filter(course=course, ability=abilities["DB"]).exists()
    with pytest.raises(CommandError, match="NOPE"):
        call_command("suggest", "--course", "NOPE")
