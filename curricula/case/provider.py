"""The CASE provider's reads: each operation of the CASE 1.1 service, as selectors + builders.

Every function takes already-parsed arguments and returns the JSON payload of the operation, or
None when the identifier names nothing (the view turns that into CASE's 'unknownobject').
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext

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


@dataclass(frozen=True)
class DocumentPage:
    documents: list[JSON]
    total: int


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
    return DocumentPage(documents=documents[offset : offset + limit], total=len(documents))


def document_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFDocument."""
    if identifier == identifiers.course_catalogue_identifier():
        return builders.catalogue_document(selectors.case_course_catalogue_changed_at(), links)
    framework = selectors.case_framework_get(identifier=identifier)
    return builders.framework_document(framework, links) if framework else None


def package_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFPackage: a framework's whole package, or the course catalogue's."""
    if identifier == identifiers.course_catalogue_identifier():
        return builders.catalogue_package(
            selectors.case_course_rows(), selectors.case_course_link_rows(), links
        )
    framework = selectors.case_framework_get(identifier=identifier)
    if framework is None:
        return None
    abilities = list(selectors.case_ability_rows(framework_id=framework["id"]))
    areas = selectors.case_area_rows(
        codes={ability["area__code"] for ability in abilities if ability["area__code"]}
    )
    relations = selectors.case_relation_rows(framework_id=framework["id"])
    return builders.framework_package(framework, abilities, relations, areas, links)


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
        return builders.with_document(
            builders.relation_association(relation, links),
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
        return builders.with_document(
            builders.ability_child_of(ability, document, links),
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


def item_associations_get(*, identifier: uuid.UUID, links: Links) -> JSON | None:
    """getCFItemAssociations: an item with every association it is an end of."""
    ability = selectors.case_ability_get(identifier=identifier)
    if ability is not None:
        document = {
            "identifier": ability["framework__identifier"],
            "name": ability["framework__name"],
        }
        associations = [
            builders.ability_child_of(row, document, links)
            for row in [ability, *selectors.case_ability_children(ability_id=ability["id"])]
        ]
        associations.extend(
            builders.relation_association(relation, links)
            for relation in selectors.case_relations_of(ability_id=ability["id"])
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
