"""Stable CASE identifiers for what the models give none: item types and the isChildOf tree
edges. Name-based (uuid5), so the same data always publishes the same identifiers; shared by the
CASE importer here and the provider in curricula.case, which must agree on them."""

import uuid

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Where Ability.extra keeps the isChildOf association an imported item came with.
TREE_KEY = "caseTree"

# Fixed for all time: changing it would change every derived identifier a consumer has stored.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:competency-site:case:v1p1")


def area_item_type_identifier(area_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"item-type:area:{area_code}")


def label_item_type_identifier(label: str) -> uuid.UUID:
    """An item type known only by its label (an ability's item_type without an area, "Course")."""
    return uuid.uuid5(NAMESPACE, f"item-type:label:{label}")


def child_of_identifier(child: uuid.UUID, parent: uuid.UUID) -> uuid.UUID:
    """The isChildOf edge from an item to its parent item or to its document."""
    return uuid.uuid5(NAMESPACE, f"isChildOf:{child}:{parent}")


def own_case_root() -> str:
    """The root of this site's CASE URIs (CASE_BASE_URL + the provider's path), '' if the
    provider is not mounted: an imported URI under it is one of ours, not the source's."""
    try:
        documents = reverse("case:cfdocument-list")
    except NoReverseMatch:
        return ""
    return settings.CASE_BASE_URL.rstrip("/") + documents.removesuffix("CFDocuments")
