"""manage.py import_courses FILE: create or update courses from a CSV or XLSX catalogue."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from curricula.services import course_catalogue_import


class Command(BaseCommand):
    help = (
        "Import a course catalogue (CSV or XLSX; columns code, title, title_zh, description, "
        "outcomes, credits, module, stage, language, or their Chinese names: 课程代码, 课程名称, "
        "英文名称, 学分, ...; one outcome per line of its cell). All or nothing: any invalid row "
        "writes nothing, and every problem is listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file: Path, dry_run: bool, as_json: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file")
        try:
            report = course_catalogue_import(
                content=file.read_bytes(), file_name=file.name, dry_run=dry_run
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            verb = "Would import" if dry_run else "Imported"
            self.stdout.write(
                f"{verb}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        else:
            for error in report.errors:
                where = f"line {error['line']}" if error["line"] else "file"
                for name, messages in error["errors"].items():
                    field = "" if name == "__all__" else f" {name}:"
                    self.stderr.write(f"{where}:{field} {' '.join(messages)}")
        if report.ignored_columns and not as_json:
            self.stderr.write(f"Columns not read (left out): {', '.join(report.ignored_columns)}")
        if not report.ok:
            raise CommandError(f"Nothing was imported: {len(report.errors)} line(s) have problems.")
