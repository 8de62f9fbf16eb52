"""Stable CASE identifiers for things the models do not give one.

Frameworks, abilities, relations and courses carry their own UUIDs. Item types (competency areas,
free-text item types, "Course"), the isChildOf tree edges, the course-to-ability links and the
course catalogue document have none, so they get name-based UUIDs (uuid5) derived from
identifiers that already exist: the same data always publishes the same identifiers, and a
consumer can re-fetch them later.
"""

import uuid

# Fixed for all time: changing it would change every derived identifier a consumer has stored.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:competency-site:case:v1p1")

COURSE_ITEM_TYPE_LABEL = "Course"


def course_catalogue_identifier() -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "document:course-catalogue")


def area_item_type_identifier(area_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"item-type:area:{area_code}")


def label_item_type_identifier(label: str) -> uuid.UUID:
    """An item type known only by its label (an ability's item_type without an area, "Course")."""
    return uuid.uuid5(NAMESPACE, f"item-type:label:{label}")


def child_of_identifier(child: uuid.UUID, parent: uuid.UUID) -> uuid.UUID:
    """The isChildOf edge from an item to its parent item or to its document."""
    return uuid.uuid5(NAMESPACE, f"isChildOf:{child}:{parent}")


def course_link_identifier(course: uuid.UUID, ability: uuid.UUID) -> uuid.UUID:
    """The isRelatedTo edge from a course to an ability it builds (one per course and ability)."""
    return uuid.uuid5(NAMESPACE, f"isRelatedTo:{course}:{ability}")


def parse_uuid(value: str) -> uuid.UUID | None:
    """The UUID in a path segment, or None when it is not one (a client error, not a crash)."""
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None
