"""Reads of the course catalogue: courses and their ability links, for the API and exports."""

from collections.abc import Callable, Iterable, Iterator

from django.db import connections
from django.db.models import Case, F, QuerySet, Sum, When
from django.utils import timezone

from core.i18n import localized
from core.models import normalized_code
from core.number_codes import NUMBER_LIKE, NumberReadings
from curricula.models import Course, CourseAbility, CourseAbilityCount
from positions.models import Framework, Level, Requirement

# The ability's URI and external identifier, which name it in every installation holding its
# framework (a code is the installation's own): written last, after the columns files had before
# them, and read first by the imports when they name an ability (curricula.resources.AbilityWidget).
PORTABLE_ABILITY_COLUMNS = ["ability_uri", "ability_external_id"]

# The columns of a requirement file, which the export writes and every import door reads
# (curricula.resources.RequirementResource).
REQUIREMENT_EXPORT_HEADER = [
    "position",
    "position_name",
    "position_name_zh",
    "framework",
    "ability",
    "importance",
    "min_level",
    *PORTABLE_ABILITY_COLUMNS,
]


def course_list() -> QuerySet[Course]:
    return Course.objects.all()


def course_code_readings(*, key: Callable[[str], str] = normalized_code) -> NumberReadings:
    """The catalogue's course codes by the number a spreadsheet reads each as: what an unknown
    or new code may have been (007 for 7), compared by `key` as the import compares codes. Read
    once, and only when a code first needs it."""
    return NumberReadings(
        lambda: Course.objects.filter(code__regex=NUMBER_LIKE).values_list("code", flat=True),
        key=key,
    )


def course_ability_list() -> QuerySet[CourseAbility]:
    # The level is shown by its code, so it comes along; course and ability are shown as ids.
    return CourseAbility.objects.select_related("level")


def course_ability_total() -> int | None:
    """How many links there are, from the trigger-kept counter (one small query instead of
    counting 75k rows); None where the counter is not kept (no triggers outside PostgreSQL),
    even with rows in it: a dump of a PostgreSQL database loaded into SQLite brings them,
    and nothing there keeps them."""
    if connections[CourseAbilityCount.objects.db].vendor != "postgresql":
        return None
    return CourseAbilityCount.objects.aggregate(total=Sum("rows"))["total"]


def course_ability_rows(*, queryset: QuerySet[CourseAbility]) -> QuerySet:
    """`queryset` (already filtered) as plain tuples, for lists that page through thousands of
    links without instantiating them; `course_ability_dicts` renders a page of them.

    No join: the paginator counts this queryset, and a join to the levels made the count of 75k
    links twice as slow. The level ids become codes in `course_ability_dicts`.
    """
    return queryset.values_list(
        "id", "course_id", "ability_id", "level_id", "note", "note_zh", "provenance", "updated_at"
    )


def course_ability_dicts(*, rows: Iterable[tuple]) -> list[dict]:
    """Tuples of `course_ability_rows` as the API shows a link (CourseAbilitySerializer's
    shape), in one query for the level codes."""
    rows = list(rows)
    if not rows:
        return []
    codes = dict(Level.objects.values_list("id", "code"))
    # In the site's time zone, as the API's serializers give times; looked up once, not per row
    # (timezone.localtime per row was half the page's Python time).
    zone = timezone.get_current_timezone()
    return [
        {
            "id": pk,
            "course": course_id,
            "ability": ability_id,
            "level": codes[level_id],
            "note": note,
            "note_zh": note_zh,
            "display_note": localized(note, note_zh),
            "provenance": provenance,
            "updated_at": updated_at.astimezone(zone),
        }
        for pk, course_id, ability_id, level_id, note, note_zh, provenance, updated_at in rows
    ]


# The one column set for links, everywhere: the API's export and import and the admin's
# (curricula.resources.CourseAbilityResource) read and write these, keyed by what people read.
COURSE_ABILITY_EXPORT_HEADER = [
    "course",
    "framework",
    "ability",
    "level",
    "note",
    "note_zh",
    *PORTABLE_ABILITY_COLUMNS,
]


def course_ability_export(*, queryset: QuerySet[CourseAbility]) -> Iterator[list]:
    """Rows for the CSV export of `queryset` (already filtered), streamed from the database, in
    COURSE_ABILITY_EXPORT_HEADER's columns: the course code, the framework's identifier, the
    ability's code (its identifier when it has none), the level code, the note and the Chinese
    note, the ability's URI and external identifier (blank when it has none). The file imports
    back unchanged, through the API or the admin, and into another installation holding the
    framework under other codes (by the URI or external identifier)."""
    # Plain tuples, not instances: 75k links with three related models each were the export's
    # whole cost (and would load every ability's `extra` JSON for nothing). The frameworks are
    # few: their identifiers are read once, not joined to every row; only an ability without a
    # code brings its identifier (a UUID to convert) along.
    frameworks = {
        pk: str(identifier) for pk, identifier in Framework.objects.values_list("pk", "identifier")
    }
    codeless = Case(When(ability__code="", then=F("ability__identifier")), default=None)
    rows = (
        queryset.order_by(
            "course__code", "ability__framework_id", "ability__order", "ability__code", "id"
        )
        .annotate(_identifier=codeless)
        .values_list(
            "course__code",
            "ability__framework_id",
            "ability__code",
            "_identifier",
            "level__code",
            "note",
            "note_zh",
            "ability__uri",
            "ability__external_id",
        )
    )
    for (
        course,
        framework_id,
        code,
        identifier,
        level,
        note,
        note_zh,
        uri,
        external_id,
    ) in rows.iterator(chunk_size=2000):
        ability = code or str(identifier)
        yield [course, frameworks[framework_id], ability, level, note, note_zh, uri, external_id]


def requirement_export(*, queryset: QuerySet[Requirement]) -> Iterator[list]:
    """Rows for the CSV export of `queryset` (already filtered), streamed from the database, in
    REQUIREMENT_EXPORT_HEADER's columns: the position's code (its name when it has none), its
    name and Chinese name, the framework's identifier, the ability's code (its identifier when
    it has none), the importance and the minimum level's code, the ability's URI and external
    identifier (blank when it has none). The file imports back unchanged, through the API, the
    admin or the command, and into another installation holding the framework under other codes
    (by the URI or external identifier)."""
    frameworks = {
        pk: str(identifier) for pk, identifier in Framework.objects.values_list("pk", "identifier")
    }
    codeless = Case(When(ability__code="", then=F("ability__identifier")), default=None)
    rows = (
        queryset.order_by("position__order", "position__name", "position_id", "order", "id")
        .annotate(_identifier=codeless)
        .values_list(
            "position__code",
            "position__name",
            "position__name_zh",
            "ability__framework_id",
            "ability__code",
            "_identifier",
            "importance",
            "min_level__code",
            "ability__uri",
            "ability__external_id",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        code, name, name_zh, framework_id, ability, identifier, importance, level, *portable = row
        yield [
            code or name,
            name,
            name_zh,
            frameworks[framework_id],
            ability or str(identifier),
            importance,
            level,
            *portable,
        ]
