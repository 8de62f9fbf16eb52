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


@pytest.mark.django_db
def test_a_refresh_reports_progress_over_what_it_regenerates_and_says_when_nothing_needed_it():
    from curricula.models import Course
    from suggestions import services

    framework, _abilities = small_framework()
    changed, unchanged = database_course(), database_course()
    for fw in (framework, None):  # two scopes each: this framework's and all frameworks'
        services.suggestions_generate(course_ids=[changed.pk, unchanged.pk], framework=fw)

    calls = []
    services.suggestions_refresh(
        course_ids=[changed.pk, unchanged.pk], on_progress=lambda *a: calls.append(a)
    )
    assert calls == [(0, 0)], "nothing changed: nothing to do, and the bar says so"

    Course.objects.filter(pk=changed.pk).update(description="Web shops and their marketing.")
    calls.clear()
    result = services.suggestions_refresh(
        course_ids=[changed.pk, unchanged.pk], on_progress=lambda *a: calls.append(a)
    )
    assert result.courses == 2, "the changed course, once per scope"
    assert calls[0] == (0, 2)
    assert calls[-1] == (2, 2)
    assert all(total == 2 for _done, total in calls)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)

    out = StringIO()
    call_command("suggest", "--refresh", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Nothing to refresh")
