"""manage.py import_links FILE: create or update course-ability links from a CSV or XLSX file,
as the API's `course-abilities/import/` and the admin's link import read it."""

from curricula.management.commands.import_courses import Command as CatalogueCommand
from curricula.services import course_ability_import


class Command(CatalogueCommand):
    help = (
        "Import course-ability links (CSV or XLSX; columns course, framework, ability, level, "
        "note, note_zh, ability_uri, ability_external_id, as course-abilities/export/ writes "
        "them; framework, note and note_zh may be left out, and ability where ability_uri or "
        "ability_external_id names it). All or nothing: any invalid row writes nothing, and "
        "every problem is listed by line."
    )
    takes_programme = False
    service = staticmethod(course_ability_import)
