"""Times as people read them: in the site's time zone (settings.TIME_ZONE), always with its
offset from UTC.

A time without its zone is a guess for every reader outside it: with the default UTC a reader
in Shanghai takes 08:00 for his own morning, and in New York one wall time names two instants
on the night clocks go back. Pages are rendered on the server, without JavaScript, and may be
cached for every reader alike, so they show the site's zone and say which; the offset ("UTC+08:00")
rather than an abbreviation, which is ambiguous ("CST" is China's and the American Midwest's)
and untranslated. Text that is stored (a revert's reason) says it too: it is read later, perhaps
under another setting."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format


def zone_label(when: datetime) -> str:
    """The site zone's offset at `when`: "UTC", "UTC+08:00", "UTC-05:00"."""
    offset = timezone.localtime(when).utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def site_time(when: datetime) -> str:
    """`when` to the minute in the site's zone, labelled, in the same form in every language
    (for text that is stored): "2026-01-31 16:00 UTC+08:00"."""
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M} {zone_label(when)}"


def labelled_datetime(when: datetime | None) -> str:
    """`when` in the site's zone as the page's language writes a date and time
    (DATETIME_FORMAT), labelled with its offset; empty for None."""
    if when is None:
        return ""
    return f"{date_format(timezone.localtime(when), 'DATETIME_FORMAT')} {zone_label(when)}"


def datetime_attribute(when: datetime | None) -> str:
    """`when` for a <time> element's datetime attribute: whole seconds with the offset
    ("2026-01-31T16:00:00+08:00"). HTML's time strings take at most three digits of a
    second's fraction; Django's `|date:'c'` writes six."""
    if when is None:
        return ""
    return timezone.localtime(when).isoformat(timespec="seconds")
