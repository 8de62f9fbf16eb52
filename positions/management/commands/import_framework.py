"""manage.py import_framework PATH --format case|esco|moodle|onet

Runs the import now and keeps it as an import job (its report, with what changed in the
frameworks, is on the job's page and in the API), then prints the report and the changes."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from core.csv import UTF_8
from core.management.base import LanguageCommand, add_encoding_argument
from positions.api.fields import LevelField
from positions.importers import (
    DRY_RUN,
    ENCODING,
    ENCODING_FORMATS,
    ENCODING_REFUSED,
    TOP_LEVEL_AREA_FORMATS,
    TOP_LEVEL_AREAS,
    TOP_LEVEL_AREAS_REFUSED,
)
from positions.models import FRAMEWORK_FORMATS, ImportFormat
from positions.services import import_job_run_now

# The formats of the background jobs the admin and the API start for large files of another
# kind: imported by the command for that kind, not as a framework (whose report this command
# prints, and whose options it reads).
OTHER_COMMANDS = {
    ImportFormat.LINKS.value: "import_links",
    ImportFormat.COURSES.value: "import_courses",
    ImportFormat.REQUIREMENTS.value: "import_requirements",
    ImportFormat.RELATIONS.value: "import_relations",
}


class Command(LanguageCommand):
    help = _(
        "Import a competency framework: a CASE package (JSON), an ESCO CSV download (folder or "
        "zip), a Moodle competency framework CSV or the O*NET text files (folder or zip). Nothing "
        "is written unless the whole source is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("File, folder or zip to import."))
        formats = [value for value, _label in FRAMEWORK_FORMATS]
        parser.add_argument(
            "--format",
            required=True,
            # The others are taken to be refused in the command's language, naming their command.
            choices=formats + list(OTHER_COMMANDS),
            metavar="{" + ",".join(formats) + "}",
            dest="format",
        )
        parser.add_argument(
            "--min-level",
            default="M",
            help=_("ESCO: minimum level of the requirements; O*NET: level when LV is missing."),
        )
        parser.add_argument(
            "--as",
            dest="read_as",
            choices=["framework", "courses"],
            default=None,
            help=_(
                "CASE: read the package as a framework, or as a course catalogue (courses and "
                "the abilities they build). By default this site's own catalogue export is read "
                "as courses and every other package as a framework."
            ),
        )
        parser.add_argument(
            "--top-level-areas",
            action="store_true",
            dest="top_level_areas",
            help=_(
                "Moodle and CASE: make the framework's top-level competencies its competency "
                "areas, and put every competency in its top-level ancestor's area."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help=_(
                "Check the whole source and count what it would write, as the import does; "
                "write nothing."
            ),
        )
        add_encoding_argument(parser)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help=_("Print the full JSON report.")
        )

    def handle(
        self,
        *args,
        path,
        format,
        min_level,
        batch_size,
        as_json=False,
        read_as=None,
        top_level_areas=False,
        dry_run=False,
        encoding=UTF_8,
        **options,
    ):
        if format in OTHER_COMMANDS:
            raise CommandError(
                _(
                    "--format %(format)s imports no framework: import that file with "
                    "manage.py %(command)s."
                )
                % {"format": format, "command": OTHER_COMMANDS[format]}
            )
        min_level = _level_code(min_level)
        if top_level_areas and format not in TOP_LEVEL_AREA_FORMATS:
            raise CommandError(TOP_LEVEL_AREAS_REFUSED)
        if encoding != UTF_8 and format not in ENCODING_FORMATS:
            raise CommandError(ENCODING_REFUSED)
        if batch_size < 1:
            raise CommandError(_("--batch-size must be positive."))
        verbosity = options.get("verbosity", 1)
        last = {"percent": -10}

        def progress(fraction: float, stage: str) -> None:
            percent = int(fraction * 100)
            if verbosity >= 2 and percent >= last["percent"] + 10:
                last["percent"] = percent
                self.stderr.write(f"{percent:3d}% {stage}")

        # Kept as an import job like the admin's and the API's, with its report and changes.
        job = import_job_run_now(
            path=path,
            format=format,
            options={
                "min_level": min_level,
                "batch_size": batch_size,
                **({"as": read_as} if read_as else {}),
                **({TOP_LEVEL_AREAS: True} if top_level_areas else {}),
                **({DRY_RUN: True} if dry_run else {}),
                **({ENCODING: encoding} if encoding != UTF_8 else {}),
            },
            progress=progress,
        )
        report = job.import_report
        if verbosity and not as_json:
            self.stderr.write(_("Import job #%(id)d") % {"id": job.pk})
        if as_json:
            self.stdout.write(_dumps(report.as_dict()))
        elif verbosity and report.ok:
            if report.dry_run:
                self.stdout.write(_("Dry run: nothing was written."))
            self.stdout.write(report.summary())
        if not report.ok:
            # Said once, on stderr: a refused file's problems (up to a hundred of them) were
            # printed on stdout and again as the command's error.
            raise CommandError(report.summary())


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def _level_code(written: str) -> str:
    """The code of the level `--min-level` names, read as every other door reads a level
    (the API's LevelField: a code in any case or width, or a name in either language), with
    its refusal, naming the levels, for none or several."""
    try:
        return LevelField().to_internal_value(written).code
    except ValidationError as error:
        raise CommandError(error.detail[0]) from error
