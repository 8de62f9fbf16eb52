"""manage.py import_courses FILE: create or update courses from a CSV or XLSX catalogue."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.csv import UTF_8, reading_encoding
from core.i18n import join_list, join_sentences
from core.limits import at_line
from core.management.base import LanguageCommand, add_encoding_argument
from curricula.resources import (
    ImportColumn,
    more_warnings,
    warning_said,
)
from curricula.selectors.programmes import programme_named
from curricula.services import (
    course_catalogue_import,
    courses_placed_said,
    more_lines_with_problems,
)
from positions.importers.base import import_label


class Command(LanguageCommand):
    help = (
        "Import a course catalogue (CSV or XLSX; columns code, title, title_zh, description, "
        "outcomes, credits, module, stage, language, or their Chinese names: 课程代码, 课程名称, "
        "英文名称, 学分, ...; one outcome per line of its cell). All or nothing: any invalid row "
        "writes nothing, and every problem is listed by line."
    )
    # The import every door of its kind shares (import_requirements gives another).
    service = staticmethod(course_catalogue_import)
    # Whether the file may be imported into a programme (--programme): the catalogue's alone.
    takes_programme = True

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--json", action="store_true", dest="as_json")
        add_encoding_argument(parser)
        self.add_more_arguments(parser)

    def add_more_arguments(self, parser) -> None:
        if not self.takes_programme:
            return
        parser.add_argument(
            "--programme",
            help=_(
                "Also put the file's courses in this programme (id, or exact English or Chinese "
                "name) and set their terms from its term column (开课学期), or its columns of one "
                "term each (第1学期 … 第8学期)."
            ),
        )

    def service_options(self, options: dict) -> dict:
        """The service's arguments the command's options give beside the file's."""
        named = options.get("programme") if self.takes_programme else None
        if not named:
            return {}
        try:
            programme = programme_named(named)
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages)) from error
        if programme is None:
            raise CommandError(_("No programme has the id or name “%(p)s”.") % {"p": named})
        return {"programme": programme}

    def handle(
        self, *args, file: Path, dry_run: bool, as_json: bool, encoding: str = UTF_8, **options
    ):
        if not file.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": file})
        more = self.service_options(options)
        try:
            with reading_encoding(encoding):
                report = self.service(
                    content=file.read_bytes(), file_name=file.name, dry_run=dry_run, **more
                )
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages)) from error
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            counts = join_list(
                f"{n} {self.count_label(outcome)}" for outcome, n in self.counts(report)
            )
            verb = _("Would import: %(counts)s.") if dry_run else _("Imported: %(counts)s.")
            self.stdout.write(verb % {"counts": counts})
            if more.get("programme") is not None:
                self.stdout.write(
                    courses_placed_said(
                        placed=report.placed, programme=more["programme"], dry_run=report.dry_run
                    )
                )
        else:
            for error in report.errors:
                where = at_line(error["line"], row=error.get("row")) if error["line"] else file.name
                for name, messages in error["errors"].items():
                    message = join_sentences(messages)
                    if name != "__all__":
                        # Headed as the admin's problem table heads it (in Chinese: 学分, credits).
                        message = _labelled(ImportColumn(name).heading, message)
                    self.stderr.write(_labelled(where, message))
            if more := report.errors_total - len(report.errors):
                self.stderr.write(more_lines_with_problems(more))
        if report.ignored_columns and not as_json:
            self.stderr.write(
                _labelled(_("Columns not read (left out)"), join_list(report.ignored_columns))
            )
            # What to do of them, as the import says it (a term column: name a programme).
            for note in report.ignored_columns_notes:
                self.stderr.write(note)
        if not as_json:
            for note in report.workbook_notes:
                self.stderr.write(str(note))
            # A new record under a code a spreadsheet made a number (7 beside 007), imported
            # all the same: said, on a dry run before it is.
            for warning in report.warnings:
                self.stderr.write(warning_said(warning))
            if more := report.warnings_total - len(report.warnings):
                self.stderr.write(more_warnings(more))
        if not report.ok:
            lines = report.errors_total
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(n)d line has problems.",
                    "Nothing was imported: %(n)d lines have problems.",
                    lines,
                )
                % {"n": lines}
            )

    def counts(self, report) -> list[tuple[str, int]]:
        """What the report counts, as (outcome, n), in the order the command prints them."""
        return [
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ]

    def count_label(self, outcome: str) -> str:
        return import_label(outcome)


def _labelled(label: str, value: str) -> str:
    # The colon and the space after it are the language's: Chinese writes a full-width colon.
    return _("%(label)s: %(value)s") % {"label": label, "value": value}
