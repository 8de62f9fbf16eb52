"""Suggestions in the admin: to look up who decided what and when. Deciding is done on the review
pages or through the API, where the rules (a link with provenance "suggested") are applied."""

from decimal import Decimal

from django.contrib import admin
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from curricula.models import Suggestion, SuggestionScope
from curricula.services import suggestion_deletions_record


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = (
        "course",
        "position",
        "ability",
        "score_shown",
        "rank",
        "proposed_level",
        "status",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "framework", "proposed_level", "method")
    list_select_related = ("course", "position", "ability", "proposed_level", "decided_by")
    search_fields = (
        "course__code",
        "course__title",
        "course__title_zh",
        "position__name",
        "ability__text",
        "ability__text_zh",
    )
    readonly_fields = [
        "score_shown" if field.name == "score" else field.name for field in Suggestion._meta.fields
    ]
    fields = readonly_fields
    ordering = ("-created_at", "-id")
    show_full_result_count = False

    @admin.display(description=_("score"), ordering="score")
    def score_shown(self, obj: Suggestion) -> str:
        # Four significant digits in the reader's number format: the fused ranking's scores are
        # small and differ in their third or fourth digit, which a float's every digit hides.
        return number_format(Decimal(f"{obj.score:.4g}"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # A deletion here is recorded for a sync of the review queue (deletions/), as a
    # regeneration's and a course's are.
    @transaction.atomic
    def delete_model(self, request, obj):
        suggestion_deletions_record(suggestions=Suggestion.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        suggestion_deletions_record(suggestions=queryset)
        super().delete_queryset(request, queryset)


@admin.register(SuggestionScope)
class SuggestionScopeAdmin(admin.ModelAdmin):
    list_display = ("course", "position", "framework", "generated_at")
    list_select_related = ("course", "position", "framework")
    search_fields = ("course__code", "position__name")
    readonly_fields = ("course", "position", "framework", "text_fingerprint", "generated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
