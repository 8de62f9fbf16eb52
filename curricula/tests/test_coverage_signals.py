"""Coverage marked stale by single saves and deletes, whatever the instance was loaded with: the
old owner of a moved link, requirement, placement or relation is read from its row when saved
or deleted, not remembered when loaded."""

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from curricula.coverage import services
from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Ability, AbilityRelation, RelationType, Requirement
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks, monkeypatch):
    """P1 teaches c1 and targets q1, P2 teaches c2 and targets q2; c1 has a link (l1) to
    `ability`, both positions require it. Both reports are fresh (the setup has committed)."""
    with django_capture_on_commit_callbacks(execute=True):
        ability = AbilityFactory(area=CompetencyAreaFactory())
        q1, q2 = PositionFactory(), PositionFactory()
        r1 = RequirementFactory(position=q1, ability=ability, min_level=level("M"))
        RequirementFactory(position=q2, ability=ability, min_level=level("M"))
        c1, c2 = CourseFactory(), CourseFactory()
        l1 = CourseAbilityFactory(course=c1, ability=ability, level=level("I"))
        p1 = ProgrammeFactory(courses=[c1], targets=[q1])
        p2 = ProgrammeFactory(courses=[c2], targets=[q2])
    # What the receivers mark from now on (a programme is marked once per transaction, and
    # the test's transaction is never committed).
    marked: set[int] = set()
    mark = services.coverage_mark_stale

    def spy(*, programme_ids):
        marked.update(programme_ids)
        return mark(programme_ids=programme_ids)

    monkeypatch.setattr(services, "coverage_mark_stale", spy)
    return {"ability": ability, "c1": c1, "c2": c2, "q1": q1, "q2": q2, "p1": p1, "p2": p2,
            "l1": l1, "r1": r1, "marked": marked}  # fmt: skip


def stale(world) -> set[str]:
    return {name for name in ("p1", "p2") if world[name].pk in world["marked"]}


def test_loading_links_requirements_abilities_and_programmes_runs_no_receiver():
    """Observed: post_init receivers of curricula (and suggestions) remembered the old foreign
    keys of every link, placement, target, requirement, ability, relation and programme loaded
    anywhere (~4 µs of each from_db), for the few ever saved. A save or delete now reads them
    from the row it overwrites."""
    for model in (
        CourseAbility,
        ProgrammeCourse,
        ProgrammeTarget,
        Requirement,
        Ability,
        AbilityRelation,
        Programme,
    ):
        assert not post_init.has_listeners(model), model


def _move_link(world, how):
    match how:
        case "loaded":
            link = CourseAbility.objects.get(pk=world["l1"].pk)
            link.course = world["c2"]
            link.save()
        case "only":
            link = CourseAbility.objects.only("id", "course").get(pk=world["l1"].pk)
            link.course = world["c2"]
            link.save()
        case "update_fields":
            link = CourseAbility.objects.get(pk=world["l1"].pk)
            link.course = world["c2"]
            link.save(update_fields=["course"])
        case "key alone":
            link = CourseAbility.objects.get(pk=world["l1"].pk)
            link = CourseAbility(**{f.attname: getattr(link, f.attname) for f in link._meta.fields})
            link.course_id = world["c2"].pk
            link.save()
        case "created then saved twice":
            link = CourseAbility(course=world["c1"], ability=AbilityFactory(), level=level("I"))
            link.save()
            world["marked"].clear()
            link.course = world["c2"]
            link.save()
        case "after refresh_from_db":
            link = CourseAbility.objects.get(pk=world["l1"].pk)
            # moved meanwhile by a door that sends no signal, then read again
            CourseAbility.objects.filter(pk=link.pk).update(course=world["c2"])
            link.refresh_from_db()
            link.course = world["c1"]
            link.save()


@pytest.mark.parametrize(
    "how",
    ["loaded", "only", "update_fields", "key alone", "created then saved twice",
     "after refresh_from_db"],
)  # fmt: skip
def test_a_link_moved_to_another_course_marks_both_courses_programmes(world, how):
    _move_link(world, how)
    assert stale(world) == {"p1", "p2"}


@pytest.mark.parametrize("how", ["only", "defer", "update_fields"])
def test_a_link_edited_through_any_instance_marks_its_course_s_programmes(world, how):
    match how:
        case "only":
            link = CourseAbility.objects.only("id", "level").get(pk=world["l1"].pk)
            link.level = level("M")
            link.save()
        case "defer":
            link = CourseAbility.objects.defer("course").get(pk=world["l1"].pk)
            link.level = level("M")
            link.save()
        case "update_fields":
            link = CourseAbility.objects.get(pk=world["l1"].pk)
            link.level = level("M")
            link.course = world["c2"]  # in memory, not written: the link stays with c1
            link.save(update_fields=["level"])
            assert CourseAbility.objects.get(pk=link.pk).course_id == world["c1"].pk
    assert "p1" in stale(world)


@pytest.mark.parametrize("how", ["loaded", "only"])
def test_a_deleted_link_marks_its_course_s_programmes(world, how):
    if how == "only":
        link = CourseAbility.objects.only("id").get(pk=world["l1"].pk)
    else:
        link = CourseAbility.objects.get(pk=world["l1"].pk)
        link.course = world["c2"]  # in memory only: the row deleted is c1's
    link.delete()
    assert "p1" in stale(world)


def test_a_queryset_delete_of_links_read_in_part_marks_their_programmes(world):
    CourseAbility.objects.only("id").filter(pk=world["l1"].pk).delete()
    assert stale(world) == {"p1"}


@pytest.mark.parametrize("how", ["loaded", "only", "update_fields"])
@pytest.mark.parametrize("model", [ProgrammeCourse, ProgrammeTarget])
def test_a_course_or_target_moved_to_another_programme_marks_both(world, model, how):
    query = model.objects.filter(programme=world["p1"])
    row = query.only("id", "programme").get() if how == "only" else query.get()
    row.programme = world["p2"]
    row.save(update_fields=["programme"] if how == "update_fields" else None)
    assert stale(world) == {"p1", "p2"}


@pytest.mark.parametrize("how", ["loaded", "only", "update_fields"])
def test_a_requirement_moved_to_another_position_marks_both_positions_programmes(world, how):
    requirement = world["r1"]
    requirement = Requirement.objects.get(pk=requirement.pk)
    if how == "only":
        requirement = Requirement.objects.only("id", "position").get(pk=requirement.pk)
    requirement.position = world["q2"]
    requirement.ability = AbilityFactory()  # the pair (q2, ability) is taken
    fields = ["position", "ability"] if how == "update_fields" else None
    if how == "only":
        fields = ["position", "ability"]
    requirement.save(update_fields=fields)
    assert stale(world) == {"p1", "p2"}


def test_a_requirement_edited_through_a_partial_instance_marks_its_position_s_programmes(world):
    requirement = Requirement.objects.only("id", "min_level").get(pk=world["r1"].pk)
    requirement.min_level = level("I")
    requirement.save()
    assert stale(world) == {"p1"}


@pytest.mark.parametrize("how", ["loaded", "only", "update_fields"])
def test_a_relation_moved_to_another_ability_marks_the_programmes_of_both(world, how):
    relation = AbilityRelation.objects.create(
        source=AbilityFactory(), target=AbilityFactory(), relation_type=RelationType.EXACT_MATCH_OF
    )
    relation.source = world["ability"]
    relation.save()  # both programmes use `ability`
    world["marked"].clear()
    query = AbilityRelation.objects.filter(pk=relation.pk)
    relation = query.only("id", "source").get() if how == "only" else query.get()
    relation.source = AbilityFactory()
    relation.save(update_fields=["source"] if how == "update_fields" else None)
    assert stale(world) == {"p1", "p2"}  # the old source's programmes


@pytest.mark.parametrize("how", ["loaded", "only", "update_fields"])
def test_an_ability_moved_to_another_area_marks_its_programmes(world, how):
    query = Ability.objects.filter(pk=world["ability"].pk)
    ability = query.only("id", "area").get() if how == "only" else query.get()
    ability.area = CompetencyAreaFactory()
    ability.save(update_fields=["area"] if how == "update_fields" else None)
    assert stale(world) == {"p1", "p2"}


def test_an_ability_saved_without_its_area_marks_nothing_and_reads_nothing(world):
    ability = Ability.objects.get(pk=world["ability"].pk)
    ability.area = CompetencyAreaFactory()  # in memory, not written
    ability.text = "renamed"
    with CaptureQueriesContext(connection) as queries:
        ability.save(update_fields=["text"])
    assert not stale(world)
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "positions_ability"' in q["sql"]
    ]


@pytest.mark.parametrize("how", ["loaded", "only", "update_fields"])
def test_a_programme_s_crosswalk_rule_changed_marks_it(world, how):
    query = Programme.objects.filter(pk=world["p1"].pk)
    programme = query.only("id", "crosswalk_related").get() if how == "only" else query.get()
    programme.crosswalk_related = not programme.crosswalk_related
    programme.save(update_fields=["crosswalk_related"] if how == "update_fields" else None)
    assert stale(world) == {"p1"}


def test_a_programme_saved_with_its_rules_unchanged_marks_nothing(world):
    Programme.objects.get(pk=world["p1"].pk).save()
    Programme.objects.only("id", "name").get(pk=world["p1"].pk).save()
    assert not stale(world)


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (CourseAbility, "l1"),
        (Requirement, "r1"),
        (Ability, "ability"),
        (Programme, "p1"),
    ],
)
def test_a_save_of_an_existing_row_reads_it_once_at_most(world, model, key):
    instance = model.objects.get(pk=world[key].pk)
    with CaptureQueriesContext(connection) as queries:
        instance.save()
    own = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and f'FROM "{model._meta.db_table}"' in q["sql"]
    ]
    assert len(own) <= 1, own


def test_a_new_link_reads_no_row_before_its_insert(world):
    link = CourseAbility(course=world["c1"], ability=AbilityFactory(), level=level("I"))
    with CaptureQueriesContext(connection) as queries:
        link.save()
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "curricula_courseability"' in q["sql"]
    ]


def test_a_link_moved_through_a_partial_instance_recomputes_both_programmes_after_commit(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    dispatched = []
    monkeypatch.setattr(
        services, "coverage_dispatch", lambda *, programme_ids: dispatched.append(programme_ids)
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        link = CourseAbility.objects.only("id", "course").get(pk=world["l1"].pk)
        link.course = world["c2"]
        link.save()
        assert not dispatched  # not before the commit
    assert dispatched == [{world["p1"].pk, world["p2"].pk}]


@pytest.mark.parametrize(
    ("model", "key", "edited", "owner"),
    [(CourseAbility, "l1", "level", "course_id"), (Requirement, "r1", "min_level", "position_id")],
)
def test_a_partial_instance_s_owner_is_read_once_by_its_save(world, model, key, edited, owner):
    """The owner read before the save is the deferred field's value too: the save's history
    record does not load it again by a query of its own (it still loads the other deferred
    fields, one query each)."""
    instance = model.objects.only("id", edited).get(pk=world[key].pk)
    setattr(instance, edited, level("R"))
    with CaptureQueriesContext(connection) as queries:
        instance.save()
    column = f'"{model._meta.db_table}"."{owner}"'
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and column in q["sql"].split(" FROM ")[0]
    ]
    assert len(reads) == 1, reads
