"""Stable identifiers: the same source always yields the same UUID, on every install."""

import uuid


def stable_uuid(value: str, *, namespace: uuid.UUID = uuid.NAMESPACE_URL) -> uuid.UUID:
    """The value itself when it is a UUID of RFC 4122's variant (the one CASE 1.1's schema
    takes), else uuid5 of it in `namespace`, so re-imports and round trips always find the same
    identifier. A UUID of another variant (OpenSALT's d0000000-0000-0000-0000-000000000000) is
    named by its canonical form, so any spelling of it (upper case, braces) gives one UUID."""
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid5(namespace, str(value))
    if parsed.variant == uuid.RFC_4122:
        return parsed
    return uuid.uuid5(namespace, str(parsed))
