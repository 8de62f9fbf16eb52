"""manage.py import_relations FILE: crosswalk links (relations between abilities) from a CSV, as
the API's `ability-relations/import-csv/` and the admin's *Import crosswalk CSV* import them."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.csv import UTF_8, reading_encoding
from core.i18n import join_list, join_sentences
from core.management.base import LanguageCommand, add_encoding_argument
from core.spreadsheets import csv_only_text
from positions.importers.base import import_label
from positions.services import CrosswalkRefused, crosswalk_import_csv


class Command(LanguageCommand):
    help = (
        "Import crosswalk links from a CSV (columns source_framework, source, relation_type, "
        "target_framework, target; frameworks by name or identifier, abilities by code, "
        "external identifier or URI). All or nothing: any invalid row writes nothing, and every "
        "problem is listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--json", action="store_true", dest="as_json")
        add_encoding_argument(parser)

    def handle(
        self, *args, file: Path, dry_run: bool, as_json: bool, encoding: str = UTF_8, **options
    ):
        if not file.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": file})
        try:
            with reading_encoding(encoding):
                text = csv_only_text(file.read_bytes())
            result = crosswalk_import_csv(text=text, source_name=file.name, dry_run=dry_run)
        except CrosswalkRefused as refused:
            lines = {line for line, _problem in refused.problems if line is not None}
            if not lines:  # the file as a whole: empty, unreadable
                raise CommandError(join_sentences(refused.messages)) from refused
            for message in refused.messages:
                self.stderr.write(message)
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(n)d line has problems.",
                    "Nothing was imported: %(n)d lines have problems.",
                    len(lines),
                )
                % {"n": len(lines)}
            ) from refused
        except ValidationError as error:  # csv_only_text's: a binary file, not UTF-8
            raise CommandError(join_sentences(error.messages)) from error
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        counts = join_list(
            f"{n} {import_label(outcome)}"
            for outcome, n in (("created", result.created), ("unchanged", result.unchanged))
        )
        verb = _("Would import: %(counts)s.") if dry_run else _("Imported: %(counts)s.")
        self.stdout.write(verb % {"counts": counts})
