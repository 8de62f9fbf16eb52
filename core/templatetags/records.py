"""Records in the reader's language.

A record named in the reader's language (core.i18n.record_name), for the admin's templates:

    {% load records %}
    {{ inline_admin_form.original|record_name }}

A record's text marked with its language where that is not the page's (WCAG 3.1.2 Language of
Parts: a course's English title shown on a Chinese page, for want of a Chinese one, is read
with an English voice), given the record's `language` field:

    {{ course.display_title|in_lang:course.language }}
"""

from django import template

from core.i18n import in_language
from core.i18n import record_name as _record_name

register = template.Library()


@register.filter
def record_name(obj) -> str:
    return "" if obj is None else _record_name(obj)


@register.filter
def in_lang(text, language=""):
    """core.i18n.in_language: `text` escaped, marked with its language where not the page's."""
    return in_language(text, language)
