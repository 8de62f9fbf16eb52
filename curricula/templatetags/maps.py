"""Template tags of the curriculum map. Its cells are rendered here rather than cell by cell in
the template language: a map at ESCO scale has tens of thousands of them, and a template loop
costs about a hundred times more per cell than this."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


@register.filter
def status_label(status: str) -> str:
    """A requirement's status (covered, partial, missing) as the interface's language says it."""
    labels = {"covered": _("covered"), "partial": _("partial"), "missing": _("missing")}
    return labels.get(status, status)
