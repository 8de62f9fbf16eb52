"""Times as people read them: in the reader's time zone, always with its offset from UTC.

A time without its zone is a guess for every reader outside it: with the default UTC a reader
in Shanghai takes 08:00 for his own morning, and in New York one wall time names two instants
on the night clocks go back. Pages are rendered on the server, so the zone is the request's
(ReaderTimeZoneMiddleware activates it): the one the reader chose on the time zone page
(CHOSEN_ZONE_COOKIE), else their browser's (site.js sends it in BROWSER_ZONE_COOKIE), else the
site's (settings.TIME_ZONE). Each time says its offset ("UTC+08:00") rather than an
abbreviation, which is ambiguous ("CST" is China's and the American Midwest's) and
untranslated. Text that is stored (a revert's reason) is written in the site's zone, whoever's
request wrote it, and says it too: it is read later, by others, perhaps under another setting.
The API keeps the site's zone (its times carry their offsets anyway)."""

import functools
import zoneinfo
from datetime import datetime, timedelta, tzinfo

from django.utils import timezone
from django.utils.formats import date_format

# The zone the reader chose on the time zone page (competency_site.preferences), and the one their
# browser is in (static/js/site.js): IANA names, read by ReaderTimeZoneMiddleware.
CHOSEN_ZONE_COOKIE = "time_zone"
BROWSER_ZONE_COOKIE = "browser_time_zone"
# The longest IANA name is 32 characters ("America/Argentina/ComodRivadavia").
ZONE_NAME_MAX = 64


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows (its tz database, else the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


def zone_named(name: str | None) -> tzinfo | None:
    """The IANA zone called `name` exactly, else None: a cookie can hold anything, and
    ZoneInfo would read a path ("../x") or raise on a name it lacks."""
    if not name or len(name) > ZONE_NAME_MAX or name not in zone_names():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def reader_zone(cookies) -> tzinfo | None:
    """The zone a request's cookies name for its pages: the chosen one, else the browser's
    (each only if it is a zone), else None (the site's)."""
    return zone_named(cookies.get(CHOSEN_ZONE_COOKIE)) or zone_named(
        cookies.get(BROWSER_ZONE_COOKIE)
    )


def zone_label(when: datetime, zone: tzinfo | None = None) -> str:
    """The offset of the current zone (or `zone`) at `when`: "UTC", "UTC+08:00", "UTC-05:00"."""
    offset = timezone.localtime(when, zone).utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def site_time(when: datetime) -> str:
    """`when` to the minute in the site's zone (not the reader's), labelled, in the same form in
    every language (for text that is stored): "2026-01-31 16:00 UTC+08:00"."""
    zone = timezone.get_default_timezone()
    return f"{timezone.localtime(when, zone):%Y-%m-%d %H:%M} {zone_label(when, zone)}"


def labelled_datetime(when: datetime | None) -> str:
    """`when` in the reader's zone as the page's language writes a date and time
    (DATETIME_FORMAT), labelled with its offset; empty for None."""
    if when is None:
        return ""
    return f"{date_format(timezone.localtime(when), 'DATETIME_FORMAT')} {zone_label(when)}"


def datetime_attribute(when: datetime | None) -> str:
    """`when` (in the reader's zone) for a <time> element's datetime attribute: whole seconds
    with the offset ("2026-01-31T16:00:00+08:00"). HTML's time strings take at most three
    digits of a second's fraction; Django's `|date:'c'` writes six."""
    if when is None:
        return ""
    return timezone.localtime(when).isoformat(timespec="seconds")
