"""The suggestions API: who may see and decide, what accepting writes, jobs, query counts."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Provenance
from curricula.models import CourseAbility, Suggestion, SuggestionStatus
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Requirement
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level
from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

pytestmark = pytest.mark.django_db


def _client_with(django_user_model, *codenames, staff=True, username="u"):
    user = django_user_model.objects.create_user(username=username, password="p", is_staff=staff)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client, user


def test_anonymous_readers_and_staff_without_the_add_permission_are_refused(
    api_client, django_user_model
):
    suggestion = SuggestionFactory()
    course = suggestion.course
    assert api_client.get(f"/api/v1/courses/{course.pk}/suggestions/").status_code in (401, 403)
    assert api_client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/").status_code in (
        401,
        403,
    )
    client, _user = _client_with(django_user_model, "change_courseability", "add_requirement")
    assert client.get(f"/api/v1/courses/{course.pk}/suggestions/").status_code == 403
    assert client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "R"}
    ).status_code in (
        403,
        404,
    )
    assert client.post(f"/api/v1/suggestions/{suggestion.pk}/reject/").status_code in (403, 404)
    not_staff, _user = _client_with(
        django_user_model, "add_courseability", staff=False, username="not-staff"
    )
    assert not_staff.get(f"/api/v1/courses/{course.pk}/suggestions/").status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert not CourseAbility.objects.exists()


def test_accepting_a_course_suggestion_needs_add_courseability_and_makes_the_link(
    django_user_model,
):
    suggestion = SuggestionFactory()
    client, user = _client_with(django_user_model, "add_courseability")
    response = client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "M"})
    assert response.status_code == 201, response.content
    link = CourseAbility.objects.get(pk=response.json()["link"])
    assert (link.course_id, link.ability_id, link.level.code) == (
        suggestion.course_id,
        suggestion.ability_id,
        "M",
    )
    assert link.provenance == Provenance.SUGGESTED
    assert link.history.latest().history_user == user
    body = response.json()["suggestion"]
    assert body["status"] == "accepted"
    assert body["decided_by"] == "u"
    # Deciding twice is a 400 with a message, not a second link.
    again = client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "M"})
    assert again.status_code == 400
    assert "status" in again.json()
    assert CourseAbility.objects.count() == 1


def test_a_position_suggestion_needs_add_requirement(django_user_model):
    position = PositionFactory()
    suggestion = SuggestionFactory(course=None, position=position)
    links_only, _user = _client_with(django_user_model, "add_courseability")
    assert links_only.get(f"/api/v1/positions/{position.pk}/suggestions/").status_code == 403
    denied = links_only.post(f"/api/v1/suggestions/{suggestion.pk}/accept/")
    assert denied.status_code in (403, 404)
    client = APIClient()
    user = django_user_model.objects.create_user(username="r", password="p", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="add_requirement"))
    client.force_authenticate(user)
    listed = client.get(f"/api/v1/positions/{position.pk}/suggestions/")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "R", "importance": "optional"}
    )
    assert response.status_code == 201, response.content
    requirement = Requirement.objects.get(pk=response.json()["requirement"])
    assert requirement.min_level.code == "R"
    assert requirement.importance == "optional"
    assert requirement.provenance == Provenance.SUGGESTED


def test_reject_and_bad_input(staff_client):
    suggestion = SuggestionFactory()
    assert (
        staff_client.post(
            f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "X"}
        ).status_code
        == 400
    )
    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/reject/")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert staff_client.get("/api/v1/courses/999999/suggestions/").status_code == 404
    assert (
        staff_client.get(
            f"/api/v1/courses/{suggestion.course_id}/suggestions/?status=nonsense"
        ).status_code
        == 400
    )


def test_course_list_filters_by_framework_and_status(staff_client):
    course = CourseFactory()
    one = SuggestionFactory(course=course, score=0.9)
    other = SuggestionFactory(course=course, score=0.4)
    SuggestionFactory(
        course=course, status=SuggestionStatus.REJECTED, decided_at="2025-01-01T00:00Z"
    )
    rows = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/?status=pending").json()
    assert [r["id"] for r in rows["results"]] == [one.pk, other.pk]
    rows = staff_client.get(
        f"/api/v1/courses/{course.pk}/suggestions/?framework={other.framework_id}"
    ).json()
    assert [r["id"] for r in rows["results"]] == [other.pk]
    assert rows["results"][0]["ability"]["id"] == other.ability_id


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/courses/{course}/suggestions/",
        "/api/v1/positions/{position}/suggestions/",
        "/api/v1/suggestions/",
    ],
)
def test_list_query_counts_do_not_grow_with_the_page(staff_client, url):
    course, position = CourseFactory(), PositionFactory()
    framework_ability = AbilityFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url.format(course=course.pk, position=position.pk))
        assert response.status_code == 200
        return len(queries)

    SuggestionFactory(course=course, ability=framework_ability)
    SuggestionFactory(course=None, position=position)
    count()  # the user's permissions are read once, then cached on the user
    few = count()
    for _ in range(6):
        SuggestionFactory(course=course)
        SuggestionFactory(course=None, position=position)
    assert count() == few


def test_generate_for_a_programme_answers_202_with_a_status_url(staff_client):
    framework, _abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    response = staff_client.post(
        "/api/v1/suggestions/generate/", {"programme": programme.pk, "framework": framework.pk}
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["courses"] == 1
    status = staff_client.get(body["status_url"]).json()
    assert status["state"] == "SUCCESS"
    assert status["result"]["created"] >= 1
    assert Suggestion.objects.filter(course=course).exists()


def test_generate_refuses_an_empty_or_double_request(staff_client, django_user_model):
    assert staff_client.post("/api/v1/suggestions/generate/", {}).status_code == 400
    course, position = CourseFactory(), PositionFactory()
    both = {"courses": [course.pk], "positions": [position.pk]}
    assert staff_client.post("/api/v1/suggestions/generate/", both).status_code == 400
    unknown = staff_client.post("/api/v1/suggestions/generate/", {"courses": [999999]})
    assert unknown.status_code == 400
    client, _user = _client_with(django_user_model, "add_courseability")
    denied = client.post("/api/v1/suggestions/generate/", {"positions": [position.pk]})
    assert denied.status_code == 403


def test_generate_checks_its_ids_in_one_query_refuses_repeats_and_names_the_unknown(
    staff_client, django_assert_max_num_queries
):
    """A list of ids is read in one query, not one per id (a request body of 100,000 ids would
    otherwise be 100,000 queries); a course named twice is refused before any is looked up
    (competency_site/tests/test_repeated_ids.py)."""
    courses = CourseFactory.create_batch(3)
    ids = [c.pk for c in courses]
    with CaptureQueriesContext(connection) as few:
        response = staff_client.post(
            "/api/v1/suggestions/generate/", {"courses": ids}, format="json"
        )
    assert response.status_code == 202, response.content
    with django_assert_max_num_queries(len(few)):
        response = staff_client.post(
            "/api/v1/suggestions/generate/", {"courses": ids * 200}, format="json"
        )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "courses": [f"The ids {', '.join(map(str, ids))} are given more than once."]
    }
    unknown = staff_client.post(
        "/api/v1/suggestions/generate/",
        {"courses": [ids[0], 999998, 999999]},
        format="json",
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"courses": ["No course has the id 999998, 999999."]}
    unknown = staff_client.post(
        "/api/v1/suggestions/generate/", {"positions": [999997]}, format="json"
    )
    assert unknown.json() == {"positions": ["No position has the id 999997."]}
    too_many = staff_client.post(
        "/api/v1/suggestions/generate/", {"courses": list(range(1, 10_002))}, format="json"
    )
    assert too_many.status_code == 400
    assert "courses" in too_many.json()


def test_accept_reads_the_level_as_every_other_endpoint_does(staff_client):
    """By its code, forgiving case, with the same message as the links' and requirements'."""
    suggestion = SuggestionFactory()
    refused = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "Z"}, format="json"
    )
    assert refused.json() == {
        "level": [
            'No level has the code or name "Z" '
            "(levels: I (Introduced), R (Reinforced), M (Mastered))."
        ]
    }
    accepted = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "r"}, format="json"
    )
    assert accepted.status_code == 201, accepted.content
    assert CourseAbility.objects.get(pk=accepted.json()["link"]).level.code == "R"


def test_a_misspelt_key_in_an_accept_or_generate_body_is_a_400_naming_it(staff_client):
    """Observed: `{"levle": "R"}` accepted the suggestion at its proposed level, and
    `{"courses": [...], "framwork": 2}` generated against every framework: a key the body does
    not take was silently ignored. It is now refused, naming the keys the body takes."""
    suggestion = SuggestionFactory()
    refused = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"levle": "R"}, format="json"
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["levle"]
    assert "level" in refused.json()["levle"][0]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    generate = staff_client.post(
        "/api/v1/suggestions/generate/",
        {"courses": [suggestion.course_id], "framwork": suggestion.framework_id},
        format="json",
    )
    assert generate.status_code == 400
    assert list(generate.json()) == ["framwork"]


def test_a_pair_linked_or_required_by_hand_is_no_longer_pending_and_deciding_it_says_why(
    staff_client,
):
    """A pending suggestion whose pair someone linked (or required) by hand is nothing to
    review: the pending lists leave it out, as the review queue does, and accepting it names
    the link that settled it."""
    course, position = CourseFactory(), PositionFactory()
    linked = SuggestionFactory(course=course, score=0.9)
    still_open = SuggestionFactory(course=course, score=0.4)
    CourseAbility.objects.create(course=course, ability=linked.ability, level=level("R"))
    for url in (
        f"/api/v1/courses/{course.pk}/suggestions/?status=pending",
        f"/api/v1/suggestions/?status=pending&course={course.pk}",
        f"/api/v1/courses/{course.pk}/suggestions/",
    ):
        assert [r["id"] for r in staff_client.get(url).json()["results"]] == [still_open.pk]
    response = staff_client.post(f"/api/v1/suggestions/{linked.pk}/accept/", {"level": "M"})
    assert response.status_code == 400
    assert course.code in response.json()["suggestion"][0]
    assert "already linked" in response.json()["suggestion"][0]

    required = SuggestionFactory(course=None, position=position)
    RequirementFactory(position=position, ability=required.ability, min_level=level("M"))
    listed = staff_client.get(f"/api/v1/positions/{position.pk}/suggestions/?status=pending")
    assert listed.json()["results"] == []
    response = staff_client.post(f"/api/v1/suggestions/{required.pk}/reject/")
    assert response.status_code == 400
    assert "already requires" in response.json()["suggestion"][0]
    required.refresh_from_db()
    assert required.status == SuggestionStatus.PENDING


def test_generate_refuses_ids_that_are_not_whole_numbers_naming_the_field(staff_client):
    """{"programme": 1.5} started a job for programme 1 and {"framework": 1.9} ranked
    framework 1, while {"courses": [1.5]} was refused."""
    framework, _abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    for body, field in [
        ({"programme": programme.pk + 0.5}, "programme"),
        ({"courses": [course.pk], "framework": framework.pk + 0.9}, "framework"),
        ({"courses": [course.pk + 0.5]}, "courses"),
        ({"programme": True}, "programme"),
        ({"programme": "1x"}, "programme"),
        ({"courses": [course.pk], "framework": 2**70}, "framework"),
    ]:
        response = staff_client.post("/api/v1/suggestions/generate/", body, format="json")
        assert response.status_code == 400, body
        assert list(response.json()) == [field], body
    assert not Suggestion.objects.exists()
    whole = staff_client.post(
        "/api/v1/suggestions/generate/",
        {"programme": programme.pk, "framework": float(framework.pk)},
        format="json",
    )
    assert whole.status_code == 202, whole.content


@pytest.mark.parametrize(
    ("codename", "body"),
    [
        ("add_requirement", {"courses": [999999]}),
        ("add_requirement", {"programme": 999999}),
        ("add_courseability", {"positions": [999999]}),
    ],
)
def test_generate_refuses_a_missing_permission_before_reading_the_ids(
    django_user_model, codename, body
):
    """Observed: the body was checked first, so a staff member who may only add requirements
    told existing course ids (403) from unknown ones (400, "object does not exist")."""
    client, _user = _client_with(django_user_model, codename)

    response = client.post("/api/v1/suggestions/generate/", body, format="json")

    assert response.status_code == 403, response.content


GENERATE_BODIES = [
    # (body, kind generated or None when the body is refused as a whole)
    ({"courses": ["C"]}, "courses"),
    ({"programme": "P"}, "courses"),
    ({"positions": ["S"]}, "positions"),
    ({"positions": [], "programme": "P"}, "courses"),
    ({"positions": [], "courses": ["C"]}, "courses"),
    ({"positions": None, "courses": ["C"]}, "courses"),
    ({"courses": [], "positions": ["S"]}, "positions"),
    ({"programme": None, "positions": ["S"]}, "positions"),
    ({"courses": [], "programme": None, "positions": ["S"]}, "positions"),
    ({"courses": ["C"], "positions": ["S"]}, None),
    ({"programme": "P", "positions": ["S"]}, None),
    ({"courses": ["C"], "programme": "P"}, None),
    ({"courses": [], "positions": []}, None),
    ({"positions": []}, None),
    ({}, None),
]


@pytest.mark.parametrize("codename", ["add_courseability", "add_requirement"])
@pytest.mark.parametrize(("body", "kind"), GENERATE_BODIES)
def test_generate_needs_the_permission_of_exactly_what_it_generates(
    django_user_model, codename, body, kind
):
    """Observed: {"positions": [], "programme": id} passed the permission check as a positions
    request (the key was there) and then generated for the programme's courses (the empty list
    counted as absent), so staff who may only add requirements made course suggestions. The
    permission follows what the job is given; a body naming two kinds, or none, is a 400."""
    course, position = CourseFactory(), PositionFactory(description="A clerk files records.")
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    ids = {"C": course.pk, "P": programme.pk, "S": position.pk}

    def real(value):
        if isinstance(value, list):
            return [ids[v] for v in value]
        return ids.get(value, value)

    client, _user = _client_with(django_user_model, codename)
    sent = {key: real(value) for key, value in body.items()}

    response = client.post("/api/v1/suggestions/generate/", sent, format="json")

    may = {"courses": "add_courseability", "positions": "add_requirement"}
    if kind is None:
        assert response.status_code == 400, response.content
    elif may[kind] == codename:
        assert response.status_code == 202, response.content
        counts = response.json()
        assert (counts["courses"] > 0, counts["positions"] > 0) == (
            kind == "courses",
            kind == "positions",
        )
    else:
        assert response.status_code == 403, response.content
        assert not Suggestion.objects.exists()


def test_generate_names_an_unknown_programme_and_ids_on_their_fields(staff_client):
    for body, field, message in (
        ({"programme": 999999}, "programme", "No programme has the id 999999."),
        ({"courses": [999998]}, "courses", "No course has the id 999998."),
        ({"positions": [999997]}, "positions", "No position has the id 999997."),
    ):
        response = staff_client.post("/api/v1/suggestions/generate/", body, format="json")
        assert response.status_code == 400, response.content
        assert response.json() == {field: [message]}


def test_a_job_whose_framework_was_deleted_before_it_ran_reports_a_failure(
    staff_client, monkeypatch
):
    """Observed: the framework named in a generate request was deleted before the job ran; the
    job did nothing, and its status URL said state SUCCESS with a result holding only an
    "error" key and `error` null, so a client that checks the state took it for done."""
    from positions.models import Framework
    from suggestions import services

    framework, _abilities = small_framework()
    course = database_course()
    request_generate = services.suggestions_request_generate

    def framework_deleted_first(**kwargs):
        Framework.objects.filter(pk=framework.pk).delete()
        return request_generate(**kwargs)

    monkeypatch.setattr(services, "suggestions_request_generate", framework_deleted_first)
    response = staff_client.post(
        "/api/v1/suggestions/generate/", {"courses": [course.pk], "framework": framework.pk}
    )
    assert response.status_code == 202, response.content
    status = staff_client.get(response.json()["status_url"]).json()
    assert status["state"] == "FAILURE"
    assert status["result"] is None
    assert f"framework {framework.pk} no longer exists" in status["error"]
    assert not Suggestion.objects.exists()


def test_a_generation_job_reports_its_progress_after_every_chunk(monkeypatch):
    """Observed: a job over 2,600 courses (ten chunks of 250) reported "0 of 2600" at its status
    URL until it ended: progress was sent only when the count done was a multiple of a
    fiftieth of the total (52), which no multiple of 250 below 2,600 is."""
    from suggestions import services, tasks

    reported = []

    class Task:
        def update_state(self, *, state, meta):
            reported.append((state, meta["done"], meta["total"]))

    from types import SimpleNamespace

    # An index that ranks nothing (the chunks are stubbed): only whether it reads Chinese.
    unread = SimpleNamespace(index=SimpleNamespace(reads_chinese=False))
    monkeypatch.setattr(services, "index_for", lambda framework_id: unread)
    monkeypatch.setattr(services, "_generate_courses", lambda chunk, *args: None)
    services.suggestions_generate(
        course_ids=range(1, 2601), on_progress=tasks._reporter(Task()), chunk_size=250
    )
    assert [done for _state, done, _total in reported] == [*range(0, 2600, 250), 2600]
    assert {(state, total) for state, _done, total in reported} == {("PROGRESS", 2600)}


def test_a_suggestion_says_how_strong_it_is_beside_its_score(staff_client):
    """The API keeps `score` (a fused rank score) and adds `strength`, the band a review page
    shows and the places it was read from; null for a suggestion stored before."""
    framework, abilities = small_framework()
    course = database_course()
    from suggestions import services

    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    old = SuggestionFactory(course=CourseFactory(), score=0.25)
    rows = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/").json()["results"]
    db = next(row for row in rows if row["ability"]["id"] == abilities["DB"].pk)
    assert isinstance(db["score"], float)
    assert db["strength"]["band"] in {"strong", "good", "weak"}
    assert db["strength"]["lexical_rank"] == 1
    assert set(db["strength"]) == {
        "band",
        "lexical_rank",
        "meaning_rank",
        "lexical_share",
        "coverage",
        "terms",
    }
    assert staff_client.get(f"/api/v1/suggestions/{old.pk}/").json()["strength"] is None
    schema = staff_client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["Suggestion"]["properties"]["strength"]
    assert "fused rank score" in str(field)
