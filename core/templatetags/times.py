"""Times on pages (core.times): `{{ when|labelled_datetime }}`, in the site's zone as the page's
language writes it, with its offset from UTC; `{{ when|datetime_attribute }}`, for a <time>
element's datetime attribute."""

from django import template

from core import times

register = template.Library()

register.filter("labelled_datetime", times.labelled_datetime)
register.filter("datetime_attribute", times.datetime_attribute)
