"""Course catalogues and course-ability links imported as background jobs: the admin's course
and link imports hand a file too large to import inside a request (issue #15: 100,000 link rows
ran past gunicorn's 30 s timeout into a 500; a 5,000-course catalogue took 6 s to preview and 6 s
more to confirm) to an ImportJob, whose task runs one of these importers.

The same resources as the admin's own preview-and-confirm import (curricula.resources), so the
same columns, lookups and messages; the same rule as every importer: checked first (the file's
format, bounds and columns), then written in the job's one transaction, all or nothing, every
problem reported with its line. Registered with positions' importers when the app is ready.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.i18n import join_sentences
from core.limits import at_line
from core.models import code_key
from core.spreadsheets import workbook_notes_data
from curricula.models import Course, CourseAbility, Programme
from curricula.permissions import PROGRAMME_IMPORT_PERMISSIONS
from curricula.services import (
    CatalogueImport,
    CourseCatalogueImport,
    RequirementImport,
    catalogue_dataset,
    spreadsheet_resource_import,
)
from positions.importers.base import Importer, ImportFailed, ImportProblems
from positions.models import Position, Requirement

# How often (in rows) the job's progress moves while the rows are written.
PROGRESS_EVERY = 500
# A catalogue job's option: the id of the programme to import the catalogue into (the API's
# `programme`, the admin's select), its access checked where the job is started.
PROGRAMME_OPTION = "programme"


class SpreadsheetImporter(Importer):
    """One CSV or XLSX file imported through a django-import-export resource of curricula's."""

    # What the report counts (created, updated, unchanged) and progress names.
    noun = ""
    stage = ""
    started_as_job = False
    # Staff's own catalogue: a cell a field refuses is a line-numbered error, as when the same
    # file is imported inside a request.
    tidies_text = False
    # An XLSX is a zip: the one file read, not an archive of files (core.spreadsheets checks
    # its members' sizes before it is unpacked).
    opens_archives = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dataset = None

    report_class: type = CatalogueImport

    def resource_class(self) -> type:
        raise NotImplementedError

    def validate(self) -> None:
        names = self.source.names()
        if len(names) != 1:
            raise ImportFailed(_("this import reads one CSV or XLSX file"))
        path = self.source.path
        try:
            self.dataset = catalogue_dataset(path.read_bytes(), self.source_name or path.name)
        except ValidationError as error:
            raise ImportFailed(join_sentences(error.messages), where=self.source_name) from error
        self.progress(0.05, "read")

    def write(self) -> tuple[set[int], set[int]]:
        total = max(len(self.dataset), 1)
        importer = self

        class Resource(self.resource_class()):
            def import_row(self, row, instance_loader, **kwargs):
                result = super().import_row(row, instance_loader, **kwargs)
                done = kwargs.get("row_number", 0)
                if done % PROGRESS_EVERY == 0:
                    importer.progress(0.05 + 0.9 * done / total, importer.stage)
                return result

        user = None
        if self.options.get("user_id"):
            user = get_user_model().objects.filter(pk=self.options["user_id"]).first()
        try:
            outcome = spreadsheet_resource_import(
                Resource(**self.resource_kwargs()),
                dataset=self.dataset,
                file_name=self.source_name,
                user=user,
                dry_run=False,
                report_class=self.report_class,
            )
        except ValidationError as error:  # the file as a whole: a missing column
            raise ImportFailed(join_sentences(error.messages), where=self.source_name) from error
        # Named on the job's page, as the inline import's preview names them.
        self.report.details["ignored_columns"] = list(outcome.ignored_columns)
        # And what to do of them, in the job's language, as the import said it.
        self.report.details["ignored_columns_notes"] = list(outcome.ignored_columns_notes)
        self.report.details.update(workbook_notes_data(outcome.workbook_notes))
        from curricula.resources import ImportColumn

        problems = [
            (
                at_line(error["line"], row=error.get("row")),
                message
                if field == "__all__"
                # The column as the admin's preview heads it (in Chinese, its Chinese name with
                # its own in brackets); the colon is the message's: Chinese writes a full-width
                # one.
                else _("%(label)s: %(value)s")
                % {"label": ImportColumn(field).heading, "value": message},
            )
            for error in outcome.errors
            for field, messages in error["errors"].items()
            for message in messages
        ]
        if problems:
            # In the report's error, each where it is, and how many there were, as every import
            # job reports a refused file's problems (ImportProblems): the first lines' listed,
            # those of the lines past them counted.
            total = len(problems) + outcome.messages_left_out
            if total == 1:
                where, message = problems[0]
                raise ImportFailed(message, where=where)
            raise ImportProblems(
                [{"where": where, "message": message} for where, message in problems],
                total,
            )
        # Said on the job's page, after the counts (a new position 7 beside 007).
        from curricula.resources import more_warnings, warning_message

        for warning in outcome.warnings:
            self.report.warn(
                at_line(warning["line"], row=warning.get("row")), warning_message(warning)
            )
        if more := outcome.warnings_total - len(outcome.warnings):
            self.report.warn("", more_warnings(more))
        self.report.count(self.noun, "created", outcome.created)
        self.report.count(self.noun, "updated", outcome.updated)
        self.report.count(self.noun, "unchanged", outcome.unchanged)
        self.count_more(outcome)
        return set(), set()

    def count_more(self, outcome) -> None:
        """Count what the import wrote besides its own rows (a requirement file's positions)."""

    def resource_kwargs(self) -> dict:
        """What the resource is made with, from the job's options."""
        return {}


class CourseCatalogueImporter(SpreadsheetImporter):
    writes = (Course,)
    noun = "course"
    stage = "writing courses"

    def resource_class(self) -> type:
        from curricula.resources import CourseResource

        return CourseResource

    report_class = CourseCatalogueImport

    @classmethod
    def option_permissions(cls, options: dict) -> list[str]:
        # Into a programme: what every door asks of who imports into one (the API's
        # `programme`, the admin's select), asked again when the job runs.
        return list(PROGRAMME_IMPORT_PERMISSIONS) if options.get(PROGRAMME_OPTION) else []

    def validate(self) -> None:
        self.programme = None
        if programme_id := self.options.get(PROGRAMME_OPTION):
            self.programme = Programme.objects.filter(pk=programme_id).first()
            if self.programme is None:
                # Deleted between the job's start and its run.
                raise ImportFailed(
                    _("No programme has the id “%(value)s”.") % {"value": programme_id}
                )
        super().validate()

    def resource_kwargs(self) -> dict:
        return {"programme": self.programme}

    def count_more(self, outcome) -> None:
        # The programme's part, in the job's details as the API's answer says it.
        if self.programme is not None:
            self.report.details.update(outcome.own_counts())


class RequirementImporter(SpreadsheetImporter):
    """A positions' requirements file (curricula.resources.RequirementResource), which creates
    the positions it names that none is."""

    writes = (Requirement, Position)
    noun = "requirement"
    stage = "writing requirements"
    report_class = RequirementImport

    def resource_class(self) -> type:
        from curricula.resources import RequirementResource

        return RequirementResource

    def count_more(self, outcome) -> None:
        self.report.count("position", "created", outcome.positions_created)


class LinkImporter(SpreadsheetImporter):
    writes = (CourseAbility,)
    noun = "link"
    stage = "writing links"

    def resource_class(self) -> type:
        from curricula.resources import CourseAbilityResource

        class Resource(CourseAbilityResource):
            """The admin's resource, with its lookups done in bulk for the whole file: the
            courses, abilities and existing links it names are read once, not row by row
            (about ten queries a row before, two now: the write and its history)."""

            existing: dict[tuple[int, int], CourseAbility] = {}

            def preload(self, dataset) -> None:
                self.existing = _preload(self, dataset)

            def get_instance(self, instance_loader, row):
                # before_import_row has checked every reference; the widgets' caches hold them.
                course = self.fields["course"].clean(row)
                ability = self.fields["ability"].clean(row)
                return self.existing.get((course.pk, ability.pk))

            def validate_instance(self, instance, import_validation_errors=None, **kwargs):
                # The references were looked up (they exist) and the (course, ability) pair was
                # matched above: the field checks remain, without a query each.
                errors = dict(import_validation_errors or {})
                try:
                    instance.full_clean(
                        exclude=[*self.model_checks_exclude(errors), "course", "ability", "level"],
                        validate_unique=False,
                    )
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
                if errors:
                    raise ValidationError(errors)

        return Resource


def _preload(resource, dataset) -> dict[tuple[int, int], CourseAbility]:
    """Fill the resource's lookup caches with what the file names, in a few queries, and return
    the existing links of its courses by (course, ability). What is not found is left to the
    widgets, which look it up once and word the error."""
    from curricula.resources import _text, preload_abilities, storable

    course_widget = resource.fields["course"].widget
    ability_widget = resource.fields["ability"].widget
    # A value holding a NUL names nothing stored, and PostgreSQL would refuse the whole query:
    # left out here, its row reports it (LineNumberedImport.unreadable_cells).
    codes = {_text(row.get("course")) for row in dataset.dict}
    codes = [c for c in codes if c and storable(c)]
    courses = {}
    by_key = {}
    for course in Course.objects.filter(code__in=codes):
        courses[course.pk] = course
        by_key[code_key(course.code)] = course
    # The widget's cache is keyed by the text as written: "cs101" as well as CS101 (a code is
    # one code in any case, CaselessCodeField).
    for code in codes:
        if code_key(code) in by_key:
            course_widget._cache[(code,)] = by_key[code_key(code)]
    preload_abilities(ability_widget, dataset)
    return {
        (link.course_id, link.ability_id): link
        for link in CourseAbility.objects.filter(course__in=courses).select_related(
            "course", "ability__framework", "level"
        )
    }
