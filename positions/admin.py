"""The admin for the demand side.

The admin stays thin: no domain rules here, only how staff see and edit records. Models that keep
history get simple_history's history view (who, when, what changed, revert).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import LabelledTabularInline, ProvenanceAdminMixin, choose_one_page
from core.api.exceptions import QUEUE_UNAVAILABLE
from core.chinese import has_han
from core.csv import UTF_8, reading_encoding
from core.exceptions import QueueUnavailable
from core.forms import encoding_form_field
from core.i18n import join_sentences, record_name
from core.jobs import job_start_refused
from core.spreadsheets import csv_only_refuse_binary, csv_only_text, spreadsheet_rows_past
from core.uploads import admin_import_inline_rows, validate_upload_size
from positions import services
from positions.admin_imports import message_import_job_on_commit
from positions.importers import DRY_RUN, ENCODING
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    ImportFormat,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
    TrackAlias,
)

# --- Frameworks and abilities -------------------------------------------------------------------


@admin.register(Framework)
class FrameworkAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "version", "source", "language", "provenance", "updated_at")
    list_filter = ("source", "language")
    search_fields = ("name", "name_zh", "source", "version", "external_id", "=identifier")
    ordering = ("name", "id")


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "order", "framework", "provenance")
    list_filter = ("framework",)
    list_select_related = ("framework",)
    search_fields = ("code", "name", "name_zh")


@admin.register(Ability)
class AbilityAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "code",
        "framework",
        "area",
        "parent",
        "retired",
        "needs_review",
        "provenance",
    )
    list_filter = ("framework", "area", "retired", "needs_review")
    list_select_related = ("framework", "area", "parent")
    search_fields = ("code", "short_name", "text", "text_zh", "external_id", "=identifier")
    autocomplete_fields = ("framework", "area", "parent")
    ordering = ("framework_id", "order", "code", "id")
    actions = ["set_competency_area"]

    @admin.action(permissions=["change"], description=_("Set competency area…"))
    def set_competency_area(self, request, queryset):
        """Put the selected abilities in one competency area, chosen on a page of its own
        (an import's abilities arrive without one): the page first, then the write."""
        form = AbilityAreaForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            area = form.cleaned_data["area"]
            result = services.abilities_area_set(
                ability_ids=queryset.values("pk"), area=area, history_user=request.user
            )
            self.message_user(request, _area_set_message(result, area), messages.SUCCESS)
            return None
        return choose_one_page(
            self,
            request,
            queryset.select_related("framework", "area"),
            action="set_competency_area",
            title=gettext("Set competency area"),
            form=form,
            template="admin/positions/ability/set_area.html",
            has_choices=CompetencyArea.objects.exists(),
            can_add=self.admin_site.get_model_admin(CompetencyArea).has_add_permission(request),
        )


def _area_set_message(result: services.AreaSet, area: CompetencyArea) -> str:
    if not result.changed:
        return gettext(
            "Every selected ability was in the competency area “%(area)s” already: nothing changed."
        ) % {"area": area}
    message = ngettext(
        "%(count)d ability put in the competency area “%(area)s”.",
        "%(count)d abilities put in the competency area “%(area)s”.",
        result.changed,
    ) % {"count": result.changed, "area": area}
    if result.unchanged:
        already = ngettext(
            "%(count)d was in it already.", "%(count)d were in it already.", result.unchanged
        ) % {"count": result.unchanged}
        message = join_sentences([message, already])
    return message


class AbilityAreaForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Competency area"), queryset=CompetencyArea.objects.all())


@admin.register(AbilityRelation)
class AbilityRelationAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "framework", "relation_type", "provenance")
    list_filter = ("relation_type", "framework")
    list_select_related = ("framework", "source", "target")
    search_fields = (
        "source__code",
        "source__text",
        "source_uri",
        "source_label",
        "target__code",
        "target__text",
        "target_uri",
        "target_label",
    )
    autocomplete_fields = ("framework", "source", "target")
    ordering = ("source_id", "relation_type", "id")
    change_list_template = "admin/positions/abilityrelation/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv_view)
        return [
            path("import-csv/", view, name="positions_abilityrelation_import_csv"),
            *super().get_urls(),
        ]

    def import_csv_view(self, request):
        """Crosswalk links from a CSV, all or nothing: the errors, by line, or a count; with
        *Dry run*, what it would write, nothing written. A file of more rows than
        ADMIN_IMPORT_INLINE_ROWS is imported (or checked) by a background import job instead,
        followed on the job's page, as the catalogue's, links' and requirements' imports do."""
        if not self.has_add_permission(request):
            return redirect("admin:positions_abilityrelation_changelist")
        form = CrosswalkCsvForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            encoding = form.cleaned_data["encoding"] or UTF_8
            try:
                if spreadsheet_rows_past(upload, kind="csv", rows=admin_import_inline_rows()):
                    return self._import_csv_in_background(
                        request, upload, dry_run=dry_run, encoding=encoding
                    )
                with reading_encoding(encoding):
                    text = csv_only_text(upload.read())
                result = services.crosswalk_import_csv(
                    text=text, source_name=upload.name, user=request.user, dry_run=dry_run
                )
            except ValidationError as error:
                errors = [str(m) for m in error.message_dict.get("file", error.messages)]
            except QueueUnavailable:
                errors = [str(QUEUE_UNAVAILABLE)]
            else:
                if dry_run:
                    self.message_user(
                        request,
                        gettext(
                            "Dry run: nothing was written. %(created)d crosswalk links would be "
                            "created, %(unchanged)d are already there."
                        )
                        % result.as_dict(),
                        messages.SUCCESS,
                    )
                    return redirect("admin:positions_abilityrelation_import_csv")
                self.message_user(
                    request,
                    gettext("%(created)d crosswalk links created, %(unchanged)d already there.")
                    % result.as_dict(),
                    messages.SUCCESS,
                )
                return redirect("admin:positions_abilityrelation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import crosswalk links (CSV)"),
            "form": form,
            "errors": errors,
            "columns": services.CROSSWALK_CSV_COLUMNS,
        }
        return TemplateResponse(request, "admin/positions/abilityrelation/import_csv.html", context)

    def _import_csv_in_background(self, request, upload, *, dry_run: bool, encoding: str):
        # Refused now, in the words the import inside the request uses, not queued to fail.
        csv_only_refuse_binary(upload.read(16))
        upload.seek(0)
        # A job started: counted against the user's job rate, as the API's.
        back = reverse("admin:positions_abilityrelation_import_csv")
        refused = job_start_refused(request, back=back)
        if refused is not None:
            return refused
        job = services.import_job_create(
            format=ImportFormat.RELATIONS,
            upload=upload,
            options={
                **({DRY_RUN: True} if dry_run else {}),
                **({ENCODING: encoding} if encoding != UTF_8 else {}),
            },
            created_by=request.user,
        )
        url = reverse("admin:positions_importjob_change", args=[job.pk])
        message_import_job_on_commit(request, job, url=url)
        return redirect(url)


class CrosswalkCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), validators=[validate_upload_size])
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Check the file and count what it would write; write nothing."),
    )
    encoding = encoding_form_field()


# --- Tracks, levels, positions ------------------------------------------------------------------


class TrackAliasInline(ProvenanceAdminMixin, LabelledTabularInline):
    model = TrackAlias
    extra = 0
    fields = ("name", "name_zh", "source_ref", "provenance")


@admin.register(Track)
class TrackAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "order", "provenance")
    search_fields = ("name", "name_zh", "slug", "aliases__name", "aliases__name_zh")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order", "name")
    inlines = [TrackAliasInline]


@admin.register(TrackAlias)
class TrackAliasAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "track", "provenance")
    list_filter = ("track",)
    list_select_related = ("track",)
    search_fields = ("name", "name_zh", "track__name", "track__name_zh")
    autocomplete_fields = ("track",)
    ordering = ("track__order", "name")


@admin.register(Level)
class LevelAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_zh", "rank")
    search_fields = ("code", "name", "name_zh")
    ordering = ("rank",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if has_han(obj.name) and not obj.name_zh:
            # A warning, not a refusal: shown rather than not at all, as any record's text given
            # in Chinese alone is, and a site working in Chinese alone may want just that. A
            # level has nothing else to fall back on in English (its code is no name).
            messages.warning(
                request,
                gettext(
                    "“%(level)s” is named in Chinese and its Chinese name is blank: English "
                    "pages show the Chinese. Put its English name in the name, and the Chinese "
                    "in the Chinese name."
                )
                % {"level": record_name(obj)},
            )


class PlacementInline(ProvenanceAdminMixin, LabelledTabularInline):
    model = Placement
    extra = 0
    fields = ("track", "degree_level", "title", "order", "source_ref", "provenance")
    autocomplete_fields = ("track",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("track")


class RequirementInline(ProvenanceAdminMixin, LabelledTabularInline):
    model = Requirement
    extra = 0
    fields = (
        "ability",
        "importance",
        "min_level",
        "importance_score",
        "level_score",
        "order",
        "provenance",
    )
    autocomplete_fields = ("ability",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ability", "min_level")


@admin.register(Position)
class PositionAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "order", "provenance")
    list_filter = ("placements__track", "placements__degree_level")
    search_fields = ("name", "name_zh", "code", "external_id", "placements__title")
    ordering = ("order", "name", "id")
    inlines = [PlacementInline, RequirementInline]


@admin.register(Placement)
class PlacementAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("listed_title", "position", "track", "degree_level", "order", "provenance")
    list_filter = ("track", "degree_level")
    list_select_related = ("position", "track")
    search_fields = ("title", "position__name", "track__name")
    autocomplete_fields = ("position", "track")
    ordering = ("track__order", "degree_level", "order", "id")

    @admin.display(description=_("listed title"), ordering="title")
    def listed_title(self, placement: Placement) -> str:
        # A blank title is the position's name; shown, so the row's link has a text.
        return placement.listed_title


@admin.register(Requirement)
class RequirementAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("position", "ability", "importance", "min_level", "provenance")
    list_filter = ("importance", "min_level", "ability__framework")
    list_select_related = ("position", "ability", "min_level")
    search_fields = (
        "position__name",
        "position__name_zh",
        "ability__code",
        "ability__text",
        "ability__text_zh",
    )
    autocomplete_fields = ("position", "ability")
    ordering = ("position_id", "order", "id")


# The import-job admin (upload form, reports) lives beside the importers.
from positions import admin_imports  # noqa: E402, F401
