"""The review queue synced as the other lists are (README, "Syncing only what changed"): a
dashboard mirroring review progress reads the suggestions with `updated_since` (paging by
`after_id`) and `deletions/?resource=suggestions`, and keeps the `Sync-Watermark`. Observed
before: `?updated_since=` was a 400 (an unknown parameter), a suggestion had no update time, so a
decision, a skip or a regeneration's new scores could only be seen by reading the whole queue
again, and a suggestion a regeneration dropped or a course's deletion took was in no feed."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.test import APIClient

from curricula.models import Suggestion, SuggestionStatus
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, PositionFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

pytestmark = pytest.mark.django_db

PAGE = 3  # small, so the list is paged by after_id
MAX_PAGES = 100  # far more than these tests' queues fill
EPOCH = "1970-01-01T00:00:00Z"
LISTS = ("/api/v1/suggestions/", "/api/v1/courses/{course}/suggestions/")


class QueueMirror:
    """A dashboard's copy of the review queue, kept as the README tells a client to keep the
    other lists: `updated_since` from the last row read (then `after_id`), and the deletions
    since its previous sync began."""

    def __init__(self, client):
        self.client = client
        self.rows: dict[int, dict] = {}
        self.mark = EPOCH
        self.began: str | None = None

    def _get(self, path: str, query: dict) -> list[dict]:
        response = self.client.get(path, query)
        assert response.status_code == 200, (path, query, response.content)
        assert response.headers.get("Sync-Watermark"), (path, query)
        return response.json()["results"]

    def sync(self) -> None:
        began = timezone.now().isoformat()
        query = {"updated_since": self.mark, "page_size": PAGE}
        for _page in range(MAX_PAGES):
            rows = self._get("/api/v1/suggestions/", query)
            for row in rows:
                self.rows[row["id"]] = row
            if rows:
                self.mark = rows[-1]["updated_at"]
            if len(rows) < PAGE:
                break
            query = {**query, "updated_since": self.mark, "after_id": rows[-1]["id"]}
        else:
            pytest.fail("the sync's pages never end: a row past after_id is read again")
        if self.began is not None:
            query = {"since": self.began, "resource": "suggestions", "page_size": PAGE}
            while True:
                rows = self._get("/api/v1/deletions/", query)
                for row in rows:
                    assert row["resource"] == "suggestions"
                    self.rows.pop(row["id"], None)
                if len(rows) < PAGE:
                    break
                last = rows[-1]
                query = {
                    **query,
                    "since": last["deleted_at"],
                    "after_resource": last["resource"],
                    "after_id": last["id"],
                }
        self.began = began

    def differences(self) -> list[str]:
        response = self.client.get("/api/v1/suggestions/", {"page_size": 1000})
        fresh = {row["id"]: row for row in response.json()["results"]}
        found = []
        for pk in sorted(set(fresh) | set(self.rows)):
            old, new = self.rows.get(pk), fresh.get(pk)
            if old is None or new is None:
                found.append(f"{pk}: {'missing' if old is None else 'not deleted'}")
            elif old != new:
                fields = sorted(key for key in new if old.get(key) != new[key])
                found.append(f"{pk}: " + ", ".join(fields))
        return found


def test_a_mirror_of_the_review_queue_follows_decisions_regenerations_and_deletions(
    staff_client, staff_user
):
    framework, abilities = small_framework()
    courses = [database_course(code=f"DB{n}") for n in range(3)]
    ids = [course.pk for course in courses]
    services.suggestions_generate(course_ids=ids, framework=framework)
    assert Suggestion.objects.count() > PAGE
    mirror = QueueMirror(staff_client)
    mirror.sync()
    assert mirror.differences() == []

    first, second = Suggestion.objects.filter(course=courses[0]).order_by("pk")
    third = Suggestion.objects.filter(course=courses[2]).order_by("pk").first()
    services.suggestion_accept(suggestion=first, user=staff_user, level=level("R"))
    services.suggestion_reject(suggestion=second, user=staff_user)
    services.suggestion_skip(suggestion=third)
    mirror.sync()
    assert mirror.differences() == []
    decided = {row["id"]: row for row in mirror.rows.values() if row["decided_by"]}
    assert {first.pk, second.pk} <= set(decided)
    assert decided[second.pk]["status"] == SuggestionStatus.REJECTED

    # An ability's text, shown in each of its suggestions, changes.
    ability = abilities["WEB"]
    ability.text = "build web applications"
    ability.save()
    mirror.sync()
    assert mirror.differences() == []

    # Regenerating keeps one per course: the other pending ones are dropped, the kept ones
    # rewritten in place.
    dropped_before = Suggestion.objects.pending().count()
    services.suggestions_generate(course_ids=ids, framework=framework, k=1)
    assert Suggestion.objects.pending().count() < dropped_before
    mirror.sync()
    assert mirror.differences() == []

    # A course's deletion takes its suggestions; an ability's its own.
    courses[1].delete()
    abilities["DB"].delete()
    mirror.sync()
    assert mirror.differences() == []


@pytest.mark.parametrize("path", LISTS)
def test_each_suggestions_list_takes_updated_since_and_answers_a_watermark(staff_client, path):
    old = SuggestionFactory()
    url = path.format(course=old.course_id)
    since = timezone.now()
    new = SuggestionFactory(course=old.course)
    response = staff_client.get(url, {"updated_since": since.isoformat()})
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [new.pk]
    assert response.json()["results"][0]["updated_at"]
    assert response.headers["Sync-Watermark"]
    naive = staff_client.get(url, {"updated_since": "2026-01-31T08:00:00"})
    assert naive.status_code == 400
    assert "updated_since" in naive.json()


def test_a_positions_suggestions_list_takes_updated_since(staff_client):
    position = PositionFactory()
    old = SuggestionFactory(course=None, position=position)
    since = timezone.now()
    services.suggestion_skip(suggestion=old)
    response = staff_client.get(
        f"/api/v1/positions/{position.pk}/suggestions/", {"updated_since": since.isoformat()}
    )
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [old.pk]


def _stamped_since(suggestion: Suggestion, since) -> bool:
    return Suggestion.objects.get(pk=suggestion.pk).updated_at >= since


def test_every_write_stamps_the_update_time(staff_user, django_user_model):
    """A skip, a decision, a regeneration's rewrite (a bulk UPDATE, no save), a move of its
    ability to another framework (QuerySet.update) and its decider's deletion (SET_NULL)."""
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    first, second = Suggestion.objects.filter(course=course).order_by("pk")[:2]
    assert first.updated_at >= first.created_at

    since = timezone.now()
    services.suggestion_skip(suggestion=second)
    assert _stamped_since(second, since)
    assert not _stamped_since(first, since)

    since = timezone.now()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert _stamped_since(first, since), "a regenerated pending suggestion"

    decider = django_user_model.objects.create_user(username="decider", password="p")
    since = timezone.now()
    services.suggestion_reject(suggestion=first, user=decider)
    assert _stamped_since(first, since)

    since = timezone.now()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert not _stamped_since(first, since), "a decided one is left as it is"

    since = timezone.now()
    decider.delete()
    assert Suggestion.objects.get(pk=first.pk).decided_by is None
    assert _stamped_since(first, since), "its decider deleted"

    since = timezone.now()
    moved = Suggestion.objects.get(pk=second.pk).ability
    moved.framework = AbilityFactory().framework
    moved.save()
    assert _stamped_since(second, since), "its ability moved to another framework"


def test_a_regeneration_records_the_suggestions_it_drops(staff_client):
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    before = set(Suggestion.objects.values_list("pk", flat=True))
    since = timezone.now()
    services.suggestions_generate(course_ids=[course.pk], framework=framework, k=1)
    gone = before - set(Suggestion.objects.values_list("pk", flat=True))
    assert gone
    response = staff_client.get("/api/v1/deletions/", {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    listed = {row["id"] for row in response.json()["results"] if row["resource"] == "suggestions"}
    assert listed == gone


def _client_with(django_user_model, *codenames, username):
    user = django_user_model.objects.create_user(username=username, password="p", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_suggestion_deletions_are_shown_only_to_who_may_read_those_suggestions(
    api_client, django_user_model
):
    course_one = SuggestionFactory()
    position_one = SuggestionFactory(course=None, position=PositionFactory())
    since = timezone.now().isoformat()
    course_id, position_id = course_one.pk, position_one.pk
    course_one.course.delete()
    position_one.position.delete()

    def listed(client, **query):
        response = client.get("/api/v1/deletions/", {"since": since, **query})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"] if row["resource"] == "suggestions"}

    assert listed(api_client) == set()
    assert listed(api_client, resource="suggestions") == set()
    links = _client_with(django_user_model, "add_courseability", username="links")
    assert listed(links) == {course_id}
    requirements = _client_with(django_user_model, "add_requirement", username="requirements")
    assert listed(requirements, resource="suggestions") == {position_id}
    from curricula.models import SuggestionDeletion

    assert SuggestionDeletion.objects.count() == 2


def test_a_sync_page_reads_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    since = timezone.now().isoformat()
    course = CourseFactory()
    SuggestionFactory.create_batch(2, course=course)
    query = {"updated_since": since, "page_size": 100}
    for path in ("/api/v1/suggestions/", f"/api/v1/courses/{course.pk}/suggestions/"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert staff_client.get(path, query).status_code == 200
        SuggestionFactory.create_batch(20, course=course)
        with django_assert_max_num_queries(len(few)):
            response = staff_client.get(path, query)
        assert response.status_code == 200
        assert len(response.json()["results"]) >= 22


def test_the_schema_says_the_queue_syncs(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/suggestions/",
        "/api/v1/courses/{course_pk}/suggestions/",
        "/api/v1/positions/{position_pk}/suggestions/",
    ):
        operation = schema["paths"][path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"updated_since", "after_id"} <= names, path
        assert "Sync-Watermark" in operation["responses"]["200"].get("headers", {}), path
    assert "updated_at" in schema["components"]["schemas"]["Suggestion"]["required"]
    resource = schema["paths"]["/api/v1/deletions/"]["get"]["parameters"]
    enum = next(p for p in resource if p["name"] == "resource")["schema"]["enum"]
    assert "suggestions" in enum


def test_the_migration_dates_each_stored_suggestion_by_its_latest_known_change(staff_user):
    """Rows stored before the update time existed got the migration's time: each gets its
    decision's, its skip's or its creation's instead."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("curricula.migrations.0048_suggestion_updated_at_backfill")
    decided, skipped, untouched = SuggestionFactory.create_batch(3)
    services.suggestion_reject(suggestion=decided, user=staff_user)
    services.suggestion_skip(suggestion=skipped)
    Suggestion.objects.update(updated_at=timezone.now() + timezone.timedelta(days=1))
    migration.backfill_suggestion_updated_at(apps, None)
    rows = {row.pk: row for row in Suggestion.objects.all()}
    assert rows[decided.pk].updated_at == rows[decided.pk].decided_at
    assert rows[skipped.pk].updated_at == rows[skipped.pk].skipped_at
    assert rows[untouched.pk].updated_at == rows[untouched.pk].created_at


def test_suggestions_deleted_in_the_admin_are_in_the_feed(admin_client):
    """The admin's delete page and its *Delete selected* action, the doors that delete a
    suggestion by hand."""
    from django.urls import reverse

    one, two, three = SuggestionFactory.create_batch(3)
    since = timezone.now().isoformat()
    changelist = reverse("admin:curricula_suggestion_changelist")
    selected = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
    )
    assert selected.status_code == 302
    single = admin_client.post(
        reverse("admin:curricula_suggestion_delete", args=[three.pk]), {"post": "yes"}
    )
    assert single.status_code == 302
    assert not Suggestion.objects.exists()
    response = admin_client.get("/api/v1/deletions/", {"since": since, "resource": "suggestions"})
    assert {row["id"] for row in response.json()["results"]} == {one.pk, two.pk, three.pk}


def test_a_mirror_drops_a_pending_suggestion_settled_elsewhere_and_gets_it_back_when_undone(
    staff_client,
):
    """A pending suggestion whose pair is linked by hand (a course's), required by hand (a
    position's) or whose ability is retired leaves the lists: observed before, it was in no
    feed and its update time did not change, so a mirror kept it pending until the next
    generation. The link made by a bulk path (bulk_create, no signals) as the map editor's
    change sets and the imports make it; undoing each brings the suggestion back."""
    from curricula.models import CourseAbility
    from positions.models import Ability, Requirement

    course = CourseFactory()
    position = PositionFactory()
    linked, bulk_linked, retired, kept = SuggestionFactory.create_batch(4, course=course)
    required = SuggestionFactory(course=None, position=position)
    mirror = QueueMirror(staff_client)
    mirror.sync()
    mirror.sync()
    assert mirror.differences() == []

    link = CourseAbility.objects.create(course=course, ability=linked.ability, level=level("R"))
    CourseAbility.objects.bulk_create(
        [CourseAbility(course=course, ability=bulk_linked.ability, level=level("M"))]
    )
    requirement = Requirement.objects.create(
        position=position, ability=required.ability, min_level=level("M")
    )
    ability = Ability.objects.get(pk=retired.ability_id)
    ability.retired = True
    ability.save()
    mirror.sync()
    assert mirror.differences() == []
    assert set(mirror.rows) == {kept.pk}

    link.delete()
    requirement.delete()
    ability.retired = False
    ability.save()
    mirror.sync()
    assert mirror.differences() == []
    assert set(mirror.rows) == {kept.pk, linked.pk, required.pk, retired.pk}


def test_a_mirror_follows_the_map_editors_change_sets_and_their_undo(staff_client):
    """The map editor writes links in bulk, without signals: a cell set drops the pair's
    pending suggestion from a mirror, a cell cleared (or its set undone) brings it back."""
    from curricula import services as curricula_services
    from curricula.selectors.maps import CellInput
    from curricula.tests.factories import ProgrammeFactory
    from positions.tests.factories import RequirementFactory

    course, position = CourseFactory(), PositionFactory()
    suggestion, kept = SuggestionFactory.create_batch(2, course=course)
    RequirementFactory(position=position, ability=suggestion.ability)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    mirror = QueueMirror(staff_client)
    mirror.sync()

    def cell(code: str) -> str:
        return curricula_services.programme_map_change(
            programme=programme, cells=[CellInput(course.pk, suggestion.ability_id, code)]
        ).token

    cell("M")
    mirror.sync()
    assert set(mirror.rows) == {kept.pk}
    cell("")
    mirror.sync()
    assert mirror.differences() == []
    assert set(mirror.rows) == {kept.pk, suggestion.pk}
    cell("R")
    mirror.sync()
    assert set(mirror.rows) == {kept.pk}
    curricula_services.programme_map_undo(token=cell(""))
    mirror.sync()
    assert set(mirror.rows) == {kept.pk}, "the undo made the link again"
    cell("")
    curricula_services.programme_map_undo(token=cell("I"))
    mirror.sync()
    assert set(mirror.rows) == {kept.pk, suggestion.pk}, "the undo deleted the link"
    assert mirror.differences() == []
