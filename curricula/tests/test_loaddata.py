"""A dump made by `manage.py dumpdata` loads back with `loaddata` as it was dumped (moving from
the laptop's SQLite to PostgreSQL, a backup restored): the coverage receivers leave fixture rows
(raw saves) alone, as Django's own receivers and simple-history's do."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from curricula.coverage import services
from curricula.models import (
    Course,
    CoverageState,
    Programme,
    ProgrammeCoverage,
    Suggestion,
    SuggestionDeletion,
)
from curricula.services import suggestion_deletions_record
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


def dump(tmp_path, *labels: str):
    """The rows of these models as `dumpdata` writes them, in a file `loaddata` reads."""
    out = io.StringIO()
    call_command("dumpdata", *labels, "--natural-foreign", "--natural-primary", stdout=out)
    path = tmp_path / "dump.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def fresh(programme_ids) -> None:
    ProgrammeCoverage.objects.filter(programme_id__in=programme_ids).update(
        state=CoverageState.FRESH, stale_since=None
    )


def test_programmes_load_with_their_coverage_rows_whatever_their_ids(
    tmp_path, django_capture_on_commit_callbacks
):
    """Observed: loading a laptop's dump into PostgreSQL failed with "duplicate key value
    violates unique constraint curricula_programmecoverage_programme_id_key": each programme
    course loaded marked its programme stale, which created a coverage row, and the dump's own
    row for the programme (another id: its report was rebuilt once) then collided with it."""
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory()
        first, second = ProgrammeFactory(courses=[course]), ProgrammeFactory(courses=[course])
    # The first programme's report row is made again, after the second's: ids out of step.
    ProgrammeCoverage.objects.filter(programme=first).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.coverage_mark_stale(programme_ids={first.pk})
    fresh({first.pk, second.pk})
    before = set(ProgrammeCoverage.objects.values_list("pk", "programme_id", "state"))
    path = dump(
        tmp_path, "curricula.programme", "curricula.programmecourse", "curricula.programmecoverage"
    )
    with django_capture_on_commit_callbacks(execute=True):
        Programme.objects.all().delete()

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("loaddata", path, verbosity=0)

    assert set(ProgrammeCoverage.objects.values_list("pk", "programme_id", "state")) == before
    assert callbacks == []


def test_a_restore_over_the_same_rows_leaves_fresh_reports_fresh(
    tmp_path, django_capture_on_commit_callbacks
):
    """Loading links, requirements, relations, abilities, areas and levels as dumped (a
    backup restored over the database it came from) changes nothing a report is made from:
    no report is marked stale, no recompute is enqueued."""
    with django_capture_on_commit_callbacks(execute=True):
        area = CompetencyAreaFactory()
        ability, other = AbilityFactory(area=area), AbilityFactory(area=area)
        position = PositionFactory()
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
        course = CourseFactory()
        CourseAbilityFactory(course=course, ability=ability, level=level("I"))
        AbilityRelation.objects.create(
            framework=ability.framework,
            source=ability,
            target=other,
            relation_type=RelationType.EXACT_MATCH_OF,
        )
        programme = ProgrammeFactory(courses=[course], targets=[position])
    fresh({programme.pk})
    path = dump(
        tmp_path,
        "positions.level",
        "positions.competencyarea",
        "positions.ability",
        "positions.abilityrelation",
        "positions.requirement",
        "curricula.courseability",
    )

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("loaddata", path, verbosity=0)

    assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.FRESH
    assert callbacks == []


def test_link_totals_stay_exact_after_loading_a_postgresql_dump(
    tmp_path, staff_client, django_capture_on_commit_callbacks
):
    """Observed: a dump of the production database (PostgreSQL) loaded into a laptop's SQLite
    brought the trigger-kept link counter along, which nothing keeps there: the API's and the
    admin's link lists went on showing the dumped total after links were added or deleted.
    The counter is read only where its triggers keep it."""
    with django_capture_on_commit_callbacks(execute=True):
        links = CourseAbilityFactory.create_batch(2)
    # The counter as a dump from PostgreSQL carries it (the triggers' slots), for these links.
    counter = [
        {"model": "curricula.courseabilitycount", "pk": slot, "fields": {"rows": rows}}
        for slot, rows in enumerate([len(links)] + [0] * 15)
    ]
    path = tmp_path / "counter.json"
    path.write_text(json.dumps(counter), encoding="utf-8")
    call_command("loaddata", path, verbosity=0)

    with django_capture_on_commit_callbacks(execute=True):
        links[0].delete()

    assert staff_client.get("/api/v1/course-abilities/").json()["count"] == 1


def suggest(course) -> Suggestion:
    ability = AbilityFactory()
    return Suggestion.objects.create(
        course=course, ability=ability, framework=ability.framework, score=0.5, rank=1, method="t"
    )


def _as_in_a_new_database(*models) -> None:
    """Empty the models' tables and start their ids again, as in a database just migrated."""
    for model in models:
        model._base_manager.all()._raw_delete(model._base_manager.db)
    sequences = [{"table": model._meta.db_table, "column": "id"} for model in models]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)


def test_a_load_never_hands_out_the_id_of_a_record_deleted_before_the_dump(tmp_path):
    """Observed: after moving a laptop's data to PostgreSQL with loaddata, the next course
    created took the id of the course deleted last (loaddata moves a sequence past the ids it
    loaded only): its history then showed two courses as one, and the deletions feed, which
    leaves out a record restored since, told a sync the deleted course was back. The same for
    a suggestion, whose deletion is kept for the feed."""
    course, deleted = CourseFactory.create_batch(2)
    deleted_id = deleted.pk
    deleted.delete()
    suggestion = suggest(course)
    suggestion_id = suggestion.pk
    suggestion_deletions_record(suggestions=Suggestion.objects.filter(pk=suggestion_id))
    suggestion.delete()
    path = dump(
        tmp_path,
        "curricula.historicalcourse",
        "curricula.course",
        "curricula.suggestiondeletion",
    )
    _as_in_a_new_database(Course.history.model, Course, SuggestionDeletion, Suggestion)

    call_command("loaddata", path, verbosity=0)

    assert CourseFactory().pk > deleted_id
    assert suggest(course).pk > suggestion_id


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("move.json.gz", b"garbage, not gzip"),  # a copy cut short or renamed
        ("move.json", b'[{"model": "curricula.course", "pk": 1, "fields": {'),  # cut short
        ("move.json", b'[{"model": "nowhere.nothing", "pk": 1, "fields": {}}]'),
    ],
)
def test_a_file_it_cannot_read_is_one_line_and_nothing_is_loaded(tmp_path, name, content):
    """Observed by an operator moving the data as the README says: a corrupt .json.gz ended in a
    traceback (gzip.BadGzipFile), as did a file cut short (DeserializationError); a missing one
    was already one line. Each is now a CommandError naming the file, and nothing is loaded."""
    path = tmp_path / name
    path.write_bytes(content)
    before = Course.objects.count()

    with pytest.raises(CommandError, match=name):
        call_command("loaddata", str(path), verbosity=0)

    assert Course.objects.count() == before
