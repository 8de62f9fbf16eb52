"""The supply side over /api/v1/: courses, course-ability links, programmes, CSV downloads."""

import csv
import io

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Provenance
from core.tests import openapi
from curricula import services
from curricula.models import (
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


def _csv(response, *, streamed: bool = True):
    assert response.status_code == 200
    assert response.streaming is streamed
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if streamed else response.content
    text = body.decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


# --- Course-ability links -------------------------------------------------------------------


def test_staff_link_a_course_to_an_ability_by_level_code(db, staff_client):
    course, ability = CourseFactory(), AbilityFactory()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": course.pk, "ability": ability.pk, "level": "M", "note": "final project"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["course"], body["ability"], body["level"], body["note"]) == (
        course.pk,
        ability.pk,
        "M",
        "final project",
    )
    link = CourseAbility.objects.get(pk=body["id"])
    assert (link.level.code, link.provenance) == ("M", Provenance.EDIT)


def test_duplicate_link_is_a_400_that_says_so(db, staff_client):
    link = CourseAbilityFactory()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": link.course_id, "ability": link.ability_id, "level": "I"},
    )
    assert response.status_code == 400
    assert "already has a link to this ability" in response.json()["ability"][0]
    assert CourseAbility.objects.count() == 1


def test_duplicate_link_racing_past_the_check_is_still_a_400(db, staff_client, monkeypatch):
    """When another request inserts the same link between the check and the insert, the database
    constraint fires; the client gets the same 400, not a 500."""
    link = CourseAbilityFactory()
    monkeypatch.setattr(services, "_check_link_unique", lambda **kwargs: None)
    monkeypatch.setattr(CourseAbility, "validate_constraints", lambda self, exclude=None: None)
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": link.course_id, "ability": link.ability_id, "level": "I"},
    )
    assert response.status_code == 400
    assert "already has a link to this ability" in response.json()["ability"][0]


def test_moving_a_link_onto_an_existing_pair_is_a_400(db, staff_client):
    first = CourseAbilityFactory()
    second = CourseAbilityFactory(course=first.course)
    response = staff_client.patch(
        f"/api/v1/course-abilities/{second.pk}/", {"ability": first.ability_id}
    )
    assert response.status_code == 400
    assert "ability" in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"ability": "ABILITY", "level": "M"}, "course"),
        ({"course": "abc", "ability": "ABILITY", "level": "M"}, "course"),
        ({"course": 99999999, "ability": "ABILITY", "level": "M"}, "course"),
        ({"course": "COURSE", "ability": -4, "level": "M"}, "ability"),
        ({"course": "COURSE", "ability": "ABILITY", "level": "X"}, "level"),
        ({"course": "COURSE", "ability": "ABILITY"}, "level"),
    ],
)
def test_bad_link_input_is_a_400_naming_the_field(db, staff_client, payload, field):
    course, ability = CourseFactory(), AbilityFactory()
    values = {"COURSE": course.pk, "ABILITY": ability.pk}
    payload = {key: values.get(value, value) for key, value in payload.items()}
    response = staff_client.post("/api/v1/course-abilities/", payload)
    assert response.status_code == 400
    assert field in response.json()


def test_non_json_body_is_a_400(db, staff_client):
    response = staff_client.post(
        "/api/v1/course-abilities/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_link_filters(db, api_client):
    programme_course = CourseFactory()
    programme = ProgrammeFactory(courses=[programme_course])
    in_programme = CourseAbilityFactory(course=programme_course, level=level("M"))
    other = CourseAbilityFactory(level=level("I"))

    def ids(query):
        rows = api_client.get(f"/api/v1/course-abilities/?{query}").json()["results"]
        return {row["id"] for row in rows}

    assert ids(f"program={programme.pk}") == {in_programme.pk}
    assert ids("level=M") == {in_programme.pk}
    assert ids(f"course={other.course_id}") == {other.pk}
    assert ids(f"ability={other.ability_id}") == {other.pk}
    assert ids("") == {in_programme.pk, other.pk}


def test_link_level_filter_reads_codes_as_writes_do(db, api_client):
    """`?level=m` finds the M links, as a write takes "m" for M; an unknown code is a 400."""
    master = CourseAbilityFactory(level=level("M"))
    CourseAbilityFactory(level=level("I"))

    for value in ("M", "m", " m "):
        rows = api_client.get("/api/v1/course-abilities/", {"level": value}).json()["results"]
        assert [row["id"] for row in rows] == [master.pk], value
    exported = _csv(api_client.get("/api/v1/course-abilities/export/?level=m"))
    assert [row[3] for row in exported[1:]] == ["M"]
    response = api_client.get("/api/v1/course-abilities/?level=x")
    assert response.status_code == 400
    assert "level" in response.json()


def test_link_export_is_a_streamed_csv_that_spreadsheets_cannot_run(db, api_client):
    dangerous = CourseFactory(code="=C1", title="Dangerous")
    ability = AbilityFactory(code="A1")
    CourseAbilityFactory(course=dangerous, ability=ability, level=level("M"), note="@SUM(A1)")
    CourseAbilityFactory(level=level("I"))

    rows = _csv(api_client.get("/api/v1/course-abilities/export/"))

    assert rows[0] == [
        "course",
        "framework",
        "ability",
        "level",
        "note",
        "note_zh",
        "ability_uri",
        "ability_external_id",
    ]
    assert len(rows) == 3
    (first,) = [row for row in rows[1:] if row[0] == "'=C1"]
    assert first[1:] == [str(ability.framework.identifier), "A1", "M", "'@SUM(A1)", "", "", ""]


def test_link_export_honours_the_filters(db, api_client):
    CourseAbilityFactory(level=level("M"))
    CourseAbilityFactory(level=level("I"))
    rows = _csv(api_client.get("/api/v1/course-abilities/export/?level=I"))
    assert [row[3] for row in rows[1:]] == ["I"]
    assert api_client.get("/api/v1/course-abilities/export/?course=abc").status_code == 400


def test_link_export_accepts_format_csv_and_accept_header(db, api_client):
    CourseAbilityFactory()
    assert len(_csv(api_client.get("/api/v1/course-abilities/export/?format=csv"))) == 2
    response = api_client.get("/api/v1/course-abilities/export/", HTTP_ACCEPT="text/csv")
    assert len(_csv(response)) == 2


# --- Courses -------------------------------------------------------------------------------


def test_course_credits_are_a_number_in_the_schema_and_in_every_answer(db, staff_client):
    """An LMS sends and reads credits as a JSON number: the schema said a decimal string, the
    API took a number and answered a string. Now both say number (at least 0, below 10,000),
    and what the API answers validates against what the schema says."""
    schema, _generator = openapi.generate()
    components = schema["components"]["schemas"]
    for name in ("Course", "CourseRequest", "PatchedCourseRequest", "CourseRef"):
        credits = components[name]["properties"]["credits"]
        assert credits["type"] == ["number", "null"], name
        assert credits["minimum"] == 0, name
    validator = jsonschema.Draft202012Validator(components["Course"]["properties"]["credits"])

    created = staff_client.post(
        "/api/v1/courses/", {"code": "N1", "title": "Numbers", "credits": 2.5}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/courses/{created.json()['id']}/"
    answers = [
        created.json()["credits"],
        staff_client.get(url).json()["credits"],
        staff_client.get("/api/v1/courses/").json()["results"][0]["credits"],
        staff_client.patch(url, {"credits": "4"}, format="json").json()["credits"],
    ]
    assert answers == [2.5, 2.5, 2.5, 4]
    assert all(isinstance(value, float) for value in answers)
    for value in answers:
        validator.validate(value)
    negative = staff_client.patch(url, {"credits": -1}, format="json")
    assert negative.status_code == 400
    assert "credits" in negative.json()


def test_the_course_search_reads_the_chinese_title_too(db, api_client):
    """Observed: a catalogue imported with Chinese titles (title_zh) could not be searched
    by them: ?search=跨境电商 found nothing, though the answer shows that title."""
    CourseFactory(code="ZJ201", title="Cross-border E-commerce Practice", title_zh="跨境电商实务")
    CourseFactory(code="ZJ202", title="Business Data Analysis", title_zh="商务数据分析")
    found = api_client.get("/api/v1/courses/", {"search": "跨境电商"}).json()["results"]
    assert [course["code"] for course in found] == ["ZJ201"]
    found = api_client.get("/api/v1/courses/", {"search": "practice"}).json()["results"]
    assert [course["code"] for course in found] == ["ZJ201"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("resume", ["CV1", "RES1"]),
        ("RÉSUMÉ", ["CV1", "RES1"]),
        ("ｒｅｓ１", ["RES1"]),  # noqa: RUF001
        ("cafe", ["CAFÉ2"]),
        ("ＳＱＬ", ["DB1"]),  # noqa: RUF001
        ("sql", ["DB1"]),
    ],
)
def test_the_course_search_ignores_case_accents_and_width(db, api_client, query, expected):
    """Observed: ?search=RÉSUMÉ found "Résumé writing" on PostgreSQL and not on SQLite,
    ?search=resume found it on neither, and a code typed in full width (ＲＥＳ１) found no
    RES1, though codes are stored NFKC: a substring in any case, width and accent."""  # noqa: RUF002
    CourseFactory(code="RES1", title="Résumé writing")
    CourseFactory(code="CV1", title="Plain resume")
    CourseFactory(code="CAFÉ2", title="Kaffeehaus")
    CourseFactory(code="DB1", title="Databases", title_zh="SQL数据库")
    found = api_client.get("/api/v1/courses/", {"search": query}).json()["results"]
    assert sorted(course["code"] for course in found) == expected


def test_programmes_are_searched_by_name_as_courses_and_positions_are(db, api_client):
    """A client finding a programme by its name had no filter for it (courses and positions
    have `search`), and `?name=` or `?search=` answered every programme: `search` reads the
    name and the Chinese name, in any case, width and accent, as the others' do."""
    nursing = ProgrammeFactory(name="Bachelor of Nursing", name_zh="护理学学士")
    ProgrammeFactory(name="Master of Data Science", name_zh="数据科学硕士")
    for query in ("nursing", "NÜRSING", "护理"):
        found = api_client.get("/api/v1/programs/", {"search": query}).json()["results"]
        assert [programme["id"] for programme in found] == [nursing.pk], query


def test_staff_create_change_delete_course(db, staff_client):
    response = staff_client.post(
        "/api/v1/courses/", {"code": "EC101", "title": "E-commerce basics", "credits": "3.0"}
    )
    assert response.status_code == 201, response.content
    url = f"/api/v1/courses/{response.json()['id']}/"
    assert staff_client.patch(url, {"title": "Renamed"}).json()["title"] == "Renamed"
    assert staff_client.delete(url).status_code == 204
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "TAKEN", "title": "x"}, "code"),
        ({"code": "N1", "title": ""}, "title"),
        ({"code": "N1", "title": "x", "credits": "-1"}, "credits"),
        ({"code": "N1", "title": "x", "credits": "lots"}, "credits"),
        ({"code": "N1", "title": "x", "module": 12345}, "module"),
    ],
)
def test_bad_course_input_is_a_400_naming_the_field(db, staff_client, payload, field):
    CourseFactory(code="TAKEN")
    response = staff_client.post("/api/v1/courses/", payload)
    assert response.status_code == 400
    assert field in response.json()


# --- Programmes ----------------------------------------------------------------------------


def test_programme_shows_courses_in_order_targets_and_stale_coverage(db, api_client):
    first, second = CourseFactory(), CourseFactory()
    target = PositionFactory()
    programme = ProgrammeFactory(courses=[second, first], targets=[target])
    body = api_client.get(f"/api/v1/programs/{programme.pk}/").json()
    assert body["courses"] == [second.pk, first.pk]
    assert body["target_positions"] == [target.pk]
    assert body["degree_level"] == programme.certification.degree_level
    assert body["coverage"] == {"state": "stale", "computed_at": None, "percent": None}


def test_programme_coverage_comes_from_the_coverage_record(db, api_client):
    programme = ProgrammeFactory()
    # The coverage engine may already have created the record when the programme was saved.
    ProgrammeCoverage.objects.update_or_create(
        programme=programme, defaults={"state": CoverageState.FRESH, "percent": 62.5}
    )
    coverage = api_client.get(f"/api/v1/programs/{programme.pk}/").json()["coverage"]
    assert (coverage["state"], coverage["percent"]) == ("fresh", 62.5)


def test_patch_programme_sets_courses_and_targets_as_sets(db, staff_client):
    kept, dropped, added = CourseFactory(), CourseFactory(), CourseFactory()
    programme = ProgrammeFactory(courses=[kept, dropped], targets=[PositionFactory()])
    ProgrammeCourse.objects.filter(programme=programme, course=kept).update(listed_as="Kept!")
    new_target = PositionFactory()

    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"courses": [added.pk, kept.pk], "target_positions": [new_target.pk]},
    )

    assert response.status_code == 200, response.content
    assert response.json()["courses"] == [kept.pk, added.pk]
    assert response.json()["target_positions"] == [new_target.pk]
    entries = ProgrammeCourse.objects.filter(programme=programme).order_by("order")
    assert [(e.course_id, e.listed_as) for e in entries] == [(kept.pk, "Kept!"), (added.pk, "")]
    assert list(ProgrammeTarget.objects.filter(programme=programme).values_list("position_id")) == [
        (new_target.pk,)
    ]


def test_patch_programme_with_only_targets_leaves_courses_alone(db, staff_client):
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    response = staff_client.patch(f"/api/v1/programs/{programme.pk}/", {"target_positions": []})
    assert response.status_code == 200
    assert response.json()["courses"] == [course.pk]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"courses": ["COURSE", 99999999]}, "courses"),
        ({"courses": ["COURSE", "abc"]}, "courses"),
        ({"courses": ["COURSE", -1]}, "courses"),
        ({"courses": 5}, "courses"),
        ({"courses": [], "target_positions": [99999999]}, "target_positions"),
        ({"courses": [], "target_positions": [2**70]}, "target_positions"),
    ],
)
def test_bad_programme_ids_are_a_400_and_change_nothing(db, staff_client, payload, field):
    """Even the valid part of a refused change (here: the course list) is not applied."""
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    if isinstance(payload["courses"], list):
        payload["courses"] = [course.pk if pk == "COURSE" else pk for pk in payload["courses"]]
    response = staff_client.patch(f"/api/v1/programs/{programme.pk}/", payload)
    assert response.status_code == 400
    assert field in response.json()
    assert list(programme.programme_courses.values_list("course_id", flat=True)) == [course.pk]


def test_an_empty_programme_post_is_a_400(db, staff_client):
    # A programme's DELETE: test_programme_delete.py.
    response = staff_client.post("/api/v1/programs/", {})
    assert response.status_code == 400
    assert "name" in response.json()
    # A programme need not have a track (test_programme_without_track.py).
    assert "track" not in response.json()


def test_curriculum_map_csv(db, api_client):
    """Rows are the programme's courses, columns the abilities its targets require, cells the
    level codes the courses build."""
    target = PositionFactory()
    needed_a = AbilityFactory(code="A1", text='write, and "quote"')
    needed_b = AbilityFactory(code="", text="=cmd|' /C calc'!A0")
    RequirementFactory(position=target, ability=needed_a)
    RequirementFactory(position=target, ability=needed_b)
    not_needed = AbilityFactory()
    first = CourseFactory(code="C1", title="First")
    second = CourseFactory(code="C2", title="Second")
    programme = ProgrammeFactory(name="Web, design", courses=[first, second], targets=[target])
    ProgrammeCourse.objects.filter(course=second).update(listed_as="Second as listed")
    CourseAbilityFactory(course=first, ability=needed_a, level=level("I"))
    CourseAbilityFactory(course=second, ability=needed_a, level=level("M"))
    CourseAbilityFactory(course=second, ability=needed_b, level=level("R"))
    CourseAbilityFactory(course=first, ability=not_needed, level=level("M"))

    for url in (
        f"/api/v1/programs/{programme.pk}/map/",
        f"/api/v1/programs/{programme.pk}/map.csv",
    ):
        response = api_client.get(url)
        rows = _csv(response, streamed=False)  # answered whole, with its ETag
        assert 'filename="web-design-map.csv"' in response["Content-Disposition"]
        assert rows == [
            ["course_code", "course_title", 'A1 write, and "quote"', "'=cmd|' /C calc'!A0"],
            ["C1", "First", "I", ""],
            ["C2", "Second as listed", "M", "R"],
        ]


@pytest.mark.parametrize("suffix", ["map/", "map.csv"])
def test_curriculum_map_answers_an_etag_and_304_until_the_map_changes(db, api_client, suffix):
    """A sync job polls the map as the schema says it may (If-None-Match, 304). Observed: the
    map was streamed without an ETag, so every poll downloaded it whole."""
    target = PositionFactory()
    needed = AbilityFactory(code="A1")
    RequirementFactory(position=target, ability=needed)
    course = CourseFactory(code="C1")
    programme = ProgrammeFactory(courses=[course], targets=[target])
    url = f"/api/v1/programs/{programme.pk}/{suffix}"

    first = api_client.get(url)
    etag = first["ETag"]

    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_client.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    CourseAbilityFactory(course=course, ability=needed, level=level("M"))
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999999"])
def test_curriculum_map_of_a_malformed_id_is_404(db, api_client, bad):
    assert api_client.get(f"/api/v1/programs/{bad}/map/").status_code == 404
    assert api_client.get(f"/api/v1/programs/{bad}/map.csv").status_code == 404


def test_curriculum_map_of_a_missing_programme_is_404(db, api_client):
    assert api_client.get("/api/v1/programs/424242/map.csv").status_code == 404


def test_curriculum_map_query_count_does_not_grow_with_courses(db, api_client):
    target = PositionFactory()
    abilities = [AbilityFactory() for _ in range(5)]
    for ability in abilities:
        RequirementFactory(position=target, ability=ability)
    small = ProgrammeFactory(courses=[CourseFactory() for _ in range(2)], targets=[target])
    large = ProgrammeFactory(courses=[CourseFactory() for _ in range(20)], targets=[target])
    for entry in ProgrammeCourse.objects.all():
        for ability in abilities:
            CourseAbilityFactory(course=entry.course, ability=ability)

    def consume(programme):
        assert api_client.get(f"/api/v1/programs/{programme.pk}/map.csv").status_code == 200

    with CaptureQueriesContext(connection) as few:
        consume(small)
    with CaptureQueriesContext(connection) as many:
        consume(large)
    assert len(few) == len(many)


@pytest.fixture
def programme_editor(django_user_model):
    """Staff allowed to add and change programmes (their names, descriptions, rules), and no
    more: not to add or remove a programme's courses or targets, nor to set its courses' terms."""
    from django.contrib.auth.models import Permission
    from rest_framework.test import APIClient

    user = django_user_model.objects.create_user(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="curricula",
            codename__in=["view_programme", "add_programme", "change_programme"],
        )
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("change", "needed"),
    [
        ({"courses": ["KEPT", "NEW"]}, "add_programmecourse"),
        ({"courses": []}, "delete_programmecourse"),
        ({"target_positions": ["KEPT", "NEW"]}, "add_programmetarget"),
        ({"target_positions": []}, "delete_programmetarget"),
        ({"terms": [{"course": "KEPT", "term": 3}]}, "change_programmecourse"),
    ],
)
def test_a_programme_editor_without_its_rows_permissions_cannot_change_its_courses_or_targets(
    db, programme_editor, change, needed
):
    """As in the admin (its inlines) and the what-if's apply: a programme's courses, targets and
    terms are rows of their own, each written with its own permission; changing the programme
    alone does not grant them."""
    course, target = CourseFactory(), PositionFactory()
    new_course, new_target = CourseFactory(), PositionFactory()
    programme = ProgrammeFactory(courses=[course], targets=[target])
    ids = {
        "courses": {"KEPT": course.pk, "NEW": new_course.pk},
        "target_positions": {"KEPT": target.pk, "NEW": new_target.pk},
    }
    body = {}
    for field, value in change.items():
        if field == "terms":
            body[field] = [{"course": course.pk, "term": 3}]
        else:
            body[field] = [ids[field][key] for key in value]

    response = programme_editor.patch(f"/api/v1/programs/{programme.pk}/", body, format="json")

    assert response.status_code == 403, response.content
    assert needed in response.json()["detail"]
    assert list(programme.programme_courses.values_list("course_id", "term")) == [(course.pk, None)]
    assert list(programme.targets.values_list("position_id", flat=True)) == [target.pk]


def test_a_programme_editor_may_still_rename_and_send_back_unchanged_courses(db, programme_editor):
    """What the editor may do is not refused: its own fields, and a PUT-like body carrying the
    courses, targets and terms as they are."""
    course, target = CourseFactory(), PositionFactory()
    programme = ProgrammeFactory(courses=[course], targets=[target])
    response = programme_editor.patch(
        f"/api/v1/programs/{programme.pk}/",
        {
            "name": "Renamed",
            "courses": [course.pk],
            "target_positions": [target.pk],
            "terms": [{"course": course.pk, "term": None}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Renamed"


def test_a_programme_editor_cannot_create_a_programme_with_courses_or_targets(db, programme_editor):
    track = TrackFactory()
    response = programme_editor.post(
        "/api/v1/programs/",
        {
            "name": "New",
            "track": track.pk,
            "own_degree_level": "bachelor",
            "courses": [CourseFactory().pk],
        },
        format="json",
    )
    assert response.status_code == 403, response.content
    assert not Programme.objects.filter(name="New").exists()

    response = programme_editor.post(
        "/api/v1/programs/",
        {"name": "New", "track": track.pk, "own_degree_level": "bachelor"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_deleting_a_course_takes_the_delete_permission_of_its_links(db, django_user_model):
    """Observed: DELETE /courses/{id}/ with delete_course alone deleted the course's links too,
    where the admin refuses it to an account that may not delete links."""
    from django.contrib.auth.models import Permission
    from rest_framework.test import APIClient

    from curricula.models import Course, CourseAbility
    from curricula.tests.factories import CourseAbilityFactory

    linked = CourseAbilityFactory().course
    bare = CourseFactory()
    user = django_user_model.objects.create_user(username="deleter", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="delete_course"))
    client = APIClient()
    client.force_authenticate(user)

    refused = client.delete(f"/api/v1/courses/{linked.pk}/")
    alone = client.delete(f"/api/v1/courses/{bare.pk}/")

    assert refused.status_code == 403, refused.content
    assert "course-ability link" in refused.json()["detail"]
    assert Course.objects.filter(pk=linked.pk).exists()
    assert CourseAbility.objects.filter(course=linked).exists()
    assert alone.status_code == 204


def test_a_programmes_chinese_name_is_written_through_the_api(db, staff_client):
    """Observed: POST /api/v1/programs/ with `name_zh` answered 201 and dropped it (the field was
    read-only), so a client could not give a programme the Chinese name the pages show."""
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "name": "Cross-border e-commerce",
            "name_zh": "跨境电商",
            "track": TrackFactory().pk,
            "own_degree_level": "bachelor",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["name_zh"] == "跨境电商"
    programme = Programme.objects.get(pk=response.json()["id"])
    assert programme.name_zh == "跨境电商"

    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"name_zh": "跨境电子商务"}, format="json"
    )
    assert response.status_code == 200, response.json()
    programme.refresh_from_db()
    assert programme.name_zh == "跨境电子商务"


def test_the_schema_promises_no_304_for_the_streamed_link_export(db, api_client):
    """The link export is streamed row by row (75,000 links and more: held whole it would cost
    the worker their size in memory), so it has no ETag and If-None-Match cannot be answered
    304. Observed: the schema listed If-None-Match and 304 for it, as for every GET, so a
    client polling it waited for a 304 that never came. The curriculum map, answered whole with
    its ETag, keeps both."""
    from core.tests import openapi

    schema = openapi.generate()[0]
    answer = api_client.get("/api/v1/course-abilities/export/", HTTP_IF_NONE_MATCH='"x"')
    assert answer.streaming
    assert "ETag" not in answer
    export = [path for path in schema["paths"] if "/course-abilities/export" in path]
    assert export
    for path in export:
        operation = schema["paths"][path]["get"]
        assert "304" not in operation["responses"], path
        names = [parameter["name"] for parameter in operation.get("parameters", [])]
        assert "If-None-Match" not in names, path
    curriculum_map = schema["paths"]["/api/v1/programs/{id}/map/"]["get"]
    assert "304" in curriculum_map["responses"]
    assert "If-None-Match" in [parameter["name"] for parameter in curriculum_map["parameters"]]
