"""A sync's watermark: `Sync-Watermark`, on a synced list read with `?updated_since=` and on
`deletions/`, is where the next sync resumes from. A change's time is taken when its row is
written, not when its transaction commits: an import writing for minutes in one transaction
shows rows stamped from its start only when it commits, after a client may have read past them
("the latest updated_at seen, a minute earlier" then skipped them for ever)."""

import os
import threading
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from conftest import skip_or_fail
from core.selectors import SYNC_WATERMARK_EPOCH, SYNC_WATERMARK_MARGIN, sync_watermark
from core.tests.openapi import generate
from curricula.models import Course
from curricula.tests.factories import CourseFactory

EPOCH = "1970-01-01T00:00:00Z"
# How far into the import the client syncs: longer than the README's old margin of a minute.
INTO_THE_IMPORT = timedelta(minutes=2)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class OpenTransaction:
    """`write` run in a transaction of another connection (a thread's), held open until the
    block ends, then committed: an import still writing while a client syncs."""

    def __init__(self, write):
        self.write = write
        self.written = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            with transaction.atomic():
                self.write()
                self.written.set()
                assert self.release.wait(30), "the test never let the transaction commit"
        except BaseException as error:
            self.error = error
        finally:
            self.written.set()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.written.wait(30)
        assert self.error is None, self.error
        return self

    def __exit__(self, *exc_info):
        self.release.set()
        self.thread.join(30)
        assert self.error is None, self.error


@pytest.fixture
def two_connections(transactional_db):
    if connection.vendor != "postgresql":
        skip_or_fail("a second connection's open transaction needs PostgreSQL (DATABASE_URL=...)")


def _rename(course_id: int) -> None:
    course = Course.objects.get(pk=course_id)
    course.title = "Imported"
    course.save()  # stamped now, as an import stamps each row it writes


def test_a_client_resuming_from_the_watermark_gets_a_row_a_long_transaction_commits_late(
    two_connections, api_client
):
    imported, edited = CourseFactory(), CourseFactory()
    with OpenTransaction(lambda: _rename(imported.pk)):
        # Two minutes into the import, another course is edited, and commits.
        Course.objects.filter(pk=edited.pk).update(
            title="Edited", updated_at=timezone.now() + INTO_THE_IMPORT
        )
        during = api_client.get("/api/v1/courses/", {"updated_since": EPOCH})
        # The import's row is not committed: the client sees the old one.
        rows = {row["id"]: row for row in during.json()["results"]}
        assert rows[imported.pk]["title"] != "Imported"
        latest_seen = max(datetime.fromisoformat(row["updated_at"]) for row in rows.values())
        watermark = during.get("Sync-Watermark")

    # The README's old recipe: the latest updated_at seen, a minute earlier. The import's
    # row, stamped before that, is never delivered.
    old_recipe = (latest_seen - timedelta(minutes=1)).isoformat()
    assert imported.pk not in _ids(
        api_client.get("/api/v1/courses/", {"updated_since": old_recipe})
    )
    # Resuming from the watermark delivers it.
    assert watermark is not None, "a synced list answers no Sync-Watermark"
    resumed = api_client.get("/api/v1/courses/", {"updated_since": watermark})
    assert imported.pk in _ids(resumed)
    assert {row["id"]: row["title"] for row in resumed.json()["results"]}[imported.pk] == "Imported"


def test_a_client_resuming_deletions_from_the_watermark_gets_one_a_long_transaction_commits_late(
    two_connections, api_client
):
    gone, other = CourseFactory(), CourseFactory()
    gone_id, other_id = gone.pk, other.pk
    with OpenTransaction(lambda: Course.objects.get(pk=gone_id).delete()):
        # Two minutes into the import, the client begins a sync; another deletion committed.
        began = timezone.now() + INTO_THE_IMPORT
        other.delete()
        Course.history.filter(id=other_id, history_type="-").update(history_date=began)
        during = api_client.get("/api/v1/deletions/", {"since": EPOCH})
        assert [row["id"] for row in during.json()["results"]] == [other_id]
        watermark = during.get("Sync-Watermark")

    # The README's old recipe: from when the previous sync began, a minute earlier.
    old_recipe = (began - timedelta(minutes=1)).isoformat()
    missed = api_client.get("/api/v1/deletions/", {"since": old_recipe}).json()["results"]
    assert gone_id not in [row["id"] for row in missed]
    assert watermark is not None, "deletions/ answers no Sync-Watermark"
    resumed = api_client.get("/api/v1/deletions/", {"since": watermark}).json()["results"]
    assert ("courses", gone_id) in [(row["resource"], row["id"]) for row in resumed]


def test_a_history_replay_resuming_from_the_watermark_gets_a_change_committed_late(
    two_connections, staff_client
):
    imported, edited = CourseFactory(), CourseFactory()
    with OpenTransaction(lambda: _rename(imported.pk)):
        # Two minutes into the import, another course's change is recorded, and commits.
        edited.title = "Edited"
        edited.save()
        Course.history.filter(id=edited.pk, title="Edited").update(
            history_date=timezone.now() + INTO_THE_IMPORT
        )
        query = {"model": "course", "since": EPOCH, "ordering": "date", "page_size": 1000}
        during = staff_client.get("/api/v1/history/", query)
        assert during.status_code == 200, during.content
        latest_seen = max(datetime.fromisoformat(row["date"]) for row in during.json()["results"])
        watermark = during.get("Sync-Watermark")

    def renamed(since) -> bool:
        response = staff_client.get("/api/v1/history/", {**query, "since": since})
        assert response.status_code == 200, response.content
        return any(
            row["object_id"] == imported.pk and row["type"] == "changed"
            for row in response.json()["results"]
        )

    assert not renamed((latest_seen - timedelta(minutes=1)).isoformat())
    assert watermark is not None, "history/ answers no Sync-Watermark"
    assert renamed(watermark)


def test_the_watermark_is_the_oldest_open_transaction_s_start_less_the_margin(two_connections):
    before = timezone.now()
    with OpenTransaction(lambda: CourseFactory()):
        held = sync_watermark()
        assert before - SYNC_WATERMARK_MARGIN - timedelta(seconds=5) < held
        assert held <= before - SYNC_WATERMARK_MARGIN + timedelta(seconds=5)
    # Nothing open any more: the watermark moves on to now, less the margin.
    assert sync_watermark() > held


@pytest.mark.django_db
def test_the_watermark_costs_one_query(django_assert_num_queries):
    CourseFactory()
    with django_assert_num_queries(1):
        sync_watermark()


def _histories():
    return [
        model
        for model in apps.get_models()
        if any(field.name == "history_date" for field in model._meta.concrete_fields)
    ]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's own watermark")
def test_on_sqlite_the_watermark_does_not_pass_the_latest_committed_change():
    """One writer at a time: what a writer open now stamps is later than everything committed,
    not than now (an import begun an hour ago from the command line)."""
    CourseFactory()
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for model in _histories():
        model.objects.update(history_date=an_hour_ago)
    assert sync_watermark() == an_hour_ago - SYNC_WATERMARK_MARGIN
    for model in _histories():
        model.objects.all().delete()
    assert sync_watermark() == SYNC_WATERMARK_EPOCH


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/courses/", {"updated_since": EPOCH}),
        ("/api/v1/deletions/", {}),
        ("/api/v1/history/", {"model": "course"}),
    ],
)
def test_a_sync_s_answer_carries_a_watermark_before_it_was_read(staff_client, path, query):
    CourseFactory().delete()
    CourseFactory()
    before = timezone.now()
    response = staff_client.get(path, query)
    assert response.status_code == 200, response.content
    watermark = datetime.fromisoformat(response["Sync-Watermark"])
    assert watermark.utcoffset() == timedelta(0)
    assert before - SYNC_WATERMARK_MARGIN - timedelta(seconds=5) < watermark
    assert watermark <= timezone.now() - SYNC_WATERMARK_MARGIN + timedelta(seconds=5)
    # It is a time the list takes back.
    key = "updated_since" if "updated_since" in query else "since"
    again = staff_client.get(path, {**query, key: response["Sync-Watermark"]})
    assert again.status_code == 200, again.content


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai"])
def test_the_watermark_is_in_utc_whatever_the_site_s_zone(staff_client, settings, zone):
    """The README promises the header in UTC (a client keeps it and compares it as text);
    with DJANGO_TIME_ZONE=America/New_York it came as 2026-12-06T05:03:39.211449-05:00."""
    settings.TIME_ZONE = zone
    CourseFactory()
    response = staff_client.get("/api/v1/courses/", {"updated_since": EPOCH})
    header = response["Sync-Watermark"]
    assert header.endswith("Z"), header
    assert datetime.fromisoformat(header) <= timezone.now()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/courses/", {}),
        ("/api/v1/courses/", {"updated_since": "yesterday"}),
        ("/api/v1/deletions/", {"since": "yesterday"}),
    ],
)
def test_a_read_that_is_no_sync_or_refused_carries_no_watermark(api_client, path, query):
    response = api_client.get(path, query)
    assert "Sync-Watermark" not in response


@pytest.fixture
def unprivileged_role(two_connections):
    """A role of its own, which may not read when other roles' transactions began (not in
    pg_read_all_stats), dropped afterwards."""
    role = f"sync_watermark_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f'DROP ROLE "{role}"')


def test_a_writer_whose_start_this_role_may_not_read_keeps_the_watermark_at_the_clients_since(
    unprivileged_role, caplog
):
    since = timezone.now() - timedelta(days=3)
    with OpenTransaction(lambda: CourseFactory()):
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{unprivileged_role}"')
        assert sync_watermark(since=since) == since
        assert sync_watermark() == SYNC_WATERMARK_EPOCH
        assert "pg_read_all_stats" in caplog.text
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        # The role that may read it dates the writer.
        assert sync_watermark(since=since) > since


def test_the_schema_documents_the_watermark_on_every_sync_read():
    schema, _ = generate()
    documented = {
        path
        for path, operations in schema["paths"].items()
        if "Sync-Watermark"
        in operations.get("get", {}).get("responses", {}).get("200", {}).get("headers", {})
    }
    synced = {
        "tracks",
        "competency-areas",
        "frameworks",
        "abilities",
        "ability-relations",
        "levels",
        "positions",
        "requirements",
        "courses",
        "course-abilities",
        "certifications",
        "programs",
        "deletions",
        "history",
        "suggestions",
        "courses/{course_pk}/suggestions",
        "positions/{position_pk}/suggestions",
    }
    assert documented == {f"/api/v1/{name}/" for name in synced}


def test_a_browser_application_on_another_origin_may_read_the_watermark(db, api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    response = api_client.get(
        "/api/v1/courses/", {"updated_since": EPOCH}, HTTP_ORIGIN="https://app.example.org"
    )
    assert "Sync-Watermark" in response
    exposed = [name.strip() for name in response["Access-Control-Expose-Headers"].split(",")]
    assert "Sync-Watermark" in exposed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [("/api/v1/courses/", {"updated_since": EPOCH}), ("/api/v1/deletions/", {})],
)
def test_a_304_to_a_sync_s_poll_carries_the_watermark_too(api_client, path, query):
    """A client polling with If-None-Match moves on while nothing changed."""
    CourseFactory().delete()
    CourseFactory()
    first = api_client.get(path, query)
    again = api_client.get(path, query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert datetime.fromisoformat(again["Sync-Watermark"]) >= datetime.fromisoformat(
        first["Sync-Watermark"]
    )


def test_a_dashboard_resuming_the_review_queue_from_the_watermark_gets_a_late_regeneration(
    two_connections, staff_client
):
    """The review queue's sync holds to the same watermark: a regeneration still writing while
    a dashboard syncs rescores and drops suggestions stamped before what the dashboard reads
    meanwhile, and delivers them when resumed from the watermark, not from the latest seen."""
    from curricula.models import Suggestion
    from suggestions import services
    from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    kept, dropped = Suggestion.objects.filter(course=course).order_by("-score")[:2]
    other = SuggestionFactory()

    def regenerate() -> None:
        services.suggestions_generate(course_ids=[course.pk], framework=framework, k=1)

    with OpenTransaction(regenerate):
        # Two minutes into the regeneration, a reviewer's change to another one commits.
        Suggestion.objects.filter(pk=other.pk).update(
            skipped_at=timezone.now(), updated_at=timezone.now() + INTO_THE_IMPORT
        )
        during = staff_client.get("/api/v1/suggestions/", {"updated_since": EPOCH})
        rows = {row["id"]: row for row in during.json()["results"]}
        assert dropped.pk in rows
        latest_seen = max(datetime.fromisoformat(row["updated_at"]) for row in rows.values())
        watermark = during.get("Sync-Watermark")

    old_recipe = (latest_seen - timedelta(minutes=1)).isoformat()
    assert kept.pk not in _ids(
        staff_client.get("/api/v1/suggestions/", {"updated_since": old_recipe})
    )
    assert watermark is not None
    assert kept.pk in _ids(staff_client.get("/api/v1/suggestions/", {"updated_since": watermark}))
    deleted = staff_client.get("/api/v1/deletions/", {"since": watermark}).json()["results"]
    assert ("suggestions", dropped.pk) in [(row["resource"], row["id"]) for row in deleted]
