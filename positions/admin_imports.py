"""Admin for import jobs: staff upload a framework file here, and read the report afterwards.

positions/admin.py imports this module, so the admin autodiscovery registers it.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.api.exceptions import QUEUE_UNAVAILABLE
from core.csv import UTF_8
from core.exceptions import QueueUnavailable
from core.forms import encoding_form_field
from core.i18n import join_list, join_long_items
from core.jobs import job_start_refused
from core.queue import ensure_queue_reachable
from core.uploads import validate_upload_size
from positions.importers import (
    DRY_RUN,
    ENCODING,
    ENCODING_FORMATS,
    ENCODING_REFUSED,
    TOP_LEVEL_AREA_FORMATS,
    TOP_LEVEL_AREAS,
    TOP_LEVEL_AREAS_REFUSED,
)
from positions.importers.base import counts_shown, import_label, problem_lines
from positions.models import FRAMEWORK_FORMATS, ImportJob, ImportStatus, Level
from positions.selectors import import_job_progress
from positions.services import (
    import_job_check_permissions,
    import_job_create,
)


def message_import_job_on_commit(request, job: ImportJob, *, url: str) -> None:
    """Once the transaction that added `job` commits, tell the user what became of it, its
    name linking to `url`: succeeded (with its counts) or failed when its task ran inline (no
    broker, the embedded default: import_job_create queued it on commit before this), else
    waiting for a worker. Any admin adding an import job says so through this."""
    transaction.on_commit(lambda: _message_job_status(request, job.pk, url=url))


def _message_job_status(request, job_id: int, *, url: str) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    name = format_html('<a href="{}">{}</a>', url, job.source_name or job.path)
    counts = _counts_text(job.report or {})
    reason = ""
    if job.status == ImportStatus.SUCCEEDED and (job.report or {}).get("dry_run"):
        text = (
            gettext(
                "The dry run of {name} has run: nothing was written; the import would write: "
                "{counts}."
            )
            if counts
            else gettext("The dry run of {name} has run: nothing was written.")
        )
        level = messages.SUCCESS
    elif job.status == ImportStatus.SUCCEEDED:
        text = (
            gettext("The import of {name} has run and succeeded: {counts}.")
            if counts
            else gettext("The import of {name} has run and succeeded.")
        )
        level = messages.SUCCESS
    elif job.status == ImportStatus.FAILED:
        error = (job.report or {}).get("error") or {}
        reason = " ".join(part for part in (error.get("where"), error.get("message")) if part)
        # Each of a file's problems, where it is (ImportProblems): all mended in one go.
        if problems := problem_lines(error):
            reason = gettext("%(label)s: %(value)s") % {
                "label": reason,
                "value": join_long_items(problems),
            }
        # The reason itself, so one wrong cell is mended without opening the job's page.
        text = (
            gettext("The import of {name} has run and failed, and nothing was written: {reason}.")
            if reason
            else gettext(
                "The import of {name} has run and failed: nothing was written; its job gives "
                "the reason."
            )
        )
        level = messages.ERROR
    else:
        # Its page, where the admins land after adding it, follows it (admin.js).
        text = gettext(
            "The import of {name} was added ({status}): it runs in the background; its page "
            "follows it and shows the report when it is over."
        )
        level = messages.INFO
    messages.add_message(
        request,
        level,
        format_html(
            text,
            name=name,
            status=job.get_status_display(),
            counts=counts,
            reason=reason,
        ),
        fail_silently=True,
    )


def _counts_text(report: dict) -> str:
    """A report's counts in one line, in the reader's language: "link: 12 created, 0 updated;
    ...", with the catalogue's colon and list separators."""
    return join_long_items(
        # The colon is the message's: Chinese writes a full-width one.
        gettext("%(label)s: %(value)s")
        % {"label": kind, "value": join_list(f"{n} {outcome}" for outcome, n in outcomes)}
        for kind, outcomes in counts_shown(report.get("counts", {}))
    )


class ImportJobUploadForm(forms.ModelForm):
    min_level = forms.ChoiceField(
        label=_("Minimum level"),
        required=False,
        help_text=_("ESCO: minimum level of the requirements (default M)."),
    )
    top_level_areas = forms.BooleanField(
        label=_("Top-level competencies as competency areas"),
        required=False,
        help_text=_(
            "Moodle and CASE: make the framework's top-level competencies its competency "
            "areas, and put every competency in its top-level ancestor's area."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_(
            "Check the whole file and count what it would write, as the import does; write nothing."
        ),
    )

    encoding = encoding_form_field()

    class Meta:
        model = ImportJob
        fields = ["format", "upload"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = True
        self.fields["upload"].validators.append(validate_upload_size)
        # Links are imported from the link list's own import page.
        self.fields["format"].choices = FRAMEWORK_FORMATS
        # Blank is the importers' default (M), which the help text names; each level in the
        # reader's language, as the requirements' own menus name it.
        self.fields["min_level"].choices = [
            ("", "---------"),
            *((level.code, str(level)) for level in Level.objects.all()),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("top_level_areas") and cleaned.get("format") not in TOP_LEVEL_AREA_FORMATS:
            self.add_error("top_level_areas", TOP_LEVEL_AREAS_REFUSED)
        if (cleaned.get("encoding") or UTF_8) != UTF_8 and cleaned.get(
            "format"
        ) not in ENCODING_FORMATS:
            self.add_error("encoding", ENCODING_REFUSED)
        if cleaned.get("format"):
            try:
                # The admin sets `user` on the form class it builds for each request.
                import_job_check_permissions(
                    format=cleaned["format"], user=self.user, options=self.import_options()
                )
            except PermissionDenied as exc:
                self.add_error("format", str(exc))
        if not self.errors:
            # Asked here, where the form can say so; the job would never run otherwise.
            from positions.tasks import import_job_run

            try:
                ensure_queue_reachable(app=import_job_run.app, what="import job")
            except QueueUnavailable:
                self.add_error(None, QUEUE_UNAVAILABLE)
        return cleaned

    def import_options(self) -> dict:
        level = self.cleaned_data.get("min_level")
        return {
            **({"min_level": level} if level else {}),
            **({TOP_LEVEL_AREAS: True} if self.cleaned_data.get("top_level_areas") else {}),
            **({DRY_RUN: True} if self.cleaned_data.get("dry_run") else {}),
            **(
                {ENCODING: self.cleaned_data["encoding"]}
                if self.cleaned_data.get("encoding") not in ("", None, UTF_8)
                else {}
            ),
        }


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "format",
        "source_name",
        "status",
        "stuck",
        "live_progress",
        "created_by",
        "created_at",
    )
    list_filter = ("format", "status")
    list_select_related = ("created_by",)
    search_fields = ("source_name",)
    readonly_fields = (
        "format",
        "source_name",
        "path",
        "options",
        "status",
        "stuck",
        "live_progress",
        "attempts",
        "lease_expires_at",
        "language",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "summary",
        "changes",
        "report_json",
    )
    exclude = ("report", "upload")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImportJobUploadForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_exclude(self, request, obj=None):
        return self.exclude if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["format", "upload", "encoding", "min_level", "top_level_areas", "dry_run"]
        return list(self.readonly_fields)

    def add_view(self, request, form_url="", extra_context=None):
        # Each upload starts a job: counted against the user's job rate, as the API's are.
        if request.method == "POST" and self.has_add_permission(request):
            refused = job_start_refused(request, back=request.get_full_path())
            if refused:
                return refused
        return super().add_view(request, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        # A job is a record of what happened: viewable, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        job = import_job_create(
            format=form.cleaned_data["format"],
            upload=form.cleaned_data["upload"],
            options=form.import_options(),
            created_by=request.user,
        )
        # The service made the row; the admin goes on with it (log entry, redirect).
        obj.pk = job.pk
        obj._state.adding = False
        message_import_job_on_commit(
            request, job, url=reverse("admin:positions_importjob_change", args=[job.pk])
        )

    def response_add(self, request, obj, post_url_continue=None):
        # Django's "added successfully" names the job as it is inside the add's transaction,
        # pending: message_import_job_on_commit says what became of it once that commits.
        request._import_job_quiet = True
        try:
            return super().response_add(request, obj, post_url_continue)
        finally:
            request._import_job_quiet = False

    def response_post_save_add(self, request, obj):
        # To the job's page, which follows it until its report is in (change_form.html), as
        # the catalogue's background import does; not the list, reloaded by hand.
        if self.has_view_permission(request, obj):
            return HttpResponseRedirect(reverse("admin:positions_importjob_change", args=[obj.pk]))
        return super().response_post_save_add(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # What the page says to screen readers when the job's counts come in.
            context["job_counts"] = counts_shown((obj.report or {}).get("counts", {}))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def message_user(self, request, *args, **kwargs):
        if not getattr(request, "_import_job_quiet", False):
            super().message_user(request, *args, **kwargs)

    @admin.display(description=_("progress (%)"))
    def live_progress(self, obj):
        # While the import's transaction is open its row does not move; the cache does.
        progress = import_job_progress(obj)
        return f"{progress['progress']} ({import_label(progress['stage'])})"

    @admin.display(description=_("stuck"), boolean=True)
    def stuck(self, obj):
        # Running with an expired lease: its worker died; the sweep takes it over or fails it.
        return obj.is_stuck

    @admin.display(description=_("summary"))
    def summary(self, obj):
        report = obj.report or {}
        if obj.status == ImportStatus.FAILED and report.get("error"):
            error = report["error"]
            summary = format_html(
                "<strong>{}</strong> {}", error.get("where", ""), error["message"]
            )
            if not error.get("problems"):
                return summary
            # Each of the file's problems where it is, and how many more there were.
            items = format_html_join(
                "",
                "<li><strong>{}</strong> {}</li>",
                ((p["where"], p["message"]) for p in error["problems"]),
            )
            more = format_html_join(
                "",
                "<li>{}</li>",
                ((line,) for line in problem_lines(error)[len(error["problems"]) :]),
            )
            return format_html("{}<ul>{}{}</ul>", summary, items, more)
        if report.get("dry_run"):
            # Its counts are what the import would write.
            return format_html("{} {}", _("Dry run: nothing was written."), _counts_text(report))
        return format_html("{}", _counts_text(report))

    @admin.display(description=_("what changed"))
    def changes(self, obj):
        changes = (obj.report or {}).get("changes")
        if not changes:
            return "—"
        return render_to_string("admin/positions/importjob/changes.html", {"changes": changes})

    @admin.display(description=_("report"))
    def report_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.report, indent=2, ensure_ascii=False))
