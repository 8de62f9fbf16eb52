"""The coverage endpoints: report shape, recompute permissions, task status, and the paper."""

import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.coverage.services import CoverageQueueUnavailable
from curricula.models import CourseAbility, CoverageState, Programme, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level


@pytest.fixture
def programme(db, django_capture_on_commit_callbacks):
    """One target with two essential requirements: A1 at M (course C1 builds it to R, course C2
    to R: a tie) and A2 at R (nothing builds it); C3 builds nothing required."""
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory(name="Web designer")
        a1, a2 = AbilityFactory(code="A1"), AbilityFactory(code="A2")
        RequirementFactory(position=position, ability=a1, min_level=level("M"))
        RequirementFactory(position=position, ability=a2, min_level=level("R"))
        c1, c2, c3 = (CourseFactory(code=code) for code in ("C1", "C2", "C3"))
        CourseAbilityFactory(course=c1, ability=a1, level=level("R"))
        CourseAbilityFactory(course=c2, ability=a1, level=level("R"))
        return ProgrammeFactory(courses=[c1, c2, c3], targets=[position])


def test_the_report_names_everything_and_explains_each_status(api_client, programme):
    response = api_client.get(f"/api/v1/programs/{programme.pk}/coverage/")
    assert response.status_code == 200
    body = response.json()
    assert body["program"] == {"id": programme.pk, "name": programme.name}
    assert body["state"] == "fresh"
    assert body["computed_at"]
    assert body["percent"] == 0.0
    assert body["score"] == pytest.approx(100 / 3)  # (2/3 + 0) / 2
    (position,) = body["positions"]
    assert position["position"]["name"] == "Web designer"
    first, second = position["requirements"]
    assert first["ability"]["code"] == "A1"
    assert (first["min_level"], first["best_level"], first["status"]) == ("M", "R", "partial")
    assert [(c["course"]["code"], c["level"]) for c in first["courses"]] == [
        ("C1", "R"),
        ("C2", "R"),
    ]
    assert (second["best_level"], second["status"], second["courses"]) == (None, "missing", [])
    assert [c["code"] for c in body["unused_courses"]] == ["C3"]
    # The factory gives each ability its own area: A1's is partial, A2's missing.
    ability = AbilityFactory._meta.model.objects
    expected = {
        ability.get(code="A1").area.code: (1, 0),
        ability.get(code="A2").area.code: (0, 1),
    }
    assert {a["area"]["code"]: (a["partial"], a["missing"]) for a in body["areas"]} == expected


def test_the_programme_list_carries_the_coverage_summary(api_client, programme):
    body = api_client.get(f"/api/v1/programs/{programme.pk}/").json()
    assert body["coverage"]["state"] == "fresh"
    assert body["coverage"]["percent"] == 0.0


def test_the_report_costs_a_constant_number_of_queries(
    api_client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert api_client.get(f"/api/v1/programs/{programme.pk}/coverage/").status_code == 200


def test_unknown_or_malformed_programmes_are_404(api_client, db):
    assert api_client.get("/api/v1/programs/999999/coverage/").status_code == 404
    assert api_client.get(f"/api/v1/programs/{'9' * 30}/coverage/").status_code == 404
    assert api_client.get("/api/v1/tasks/not-a-uuid/").status_code == 404


def test_a_programme_never_computed_reports_stale_and_empty(api_client, db):
    programme = ProgrammeFactory()
    body = api_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    assert body["state"] == "stale"
    assert body["percent"] is None
    assert body["positions"] == []


@pytest.mark.parametrize(("who", "expected"), [(None, 403), ("plain_user", 403)])
def test_only_staff_may_ask_for_a_recompute(api_client, programme, request, who, expected):
    if who:
        api_client.force_authenticate(request.getfixturevalue(who))
    response = api_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert response.status_code in {expected, 401}


def test_staff_recompute_answers_202_with_a_task_to_follow(staff_client, programme):
    # The link arrives behind the engine's back (a raw bulk write, no signals).
    CourseAbility.objects.bulk_create(
        [
            CourseAbility(
                course=programme.courses.get(code="C1"),
                ability=programme.target_positions.get()
                .requirements.get(ability__code="A2")
                .ability,
                level=level("M"),
            )
        ]
    )
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert response.status_code == 202
    body = response.json()
    assert body["status_url"] == "http://testserver" + reverse(
        "task-status", args=[body["task_id"]]
    )
    status = staff_client.get(body["status_url"]).json()
    # Without a broker the task ran inline, before the answer.
    assert status["state"] == "SUCCESS"
    assert status["result"]["rebuilt"] == [programme.pk]
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 50.0)


def test_recompute_with_the_queue_down_is_a_clear_503(staff_client, programme, monkeypatch):
    def down(*, programme, started_by):
        raise CoverageQueueUnavailable("Connection refused")

    monkeypatch.setattr("curricula.api.views.coverage_request_recompute", down)
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert response.status_code == 503
    assert "sweep" in response.json()["detail"]


def test_an_unknown_task_is_a_404_and_a_sent_one_reads_sent(staff_client, staff_user):
    """Observed: any made-up id answered 200 PENDING, the state of a task waiting for a worker,
    so a client polling a mistyped id (or one whose result expired) waited forever."""
    from core.jobs import task_starter_record
    from core.task_sent import record_task_sent

    unknown = staff_client.get(f"/api/v1/tasks/{uuid.uuid4()}/")
    assert unknown.status_code == 404
    sent = str(uuid.uuid4())
    record_task_sent(sender="curricula.recompute_coverage", headers={"id": sent})
    task_starter_record(task_id=sent, user=staff_user, permissions=())
    body = staff_client.get(f"/api/v1/tasks/{sent}/").json()
    assert body["state"] == "SENT"
    assert body["progress"] is None


def test_a_task_whose_result_is_ignored_is_not_recorded_as_sent(db):
    from core.selectors import task_status
    from core.task_sent import record_task_sent

    task_id = str(uuid.uuid4())
    record_task_sent(sender="suggestions.refresh", headers={"id": task_id, "ignore_result": True})
    assert task_status(task_id=task_id)["state"] == "PENDING"


@pytest.mark.django_db(transaction=True)
def test_the_six_paper_programmes_have_reports_after_load_paper():
    """`make run` loads the paper in one transaction; its commit recomputes every programme."""
    call_command("load_paper", verbosity=0)
    states = list(ProgrammeCoverage.objects.values_list("state", flat=True))
    assert Programme.objects.count() == 6
    assert states == ["fresh"] * 6
    assert all(c.report.get("positions") for c in ProgrammeCoverage.objects.all())


def test_adding_a_link_through_the_api_closes_the_gap(
    staff_client, programme, django_capture_on_commit_callbacks
):
    a2 = AbilityFactory._meta.model.objects.get(code="A2")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/course-abilities/",
            {"course": programme.courses.get(code="C3").pk, "ability": a2.pk, "level": "M"},
        )
    assert response.status_code == 201, response.content
    body = staff_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    second = body["positions"][0]["requirements"][1]
    assert second["status"] == "covered"
    assert body["percent"] == 50.0
    assert body["unused_courses"] == []


def test_the_programme_page_links_each_course_building_nothing_required(client, programme):
    """The gap report's "courses building nothing the targets require" lead to their pages,
    where a designer sees what each builds instead."""
    html = client.get(programme.get_absolute_url()).content.decode()
    c3 = programme.courses.get(code="C3")
    unused = html[html.index("Courses building nothing the targets require") :]
    assert f'<a href="{c3.get_absolute_url()}"><span class="code">C3</span>' in unused[:600]


def test_a_task_asked_while_the_result_store_is_down_is_a_503_with_retry_after(
    staff_client, staff_user, monkeypatch
):
    """Observed while Redis restarted: GET /api/v1/tasks/{id}/ answered 500 ("A server error
    occurred") with the redis traceback logged, where every other door of the task queue
    answers 503 with Retry-After."""
    from celery import current_app
    from celery.backends.redis import RedisBackend

    from core.jobs import task_starter_record

    # Nothing listens on port 1: every connection is refused, as while Redis restarts.
    down = RedisBackend(
        app=current_app, url="redis://127.0.0.1:1/0", retry_policy={"max_retries": 0}
    )
    app = current_app._get_current_object()
    monkeypatch.setattr(type(app), "backend", property(lambda app: down))

    # A task of this user's (one it may not read is a 404 before the store is asked).
    task_id = str(uuid.uuid4())
    task_starter_record(task_id=task_id, user=staff_user, permissions=())
    response = staff_client.get(f"/api/v1/tasks/{task_id}/")

    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "The task queue is unreachable. Try again later."}
