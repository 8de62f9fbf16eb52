"""Change sets of the curriculum map: planned and checked before anything is written, written in
one transaction with one recompute per programme, and undone as a whole through the history."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import HistoryConflict
from curricula import services
from curricula.coverage.services import coverage_recompute
from curricula.models import CourseAbility, CoverageState, ProgrammeCoverage
from curricula.selectors.maps import CellInput, map_change_plan
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(django_capture_on_commit_callbacks):
    """Three courses by three required abilities; course 0 builds ability 0 at R (a starter link).
    Committed, as it would be before any request: its commit hook has run."""
    with django_capture_on_commit_callbacks(execute=True):
        return _grid()


def _grid():
    position = PositionFactory()
    abilities = [AbilityFactory(code=f"A{i}") for i in range(3)]
    for ability in abilities:
        RequirementFactory(position=position, ability=ability)
    courses = [CourseFactory(code=f"K{i}") for i in range(3)]
    link = CourseAbilityFactory(
        course=courses[0], ability=abilities[0], level=level("R"), provenance="starter"
    )
    programme = ProgrammeFactory(courses=courses, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, courses, abilities, link


def _cells(*items):
    return [CellInput(course.pk, ability.pk, code) for course, ability, code in items]


def test_the_plan_says_what_each_cell_would_become_and_writes_nothing(grid):
    programme, courses, abilities, _link = grid
    plan = map_change_plan(
        programme=programme,
        cells=_cells(
            (courses[0], abilities[0], "m"),  # change, any case
            (courses[1], abilities[0], "Mastered"),  # create, by name
            (courses[2], abilities[0], ""),  # nothing there: same
        ),
    )
    assert plan.errors == []
    assert [cell.kind for cell in plan.cells] == ["change", "create", "same"]
    assert plan.permissions == {"curricula.change_courseability", "curricula.add_courseability"}
    assert CourseAbility.objects.count() == 1


def test_a_cell_outside_the_map_is_named_by_its_codes_and_why(grid):
    """Observed (a nursing map kept open while a target position was taken away): saving a cell
    of an ability no target requires any more said "Course 1 and ability 8 are not a cell of this
    map.": database ids, which a designer cannot find anywhere."""
    programme, courses, _abilities, _link = grid
    dropped = AbilityFactory(code="NC3")
    outside = CourseFactory(code="NUR302")
    plan = map_change_plan(
        programme=programme,
        cells=[
            CellInput(courses[0].pk, dropped.pk, "M"),
            CellInput(outside.pk, _abilities[0].pk, "M"),
            CellInput(999_999, 999_998, "M"),
        ],
    )
    # Two such cells are refused together (test_each_kind_of_refusal_over_many_cells_…).
    assert plan.errors[0] == (
        "2 cells are not cells of this map: K0 × NC3, NUR302 × A0; their courses are not the "  # noqa: RUF001
        "programme's, or no target position requires their abilities. Reload the map."
    )
    # Records that are gone have no code to name.
    assert plan.errors[1] == "Course 999999 and ability 999998 are not a cell of this map."
    alone = map_change_plan(
        programme=programme, cells=[CellInput(outside.pk, _abilities[0].pk, "M")]
    )
    assert alone.errors == [
        "NUR302 × A0 is not a cell of this map: the course is not one of the programme's, or no "  # noqa: RUF001
        "target position requires the ability. Reload the map."
    ]


def test_cells_outside_the_map_unknown_levels_and_newer_edits_are_refused(grid):
    programme, courses, abilities, _link = grid
    stranger = AbilityFactory()
    plan = map_change_plan(
        programme=programme,
        cells=[
            CellInput(courses[0].pk, stranger.pk, "M"),
            CellInput(courses[1].pk, abilities[1].pk, "X"),
            # The editor showed "·" but the cell holds R now.
            CellInput(courses[0].pk, abilities[0].pk, "M", base=""),
        ],
    )
    assert len(plan.errors) == 3
    assert "not a level" in plan.errors[1]
    assert "changed by someone else" in plan.errors[2]
    with pytest.raises(ValidationError):
        services.programme_map_change(
            programme=programme, cells=[CellInput(courses[1].pk, abilities[1].pk, "X")]
        )


def test_a_change_set_is_one_transaction_and_nothing_is_written_when_a_cell_is_refused(grid):
    programme, courses, abilities, _link = grid
    with pytest.raises(ValidationError):
        services.programme_map_change(
            programme=programme,
            cells=_cells((courses[1], abilities[1], "M"), (courses[2], abilities[2], "Q")),
        )
    assert CourseAbility.objects.count() == 1


def test_a_change_set_marks_each_programme_stale_once_and_recomputes_once(
    grid, django_capture_on_commit_callbacks, monkeypatch
):
    from curricula.tasks import recompute_coverage

    programme, courses, abilities, _link = grid
    with django_capture_on_commit_callbacks(execute=True):
        sharing = ProgrammeFactory(courses=[courses[1]], targets=[programme.targets.get().position])
    # As with a broker: the tasks are recorded instead of sent (an edit's programmes go in one
    # task, or in batches of COVERAGE_BATCH_SIZE).
    sent = []
    monkeypatch.setitem(recompute_coverage.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        recompute_coverage, "apply_async", lambda kwargs=None, **options: sent.append(kwargs)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        change_set = services.programme_map_change(
            programme=programme,
            cells=_cells(
                (courses[1], abilities[0], "I"),
                (courses[1], abilities[1], "R"),
                (courses[2], abilities[2], "M"),
                (courses[0], abilities[0], ""),
            ),
        )
    assert (change_set.created, change_set.changed, change_set.cleared) == (3, 0, 1)
    assert len(callbacks) == 1  # one dispatch for the whole set
    states = dict(ProgrammeCoverage.objects.values_list("programme_id", "state"))
    assert states[programme.pk] == states[sharing.pk] == CoverageState.STALE
    callbacks[0]()
    recomputed = [pk for call in sent for pk in call["programme_ids"]]
    assert sorted(recomputed) == sorted([programme.pk, sharing.pk])  # each once


def test_undo_restores_every_cell_of_the_set_as_it_was_and_redo_restores_the_set(grid):
    programme, courses, abilities, link = grid
    before = _state()
    change_set = services.programme_map_change(
        programme=programme,
        cells=_cells(
            (courses[0], abilities[0], "M"),
            (courses[1], abilities[1], "I"),
        ),
    )
    after = _state()
    assert after != before
    undo = services.programme_map_undo(token=change_set.token)
    assert _state() == before
    link.refresh_from_db()
    assert link.provenance == "starter"  # the whole record, not only the level
    assert undo.undoes == change_set.token
    with pytest.raises(HistoryConflict):
        services.programme_map_undo(token=change_set.token)
    services.programme_map_undo(token=undo.token)  # redo
    assert _state() == after


def test_undo_of_a_deletion_recreates_the_link_with_its_id_and_note(grid):
    programme, courses, abilities, link = grid
    CourseAbility.objects.filter(pk=link.pk).update(note="capstone")
    change_set = services.programme_map_change(
        programme=programme, cells=_cells((courses[0], abilities[0], ""))
    )
    assert not CourseAbility.objects.filter(pk=link.pk).exists()
    services.programme_map_undo(token=change_set.token)
    restored = CourseAbility.objects.get(pk=link.pk)
    assert (restored.level.code, restored.note) == ("R", "capstone")


def test_undo_refuses_when_a_cell_changed_since_and_writes_nothing(grid):
    programme, courses, abilities, link = grid
    change_set = services.programme_map_change(
        programme=programme,
        cells=_cells((courses[0], abilities[0], "M"), (courses[1], abilities[1], "I")),
    )
    services.course_ability_update(link=CourseAbility.objects.get(pk=link.pk), level=level("I"))
    with pytest.raises(HistoryConflict):
        services.programme_map_undo(token=change_set.token)
    assert CourseAbility.objects.filter(course=courses[1], ability=abilities[1]).exists()


def test_an_unknown_change_set_is_not_found():
    with pytest.raises(CourseAbility.DoesNotExist):
        services.programme_map_undo(token="0" * 32)


def test_a_change_set_that_changes_nothing_has_no_token(grid):
    programme, courses, abilities, _link = grid
    change_set = services.programme_map_change(
        programme=programme, cells=_cells((courses[0], abilities[0], "R"))
    )
    assert (change_set.token, change_set.count) == ("", 0)


def _state():
    return set(CourseAbility.objects.values_list("course_id", "ability_id", "level__code"))


def test_every_write_of_a_set_and_of_its_undo_is_in_the_history_with_who_and_why(grid, staff_user):
    programme, courses, abilities, link = grid
    change_set = services.programme_map_change(
        programme=programme,
        cells=_cells(
            (courses[0], abilities[0], ""),  # delete
            (courses[1], abilities[1], "I"),  # create
        ),
        user=staff_user,
    )
    records = services.programme_map_change_records(token=change_set.token)
    assert sorted(r.history_type for r in records) == ["+", "-"]
    assert {r.history_user_id for r in records} == {staff_user.pk}
    undo = services.programme_map_undo(token=change_set.token, user=staff_user)
    undone = services.programme_map_change_records(token=undo.token)
    assert sorted(r.history_type for r in undone) == ["+", "-"]
    assert all(r.history_change_reason.endswith(f"undoes {change_set.token}") for r in undone)
    assert {r.history_user_id for r in undone} == {staff_user.pk}
    assert CourseAbility.objects.filter(pk=link.pk, level__code="R").exists()


def test_a_save_refuses_a_cell_someone_changed_between_its_check_and_its_write(grid, monkeypatch):
    """Two editors saving the same cell at once: the second one's plan read the link before the
    first one's save committed; once it holds the lock it must see the newer level and refuse,
    not overwrite it."""
    programme, courses, abilities, link = grid
    real_plan = services.map_change_plan

    def plan_then_another_save(**kwargs):
        plan = real_plan(**kwargs)
        CourseAbility.objects.filter(pk=link.pk).update(level=level("M"))  # the other editor
        return plan

    monkeypatch.setattr(services, "map_change_plan", plan_then_another_save)
    with pytest.raises(ValidationError) as refused:
        services.programme_map_change(
            programme=programme,
            cells=[CellInput(courses[0].pk, abilities[0].pk, "I", base="R")],
        )
    assert "changed by someone else" in refused.value.messages[0]
    assert "(now M)" in refused.value.messages[0]
    # Nothing of the refused set was written (the stand-in save rolled back with it).
    assert not CourseAbility.history.filter(
        history_change_reason__startswith="map change set"
    ).exists()


@pytest.mark.parametrize("shown", ["garbage", "I?", "0.5"])
def test_a_level_shown_that_is_not_a_level_is_refused_not_ignored(grid, shown):
    """Without the level the editor showed, the check against newer edits cannot be made."""
    programme, courses, abilities, _link = grid
    plan = map_change_plan(
        programme=programme, cells=[CellInput(courses[0].pk, abilities[0].pk, "I", base=shown)]
    )
    assert len(plan.errors) == 1
    assert "the level shown" in plan.errors[0]
    assert plan.cells == []


def test_cells_left_as_shown_or_already_as_wanted_count_as_already_there(grid):
    """A pasted block's cells that equal what the editor showed are "already as pasted", not left
    out of the count; a cell someone else already set to the wanted level is not a conflict (a
    form submitted twice, or two editors agreeing)."""
    programme, courses, abilities, _link = grid  # course 0 x ability 0 holds R
    plan = map_change_plan(
        programme=programme,
        cells=[
            CellInput(courses[1].pk, abilities[1].pk, "I", base="I"),  # as shown
            CellInput(courses[0].pk, abilities[0].pk, "R", base="I"),  # already R
            CellInput(courses[2].pk, abilities[2].pk, "M", base=""),  # a real change
        ],
    )
    assert plan.errors == []
    assert [cell.kind for cell in plan.cells] == ["same", "same", "create"]
    assert plan.count("same") == 2


def test_along_a_chain_of_undos_undo_and_redo_alternate(grid):
    """Each set of save, undo, redo, undo, redo, undo says whether it is a redo: the undo of a
    redo was called a redo too (only the set it undid was looked at)."""
    programme, courses, abilities, _link = grid
    change_set = services.programme_map_change(
        programme=programme,
        cells=_cells((courses[0], abilities[0], "M"), (courses[1], abilities[1], "I")),
    )
    chain = [change_set]
    for _step in range(5):
        chain.append(services.programme_map_undo(token=chain[-1].token))

    assert [step.redo for step in chain] == [False, False, True, False, True, False]
    assert [step.undoes for step in chain] == ["", *(step.token for step in chain[:-1])]
    records = services.programme_map_change_records
    assert [
        services.programme_map_change_is_undo(records=records(token=step.token)) for step in chain
    ] == [False, True, False, True, False, True]


def _history_scans(queries) -> list[str]:
    """The reads of the link history among `queries` that the database answers by reading the
    whole table: its plan (PostgreSQL with sequential scans priced out, so any usable index is
    taken; SQLite, which assumes large tables until analysed) scans the historical table."""
    table = CourseAbility.history.model._meta.db_table
    scans = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or f'FROM "{table}"' not in sql:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                scanned = f"Seq Scan on {table}" in plan
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                scanned = f"SCAN {table}" in plan and f"SEARCH {table}" not in plan
            if scanned:
                scans.append(f"{sql}\n{plan}")
    return scans


def test_finding_undoing_and_redoing_a_set_reads_the_history_by_index_not_by_its_reasons(grid):
    """Observed: a set's records, whether it was undone already, and its chain were found by
    LIKE patterns on the change reason (a prefix, a suffix), which no index serves: every undo
    read the whole link history (hundreds of thousands of rows on an ESCO-sized catalogue).
    They are exact matches on the set's token and the token it undoes, both indexed."""
    programme, courses, abilities, _link = grid
    change_set = services.programme_map_change(
        programme=programme,
        cells=_cells((courses[0], abilities[0], "M"), (courses[1], abilities[1], "I")),
    )
    with CaptureQueriesContext(connection) as captured:
        services.programme_map_change_records(token=change_set.token)
        undo = services.programme_map_undo(token=change_set.token)
        redo = services.programme_map_undo(token=undo.token)
    assert redo.redo
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert reads
    assert not [sql for sql in reads if "history_change_reason" in sql.partition(" WHERE ")[2]]
    assert _history_scans(captured.captured_queries) == []


def test_the_migration_fills_the_change_set_columns_from_the_reasons_of_earlier_sets(grid):
    """Sets saved and undone before the columns existed are found by Undo after the migration
    (curricula 0028), which cuts their tokens out of their reasons; other reasons stay blank."""
    programme, courses, abilities, _link = grid
    saved = services.programme_map_change(
        programme=programme,
        cells=_cells((courses[0], abilities[0], "M"), (courses[1], abilities[1], "I")),
    )
    undo = services.programme_map_undo(token=saved.token)
    services.course_ability_link(
        course=courses[2],
        ability=abilities[2],
        level=level("I"),
        reason=f"map change set {'x' * 32} by hand",
    )
    history = CourseAbility.history.all()
    history.update(history_change_set=None, history_undoes=None)  # as the old schema left them
    backfill = importlib.import_module(
        "curricula.migrations.0028_courseability_history_change_set_backfill"
    )

    backfill.fill_change_sets(apps, SimpleNamespace(connection=connection))

    assert {r.pk for r in services.programme_map_change_records(token=saved.token)} == {
        r.pk for r in history.filter(history_change_reason=f"map change set {saved.token}")
    }
    assert {
        (r.history_change_set.hex, r.history_undoes.hex)
        for r in history.filter(history_change_reason__contains=" undoes ")
    } == {(undo.token, saved.token)}
    assert not history.filter(history_change_reason__contains="by hand").exclude(
        history_change_set=None
    )
    assert not history.filter(history_change_reason=None).exclude(history_change_set=None)
    with pytest.raises(HistoryConflict, match="undone already"):
        services.programme_map_undo(token=saved.token)
    redo = services.programme_map_undo(token=undo.token)
    assert redo.redo


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("Ｍ", "M"),  # noqa: RUF001 (a Chinese input method's full-width letters)
        ("ｉ", "I"),  # noqa: RUF001
        ("Ｒｅｉｎｆｏｒｃｅｄ", "R"),  # noqa: RUF001
        ("M\u200b", "M"),  # a zero-width space copied from a web page with the level
    ],
)
def test_a_level_pasted_or_typed_in_full_width_is_that_level(grid, typed, wanted):
    """Observed: a block pasted from a sheet typed with a Chinese input method (Ｉ, Ｒ, Ｍ) was
    refused cell by cell as “Ｍ” is not a level, though the course codes, modules and stages of
    the same sheet are read in full width."""  # noqa: RUF002
    programme, courses, abilities, _link = grid
    plan = map_change_plan(programme=programme, cells=_cells((courses[1], abilities[1], typed)))
    assert plan.errors == []
    assert [(cell.kind, cell.after.code) for cell in plan.cells] == [("create", wanted)]


def test_a_full_width_zero_or_dash_pasted_clears_the_cell(grid):
    programme, courses, abilities, _link = grid
    for typed in ("０", "－"):  # noqa: RUF001
        plan = map_change_plan(programme=programme, cells=_cells((courses[0], abilities[0], typed)))
        assert plan.errors == []
        assert [cell.kind for cell in plan.cells] == ["clear"]


def test_one_value_that_is_not_a_level_over_many_cells_is_refused_once_naming_how_many(
    grid, chinese_stand_in
):
    """Observed: "banana" pasted over a selection of 30 cells was refused 30 times in the
    preview, one identical sentence per cell. A value is refused once, saying in how many cells
    and naming the first five; another value keeps its own refusal, in its place."""
    from django.utils import translation

    programme, courses, abilities, _link = grid
    cells = [
        CellInput(course.pk, ability.pk, "banana") for ability in abilities for course in courses
    ]
    cells.append(CellInput(courses[1].pk, abilities[0].pk, "X"))  # a later duplicate wins
    plan = map_change_plan(programme=programme, cells=cells)
    assert plan.errors == [
        "“banana” is not a level, in 8 cells: K0 × A0, K2 × A0, K0 × A1, K1 × A1, K2 × A1, …; "  # noqa: RUF001
        "use I, R, M or leave them empty.",
        "K1 × A0: “X” is not a level; use I, R, M or leave it empty.",  # noqa: RUF001
    ]
    one = map_change_plan(
        programme=programme,
        cells=[
            CellInput(courses[0].pk, abilities[1].pk, "X"),
            CellInput(courses[1].pk, abilities[1].pk, "banana"),
            CellInput(courses[2].pk, abilities[1].pk, "X"),
        ],
    )
    assert one.errors == [
        "“X” is not a level, in 2 cells: K0 × A1, K2 × A1; use I, R, M or leave them empty.",  # noqa: RUF001
        "K1 × A1: “banana” is not a level; use I, R, M or leave it empty.",  # noqa: RUF001
    ]
    singular = (
        "“%(value)s” is not a level, in %(count)s cell: %(cells)s; use %(codes)s or leave it empty."
    )
    plural = (
        "“%(value)s” is not a level, in %(count)s cells: %(cells)s; use %(codes)s or leave "
        "them empty."
    )
    chinese_stand_in(None, singular, plural)
    with translation.override("zh-hans"):
        plan = map_change_plan(programme=programme, cells=cells)
        names = [
            translation.gettext("%(course)s × %(ability)s") % {"course": c, "ability": a}  # noqa: RUF001
            for c, a in (("K0", "A0"), ("K2", "A0"), ("K0", "A1"), ("K1", "A1"), ("K2", "A1"))
        ]
        wanted = translation.ngettext(singular, plural, 8) % {
            "value": "banana",
            "count": 8,
            "cells": "、".join([*names, "…"]),
            "codes": "I、R、M",
        }
    assert len(plan.errors) == 2
    assert plan.errors[0] == wanted


def test_each_kind_of_refusal_over_many_cells_is_refused_once_naming_how_many(
    grid, chinese_stand_in
):
    """Observed: a block pasted over 30 cells that someone else had changed since the map was
    opened was refused in 30 near-identical lines, one per cell; so were a level shown that is
    not a level and cells no longer of the map. Each kind is refused once, saying in how many
    cells and naming the first five (with its level now, for a cell changed since), in the place
    of its first cell; a kind refused for one cell keeps its own sentence."""
    from django.utils import translation

    programme, courses, abilities, _link = grid  # K0 × A0 holds R  # noqa: RUF003
    for course in courses:
        for ability in abilities:
            if (course, ability) != (courses[0], abilities[0]):
                CourseAbilityFactory(course=course, ability=ability, level=level("I"))
    stranger = AbilityFactory(code="NC3")
    cells = [
        # The editor showed every cell empty; all hold a level now.
        CellInput(course.pk, ability.pk, "M", base="")
        for ability in abilities
        for course in courses
    ]
    cells += [CellInput(course.pk, stranger.pk, "M") for course in courses]
    cells += [CellInput(999_990 + i, 999_980, "M") for i in range(2)]
    cells += [
        CellInput(course.pk, abilities[0].pk, "M", base="?") for course in reversed(courses)
    ]  # later duplicates of the first three cells: they win, the "changed" count is 6
    plan = map_change_plan(programme=programme, cells=cells)
    assert plan.errors == [
        "The level shown, “?”, is not a level, in 3 cells: K0 × A0, K1 × A0, K2 × A0; "  # noqa: RUF001
        "reload the map.",
        "6 cells were changed by someone else since the map was opened: K0 × A1 (now I), "  # noqa: RUF001
        "K1 × A1 (now I), K2 × A1 (now I), K0 × A2 (now I), K1 × A2 (now I), ….",  # noqa: RUF001
        "3 cells are not cells of this map: K0 × NC3, K1 × NC3, K2 × NC3; their courses are "  # noqa: RUF001
        "not the programme's, or no target position requires their abilities. Reload the map.",
        "2 cells are not cells of this map: their courses or abilities are no longer on the "
        "site. Reload the map.",
    ]
    assert plan.cells == []
    # One cell of each kind: its sentence as before.
    one = map_change_plan(
        programme=programme,
        cells=[
            CellInput(courses[1].pk, abilities[1].pk, "M", base=""),
            CellInput(courses[0].pk, stranger.pk, "M"),
            CellInput(courses[2].pk, abilities[2].pk, "M", base="?"),
            CellInput(999_999, 999_998, "M"),
        ],
    )
    assert one.errors == [
        "K1 × A1 was changed by someone else since the map was opened (now I).",  # noqa: RUF001
        "K0 × NC3 is not a cell of this map: the course is not one of the programme's, or no "  # noqa: RUF001
        "target position requires the ability. Reload the map.",
        "K2 × A2: the level shown, “?”, is not a level; reload the map.",  # noqa: RUF001
        "Course 999999 and ability 999998 are not a cell of this map.",
    ]
    singular = "%(count)s cell was changed by someone else since the map was opened: %(cells)s."
    plural = "%(count)s cells were changed by someone else since the map was opened: %(cells)s."
    chinese_stand_in(None, singular, plural)
    with translation.override("zh-hans"):
        plan = map_change_plan(programme=programme, cells=cells)
        said = translation.ngettext(singular, plural, 6) % {"count": 6, "cells": "\0"}
    assert len(plan.errors) == 4
    before_cells = said.split("\0")[0]
    assert before_cells != "6 cells were changed by someone else since the map was opened: "
    assert plan.errors[1].startswith(before_cells)


def test_a_redo_refused_says_nothing_was_redone(grid, chinese_stand_in):
    """Observed: a Redo refused because a cell of its set had changed since said "so nothing
    was undone", and a Redo sent twice "This change has been undone already": it was a redo
    that was refused. A redo's refusals say "redone"; an undo's are as before."""
    from django.utils import translation

    programme, courses, abilities, link = grid
    saved = services.programme_map_change(
        programme=programme, cells=_cells((courses[0], abilities[0], "M"))
    )
    undo = services.programme_map_undo(token=saved.token)
    services.course_ability_update(link=CourseAbility.objects.get(pk=link.pk), level=level("I"))
    with pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=undo.token)  # a redo
    assert str(refused.value) == (
        "1 cell has changed since, so nothing was redone. Changed since: K0 × A0 (now I)."  # noqa: RUF001
    )
    singular = "%(count)s cell has changed since, so nothing was redone."
    plural = "%(count)s cells have changed since, so nothing was redone."
    chinese_stand_in(None, singular, plural)
    with translation.override("zh-hans"), pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=undo.token)
    with translation.override("zh-hans"):
        said = translation.ngettext(singular, plural, 1) % {"count": 1}
    assert said != singular % {"count": 1}  # Chinese, or its stand-in
    assert str(refused.value).startswith(said)

    saved = services.programme_map_change(
        programme=programme, cells=_cells((courses[1], abilities[1], "M"))
    )
    undo = services.programme_map_undo(token=saved.token)
    redo = services.programme_map_undo(token=undo.token)
    assert redo.redo
    with pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=undo.token)
    assert str(refused.value) == "This change has been redone already."
    # The undo of the redo, then the same undo again: an undo's words.
    services.programme_map_undo(token=redo.token)
    with pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=redo.token)
    assert str(refused.value) == "This change has been undone already."


def test_an_undo_refused_after_a_note_edit_names_the_note_not_the_level(grid, chinese_stand_in):
    """Observed: an Undo refused because someone had since edited only the note of a link it
    saved said "Changed since: K0 × A0 (now M)", naming the level the set itself had chosen as
    if it had changed. A cell whose level is as the set left it says what did change."""  # noqa: RUF002
    from django.utils import translation

    programme, courses, abilities, link = grid
    saved = services.programme_map_change(
        programme=programme,
        cells=_cells((courses[0], abilities[0], "M"), (courses[1], abilities[1], "I")),
    )
    services.course_ability_update(link=CourseAbility.objects.get(pk=link.pk), note="Lab 3")
    other = CourseAbility.objects.get(course=courses[1], ability=abilities[1])
    services.course_ability_update(link=other, note="Lab 4", note_zh="实验 4")
    with pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=saved.token)
    assert str(refused.value) == (
        "2 cells have changed since, so nothing was undone. Changed since: "
        "K1 × A1 (note, Chinese note changed), K0 × A0 (note changed)."  # noqa: RUF001
    )
    # A level changed since is still named by the level it holds now.
    services.course_ability_update(link=other, level=level("R"))
    with pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=saved.token)
    assert "K1 × A1 (now R), K0 × A0 (note changed)." in str(refused.value)  # noqa: RUF001

    changed = "%(course)s × %(ability)s (%(fields)s changed)"  # noqa: RUF001
    chinese_stand_in(None, changed)
    with translation.override("zh-hans"), pytest.raises(HistoryConflict) as refused:
        services.programme_map_undo(token=saved.token)
    assert "(note changed)" not in str(refused.value)


def test_a_cell_cleared_since_the_map_was_opened_is_named_not_taught_in_the_refusal(grid):
    """Observed: a save over a cell someone else had cleared was refused "… (now ·)": the
    map's mark for an empty cell, which means nothing outside its legend."""
    programme, courses, abilities, link = grid
    link.delete()

    plan = map_change_plan(
        programme=programme, cells=[CellInput(courses[0].pk, abilities[0].pk, "M", base="R")]
    )

    (error,) = plan.errors
    assert "(now not taught)" in error
    assert "·" not in error
