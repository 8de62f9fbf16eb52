"""A coverage recompute asked for at POST /api/v1/programs/{id}/recompute/ is checked at its
door (the permission to ask for it), and not again when it begins to run: a recompute rebuilds
derived data from what is stored, the same report whoever asks, writing no one's content. A
starter deactivated, or stripped of the permission, while it waited for a worker does not leave
the report as the door marked it (stale, a recompute said to be coming): it is rebuilt, as an
edit's or the sweep's recompute would rebuild it. A generation job, which writes suggestions for
people to review, is still asked again (suggestions/tests/test_generate_starter_recheck.py)."""

import pytest

from conftest import changed_first, deactivate, take_permission
from curricula.models import CourseAbility, CoverageState, ProgrammeCoverage
from curricula.tasks import recompute_coverage, sweep_stale_coverage
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """A programme whose report is fresh, then a link its coverage reads written behind the
    engine's back (no signals): only a recompute that runs takes it in."""
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        ability = AbilityFactory()
        RequirementFactory(position=position, ability=ability, min_level=level("R"))
        course = CourseFactory()
        programme = ProgrammeFactory(courses=[course], targets=[position])
    CourseAbility.objects.bulk_create(
        [CourseAbility(course=course, ability=ability, level=level("M"))]
    )
    assert ProgrammeCoverage.objects.get(programme=programme).percent == 0.0
    return programme


def _changed_before_the_job_runs(monkeypatch, change) -> None:
    from curricula.api import views

    changed_first(monkeypatch, views, "coverage_request_recompute", change)


def test_a_recompute_whose_starter_was_deactivated_meanwhile_still_rebuilds_the_report(
    staff_client, staff_user, admin_client, programme, monkeypatch
):
    """Observed: refused, the recompute left the report as the door had marked it, stale (a
    fresh report shown stale on every page), for the sweep to rebuild as the system's within
    minutes anyway, or never where no beat runs. The report is derived data, the same whoever
    asks; a recompute writes no one's content: it runs."""
    _changed_before_the_job_runs(monkeypatch, lambda: deactivate(staff_user))
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")

    assert response.status_code == 202, response.content
    status = admin_client.get(response.json()["status_url"]).json()
    assert status["state"] == "SUCCESS", status
    assert status["result"]["rebuilt"] == [programme.pk]
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 100.0)


def test_a_recompute_whose_starter_lost_the_permission_meanwhile_still_rebuilds_the_report(
    staff_client, staff_user, programme, monkeypatch
):
    _changed_before_the_job_runs(
        monkeypatch, lambda: take_permission(staff_user, "change_programme")
    )
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")

    assert response.status_code == 202, response.content
    status = staff_client.get(response.json()["status_url"]).json()
    assert status["state"] == "SUCCESS", status
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 100.0)


def test_a_recompute_whose_starter_still_may_runs(staff_client, programme):
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")

    status = staff_client.get(response.json()["status_url"]).json()
    assert status["state"] == "SUCCESS", status
    assert status["result"]["rebuilt"] == [programme.pk]
    assert ProgrammeCoverage.objects.get(programme=programme).percent == 100.0


def test_a_recompute_the_system_starts_names_no_starter_and_runs(programme):
    """An edit's commit (coverage_dispatch) and a command enqueue the task with no starter."""
    ProgrammeCoverage.objects.filter(programme=programme).update(state=CoverageState.STALE)

    result = recompute_coverage.delay(programme_ids=[programme.pk])

    assert result.get()["rebuilt"] == [programme.pk]
    assert ProgrammeCoverage.objects.get(programme=programme).percent == 100.0


def test_the_sweep_recomputes_as_before(programme):
    ProgrammeCoverage.objects.filter(programme=programme).update(state=CoverageState.STALE)

    sweep_stale_coverage.delay().get()

    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 100.0)
