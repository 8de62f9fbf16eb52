"""The CASE provider's reads: each operation of the CASE 1.1 service, as selectors + builders.

Every function takes already-parsed arguments and returns the JSON payload of the operation, or
None when the identifier names nothing (the view turns that into CASE's 'unknownobject').
"""

import hashlib
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import get_language, gettext

from core.api.renderers import JSONRenderer
from curricula.case import builders, identifiers, selectors
from curricula.case.builders import JSON, Links

# The CFDocument properties a client may sort the document list by (all single-valued).
SORTABLE_DOCUMENT_FIELDS = frozenset(
    {
        "identifier",
        "uri",
        "title",
        "creator",
        "publisher",
        "description",
        "language",
        "version",
        "caseVersion",
        "lastChangeDateTime",
        "officialSourceURL",
    }
)
DEFAULT_DOCUMENT_SORT = "title"
# Bump when the package's JSON changes shape, so cached packages are rebuilt.
PACKAGE_FORMAT = 11
CHUNK_BYTES = 64 * 1024
_renderer = JSONRenderer()


@dataclass(frozen=True)
class DocumentPage:
    documents: list[JSON]
    total: int
    # The latest lastChangeDateTime of every document, not only the page's: a document added
    # or changed anywhere moves what the page holds (and X-Total-Count).
    last_modified: datetime | None = None


def last_change(payload) -> datetime | None:
    """The latest lastChangeDateTime anywhere in a CASE payload (an object with its links and
    associations, a set), for its Last-Modified; None when it has none. A publisher's
    extensions are its own: a key of that name inside them is not a CASE stamp."""
    found: list[datetime] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            stamp = builders.case_datetime(value.get("lastChangeDateTime"))
            if stamp is not None:
                found.append(stamp)
            for key, inner in value.items():
                if isinstance(inner, dict | list) and key != "extensions":
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(payload)
    return max(found, default=None)


def document_list(
    *, links: Links, sort: str, descending: bool, offset: int, limit: int
) -> DocumentPage:
    """getAllCFDocuments: every framework and the course catalogue, sorted, then one page of it.

    Documents are few (one per framework), so they are built, sorted and sliced in Python; that
    keeps the course catalogue, which is not a row, in the same order as the frameworks.
    """
    documents = [builders.framework_document(row, links) for row in selectors.case_framework_list()]
    documents.append(
        builders.catalogue_document(selectors.case_course_catalogue_changed_at(), links)
    )

    def key(document: JSON) -> tuple:
        value = document.get(sort)
        missing = value is None
        # Missing values sort last in either direction; ties fall back to the identifier.
        text = str(value).casefold() if value is not None else ""
        return (missing != descending, text, document["identifier"])

    documents.sort(key=key, reverse=descending)
    return DocumentPage(
        documents=documents[offset : offset + limit],
        total=len(documents),
        last_modified=max(
            (
                when
                for when in (last_change(documents), selectors.case_framework_deleted_at())
                if when
            ),
            default=None,
        ),
    )


def document_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFDocument."""
    if identifier == identifiers.course_catalogue_identifier():
        return builders.catalogue_document(selectors.case_course_catalogue_changed_at(), links)
    framework = selectors.case_framework_get(identifier=identifier)
    return builders.framework_document(framework, links) if framework else None


@dataclass(frozen=True)
class PackageVersion:
    """What a package's content depends on, read in one query without building it: its ETag
    (and cache key) and its size in items and associations."""

    etag: str
    size: int
    # The framework row, or the catalogue's counts: what building the package starts from.
    row: JSON
    # The latest change stamp of what the package shows (Last-Modified); None if nothing has one.
    last_modified: datetime | None = None


def package_version(*, identifier: uuid.UUID) -> PackageVersion | None:
    """The version of the package, None when no such package exists. It changes whenever the
    package's content can: its framework, abilities or relations (latest change and count),
    any ability it may link to elsewhere, the areas, the base URL, the site's publisher and the
    language. Its last
    change is the latest stamp among them, deletions included (read from the history); a level
    renamed leaves none, which the ETag sees (the levels) and Last-Modified cannot."""
    if identifier == identifiers.course_catalogue_identifier():
        row = stats = selectors.case_course_catalogue_stats()
        size = 2 * stats["course_count"] + stats["link_count"]
        changes = [stats[key] for key in CATALOGUE_CHANGE_STAMPS]
    else:
        row = selectors.case_framework_get(identifier=identifier)
        if row is None:
            return None
        size = 2 * (row["ability_count"] or 0) + (row["relation_count"] or 0)
        stats = {**row, **selectors.case_referenced_stats()}
        changes = [builders.framework_changed_at(row), stats["abilities_latest"]]
        changes.append(stats["areas_latest"])
    key = repr(
        (
            PACKAGE_FORMAT,
            str(identifier),
            sorted(stats.items()),
            settings.CASE_BASE_URL,
            settings.CASE_PUBLISHER,
        )
    ) + str(get_language())
    return PackageVersion(
        etag=f'"{hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()}"',
        size=size,
        row=row,
        last_modified=max((when for when in changes if when is not None), default=None),
    )


# The change stamps among the catalogue's version (selectors.case_course_catalogue_stats).
CATALOGUE_CHANGE_STAMPS = (
    "course_latest",
    "link_latest",
    "course_deleted",
    "link_deleted",
    "modules_latest",
    "stages_latest",
    "abilities_latest",
    "areas_latest",
)


def package_chunks(
    *, identifier: uuid.UUID, links: Links, version: PackageVersion | None = None
) -> Iterator[bytes] | None:
    """getCFPackage as JSON bytes, in pieces of about CHUNK_BYTES: a framework's whole package,
    or the course catalogue's. Rows are read from the database a page at a time and each
    object is written as soon as it is built, so memory stays flat whatever the package's size
    (core of the hardening fix: a 100,000-item package no longer exists whole in memory)."""
    version = version or package_version(identifier=identifier)
    if version is None:
        return None
    if identifier == identifiers.course_catalogue_identifier():
        return _buffered(_catalogue_parts(version.row, links))
    return _buffered(_framework_parts(version.row, links))


def _framework_parts(framework: JSON, links: Links) -> Iterator[bytes]:
    """One pass over the abilities: each item is written out at once and its isChildOf edge
    to a temporary file, read back for CFAssociations (the tree's edges come after every item,
    and a second pass over the rows would cost as much again)."""
    with tempfile.TemporaryFile() as edges:
        yield from _framework_parts_spilling(framework, links, edges)


def _framework_parts_spilling(framework: JSON, links: Links, edges) -> Iterator[bytes]:
    language = framework["language"]
    groupings = builders.served_groupings(framework)
    area_codes: set[str] = set()
    label_changed: dict = {}
    edge_count = 0

    def items():
        nonlocal edge_count
        for ability in selectors.case_ability_rows(framework_id=framework["id"]):
            if ability["area__code"]:
                area_codes.add(ability["area__code"])
            builders.note_label(label_changed, ability)
            edge = builders.ability_child_of(ability, framework, links, groupings)
            if edge is not None:
                edges.write((b"," if edge_count else b"") + _dumps(edge))
                edge_count += 1
            yield builders.ability_item(ability, links, language=language)

    document = builders.framework_document(framework, links, in_package=True)
    yield b'{"CFDocument":' + _dumps(document) + b',"CFItems":['
    yield from _array(items())
    yield b'],"CFAssociations":['
    edges.seek(0)
    while chunk := edges.read(CHUNK_BYTES):
        yield chunk
    relations = (
        builders.relation_association(relation, links, groupings)
        for relation in selectors.case_relation_rows(framework_id=framework["id"])
    )
    yield from _array(relations, first=not edge_count)
    areas = selectors.case_area_rows(codes=area_codes)
    item_types = builders.package_item_types(framework, label_changed, areas, links)
    definitions = builders.definitions(item_types, links, framework)
    yield b'],"CFDefinitions":' + _dumps(definitions) + b"}"


def _catalogue_parts(stats: JSON, links: Links) -> Iterator[bytes]:
    changed_at = max(
        (when for when in (stats["course_latest"], stats["link_latest"]) if when is not None),
        default=None,
    )

    def associations():
        for course in selectors.case_course_rows():
            yield builders.course_child_of(course, links)
        for course_link in selectors.case_course_link_rows():
            yield builders.course_link_association(course_link, links)

    document = builders.catalogue_document(changed_at, links, in_package=True)
    yield b'{"CFDocument":' + _dumps(document) + b',"CFItems":['
    yield from _array(builders.course_item(c, links) for c in selectors.case_course_rows())
    yield b'],"CFAssociations":['
    yield from _array(associations())
    course_type = builders.label_item_type(
        identifiers.COURSE_ITEM_TYPE_LABEL, stats["course_latest"], links
    )
    yield b'],"CFDefinitions":' + _dumps(builders.definitions([course_type], links)) + b"}"


def _dumps(obj) -> bytes:
    return _renderer.render(obj)


def _array(objects: Iterable, *, first: bool = True) -> Iterator[bytes]:
    separator = b"" if first else b","
    for obj in objects:
        yield separator + _dumps(obj)
        separator = b","


def _buffered(parts: Iterable[bytes]) -> Iterator[bytes]:
    """The parts joined into pieces of about CHUNK_BYTES (fewer, larger writes)."""
    buffer = bytearray()
    for part in parts:
        buffer += part
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def item_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFItem: an ability, or a course of the catalogue."""
    ability = selectors.case_ability_get(identifier=identifier)
    if ability is not None:
        return builders.standalone_ability_item(ability, links)
    course = selectors.case_course_get(identifier=identifier)
    if course is not None:
        return builders.standalone_course_item(course, links)
    return None


def association_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFAssociation: a stored relation first (indexed), then the derived edges (scanned)."""
    relation = selectors.case_relation_get(identifier=identifier)
    if relation is not None:
        groupings = _served_groupings([relation["framework__identifier"]])
        return builders.with_document(
            builders.relation_association(
                relation, links, groupings[relation["framework__identifier"]]
            ),
            relation["framework__name"],
            relation["framework__identifier"],
            links,
        )
    ability = selectors.case_child_of_find(identifier=identifier)
    if ability is not None:
        document = {
            "identifier": ability["framework__identifier"],
            "name": ability["framework__name"],
        }
        groupings = _served_groupings([document["identifier"]])
        return builders.with_document(
            builders.ability_child_of(ability, document, links, groupings[document["identifier"]]),
            document["name"],
            document["identifier"],
            links,
        )
    catalogue_title = gettext("Course catalogue")
    catalogue = identifiers.course_catalogue_identifier()
    course = selectors.case_course_child_of_find(identifier=identifier)
    if course is not None:
        return builders.with_document(
            builders.course_child_of(course, links), catalogue_title, catalogue, links
        )
    course_link = selectors.case_course_link_find(identifier=identifier)
    if course_link is not None:
        return builders.with_document(
            builders.course_link_association(course_link, links),
            catalogue_title,
            catalogue,
            links,
        )
    return None


def item_type_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFItemType: a CFItemTypeSet. Item types here have no children, so it holds one."""
    area = selectors.case_area_get_by_item_type(identifier=identifier)
    if area is not None:
        return {"CFItemTypes": [builders.area_item_type(area, links)]}
    kept = selectors.case_kept_item_type_get(identifier=identifier)
    if kept is not None:
        framework, _item_type = kept
        item_types = builders.kept_item_types(framework, links)
        return {"CFItemTypes": [t for t in item_types if t["identifier"] == str(identifier)]}
    labelled = selectors.case_label_item_type_get(identifier=identifier)
    if labelled is not None:
        item_type = builders.label_item_type(labelled["label"], labelled["updated_at"], links)
        return {"CFItemTypes": [item_type]}
    return None


def association_grouping_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFAssociationGrouping: a grouping a framework's import kept, as its package lists
    it (the first framework by id, should two packages define the same grouping)."""
    for framework in selectors.case_frameworks_defining(
        kind="CFAssociationGroupings", identifier=identifier
    ):
        grouping = builders.kept_grouping(framework, str(identifier), links)
        if grouping is not None:
            return grouping
    return None


def _served_groupings(framework_identifiers: list) -> dict:
    """The association groupings served for each of these frameworks, in one query."""
    rows = selectors.case_framework_definitions(identifiers=framework_identifiers)
    served = {row["identifier"]: builders.served_groupings(row) for row in rows}
    return {identifier: served.get(identifier, frozenset()) for identifier in framework_identifiers}


def item_associations_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFItemAssociations: an item with every association it is an end of."""
    ability = selectors.case_ability_get(identifier=identifier)
    if ability is not None:
        document = {
            "identifier": ability["framework__identifier"],
            "name": ability["framework__name"],
        }
        relations = selectors.case_relations_of(ability_id=ability["id"])
        groupings = _served_groupings(
            [document["identifier"], *(r["framework__identifier"] for r in relations)]
        )
        associations = [
            builders.ability_child_of(row, document, links, groupings[document["identifier"]])
            for row in [ability, *selectors.case_ability_children(ability_id=ability["id"])]
        ]
        associations.extend(
            builders.relation_association(
                relation, links, groupings[relation["framework__identifier"]]
            )
            for relation in relations
        )
        associations.extend(
            builders.course_link_association(course_link, links)
            for course_link in selectors.case_course_links_of(ability_id=ability["id"])
        )
        item = builders.standalone_ability_item(ability, links)
        return {"CFItem": item, "CFAssociations": [a for a in associations if a is not None]}
    course = selectors.case_course_get(identifier=identifier)
    if course is not None:
        associations = [builders.course_child_of(course, links)]
        associations.extend(
            builders.course_link_association(course_link, links)
            for course_link in selectors.case_course_links_of(course_id=course["id"])
        )
        item = builders.standalone_course_item(course, links)
        return {"CFItem": item, "CFAssociations": associations}
    return None
