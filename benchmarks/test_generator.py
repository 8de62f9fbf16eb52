"""Correctness of the synthetic catalogue and of the benchmark's SQL lower bound (no timings)."""

from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from curricula.coverage.services import coverage_recompute
from curricula.generator import PRESETS, catalogue_generate
from curricula.models import (
    Course,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from positions.models import Ability, Position, Requirement

SMALL = PRESETS["small"]


def snapshot() -> dict:
    """The generated catalogue by natural keys, so two databases' catalogues can be compared."""
    return {
        "requirements": sorted(
            Requirement.objects.values_list(
                "position__code", "ability__code", "importance", "min_level__code", "order"
            )
        ),
        "links": sorted(
            CourseAbility.objects.values_list("course__code", "ability__code", "level__code")
        ),
        "entries": sorted(
            ProgrammeCourse.objects.values_list("programme__name", "course__code", "order")
        ),
        "targets": sorted(ProgrammeTarget.objects.values_list("programme__name", "position__code")),
        "abilities": sorted(
            Ability.objects.values_list("code", "parent__code", "area__code", "identifier")
        ),
    }


@pytest.mark.django_db
def test_small_preset_writes_exactly_its_counts_and_leaves_coverage_stale():
    call_command("generate_catalog", "--preset", "small", verbosity=0)

    assert Position.objects.count() == SMALL.positions
    assert Ability.objects.count() == SMALL.abilities
    assert Requirement.objects.count() == SMALL.requirements
    assert Course.objects.count() == SMALL.courses
    assert CourseAbility.objects.count() == SMALL.links
    assert Programme.objects.count() == SMALL.programmes
    for programme in Programme.objects.all():
        assert programme.programme_courses.count() == SMALL.courses_per_programme
        assert programme.targets.count() == SMALL.targets_per_programme
    assert set(CourseAbility.objects.values_list("level__code", flat=True)) == {"I", "R", "M"}
    assert set(ProgrammeCoverage.objects.values_list("state", flat=True)) == {CoverageState.STALE}


@pytest.mark.django_db
def test_explicit_counts_override_the_preset():
    call_command(
        "generate_catalog",
        "--preset",
        "small",
        "--positions",
        "7",
        "--requirements",
        "50",
        "--programmes",
        "4",
        "--targets-per-programme",
        "2",
        verbosity=0,
    )

    assert Position.objects.count() == 7
    assert Requirement.objects.count() == 50
    assert Programme.objects.count() == 4
    assert ProgrammeTarget.objects.count() == 8


@pytest.mark.django_db
def test_same_seed_same_catalogue_other_seed_another():
    first = generated_then_rolled_back(seed=3)
    assert generated_then_rolled_back(seed=3) == first
    assert generated_then_rolled_back(seed=4) != first


def generated_then_rolled_back(*, seed: int) -> dict:
    """The snapshot of the small catalogue generated with `seed` into the database as it is,
    written in a savepoint rolled back after: the next one is generated into the same database
    (deleting a catalogue row by row, with its history and staleness signals, took longer than
    writing it)."""
    with transaction.atomic():
        catalogue_generate(size=SMALL, seed=seed)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


@pytest.mark.django_db
def test_batches_smaller_than_the_tables_still_write_everything():
    catalogue_generate(size=SMALL, batch_size=7)

    assert Requirement.objects.count() == SMALL.requirements
    assert CourseAbility.objects.count() == SMALL.links


@pytest.mark.django_db
def test_a_second_catalogue_or_impossible_counts_are_refused_with_a_message():
    call_command("generate_catalog", "--preset", "small", verbosity=0)
    with pytest.raises(CommandError, match="already"):
        call_command("generate_catalog", "--preset", "small", verbosity=0)

    with pytest.raises(ValueError, match="requirements"):
        catalogue_generate(size=replace(SMALL, positions=1, abilities=2, requirements=3))
    with pytest.raises(CommandError, match="more courses"):
        call_command(
            "generate_catalog", "--preset", "small", "--courses-per-programme", "999", verbosity=0
        )


@pytest.mark.django_db
def test_generated_programmes_are_partly_covered():
    """Courses and targets share a track, so reports are neither empty nor complete."""
    catalogue_generate(size=PRESETS["small"])
    coverage_recompute(force=True)

    percents = list(ProgrammeCoverage.objects.values_list("percent", flat=True))
    assert all(p is not None for p in percents)
    assert 0 < sum(percents) / len(percents) < 100


def _bound_statuses(sql: str) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(
            (programme, position, ability, status)
            for programme, position, ability, _, _, status in cursor.fetchall()
        )


def _engine_statuses() -> list[tuple]:
    return sorted(
        (coverage.programme_id, position["position"], row[0], row[3])
        for coverage in ProgrammeCoverage.objects.all()
        for position in coverage.report["positions"]
        for row in position["requirements"]
    )


@pytest.mark.django_db
def test_the_benchmarks_sql_bound_computes_the_same_gaps_as_the_engine():
    """The lower bound is only a bound if it does the engine's work: same rows, same statuses."""
    from benchmarks.run import BOUND_SQL

    catalogue_generate(size=PRESETS["small"], seed=11)
    coverage_recompute(force=True)
    from_sql = _bound_statuses(BOUND_SQL)

    assert from_sql == _engine_statuses()
    assert {status for *_, status in from_sql} == {"covered", "partial", "missing"}


@pytest.mark.django_db
def test_the_crosswalk_bound_computes_the_same_gaps_as_the_engine_under_each_rule_set():
    """The crosswalked recompute's bound does the engine's work too: exact matches (the crosswalk
    benchmark's variant) and isRelatedTo relations, counted or not as each programme's rules say,
    either end of the relation."""
    import random

    from benchmarks.bench_crosswalks import build_variant
    from benchmarks.run import BOUND_SQL, CROSSWALK_BOUND_SQL
    from curricula.models import CourseAbility, Programme, ProgrammeTarget
    from positions.models import AbilityRelation, Framework, RelationType, Requirement

    catalogue_generate(size=PRESETS["small"], seed=11)
    build_variant(share=0.3, seed=3)
    required = set(
        Requirement.objects.filter(
            position_id__in=ProgrammeTarget.objects.values("position_id")
        ).values_list("ability_id", flat=True)
    )
    linked = set(CourseAbility.objects.values_list("ability_id", flat=True))
    rng = random.Random(5)
    pairs = zip(
        rng.sample(sorted(required - linked), 15), rng.sample(sorted(linked), 15), strict=True
    )
    framework = Framework.objects.get(name="Crosswalk benchmark mirror")
    AbilityRelation.objects.bulk_create(
        AbilityRelation(
            framework=framework,
            # Either end: half the relations point from the linked ability, half to it.
            source_id=a if i % 2 else b,
            target_id=b if i % 2 else a,
            relation_type=RelationType.IS_RELATED_TO,
        )
        for i, (a, b) in enumerate(pairs)
    )
    programme_ids = sorted(Programme.objects.values_list("id", flat=True))
    Programme.objects.filter(id__in=programme_ids[::2]).update(crosswalk_related=True)
    Programme.objects.filter(id=programme_ids[1]).update(crosswalk_exact_match=False)
    coverage_recompute(force=True)

    from_engine = _engine_statuses()
    assert _bound_statuses(CROSSWALK_BOUND_SQL) == from_engine
    # Not the direct bound's answer: the crosswalks cover what no course links directly.
    direct = _bound_statuses(BOUND_SQL)
    changed = {row[0] for row, other in zip(direct, from_engine, strict=True) if row != other}
    assert programme_ids[0] in changed  # exact matches and related both counted
    assert programme_ids[1] not in changed  # neither: its rows are the direct bound's


@pytest.mark.django_db
def test_fast_list_paths_render_exactly_what_the_serializers_would(api_client):
    """positions/ and course-abilities/ pages skip the per-row serializer pass for speed; each row
    must still be what the serializer renders for that record."""
    from curricula.api.serializers import CourseAbilitySerializer
    from positions.api.serializers import PositionRequirementSerializer

    catalogue_generate(size=SMALL, seed=5)

    links = api_client.get("/api/v1/course-abilities/?page_size=1000").json()["results"]
    expected = CourseAbilitySerializer(
        CourseAbility.objects.select_related("level").order_by("course_id", "ability_id"),
        many=True,
    ).data
    assert links == [dict(row) for row in expected]
    assert len(links) == SMALL.links

    positions = api_client.get("/api/v1/positions/?page_size=100").json()["results"]
    assert len(positions) == SMALL.positions
    for position in positions:
        requirements = Requirement.objects.filter(position_id=position["id"]).order_by(
            "order", "id"
        )
        assert position["requirements"] == [
            dict(row) for row in PositionRequirementSerializer(requirements, many=True).data
        ]
