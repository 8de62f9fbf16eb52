"""Turn rows (from `curricula.case.selectors`) into CASE 1.1 JSON objects.

Pure functions: no queries, no request. Everything a builder needs arrives as arguments, so a
package of any size costs the queries its caller made and nothing more. Optional CASE properties
are left out when there is no value, rather than sent empty.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext

from core.models import uri_runs_content
from curricula.case import identifiers
from curricula.paper import data as paper
from positions.case_identifiers import (
    CASE_SOURCE,
    CHINESE_TAG,
    FORMAT_SOURCES,
    LINK_IDENTIFIER,
    LINK_KEYS,
    SOURCE,
    SOURCE_IDENTIFIER,
    SOURCE_URI,
    TRANSLATIONS,
    TREE_KEY,
    case_identifier,
    case_link,
    case_publisher,
    item_labels,
    published_keywords,
    site_publisher,
)
from positions.models import PAPER_FRAMEWORK_RULE

JSON = dict[str, Any]

CASE_VERSION = "1.1"
# lastChangeDateTime is required; an empty course catalogue has never changed.
NEVER_CHANGED = datetime(1970, 1, 1, tzinfo=UTC)
# CASE integers are int32.
INT32_MAX = 2**31 - 1
LINK_TITLE_LENGTH = 80
MISSING = object()


@dataclass(frozen=True)
class Links:
    """Absolute URIs of the provider's endpoints, from the root that serves them (ends in '/')."""

    root: str

    def document(self, identifier) -> str:
        return f"{self.root}CFDocuments/{identifier}"

    def package(self, identifier) -> str:
        return f"{self.root}CFPackages/{identifier}"

    def item(self, identifier) -> str:
        return f"{self.root}CFItems/{identifier}"

    def association(self, identifier) -> str:
        return f"{self.root}CFAssociations/{identifier}"

    def item_type(self, identifier) -> str:
        return f"{self.root}CFItemTypes/{identifier}"

    def association_grouping(self, identifier) -> str:
        return f"{self.root}CFAssociationGroupings/{identifier}"


def timestamp(when: datetime | None) -> str:
    """An RFC 3339 date-time in UTC, as CASE's lastChangeDateTime wants it."""
    return (when or NEVER_CHANGED).astimezone(UTC).isoformat(timespec="seconds")


def case_datetime(value: Any) -> datetime | None:
    """A CASE date-time (xsd:dateTime) another server wrote, as an aware datetime; None when
    it is no date-time.

    One with an offset ("Z", "+02:00") is the instant it names. One without ("2019-05-01T10:00:00",
    which xsd:dateTime allows) is read as UTC: it comes from another server, whose zone it does
    not say, and read as a naive datetime it took this server's TIME_ZONE (Python's
    astimezone reads a naive datetime in the process's zone), so the same package published
    other instants from servers in other zones."""
    if not isinstance(value, str):
        return None
    try:
        # RFC 3339 (5.6) allows a lower-case z (and t), which Python does not read.
        when = datetime.fromisoformat(value.strip().upper())
        # In UTC at once: an offset can carry an instant past year 1 or 9999 (OverflowError).
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def link(title: str, identifier, uri: str) -> JSON:
    """A CASE LinkURI / LinkGenURI."""
    return {"title": str(title), "identifier": str(identifier), "uri": uri}


def item_title(code: str | None, text: str | None) -> str:
    """How a link names an item: its code if it has one, else the start of its statement."""
    if code:
        return code
    text = " ".join((text or "").split())
    if len(text) > LINK_TITLE_LENGTH:
        return text[: LINK_TITLE_LENGTH - 1] + "…"
    return text


def _drop_empty(data: JSON) -> JSON:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _chinese(texts: JSON) -> JSON | None:
    """The `translations` extension of a record's Chinese text (`texts`: CASE property ->
    the `_zh` field's value), or None when it has none; an import reads it back."""
    texts = _drop_empty(texts)
    return {CHINESE_TAG: texts} if texts else None


# CASE properties an import may have kept in `extra` (positions.importers.case), with their
# shapes: republished when they still have that shape, so an imported framework round-trips
# without a malformed value from some other dialect ever breaking the package's validity.
LINKS = "links"  # a list of CASE LinkURIs (title, UUID identifier, URI), as subjectURI is
LINK = "link"  # one LinkURI, as licenseURI and conceptKeywordsURI are
DATE = "date"  # an ISO date (YYYY-MM-DD), as statusStartDate and statusEndDate are
GROUPING_LINK = "CFAssociationGroupingURI"  # an association's link to its grouping
DOCUMENT_EXTRA_PROPERTIES = {
    "creator": str,
    "publisher": str,
    "frameworkType": str,
    "adoptionStatus": str,
    "notes": str,
    "subject": list,
    "subjectURI": LINKS,
    "licenseURI": LINK,
    "statusStartDate": DATE,
    "statusEndDate": DATE,
    "extensions": dict,
}
ITEM_EXTRA_PROPERTIES = {
    "alternativeLabel": str,
    "listEnumeration": str,
    "notes": str,
    "language": str,
    "conceptKeywords": list,
    "conceptKeywordsURI": LINK,
    "subject": list,
    "subjectURI": LINKS,
    "educationLevel": list,
    "licenseURI": LINK,
    "statusStartDate": DATE,
    "statusEndDate": DATE,
    "extensions": dict,
}


def _is_link(value: Any) -> bool:
    return case_link(value) is not None


def _kept_properties(extra: Any, shapes: dict[str, type | str]) -> JSON:
    if not isinstance(extra, dict):
        return {}
    kept = {}
    for name, shape in shapes.items():
        value = extra.get(name)
        if shape == LINKS:
            # Links to the publisher's own objects (its CFSubjects), served as it gave them.
            if isinstance(value, list) and value and all(_is_link(entry) for entry in value):
                kept[name] = [{k: entry[k] for k in LINK_KEYS} for entry in value]
            continue
        if shape == LINK:
            # Its CFLicense or CFConcept, likewise.
            if _is_link(value):
                kept[name] = {k: value[k] for k in LINK_KEYS}
            continue
        if shape == DATE:
            if (day := _iso_date(value)) is not None:
                kept[name] = day
            continue
        if not isinstance(value, shape) or value in ("", [], {}):
            continue
        if shape is list and not all(isinstance(entry, str) for entry in value):
            continue
        kept[name] = value
    return kept


def _iso_date(value: Any) -> str | None:
    """A CASE date (YYYY-MM-DD) from a date, or from a date-time some exports write there."""
    if not isinstance(value, str):
        return None
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.strip().upper()).date().isoformat()
    except ValueError:
        return None


# --- Documents ---------------------------------------------------------------------------------


def framework_changed_at(framework: JSON) -> datetime:
    """The framework's real last change: its own, or its latest ability's or relation's, or
    the latest deletion of one of them."""
    return max(
        when
        for when in (
            framework["updated_at"],
            framework.get("abilities_changed_at"),
            framework.get("relations_changed_at"),
            framework.get("abilities_deleted_at"),
            framework.get("relations_deleted_at"),
        )
        if when is not None
    )


_web_address = URLValidator(schemes=["http", "https"])


def _official_source(framework: JSON) -> str:
    """The document's officialSourceURL: the publisher's own (where it officially publishes the
    framework, kept by a CASE import) when it gave one, else the framework's URI."""
    extra = framework["extra"] if isinstance(framework["extra"], dict) else {}
    official = extra.get("officialSourceURL")
    if isinstance(official, str) and official.strip():
        try:
            _web_address(official.strip())
        except ValidationError:
            pass
        else:
            return official.strip()
    return framework["uri"]


def _document_source_uri(framework: JSON, official: str) -> str | None:
    """The publisher's URI for the document where it is not the officialSourceURL published:
    the framework's URI beside the publisher's own officialSourceURL, or one kept in `extra`
    that is no web address (OpenSALT's `https://server/…`), as an item's sourceURI is."""
    if framework["uri"]:
        return framework["uri"] if official != framework["uri"] else None
    extra = framework["extra"] if isinstance(framework["extra"], dict) else {}
    kept = extra.get("uri")
    return kept if isinstance(kept, str) and kept and not uri_runs_content(kept) else None


def _papers(framework: JSON) -> bool:
    """Whether the paper's loader wrote the framework (PAPER_FRAMEWORK_RULE)."""
    return PAPER_FRAMEWORK_RULE.holds(
        SimpleNamespace(provenance=framework["provenance"], source_ref=framework["source_ref"])
    )


def framework_document(framework: JSON, links: Links, *, in_package: bool = False) -> JSON:
    """A framework as a CFDocument (in a package) or a standalone CFDocument (with its package).
    Its officialSourceURL is the publisher's own where it gave one, its URI then being named
    in `extensions` (`sourceURI`), as an item's is."""
    identifier = framework["identifier"]
    publisher = case_publisher(framework["source"])
    # A CASE package's own publisher, kept below; one it never named is not made up.
    creator, publisher = publisher, None if framework["source"] == CASE_SOURCE else publisher
    notes = None
    if _papers(framework):
        # The paper's statements in an edition of this site's (areas, codes, Chinese text): the
        # authors made the statements, this site makes the document available.
        creator, publisher, notes = paper.AUTHORS, site_publisher(), paper.CASE_NOTES
    official = _official_source(framework)
    document = _drop_empty(
        {
            "identifier": str(identifier),
            "uri": links.document(identifier),
            "caseVersion": CASE_VERSION,
            "creator": creator,
            "publisher": publisher,
            "title": framework["name"],
            "lastChangeDateTime": timestamp(framework_changed_at(framework)),
            "officialSourceURL": official,
            "description": framework["description"],
            "language": framework["language"],
            "version": framework["version"],
            "notes": notes,
        }
    )
    kept = _kept_properties(framework["extra"], DOCUMENT_EXTRA_PROPERTIES)
    ours = {
        "provenance": framework["provenance"],
        "sourceRef": framework["source_ref"],
        SOURCE_IDENTIFIER: _source_identifier(framework),
        SOURCE_URI: _document_source_uri(framework, official),
        # The format it came in, where the publisher is this site (case_publisher).
        SOURCE: framework["source"] if framework["source"] in FORMAT_SOURCES else None,
        TRANSLATIONS: _chinese({"title": framework["name_zh"]}),
    }
    document.update(kept)
    document["extensions"] = _drop_empty({**kept.get("extensions", {}), **ours})
    if not in_package:
        document["CFPackageURI"] = link(framework["name"], identifier, links.package(identifier))
    return document


def catalogue_document(
    changed_at: datetime | None, links: Links, *, in_package: bool = False
) -> JSON:
    """The course catalogue as a CFDocument: every course, linked to the abilities it builds."""
    identifier = identifiers.course_catalogue_identifier()
    title = gettext("Course catalogue")
    document = {
        "identifier": str(identifier),
        "uri": links.document(identifier),
        "caseVersion": CASE_VERSION,
        "creator": site_publisher(),
        "publisher": site_publisher(),
        "title": title,
        "lastChangeDateTime": timestamp(changed_at),
        # No scale named: levels are the site's data (a fourth, or codes 1 to 4), and renaming
        # one changes no catalogue timestamp.
        "description": gettext(
            "The courses of the programmes and, for each, the abilities it builds and the level "
            "to which it builds each."
        ),
    }
    if not in_package:
        document["CFPackageURI"] = link(title, identifier, links.package(identifier))
    return document


# --- Item types --------------------------------------------------------------------------------


def area_item_type(area: JSON, links: Links) -> JSON:
    """A competency area as a CFItemType (description and hierarchyCode are required, so an
    area without a description gives its name), with its Chinese name and description."""
    identifier = identifiers.area_item_type_identifier(area["code"])
    chinese = _chinese({"title": area["name_zh"], "description": area["description_zh"]})
    return _drop_empty(
        {
            "identifier": str(identifier),
            "uri": links.item_type(identifier),
            "title": area["name"],
            "description": area["description"] or area["name"],
            "hierarchyCode": area["code"],
            "typeCode": area["code"],
            "lastChangeDateTime": timestamp(area["updated_at"]),
            "extensions": {TRANSLATIONS: chinese} if chinese else None,
        }
    )


def label_item_type(label: str, changed_at: datetime | None, links: Links) -> JSON:
    """A free-text item type (an ability's item_type without an area, or "Course")."""
    identifier = identifiers.label_item_type_identifier(label)
    return {
        "identifier": str(identifier),
        "uri": links.item_type(identifier),
        "title": label,
        "description": label,
        "hierarchyCode": label,
        "lastChangeDateTime": timestamp(changed_at),
    }


def _ability_item_type(ability: JSON, links: Links) -> tuple[str | None, JSON | None]:
    """The CFItemType label and CFItemTypeURI of an ability: its item_type, else its area."""
    if ability["area__code"]:
        identifier = identifiers.area_item_type_identifier(ability["area__code"])
        uri = link(ability["area__name"], identifier, links.item_type(identifier))
        return ability["item_type"] or ability["area__name"], uri
    kept = _kept_type_link(ability)
    if kept is not None:
        title = ability["item_type"] or str(kept.get("title") or "")
        identifier = case_identifier(kept["identifier"])
        return title or None, link(title, identifier, links.item_type(identifier))
    if ability["item_type"]:
        identifier = identifiers.label_item_type_identifier(ability["item_type"])
        uri = link(ability["item_type"], identifier, links.item_type(identifier))
        return ability["item_type"], uri
    return None, None


# --- Items -------------------------------------------------------------------------------------


def ability_item(ability: JSON, links: Links, *, language: str = "") -> JSON:
    """An ability as a CFItem of its framework's package."""
    type_label, type_uri = _ability_item_type(ability, links)
    return _drop_empty(
        {
            "identifier": str(ability["identifier"]),
            "fullStatement": ability["text"],
            "abbreviatedStatement": ability["short_name"],
            "CFItemType": type_label,
            "CFItemTypeURI": type_uri,
            "uri": links.item(ability["identifier"]),
            "humanCodingScheme": ability["code"] or _kept_code(ability["extra"]),
            "language": language,
            "lastChangeDateTime": timestamp(ability["updated_at"]),
            **_kept_properties(ability["extra"], ITEM_EXTRA_PROPERTIES),
            **_text_properties(ability),
            **_source_extensions(ability),
        }
    )


def _source_identifier(record: JSON) -> str | None:
    """The identifier a record's source gave it (an import keeps it as `external_id`), where
    it is not the one published: a UUID CASE 1.1 refuses (OpenSALT's d0000000-…), an ASN URL,
    a Moodle ID number or an ESCO URI, which a consumer may know the record by."""
    source = record["external_id"]
    return source if source and source.lower() != str(record["identifier"]) else None


def _source_extensions(ability: JSON) -> JSON:
    """The item's `extensions`: its publisher's (kept by a CASE import), with the identifier
    and URI its source gave it (`_source_identifier`; the URI as a URL, or as the URN or other
    URI a CASE import kept in `extra`), which CASE 1.1's item has no property for, and its
    Chinese statement (`translations`)."""
    extra = ability["extra"] if isinstance(ability["extra"], dict) else {}
    kept = extra.get("extensions") if isinstance(extra.get("extensions"), dict) else {}
    kept_uri = extra.get("uri") if isinstance(extra.get("uri"), str) else ""
    if uri_runs_content(kept_uri):
        # Kept by an import before javascript: URIs were refused: never published.
        kept_uri = ""
    ours = _drop_empty(
        {
            SOURCE_IDENTIFIER: _source_identifier(ability),
            SOURCE_URI: ability["uri"] or kept_uri,
            TRANSLATIONS: _chinese({"fullStatement": ability["text_zh"]}),
        }
    )
    return {"extensions": {**kept, **ours}} if ours else {}


def _text_properties(ability: JSON) -> JSON:
    """The ability's description as `notes` and its alternative labels as `conceptKeywords`
    (but the short name, its abbreviatedStatement), whatever format it came in; the publisher's
    own values, kept by a CASE import, while the ability still says what they said (an edit
    made here is published instead)."""
    extra = ability["extra"] if isinstance(ability["extra"], dict) else {}
    kept_notes = extra.get("notes")
    if isinstance(kept_notes, str) and kept_notes.strip() == ability["description"]:
        notes = kept_notes
    else:
        notes = ability["description"]
    kept_keywords = extra.get("conceptKeywords")
    if isinstance(kept_keywords, list) and (
        item_labels(ability["short_name"], kept_keywords) == ability["alt_labels"]
    ):
        keywords = kept_keywords
    else:
        keywords = published_keywords(ability["alt_labels"], ability["short_name"])
    return {"notes": notes or None, "conceptKeywords": keywords or None}


def _kept_code(extra: Any) -> str | None:
    """The humanCodingScheme an import kept in `extra` only, for an ability without a code: one
    another item of the framework already had, or one too long for a code."""
    code = extra.get("humanCodingScheme") if isinstance(extra, dict) else None
    return code if isinstance(code, str) else None


def standalone_ability_item(ability: JSON, links: Links) -> JSON:
    """An ability as getCFItem returns it: the package item plus its document's URI."""
    item = ability_item(ability, links, language=ability["framework__language"])
    document = ability["framework__identifier"]
    item["CFDocumentURI"] = link(ability["framework__name"], document, links.document(document))
    return item


# A course's learning outcomes (one per line) in its CFItem's extensions, as a list.
LEARNING_OUTCOMES = "learningOutcomes"


def outcome_lines(outcomes: str) -> list[str]:
    return [line.strip() for line in outcomes.splitlines() if line.strip()]


def course_item(course: JSON, links: Links) -> JSON:
    """A course as a CFItem of the course catalogue."""
    type_identifier = identifiers.label_item_type_identifier(identifiers.COURSE_ITEM_TYPE_LABEL)
    credits = course["credits"]
    return _drop_empty(
        {
            "identifier": str(course["identifier"]),
            "fullStatement": course["title"],
            "CFItemType": identifiers.COURSE_ITEM_TYPE_LABEL,
            "CFItemTypeURI": link(
                identifiers.COURSE_ITEM_TYPE_LABEL,
                type_identifier,
                links.item_type(type_identifier),
            ),
            "uri": links.item(course["identifier"]),
            "humanCodingScheme": course["code"],
            "language": course["language"],
            "notes": course["description"],
            "lastChangeDateTime": timestamp(course["updated_at"]),
            "extensions": _drop_empty(
                {
                    "credits": float(credits) if credits is not None else None,
                    LEARNING_OUTCOMES: outcome_lines(course["outcomes"]),
                    "module": course["module__name"],
                    "moduleCode": course["module__code"],
                    "trainingStage": course["stage__name"],
                    "trainingStageCode": course["stage__code"],
                    TRANSLATIONS: _chinese(
                        {
                            "fullStatement": course["title_zh"],
                            # Keyed by the extensions they translate.
                            "module": course["module__name_zh"],
                            "trainingStage": course["stage__name_zh"],
                        }
                    ),
                }
            ),
        }
    )


def standalone_course_item(course: JSON, links: Links) -> JSON:
    item = course_item(course, links)
    catalogue = identifiers.course_catalogue_identifier()
    item["CFDocumentURI"] = link(gettext("Course catalogue"), catalogue, links.document(catalogue))
    return item


# --- Associations ------------------------------------------------------------------------------


def _association(
    identifier,
    association_type: str,
    origin: JSON,
    destination: JSON,
    changed_at: datetime,
    links: Links,
    **optional: Any,
) -> JSON:
    return {
        "identifier": str(identifier),
        "associationType": association_type,
        "uri": links.association(identifier),
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": timestamp(changed_at),
        **_drop_empty(optional),
    }


def ability_child_of(
    ability: JSON, document: JSON, links: Links, groupings: frozenset[str] = frozenset()
) -> JSON | None:
    """The isChildOf edge of an ability: to its parent, or to the document when it is a root.

    `document` is the framework row (identifier and name). An imported ability keeps the edge
    its package gave it (identifier, and a sequenceNumber only if it had one, the number its
    publisher wrote) while its parent is the same; one its package hung from nothing gets no
    edge while it has no parent. `groupings`: the association groupings this provider serves
    for the framework (`served_groupings`).
    """
    extra = ability["extra"] if isinstance(ability["extra"], dict) else {}
    kept = extra.get(TREE_KEY, MISSING)
    child = ability["identifier"]
    parent = ability["parent__identifier"]
    if parent is not None:
        title = item_title(ability["parent__code"], ability["parent__text"])
        destination = link(title, parent, links.item(parent))
    elif kept is None:
        return None
    else:
        parent = document["identifier"]
        destination = link(document["name"], parent, links.document(parent))
    identifier = identifiers.child_of_identifier(child, parent)
    with_sequence = True
    order = ability["order"]
    number = order if 0 <= order <= INT32_MAX else None
    details: JSON = {}
    if isinstance(kept, dict) and case_identifier(kept.get("parent")) == str(parent):
        if kept.get("association"):
            identifier = case_identifier(kept["association"])
        with_sequence = bool(kept.get("sequenceNumber", True))
        if isinstance(kept.get("number"), int) and kept.get("order") == order:
            # The publisher's own sequenceNumber (negative, or beyond an order), while the
            # ability keeps the order the import made of it.
            number = kept["number"]
        details = _edge_details(kept, links, groupings)
    return _association(
        identifier,
        "isChildOf",
        link(item_title(ability["code"], ability["text"]), child, links.item(child)),
        destination,
        ability["updated_at"],
        links,
        sequenceNumber=number if with_sequence else None,
        **details,
    )


def _edge_details(kept: JSON, links: Links, groupings: frozenset[str]) -> JSON:
    """The notes, extensions and grouping link an import kept of an association, each only
    when it still has CASE's shape. The grouping link leads to this provider's
    CFAssociationGroupings/{identifier} when that serves it (one of `groupings`, the package's
    kept definitions), as an item type's link does; one to a grouping the package never
    defined keeps its publisher's URI, the only place it may be found."""
    details: JSON = {}
    if isinstance(kept.get("notes"), str) and kept["notes"]:
        details["notes"] = kept["notes"]
    if isinstance(kept.get("extensions"), dict) and kept["extensions"]:
        details["extensions"] = kept["extensions"]
    if (grouping := case_link(kept.get(GROUPING_LINK))) is not None:
        if grouping["identifier"] in groupings:
            grouping["uri"] = links.association_grouping(grouping["identifier"])
        details[GROUPING_LINK] = grouping
    return details


def relation_association(
    relation: JSON, links: Links, groupings: frozenset[str] = frozenset()
) -> JSON:
    """An AbilityRelation, with its notes, the sequenceNumber, extensions and grouping its
    import kept (`groupings`: those served for its framework, `served_groupings`), and an
    extension under its own type (ext:isSkillOf). An end outside our frameworks is linked as
    its publisher named it: its own identifier, URI and title."""
    extra = relation["extra"] if isinstance(relation["extra"], dict) else {}
    number = extra.get("sequenceNumber")
    ends = []
    for side in ("source", "target"):
        identifier = relation[f"{side}__identifier"]
        if identifier is not None:
            title = item_title(relation[f"{side}__code"], relation[f"{side}__text"])
            ends.append(link(title, identifier, links.item(identifier)))
        else:
            uri = relation[f"{side}_uri"]
            ends.append(
                link(
                    relation[f"{side}_label"] or uri,
                    relation[f"{side}_external_id"] or external_identifier(uri),
                    uri,
                )
            )
    return _association(
        relation["identifier"],
        relation["extension_type"] or relation["relation_type"],
        ends[0],
        ends[1],
        relation["updated_at"],
        links,
        sequenceNumber=number
        if type(number) is int and -INT32_MAX - 1 <= number <= INT32_MAX
        else None,
        **_edge_details({**extra, "notes": relation["notes"]}, links, groupings),
    )


def external_identifier(uri: str) -> str:
    """The identifier of a node outside our frameworks: CASE URIs end in the node's UUID
    (…/CFItems/<uuid>), which is what a round trip must give back; otherwise the URI itself."""
    last = uri.rstrip("/").rsplit("/", 1)[-1]
    try:
        return str(uuid.UUID(last))
    except ValueError:
        return uri


def course_child_of(course: JSON, links: Links) -> JSON:
    catalogue = identifiers.course_catalogue_identifier()
    child = course["identifier"]
    return _association(
        identifiers.child_of_identifier(child, catalogue),
        "isChildOf",
        link(course["code"], child, links.item(child)),
        link(gettext("Course catalogue"), catalogue, links.document(catalogue)),
        course["updated_at"],
        links,
    )


def course_link_association(course_link: JSON, links: Links) -> JSON:
    """A course builds an ability: isRelatedTo, with the depth in the association's extensions."""
    course = course_link["course__identifier"]
    ability = course_link["ability__identifier"]
    return _association(
        identifiers.course_link_identifier(course, ability),
        "isRelatedTo",
        link(course_link["course__code"], course, links.item(course)),
        link(
            item_title(course_link["ability__code"], course_link["ability__text"]),
            ability,
            links.item(ability),
        ),
        course_link["updated_at"],
        links,
        notes=course_link["note"],
        extensions=_drop_empty(
            {
                "level": course_link["level__code"],
                "levelName": course_link["level__name"],
                "levelRank": course_link["level__rank"],
                "note": course_link["note"],
                TRANSLATIONS: _chinese(
                    {"notes": course_link["note_zh"], "levelName": course_link["level__name_zh"]}
                ),
            }
        ),
    )


def with_document(association: JSON, title: str, identifier, links: Links) -> JSON:
    """An association as getCFAssociation returns it: plus the URI of its document."""
    return {**association, "CFDocumentURI": link(title, identifier, links.document(identifier))}


# --- Packages ----------------------------------------------------------------------------------


def definitions(item_types: list[JSON], links: Links, framework: JSON | None = None) -> JSON:
    """A package's CFDefinitions: its item types, and the subjects, licences, concepts and
    association groupings the framework's import kept (`kept_definitions`)."""
    kept = kept_definitions(framework, links) if framework is not None else {}
    return {
        "CFItemTypes": item_types,
        "CFConcepts": kept.get("CFConcepts", []),
        "CFSubjects": kept.get("CFSubjects", []),
        "CFLicenses": kept.get("CFLicenses", []),
        "CFAssociationGroupings": kept.get("CFAssociationGroupings", []),
    }


# The definitions an import kept, each with its optional properties, and its required ones
# filled when missing (CASE 1.1). Subjects, licences and concepts have no endpoint here: they
# keep their publisher's URIs, which the documents' and items' links name too. Association
# groupings are served at CFAssociationGroupings/{identifier} (getCFAssociationGrouping), as
# kept item types are at CFItemTypes/{identifier}: published at this provider's URIs.
KEPT_DEFINITIONS = {
    "CFSubjects": {"optional": ("description",), "fill": {"hierarchyCode": "title"}},
    "CFLicenses": {"optional": ("description",), "fill": {"licenseText": None}},
    "CFConcepts": {"optional": ("description", "keywords"), "fill": {"hierarchyCode": "title"}},
    "CFAssociationGroupings": {"optional": ("description",), "fill": {}, "served": True},
}
URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")


def kept_definitions(framework: JSON, links: Links) -> dict[str, list[JSON]]:
    """The CFSubjects, CFLicenses, CFConcepts and CFAssociationGroupings of the package a
    framework was imported from (kept whole in its `extra`), each with its identifier, URI
    (this provider's for a grouping, KEPT_DEFINITIONS) and fields. One without a UUID
    identifier, a URI or a title is left out rather than making the package invalid; a
    missing lastChangeDateTime is the framework's, a missing hierarchyCode its title, a
    missing licenseText empty (CASE requires them)."""
    result: dict[str, list[JSON]] = {}
    for kind, shape in KEPT_DEFINITIONS.items():
        result[kind] = []
        for source in _kept_sources(framework, kind):
            definition = {k: source[k] for k in ("identifier", "uri", "title")}
            if shape.get("served"):
                definition["uri"] = links.association_grouping(source["identifier"])
            for key, fallback in shape["fill"].items():
                value = source.get(key)
                usable = isinstance(value, str) and value
                definition[key] = value if usable else (source[fallback] if fallback else "")
            for key in shape["optional"]:
                if isinstance(source.get(key), str) and source[key]:
                    definition[key] = source[key]
            definition["lastChangeDateTime"] = _kept_timestamp(
                source.get("lastChangeDateTime")
            ) or timestamp(framework["updated_at"])
            if isinstance(source.get("extensions"), dict) and source["extensions"]:
                definition["extensions"] = source["extensions"]
            result[kind].append(definition)
    return result


def _kept_sources(framework: JSON, kind: str) -> Iterator[JSON]:
    """The definitions of `kind` the framework's import kept that CASE can publish: a UUID
    identifier, a URI (none that runs script: javascript:) and a title (the others are left out
    of what is published)."""
    extra = framework["extra"] if isinstance(framework["extra"], dict) else {}
    kept = extra.get("CFDefinitions")
    sources = kept.get(kind) if isinstance(kept, dict) else None
    for source in sources if isinstance(sources, list) else []:
        if (
            isinstance(source, dict)
            and isinstance(source.get("identifier"), str)
            and LINK_IDENTIFIER.fullmatch(source["identifier"])
            and isinstance(source.get("uri"), str)
            and URI_RE.fullmatch(source["uri"])
            and not uri_runs_content(source["uri"])
            and isinstance(source.get("title"), str)
            and source["title"]
        ):
            yield source


def served_groupings(framework: JSON) -> frozenset[str]:
    """The identifiers of the association groupings served for the framework (its import
    kept them), which its associations' grouping links lead to here."""
    return frozenset(
        source["identifier"] for source in _kept_sources(framework, "CFAssociationGroupings")
    )


def kept_grouping(framework: JSON, identifier: str, links: Links) -> JSON | None:
    """getCFAssociationGrouping: one kept grouping of the framework, as its package lists it."""
    for grouping in kept_definitions(framework, links)["CFAssociationGroupings"]:
        if grouping["identifier"] == identifier:
            return grouping
    return None


def note_label(label_changed: dict[str, datetime], ability: JSON) -> None:
    """Record in `label_changed` the free-text item type an ability uses, if it needs one
    defined (no area, no item type kept from its import), with its latest change."""
    label = ability["item_type"]
    if label and not ability["area__code"] and _kept_type_link(ability) is None:
        previous = label_changed.get(label)
        if previous is None or ability["updated_at"] > previous:
            label_changed[label] = ability["updated_at"]


def package_item_types(
    framework: JSON, label_changed: dict[str, datetime], areas: list[JSON], links: Links
) -> list[JSON]:
    """The item types a package defines: those its import kept (same identifiers and fields),
    its competency areas, and the free-text item types of its abilities (`note_label`)."""
    item_types = kept_item_types(framework, links)
    defined = {item_type["identifier"] for item_type in item_types}
    item_types.extend(area_item_type(area, links) for area in areas)
    item_types.extend(
        label_item_type(label, changed, links)
        for label, changed in sorted(label_changed.items())
        if str(identifiers.label_item_type_identifier(label)) not in defined
    )
    return item_types


def kept_item_types(framework: JSON, links: Links) -> list[JSON]:
    """The CFItemTypes of the package a framework was imported from, republished at this
    provider's URIs with their identifiers and fields (a missing description or hierarchy
    code, which CASE requires, is filled from the title)."""
    extra = framework["extra"] if isinstance(framework["extra"], dict) else {}
    definitions = extra.get("CFDefinitions")
    kept = definitions.get("CFItemTypes") if isinstance(definitions, dict) else None
    item_types = []
    for source in kept if isinstance(kept, list) else []:
        if not isinstance(source, dict) or not isinstance(source.get("identifier"), str):
            continue
        title = str(source.get("title") or source.get("typeCode") or source["identifier"])
        item_type = {
            key: value
            for key, value in source.items()
            if key in ITEM_TYPE_PROPERTIES and isinstance(value, str) and value
        }
        identifier = case_identifier(source["identifier"])
        item_types.append(
            {
                **item_type,
                "identifier": identifier,
                "uri": links.item_type(identifier),
                "title": title,
                "description": item_type.get("description") or title,
                "hierarchyCode": item_type.get("hierarchyCode") or title,
                "lastChangeDateTime": _kept_timestamp(source.get("lastChangeDateTime"))
                or timestamp(framework["updated_at"]),
            }
        )
    return item_types


ITEM_TYPE_PROPERTIES = {"title", "description", "hierarchyCode", "typeCode"}


def _kept_timestamp(value: Any) -> str | None:
    when = case_datetime(value)
    return timestamp(when) if when is not None else None


def _kept_type_link(ability: JSON) -> JSON | None:
    extra = ability["extra"] if isinstance(ability["extra"], dict) else {}
    kept = extra.get("CFItemTypeURI")
    if isinstance(kept, dict) and isinstance(kept.get("identifier"), str):
        return kept
    return None
