"""Stable CASE identifiers for things the models do not give one.

Frameworks, abilities, relations and courses carry their own UUIDs. Item types (competency areas,
free-text item types, "Course"), the isChildOf tree edges, the course-to-ability links and the
course catalogue document have none, so they get name-based UUIDs (uuid5) derived from
identifiers that already exist: the same data always publishes the same identifiers, and a
consumer can re-fetch them later.
"""

import uuid

# Item types and tree edges are derived where the importer can derive them too.
from positions.case_identifiers import (
    NAMESPACE,
    area_item_type_identifier,
    child_of_identifier,
    label_item_type_identifier,
)

__all__ = [
    "COURSE_ITEM_TYPE_LABEL",
    "NAMESPACE",
    "area_item_type_identifier",
    "child_of_identifier",
    "course_catalogue_identifier",
    "course_link_identifier",
    "label_item_type_identifier",
    "parse_uuid",
]

COURSE_ITEM_TYPE_LABEL = "Course"


def course_catalogue_identifier() -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "document:course-catalogue")


def course_link_identifier(course: uuid.UUID, ability: uuid.UUID) -> uuid.UUID:
    """The isRelatedTo edge from a course to an ability it builds (one per course and ability)."""
    return uuid.uuid5(NAMESPACE, f"isRelatedTo:{course}:{ability}")


def parse_uuid(value: str) -> uuid.UUID | None:
    """The UUID in a path segment, or None when it is not one (a client error, not a crash)."""
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None
