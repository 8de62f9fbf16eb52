"""The session store (SESSION_ENGINE): Django's database sessions, reading only a session key
that Django could have made."""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """A session cookie holding any other character (a NUL: PostgreSQL refuses it in a query,
    a 500 on every page and API call) is no session, as a key too short already is."""

    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= VALID_CHARS


VALID_CHARS = frozenset(VALID_KEY_CHARS)
