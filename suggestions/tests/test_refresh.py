"""Background refresh: changed course text or a changed framework regenerates suggestions after
commit, once per burst."""

from unittest import mock

import pytest
from django.core.cache import cache

from curricula import services as curricula_services
from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.models import Ability
from suggestions import services
from suggestions.signals import schedule_refresh
from suggestions.tasks import refresh_lock_key
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def test_editing_a_courses_text_refreshes_its_suggestions_after_commit(
    django_capture_on_commit_callbacks,
):
    framework, abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        curricula_services.course_update(
            course=course,
            title="Marketing",
            description="",
            outcomes="Plan digital marketing campaigns on social media",
        )
    assert len(callbacks) >= 1
    best = Suggestion.objects.filter(course=course).order_by("rank").first()
    assert best.ability == abilities["MKT"]


def test_editing_a_courses_chinese_title_refreshes_its_suggestions(
    django_capture_on_commit_callbacks,
):
    # A course is ranked by its Chinese title too (against abilities' Chinese statements).
    framework, abilities = small_framework()
    Ability.objects.filter(pk=abilities["LOG"].pk).update(text_zh="管理跨境物流")
    Ability.objects.filter(pk=abilities["MKT"].pk).update(text_zh="策划数字营销活动")
    course = CourseFactory(title="Course 7", title_zh="跨境物流")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert Suggestion.objects.get(course=course).ability == abilities["LOG"]
    with django_capture_on_commit_callbacks(execute=True):
        curricula_services.course_update(course=course, title_zh="数字营销")
    assert Suggestion.objects.get(course=course).ability == abilities["MKT"]


def test_a_credits_edit_does_not_refresh(django_capture_on_commit_callbacks):
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        curricula_services.course_update(course=course, credits=5)
    enqueue.assert_not_called()


def test_a_burst_of_edits_enqueues_one_refresh(django_capture_on_commit_callbacks):
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        curricula_services.course_update(course=course, title="Databases I")
        curricula_services.course_update(course=course, title="Databases II")
    assert enqueue.call_count == 1
    assert enqueue.call_args.kwargs["kwargs"]["course_ids"] == [course.pk]
    # A later edit while that refresh still waits rides on it: the lock is held.
    with mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as again:
        schedule_refresh(course_ids={course.pk})
    again.assert_not_called()


def test_a_rolled_back_edit_enqueues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        try:
            with transaction.atomic():
                curricula_services.course_update(course=course, title="Gone")
                raise RuntimeError
        except RuntimeError:
            pass
    enqueue.assert_not_called()


def test_changing_a_ranked_framework_refreshes_its_courses(django_capture_on_commit_callbacks):
    from positions.tests.factories import AbilityFactory

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with django_capture_on_commit_callbacks(execute=True):
        new = AbilityFactory(
            framework=framework,
            code="SQL",
            short_name="write SQL queries on a relational database schema",
            text="write SQL queries on a relational database schema",
        )
    assert Suggestion.objects.filter(course=course, ability=new).exists()


def test_the_refresh_task_releases_its_locks_first():
    from django.core.cache import cache

    from suggestions.tasks import refresh_suggestions

    cache.add(refresh_lock_key("course", 99), 1)
    refresh_suggestions.apply(kwargs={"course_ids": [99]})
    assert cache.get(refresh_lock_key("course", 99)) is None


def _case_package(tmp_path, name, items):
    """A CASE package of one framework whose items are (identifier suffix, code, statement)."""
    import json

    doc = "33333333-aaaa-4aaa-8aaa-000000000001"

    def item(n, code, text):
        ident = f"33333333-aaaa-4aaa-8aaa-0000000000{n}"
        return {
            "identifier": ident,
            "uri": f"https://c.example/{ident}",
            "fullStatement": text,
            "humanCodingScheme": code,
        }

    path = tmp_path / name
    path.write_text(
        json.dumps(
            {
                "CFDocument": {"identifier": doc, "uri": f"https://c.example/{doc}", "title": "C"},
                "CFItems": [item(*row) for row in items],
                "CFAssociations": [],
            }
        )
    )
    return path


_DB = (12, "C.3", "Design a relational database schema with keys")
_OTHERS = [(10, "C.1", "Negotiate freight rates"), (11, "C.2", "Plan social media campaigns")]


@pytest.fixture
def imported_framework(tmp_path, settings, django_capture_on_commit_callbacks):
    from positions.importers import framework_import
    from positions.models import Ability

    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(
            path=_case_package(tmp_path, "v1.json", [*_OTHERS, _DB]), format="case"
        ).ok
    db = Ability.objects.get(code="C.3")
    return db.framework, db


def test_an_import_that_only_retires_an_ability_refreshes_its_framework(
    imported_framework, tmp_path, django_capture_on_commit_callbacks
):
    """Observed: a re-import whose only change was a dropped ability sent no change signal, so
    the ranked framework's suggestions kept the retired ability in a slot of the top k."""
    from positions.importers import framework_import

    framework, db = imported_framework
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert Suggestion.objects.filter(course=course, ability=db).exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(path=_case_package(tmp_path, "v2.json", _OTHERS), format="case")
    assert report.changes["retired"] == 1
    assert not Suggestion.objects.filter(course=course, ability=db).exists()


def test_an_import_that_only_restores_an_ability_refreshes_its_framework(
    imported_framework, tmp_path, django_capture_on_commit_callbacks
):
    """Observed: an ability listed again came back from retirement, but the courses ranked while
    it was retired were never offered it (nothing refreshed them)."""
    from positions.importers import framework_import

    framework, db = imported_framework
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(path=_case_package(tmp_path, "v2.json", _OTHERS), format="case").ok
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert not Suggestion.objects.filter(course=course, ability=db).exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(
            path=_case_package(tmp_path, "v3.json", [*_OTHERS, _DB]), format="case"
        )
    assert report.changes["restored"]["count"] == 1
    assert Suggestion.objects.filter(course=course, ability=db).pending().exists()


def test_an_import_that_rewords_a_positions_description_refreshes_its_suggestions(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    """Observed: an ESCO re-import whose occupation now says what the job is about rewrote the
    position's description in bulk (no model signal), so its suggestions stayed those ranked
    from the old text until someone ran `manage.py suggest --refresh`."""
    import shutil
    from pathlib import Path

    from positions.importers import framework_import
    from positions.models import Position

    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    source = tmp_path / "esco"
    shutil.copytree(Path(__file__).parents[2] / "positions/tests/fixtures/esco_v12", source)
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(path=source, format="esco").ok
    framework, abilities = small_framework()
    clerk = Position.objects.get(name="export clerk")
    services.suggestions_generate(position_ids=[clerk.pk], framework=framework)
    assert not Suggestion.objects.filter(position=clerk, ability=abilities["NEG"]).exists()

    occupations = source / "occupations_en.csv"
    occupations.write_text(
        occupations.read_text(encoding="utf-8").replace(
            "Export clerks prepare shipping documents.",
            "Export clerks negotiate contracts and terms of sale with foreign buyers.",
        ),
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(path=source, format="esco").ok
    assert Suggestion.objects.filter(position=clerk, ability=abilities["NEG"]).pending().exists()


def test_editing_a_positions_alternative_labels_refreshes_its_suggestions(
    django_capture_on_commit_callbacks,
):
    """Observed: a position is ranked by its name, its alternative labels (`extra`'s altLabels,
    as an ESCO import keeps them; editable in the admin) and its description, but only a name
    or description edit refreshed its suggestions: new alternative labels were never read."""
    from django.db import transaction

    from positions.tests.factories import PositionFactory

    framework, abilities = small_framework()
    position = PositionFactory(
        name="Export clerk", description="", extra={"altLabels": ["customs clerk"]}
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    assert not Suggestion.objects.filter(position=position, ability=abilities["NEG"]).exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        position.extra["altLabels"].append("contract negotiator")
        position.save()
    assert Suggestion.objects.filter(position=position, ability=abilities["NEG"]).pending().exists()


def _syllabus(tmp_path, name: str, notes: str):
    """A CASE package read as courses: one course, LOG101, whose description is `notes`."""
    import json

    package = {
        "CFDocument": {"identifier": "c0ffee00-0000-4000-8000-000000000001", "title": "Syllabus"},
        "CFItems": [
            {
                "identifier": "c0ffee00-0000-4000-8000-000000000002",
                "fullStatement": "Trade operations",
                "humanCodingScheme": "LOG101",
                "notes": notes,
            }
        ],
        "CFAssociations": [],
    }
    path = tmp_path / name
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_a_catalogue_import_that_rewords_a_courses_description_refreshes_its_suggestions(
    tmp_path, django_capture_on_commit_callbacks
):
    """Observed: a course catalogue re-imported from CASE rewrote the course's description in
    bulk (no model signal), so its suggestions stayed those ranked from the old text until
    someone ran `manage.py suggest --refresh`, as a position's did before positions_bulk_changed."""
    from curricula.models import Course
    from positions.importers import framework_import

    framework, abilities = small_framework()
    options = {"as": "courses"}
    with django_capture_on_commit_callbacks(execute=True):
        path = _syllabus(tmp_path, "v1.json", "Organise international shipping and customs.")
        assert framework_import(path=path, format="case", options=options).ok
    course = Course.objects.get(code="LOG101")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert not Suggestion.objects.filter(course=course, ability=abilities["NEG"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        path = _syllabus(tmp_path, "v2.json", "Negotiate contracts and terms of sale.")
        report = framework_import(path=path, format="case", options=options)
    assert report.as_dict()["counts"]["course"]["updated"] == 1
    assert Suggestion.objects.filter(course=course, ability=abilities["NEG"]).pending().exists()


def test_an_edit_after_the_lock_lapsed_queues_a_refresh_of_its_own(settings):
    """Observed with a worker and each process its own cache (the default): the worker's
    refresh released its lock in its own cache, the web process's lived on for ten minutes
    after the refresh ran, and the course's next edit queued nothing. The lock now lapses
    before the refresh is due, whichever process runs it."""
    import time

    from suggestions.signals import lock_seconds

    settings.SUGGESTIONS_REFRESH_DELAY = 0.4
    assert 0 < lock_seconds(0.4) < 0.4
    assert lock_seconds(10) == 9
    with mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue:
        schedule_refresh(course_ids={7})
        schedule_refresh(course_ids={7})  # while the first still waits: rides on it
        assert enqueue.call_count == 1
        time.sleep(0.4)  # the first refresh is due (and may have read the text): not held
        schedule_refresh(course_ids={7})
    assert enqueue.call_count == 2
    assert enqueue.call_args.kwargs["countdown"] == 0.4


def test_a_rejected_pair_stays_rejected_when_a_reimport_gives_its_ability_a_new_identifier(
    imported_framework, tmp_path, staff_user, django_capture_on_commit_callbacks
):
    """Observed: the publisher re-issued the framework with new identifiers (a CASE package
    re-published, a Moodle framework renumbered); the import retired the old ability and
    created the same statement anew, and the background refresh proposed it again to the
    course whose reviewer had rejected it."""
    from positions.importers import framework_import
    from positions.models import Ability

    framework, db = imported_framework
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    rejected = Suggestion.objects.get(course=course, ability=db)
    services.suggestion_reject(suggestion=rejected, user=staff_user)

    reissued = (13, "C.3", _DB[2])  # the same statement under a new identifier
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(
            path=_case_package(tmp_path, "v2.json", [*_OTHERS, reissued]), format="case"
        )
    assert report.ok, report.error
    anew = Ability.objects.get(framework=framework, text=_DB[2], retired=False)
    assert anew.pk != db.pk
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    services.suggestions_generate(course_ids=[course.pk], framework=None)
    assert not Suggestion.objects.filter(course=course, ability=anew).exists()
    assert list(Suggestion.objects.filter(course=course, status="rejected")) == [rejected]


def test_moving_a_course_to_another_training_stage_refreshes_its_proposed_levels(
    django_capture_on_commit_callbacks,
):
    """Observed: with no Bloom verb in its outcomes, a course's suggestions propose the level
    of its training stage ("I: ... training stage “Theory”, 1 of 3"); moved to the last stage,
    its pending suggestions went on proposing I and giving the old stage as the reason, since
    only a change of its title, description or outcomes refreshed them."""
    from certifications.models import TrainingStage
    from curricula.tests.factories import CourseFactory

    first, _second, last = (
        TrainingStage.objects.create(code=f"S{n}", name=name, order=n)
        for n, name in enumerate(("Theory", "Practice", "Placement"), start=1)
    )
    framework, abilities = small_framework()
    course = CourseFactory(
        title="Databases", description="Relational databases and SQL.", outcomes="", stage=first
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    assert suggestion.proposed_level.code == "I"
    assert suggestion.explanation["level"]["stage"] == "Theory"

    with django_capture_on_commit_callbacks(execute=True):
        curricula_services.course_update(course=course, stage=last)
    suggestion.refresh_from_db()
    assert suggestion.proposed_level.code == "M"
    assert suggestion.explanation["level"]["stage"] == "Placement"


def test_an_ability_moved_to_another_framework_takes_its_suggestions_along(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: an ability moved to another framework (its `framework` changed in the admin's
    ability form) kept its suggestions under the old framework: the queue filtered by the new
    one left them out, the one filtered by the old one listed an ability it no longer has, and
    no refresh ever dropped or re-ranked them (only the new framework was refreshed, whose runs
    leave another framework's rows alone)."""
    from positions.models import Ability
    from positions.tests.factories import FrameworkFactory

    framework, abilities = small_framework()
    other = FrameworkFactory(name="Other")
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    services.suggestions_generate(course_ids=[course.pk], framework=other)
    moved = abilities["DB"]
    suggestion = Suggestion.objects.get(course=course, ability=moved)

    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        moved = Ability.objects.get(pk=moved.pk)  # as the admin's form loads and saves it
        moved.framework = other
        moved.save()
    suggestion.refresh_from_db()
    assert suggestion.framework_id == other.pk
    listed = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/?framework={other.pk}")
    assert [row["ability"]["id"] for row in listed.json()["results"]] == [moved.pk]
    old = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/?framework={framework.pk}")
    assert moved.pk not in [row["ability"]["id"] for row in old.json()["results"]]


def test_an_edit_while_the_cache_is_down_still_queues_its_refresh():
    """Observed on the production configuration with Redis as the cache unreachable: the
    refresh's lock (cache.add) answered "already held" for every edit, so no refresh was queued
    and nothing was logged; with the broker up the edits' suggestions went stale for good. A
    lock that cannot be taken for want of the cache is no lock held: the refresh is queued (two
    may run, which only reads the text twice)."""
    from django.test import override_settings

    down = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with (
        override_settings(CACHES=down),
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
    ):
        schedule_refresh(course_ids={7})
    assert enqueue.call_count == 1
    assert enqueue.call_args.kwargs["kwargs"]["course_ids"] == [7]


def test_loading_courses_and_positions_runs_no_receiver_of_this_app():
    """Observed: a post_init receiver remembered the text of every course and position loaded
    anywhere (~12 µs each, a tenth of the certifications list's time on the esco catalogue),
    for the few ever saved. A save now compares the text with the row it overwrites."""
    from django.db.models.signals import post_init

    from curricula.models import Course
    from positions.models import Position

    assert not post_init.has_listeners(Course)
    assert not post_init.has_listeners(Position)


def test_a_save_writing_no_text_reads_nothing_before_it(django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = database_course()
    course.credits = 5
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        course.save(update_fields=["credits", "updated_at"])
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    enqueue.assert_not_called()


@pytest.mark.parametrize("read", ["in part", "with its key alone"])
def test_a_text_edit_through_any_instance_refreshes(read, django_capture_on_commit_callbacks):
    """The text is compared with the row: an instance read with .only() (which writes only
    what it read) or made with the course's key alone still refreshes on a new title, and a
    save writing the title unchanged does not."""
    from curricula.models import Course

    course = database_course()
    if read == "in part":
        edited = Course.objects.only("id", "title").get(pk=course.pk)
        edited.title = "Digital marketing"
    else:
        edited = Course.objects.get(pk=course.pk)
        edited = Course(**{f.attname: getattr(edited, f.attname) for f in Course._meta.fields})
        edited.title = "Digital marketing"
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        edited.save()
    assert enqueue.call_args.kwargs["kwargs"]["course_ids"] == [course.pk]
    cache.delete(refresh_lock_key("course", course.pk))  # as when that refresh has started
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        Course.objects.get(pk=course.pk).save()
    enqueue.assert_not_called()


def test_loading_abilities_runs_no_receiver_of_this_app():
    """Observed: a post_init receiver remembered the framework of every ability loaded anywhere
    (every coverage computation, every list of abilities) for the few ever moved. A save
    writing the framework now reads the one it replaces from the row."""
    from django.db.models.signals import post_init

    assert not post_init.has_listeners(Ability)


@pytest.mark.parametrize("read", ["in part", "update_fields", "with its key alone"])
def test_an_ability_moved_through_any_instance_takes_its_suggestions_along(
    read, django_capture_on_commit_callbacks
):
    """The old framework is read from the row: an ability read with .only(), saved with
    update_fields or made with its key alone still takes its suggestions to the new framework
    and has both frameworks refreshed."""
    from positions.tests.factories import FrameworkFactory

    framework, abilities = small_framework()
    other = FrameworkFactory(name="Other")
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    services.suggestions_generate(course_ids=[course.pk], framework=other)
    pk = abilities["DB"].pk
    match read:
        case "in part":
            moved = Ability.objects.only("id", "framework").get(pk=pk)
            fields = None
        case "update_fields":
            moved = Ability.objects.get(pk=pk)
            fields = ["framework"]
        case "with its key alone":
            loaded = Ability.objects.get(pk=pk)
            moved = Ability(**{f.attname: getattr(loaded, f.attname) for f in Ability._meta.fields})
            fields = None
    moved.framework = other
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        moved.save(update_fields=fields)
    assert set(Suggestion.objects.filter(ability_id=pk).values_list("framework_id", flat=True)) == {
        other.pk
    }
    assert sorted(enqueue.call_args.kwargs["kwargs"]["framework_ids"]) == sorted(
        [framework.pk, other.pk]
    )


def test_a_text_edit_rolled_back_queues_no_refresh(django_capture_on_commit_callbacks):
    """The text compared at save, the refresh still waits for the commit: an edit whose
    transaction is rolled back (a failed import's) queues nothing, and the row keeps its text."""
    from django.db import transaction

    from curricula.models import Course

    course = database_course()

    @transaction.atomic
    def edit_and_fail():
        edited = Course.objects.only("id").get(pk=course.pk)
        edited.title = "Digital marketing"
        edited.save(update_fields=["title"])
        raise RuntimeError

    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        with pytest.raises(RuntimeError):
            edit_and_fail()
        Course.objects.get(pk=course.pk).save()
    enqueue.assert_not_called()
    assert Course.objects.get(pk=course.pk).title == course.title
