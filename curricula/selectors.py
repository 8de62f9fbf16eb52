"""Reads of the supply side: courses, their ability links, programmes and curriculum maps."""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Ability, Level, Requirement


def course_list() -> QuerySet[Course]:
    return Course.objects.all()


def course_ability_list() -> QuerySet[CourseAbility]:
    # The level is shown by its code, so it comes along; course and ability are shown as ids.
    return CourseAbility.objects.select_related("level")


def course_ability_rows(*, queryset: QuerySet[CourseAbility]) -> QuerySet:
    """`queryset` (already filtered) as plain tuples, for lists that page through thousands of
    links without instantiating them; `course_ability_dicts` renders a page of them.

    No join: the paginator counts this queryset, and a join to the levels made the count of 75k
    links twice as slow. The level ids become codes in `course_ability_dicts`.
    """
    return queryset.values_list("id", "course_id", "ability_id", "level_id", "note", "provenance")


def course_ability_dicts(*, rows: Iterable[tuple]) -> list[dict]:
    """Tuples of `course_ability_rows` as the API shows a link (CourseAbilitySerializer's
    shape), in one query for the level codes."""
    rows = list(rows)
    if not rows:
        return []
    codes = dict(Level.objects.values_list("id", "code"))
    return [
        {
            "id": pk,
            "course": course_id,
            "ability": ability_id,
            "level": codes[level_id],
            "note": note,
            "provenance": provenance,
        }
        for pk, course_id, ability_id, level_id, note, provenance in rows
    ]


def course_ability_export(*, queryset: QuerySet[CourseAbility]) -> Iterator[list]:
    """Rows for the CSV export of `queryset` (already filtered), streamed from the database."""
    # Plain tuples, not instances: 75k links with three related models each were the export's
    # whole cost (and would load every ability's `extra` JSON for nothing).
    rows = queryset.order_by(
        "course__code", "ability__framework_id", "ability__order", "ability__code", "id"
    ).values_list(
        "id",
        "course_id",
        "course__code",
        "course__title",
        "ability_id",
        "ability__code",
        "ability__text",
        "level__code",
        "note",
        "provenance",
    )
    for row in rows.iterator(chunk_size=2000):
        yield list(row)


COURSE_ABILITY_EXPORT_HEADER = [
    "id",
    "course_id",
    "course_code",
    "course_title",
    "ability_id",
    "ability_code",
    "ability_text",
    "level",
    "note",
    "provenance",
]


def programme_list() -> QuerySet[Programme]:
    """Programmes with certification, track, coverage summary, course ids (in Table III order)
    and target ids, in a constant number of queries."""
    return Programme.objects.select_related("certification", "track", "coverage").prefetch_related(
        Prefetch(
            "programme_courses",
            queryset=ProgrammeCourse.objects.order_by("order", "id").only(
                "id", "programme_id", "course_id", "order"
            ),
        ),
        Prefetch(
            "targets",
            queryset=ProgrammeTarget.objects.order_by("position_id").only(
                "id", "programme_id", "position_id"
            ),
        ),
    )


def programme_required_abilities(*, programme: Programme) -> list[Ability]:
    """The abilities any of the programme's target positions requires, in framework order."""
    required = Requirement.objects.filter(position__programme_targets__programme=programme)
    return list(
        Ability.objects.filter(pk__in=required.values("ability_id")).order_by(
            "framework_id", "order", "code", "id"
        )
    )


def programme_curriculum_map(
    *, programme: Programme
) -> tuple[list[Ability], Iterator[tuple[ProgrammeCourse, list[str]]]]:
    """The curriculum map: the required abilities (columns), then one row per programme course in
    order with the level code each course builds for each column ("" where it builds none)."""
    abilities = programme_required_abilities(programme=programme)
    ability_ids = [ability.pk for ability in abilities]
    levels = {
        (course_id, ability_id): code
        for course_id, ability_id, code in CourseAbility.objects.filter(
            course__programme_entries__programme=programme, ability_id__in=ability_ids
        )
        .values_list("course_id", "ability_id", "level__code")
        .iterator()
    }

    def rows() -> Iterator[tuple[ProgrammeCourse, list[str]]]:
        entries = (
            ProgrammeCourse.objects.filter(programme=programme)
            .select_related("course")
            .order_by("order", "id")
        )
        for entry in entries.iterator():
            yield entry, [levels.get((entry.course_id, pk), "") for pk in ability_ids]

    return abilities, rows()
