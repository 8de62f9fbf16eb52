"""Reads for the CASE provider.

Every function returns plain rows (dicts from `.values()`), never model instances: a package of a
framework with tens of thousands of abilities is built from a constant number of queries with no
per-row model construction and no lazy foreign-key loads.
"""

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform

from curricula.case import identifiers
from curricula.models import Course, CourseAbility
from positions.case_identifiers import case_identifier
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Level,
    area_ordering,
)

Row = dict[str, Any]

FRAMEWORK_FIELDS = (
    "id",
    "identifier",
    "name",
    "name_zh",
    "source",
    "uri",
    "version",
    "description",
    "language",
    "provenance",
    "source_ref",
    "updated_at",
    "extra",
    "external_id",
)
ABILITY_FIELDS = (
    "id",
    "identifier",
    "external_id",
    "uri",
    "code",
    "text",
    "text_zh",
    "short_name",
    "description",
    "alt_labels",
    "item_type",
    "order",
    "updated_at",
    "extra",
    "parent__identifier",
    "parent__code",
    "parent__text",
    "area__code",
    "area__name",
)
# A single item outside its package also needs its document and its language.
ABILITY_DOCUMENT_FIELDS = (
    "framework__identifier",
    "framework__name",
    "framework__language",
)
RELATION_FIELDS = (
    "id",
    "identifier",
    "relation_type",
    "extension_type",
    "notes",
    "extra",
    "updated_at",
    "source_uri",
    "source_label",
    "source_external_id",
    "target_uri",
    "target_label",
    "target_external_id",
    "source__identifier",
    "source__code",
    "source__text",
    "target__identifier",
    "target__code",
    "target__text",
    "framework__identifier",
    "framework__name",
)
AREA_FIELDS = ("code", "name", "name_zh", "description", "description_zh", "updated_at")
COURSE_FIELDS = (
    "id",
    "identifier",
    "code",
    "title",
    "title_zh",
    "description",
    "outcomes",
    "language",
    "credits",
    "updated_at",
    "module__name",
    "module__name_zh",
    "module__code",
    "stage__name",
    "stage__name_zh",
    "stage__code",
)
COURSE_LINK_FIELDS = (
    "id",
    "updated_at",
    "note",
    "note_zh",
    "course__identifier",
    "course__code",
    "course__title",
    "ability__identifier",
    "ability__code",
    "ability__text",
    "level__code",
    "level__name",
    "level__name_zh",
    "level__rank",
)
# Big packages are streamed from the database in chunks rather than fetched in one list.
CHUNK_SIZE = 2000


def _latest(model, **filters) -> Subquery:
    return Subquery(
        model.objects.filter(**filters)
        .order_by()
        .values("framework_id")
        .annotate(latest=Max("updated_at"))
        .values("latest")[:1]
    )


def _latest_deletion(model, **filters) -> Subquery:
    """When a row of `model` matching `filters` was last deleted, from its history: a deletion
    leaves no row to carry a change stamp. Partial indexes on the deletions keep it one index
    probe (positions 0017, curricula 0019)."""
    return Subquery(
        model.history.filter(history_type="-", **filters)
        .order_by("-history_date")
        .values("history_date")[:1]
    )


def latest_deletion(model) -> datetime | None:
    """When any row of `model` was last deleted, None if none ever was."""
    return model.history.filter(history_type="-").aggregate(latest=Max("history_date"))["latest"]


def case_framework_deleted_at() -> datetime | None:
    """When a framework was last deleted: the document list changed then."""
    return latest_deletion(Framework)


def _frameworks_with_changes():
    """Frameworks with the latest change to any of their abilities and relations, deletions
    included: a package changed when anything in it did (lastChangeDateTime, Last-Modified, and
    the package's cache key)."""
    return Framework.objects.annotate(
        abilities_changed_at=_latest(Ability, framework_id=OuterRef("pk")),
        relations_changed_at=_latest(AbilityRelation, framework_id=OuterRef("pk")),
        abilities_deleted_at=_latest_deletion(Ability, framework_id=OuterRef("pk")),
        relations_deleted_at=_latest_deletion(AbilityRelation, framework_id=OuterRef("pk")),
        ability_count=Subquery(
            Ability.objects.filter(framework_id=OuterRef("pk"), retired=False)
            .order_by()
            .values("framework_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
        relation_count=Subquery(
            AbilityRelation.objects.filter(framework_id=OuterRef("pk"))
            .order_by()
            .values("framework_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
    )


CHANGE_FIELDS = (
    "abilities_changed_at",
    "relations_changed_at",
    "abilities_deleted_at",
    "relations_deleted_at",
    "ability_count",
    "relation_count",
)


def case_framework_list() -> list[Row]:
    """Every framework but one claiming the course catalogue's identifier: CFDocument
    identifiers are unique, and that one is the catalogue's."""
    return list(
        _frameworks_with_changes()
        .exclude(identifier=identifiers.course_catalogue_identifier())
        .order_by("name", "id")
        .values(*FRAMEWORK_FIELDS, *CHANGE_FIELDS)
    )


def case_framework_get(*, identifier: uuid.UUID) -> Row | None:
    return (
        _frameworks_with_changes()
        .filter(identifier=identifier)
        .values(*FRAMEWORK_FIELDS, *CHANGE_FIELDS)
        .first()
    )


def case_ability_rows(*, framework_id: int) -> Iterator[Row]:
    """The framework's abilities, in the order the framework lists them: those its latest
    import no longer listed (retired) are not in it any more, as they are not in its
    publisher's package (each stays at CFItems/{id}, which course links may name).

    An ability whose humanCodingScheme another ability of the framework holds as its code (the
    import kept it in `extra` only) comes after all the others: the importer gives a code
    shared by several items to the first of them in the file, so the package read into another
    database gives it to the same item (listed by order, a sharer could come first)."""
    holder = Ability.objects.filter(
        ~Q(code=""), framework_id=framework_id, code=OuterRef("kept_code")
    )
    return (
        Ability.objects.filter(framework_id=framework_id, retired=False)
        .annotate(kept_code=KeyTextTransform("humanCodingScheme", "extra"))
        .annotate(shares_code=Q(code="") & Exists(holder))
        .order_by("shares_code", "order", "code", "id")
        .values(*ABILITY_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def case_ability_get(*, identifier: uuid.UUID) -> Row | None:
    return (
        Ability.objects.filter(identifier=identifier)
        .values(*ABILITY_FIELDS, *ABILITY_DOCUMENT_FIELDS)
        .first()
    )


def case_relation_rows(*, framework_id: int) -> Iterator[Row]:
    """Relations the framework lists; either end may be another framework's or external."""
    return (
        AbilityRelation.objects.filter(framework_id=framework_id)
        .order_by("source_id", "relation_type", "id")
        .values(*RELATION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def case_relation_get(*, identifier: uuid.UUID) -> Row | None:
    return AbilityRelation.objects.filter(identifier=identifier).values(*RELATION_FIELDS).first()


def case_area_rows(*, codes: Iterable[str]) -> list[Row]:
    return list(
        CompetencyArea.objects.filter(code__in=list(codes))
        .order_by(*area_ordering())
        .values(*AREA_FIELDS)
    )


def case_area_get_by_item_type(*, identifier: uuid.UUID) -> Row | None:
    """The competency area published as item type `identifier` (areas are few: scan them)."""
    for row in CompetencyArea.objects.order_by("code").values(*AREA_FIELDS):
        if identifiers.area_item_type_identifier(row["code"]) == identifier:
            return row
    return None


def case_label_item_type_get(*, identifier: uuid.UUID) -> Row | None:
    """The free-text item type published as `identifier`, with the latest change among its items.

    Free-text item types are the `item_type` labels of abilities without a competency area, and
    the course catalogue's "Course".
    """
    if identifier == identifiers.label_item_type_identifier(identifiers.COURSE_ITEM_TYPE_LABEL):
        changed = Course.objects.aggregate(latest=Max("updated_at"))["latest"]
        return {"label": identifiers.COURSE_ITEM_TYPE_LABEL, "updated_at": changed}
    labels = (
        Ability.objects.filter(area__isnull=True)
        .exclude(item_type="")
        .order_by()
        .values_list("item_type", flat=True)
        .distinct()
    )
    for label in labels:
        if identifiers.label_item_type_identifier(label) == identifier:
            changed = Ability.objects.filter(area__isnull=True, item_type=label).aggregate(
                latest=Max("updated_at")
            )["latest"]
            return {"label": label, "updated_at": changed}
    return None


def case_course_rows() -> list[Row]:
    return list(Course.objects.order_by("code").values(*COURSE_FIELDS))


def case_course_get(*, identifier: uuid.UUID) -> Row | None:
    return Course.objects.filter(identifier=identifier).values(*COURSE_FIELDS).first()


def case_course_link_rows() -> Iterator[Row]:
    return (
        CourseAbility.objects.order_by("course__code", "ability__code", "id")
        .values(*COURSE_LINK_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def case_course_catalogue_changed_at() -> datetime | None:
    """The latest change to a course or to a course-ability link, deletions included; None if
    there has never been one."""
    courses = Course.objects.aggregate(latest=Max("updated_at"))["latest"]
    links = CourseAbility.objects.aggregate(latest=Max("updated_at"))["latest"]
    stamps = (courses, links, latest_deletion(Course), latest_deletion(CourseAbility))
    return max((when for when in stamps if when is not None), default=None)


def case_child_of_find(*, identifier: uuid.UUID) -> Row | None:
    """The ability whose isChildOf edge is published as `identifier`, with its document.

    An imported edge keeps the identifier its package gave it (Ability.extra); the others are
    name-based, so there is nothing to look up by: the (identifier, parent, framework) triples
    are scanned in one streamed query, without building models.
    """
    kept = (
        Ability.objects.filter(extra__caseTree__association=str(identifier))
        .values(*ABILITY_FIELDS, *ABILITY_DOCUMENT_FIELDS)
        .first()
    )
    if kept is not None:
        return kept
    triples = (
        Ability.objects.order_by()
        .values_list("id", "identifier", "parent__identifier", "framework__identifier")
        .iterator(chunk_size=CHUNK_SIZE * 5)
    )
    for pk, child, parent, framework in triples:
        if identifiers.child_of_identifier(child, parent or framework) == identifier:
            return (
                Ability.objects.filter(pk=pk)
                .values(*ABILITY_FIELDS, *ABILITY_DOCUMENT_FIELDS)
                .first()
            )
    return None


def case_course_child_of_find(*, identifier: uuid.UUID) -> Row | None:
    """The course whose isChildOf edge to the catalogue is published as `identifier`."""
    catalogue = identifiers.course_catalogue_identifier()
    for pk, course in Course.objects.order_by().values_list("id", "identifier").iterator():
        if identifiers.child_of_identifier(course, catalogue) == identifier:
            return Course.objects.filter(pk=pk).values(*COURSE_FIELDS).first()
    return None


def case_course_link_find(*, identifier: uuid.UUID) -> Row | None:
    """The course-ability link published as `identifier` (scanned like the isChildOf edges)."""
    pairs = (
        CourseAbility.objects.order_by()
        .values_list("id", "course__identifier", "ability__identifier")
        .iterator(chunk_size=CHUNK_SIZE * 5)
    )
    for pk, course, ability in pairs:
        if identifiers.course_link_identifier(course, ability) == identifier:
            return CourseAbility.objects.filter(pk=pk).values(*COURSE_LINK_FIELDS).first()
    return None


def case_ability_children(*, ability_id: int) -> list[Row]:
    """The ability's children still in its framework (retired ones are not)."""
    return list(
        Ability.objects.filter(parent_id=ability_id, retired=False)
        .order_by("order", "code", "id")
        .values(*ABILITY_FIELDS)
    )


def case_relations_of(*, ability_id: int) -> list[Row]:
    """Relations from or to the ability, whichever framework lists them."""
    return list(
        AbilityRelation.objects.filter(Q(source_id=ability_id) | Q(target_id=ability_id))
        .order_by("id")
        .values(*RELATION_FIELDS)
    )


def case_course_links_of(*, ability_id: int | None = None, course_id: int | None = None) -> list:
    links = CourseAbility.objects.order_by("course__code", "ability__code", "id")
    if ability_id is not None:
        links = links.filter(ability_id=ability_id)
    if course_id is not None:
        links = links.filter(course_id=course_id)
    return list(links.values(*COURSE_LINK_FIELDS))


def case_kept_item_type_get(*, identifier: uuid.UUID) -> tuple[Row, dict] | None:
    """An item type an import kept in its framework's CFDefinitions, with that framework."""
    wanted = str(identifier)
    for framework in Framework.objects.filter(extra__has_key="CFDefinitions").values(
        *FRAMEWORK_FIELDS
    ):
        definitions = framework["extra"].get("CFDefinitions")
        kept = definitions.get("CFItemTypes") if isinstance(definitions, dict) else None
        for item_type in kept if isinstance(kept, list) else []:
            if (
                isinstance(item_type, dict)
                and isinstance(item_type.get("identifier"), str)
                and case_identifier(item_type["identifier"]) == wanted
            ):
                return framework, item_type
    return None


def case_frameworks_defining(*, kind: str, identifier: uuid.UUID) -> list[Row]:
    """The frameworks whose import kept a definition of `kind` (CFAssociationGroupings, ...)
    with this identifier in their CFDefinitions, by id. Frameworks are few: scanned, as JSON
    containment is not portable across the databases this runs on."""
    wanted = str(identifier)
    found = []
    for framework in (
        Framework.objects.filter(extra__has_key="CFDefinitions")
        .order_by("id")
        .values(*FRAMEWORK_FIELDS)
    ):
        definitions = framework["extra"].get("CFDefinitions")
        kept = definitions.get(kind) if isinstance(definitions, dict) else None
        if any(
            isinstance(entry, dict) and entry.get("identifier") == wanted
            for entry in (kept if isinstance(kept, list) else [])
        ):
            found.append(framework)
    return found


def case_framework_definitions(*, identifiers: Iterable[uuid.UUID]) -> list[Row]:
    """The frameworks' identifiers and `extra` (where their kept CFDefinitions are)."""
    return list(
        Framework.objects.filter(identifier__in=set(identifiers)).values("identifier", "extra")
    )


def case_course_catalogue_stats() -> Row:
    """Counts and latest changes of courses and course-ability links, and of the abilities the
    links name, the courses' modules and training stages and the levels' names: everything the
    catalogue package shows."""
    courses = Course.objects.aggregate(
        course_count=Count("id"),
        course_latest=Max("updated_at"),
        modules_latest=Max("module__updated_at"),
        stages_latest=Max("stage__updated_at"),
    )
    links = CourseAbility.objects.aggregate(link_count=Count("id"), link_latest=Max("updated_at"))
    deletions = {
        "course_deleted": latest_deletion(Course),
        "link_deleted": latest_deletion(CourseAbility),
    }
    # Levels have no change stamp, and are a handful: their names and ranks as they stand.
    levels = list(Level.objects.order_by("code").values_list("code", "name", "name_zh", "rank"))
    return {**courses, **links, **deletions, "levels": levels, **case_referenced_stats()}


def case_referenced_stats() -> Row:
    """What packages show of records outside them (an ability's code in a link's title, an
    area's name): its latest change and count, so a cached package is rebuilt when it moves."""
    abilities = Ability.objects.aggregate(
        abilities_latest=Max("updated_at"), abilities_total=Count("id")
    )
    areas = CompetencyArea.objects.aggregate(areas_latest=Max("updated_at"))
    return {**abilities, **areas}
