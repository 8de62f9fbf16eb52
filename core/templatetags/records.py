"""A record named in the reader's language (core.i18n.record_name), for the admin's templates:

{% load records %}
{{ inline_admin_form.original|record_name }}
"""

from django import template

from core.i18n import record_name as _record_name

register = template.Library()


@register.filter
def record_name(obj) -> str:
    return "" if obj is None else _record_name(obj)
