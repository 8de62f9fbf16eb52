"""What a recompute writes: stored reports are exactly the engine's, and a rebuilt report that
came out the same as the stored one is not sent back to the database."""

import json

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula import services
from curricula.coverage.engine import iter_reports
from curricula.coverage.selectors import coverage_inputs
from curricula.coverage.services import coverage_recompute, coverage_summary
from curricula.generator import PRESETS, catalogue_generate
from curricula.models import CourseAbility, ProgrammeCourse, ProgrammeCoverage
from positions.models import Level

pytestmark = pytest.mark.django_db


def engine_reports() -> dict[int, dict]:
    programmes, catalogue = coverage_inputs()
    return dict(iter_reports(programmes, catalogue))


def stored_reports() -> dict[int, dict]:
    """The stored reports; their summaries (what the overview reads) checked against them."""
    rows = ProgrammeCoverage.objects.values_list("programme_id", "report", "summary")
    for _, report, summary in rows:
        assert summary == coverage_summary(report)
        assert "positions" not in summary
    return {programme_id: report for programme_id, report, _ in rows}


def report_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "report" in q["sql"]]


@pytest.fixture
def generated():
    catalogue_generate(size=PRESETS["small"], seed=11)
    coverage_recompute(force=True)


def test_stored_reports_are_the_engines_own_after_every_kind_of_recompute(generated):
    expected = engine_reports()
    assert stored_reports() == expected

    # Every fingerprint forgotten: all reports rebuilt, found byte-identical, left as they were.
    ProgrammeCoverage.objects.update(inputs_fingerprint="")
    result = coverage_recompute(force=True)
    assert len(result.rebuilt) == len(expected)
    assert stored_reports() == expected
    # Digests forgotten as well: all reports rebuilt and written again, still the same.
    ProgrammeCoverage.objects.update(inputs_fingerprint="", report_digest="")
    coverage_recompute(force=True)
    assert stored_reports() == expected
    for programme_id, percent, score in ProgrammeCoverage.objects.values_list(
        "programme_id", "percent", "score"
    ):
        assert (percent, score) == (
            expected[programme_id]["percent"],
            expected[programme_id]["score"],
        )


def test_a_rebuilt_report_equal_to_the_stored_one_is_not_written_again(generated):
    ProgrammeCoverage.objects.update(inputs_fingerprint="")
    with CaptureQueriesContext(connection) as queries:
        result = coverage_recompute(force=True)

    assert result.rebuilt
    assert report_writes(queries.captured_queries) == []
    digests = dict(ProgrammeCoverage.objects.values_list("programme_id", "report_digest"))
    assert all(len(digest) == 32 for digest in digests.values())


def test_a_changed_report_is_written_and_only_the_changed_ones(generated):
    # A requirement met by exactly one course: changing that link's level changes the report.
    ability_id, course_id = next(
        (row[0], row[5][0][0])
        for report in stored_reports().values()
        for position in report["positions"]
        for row in position["requirements"]
        if len(row[5]) == 1
    )
    link = CourseAbility.objects.get(course_id=course_id, ability_id=ability_id)
    affected = set(
        ProgrammeCourse.objects.filter(course_id=course_id).values_list("programme_id", flat=True)
    )
    before = stored_reports()
    digests_before = dict(ProgrammeCoverage.objects.values_list("programme_id", "report_digest"))
    other = Level.objects.exclude(pk=link.level_id).order_by("rank").first()
    services.course_ability_update(link=link, level=other)  # marks the programmes stale
    ProgrammeCoverage.objects.update(inputs_fingerprint="")
    with CaptureQueriesContext(connection) as queries:
        coverage_recompute(force=True)

    expected = engine_reports()
    assert stored_reports() == expected
    changed = {pid for pid in expected if expected[pid] != before[pid]}
    assert changed
    assert changed <= affected
    assert len(report_writes(queries.captured_queries)) == 1
    digests = dict(ProgrammeCoverage.objects.values_list("programme_id", "report_digest"))
    assert {pid for pid in digests if digests[pid] != digests_before[pid]} == changed


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the UPDATE ... FROM (VALUES) path is PostgreSQL's"
)
def test_reports_are_written_in_statements_of_bounded_size(generated, monkeypatch):
    """One statement for a whole batch grew faster than the batch (~30 MB of SQL for 1,200
    reports): the writes are split by size, and every report still lands whole."""
    from curricula.coverage import services as coverage_services

    expected = engine_reports()
    largest = max(len(json.dumps(report)) for report in expected.values())
    # Room for each row (its report, summary and figures) alone, not for many of them together.
    budget = largest + 8192
    monkeypatch.setattr(coverage_services, "WRITE_STATEMENT_BYTES", budget)
    ProgrammeCoverage.objects.update(inputs_fingerprint="", report_digest="", report={})
    with CaptureQueriesContext(connection) as queries:
        coverage_recompute(force=True)

    writes = report_writes(queries.captured_queries)
    assert len(expected) > 2
    assert 1 < len(writes) < len(expected) + 1
    assert all(len(sql) <= budget + 1000 for sql in writes)  # the UPDATE's own words
    assert stored_reports() == expected


def test_stored_reports_read_back_in_the_engines_own_order(generated):
    """Read through the model and through values_list, a stored report is the engine's down to
    the order of its keys (PostgreSQL keeps the written text, as SQLite does, where jsonb gave
    the keys back shortest first)."""
    ProgrammeCoverage.objects.update(inputs_fingerprint="", report_digest="")
    coverage_recompute(force=True)

    expected = {pid: json.dumps(report) for pid, report in engine_reports().items()}
    assert {pid: json.dumps(report) for pid, report in stored_reports().items()} == expected
    for coverage in ProgrammeCoverage.objects.all():
        assert json.dumps(coverage.report) == expected[coverage.programme_id]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's column type")
def test_postgresql_stores_each_report_as_the_json_text_written(generated):
    """The report column is `json`: the orjson text the recompute sends (and digests) is kept as
    it is, with no jsonb parse on the way in or print on the way out; lz4 still compresses it
    where the server has lz4."""
    ProgrammeCoverage.objects.update(inputs_fingerprint="", report_digest="")
    coverage_recompute(force=True)

    expected = engine_reports()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT programme_id, report::text, pg_typeof(report)::text "
            "FROM curricula_programmecoverage"
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)), (SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'curricula_programmecoverage'::regclass AND attname = 'report')"
        )
        has_lz4, compression = cursor.fetchone()
    assert len(rows) == len(expected)
    for programme_id, text, column_type in rows:
        assert column_type == "json"
        assert text == orjson.dumps(expected[programme_id]).decode()
    if has_lz4:
        assert compression == "l"


@pytest.mark.django_db
def test_a_stored_report_is_filtered_on_only_for_being_there():
    """Observed on PostgreSQL once reports were kept as json: `?report=1` on the admin's
    coverage list ran `report = '1'::jsonb` against a json column and failed as the query ran
    (a 500). A report can be asked for whether it is there; any other filter is refused as the
    filter is built, on every database alike."""
    from django.core.exceptions import FieldError

    from curricula.tests.factories import ProgrammeFactory

    ProgrammeFactory()
    assert ProgrammeCoverage.objects.filter(report__isnull=False).count() == 1
    for lookup in ({"report": {"a": 1}}, {"report__gt": 1}, {"report__positions": 1}):
        with pytest.raises(FieldError):
            ProgrammeCoverage.objects.filter(**lookup)
