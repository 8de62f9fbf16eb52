"""Any programme through the API (create, edit, terms), its progression and its certification
readiness: /api/v1/programs/, /progression/ and /certification-readiness/."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from certifications.models import TrainingStage
from certifications.tests.factories import CertificationFactory
from core.i18n import bracketed
from core.models import DegreeLevel, Provenance
from curricula.models import CertificationCourse, Programme, ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import (
    AbilityFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


@pytest.fixture
def staged(db):
    """A programme of three courses: theory (stage 1), an explicit term 3, and a final term 5
    that alone masters what a target requires at M, after an introduction in term 1."""
    theory = TrainingStage.objects.create(code="t", name="Theory", order=1)
    intro, middle, final = (
        CourseFactory(code="A100", stage=theory),
        CourseFactory(code="B200"),
        CourseFactory(code="C300"),
    )
    ability = AbilityFactory(code="X1", text="Plan a campaign")
    other = AbilityFactory(code="X2", text="Write copy")
    CourseAbilityFactory(course=intro, ability=ability, level=level("I"))
    CourseAbilityFactory(course=final, ability=ability, level=level("M"))
    CourseAbilityFactory(course=middle, ability=other, level=level("M"))
    CourseAbilityFactory(course=final, ability=other, level=level("I"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    programme = ProgrammeFactory(courses=[intro, middle, final], targets=[position])
    ProgrammeCourse.objects.filter(programme=programme, course=middle).update(term=3)
    ProgrammeCourse.objects.filter(programme=programme, course=final).update(term=5)
    return programme


def test_the_progression_lays_abilities_out_by_term_with_worded_findings(
    api_client, staged, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        response = api_client.get(f"/api/v1/programs/{staged.pk}/progression/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["terms"] == [1, 3, 5]
    assert body["final_term"] == 5
    assert [
        (c["code"], c["term"], c["effective_term"], c["term_source"]) for c in body["courses"]
    ] == [
        ("A100", None, 1, "stage"),
        ("B200", 3, 3, "term"),
        ("C300", 5, 5, "term"),
    ]
    rows = {row["ability"]["code"]: row for row in body["abilities"]}
    assert rows["X1"]["required_level"] == "M"
    assert [[s["level"] for s in t["steps"]] for t in rows["X1"]["terms"]] == [["I"], [], ["M"]]
    kinds = {(f["kind"], f["ability"]["code"]): f for f in body["findings"]}
    assert set(kinds) == {
        ("single_point", "X1"),
        ("mastered_first", "X2"),
        ("level_falls", "X2"),
    }
    single = kinds[("single_point", "X1")]
    assert single["severity"] == "high"
    assert [c["code"] for c in single["courses"]] == ["C300"]
    assert "C300" in single["reason"]
    assert "(5)" in single["reason"]
    falls = kinds[("level_falls", "X2")]
    assert [c["code"] for c in falls["courses"]] == ["B200", "C300"]
    assert falls["reason"] == "B200 builds it to M in term 3, then C300 only to I in term 5."
    assert body["counts"] == {"high": 2, "medium": 1, "low": 0}


def test_a_term_patched_through_the_api_moves_the_course_and_changes_the_findings(
    staff_client, staged
):
    final = ProgrammeCourse.objects.get(programme=staged, course__code="C300")
    response = staff_client.patch(
        f"/api/v1/programs/{staged.pk}/",
        {"terms": [{"course": final.course_id, "term": 2}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    terms = {t["course"]: t for t in response.json()["terms"]}
    assert terms[final.course_id] == {"course": final.course_id, "term": 2, "effective_term": 2}
    final.refresh_from_db()
    assert (final.term, final.provenance) == (2, Provenance.EDIT)
    body = staff_client.get(f"/api/v1/programs/{staged.pk}/progression/").json()
    # Term 3 is now the last: C300's mastery in term 2 is no longer a single point of failure.
    assert "single_point" not in {f["kind"] for f in body["findings"]}
    # Cleared, the course falls back to its stage (none): it has no place in time.
    staff_client.patch(
        f"/api/v1/programs/{staged.pk}/",
        {"terms": [{"course": final.course_id, "term": None}]},
        format="json",
    )
    body = staff_client.get(f"/api/v1/programs/{staged.pk}/progression/").json()
    assert body["terms"] == [1, 3, None]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ([{"course": 1, "term": 0}], "greater than or equal to 1"),
        ([{"course": 1, "term": 21}], "less than or equal to 20"),
        ([{"course": 1}], "required"),
        ({"course": 1, "term": 2}, "list"),
        ([{"course": "abc", "term": 2}], "valid integer"),
    ],
)
def test_bad_terms_are_400s_with_field_messages(staff_client, staged, terms, message):
    response = staff_client.patch(f"/api/v1/programs/{staged.pk}/", {"terms": terms}, format="json")
    assert response.status_code == 400, response.content
    assert message in str(response.json()["terms"])


def test_a_term_for_a_course_outside_the_programme_or_twice_refuses_everything(
    staff_client, staged
):
    stranger = CourseFactory()
    inside = ProgrammeCourse.objects.filter(programme=staged).first()
    response = staff_client.patch(
        f"/api/v1/programs/{staged.pk}/",
        {"terms": [{"course": inside.course_id, "term": 4}, {"course": stranger.pk, "term": 2}]},
        format="json",
    )
    assert response.status_code == 400
    assert str(stranger.pk) in response.json()["terms"][0]
    inside.refresh_from_db()
    assert inside.term != 4
    twice = [{"course": inside.course_id, "term": 4}, {"course": inside.course_id, "term": 5}]
    response = staff_client.patch(f"/api/v1/programs/{staged.pk}/", {"terms": twice}, format="json")
    assert response.status_code == 400
    assert "two terms" in response.json()["terms"][0]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_course_outside_the_programme_is_named_by_its_code_and_id(staff_client, staged, language):
    """Observed: "Not a course of this programme: 412." named the course by its id alone,
    which a reader of the page or the API's answer does not know it by."""
    stranger = CourseFactory(code="Z900")
    response = staff_client.patch(
        f"/api/v1/programs/{staged.pk}/",
        {"terms": [{"course": stranger.pk, "term": 2}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    with translation.override(language):
        named = bracketed("Z900", gettext("id %(id)d") % {"id": stranger.pk})
    assert named in response.json()["terms"][0]


def test_staff_create_a_programme_without_certification_with_courses_terms_and_targets(
    staff_client, db
):
    track = TrackFactory()
    first, second = CourseFactory(), CourseFactory()
    position = PositionFactory()
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "name": "BSc Digital Commerce",
            "track": track.pk,
            "own_degree_level": "bachelor",
            "courses": [first.pk, second.pk],
            "target_positions": [position.pk],
            "terms": [{"course": first.pk, "term": 1}, {"course": second.pk, "term": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["certification"] is None
    assert body["degree_level"] == "bachelor"
    assert body["courses"] == [first.pk, second.pk]
    assert body["target_positions"] == [position.pk]
    assert [t["term"] for t in body["terms"]] == [1, 4]
    programme = Programme.objects.get(pk=body["id"])
    assert programme.provenance == Provenance.EDIT
    # Its coverage was computed after commit (inline without a broker), like any edit's.
    assert programme.coverage.percent is None
    readiness = staff_client.get(f"/api/v1/programs/{programme.pk}/certification-readiness/")
    assert readiness.json()["applies"] is False
    assert readiness.json()["ready"] is None


def test_two_programmes_may_share_a_certification_and_track(staff_client, db):
    existing = ProgrammeFactory()
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "name": "Minor in the same direction",
            "certification": existing.certification_id,
            "track": existing.track_id,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["degree_level"] == existing.certification.degree_level
    assert Programme.objects.filter(track=existing.track).count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        # On the field, as the admin's form says it (it was a non-field error).
        ({"name": "No level"}, "own_degree_level"),
        ({"name": "Mismatch", "own_degree_level": "master", "with_cert": True}, "own_degree_level"),
        ({"name": "Taken"}, "name"),
        ({"name": "Bad level", "own_degree_level": "doctor"}, "own_degree_level"),
        ({"name": "Bad course", "own_degree_level": "bachelor", "courses": [999999]}, "courses"),
        ({"name": "Strange track", "own_degree_level": "bachelor", "track": 999999}, "track"),
        (
            {"name": "Strange cert", "own_degree_level": "bachelor", "certification": 999999},
            "certification",
        ),
    ],
)
def test_bad_programmes_are_400s_and_write_nothing(staff_client, db, payload, field):
    ProgrammeFactory(name="Taken", certification=CertificationFactory(degree_level="bachelor"))
    track = TrackFactory()
    data = {"track": track.pk, **payload}
    if data.pop("with_cert", False):
        data["certification"] = CertificationFactory(degree_level=DegreeLevel.BACHELOR).pk
    if field == "name":
        data["own_degree_level"] = "bachelor"
    before = Programme.objects.count()
    response = staff_client.post("/api/v1/programs/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Programme.objects.count() == before


def test_anonymous_clients_cannot_create_programmes(api_client, db):
    response = api_client.post(
        "/api/v1/programs/", {"name": "x", "track": TrackFactory().pk}, format="json"
    )
    assert response.status_code in (401, 403)
    assert not Programme.objects.exists()


def test_staff_rename_a_programme_and_drop_its_certification_for_a_degree_level(staff_client, db):
    programme = ProgrammeFactory()
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"name": "Renamed", "certification": None, "own_degree_level": "master"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["degree_level"]) == ("Renamed", "master")


def test_certification_readiness_lists_what_is_missing_and_what_was_added(api_client, db):
    listed = [CourseFactory(code=f"L{n}") for n in range(3)]
    extra = CourseFactory(code="EXTRA")
    programme = ProgrammeFactory(courses=[listed[0], listed[2], extra])
    for order, course in enumerate(listed):
        CertificationCourse.objects.create(
            certification=programme.certification,
            track=programme.track,
            course=course,
            order=order,
        )
    # Another track's list is not this programme's.
    CertificationCourse.objects.create(
        certification=programme.certification, track=TrackFactory(), course=extra
    )
    body = api_client.get(f"/api/v1/programs/{programme.pk}/certification-readiness/").json()
    assert (body["applies"], body["ready"]) == (True, False)
    assert [c["code"] for c in body["listed"]] == ["L0", "L1", "L2"]
    assert [c["code"] for c in body["missing"]] == ["L1"]
    assert [c["code"] for c in body["added"]] == ["EXTRA"]


def test_the_papers_six_programmes_are_ready_for_their_certification(api_client, paper):
    for programme in Programme.objects.all():
        body = api_client.get(f"/api/v1/programs/{programme.pk}/certification-readiness/").json()
        assert (body["ready"], body["missing"], body["added"]) == (True, [], []), programme.name
        assert len(body["listed"]) == programme.programme_courses.count()


def test_the_programme_list_query_count_does_not_grow_with_terms(
    api_client, staged, django_assert_max_num_queries
):
    for _ in range(3):
        ProgrammeFactory(courses=[CourseFactory(), CourseFactory()])
    with django_assert_max_num_queries(6) as captured:
        response = api_client.get("/api/v1/programs/")
    assert response.status_code == 200
    assert all("effective_term" in t for p in response.json()["results"] for t in p["terms"])
    count = len(captured.captured_queries)
    for _ in range(5):
        ProgrammeFactory(courses=[CourseFactory()])
    with django_assert_max_num_queries(count):
        api_client.get("/api/v1/programs/")


def test_the_degree_level_filter_finds_programmes_by_their_own_level_too(api_client, db):
    bachelor = ProgrammeFactory(certification=CertificationFactory(degree_level="bachelor"))
    own = Programme.objects.create(
        name="MSc without certificate", track=TrackFactory(), own_degree_level="master"
    )
    ProgrammeFactory(certification=CertificationFactory(degree_level="master"), name="Cert MSc")
    names = {
        p["name"] for p in api_client.get("/api/v1/programs/?degree_level=master").json()["results"]
    }
    assert names == {"MSc without certificate", "Cert MSc"}
    assert own.pk not in {
        p["id"] for p in api_client.get("/api/v1/programs/?degree_level=bachelor").json()["results"]
    }
    assert bachelor.name not in names


@pytest.fixture
def mirrored(db):
    """A target requires X1 at M; the programme's courses link only Y1, an exact match of X1: an
    introduction in term 1 and the one mastery in the final term 5."""
    required_ability = AbilityFactory(code="X1", text="Plan a campaign")
    mirror = AbilityFactory(code="Y1", text="Plan campaigns")
    AbilityRelation.objects.create(
        source=mirror, target=required_ability, relation_type=RelationType.EXACT_MATCH_OF
    )
    intro, final = CourseFactory(code="A100"), CourseFactory(code="C300")
    CourseAbilityFactory(course=intro, ability=mirror, level=level("I"))
    CourseAbilityFactory(course=final, ability=mirror, level=level("M"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=required_ability, min_level=level("M"))
    programme = ProgrammeFactory(courses=[intro, final], targets=[position])
    ProgrammeCourse.objects.filter(programme=programme, course=intro).update(term=1)
    ProgrammeCourse.objects.filter(programme=programme, course=final).update(term=5)
    return programme


def test_an_ability_standing_in_for_a_requirement_is_held_to_its_level(
    api_client, mirrored, django_assert_max_num_queries
):
    """As in the coverage report, a link to an exact match serves the requirement: the single
    point of failure shows on the ability the courses build, with what it stands in for."""
    with django_assert_max_num_queries(8):
        response = api_client.get(f"/api/v1/programs/{mirrored.pk}/progression/")
    assert response.status_code == 200, response.content
    body = response.json()
    [row] = body["abilities"]
    assert row["ability"]["code"] == "Y1"
    assert row["required_level"] == "M"
    assert row["required_via"]["ability"]["code"] == "X1"
    assert row["required_via"]["relation"] == "exact match"
    assert [(f["kind"], f["ability"]["code"]) for f in body["findings"]] == [("single_point", "Y1")]
    assert "Required at M" in body["findings"][0]["reason"]


def test_without_exact_matches_in_its_rules_the_standing_in_ability_has_no_required_level(
    api_client, mirrored
):
    Programme.objects.filter(pk=mirrored.pk).update(crosswalk_exact_match=False)
    body = api_client.get(f"/api/v1/programs/{mirrored.pk}/progression/").json()
    [row] = body["abilities"]
    assert (row["required_level"], row["required_via"]) == (None, None)
    assert body["findings"] == []


def test_a_direct_requirement_stricter_than_the_crosswalk_keeps_its_own_level(api_client, mirrored):
    RequirementFactory(
        position=mirrored.targets.get().position,
        ability=AbilityRelation.objects.get().source,
        min_level=level("M"),
    )
    body = api_client.get(f"/api/v1/programs/{mirrored.pk}/progression/").json()
    [row] = body["abilities"]
    assert (row["required_level"], row["required_via"]) == ("M", None)
