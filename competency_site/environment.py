"""django-environ, refusing at start-up a value it cannot read, and naming its variable.

django-environ itself raised a bare ValueError ("invalid literal for int() with base 10: 'one'")
without saying which of the deployment's variables held it, read any unknown word as false (a
typo in DJANGO_SECURE_SSL_REDIRECT turned the redirect off), and left a rate such as
API_ANON_THROTTLE_RATE unread until the first throttled request, which then answered 500.
"""

import logging
import re
import zoneinfo

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset(("true", "on", "ok", "y", "yes", "1"))
FALSE_WORDS = frozenset(("false", "off", "no", "n", "0"))
# DRF's notation, which core.http reads too: a number of events per second, minute, hour or day
# (only the period's first letter counts: "5/hour", "20/m").
RATE = re.compile(r"^\s*\d+\s*/\s*[smhd][a-z]*\s*$", re.IGNORECASE)
# Kinds whose value may be quoted in the refusal: none of them holds a secret.
QUOTED = (bool, int, float)


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(f"{self.prefix}{var}")
        if cast is bool and raw is not None and not raw.strip() and default is not self.NOTSET:
            return default  # set but empty (a compose file's ${VAR} of nothing): as if unset
        try:
            value = super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError as error:  # json.JSONDecodeError is one too
            shown = f"={raw!r}" if cast in QUOTED else ""
            kind = {bool: "true or false", int: "a whole number", float: "a number"}.get(
                cast, "readable"
            )
            raise ImproperlyConfigured(
                f"{var}{shown} cannot be read: it must be {kind} ({error})."
            ) from None
        if cast is list and raw is not None and default is not self.NOTSET:
            # Items blank or spaces dropped; none left (set but empty, a compose file's ${VAR}
            # of nothing) is read as unset, as a switch is: DJANGO_ALLOWED_HOSTS= allowed no
            # host, every request a 400.
            value = [item.strip() for item in value if item.strip()] or default
        return value

    @classmethod
    def parse_value(cls, value, cast):
        if cast is float and isinstance(value, str):
            # django-environ drops every character that is no digit, dot or comma first: "30s"
            # was read as 30 and "1,5" as 1.5, and "abc" refused as '' ("could not convert").
            return float(value.strip())
        if cast is bool and isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(f"{value!r} is neither true nor false")
        return super().parse_value(value, cast)

    def rate(self, var: str, *, default: str) -> str:
        """A rate in DRF's notation ("600/minute"), refused now if it is not one."""
        value = self.str(var, default=default)
        if not RATE.match(value):
            raise ImproperlyConfigured(
                f"{var}={value!r} cannot be read: it must be a number of events per second, "
                "minute, hour or day, such as 600/minute."
            )
        return value.strip()

    def log_level(self, var: str, *, default: str) -> str:
        """A logging level's name in any case ("debug"), refused now if it is none: the logging
        configuration stopped the start with "Unable to configure root logger"."""
        value = self.str(var, default=default).strip().upper()
        if value not in logging.getLevelNamesMapping():
            raise ImproperlyConfigured(
                f"{var}={value!r} cannot be read: it must be DEBUG, INFO, WARNING, ERROR or "
                "CRITICAL."
            )
        return value

    def time_zone(self, var: str, *, default: str) -> str:
        """A time zone's IANA name ("Asia/Shanghai"), refused now if there is none such: Django
        stopped the start with "Incorrect timezone setting" in a traceback naming no variable,
        and Celery's worker and beat would not start."""
        value = self.str(var, default=default).strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{var}={value!r} cannot be read: it must be a time zone's name, such as UTC or "
                "Asia/Shanghai."
            ) from None
        return value

    def json_object(self, var: str) -> dict:
        """A JSON object (overrides by name), refused now if the JSON is anything else: a list
        stopped the start with "'list' object is not a mapping" in a traceback."""
        value = self.json(var, default={})
        if not isinstance(value, dict):
            raise ImproperlyConfigured(
                f"{var} cannot be read: it must be a JSON object, such as "
                '{"visibility_timeout": 3600}.'
            )
        return value

    def url_config(self, var: str, parse, *, default: str) -> dict:
        """`parse` (cache_url_config, email_url_config) of the URL in `var`, or of `default`
        when unset or empty, a URL it cannot read refused naming `var` (not quoting it: it may
        hold a password). django-environ said "Invalid cache schema foo", or for a URL with no
        scheme "Invalid email schema ", naming no variable."""
        value = self.str(var, default="") or default
        try:
            return parse(value)
        except (ImproperlyConfigured, ValueError, KeyError) as error:
            raise ImproperlyConfigured(f"{var} cannot be read: {error}.") from None

    def at_least(self, var: str, *, default: int, least: int, unit: str) -> int:
        """A whole number of `unit`, `least` or more, refused now otherwise."""
        value = self.int(var, default=default)
        if value < least:
            raise ImproperlyConfigured(
                f"{var}={value} cannot be read: it must be a whole number of {unit}, {least} or "
                "more."
            )
        return value
