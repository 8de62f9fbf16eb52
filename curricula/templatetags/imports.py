"""The admin import's tables in the reader's language (admin/import_export/import.html)."""

from django import template

from curricula.resources import ImportColumn

register = template.Library()


@register.filter
def column_heading(column: str) -> str:
    """A column (a name of django-import-export's `diff_headers`, or a field a row's problem is
    on) as the preview and problem tables head it: ImportColumn.heading."""
    return ImportColumn(column).heading
