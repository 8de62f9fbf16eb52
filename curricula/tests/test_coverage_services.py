"""Staleness, recompute and the jobs' plumbing, against the database (no worker)."""

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from curricula.coverage.engine import fingerprints
from curricula.coverage.selectors import coverage_inputs
from curricula.coverage.services import (
    coverage_mark_stale,
    coverage_recompute,
    coverage_sweep,
)
from curricula.models import (
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from curricula.tasks import recompute_coverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, Level, RelationType
from positions.signals import abilities_bulk_changed, requirements_bulk_changed
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


def state(programme) -> str:
    return ProgrammeCoverage.objects.get(programme=programme).state


@pytest.fixture
def two_programmes(django_capture_on_commit_callbacks):
    """P1 teaches course c1, P2 teaches c2; both target a position requiring `ability` at M.
    Both reports are fresh: ability missing in both. The setup is 'committed': its commit hook
    has run (inline recompute), as it would have before any later request."""
    with django_capture_on_commit_callbacks(execute=True):
        ability = AbilityFactory()
        position = PositionFactory()
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
        c1, c2 = CourseFactory(), CourseFactory()
        p1 = ProgrammeFactory(courses=[c1], targets=[position])
        p2 = ProgrammeFactory(courses=[c2], targets=[position])
    assert state(p1) == state(p2) == CoverageState.FRESH
    return {"ability": ability, "position": position, "c1": c1, "c2": c2, "p1": p1, "p2": p2}


@pytest.fixture
def enqueued(monkeypatch):
    """Pretend a broker is configured and record what would be sent to it."""
    calls = []
    monkeypatch.setitem(recompute_coverage.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        recompute_coverage, "apply_async", lambda kwargs=None, **options: calls.append(kwargs)
    )
    return calls


def test_a_new_link_marks_only_its_programmes_stale_and_the_recompute_closes_the_gap(
    two_programmes, django_capture_on_commit_callbacks
):
    p1, p2 = two_programmes["p1"], two_programmes["p2"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CourseAbility.objects.create(
            course=two_programmes["c1"], ability=two_programmes["ability"], level=level("M")
        )
        assert state(p1) == CoverageState.STALE
        assert state(p2) == CoverageState.FRESH
    assert len(callbacks) == 1
    callbacks[0]()  # the embedded default: the task runs inline after commit
    coverage = ProgrammeCoverage.objects.get(programme=p1)
    assert coverage.state == CoverageState.FRESH
    assert coverage.percent == 100.0
    assert ProgrammeCoverage.objects.get(programme=p2).percent == 0.0


def test_a_burst_of_edits_enqueues_each_affected_programme_once(
    two_programmes, enqueued, django_capture_on_commit_callbacks
):
    abilities = AbilityFactory.create_batch(60)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for ability in abilities:
            CourseAbility.objects.create(
                course=two_programmes["c1"], ability=ability, level=level("I")
            )
            CourseAbility.objects.create(
                course=two_programmes["c2"], ability=ability, level=level("R")
            )
        ProgrammeTarget.objects.create(programme=two_programmes["p1"], position=PositionFactory())
    assert len(callbacks) == 1
    assert sorted(pid for call in enqueued for pid in call["programme_ids"]) == sorted(
        [two_programmes["p1"].pk, two_programmes["p2"].pk]
    )


def test_a_burst_of_link_saves_costs_no_coverage_queries_after_the_first(
    two_programmes, django_assert_max_num_queries
):
    """The course's programmes are looked up and marked once per transaction, not per link."""
    abilities = AbilityFactory.create_batch(20)
    r = level("R")
    with transaction.atomic():
        CourseAbility.objects.create(course=two_programmes["c1"], ability=abilities[0], level=r)
        # Each further save: the INSERT and its history row, nothing for coverage.
        with django_assert_max_num_queries(2 * 19):
            for ability in abilities[1:]:
                CourseAbility.objects.create(course=two_programmes["c1"], ability=ability, level=r)


def test_a_rolled_back_edit_enqueues_nothing_and_leaves_reports_fresh(
    two_programmes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                CourseAbility.objects.create(
                    course=two_programmes["c1"], ability=two_programmes["ability"], level=level("M")
                )
                raise RuntimeError("abort")
        except RuntimeError:
            pass
        assert state(two_programmes["p1"]) == CoverageState.FRESH
        # The next edit in the same outer transaction starts a fresh pending set.
        CourseAbility.objects.create(
            course=two_programmes["c2"], ability=two_programmes["ability"], level=level("M")
        )
    assert state(two_programmes["p2"]) == CoverageState.STALE
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "edit",
    [
        "requirement_added",
        "requirement_min_level_changed",
        "requirement_deleted",
        "link_level_changed",
        "link_deleted",
        "course_removed_from_programme",
        "target_removed",
        "level_rank_changed",
        "ability_area_changed",
        "requirements_bulk_changed",
        "abilities_bulk_changed",
    ],
)
def test_every_edit_that_can_change_a_report_marks_its_programme_stale(two_programmes, edit):
    p1, ability, position = (
        two_programmes["p1"],
        two_programmes["ability"],
        two_programmes["position"],
    )
    link = CourseAbilityFactory(course=two_programmes["c1"], ability=ability, level=level("I"))
    coverage_recompute(force=True)
    assert state(p1) == CoverageState.FRESH
    requirement = position.requirements.get()
    match edit:
        case "requirement_added":
            RequirementFactory(position=position)
        case "requirement_min_level_changed":
            requirement.min_level = level("I")
            requirement.save()
        case "requirement_deleted":
            requirement.delete()
        case "link_level_changed":
            link.level = level("M")
            link.save()
        case "link_deleted":
            link.delete()
        case "course_removed_from_programme":
            p1.programme_courses.get().delete()
        case "target_removed":
            p1.targets.get().delete()
        case "level_rank_changed":
            levels = {lv.code: lv for lv in Level.objects.all()}
            levels["M"].rank = 9
            levels["M"].save()
        case "ability_area_changed":
            ability.area = CompetencyAreaFactory()
            ability.save()
        case "requirements_bulk_changed":
            requirements_bulk_changed.send(sender=None, position_ids={position.pk})
        case "abilities_bulk_changed":
            abilities_bulk_changed.send(sender=None, ability_ids={ability.pk})
    assert state(p1) == CoverageState.STALE


def test_unrelated_edits_leave_reports_fresh(two_programmes):
    other_course = CourseFactory()
    CourseAbilityFactory(course=other_course, ability=two_programmes["ability"])
    RequirementFactory(position=PositionFactory(), ability=two_programmes["ability"])
    ability = two_programmes["ability"]
    ability.text = "renamed: names are attached when the report is served"
    ability.save()
    assert state(two_programmes["p1"]) == CoverageState.FRESH
    assert state(two_programmes["p2"]) == CoverageState.FRESH


def test_a_new_programme_gets_a_stale_coverage_row():
    programme = ProgrammeFactory()
    assert state(programme) == CoverageState.STALE


def test_unchanged_inputs_rebuild_nothing(two_programmes):
    p1 = two_programmes["p1"]
    coverage_mark_stale(programme_ids={p1.pk})
    result = coverage_recompute(programme_ids=[p1.pk])
    assert result.unchanged == [p1.pk]
    assert result.rebuilt == []
    assert state(p1) == CoverageState.FRESH


def test_a_fresh_report_is_not_recomputed_unless_forced(two_programmes):
    p1 = two_programmes["p1"]
    assert coverage_recompute(programme_ids=[p1.pk]).as_dict() == {
        "rebuilt": [],
        "unchanged": [],
        "still_stale": [],
        "superseded": [],
    }
    assert coverage_recompute(programme_ids=[p1.pk], force=True).unchanged == [p1.pk]


def test_an_edit_during_the_computation_keeps_the_programme_stale(two_programmes):
    """The report is written, but the state stays stale: the edit's own recompute is queued."""
    p1 = two_programmes["p1"]
    CourseAbility.objects.create(
        course=two_programmes["c1"], ability=two_programmes["ability"], level=level("M")
    )

    def edit_meanwhile(done, total):
        ProgrammeCoverage.objects.filter(programme=p1).update(state=CoverageState.STALE)

    result = coverage_recompute(programme_ids=[p1.pk], on_progress=edit_meanwhile)
    assert result.still_stale == [p1.pk]
    coverage = ProgrammeCoverage.objects.get(programme=p1)
    assert coverage.state == CoverageState.STALE
    assert coverage.percent == 100.0


@pytest.mark.django_db(transaction=True)
def test_a_recompute_overtaken_by_a_later_one_leaves_the_later_report():
    """Two recomputes of one programme overlap (two request threads, two workers): the first
    read its inputs before an edit; the edit's own recompute claimed the programme after it,
    read the edit and wrote a fresh report. The first, finishing last, must not write its older
    report over it (it did, and left it marked fresh: 20 concurrent API edits ended with a
    'fresh' report one link short)."""
    first, second = AbilityFactory(), AbilityFactory()
    position = PositionFactory()
    for ability in (first, second):
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course], targets=[position])
    CourseAbility.objects.create(course=course, ability=first, level=level("M"))
    assert ProgrammeCoverage.objects.get(programme=programme).percent == 50.0
    # Make the next run rebuild and write the report instead of finding it unchanged.
    ProgrammeCoverage.objects.filter(programme=programme).update(
        inputs_fingerprint="", report_digest=""
    )

    def edit_meanwhile(done, total):
        if not CourseAbility.objects.filter(ability=second).exists():
            # Committed at once: its commit hook recomputes inline, as another worker would.
            CourseAbility.objects.create(course=course, ability=second, level=level("M"))

    result = coverage_recompute(
        programme_ids=[programme.pk], force=True, on_progress=edit_meanwhile
    )

    assert result.superseded == [programme.pk]
    assert result.rebuilt == result.still_stale == []
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 100.0)
    (inputs,), catalogue = coverage_inputs(programme_ids=[programme.pk])
    assert coverage.inputs_fingerprint == fingerprints([inputs], catalogue)[programme.pk]


def test_the_broker_being_down_keeps_the_edit_and_the_stale_state_until_the_sweep(
    two_programmes, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setitem(recompute_coverage.app.conf, "task_always_eager", False)
    monkeypatch.setattr(recompute_coverage, "apply_async", broker_down)
    with (
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        CourseAbility.objects.create(
            course=two_programmes["c1"], ability=two_programmes["ability"], level=level("M")
        )
    assert CourseAbility.objects.filter(course=two_programmes["c1"]).exists()
    assert state(two_programmes["p1"]) == CoverageState.STALE
    assert "stay stale" in caplog.text

    result = coverage_sweep()
    assert result.rebuilt == [two_programmes["p1"].pk]
    coverage = ProgrammeCoverage.objects.get(programme=two_programmes["p1"])
    assert (coverage.state, coverage.percent) == (CoverageState.FRESH, 100.0)


def test_inputs_load_in_a_constant_number_of_queries(two_programmes, django_assert_num_queries):
    for _ in range(3):
        course = CourseFactory()
        CourseAbilityFactory(course=course, ability=two_programmes["ability"])
        ProgrammeFactory(courses=[course], targets=[two_programmes["position"]])
    # Seven queries, and one for the relations the default rule set counts (exact matches).
    with django_assert_num_queries(8):
        programmes, _ = coverage_inputs()
    assert len(programmes) == 5
    with django_assert_num_queries(8):
        programmes, _ = coverage_inputs(programme_ids=[two_programmes["p1"].pk])
    assert [p.id for p in programmes] == [two_programmes["p1"].pk]


def test_inputs_load_only_the_crosswalks_some_rule_set_counts(
    two_programmes, django_assert_num_queries
):
    """The children (a query of their own) only when a programme counts them, the relations only
    of the types some programme counts, and only those with a required end."""
    ability, p1, p2 = two_programmes["ability"], two_programmes["p1"], two_programmes["p2"]
    child = AbilityFactory(framework=ability.framework, parent=ability)
    partner, related, stranger = AbilityFactory(), AbilityFactory(), AbilityFactory()
    for source, target, relation_type in [
        (partner, ability, RelationType.EXACT_MATCH_OF),
        (ability, related, RelationType.IS_RELATED_TO),
        (partner, stranger, RelationType.EXACT_MATCH_OF),
    ]:
        AbilityRelation.objects.create(
            framework=source.framework, source=source, target=target, relation_type=relation_type
        )
    Programme.objects.update(crosswalk_exact_match=False)
    with django_assert_num_queries(7):
        _, catalogue = coverage_inputs()
    assert (catalogue.matches, catalogue.children) == ({}, {})

    Programme.objects.filter(pk=p1.pk).update(crosswalk_exact_match=True)
    with django_assert_num_queries(8):
        _, catalogue = coverage_inputs()
    exact = RelationType.EXACT_MATCH_OF.value
    assert catalogue.matches == {
        ability.pk: ((partner.pk, exact),),
        partner.pk: ((ability.pk, exact),),
    }
    assert catalogue.children == {}

    Programme.objects.filter(pk=p2.pk).update(crosswalk_related=True, crosswalk_children="all")
    with django_assert_num_queries(9):
        _, catalogue = coverage_inputs()
    assert catalogue.matches[ability.pk] == tuple(
        sorted([(partner.pk, exact), (related.pk, RelationType.IS_RELATED_TO.value)])
    )
    assert stranger.pk not in catalogue.matches
    assert catalogue.children == {ability.pk: (child.pk,)}


def test_the_command_recomputes_with_a_summary(two_programmes, capsys):
    coverage_mark_stale(programme_ids={two_programmes["p1"].pk})
    call_command("recompute_coverage", "--stale")
    assert "0 rebuilt, 1 unchanged" in capsys.readouterr().out
    assert state(two_programmes["p1"]) == CoverageState.FRESH
    call_command("recompute_coverage", "--program", str(two_programmes["p2"].pk))
    call_command("recompute_coverage", "--all")
    assert "0 rebuilt, 2 unchanged" in capsys.readouterr().out.splitlines()[-1]


def test_the_commands_progress_bar_redraws_in_place(two_programmes):
    """Observed: the bar went through the command's stderr wrapper, which ends every write with a
    line break (and on a terminal colours it as an error): each redraw was a line of its own,
    two of each state, a blank line after the last. A redraw starts with a carriage return and
    the bar ends with one line break."""
    coverage_mark_stale(programme_ids={two_programmes["p1"].pk})
    err = StringIO()
    call_command("recompute_coverage", "--stale", stdout=StringIO(), stderr=err)
    bar = err.getvalue()
    assert "programme" in bar
    assert bar.count("\n") == 1, repr(bar)
    assert bar.endswith("\n")


def test_the_command_rejects_unknown_programmes_and_needs_a_choice():
    with pytest.raises(CommandError, match="No programme with id 999999"):
        call_command("recompute_coverage", "--program", "999999")
    with pytest.raises(CommandError):
        call_command("recompute_coverage")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_deleting_a_programme_with_courses_and_targets_leaves_no_coverage_row(how):
    from curricula.models import Programme, ProgrammeCoverage
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import PositionFactory

    programme = ProgrammeFactory(courses=[CourseFactory()], targets=[PositionFactory()])
    if how == "instance":
        programme.delete()
    else:
        Programme.objects.filter(pk=programme.pk).delete()
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert not ProgrammeCoverage.objects.filter(programme_id=programme.pk).exists()
