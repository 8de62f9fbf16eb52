"""The admin for the supply side: modules, courses and their ability links, programmes.

Course-ability links can be edited inline on a course or on an ability (this module re-registers
the ability admin of positions with that inline, since positions may not import curricula), and
imported or exported as CSV or XLSX from the link list (see curricula.resources).
"""

import copy
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import (
    BadRequest,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    FormulaSafeCSV,
    FormulaSafeXLSX,
    LabelledTabularInline,
    ProvenanceAdminMixin,
    choose_one_page,
)
from core.api.exceptions import QUEUE_UNAVAILABLE
from core.csv import CSV_ENCODINGS, UTF_8, csv_encoding_checked, reading_encoding
from core.exceptions import QueueUnavailable
from core.forms import encoding_form_field
from core.i18n import bracketed, join_list, join_sentences, record_name
from core.import_previews import ImportPreviewUnavailable
from core.jobs import job_start_refused
from core.models import DegreeLevel
from core.spreadsheets import spreadsheet_rows_past, workbook_notes_read
from core.uploads import admin_import_inline_rows, validate_upload_size
from curricula import services
from curricula.import_jobs import PROGRAMME_OPTION
from curricula.models import (
    MAX_TERM,
    CertificationCourse,
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from curricula.permissions import programme_import_refused
from curricula.resources import (
    TERM_FORMS,
    CourseAbilityResource,
    CourseResource,
    ImportColumn,
    RequirementResource,
    catalogue_ignored_columns_notes,
    term_pair_rule,
)
from curricula.selectors.catalogue import course_ability_total
from curricula.services import catalogue_kind
from positions import admin as positions_admin
from positions.admin_imports import message_import_job_on_commit
from positions.importers import ENCODING, import_permissions
from positions.importers.base import counts_shown, import_label, problem_lines
from positions.models import (
    Ability,
    ImportFormat,
    ImportJob,
    ImportStatus,
    Position,
    Requirement,
)
from positions.selectors import import_job_progress
from positions.services import import_job_create

# --- Courses and their ability links ------------------------------------------------------------


@admin.register(Module)
class ModuleAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "order", "provenance")
    search_fields = ("code", "name", "name_zh")
    ordering = ("order", "name")


def _warn_if_chinese_note_stale(request, form) -> None:
    """Warn when `form` changed a link's English note but not its Chinese one (set): Chinese pages
    would go on showing the old wording. A warning, not a refusal: the translation may still fit,
    and the English may be the only language its editor reads."""
    link = form.instance
    if "note" in form.changed_data and "note_zh" not in form.changed_data and link.note_zh:
        messages.warning(
            request,
            gettext(
                "“%(link)s”: the Chinese note was not changed with the English note; check it "
                "still says the same."
            )
            % {"link": record_name(link)},
        )


class ChineseNoteCheckMixin:
    """After a save, warns of each link (the admin's own form or its inline rows) whose English
    note changed while its Chinese note did not."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(obj, CourseAbility):
            _warn_if_chinese_note_stale(request, form)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is CourseAbility:
            deleted = formset.deleted_forms
            for link_form in formset.forms:
                if link_form not in deleted:
                    _warn_if_chinese_note_stale(request, link_form)


class CourseLinkInline(ProvenanceAdminMixin, LabelledTabularInline):
    """The abilities a course builds, each to a level."""

    model = CourseAbility
    fk_name = "course"
    extra = 0
    fields = ("ability", "level", "note", "note_zh", "provenance")
    autocomplete_fields = ("ability",)
    verbose_name = _("ability this course builds")
    verbose_name_plural = _("abilities this course builds")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ability", "level")


class AbilityLinkInline(ProvenanceAdminMixin, LabelledTabularInline):
    """The courses that build an ability: the same links, seen from the ability."""

    model = CourseAbility
    fk_name = "ability"
    extra = 0
    fields = ("course", "level", "note", "note_zh", "provenance")
    autocomplete_fields = ("course",)
    verbose_name = _("course that builds this ability")
    verbose_name_plural = _("courses that build this ability")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "level")


class _CSVChosenFirst:
    """The format menu offers CSV then XLSX with CSV chosen, not an empty "---" to pick from
    (django-import-export adds one whenever there are two formats)."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [choice for choice in field.choices if choice[0] != ""]
        field.initial = "0"


class CSVFirstImportForm(_CSVChosenFirst, ImportForm):
    """The file is a CSV or an XLSX as curricula.services.catalogue_kind says, as at the API,
    before it is previewed or handed to a background job (a PDF was queued to fail); and it is
    read as what it is, whichever format the menu shows."""

    def __init__(self, formats, *args, **kwargs):
        super().__init__(formats, *args, **kwargs)
        self._formats = formats
        self.catalogue_kind = ""  # "csv" or "xlsx" once the form is valid
        self.fields["import_file"].validators.append(validate_upload_size)
        self.fields["encoding"] = encoding_form_field()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        try:
            kind = self.catalogue_kind = catalogue_kind(upload)
        except ValidationError as error:
            self.add_error("import_file", error.message_dict["file"])
            return cleaned
        for index, file_format in enumerate(self._formats):
            if file_format().get_extension() == kind:
                cleaned["format"] = str(index)
        return cleaned


class EncodingConfirmForm(ConfirmImportForm):
    """The confirm step's form, carrying the encoding the preview read the file in: the file is
    read again in it (an encoding it does not name is refused, as at the upload)."""

    encoding = forms.ChoiceField(
        choices=CSV_ENCODINGS, required=False, initial=UTF_8, widget=forms.HiddenInput()
    )


class CourseImportForm(CSVFirstImportForm):
    """The catalogue's import form, with the programme to import it into (optional): the
    file's courses are also put in it and its term column sets their terms in it
    (curricula.resources.CourseResource). Offered to who may change programmes and their
    courses (CourseAdmin.create_import_form)."""

    def __init__(self, formats, *args, **kwargs):
        super().__init__(formats, *args, **kwargs)
        self.fields["programme"] = forms.ModelChoiceField(
            queryset=Programme.objects.order_by("name", "pk"),
            required=False,
            label=_("Into the programme"),
        )
        # Built here, in the request's language, from the forms the import reads (TERM_FORMS),
        # and how a term column's 1-2 is read (term_pair_rule).
        forms_said = gettext(
            "Optional. The file's courses are also put in this programme, after the ones it "
            "has, in the file's order, and a term column (term, semester, 开课学期, 学期) sets "
            "their terms in it, in any of the forms %(forms)s (each is term 3); a span such as "
            "1-4 is its first term, and an academic year's term (2023-2024-1) is refused. "
            "Without one, columns of one term each (第1学期 … 第8学期, 第一学年第一学期 …, "
            "1上 …, Semester 1 … 8) do: a course's term is the first whose cell has its hours "
            "or a mark (0 and - are none)."
        ) % {"forms": join_list(TERM_FORMS)}
        self.fields["programme"].help_text = join_sentences([forms_said, term_pair_rule()])


class CourseConfirmForm(EncodingConfirmForm):
    """The confirm step's form, carrying the programme the preview imported into as well."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, widget=forms.HiddenInput()
    )


def _chosen_encoding(request) -> str:
    """The encoding an import form posted chose (its select, or the confirm step's hidden
    field), or UTF-8 when it is not one there is: the form itself refuses that."""
    try:
        return csv_encoding_checked(request.POST.get("encoding"))
    except ValidationError:
        return UTF_8


class CSVFirstExportForm(_CSVChosenFirst, SelectableFieldsExportForm):
    """Each field to export is named as the admin names it, in the reader's language, with the
    column it is written under where that name is not the column's ("Chinese title
    (title_zh)"): the library's labels are the column names made title case ("Title Zh")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        verbose = field and _verbose_name(resource._meta.model, field.attribute, field.column_name)
        if not verbose:
            return super()._get_field_label(resource, field_name)
        if verbose.lower() == field.column_name.replace("_", " ").lower():
            return capfirst(verbose)
        return bracketed(capfirst(verbose), field.column_name)


def _verbose_name(model, attribute: str | None, column: str) -> str:
    """The verbose name of the model field `attribute` (a path, "ability__framework__identifier")
    reads, or of the field on that path named as `column` (its framework), or of the last where
    the column is the path written with one underscore ("ability_uri": the URI); "" when none."""
    names, found = [], None
    for part in (attribute or "").split("__"):
        try:
            model_field = model._meta.get_field(part)
        except (AttributeError, FieldDoesNotExist):
            return ""
        names.append(model_field)
        if part == column:
            found = model_field
        model = model_field.related_model
    if found is None and column == "_".join(field.name for field in names):
        found = names[-1]
    found = found or (names[0] if len(names) == 1 else None)
    return str(found.verbose_name) if found is not None else ""


def _columns_checked(file_format: type, resource_classes: list) -> type:
    """`file_format`, whose dataset of no row is refused (ValidationError on `file`, which the
    import page shows): for the columns each of `resource_classes` needs when it lacks them (an
    empty sheet lacks them all, and the page names them in the reader's language, as the API
    does), else for having no row. The library's own refusal of an empty dataset ("No valid data
    to import") was English on Chinese pages and told a file of the right header to check it."""

    class ColumnsChecked(file_format):
        def create_dataset(self, *args, **kwargs):
            dataset = super().create_dataset(*args, **kwargs)
            if not len(dataset):
                for resource_class in resource_classes:
                    try:
                        resource_class().before_import(copy.copy(dataset))
                    except ValueError as error:
                        raise ValidationError({"file": str(error)}) from error
                raise ValidationError({"file": services.header_only_said()})
            return dataset

    ColumnsChecked.__name__ = ColumnsChecked.__qualname__ = file_format.__name__
    return ColumnsChecked


class AllOrNothingImportMixin:
    """Imports take the add and change permissions, exports the view permission; a confirm
    step whose file no longer validates, or that names no preview this site stored, writes
    nothing and says so. CSV and XLSX, CSV chosen. A file of more rows than
    ADMIN_IMPORT_INLINE_ROWS is imported by a background job of `background_format` (the preview
    alone of 100,000 rows ran past the server's timeout), followed on its own page."""

    import_again_url: str = ""
    background_format: str = ""
    formats = [FormulaSafeCSV, FormulaSafeXLSX]
    # A CSV export starts with a UTF-8 byte order mark, without which Excel reads it in the
    # machine's code page (Chinese text as mojibake); every import reads it as one without.
    to_encoding = "utf-8-sig"
    import_form_class = CSVFirstImportForm
    confirm_form_class = EncodingConfirmForm
    export_form_class = CSVFirstExportForm

    # django-import-export lets any staff member import unless a setting says otherwise; here an
    # import adds and changes records, so it takes the same permissions as doing that by hand.
    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        # The export reads the list's filters from its query string, as the list does; one the
        # list does not have (typed by hand) is a bad request, where the library failed (500).
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(str(error)) from error

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The library gives native values (a course's credits as a number, which a spreadsheet
        # sums) only to its own binary formats, not to FormulaSafeXLSX; CSV stays text.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def add_data_read_fail_error_to_form(self, form, e):
        # The formats read as the API does (core.spreadsheets) and say why a file is refused.
        if isinstance(e, ValidationError):
            form.add_error("import_file", e.messages)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        if import_form is None:
            # The confirm step: its hidden fields come back from the client, and the library
            # indexes its formats and resources with two of them (past the end, a 500).
            offered = {
                "format": len(self.get_import_formats()),
                "resource": len(self.get_import_resource_classes(request)),
            }
            for name, count in offered.items():
                value = request.POST.get(name) or "0"
                if not (re.fullmatch(r"[0-9]{1,4}", value) and int(value) < count):
                    raise ImportPreviewUnavailable(
                        gettext(
                            "This import cannot be confirmed: its form was altered. Upload the "
                            "file again."
                        )
                    )
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["encoding"] = import_form.cleaned_data.get("encoding") or UTF_8
        return initial

    def process_import(self, request, **kwargs):
        # The confirm step reads the file its form names (core.import_previews.
        # ImportPreviewStorage) and reads it again as the preview did, in the encoding it was
        # read in: a refusal comes before anything is written.
        try:
            with reading_encoding(_chosen_encoding(request)):
                return super().process_import(request, **kwargs)
        except ImportPreviewUnavailable as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, join_sentences(error.messages))
        return HttpResponseRedirect(reverse(self.import_again_url))

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                if spreadsheet_rows_past(
                    upload, kind=form.catalogue_kind, rows=admin_import_inline_rows()
                ):
                    # A job started: counted against the user's job rate, as the API's.
                    back = reverse(self.import_again_url)
                    return job_start_refused(request, back=back) or self._import_in_background(
                        request,
                        upload,
                        encoding=form.cleaned_data.get("encoding") or UTF_8,
                        options=self.background_options(form),
                    )
        with reading_encoding(_chosen_encoding(request)):
            response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            # The library lists the columns only when the file was read: after a file refused
            # as a whole (not UTF-8, empty, too large) the page lost them, just when needed.
            # And it lists their English names only: a Chinese reader is also told the Chinese
            # names a file may head them by (templates/admin/import_export/
            # resource_fields_list.html).
            resources = [
                resource_class(**self.get_import_resource_kwargs(request, **kwargs))
                for resource_class in self.get_import_resource_classes(request)
            ]
            context["fields_list"] = [
                (
                    resource.get_display_name(),
                    [
                        *(
                            ImportColumn(field.column_name)
                            for field in resource.get_user_visible_fields()
                        ),
                        *self.import_columns_optioned(request),
                    ],
                )
                for resource in resources
            ]
        return response

    def import_columns_optioned(self, request) -> list[ImportColumn]:
        """The columns the import reads only with an option of its form, listed after those it
        always reads, each with a note saying when (none by default)."""
        return []

    def get_import_formats(self):
        # A file that reads as a header row and nothing under it (a cover sheet of one line saved
        # open, a title line alone) the library refuses as holding "No valid data", telling the
        # user to check headers it never looked at. Its columns are checked first, as the API
        # and the command check them, so that the page names what is missing and where the
        # import looked (LineNumberedImport.require_columns); a file with the columns and no row
        # still has no data.
        resource_classes = self.resource_classes
        return [
            _columns_checked(file_format, resource_classes)
            for file_format in super().get_import_formats()
        ]

    def background_options(self, form) -> dict:
        """The import's options of its own a background job of the import `form` carries."""
        return {}

    def _import_in_background(
        self, request, upload, *, encoding: str = UTF_8, options: dict | None = None
    ):
        try:
            job = import_job_create(
                format=self.background_format,
                upload=upload,
                options={
                    **(options or {}),
                    **({ENCODING: encoding} if encoding != UTF_8 else {}),
                },
                created_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, join_sentences(error.messages))
            return HttpResponseRedirect(reverse(self.import_again_url))
        except QueueUnavailable:
            messages.error(request, QUEUE_UNAVAILABLE)
            return HttpResponseRedirect(reverse(self.import_again_url))
        url = reverse(self._job_url_name(), args=[job.pk])
        message_import_job_on_commit(request, job, url=url)
        return HttpResponseRedirect(url)

    def _job_url_name(self) -> str:
        opts = self.model._meta
        return f"admin:{opts.app_label}_{opts.model_name}_import_job"

    def get_urls(self):
        job = path(
            "import/jobs/<int:job_id>/",
            self.admin_site.admin_view(self.import_job_view),
            name=self._job_url_name().removeprefix("admin:"),
        )
        return [job, *super().get_urls()]

    def import_job_view(self, request, job_id: int):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id, format=self.background_format)
        progress = import_job_progress(job)
        report = job.report or {}
        details = _job_details(job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import %(id)d") % {"id": job.pk},
            "job": job,
            "progress": progress,
            "stage": import_label(progress["stage"]),
            "counts": counts_shown(report.get("counts", {})),
            "workbook_notes": workbook_notes_read(details),
            "ignored_columns_notes": self.ignored_columns_notes_read(details),
            # How many more problems the error counts than it lists ("… and 30 more problems").
            "problems_left_out": problem_lines(report.get("error"))[
                len((report.get("error") or {}).get("problems") or []) :
            ],
            "finished": job.is_over,
            **self.import_job_context(request, job),
        }
        return TemplateResponse(request, "admin/curricula/import_job.html", context)

    def import_job_context(self, request, job: ImportJob) -> dict:
        """More for the page of `job` (import_job.html), once it is over, by model."""
        return {}

    def ignored_columns_notes_read(self, details: dict) -> list[str]:
        """What to do of the columns a job left out, as its report stores it; for a report
        stored before the notes were (no ignored_columns_notes key), worked out again from
        its ignored_columns (ignored_columns_notes_of)."""
        if "ignored_columns_notes" in details:
            notes = details["ignored_columns_notes"]
            return [str(note) for note in notes] if isinstance(notes, list) else []
        return self.ignored_columns_notes_of(details)

    def ignored_columns_notes_of(self, details: dict) -> list[str]:
        """The notes on the columns a job left out, from an older report's details. Here
        none: only the catalogue's imports give any (CourseResource.ignored_columns_notes)."""
        return []

    def process_result(self, result, request):
        # The confirm step re-reads the file against the database as it is now; if a row no longer
        # validates, the resource has rolled everything back and the user must hear so.
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the data changed since the preview and the file no "
                    "longer validates. Upload it again to see the problems."
                ),
            )
            return HttpResponseRedirect(reverse(self.import_again_url))
        # Said in the preview, and again beside what was imported.
        for note in getattr(result, "workbook_notes", ()):
            messages.warning(request, str(note))
        for warning in getattr(result, "import_warnings", ()):
            messages.warning(request, warning)
        return super().process_result(result, request)


def may_add_courses_to_programmes(user) -> bool:
    """Whether `user` may put courses in a programme (the courses' action *Add to a
    programme…*): each course it adds is a programme course row of its own, which the API and
    the programme's form let only who may add those add."""
    return user.has_perm("curricula.change_programme") and user.has_perm(
        "curricula.add_programmecourse"
    )


class CourseInProgrammeFilter(admin.SimpleListFilter):
    """Whether a course is in a programme: the courses of a catalogue just imported are in
    none, so this is where they can be selected for *Add to a programme…* (the import's next
    step links it)."""

    title = _("programme")
    parameter_name = "in_programme"
    NO, YES = "no", "yes"

    def lookups(self, request, model_admin):
        return [(self.NO, _("In no programme")), (self.YES, _("In a programme"))]

    def queryset(self, request, queryset):
        taught = Exists(ProgrammeCourse.objects.filter(course=OuterRef("pk")))
        if self.value() == self.NO:
            return queryset.filter(~taught)
        if self.value() == self.YES:
            return queryset.filter(taught)
        return queryset


@admin.register(Course)
class CourseAdmin(
    ChineseNoteCheckMixin,
    ProvenanceAdminMixin,
    AllOrNothingImportMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    """Courses; *Import* reads a catalogue (CSV or XLSX: code, title, title_zh, description,
    outcomes, credits, module, stage, language) with a preview and problems by line, all or
    nothing."""

    list_display = ("code", "title", "credits", "module", "stage", "language", "provenance")
    list_filter = ("module", "stage", CourseInProgrammeFilter)
    list_select_related = ("module", "stage")
    search_fields = ("code", "title", "title_zh")
    autocomplete_fields = ("module", "stage")
    ordering = ("code",)
    inlines = [CourseLinkInline]
    resource_classes = [CourseResource]
    import_again_url = "admin:curricula_course_import"
    background_format = ImportFormat.COURSES
    actions = ["add_to_programme"]
    import_form_class = CourseImportForm
    confirm_form_class = CourseConfirmForm

    def create_import_form(self, request):
        form = super().create_import_form(request)
        if programme_import_refused(request.user):
            # Importing into a programme changes it: not offered to who may not.
            del form.fields["programme"]
        return form

    def import_columns_optioned(self, request) -> list[ImportColumn]:
        # The term column is read only into a programme (CourseResource.columns): listed where
        # the form offers one (create_import_form).
        if programme_import_refused(request.user):
            return []
        note = gettext(
            "read only when the catalogue is imported into a programme (Into the programme)"
        )
        return [ImportColumn("term", note=note)]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and import_form.cleaned_data.get("programme"):
            initial["programme"] = import_form.cleaned_data["programme"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        programme = cleaned.get("programme")
        if programme is not None:
            # The confirm step's programme came back from the client: asked again.
            if programme_import_refused(request.user):
                raise PermissionDenied
            resource_kwargs["programme"] = programme
        return resource_kwargs

    def background_options(self, form) -> dict:
        programme = form.cleaned_data.get("programme")
        return {PROGRAMME_OPTION: programme.pk} if programme is not None else {}

    def has_add_to_programme_permission(self, request) -> bool:
        return may_add_courses_to_programmes(request.user)

    @admin.action(permissions=["add_to_programme"], description=_("Add to a programme…"))
    def add_to_programme(self, request, queryset):
        """Put the selected courses in one programme, chosen on a page of its own (a catalogue
        just imported is in none): the page first, then the write."""
        form = CourseProgrammeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            programme = form.cleaned_data["programme"]
            result = services.programme_courses_add(
                programme=programme,
                course_ids=queryset.order_by("code", "pk").values_list("pk", flat=True),
            )
            self.message_user(request, _courses_added_message(result, programme), messages.SUCCESS)
            return None
        return choose_one_page(
            self,
            request,
            queryset.order_by("code", "pk"),
            action="add_to_programme",
            title=gettext("Add to a programme"),
            form=form,
            template="admin/curricula/course/add_to_programme.html",
            has_choices=Programme.objects.exists(),
            can_add=request.user.has_perm("curricula.add_programme"),
        )

    def process_result(self, result, request):
        imported = not (result.has_errors() or result.has_validation_errors())
        if imported and getattr(result, "programme_said", ""):
            messages.success(request, result.programme_said)
        response = super().process_result(result, request)
        if imported and result.totals.get("new"):
            next_step = _programme_next_step(request)
            if next_step:
                messages.info(request, next_step)
        return response

    def ignored_columns_notes_of(self, details: dict) -> list[str]:
        # Into no programme, a term column left out: read only into one, as the import says
        # (CourseResource.ignored_columns_notes).
        ignored = details.get("ignored_columns")
        return catalogue_ignored_columns_notes(
            ignored if isinstance(ignored, list) else [],
            into_programme=details.get("programme") is not None,
        )

    def import_job_context(self, request, job: ImportJob) -> dict:
        # The same next step as after the preview-and-confirm import, for a catalogue large
        # enough to be imported by a job: on the job's page once it has created courses.
        created = (job.report or {}).get("counts", {}).get("course", {}).get("created")
        context = {}
        if job.status == ImportStatus.SUCCEEDED and created:
            context["next_step"] = _programme_next_step(request)
        # A catalogue imported into a programme: what it did to it, as the confirm step says.
        details = _job_details(job)
        # The job's details are the report's own counts (import_jobs.CourseCatalogueImporter),
        # of whatever release wrote them.
        report = services.CourseCatalogueImport.from_details(
            details, dry_run=isinstance(job.report, dict) and bool(job.report.get("dry_run"))
        )
        programme = (
            Programme.objects.filter(pk=report.programme).first()
            if report.programme is not None
            else None
        )
        if job.status == ImportStatus.SUCCEEDED and programme is not None:
            context["programme_said"] = services.courses_placed_said(
                placed=report.placed, programme=programme, dry_run=report.dry_run
            )
        return context


def _job_details(job: ImportJob) -> dict:
    """The details of the job's report, or none when it holds none of the shape its release
    writes (a mapping): a job page shows any job."""
    details = (job.report or {}).get("details") if isinstance(job.report, dict) else None
    return details if isinstance(details, dict) else {}


class CourseProgrammeForm(forms.Form):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.order_by("name", "pk"), label=_("Programme")
    )


def _courses_added_message(result: services.CoursesPlaced, programme: Programme) -> str:
    if not result.added:
        return gettext(
            "Every selected course was in the programme “%(programme)s” already: nothing changed."
        ) % {"programme": programme}
    message = ngettext(
        "%(count)d course added to the programme “%(programme)s”.",
        "%(count)d courses added to the programme “%(programme)s”.",
        result.added,
    ) % {"count": result.added, "programme": programme}
    if result.already:
        already = ngettext(
            "%(count)d was in it already.", "%(count)d were in it already.", result.already
        ) % {"count": result.already}
        message = join_sentences([message, already])
    return message


def _programme_next_step(request) -> str:
    """What to do after importing new courses ("" for who may do none of it): the gap report
    and a programme's suggestion review read a programme's courses, so new courses in none are
    the designer's next step (README, the mapping assistant's step 1). With a programme already
    made, the courses' action *Add to a programme…* puts them in it in one step: the message
    links the courses in no programme and names the action, for who may use it; the *Add* link
    stays for who may add one."""
    may_add = request.user.has_perm("curricula.add_programme")
    may_change = may_add_courses_to_programmes(request.user)
    add_link = format_html(
        '<a href="{}">{}</a>',
        reverse("admin:curricula_programme_add"),
        gettext("Programmes, Add"),
    )
    if may_change and Programme.objects.exists():
        courses_link = format_html(
            '<a href="{}?{}={}">{}</a>',
            reverse("admin:curricula_course_changelist"),
            CourseInProgrammeFilter.parameter_name,
            CourseInProgrammeFilter.NO,
            gettext("Courses in no programme"),
        )
        if may_add:
            return format_html(
                gettext(
                    "Next, put the new courses in a programme: select them in the list of "
                    "{courses} and choose the action “{action}”, or make a new programme "
                    "({add}). Its gap report and its suggestion review work on the "
                    "programme's courses."
                ),
                courses=courses_link,
                action=CourseAdmin.add_to_programme.short_description,
                add=add_link,
            )
        return format_html(
            gettext(
                "Next, put the new courses in a programme: select them in the list of "
                "{courses} and choose the action “{action}”. Its gap report and its "
                "suggestion review work on the programme's courses."
            ),
            courses=courses_link,
            action=CourseAdmin.add_to_programme.short_description,
        )
    if not may_add:
        return ""
    return format_html(
        gettext(
            "Next, put the new courses in a programme ({link}): its gap report and "
            "its suggestion review work on the programme's courses."
        ),
        link=add_link,
    )


admin.site.unregister(Ability)


@admin.register(Ability)
class AbilityWithLinksAdmin(ChineseNoteCheckMixin, positions_admin.AbilityAdmin):
    """The ability admin of positions, with the courses that build the ability inline."""

    inlines = [*positions_admin.AbilityAdmin.inlines, AbilityLinkInline]


class LinkPaginator(Paginator):
    """The link list's pages: unfiltered, its total comes from the trigger-kept counter (one
    small query) instead of counting 75k links on every page; filtered or searched, it counts."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            total = course_ability_total()
            if total is not None:
                return total
        return super().count


class LinkChangeList(ChangeList):
    """The link list's "N results (M total)" without counting every link a second time: the
    total is the unfiltered list's own count (read from the counter by LinkPaginator), or the
    counter's when filtered (counted where there is no counter)."""

    def get_results(self, request):
        super().get_results(request)  # the admin's show_full_result_count = False: no full count
        if not self.queryset.query.where:
            self.full_result_count = self.result_count
        else:
            total = course_ability_total()
            self.full_result_count = total if total is not None else self.root_queryset.count()
        self.show_full_result_count = True


@admin.register(CourseAbility)
class CourseAbilityAdmin(
    ChineseNoteCheckMixin,
    ProvenanceAdminMixin,
    AllOrNothingImportMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    list_display = ("course", "ability", "level", "provenance", "updated_at")
    list_filter = ("level", "ability__framework", "course__module")
    # ability__framework also serves the export, which writes each link's framework.
    list_select_related = ("course", "ability__framework", "level")
    search_fields = (
        "course__code",
        "course__title",
        "course__title_zh",
        "ability__code",
        "ability__text",
        "ability__text_zh",
    )
    autocomplete_fields = ("course", "ability")
    ordering = ("course__code", "ability_id")
    resource_classes = [CourseAbilityResource]
    import_again_url = "admin:curricula_courseability_import"
    background_format = ImportFormat.LINKS
    # 75k links: counted once at most, and unfiltered not at all (LinkPaginator, LinkChangeList).
    show_full_result_count = False
    paginator = LinkPaginator

    def get_changelist(self, request, **kwargs):
        return LinkChangeList

    def action_checkbox(self, obj):
        # The same markup as Django's, without rendering a form widget through the template
        # engine for each of the page's rows (a third of the list's rendering time).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), record_name(obj)),
        )


admin.site.unregister(Requirement)


@admin.register(Requirement)
class RequirementExchangeAdmin(
    AllOrNothingImportMixin, ImportExportModelAdmin, positions_admin.RequirementAdmin
):
    """The requirement admin of positions, with the import and export of requirement files
    (curricula.resources.RequirementResource: the positions' names a file gives, and the
    positions it names that none is, created), as the link list has them."""

    resource_classes = [RequirementResource]
    import_again_url = "admin:positions_requirement_import"
    background_format = ImportFormat.REQUIREMENTS
    # ability__framework serves the export, which writes each requirement's framework.
    list_select_related = ("position", "ability__framework", "min_level")

    def has_import_permission(self, request):
        # It creates positions too: the permissions its background job takes, as by hand.
        perms = [p for p in import_permissions(self.background_format) if "importjob" not in p]
        return super().has_import_permission(request) and request.user.has_perms(perms)


admin.site.unregister(Position)


@admin.register(Position)
class PositionWithImportAdmin(positions_admin.PositionAdmin):
    """The position admin of positions, whose list links the requirements import: it creates
    positions too, and who adds positions looks for it here (for who may import)."""

    change_list_template = "admin/positions/position/change_list.html"

    def changelist_view(self, request, extra_context=None):
        requirements = self.admin_site._registry.get(Requirement)
        may_import = requirements is not None and requirements.has_import_permission(request)
        return super().changelist_view(
            request, {**(extra_context or {}), "requirement_import": may_import}
        )


# --- Programmes ---------------------------------------------------------------------------------


class ProgrammeCourseInline(ProvenanceAdminMixin, LabelledTabularInline):
    model = ProgrammeCourse
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        # A new programme starts with one blank row to fill (left blank, it is not saved).
        return 1 if obj is None else 0

    fields = ("course", "listed_as", "order", "term", "provenance")
    autocomplete_fields = ("course",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course")


class ProgrammeTargetInline(ProvenanceAdminMixin, LabelledTabularInline):
    model = ProgrammeTarget
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        # A new programme starts with one blank row to fill (left blank, it is not saved).
        return 1 if obj is None else 0

    fields = ("position", "provenance")
    autocomplete_fields = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position")


class ProgrammeCoverageInline(LabelledTabularInline):
    """The last coverage computation, for reading: the coverage engine owns it."""

    model = ProgrammeCoverage
    fields = ("state", "percent", "computed_at")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgrammeTermsForm(forms.Form):
    """One term field per course of a programme (empty: its training stage stands in)."""

    def __init__(self, *args, entries: list[ProgrammeCourse], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[self.field_name(entry)] = forms.IntegerField(
                label=str(entry.course),
                required=False,
                min_value=1,
                max_value=MAX_TERM,
                initial=entry.term,
            )

    @staticmethod
    def field_name(entry: ProgrammeCourse) -> str:
        return f"term_{entry.course_id}"

    def course_terms(self) -> list[tuple[int, int | None]]:
        return [
            (entry.course_id, self.cleaned_data[self.field_name(entry)]) for entry in self.entries
        ]


class ProgrammeDegreeLevelFilter(admin.SimpleListFilter):
    """The degree level that applies (the certification's, else the programme's own): one
    filter, where the certification's level and the programme's own, both called "degree
    level", made two that each missed the other's programmes."""

    title = _("degree level")
    parameter_name = "degree_level"

    def lookups(self, request, model_admin):
        return DegreeLevel.choices

    def queryset(self, request, queryset):
        if self.value() in DegreeLevel.values:
            return queryset.at_degree_level(self.value())
        return queryset


@admin.register(Programme)
class ProgrammeAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "certification", "degree_level", "track_column", "coverage_state")
    list_filter = (
        ProgrammeDegreeLevelFilter,
        "certification",
        "track",
        "coverage__state",
    )
    list_select_related = ("certification", "track", "coverage")
    search_fields = ("name", "name_zh", "certification__name", "track__name")
    autocomplete_fields = ("certification", "track")
    ordering = ("order", "name")
    inlines = [ProgrammeCourseInline, ProgrammeTargetInline, ProgrammeCoverageInline]
    actions = ["set_terms"]

    def get_inlines(self, request, obj):
        """No coverage on the add page: it is computed once the programme is saved."""
        if obj is None:
            return [inline for inline in self.inlines if inline is not ProgrammeCoverageInline]
        return self.inlines

    def has_set_terms_permission(self, request) -> bool:
        return request.user.has_perm("curricula.change_programme") and request.user.has_perm(
            "curricula.change_programmecourse"
        )

    @admin.action(permissions=["set_terms"], description=_("Set terms…"))
    def set_terms(self, request, queryset):
        """The terms of one programme's courses on one page, saved together (one transaction,
        services.programme_update): a programme without terms reads every mastered ability as
        mastered with no earlier introduction."""
        programmes = list(queryset[:2])
        if len(programmes) != 1:
            self.message_user(
                request, gettext("Set the terms of one programme at a time."), messages.WARNING
            )
            return None
        programme = programmes[0]
        entries = list(
            programme.programme_courses.select_related("course", "course__stage").order_by(
                "order", "course__code", "pk"
            )
        )
        form = ProgrammeTermsForm(
            request.POST if "apply" in request.POST else None, entries=entries
        )
        if form.is_valid():
            try:
                services.programme_update(programme=programme, course_terms=form.course_terms())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "The term of %(count)d course of the programme “%(programme)s” saved.",
                        "The terms of %(count)d courses of the programme “%(programme)s” saved.",
                        len(entries),
                    )
                    % {"count": len(entries), "programme": programme},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Set terms of “%(programme)s”") % {"programme": programme},
            "programme": programme,
            "form": form,
            "rows": [(entry, form[ProgrammeTermsForm.field_name(entry)]) for entry in entries],
            "action": "set_terms",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/curricula/programme/set_terms.html", context)

    def get_queryset(self, request):
        # The list shows each coverage's state: its stored report and summary (hundreds of
        # kilobytes for a large framework) are not read for it. The inline reads its own row.
        return super().get_queryset(request).defer("coverage__report", "coverage__summary")

    @admin.display(description=_("degree level"))
    def degree_level(self, programme: Programme) -> str:
        return programme.degree_level_label

    @admin.display(
        description=_("track"),
        # A programme without a track last on every database (first when reversed).
        ordering=F("track__order").asc(nulls_last=True),
        empty_value="-",
    )
    def track_column(self, programme: Programme):
        # Not named "track": the changelist sorts a column named after a field by the field.
        return programme.track

    @admin.display(description=_("coverage"), ordering="coverage__state")
    def coverage_state(self, programme: Programme) -> str:
        coverage = getattr(programme, "coverage", None)
        if coverage is None:
            return gettext("not computed")
        return coverage.get_state_display()


@admin.register(ProgrammeCourse)
class ProgrammeCourseAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("programme", "course", "listed_as", "order", "term", "provenance")
    list_filter = ("programme",)
    list_select_related = ("programme", "course")
    search_fields = (
        "programme__name",
        "course__code",
        "course__title",
        "course__title_zh",
        "listed_as",
    )
    autocomplete_fields = ("programme", "course")
    ordering = ("programme__order", "programme__name", "order", "id")


@admin.register(CertificationCourse)
class CertificationCourseAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    """The courses a certification lists per career direction (Table III): what a programme's
    certification readiness is measured against."""

    list_display = ("certification", "track", "course", "listed_as", "order", "provenance")
    list_filter = ("certification", "track")
    list_select_related = ("certification", "track", "course")
    search_fields = ("certification__name", "track__name", "course__code", "course__title")
    autocomplete_fields = ("certification", "track", "course")
    ordering = ("certification__order", "track__order", "order", "id")


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("programme", "position", "provenance")
    list_filter = ("programme",)
    list_select_related = ("programme", "position")
    search_fields = ("programme__name", "position__name", "position__name_zh")
    autocomplete_fields = ("programme", "position")
    ordering = ("programme__order", "programme__name", "position__name")


@admin.register(ProgrammeCoverage)
class ProgrammeCoverageAdmin(admin.ModelAdmin):
    """Read-only: coverage is computed, never typed; editing it would only be overwritten. It is
    deleted with its programme, never by hand (`computed`: it does not hold that deletion back)."""

    computed = True

    list_display = ("programme", "state", "percent", "computed_at", "stale_since")
    list_filter = ("state",)
    list_select_related = ("programme",)
    search_fields = ("programme__name",)
    fields = ("programme", "state", "percent", "score", "computed_at", "stale_since")
    readonly_fields = fields
    ordering = ("programme__order", "programme__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
