"""`{{ when|labelled_datetime }}`: a time in the site's zone, as the page's language writes it,
with its offset from UTC (core.times)."""

from django import template

from core import times

register = template.Library()

register.filter("labelled_datetime", times.labelled_datetime)
