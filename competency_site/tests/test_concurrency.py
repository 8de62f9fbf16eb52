"""Concurrency: 20 staff edits to the links of one programme at once, from threads against a real
server (live_server) on PostgreSQL. Every edit that answered 2xx is in the database, the ones
that lost a race got a 4xx (never a 5xx), and the stored report equals a recomputation from the
final links.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from conftest import skip_or_fail
from curricula.coverage.engine import compute_report
from curricula.coverage.selectors import coverage_inputs
from curricula.models import CourseAbility, CoverageState, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

EDITS = 20
LEVELS = (("I", "Introduced", 1), ("R", "Reinforced", 2), ("M", "Mastered", 3))


def _normalised(report: dict) -> dict:
    return json.loads(json.dumps(report, sort_keys=True, default=str))


@pytest.fixture
def programme_with_links():
    if connection.vendor != "postgresql":
        skip_or_fail("the concurrency test needs PostgreSQL (DATABASE_URL=postgres://...)")
    levels = {
        code: Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})[0]
        for code, name, rank in LEVELS
    }
    position = PositionFactory()
    abilities = [AbilityFactory() for _ in range(14)]
    for ability in abilities:
        RequirementFactory(position=position, ability=ability, min_level=levels["M"])
    courses = [CourseFactory() for _ in range(5)]
    programme = ProgrammeFactory(courses=courses, targets=[position])
    # Links the edits will change or delete: abilities 10-13 on course 0.
    existing = [
        CourseAbilityFactory(course=courses[0], ability=ability, level=levels["I"])
        for ability in abilities[10:14]
    ]
    return {
        "programme": programme,
        "courses": courses,
        "abilities": abilities,
        "existing": existing,
    }


def _edits(data) -> list[tuple[str, str, dict | None]]:
    """20 edits: 10 new links, 2 level changes, 2 deletions, and 6 creations of one same link
    (exactly one of them can win)."""
    courses, abilities, existing = data["courses"], data["abilities"], data["existing"]
    edits = [
        (
            "post",
            "/api/v1/course-abilities/",
            {"course": courses[1 + i % 4].pk, "ability": abilities[i].pk, "level": "M"},
        )
        for i in range(10)
    ]
    edits += [
        ("patch", f"/api/v1/course-abilities/{link.pk}/", {"level": "M"}) for link in existing[:2]
    ]
    edits += [("delete", f"/api/v1/course-abilities/{link.pk}/", None) for link in existing[2:]]
    contested = {"course": courses[0].pk, "ability": abilities[0].pk, "level": "R"}
    edits += [("post", "/api/v1/course-abilities/", contested)] * 6
    assert len(edits) == EDITS
    return edits


def test_concurrent_staff_edits_are_all_kept_and_the_report_matches_the_links(
    live_server, staff_user, programme_with_links
):
    token = Token.objects.create(user=staff_user)
    edits = _edits(programme_with_links)
    start = Barrier(EDITS)

    def send(edit):
        method, path, body = edit
        with requests.Session() as session:
            session.headers["Authorization"] = f"Token {token.key}"
            start.wait(timeout=30)
            response = session.request(method, live_server.url + path, json=body, timeout=60)
            return edit, response.status_code, response.text

    with ThreadPoolExecutor(max_workers=EDITS) as pool:
        results = list(pool.map(send, edits))

    assert all(status < 500 for _, status, _ in results), results
    ok = [(edit, status) for edit, status, _ in results if 200 <= status < 300]
    contested = [status for (_, _, body), status, _ in results if body and body["level"] == "R"]
    assert sorted(contested) == [201, 400, 400, 400, 400, 400], results
    assert len(ok) == 10 + 2 + 2 + 1, results

    # Every edit that answered 2xx is in the database.
    for (method, path, body), _status in ok:
        if method == "post":
            link = CourseAbility.objects.get(course_id=body["course"], ability_id=body["ability"])
            assert link.level.code == body["level"]
        elif method == "patch":
            assert CourseAbility.objects.get(pk=path.rstrip("/").rsplit("/", 1)[1]).level.code == (
                "M"
            )
        else:
            assert not CourseAbility.objects.filter(pk=path.rstrip("/").rsplit("/", 1)[1]).exists()
    assert CourseAbility.objects.count() == 4 + 10 - 2 + 1

    # The stored report is the one the final links give.
    programme = programme_with_links["programme"]
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert coverage.state == CoverageState.FRESH
    (inputs,), catalogue = coverage_inputs(programme_ids=[programme.pk])
    assert _normalised(coverage.report) == _normalised(compute_report(inputs, catalogue))


DECISIONS = 8


def test_concurrent_decisions_with_one_etag_let_exactly_one_through(live_server, staff_user):
    """Eight reviewers read one suggestion and at once accept or reject it, each with the ETag
    they read: exactly one decision is made; the others are 412s (the check and the decision
    run under the suggestion's lock, so none passes the check on a state already decided, to
    fail later with another error)."""
    from suggestions.tests.factories import SuggestionFactory

    if connection.vendor != "postgresql":
        skip_or_fail("the concurrency test needs PostgreSQL (DATABASE_URL=postgres://...)")
    token = Token.objects.create(user=staff_user)
    suggestion = SuggestionFactory()
    path = f"{live_server.url}/api/v1/suggestions/{suggestion.pk}/"
    headers = {"Authorization": f"Token {token.key}"}
    etag = requests.get(path, headers=headers, timeout=30).headers["ETag"]
    decisions = [("accept/", {"level": "M"}), ("reject/", {})] * (DECISIONS // 2)
    start = Barrier(DECISIONS)

    def send(decision):
        action, body = decision
        with requests.Session() as session:
            session.headers.update({**headers, "If-Match": etag})
            start.wait(timeout=30)
            return session.post(path + action, json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=DECISIONS) as pool:
        statuses = sorted(pool.map(send, decisions))

    assert statuses[1:] == [412] * (DECISIONS - 1), statuses
    assert statuses[0] in (200, 201), statuses
    suggestion.refresh_from_db()
    made = CourseAbility.objects.filter(course=suggestion.course, ability=suggestion.ability)
    assert made.exists() == (statuses[0] == 201)
