"""Incremental sync over /api/v1/: an integrator (an LMS) fetches only what changed since its last
sync. Every list of a model with an update time shows it (`updated_at`) and takes
`?updated_since=`, oldest change first; `deletions/?since=` says which records of those lists
are gone; `history/` takes `?since=` and reads oldest first for staff who replay changes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from certifications.models import TrainingStage
from certifications.tests.factories import CertificationFactory
from core.models import DegreeLevel
from core.tests.openapi import generate
from curricula.models import CertificationCourse, Course, ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, Level, RelationType, TrackAlias
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def _level():
    rank = (Level.objects.order_by("-rank").values_list("rank", flat=True).first() or 0) + 1
    return Level.objects.create(code=f"L{rank}", name=f"Level {rank}", rank=rank)


# The lists whose model has an update time: every synced list.
SYNCED = {
    "levels": _level,
    "tracks": lambda: TrackFactory(),
    "competency-areas": lambda: CompetencyAreaFactory(),
    "frameworks": lambda: FrameworkFactory(),
    "abilities": lambda: AbilityFactory(),
    "ability-relations": lambda: AbilityRelation.objects.create(
        source=AbilityFactory(), target=AbilityFactory(), relation_type=RelationType.IS_RELATED_TO
    ),
    "positions": lambda: PositionFactory(),
    "requirements": lambda: RequirementFactory(),
    "courses": lambda: CourseFactory(),
    "course-abilities": lambda: CourseAbilityFactory(),
    "certifications": lambda: CertificationFactory(),
    "programs": lambda: ProgrammeFactory(),
}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _later(when):
    """A moment after `when` that the clock has passed: stamps are to the microsecond, and two
    writes in one test may share a millisecond on some platforms."""
    while timezone.now() <= when:
        pass
    return timezone.now()


def test_a_client_syncing_twice_gets_only_what_changed_and_what_was_deleted(api_client):
    kept, edited, gone = CourseFactory(), CourseFactory(), CourseFactory()
    first = api_client.get("/api/v1/courses/")
    assert {row["id"] for row in first.json()["results"]} == {kept.pk, edited.pk, gone.pk}
    # The client's watermark: the latest change it has seen.
    watermark = max(row["updated_at"] for row in first.json()["results"])
    _later(timezone.now())

    edited.title = "Renamed"
    edited.save()
    created = CourseFactory()
    gone_id = gone.pk
    gone.delete()

    changed = api_client.get("/api/v1/courses/", {"updated_since": watermark})
    # Oldest change first; the untouched course is not sent again.
    assert _ids(changed) == [edited.pk, created.pk]
    assert changed.json()["results"][0]["title"] == "Renamed"
    deleted = api_client.get("/api/v1/deletions/", {"since": watermark})
    assert deleted.status_code == 200, deleted.content
    rows = deleted.json()["results"]
    assert [(row["resource"], row["id"]) for row in rows] == [("courses", gone_id)]
    assert datetime.fromisoformat(rows[0]["deleted_at"]) >= datetime.fromisoformat(watermark)


def test_updated_at_is_iso_8601_and_read_only(staff_client):
    course = CourseFactory()
    body = staff_client.get(f"/api/v1/courses/{course.pk}/").json()
    assert datetime.fromisoformat(body["updated_at"]) == course.updated_at
    response = staff_client.patch(
        f"/api/v1/courses/{course.pk}/", {"updated_at": "2000-01-01T00:00:00Z"}
    )
    course.refresh_from_db()
    assert course.updated_at.year != 2000, response.content


@pytest.mark.parametrize("endpoint", SYNCED)
def test_every_synced_list_answers_only_what_changed_since(api_client, endpoint):
    old = SYNCED[endpoint]()
    since = _later(old.updated_at)
    new = SYNCED[endpoint]()
    every = api_client.get(f"/api/v1/{endpoint}/", {"page_size": 1000}).json()["results"]
    assert all("updated_at" in row for row in every)
    ids = _ids(api_client.get(f"/api/v1/{endpoint}/", {"updated_since": since.isoformat()}))
    assert new.pk in ids
    assert old.pk not in ids


@pytest.mark.parametrize("endpoint", SYNCED)
@pytest.mark.parametrize(
    "bad", ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01T10:00:00", "1", "2026-01-01"]
)
def test_a_bad_or_naive_updated_since_is_a_400_naming_the_field(api_client, endpoint, bad):
    response = api_client.get(f"/api/v1/{endpoint}/", {"updated_since": bad})
    assert response.status_code == 400, response.content
    messages = response.json()["updated_since"]
    assert messages
    assert all(isinstance(message, str) and message for message in messages)


def test_updated_since_takes_any_time_zone(api_client):
    course = CourseFactory()
    local = course.updated_at.astimezone(timezone.get_fixed_timezone(8 * 60))
    assert _ids(api_client.get("/api/v1/courses/", {"updated_since": local.isoformat()})) == [
        course.pk
    ]
    later = (course.updated_at + timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert _ids(api_client.get("/api/v1/courses/", {"updated_since": later})) == []


def test_an_offset_the_database_cannot_store_is_read_as_the_instant_it_names(api_client):
    """Found by the schema fuzzer on PostgreSQL: `?updated_since=0208-11-18T06:49:37-21:22` was a
    500 ("time zone displacement out of range": PostgreSQL takes offsets up to 15:59, Python up
    to 23:59). The time is the same instant in UTC; one no date holds there is a 400."""
    course = CourseFactory()
    far = course.updated_at.astimezone(timezone.get_fixed_timezone(-(21 * 60 + 22)))
    assert _ids(api_client.get("/api/v1/courses/", {"updated_since": far.isoformat()})) == [
        course.pk
    ]
    old = api_client.get("/api/v1/programs/", {"updated_since": "0208-11-18T06:49:37-21:22"})
    assert old.status_code == 200
    for edge in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"):
        for path, name in (
            ("/api/v1/courses/", "updated_since"),
            ("/api/v1/deletions/", "since"),
        ):
            response = api_client.get(path, {name: edge})
            assert response.status_code == 400, (path, edge, response.content)
            assert response.json()[name]


def test_a_position_changes_when_its_placements_or_requirements_do(api_client):
    """A position embeds its placements and requirements: a change to them, a deletion
    included, is a change of the position for a sync."""
    position = PositionFactory()
    placement = PlacementFactory(position=position)
    requirement = RequirementFactory(position=position)
    since = _later(max(position.updated_at, placement.updated_at, requirement.updated_at))
    query = {"updated_since": since.isoformat()}
    assert _ids(api_client.get("/api/v1/positions/", query)) == []
    requirement.delete()
    body = api_client.get("/api/v1/positions/", query).json()
    assert [row["id"] for row in body["results"]] == [position.pk]
    assert datetime.fromisoformat(body["results"][0]["updated_at"]) >= since


def test_a_renamed_level_is_seen_by_a_polling_client(api_client):
    """Observed: levels had no update time, so a client polling with updated_since never saw a
    level renamed by staff (the list took no updated_since, and answered every level)."""
    renamed, kept = Level.objects.get(code="M"), Level.objects.get(code="I")
    since = _later(timezone.now())
    renamed.name = "Mastery"
    renamed.save()
    body = api_client.get("/api/v1/levels/", {"updated_since": since.isoformat()}).json()
    assert [row["code"] for row in body["results"]] == ["M"]
    assert body["results"][0]["name"] == "Mastery"
    assert datetime.fromisoformat(body["results"][0]["updated_at"]) >= since
    assert kept.code not in [row["code"] for row in body["results"]]


def test_a_track_changes_when_its_aliases_do_a_deletion_included(api_client):
    """Observed: a track lists its aliases, but an alias deleted (or added, or renamed) left
    the track's update time as it was, so a polling client kept the old aliases for ever
    (aliases had no history to date a deletion by)."""
    track = TrackFactory()
    alias = TrackAlias.objects.create(track=track, name="Technological development")
    TrackFactory()  # unchanged since
    since = _later(timezone.now())
    query = {"updated_since": since.isoformat()}
    assert _ids(api_client.get("/api/v1/tracks/", query)) == []
    alias.delete()
    body = api_client.get("/api/v1/tracks/", query).json()
    assert [row["id"] for row in body["results"]] == [track.pk]
    assert body["results"][0]["aliases"] == []
    assert datetime.fromisoformat(body["results"][0]["updated_at"]) >= since
    later = _later(timezone.now())
    TrackAlias.objects.create(track=track, name="R&D")
    assert _ids(api_client.get("/api/v1/tracks/", {"updated_since": later.isoformat()})) == [
        track.pk
    ]


def _changed_since(api_client, endpoint, since) -> list[int]:
    return _ids(api_client.get(f"/api/v1/{endpoint}/", {"updated_since": since.isoformat()}))


def test_a_record_changes_when_a_record_it_names_is_renamed(api_client):
    """Found by the mirror test (test_sync_mirror): a list row shows fields of other records (a
    placement's track name, a requirement's ability text, a certification's listed courses and
    their tracks), whose edits left the row's update time as it was, so a polling client kept
    the old name for ever."""
    position = PositionFactory()
    placement = PlacementFactory(position=position)
    requirement = RequirementFactory(position=position)
    certification = CertificationFactory()
    listed = CertificationCourse.objects.create(
        certification=certification, track=TrackFactory(), course=CourseFactory()
    )
    PositionFactory(), RequirementFactory(), CertificationFactory()  # unchanged since

    since = _later(timezone.now())
    placement.track.name = "Renamed track"
    placement.track.save()
    assert _changed_since(api_client, "positions", since) == [position.pk]

    since = _later(timezone.now())
    requirement.ability.text = "Reworded"
    requirement.ability.save()
    assert _changed_since(api_client, "positions", since) == [position.pk]
    assert _changed_since(api_client, "requirements", since) == [requirement.pk]

    for record in (listed.course, listed.track):
        since = _later(timezone.now())
        record.save()
        assert _changed_since(api_client, "certifications", since) == [certification.pk]


def test_a_certification_changes_with_the_courses_of_the_programme_it_shows(api_client):
    """A certification listing no courses for a track shows its programme's there: a course
    added to that programme, or renamed, changes the certification."""
    programme = ProgrammeFactory(courses=[CourseFactory()])
    since = _later(timezone.now())
    added = ProgrammeCourse.objects.create(programme=programme, course=CourseFactory(), order=5)
    assert _changed_since(api_client, "certifications", since) == [programme.certification_id]
    since = _later(timezone.now())
    added.course.title = "Renamed"
    added.course.save()
    assert _changed_since(api_client, "certifications", since) == [programme.certification_id]


def test_a_programme_changes_with_its_certification_and_its_courses_stages(api_client):
    """A programme shows its certification's degree level and each course's term, which falls
    back to the course's training stage's place."""
    stage = TrainingStage.objects.create(code="S1", name="Stage", order=7)
    course = CourseFactory(stage=stage)
    programme = ProgrammeFactory(courses=[course])
    ProgrammeFactory()  # unchanged since
    since = _later(timezone.now())
    stage.order = 8
    stage.save()
    assert _changed_since(api_client, "programs", since) == [programme.pk]
    since = _later(timezone.now())
    programme.certification.degree_level = DegreeLevel.MASTER
    programme.certification.save()
    assert _changed_since(api_client, "programs", since) == [programme.pk]


def test_a_record_whose_reference_a_deletion_clears_has_changed(api_client):
    """Found by the mirror test: deleting an area, a framework or a training stage clears the
    foreign key of the abilities, areas or courses pointing to it (SET_NULL, a bulk UPDATE),
    which left their update times as they were: a polling client kept the old reference."""
    ability = AbilityFactory()
    area = CompetencyAreaFactory(framework=FrameworkFactory())
    stage = TrainingStage.objects.create(code="S1", name="Stage", order=7)
    course = CourseFactory(stage=stage)
    AbilityFactory(), CompetencyAreaFactory(), CourseFactory()  # unchanged since
    for record, endpoint, changed in (
        (ability.area, "abilities", ability),
        (area.framework, "competency-areas", area),
        (stage, "courses", course),
    ):
        since = _later(timezone.now())
        record.delete()
        body = api_client.get(f"/api/v1/{endpoint}/", {"updated_since": since.isoformat()})
        assert _ids(body) == [changed.pk], endpoint
        changed.refresh_from_db()
        assert changed.updated_at >= since


def test_a_programme_changes_when_its_courses_do(api_client):
    programme = ProgrammeFactory(courses=[CourseFactory()])
    ProgrammeFactory(courses=[CourseFactory()])  # unchanged since
    since = _later(timezone.now())
    ProgrammeCourse.objects.create(programme=programme, course=CourseFactory(), order=5)
    query = {"updated_since": since.isoformat()}
    assert _ids(api_client.get("/api/v1/programs/", query)) == [programme.pk]


def test_deletions_list_only_records_still_gone_and_take_a_resource(api_client, staff_client):
    course, framework = CourseFactory(), FrameworkFactory()
    since = _later(timezone.now())
    course_id, framework_id = course.pk, framework.pk
    course.delete()
    framework.delete()
    rows = api_client.get("/api/v1/deletions/", {"since": since.isoformat()}).json()["results"]
    assert {(row["resource"], row["id"]) for row in rows} == {
        ("courses", course_id),
        ("frameworks", framework_id),
    }
    only = api_client.get(
        "/api/v1/deletions/", {"since": since.isoformat(), "resource": "frameworks"}
    )
    assert [row["id"] for row in only.json()["results"]] == [framework_id]
    # A deletion undone is no deletion for a sync: the course is back, with a new update time.
    record = Course.history.filter(id=course_id, history_type="-").get()
    revert = staff_client.post(f"/api/v1/history/course/{record.history_id}/revert/")
    assert revert.status_code == 200, revert.content
    rows = api_client.get("/api/v1/deletions/", {"since": since.isoformat()}).json()["results"]
    assert [row["resource"] for row in rows] == ["frameworks"]
    assert course_id in _ids(
        api_client.get("/api/v1/courses/", {"updated_since": since.isoformat()})
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "soon"}, "since"),
        ({"since": "2026-01-01T00:00:00"}, "since"),
        ({"resource": "modules"}, "resource"),
    ],
)
def test_bad_deletions_parameters_are_a_400_naming_the_field(api_client, query, field):
    response = api_client.get("/api/v1/deletions/", query)
    assert response.status_code == 400, response.content
    assert response.json()[field]


def test_deletions_cost_the_same_queries_for_any_page_size(api_client, django_assert_num_queries):
    for _ in range(5):
        CourseFactory().delete()
        TrackFactory().delete()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(size):
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/api/v1/deletions/", {"page_size": size}).status_code == 200
        return len(captured)

    assert count(2) == count(10)


def test_a_deletions_page_not_full_is_its_own_count(api_client):
    """A poll's page 1 holds every row when it is not full: the rows are read first and counted
    as read, where a COUNT compiled the feed's UNION (its suggestions part the costliest SQL of
    the API to build) a second time. A full page is counted, and read once."""
    for _ in range(3):
        CourseFactory().delete()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def read(query):
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get("/api/v1/deletions/", query)
        assert response.status_code == 200, response.content
        feed = [q["sql"] for q in captured if "resource_rank" in q["sql"]]
        return response.json(), feed

    answer, feed = read({"page_size": 5})
    assert (answer["count"], len(answer["results"]), answer["next"]) == (3, 3, None)
    assert len(feed) == 1
    assert "COUNT(" not in feed[0]
    answer, feed = read({"page_size": 2})
    assert (answer["count"], len(answer["results"])) == (3, 2)
    assert answer["next"]
    assert len(feed) == 2
    answer, feed = read({"page_size": 2, "page": 2})
    assert (answer["count"], len(answer["results"]), answer["next"]) == (3, 1, None)


def test_history_takes_since_and_reads_oldest_first(staff_client):
    course = CourseFactory()
    since = _later(course.updated_at)
    course.title = "One"
    course.save()
    course.title = "Two"
    course.save()
    query = {"model": "course", "since": since.isoformat(), "ordering": "date"}
    rows = staff_client.get("/api/v1/history/", query).json()["results"]
    assert [row["after"]["title"] for row in rows] == ["One", "Two"]
    newest = staff_client.get("/api/v1/history/", {"model": "course"}).json()["results"]
    assert [row["type"] for row in newest] == ["changed", "changed", "created"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "later"}, "since"),
        ({"since": "2026-01-01"}, "since"),
        ({"ordering": "x"}, "ordering"),
    ],
)
def test_bad_history_parameters_are_a_400_naming_the_field(staff_client, query, field):
    response = staff_client.get("/api/v1/history/", {"model": "course", **query})
    assert response.status_code == 400, response.content
    assert response.json()[field]


def test_the_schema_documents_the_sync_parameters_and_fields():
    schema, _generator = generate()
    paths = schema["paths"]
    for endpoint in SYNCED:
        operation = paths[f"/api/v1/{endpoint}/"]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert parameters["updated_since"]["schema"]["format"] == "date-time", endpoint
        assert parameters["updated_since"]["description"], endpoint
        component = operation["responses"]["200"]["content"]["application/json"]["schema"]
        page = schema["components"]["schemas"][component["$ref"].rsplit("/", 1)[1]]
        item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]
        field = schema["components"]["schemas"][item]["properties"]["updated_at"]
        assert field["format"] == "date-time", endpoint
        assert field["readOnly"], endpoint
    deletions = {p["name"] for p in paths["/api/v1/deletions/"]["get"]["parameters"]}
    assert {"since", "resource"} <= deletions
    history = {p["name"] for p in paths["/api/v1/history/"]["get"]["parameters"]}
    assert {"since", "ordering"} <= history


def test_a_sync_pages_by_its_last_row_and_skips_nothing_when_records_change_meanwhile(
    api_client,
):
    """Page numbers shift when a record read on an earlier page changes (it moves to the end)
    or goes: a sync pages by the last row it read instead (updated_since and after_id), which
    holds however many records share one update time (a bulk write stamps them all alike)."""
    courses = CourseFactory.create_batch(5)
    stamp = timezone.now()
    Course.objects.filter(pk__in=[c.pk for c in courses]).update(updated_at=stamp)
    seen, query = [], {"updated_since": "1970-01-01T00:00:00Z", "page_size": 2}
    while True:
        rows = api_client.get("/api/v1/courses/", query).json()["results"]
        seen += [row["id"] for row in rows]
        if len(seen) == 2:
            # Meanwhile: the first course read changes, another is deleted.
            courses[0].title = "Changed"
            courses[0].save()
            Course.objects.filter(pk=seen[1]).delete()
        if len(rows) < 2:
            break
        query = {**query, "updated_since": rows[-1]["updated_at"], "after_id": rows[-1]["id"]}
    # Every course read, the changed one again at the end; none skipped.
    assert seen == [c.pk for c in courses] + [courses[0].pk]


def test_after_id_needs_updated_since(api_client):
    response = api_client.get("/api/v1/courses/", {"after_id": 3})
    assert response.status_code == 400
    assert response.json()["after_id"]


def test_after_id_with_another_ordering_is_a_400_naming_ordering(api_client):
    """Observed: `?updated_since=…&after_id=…&ordering=title` was answered, in title order, the
    rows past the named one in the sync's order: paging on from each page's last row skipped
    some courses and read others twice, without a word."""
    CourseFactory.create_batch(3)
    query = {"updated_since": "1970-01-01T00:00:00Z", "after_id": 1}

    response = api_client.get("/api/v1/courses/", {**query, "ordering": "title"})

    assert response.status_code == 400
    assert "after_id" in response.json()["ordering"][0]
    # Left out, or empty, the sync's own order is kept.
    assert api_client.get("/api/v1/courses/", {**query, "ordering": ""}).status_code == 200
    assert api_client.get("/api/v1/courses/", query).status_code == 200


def _updated_at(api_client, endpoint: str, query: str = "") -> dict[int, str]:
    response = api_client.get(f"/api/v1/{endpoint}/?page_size=1000{query}")
    assert response.status_code == 200, response.content
    return {row["id"]: row["updated_at"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ["positions", "programs", "certifications"])
def test_a_plain_page_shows_the_update_time_a_sync_filters_by(api_client, endpoint):
    """A plain page of positions, programmes or certifications computes the part of the update
    time that joins many rows (a position's requirements' abilities) for its own records only,
    once it is known: measured, the list's query computed it for every record it sorted and
    skipped too, and cost the positions list a third of its time (BENCHMARKS.md). What it shows
    is what `?updated_since=` compares, after every kind of change the time follows."""
    stage = TrainingStage.objects.create(code="S9", name="Stage", order=9)
    course = CourseFactory(stage=stage)
    programme = ProgrammeFactory(courses=[course, CourseFactory()])
    CertificationCourse.objects.create(
        certification=programme.certification, track=TrackFactory(), course=CourseFactory()
    )
    position = PositionFactory()
    placement = PlacementFactory(position=position)
    requirement = RequirementFactory(position=position)
    RequirementFactory(position=position)
    PositionFactory(), ProgrammeFactory(), CertificationFactory()  # untouched
    since = "&updated_since=1970-01-01T00:00:00Z"

    for change in (
        lambda: None,
        lambda: requirement.ability.save(),
        lambda: placement.track.save(),
        lambda: course.save(),
        lambda: stage.save(),
        lambda: programme.certification.save(),
    ):
        _later(timezone.now())
        change()
        plain = _updated_at(api_client, endpoint)
        assert plain == _updated_at(api_client, endpoint, since)
        assert len(plain) >= 2


@pytest.mark.parametrize("endpoint", ["positions", "programs", "certifications"])
def test_a_plain_page_s_update_times_cost_the_same_queries_for_any_page_size(
    api_client, endpoint, django_assert_max_num_queries
):
    for _ in range(2):
        ProgrammeFactory(courses=[CourseFactory()])
        RequirementFactory(position=PlacementFactory().position)
    api_client.get(f"/api/v1/{endpoint}/?page_size=2")  # caches warmed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        api_client.get(f"/api/v1/{endpoint}/?page_size=1")
    for _ in range(8):
        ProgrammeFactory(courses=[CourseFactory(), CourseFactory()])
        RequirementFactory(position=PlacementFactory().position)
    with django_assert_max_num_queries(len(small.captured_queries)):
        api_client.get(f"/api/v1/{endpoint}/?page_size=1000")


def _deletions_page(client, query) -> list[dict]:
    response = client.get("/api/v1/deletions/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_deletions_page_by_their_last_row_and_skip_nothing_when_one_is_restored_meanwhile(
    api_client, staff_client
):
    """Observed: deletions/ paged by page number, and a deletion on an earlier page undone (a
    revert) while a sync read the later ones moved every row up by one: `?page=2` answered the
    third deletion, and the second was never read (the next sync starts after it). Paged by its
    last row (since its deleted_at, after its resource and id), a sync reads each one."""
    since = _later(timezone.now())
    courses = [CourseFactory() for _ in range(3)]
    ids = [course.pk for course in courses]
    for course in courses:
        course.delete()
    query = {"since": since.isoformat(), "page_size": 1}
    (first,) = _deletions_page(api_client, query)
    assert (first["resource"], first["id"]) == ("courses", ids[0])
    record = Course.history.filter(id=ids[0], history_type="-").get()
    revert = staff_client.post(f"/api/v1/history/course/{record.history_id}/revert/")
    assert revert.status_code == 200, revert.content

    read, last = [], first
    while True:
        query = {
            "since": last["deleted_at"],
            "after_resource": last["resource"],
            "after_id": last["id"],
            "page_size": 1,
        }
        rows = _deletions_page(api_client, query)
        read += [row["id"] for row in rows]
        if len(rows) < 1:
            break
        last = rows[-1]
    assert read == ids[1:]


def test_deletions_after_a_row_skip_the_rows_sharing_its_time_up_to_it(api_client):
    """Deletions in one statement share one time: after_resource and after_id go past the
    rows up to the one named, in the list's order (time, resource, id), and no further."""
    since = _later(timezone.now())
    courses = [CourseFactory() for _ in range(3)]
    tracks = [TrackFactory() for _ in range(2)]
    from core.history import history_bulk_write

    history_bulk_write(model=Course, delete=courses)
    history_bulk_write(model=type(tracks[0]), delete=tracks)
    everything = _deletions_page(api_client, {"since": since.isoformat()})
    assert [row["resource"] for row in everything] == ["courses"] * 3 + ["tracks"] * 2
    middle = everything[1]
    rest = _deletions_page(
        api_client,
        {"since": middle["deleted_at"], "after_resource": "courses", "after_id": middle["id"]},
    )
    assert rest == everything[2:]
    # A resource sorting between the two, at the tracks' time: the tracks after it, all of them.
    tracks_time = everything[3]["deleted_at"]
    after_positions = _deletions_page(
        api_client, {"since": tracks_time, "after_resource": "positions", "after_id": 1}
    )
    assert after_positions == everything[3:]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after_id": 3, "after_resource": "courses"}, "since"),
        ({"since": "2026-01-01T00:00:00Z", "after_id": 3}, "after_resource"),
        ({"since": "2026-01-01T00:00:00Z", "after_resource": "courses"}, "after_id"),
        (
            {"since": "2026-01-01T00:00:00Z", "after_resource": "modules", "after_id": 3},
            "after_resource",
        ),
        ({"since": "2026-01-01T00:00:00Z", "after_resource": "courses", "after_id": 0}, "after_id"),
        (
            {"since": "2026-01-01T00:00:00Z", "after_resource": "courses", "after_id": "x"},
            "after_id",
        ),
    ],
)
def test_bad_deletion_paging_parameters_are_a_400_naming_the_field(api_client, query, field):
    response = api_client.get("/api/v1/deletions/", query)
    assert response.status_code == 400, response.content
    assert response.json()[field]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (str(2**63), "That identifier is too large to exist."),
        ("0", "Identifiers are positive whole numbers."),
        ("x", "Enter a whole number that identifies a record."),
    ],
)
def test_deletions_after_id_is_refused_as_every_list_refuses_an_id(api_client, value, message):
    """Observed: deletions/ answered an after_id past 64 bits "Ensure this value is less than or
    equal to 9223372036854775807.", where courses/ (and every other list) answers "That
    identifier is too large to exist." (core.api.filters.IdFormField)."""
    since = "2026-01-01T00:00:00Z"
    listed = api_client.get("/api/v1/courses/", {"updated_since": since, "after_id": value})
    assert listed.json()["after_id"] == [message]
    query = {"since": since, "after_resource": "courses", "after_id": value}
    response = api_client.get("/api/v1/deletions/", query)
    assert response.status_code == 400, response.content
    assert response.json()["after_id"] == [message]


def test_a_time_written_in_lower_case_is_read_as_rfc_3339_allows(api_client):
    """RFC 3339 (5.6) lets the T and the Z be written in lower case, as some clients format a
    watermark; it was a 400 on updated_since and on the deletions' since."""
    course = CourseFactory()
    since = course.updated_at.astimezone(UTC).isoformat().replace("+00:00", "z").replace("T", "t")
    assert course.pk in _ids(api_client.get("/api/v1/courses/", {"updated_since": since}))
    deletions = api_client.get("/api/v1/deletions/", {"since": since})
    assert deletions.status_code == 200, deletions.content


def test_the_feed_answers_the_same_narrowed_or_not():
    """deletions/ computes when a settled suggestion left only for those that may have left
    since `since` (Suggestion.objects.left_since); the narrowing must never change the answer.
    Here a suggestion's course has a link changed since and its ability another (a crossing
    that is not its own pair's change), its own pair's link unchanged, so it left before
    `since`; and one whose own link changed since. Position suggestions alike. The benchmark
    (benchmarks/bench_deletions.py) compares the two ways on 20,000 pending suggestions."""
    from unittest import mock

    from audit.selectors import deletion_list
    from curricula.models import CourseAbility, Suggestion, SuggestionQuerySet
    from positions.models import Ability, Requirement
    from positions.tests.factories import AbilityFactory, PositionFactory, level
    from suggestions.tests.factories import SuggestionFactory

    first, second = CourseFactory(), CourseFactory()
    position, other = PositionFactory(), PositionFactory()
    x, y = AbilityFactory(), AbilityFactory()
    SuggestionFactory(course=first, ability=x)
    own = SuggestionFactory(course=first, ability=y)
    SuggestionFactory(course=None, position=position, ability=x)
    own_required = SuggestionFactory(course=None, position=position, ability=y)
    for course, ability in ((first, x), (first, y), (second, x)):
        CourseAbility.objects.create(course=course, ability=ability, level=level("R"))
    for owner, ability in ((position, x), (position, y), (other, x)):
        Requirement.objects.create(position=owner, ability=ability, min_level=level("M"))
    now = timezone.now()
    for model in (Suggestion, Ability, CourseAbility, Requirement):
        model.objects.update(updated_at=now - timedelta(days=30))
    CourseAbility.objects.exclude(course=first, ability=x).update(updated_at=now)
    Requirement.objects.exclude(position=position, ability=x).update(updated_at=now)

    for since in (now - timedelta(minutes=1), now - timedelta(days=60)):
        answer = list(deletion_list(since=since, suggestions_of={True, False}))
        with mock.patch.object(SuggestionQuerySet, "left_since", lambda self, since: self):
            assert list(deletion_list(since=since, suggestions_of={True, False})) == answer
        assert len(answer) == (2 if since > now - timedelta(days=1) else 4)
    assert {
        row["id"]
        for row in deletion_list(since=now - timedelta(minutes=1), suggestions_of={True, False})
    } == {own.pk, own_required.pk}


def test_when_a_settled_suggestion_left_is_read_without_sorting_its_pair():
    """`left_at` reads the update time of a suggestion's link and requirement, one row at most
    (a pair is unique): a subquery sorted by the model's default ordering sorted it for every
    suggestion read, and cost compiling an ORDER BY into each, twice in a poll's SQL."""
    from curricula.models import Suggestion

    sql = str(Suggestion.objects.settled_elsewhere().order_by().query)
    assert sql.count("LIMIT 1") >= 2  # the link's and the requirement's time
    assert "ORDER BY" not in sql


@pytest.mark.parametrize(
    ("path", "name"), [("/api/v1/courses/", "updated_since"), ("/api/v1/deletions/", "since")]
)
def test_a_date_without_a_time_is_asked_for_a_date_and_time(api_client, path, name):
    """`?updated_since=2026-01-31` was told "Give the time zone too: Z for UTC...", and
    2026-01-31Z, which that asks for, is no ISO 8601 time either: a date alone is asked for
    a date and time, with examples."""
    response = api_client.get(path, {name: "2026-01-31"})
    assert response.status_code == 400
    [message] = response.json()[name]
    assert "2026-01-31T08:00:00Z" in message
    assert api_client.get(path, {name: "2026-01-31Z"}).json()[name] == [message]
    assert api_client.get(path, {name: "2026-01-31T00:00:00Z"}).status_code == 200
