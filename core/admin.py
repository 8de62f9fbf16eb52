"""What every admin of the project shares: the site's titles, the provenance mixin every
ModelAdmin and inline uses (staff edits are marked as such, provenance is shown, never typed),
and for the import-export admins the formula-safe CSV and XLSX formats and the storage of a file
between its preview and the confirm step; API tokens for superusers only; the autocomplete that
serves whoever may fill the field.
"""

import io
from collections.abc import Callable
from typing import Any

import tablib
from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import (
    NestedObjects,
    NotRelationField,
    get_fields_from_path,
    quote,
    unquote,
)
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, re_path, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats
from openpyxl import Workbook
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core.csv import apostrophe_kept, safe_cell
from core.exceptions import DeletionConflict, RecordDeletedMeanwhile
from core.history import (
    HistoryConflict,
    history_change_revert,
    history_changes,
    history_deleted,
    history_gone_parents_cleared,
    history_missing_parents,
    history_parents_attached,
)
from core.i18n import join_sentences, record_name
from core.joins import joined_fields, may_move, move_refusal, moved_fields, stored_joins
from core.models import Provenance
from core.services import deleting, foreign_keys_check, rows_lock
from core.spreadsheets import spreadsheet_dataset
from core.times import site_time
from core.xlsx import xlsx_cell

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


def computed_kinds(site: admin.AdminSite = admin.site) -> set[str]:
    """Verbose names of the kinds whose admin is marked `computed`: rows the application computes
    and deletes with what they are computed from."""
    return {
        str(model._meta.verbose_name)
        for model, model_admin in site._registry.items()
        if getattr(model_admin, "computed", False)
    }


def _folded(model, name: str) -> str:
    """A search field of `model` read folded, when it names a text field with Django's default
    lookup (no ^, = or @ before it, no lookup after it)."""
    if name[:1] in "^=@":
        return name
    try:
        field = get_fields_from_path(model, name)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return name  # a name with a lookup of its own
    if isinstance(field, (models.CharField, models.TextField)):
        return f"{name}__folded_contains"
    return name


class ProvenanceListFilter(admin.SimpleListFilter):
    """The provenances the listed records have, in Provenance's order: the field's own filter
    listed every choice, so a fresh install offered the paper's and the starter mapping's, which
    no record had. One query (the distinct values); the address is the field filter's
    (`?provenance__exact=import`), so links to it keep working."""

    title = _("provenance")
    parameter_name = "provenance__exact"

    def lookups(self, request, model_admin):
        used = set(
            model_admin.get_queryset(request)
            .order_by()
            .values_list("provenance", flat=True)
            .distinct()
        )
        return [(value, label) for value, label in Provenance.choices if value in used]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(provenance=value) if value else queryset


class ProvenanceAdminMixin:
    """Staff edits made in the admin are marked as such; provenance is shown, never typed.

    A record staff add or change through the admin (its own form or an inline) gets provenance
    "edit", which the paper loader and the importers respect by not overwriting it. `source_ref`
    is kept, so an edited record still says where it originally came from. Used by every
    ModelAdmin and inline of the project (inlines use only the read-only part: their parent's
    save_formset saves them); on models without provenance it does nothing. Its history page
    names who made each change, linked to their user page only for staff who may view users.
    """

    # URLs typed without a scheme are taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {field.name for field in self.model._meta.concrete_fields}
        fields += [name for name in _SYSTEM_FIELDS if name in model_fields and name not in fields]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Menus and autocomplete boxes name their records in the reader's language.
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            field.label_from_instance = record_name
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = record_name(obj)
            context["original"] = RecordNamed(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        # Its message ("The course “…” was added successfully.") names the record with str().
        return super().response_add(request, RecordNamed(obj), post_url_continue)

    def response_change(self, request, obj):
        return super().response_change(request, RecordNamed(obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Django's, a save the database refuses at the check of its foreign keys (save_related:
        a record it points to deleted meanwhile, after the form found it there) told in words,
        nothing saved, where the commit failed with a 500 after the page had said it was
        saved. The record's row is locked before the form reads it: a deletion under way is
        waited for (the page then says the record is gone, as Django's does), one coming after
        waits for the change (and deletes what it added), and the record's children (inlines)
        are written after their parent is locked, the order a deletion locks them in. A change
        of a record deleted meanwhile all the same (core.models.UpdateOnlyModel.save) is told in
        words, nothing saved, where Django's save inserted it again."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        rows = None if object_id is None else self._rows_addressed(request, object_id)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                if rows is not None:
                    rows_lock(rows)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordDeletedMeanwhile as error:
            messages.error(request, str(error))
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
            )
        except IntegrityError:
            messages.error(
                request,
                gettext(
                    "The %(name)s was not saved: it, or a record it points to, was changed "
                    "meanwhile. Nothing was saved; look at it again."
                )
                % {"name": self.model._meta.verbose_name},
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        foreign_keys_check(using=router.db_for_write(self.model))

    def delete_view(self, request, object_id, extra_context=None):
        """Django's, safe from records added to the record meanwhile (core.services.deleting):
        its row is locked before the page reads what the deletion would take, so that what it
        checks (permissions, protected records) is what is deleted, and a record added to one
        deleted with it refuses the deletion in words, nothing deleted, where it was a 500."""
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().delete_view(request, object_id, extra_context)
        rows = self._rows_addressed(request, object_id)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                if rows is not None:
                    rows_lock(rows)
                return super().delete_view(request, object_id, extra_context)
        except DeletionConflict as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())

    def _rows_addressed(self, request, object_id: str) -> models.QuerySet | None:
        """The row a change or delete page's address names (by its key, or by the field its
        `_to_field` names), None for an address Django refuses or finds nothing by anyway."""
        opts = self.model._meta
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return None
        field = opts.get_field(to_field) if to_field else opts.pk
        try:
            value = field.to_python(unquote(object_id))
        except ValidationError:
            return None
        return self.model._base_manager.filter(**{field.name: value})

    def delete_model(self, request, obj):
        request.deleted_record_name = record_name(obj)
        with deleting(self.model._base_manager.filter(pk=obj.pk)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with deleting(queryset, many=True):
            super().delete_queryset(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected, name, description)
        return actions

    def response_delete(self, request, obj_display, obj_id):
        name = getattr(request, "deleted_record_name", None)
        return super().response_delete(request, name or obj_display, obj_id)

    def render_delete_form(self, request, context):
        context["object"] = RecordNamed(context["object"])
        return super().render_delete_form(request, context)

    def get_changeform_initial_data(self, request):
        # An add form is filled from its query string (?programme=3); an autocomplete menu looks
        # its value up by id, so one that is no id (typed or edited by hand) is left out, where
        # the lookup failed (500).
        initial = super().get_changeform_initial_data(request)
        for name in self.autocomplete_fields:
            field = self.model._meta.get_field(name)
            values = initial.get(name)
            if values is None:
                continue
            try:
                for value in values if isinstance(values, list) else [values]:
                    field.target_field.get_prep_value(value)
            except (TypeError, ValueError):
                del initial[name]
        return initial

    def get_search_fields(self, request):
        # Text fields are searched folded (core.search.FoldedContains): "resume" finds
        # "Résumé" and a code typed in full width finds it, in any case on every backend (SQLite's
        # LIKE ignores the case of ASCII letters alone), as the site search and the API read.
        return [_folded(self.model, name) for name in super().get_search_fields(request)]

    def action_checkbox(self, obj):
        # Its box's accessible name names the record in the reader's language.
        return super().action_checkbox(RecordNamed(obj))

    def get_list_display(self, request):
        # A column of the records' names (`__str__`) names them in the reader's language.
        shown = list(super().get_list_display(request))
        if "__str__" in shown:
            shown[shown.index("__str__")] = _record_column(self.model)
        return shown

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if _has_provenance(self.model) and "provenance" not in filters:
            filters.append(ProvenanceListFilter)
        return filters

    def get_deleted_objects(self, objs, request):
        # Rows the application computes from a record (a programme's coverage) go with it: their
        # admin refuses deleting them by hand, which must not hold back deleting the record.
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        if _collected(collector) <= admin_delete_listed():
            deleted, counts, perms_needed, protected = _deleted_listed(
                collector, request, self.admin_site
            )
        else:
            deleted, counts, perms_needed, protected = _deleted_summary(
                collector, objs, request, self.admin_site
            )
        computed = computed_kinds(self.admin_site)
        return deleted, counts, {p for p in perms_needed if str(p) not in computed}, protected

    # simple_history's list of changes, with what made a change without a user and dashes for
    # what a change lacks, where it wrote "None".
    object_history_list_template = "admin/history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        # simple_history links whoever made each change to their user page, which staff without
        # permission to view users are refused (403): they get the name alone.
        user_opts = get_user_model()._meta
        if not request.user.has_perm(f"{user_opts.app_label}.view_{user_opts.model_name}"):
            extra_context = {**(extra_context or {}), "admin_user_view": ""}
        return super().history_view(request, object_id, extra_context=extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # Also renders one version's page (history_form_view), which lists no changes.
        if "page_obj" in context:
            records = list(context["page_obj"].object_list)
            for record in records:
                record.history_source = history_source(record)
                # The descriptor makes a new object at each read: this one is kept, its parents
                # read for every row at once (history_parents_attached).
                record.history_object = record.history_object
            history_parents_attached([record.history_object for record in records])
        for name in ("object", "original"):
            if context.get(name) is not None:
                context[name] = RecordNamed(context[name])
        return super().render_history_view(request, template, context, **kwargs)

    def history_view_title(self, request, obj):
        history_parents_attached([obj])
        return super().history_view_title(request, RecordNamed(obj))

    def history_form_view_title(self, request, obj):
        history_parents_attached([obj])
        return super().history_form_view_title(request, RecordNamed(obj))

    def get_formset(self, request, obj=None, **kwargs):
        # An inline's (a ModelAdmin has none): its rows' forms refuse a move as a change form.
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _refusing_moves(formset.form, user=request.user, model=self.model)
        return formset

    def get_fields(self, request, obj=None):
        # The revert's reason is its form's own, not the record's: shown apart, under the form
        # (admin/history_form.html), not in the record's fieldsets.
        return [name for name in super().get_fields(request, obj) if name != REVERT_REASON]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = _refusing_moves(
            super().get_form(request, obj, change=change, **kwargs),
            user=request.user,
            model=self.model,
        )
        match = request.resolver_match
        if obj is None or match is None or not match.url_name.endswith("_simple_history"):
            return form
        # A key the parent's deletion would have cleared is shown cleared (as the API's revert
        # restores it), not as the gone row's id that the menu refuses.
        history_gone_parents_cleared(obj)
        reverting = _reverting_form(form, user=request.user)
        version_id = match.args[1] if len(match.args) > 1 else ""
        version = None
        if version_id.isascii() and version_id.isdigit() and len(version_id) <= 18:
            version = (
                self.model.history.filter(history_id=version_id)
                .values_list("history_date", flat=True)
                .first()
            )
        if version is not None:
            reverting.base_fields[REVERT_REASON].initial = gettext(
                "Reverted to the version of %(date)s"
            ) % {"date": site_time(version)}
        return reverting

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple_history's page of one version, whose form reverts the record to it. A
        version's address that names no record (typed, cut short) is a 404, where reading it was
        a 500. Its form saved whatever was posted to it for whoever may view the history (staff
        allowed only to view changed records), and, for a record deleted since, the save's
        update found no row and inserted one, for staff allowed to change but not to add. The
        revert is now for who may change the record, and of a record deleted since for who may
        also restore it (_may_restore). The record stays locked until the revert is written (a
        deletion meanwhile waits for it, where the revert's update found no row and brought the
        record back), and a revert the database refuses (two bringing back one record at once,
        a parent deleted meanwhile) says so and writes nothing, where it was a 500."""
        historical = self.model.history.model
        for field, value in (
            (self.model._meta.pk, unquote(object_id)),
            (historical._meta.pk, version_id),
        ):
            try:
                field.to_python(value)
            except ValidationError:
                raise Http404 from None
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not self.has_change_history_permission(request):
            raise PermissionDenied
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                there = (
                    self.model._base_manager.select_for_update()
                    .filter(pk=unquote(object_id))
                    .exists()
                )
                if not there and not self._may_restore(request):
                    raise PermissionDenied
                # The revert brings the record back: an insert, where a change is an update only.
                request.history_form_restores = not there
                return super().history_form_view(request, object_id, version_id, extra_context)
        except IntegrityError:
            messages.error(
                request,
                gettext(
                    "The %(name)s was not reverted: it, or a record it points to, was changed "
                    "meanwhile. Nothing was saved; look at it again."
                )
                % {"name": self.model._meta.verbose_name},
            )
            return HttpResponseRedirect(request.get_full_path())

    def revert_disabled(self, request, obj=None):
        # A record deleted since has a Revert button only for who may restore it (the revert
        # brings it back). One query a request.
        if super().revert_disabled(request, obj):
            return True
        if obj is None:
            return False
        known = request.__dict__.setdefault("_history_records_there", {})
        key = (self.model, obj.pk)
        if key not in known:
            known[key] = self.model._base_manager.filter(pk=obj.pk).exists()
        return not known[key] and not self._may_restore(request)

    def get_historical_record_context_helper(self, request, historical_record):
        return DashedContextHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        if _has_provenance(type(obj)) and (not change or _content_differs(obj)):
            obj.provenance = Provenance.EDIT
        if REVERT_REASON in getattr(form, "cleaned_data", {}):
            obj._change_reason = form.cleaned_data[REVERT_REASON]
            if getattr(request, "history_form_restores", False):
                obj._state.adding = True
        super().save_model(request, obj, form, change)

    # --- records deleted, listed and restored (`deleted/`) --------------------------------------

    # simple_history's revert page, with the reason the revert is recorded with.
    object_history_form_template = "admin/history_form.html"

    def get_urls(self):
        urls = super().get_urls()
        if not _lists_deleted(self):
            return urls
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            re_path(r"^deleted/$", view(self.deleted_view), name=f"{name}_deleted"),
            re_path(
                r"^deleted/(?P<history_id>[0-9]{1,18})/$",
                view(self.restore_view),
                name=f"{name}_restore",
            ),
            *urls,
        ]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        listed = _lists_deleted(self) and self.has_view_history_permission(request)
        if not listed or not isinstance(response, TemplateResponse) or response.is_rendered:
            return response
        # The page's own template, extended by one adding the link to its tools: import-export's
        # lists its tools only to who may add, so a block of a template under it never showed.
        opts = self.model._meta
        response.context_data["base_change_list_template"] = response.resolve_template(
            response.template_name
        ).template
        response.context_data["deleted_records_url"] = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted"
        )
        response.template_name = "admin/change_list_deleted_link.html"
        return response

    def deleted_view(self, request):
        """The model's records deleted and not back, newest first: what each was (named as its
        history last had it), when and by whom it was deleted, and why; searchable by the
        admin's search fields the history keeps, paginated. For whoever may view the history;
        a Restore link for whoever may restore (_may_restore). A fixed number of queries
        whatever the page's size: the page, its count, and the parents each record is named
        by (history_parents_attached)."""
        if not self.has_view_history_permission(request):
            raise PermissionDenied
        records = history_deleted(model=self.model)
        query = request.GET.get(SEARCH_VAR, "")
        if query.strip():
            records = records.filter(_deleted_search(self, request, query))
        paginator = Paginator(records, self.history_list_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        rows = list(page.object_list)
        for row in rows:
            row.deleted_object = row.instance
            row.history_source = history_source(row)
        history_parents_attached([row.deleted_object for row in rows])
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Deleted %(name)s") % {"name": opts.verbose_name_plural},
            "opts": opts,
            "app_label": opts.app_label,
            "page_obj": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "search_var": SEARCH_VAR,
            "query": query,
            "can_restore": self._may_restore(request),
            "admin_user_view": _admin_user_view(request),
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def restore_view(self, request, history_id):
        """One deleted record, and (POST) its restoring with the project's revert rules
        (core.history.history_change_revert): recreated with its id, recorded in its history
        by the user with the reason given. A record whose parent is gone says to restore the
        parent first; one back already says so, and one deleted again since (a page left open
        in another tab) says to restore its latest deletion, where it brought back the record as
        it was before the edits that came between. Needs the permissions to add and change the
        model's records (_may_restore)."""
        if not self.has_view_history_permission(request):
            raise PermissionDenied
        can_restore = self._may_restore(request)
        record = history_deleted(model=self.model).filter(history_id=history_id).first()
        if record is None:
            record = self.model.history.filter(history_id=history_id, history_type="-").first()
            if record is None:
                raise Http404
            if not self.model._base_manager.filter(pk=record.id).exists():
                messages.error(
                    request,
                    gettext(
                        "This %(name)s was restored and deleted again since; restore it from its "
                        "latest deletion."
                    )
                    % {"name": self.model._meta.verbose_name},
                )
                can_restore = False
        opts = self.model._meta
        deleted_url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted")
        obj = record.instance
        history_parents_attached([obj])
        default_reason = gettext("Restored: deleted on %(date)s") % {
            "date": site_time(record.history_date)
        }
        reason = default_reason
        if request.method == "POST":
            if not self._may_restore(request):
                raise PermissionDenied
            if not can_restore:
                return HttpResponseRedirect(deleted_url)
            reason = request.POST.get("reason", "").strip()
            if len(reason) > REASON_MAX_LENGTH:
                messages.error(
                    request,
                    gettext("A reason is at most %(limit)d characters long.")
                    % {"limit": REASON_MAX_LENGTH},
                )
            elif self._restore(request, record, reason):
                return HttpResponseRedirect(deleted_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Restore %(name)s") % {"name": opts.verbose_name},
            "opts": opts,
            "app_label": opts.app_label,
            "record": record,
            "object": RecordNamed(obj),
            "history_source": history_source(record),
            "deleted_url": deleted_url,
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[quote(record.id)],
            ),
            "reason": reason,
            "reason_max_length": REASON_MAX_LENGTH,
            "can_restore": can_restore,
            "admin_user_view": _admin_user_view(request),
        }
        return TemplateResponse(request, "admin/restore_deleted.html", context)

    def _may_restore(self, request) -> bool:
        """Who may restore a deleted record: who may add the model's records and change them.
        Restoring brings back more than an add form could write (the record's id, its
        identifier, its provenance, what it last said), and the history API's revert of a
        deletion asks the same two permissions, as core.history.history_missing_parents does
        before it says to restore a parent (django-reversion's recovery too)."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _restore_refused(self, request, error: ValidationError) -> str:
        """Why a restore was refused; where a parent it belonged to is gone and the reader may
        list that model's deleted records, with a link to them (where it can be restored)."""
        message = join_sentences(error.messages)
        links = []
        for name in getattr(error, "error_dict", {}):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            parent = field.related_model if field.is_relation else None
            parent_admin = self.admin_site._registry.get(parent)
            if parent_admin is None or not _lists_deleted(parent_admin):
                continue
            if not parent_admin.has_view_history_permission(request):
                continue
            opts = parent._meta
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted")
            label = gettext("Deleted %(name)s") % {"name": opts.verbose_name_plural}
            links.append(format_html('<a href="{}">{}</a>', url, label))
        if not links:
            return message
        # The links (each escaped by format_html) between the language's list separators.
        separator = conditional_escape(pgettext("list separator", ", "))
        return format_html("{} {}", message, mark_safe(separator.join(links)))

    def _restore(self, request, record, reason: str) -> bool:
        (change,) = history_changes(model=self.model, records=[record])
        try:
            history_change_revert(change=change, user=request.user, reason=reason)
        except HistoryConflict as error:
            messages.error(request, str(error))
            return False
        except ValidationError as error:
            messages.error(request, self._restore_refused(request, error))
            return False
        obj = self.model._base_manager.get(pk=record.id)
        opts = self.model._meta
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(obj.pk)],
        )
        messages.success(
            request,
            format_html(
                gettext("The %(name)s “{}” was restored.") % {"name": opts.verbose_name},
                format_html('<a href="{}">{}</a>', url, record_name(obj)),
            ),
        )
        return True

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


def delete_selected(modeladmin, request, queryset):
    """Django's "Delete selected" action, safe from records added to the selected ones
    meanwhile (core.services.deleting): their rows are locked before the confirmation's check
    reads what the deletion would take, and a deletion the database refuses says so, nothing
    deleted, where it was a 500."""
    if not request.POST.get("post"):
        return django_delete_selected(modeladmin, request, queryset)
    try:
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            rows_lock(queryset)
            return django_delete_selected(modeladmin, request, queryset)
    except DeletionConflict as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None


delete_selected.allowed_permissions = django_delete_selected.allowed_permissions
delete_selected.short_description = django_delete_selected.short_description


class RecordNamed:
    """A record that Django's admin and simple_history name with str() (a message, a title, a
    breadcrumb, a delete confirmation), standing in for it there: every attribute is the
    record's, and str() names it in the reader's language (core.i18n.record_name), while the
    model's `__str__` stays the English that exports, CASE and the history read."""

    def __init__(self, obj: models.Model):
        self.__dict__["_record"] = obj.__dict__.get("_record", obj)

    def __getattr__(self, name):
        return getattr(self._record, name)

    def __setattr__(self, name, value):
        setattr(self._record, name, value)

    @property
    def __class__(self):
        # isinstance() sees the record's model: a query or a form given it reads its key.
        return type(self._record)

    def __str__(self) -> str:
        return record_name(self._record)

    def __eq__(self, other):
        return self._record == getattr(other, "_record", other)

    def __hash__(self):
        return hash(self._record)

    def __bool__(self) -> bool:
        return True


# The history's change reason: simple_history's column holds 100 characters.
REVERT_REASON = "history_change_reason"
REASON_MAX_LENGTH = 100


def _record_column(model: type[models.Model]) -> Callable[[models.Model], str]:
    """A changelist column naming each record as `__str__`'s does (headed by the model's name),
    in the reader's language (core.i18n.record_name)."""

    @admin.display(description=capfirst(model._meta.verbose_name))
    def record(obj: models.Model) -> str:
        return record_name(obj)

    return record


def _lists_deleted(model_admin) -> bool:
    """Whether the admin lists its model's deleted records: a history admin of a model with
    history (simple_history's SimpleHistoryAdmin)."""
    return hasattr(model_admin, "history_form_view") and hasattr(model_admin.model, "history")


def _admin_user_view(request) -> str:
    """The URL name of a user's admin page, for who may view users (else none: a link would
    answer 403)."""
    user_opts = get_user_model()._meta
    if not request.user.has_perm(f"{user_opts.app_label}.view_{user_opts.model_name}"):
        return ""
    return f"admin:{user_opts.app_label}_{user_opts.model_name}_change"


def _deleted_search(model_admin, request, query: str) -> Q:
    """The admin's search of the model's changelist, over its deleted records' history: each
    word (a phrase in quotes is one) in one of the search fields the historical records keep
    (folded, as the changelist reads them), or the record's id."""
    historical = model_admin.model.history.model
    names = []
    for name in admin.ModelAdmin.get_search_fields(model_admin, request):
        name = name.lstrip("^=@")
        try:
            field = get_fields_from_path(historical, name)[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        if isinstance(field, (models.CharField, models.TextField)):
            names.append(f"{name}__folded_contains")
    condition = Q()
    for word in smart_split(query):
        if word[:1] in "\"'" and word[-1:] == word[:1]:
            word = unescape_string_literal(word)
        either = Q()
        for name in names:
            either |= Q(**{name: word})
        if word.isascii() and word.isdigit() and len(word) <= 18:
            either |= Q(id=int(word))
        condition &= either if either else Q(pk__in=[])
    return condition


def _refusing_moves(form: type, *, user, model: type[models.Model]) -> type:
    """`form` (a change form, an inline's row, a revert to a version), refusing a change of
    which records the row joins (core.joins) from a user who may not add and delete such rows,
    on each field changed. Compared with the row as stored: a revert's form starts from the
    version, not from the row."""
    if may_move(user, model):
        return form

    class MoveRefusingForm(form):
        def clean(self):
            cleaned = super().clean()
            values = {name: cleaned[name] for name in joined_fields(model) if name in cleaned}
            stored = stored_joins(self.instance) if values and self.instance.pk else None
            if stored is not None:
                for name in moved_fields(model, stored, values):
                    self.add_error(name, move_refusal(model, [name]))
            return cleaned

    MoveRefusingForm.__name__ = form.__name__
    return MoveRefusingForm


def _reverting_form(form: type, *, user) -> type:
    """The change form of simple_history's revert to a version (`history_form_view`): a menu
    still on the version's choice of a row deleted since says so, and to restore that row first,
    where the menu said "Select a valid choice" (the history API's message, see
    core.history.history_missing_parents)."""

    class RevertingForm(form):
        history_change_reason = forms.CharField(
            label=_("Reason for the revert"),
            required=False,
            max_length=REASON_MAX_LENGTH,
            help_text=_("Recorded in the history with the revert; leave blank for none."),
        )

        def clean(self):
            cleaned = super().clean()
            for name, message in history_missing_parents(self.instance, user=user).items():
                field = self.instance._meta.get_field(name)
                submitted = self.data.get(self.add_prefix(name))
                # A browser sends the box empty: it offers no record of the gone row's id.
                kept = (None, "", str(getattr(self.instance, field.attname)))
                if name in self.errors and submitted in kept:
                    del self.errors[name]
                    self.add_error(name, message)
            return cleaned

    RevertingForm.__name__ = form.__name__
    return RevertingForm


def history_source(record) -> str:
    """What made a change no user made, as its history record says: the loader or importer its
    provenance names (the paper's loader, the starter mapping, an import); empty when the record
    says nothing more (a command editing a record keeps "edited by staff", which names nobody)."""
    if record.history_user_id is not None:
        return ""
    provenance = getattr(record, "provenance", "")
    if not provenance or provenance == Provenance.EDIT:
        return ""
    return record.get_provenance_display()


class DashedContextHelper(HistoricalRecordContextHelper):
    """A history's changes with a dash for an empty value, where simple_history wrote "None" (a
    blank date), nothing (a blank note) or, for an empty foreign key (a module cleared), "Deleted
    module (pk=None)"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return value


def admin_delete_listed() -> int:
    return int(getattr(settings, "ADMIN_DELETE_LISTED", 200))


def _collected(collector: NestedObjects) -> int:
    return sum(len(found) for found in collector.model_objs.values()) + len(collector.protected)


def _deleted_listed(collector: NestedObjects, request, site: admin.AdminSite):
    """Django's get_deleted_objects, every record named and linked, from `collector` (collected
    already), with the parents the records of each kind are named by (a link by its course,
    ability and level) read once for the kind: naming each record read them one query each (a
    position of 40 requirements took 40 more queries, a level in use 400)."""
    kinds: dict[type, list] = {}
    for obj in collector.protected:
        kinds.setdefault(type(obj), []).append(obj)
    for found in [*collector.model_objs.values(), *kinds.values()]:
        history_parents_attached(list(found))
    perms_needed = set()

    def listed(obj: models.Model) -> str:
        model_admin = site._registry.get(type(obj))
        if model_admin is not None and not model_admin.has_delete_permission(request, obj):
            perms_needed.add(obj._meta.verbose_name)
        return _admin_link(site, obj)

    deleted = collector.nested(listed)
    protected = [listed(obj) for obj in collector.protected]
    counts = {
        model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()
    }
    return deleted, counts, perms_needed, protected


def _deleted_summary(collector: NestedObjects, objs, request, site: admin.AdminSite):
    """Django's get_deleted_objects for a deletion past ADMIN_DELETE_LISTED records: the records
    asked for (at most that many) each linked, the rest counted (the page's summary gives the
    counts by kind), and the same permissions and protected records. Naming every record took
    three queries each (their names read their courses, abilities and levels)."""
    listed = admin_delete_listed()
    perms_needed = set()
    for model, found in collector.model_objs.items():
        if site.is_registered(model) and not site.get_model_admin(model).has_delete_permission(
            request, next(iter(found))
        ):
            perms_needed.add(model._meta.verbose_name)
    roots = list(objs)
    related = _collected(collector) - len(collector.protected) - len(roots)
    deleted: list = [_admin_link(site, obj) for obj in roots[:listed]]
    rest = related + max(0, len(roots) - listed)
    if rest:
        deleted.append(
            [
                ngettext(
                    "%(count)d related record, counted by kind above.",
                    "%(count)d related records, counted by kind above.",
                    rest,
                )
                % {"count": rest}
            ]
        )
    protected = [_admin_link(site, obj) for obj in list(collector.protected)[:listed]]
    if len(collector.protected) > listed:
        more = len(collector.protected) - listed
        protected.append(
            ngettext("and %(count)d more.", "and %(count)d more.", more) % {"count": more}
        )
    counts = {
        model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()
    }
    return deleted, counts, perms_needed, protected


def _admin_link(site: admin.AdminSite, obj: models.Model) -> str:
    """A record as Django's delete confirmation lists it: its kind, and its name linked to its
    change page where it has one."""
    opts = obj._meta
    try:
        url = reverse(
            f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
        )
    except NoReverseMatch:
        return f"{capfirst(opts.verbose_name)}: {record_name(obj)}"
    return format_html(
        '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, record_name(obj)
    )


# --- django-import-export formats whose exports a spreadsheet cannot run ----------------------


def _dataset_map(dataset: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    return tablib.Dataset(
        *[[cell(value) for value in row] for row in dataset],
        headers=[cell(header) for header in dataset.headers or []],
        title=dataset.title,
    )


class FormulaSafeCSV(base_formats.CSV):
    """CSV whose cells never start a formula (core.csv.safe_cell: a leading apostrophe before
    `=`, `+`, `-`, `@`, tab, CR); importing such a file takes the apostrophe off again, and
    knows the line each row starts on (core.csv.csv_dataset).

    An import reads the file as the API and the commands do (core.spreadsheets: the import
    bounds, UTF-8 checked line by line), so from its bytes: ValidationError for a file refused.
    """

    def get_read_mode(self):
        return "rb"

    def export_data(self, dataset, **kwargs):
        return super().export_data(_dataset_map(dataset, safe_cell), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return spreadsheet_dataset(in_stream, kind="csv")


class FormulaSafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are strings, never formulas (core.xlsx.xlsx_cell), where tablib lets
    openpyxl store any text starting with `=` as a formula a spreadsheet runs on opening; read
    as the API and the commands read it (core.spreadsheets: the import bounds, the zip checked
    before it is unpacked), without its blank rows, knowing the sheet row of each."""

    def create_dataset(self, in_stream):
        return spreadsheet_dataset(in_stream, kind="xlsx")

    def export_data(self, dataset, **kwargs):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(dataset.title or "Sheet1")[:31])
        if dataset.headers:
            # Kept in view while scrolling a long export, as the programme workbook's sheets.
            sheet.freeze_panes = "A2"
            sheet.append([xlsx_cell(sheet, header, bold=True) for header in dataset.headers])
        for row in dataset:
            sheet.append([xlsx_cell(sheet, apostrophe_kept(value)) for value in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


# --- the uploaded file between an import's preview and its confirm step -------------------------


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's inputs named for assistive technology.

    Django's tabular inline labels its columns with header cells only, so each input, select and
    checkbox of a row has no accessible name (axe "label", "select-name"). Each gets an
    aria-label: its field's label and the row's number.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = str(field.label or name)
            # A related-object wrapper renders its inner widget, whose copy holds this form's attrs.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["aria-label"] = (
                label
                if index is None
                else gettext("%(field)s, row %(row)s") % {"field": label, "row": index + 1}
            )

    def _construct_form(self, i, **kwargs):
        # Each row read again what the page had read already: its parent (the page's record, of
        # which Django sets the id alone) for the row's title, its autocomplete box's record, and
        # the choices of each menu (the levels). A position of a hundred requirements took three
        # hundred queries. Rows now reuse what the formset and its query read.
        form = super()._construct_form(i, **kwargs)
        row = form.instance
        if row.pk is not None:
            parent_key = getattr(self.instance, self.fk.target_field.attname)
            if getattr(row, self.fk.attname) == parent_key:
                self.fk.set_cached_value(row, self.instance)
            for name, field in form.fields.items():
                widget = getattr(field.widget, "widget", field.widget)
                if not isinstance(widget, RowAutocompleteSelect):
                    continue
                model_field = row._meta.get_field(name)
                related = model_field.get_cached_value(row, default=None)
                if related is not None:
                    widget.row_choice = (
                        getattr(related, model_field.target_field.attname),
                        field.label_from_instance(related),
                    )
        menus = self.__dict__.setdefault("_menu_choices", {})
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            # A menu (not the row's hidden key, nor an autocomplete box, which lists no choices).
            menu = isinstance(widget, forms.Select) and not isinstance(widget, AutocompleteSelect)
            if type(field) is not forms.ModelChoiceField or not menu:
                continue
            if name not in menus:
                menus[name] = list(field.choices)
            field.choices = menus[name]
        return form


class RowAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, which reads its selected record from the database for each
    form, so once per inline row; given the record its row was read with (`row_choice`: its key
    and label, set by LabelledInlineFormSet), shows that one instead."""

    row_choice: tuple[Any, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.row_choice is None or selected != {str(self.row_choice[0])}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        key, label = self.row_choice
        options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class LabelledTabularInline(admin.TabularInline):
    """Every tabular inline of the project: Django's, with its inputs named (see above), and its
    rows read in a fixed number of queries however many there are."""

    formset = LabelledInlineFormSet
    # Django's, its rows titled in the reader's language (core.i18n.record_name).
    template = "admin/edit_inline/tabular_named.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SuperuserTokenAdmin(TokenAdmin):
    """DRF's token admin, for superusers alone. A key is its user's password to the API, and the
    list shows every key: an account allowed to view (or add) tokens could act as any user,
    superusers included, so nothing less than a superuser may hold that."""

    def has_module_permission(self, request):
        return _is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_add_permission(self, request):
        return _is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return _is_superuser(request)


class EditorAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, also for staff who may add or change the record holding the
    field, in a box its form shows. Django's asks for permission to view the records offered:
    staff allowed only to edit course-ability links got a 403 in the link form's course and
    ability boxes, which then stayed empty with no reason given, where a plain select would have
    listed every choice. Only such a box: any other key of the record (an import job's
    `created_by`) is offered by no form, and answered every account's name to staff who may not
    view users, searchable by e-mail address."""

    def has_perm(self, request, obj=None):
        if super().has_perm(request, obj=obj):
            return True
        try:
            source_admin = self.admin_site.get_model_admin(self.source_field.model)
        except NotRegistered:
            return False
        if self.source_field.name not in source_admin.get_autocomplete_fields(request):
            return False
        return source_admin.has_add_permission(request) or source_admin.has_change_permission(
            request
        )

    def serialize_result(self, obj, to_field_name):
        # The results in the reader's language, as the box shows the record chosen.
        return {"id": str(getattr(obj, to_field_name)), "text": record_name(obj)}


def _is_superuser(request) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, SuperuserTokenAdmin)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' list of login attempts, its status column named in the page's language (its
    own has no description: the admin headed it "Status", from the method's name, in Chinese
    too). Its other names are translated by the project's catalogue (core.axes_messages)."""

    actions = ["cleanup_expired_attempts"]

    @admin.display(description=_("Status"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        """axes' action, which answered a 500: its handler reads the time of the request's login
        attempt, which axes sets only on a login; and its message, an f-string inside gettext,
        could not be translated."""
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired access attempt.",
                "Cleaned up %(count)d expired access attempts.",
                count,
            )
            % {"count": count},
        )


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)


# The records an action's choose-one page names; the rest are counted.
CHOOSE_ONE_SHOWN = 50


def choose_one_page(
    model_admin: admin.ModelAdmin,
    request,
    queryset: models.QuerySet,
    *,
    action: str,
    title: str,
    form,
    template: str,
    has_choices: bool,
    can_add: bool,
) -> TemplateResponse:
    """The page of an action that puts the selected records in one record chosen on it (*Set
    competency area…*, *Add to a programme…*), on a template extending admin/choose_one.html: it
    names the first CHOOSE_ONE_SHOWN of `queryset` in its order and counts the rest, and sends the
    selection back as it came (with "select all", the list's filters in the page's address say
    which records, and Django wants one ticked box all the same). Without `has_choices` there is
    nothing to choose yet, and the page says so, linking the add page for who `can_add`."""
    count = queryset.count()
    shown = list(queryset[:CHOOSE_ONE_SHOWN])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "count": count,
        "shown": shown,
        "more": count - len(shown),
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across") == "1",
        "has_choices": has_choices,
        "can_add": can_add,
    }
    return TemplateResponse(request, template, context)
