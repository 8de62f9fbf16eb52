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
from django.utils.html import conditional_escape, format_html

from core.i18n import differs_from_page, text_language
from core.i18n import record_name as _record_name

register = template.Library()


@register.filter
def record_name(obj) -> str:
    return "" if obj is None else _record_name(obj)


@register.filter
def in_lang(text, language=""):
    """`text` escaped, in a `<span lang="…">` where its language (core.i18n.text_language) is
    known and is not the page's; as it is otherwise. Not for attributes (a `title`)."""
    text = "" if text is None else text
    tag = text_language(str(text), language or "")
    if not differs_from_page(tag):
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', tag, text)
