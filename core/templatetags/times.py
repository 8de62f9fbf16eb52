"""Times on pages (core.times): `{{ when|labelled_datetime }}`, in the reader's zone as the
page's language writes it, with its offset from UTC; `{{ when|datetime_attribute }}`, for a
<time> element's datetime attribute; `{{ when|time_element }}`, both in a <time> element."""

from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import times

register = template.Library()

register.filter("labelled_datetime", times.labelled_datetime)
register.filter("datetime_attribute", times.datetime_attribute)


@register.filter
def time_element(when: datetime | None) -> SafeString | str:
    """`<time datetime="2026-02-03T10:00:00+08:00">Feb. 3, 2026, 10 a.m. UTC+08:00</time>`;
    empty for None."""
    if when is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        times.datetime_attribute(when),
        times.labelled_datetime(when),
    )
