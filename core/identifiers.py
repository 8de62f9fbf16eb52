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
        # Half of a UTF-16 pair (a file's "\ud800") has no UTF-8, which uuid5 hashes: named by
        # its escape, so the import goes on to refuse the value where it stands, with its
        # record and field, rather than failing on it here.
        name = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
        return uuid.uuid5(namespace, name)
    if parsed.variant == uuid.RFC_4122:
        return parsed
    return uuid.uuid5(namespace, str(parsed))
