"""manage.py import_requirements FILE: create or update positions' requirements (and the
positions a file names that none is) from a CSV or XLSX file."""

from django.utils.translation import gettext as _

from curricula.management.commands.import_courses import Command as CatalogueCommand
from curricula.services import requirement_import


class Command(CatalogueCommand):
    help = (
        "Import positions' requirements (CSV or XLSX; columns position, position_name, "
        "position_name_zh, framework, ability, importance, min_level, ability_uri, "
        "ability_external_id, or their Chinese names: 职位, 职位名称, 能力, 重要性, 最低等级, "
        "...; the ability by any of ability, ability_uri and ability_external_id). A position "
        "named by a code or name no "
        "position has is created. All or nothing: any invalid row writes nothing, and every "
        "problem is listed by line."
    )
    takes_programme = False
    service = staticmethod(requirement_import)

    def counts(self, report) -> list[tuple[str, int]]:
        return [*super().counts(report), ("positions created", report.positions_created)]

    def count_label(self, outcome: str) -> str:
        if outcome == "positions created":
            return _("positions created")
        return super().count_label(outcome)
