"""Template tags of the curriculum map. Its cells are rendered here rather than cell by cell in
the template language: a map at ESCO scale has tens of thousands of them, and a template loop
costs about a hundred times more per cell than this."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy

from curricula.paper.source_refs import source_ref_label

register = template.Library()


@register.simple_tag
def map_level_cells(cells) -> SafeString:
    """One `<td>` per cell: shaded by its level, holding the level's code (empty: not taught)."""
    parts = []
    for cell in cells:
        level = cell.level
        if level is None:
            # Most cells are empty: their shade is the stylesheet's default for an empty cell.
            parts.append('<td class="level-cell"></td>')
        else:
            parts.append(f'<td class="level-cell shade-{level.shade}">{escape(level.code)}</td>')
    # Safe: every value above is escaped or an int.
    return mark_safe("".join(parts))


# A requirement's status as the coverage engine names it, in the reader's language.
STATUS_LABELS = {
    "covered": pgettext_lazy("requirement status", "covered"),
    "partial": pgettext_lazy("requirement status", "partial"),
    "missing": pgettext_lazy("requirement status", "missing"),
}


@register.filter
def status_label(status: str) -> str:
    """`{{ change.before.status|status_label }}`: "covered", "partial" or "missing", translated;
    any other value as it is."""
    return str(STATUS_LABELS.get(status, status))


@register.filter
def source_ref(text: str) -> str:
    """A record's source reference in the reader's language (see curricula.paper.source_refs)."""
    return source_ref_label(text or "")
