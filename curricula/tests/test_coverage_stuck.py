"""The stale-coverage sweep takes back a report left `computing` only once it has been computing
longer than any recompute runs (STUCK_AFTER since its claim), never one still being computed.

Observed: a recompute asked for by hand on a fresh report (`manage.py recompute_coverage
--program ID`, forced) left the report `computing` with no `stale_since`, which the sweep's
selector read as stuck at once; so did a report stale for over STUCK_AFTER (the broker down) the
moment a recompute claimed it. The sweep's recompute then claimed it again: a second recompute
of the same programme while the first still ran."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from curricula.coverage import services
from curricula.coverage.selectors import STUCK_AFTER, coverage_stale_programme_ids
from curricula.coverage.services import coverage_recompute, coverage_sweep
from curricula.models import CoverageState, ProgrammeCoverage
from curricula.tasks import recompute_coverage
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """A programme with a fresh report, whose next recompute rebuilds it (so it reports
    progress while it runs)."""
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        RequirementFactory(position=position, ability=AbilityFactory(), min_level=level("M"))
        programme = ProgrammeFactory(courses=[CourseFactory()], targets=[position])
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.stale_since) == (CoverageState.FRESH, None)
    ProgrammeCoverage.objects.filter(programme=programme).update(inputs_fingerprint="")
    return programme


def _swept_while_running(programme, **recompute) -> list[list[int]]:
    """What the sweep's selector lists each time the recompute reports progress."""
    seen = []

    def look(done, total):
        assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.COMPUTING
        seen.append(coverage_stale_programme_ids())

    coverage_recompute(programme_ids=[programme.pk], on_progress=look, **recompute)
    assert seen
    return seen


def test_a_recompute_forced_on_a_fresh_report_is_not_stuck_while_it_runs(programme):
    assert all(found == [] for found in _swept_while_running(programme, force=True))


def test_a_report_stale_for_long_is_not_stuck_once_a_recompute_claims_it(programme):
    long_ago = timezone.now() - STUCK_AFTER - timedelta(hours=1)
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state=CoverageState.STALE, stale_since=long_ago
    )
    assert coverage_stale_programme_ids() == [programme.pk]
    assert all(found == [] for found in _swept_while_running(programme))


def test_the_command_recomputing_a_programme_by_hand_is_not_swept_meanwhile(programme, monkeypatch):
    seen = []
    real = services._recompute_claimed

    def recompute_and_look(*args, **kwargs):
        seen.append(coverage_stale_programme_ids())
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_recompute_claimed", recompute_and_look)
    call_command("recompute_coverage", program=[programme.pk], verbosity=0)
    assert seen == [[]]
    assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.FRESH


def test_a_report_computing_past_the_grace_period_is_taken_back_by_the_sweep(programme):
    """Its worker is gone (killed past acks_late's redelivery, or an inline run killed with its
    process): the claim is older than STUCK_AFTER, and the sweep recomputes it."""
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state=CoverageState.COMPUTING,
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(seconds=1),
    )
    assert coverage_stale_programme_ids() == [programme.pk]
    assert coverage_sweep().rebuilt == [programme.pk]
    assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.FRESH


def test_a_report_computing_within_the_grace_period_is_left_to_its_recompute(programme):
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state=CoverageState.COMPUTING,
        stale_since=None,
        claimed_at=timezone.now() - STUCK_AFTER + timedelta(minutes=1),
    )
    assert coverage_stale_programme_ids() == []
    assert coverage_sweep().as_dict() == {
        "rebuilt": [],
        "unchanged": [],
        "still_stale": [],
        "superseded": [],
    }


def test_the_grace_period_outlasts_a_recompute_tasks_hard_time_limit():
    """A recompute task is killed at its time_limit, and a retry claims the report again: a
    report computing longer than that has no recompute running any more."""
    assert STUCK_AFTER.total_seconds() > recompute_coverage.time_limit
