"""The admin for the demand side, and the provenance mixin every admin of the project uses.

The admin stays thin: no domain rules here, only how staff see and edit records. Models that keep
history get simple_history's history view (who, when, what changed, revert).
"""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Level,
    Placement,
    Position,
    Provenance,
    Requirement,
    Track,
    TrackAlias,
)

admin.site.site_header = _("Competency-to-curriculum mapping")
admin.site.site_title = _("Competency-to-curriculum mapping")
admin.site.index_title = _("Administration")

# Fields staff never type: where a record came from is the system's statement, and identifiers are
# what external frameworks (CASE, exports) refer to, so changing one would break those references.
_SYSTEM_FIELDS = ("provenance", "identifier", "created_at", "updated_at")
# Bookkeeping that changes on every save and says nothing about the record's content.
_NOT_CONTENT = {"provenance", "created_at", "updated_at"}


def _has_provenance(model: type[models.Model]) -> bool:
    return any(field.name == "provenance" for field in model._meta.concrete_fields)


def _content_differs(obj: models.Model) -> bool:
    """Whether saving `obj` would change its stored content (one query).

    The submitted form cannot tell on its own: simple_history's revert binds the form to the old
    version, so the form looks unchanged although the record is about to change.
    """
    names = [
        field.attname
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in _NOT_CONTENT
    ]
    stored = type(obj)._base_manager.filter(pk=obj.pk).values(*names).first()
    if stored is None:
        return True
    return any(stored[name] != getattr(obj, name) for name in names)


class ProvenanceAdminMixin:
    """Staff edits made in the admin are marked as such; provenance is shown, never typed.

    A record staff add or change through the admin (its own form or an inline) gets provenance
    "edit", which the paper loader and the importers respect by not overwriting it. `source_ref`
    is kept, so an edited record still says where it originally came from. Used by every
    ModelAdmin and inline of the project (inlines use only the read-only part: their parent's
    save_formset saves them); on models without provenance it does nothing.
    """

    # URLs typed without a scheme are taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {field.name for field in self.model._meta.concrete_fields}
        fields += [name for name in _SYSTEM_FIELDS if name in model_fields and name not in fields]
        return fields

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if _has_provenance(self.model) and "provenance" not in filters:
            filters.append("provenance")
        return filters

    def save_model(self, request, obj, form, change):
        if _has_provenance(type(obj)) and (not change or _content_differs(obj)):
            obj.provenance = Provenance.EDIT
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # commit=False returns only the new and changed inline objects, exactly the ones to mark.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()
        for obj in instances:
            if _has_provenance(type(obj)):
                obj.provenance = Provenance.EDIT
            obj._history_user = request.user
            obj.save()
        formset.save_m2m()


# --- Frameworks and abilities -------------------------------------------------------------------


@admin.register(Framework)
class FrameworkAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "version", "source", "language", "provenance", "updated_at")
    list_filter = ("source", "language")
    search_fields = ("name", "source", "version", "external_id", "=identifier")
    ordering = ("name", "id")


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "order", "provenance")
    search_fields = ("code", "name")
    ordering = ("order", "code")


@admin.register(Ability)
class AbilityAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "code", "framework", "area", "parent", "provenance")
    list_filter = ("framework", "area")
    list_select_related = ("framework", "area", "parent")
    search_fields = ("code", "short_name", "text", "external_id", "=identifier")
    autocomplete_fields = ("framework", "area", "parent")
    ordering = ("framework_id", "order", "code", "id")


@admin.register(AbilityRelation)
class AbilityRelationAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("source", "relation_type", "target", "target_uri", "provenance")
    list_filter = ("relation_type",)
    list_select_related = ("source", "target")
    search_fields = ("source__code", "source__text", "target__code", "target__text", "target_uri")
    autocomplete_fields = ("source", "target")
    ordering = ("source_id", "relation_type", "id")


# --- Tracks, levels, positions ------------------------------------------------------------------


class TrackAliasInline(ProvenanceAdminMixin, admin.TabularInline):
    model = TrackAlias
    extra = 0
    fields = ("name", "source_ref", "provenance")


@admin.register(Track)
class TrackAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "order", "provenance")
    search_fields = ("name", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order", "name")
    inlines = [TrackAliasInline]


@admin.register(TrackAlias)
class TrackAliasAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "track", "provenance")
    list_filter = ("track",)
    list_select_related = ("track",)
    search_fields = ("name", "track__name")
    autocomplete_fields = ("track",)
    ordering = ("track__order", "name")


@admin.register(Level)
class LevelAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "rank")
    search_fields = ("code", "name")
    ordering = ("rank",)


class PlacementInline(ProvenanceAdminMixin, admin.TabularInline):
    model = Placement
    extra = 0
    fields = ("track", "degree_level", "title", "order", "source_ref", "provenance")
    autocomplete_fields = ("track",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("track")


class RequirementInline(ProvenanceAdminMixin, admin.TabularInline):
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
    search_fields = ("name", "code", "external_id", "placements__title")
    ordering = ("order", "name", "id")
    inlines = [PlacementInline, RequirementInline]


@admin.register(Placement)
class PlacementAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "position", "track", "degree_level", "order", "provenance")
    list_filter = ("track", "degree_level")
    list_select_related = ("position", "track")
    search_fields = ("title", "position__name", "track__name")
    autocomplete_fields = ("position", "track")
    ordering = ("track__order", "degree_level", "order", "id")


@admin.register(Requirement)
class RequirementAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("position", "ability", "importance", "min_level", "provenance")
    list_filter = ("importance", "min_level", "ability__framework")
    list_select_related = ("position", "ability", "min_level")
    search_fields = ("position__name", "ability__code", "ability__text")
    autocomplete_fields = ("position", "ability")
    ordering = ("position_id", "order", "id")


# The import-job admin (upload form, reports) lives beside the importers.
from positions import admin_imports  # noqa: E402, F401
