"""Stable identifiers: the same source always yields the same UUID, on every install."""

import uuid


def stable_uuid(value: str, *, namespace: uuid.UUID = uuid.NAMESPACE_URL) -> uuid.UUID:
    """The value itself when it is a UUID, else uuid5 of it in `namespace`, so re-imports and
    round trips always find the same identifier."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid5(namespace, str(value))
