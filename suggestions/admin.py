"""Suggestions in the admin: to look up who decided what and when. Deciding is done on the review
pages or through the API, where the rules (a link with provenance "suggested") are applied."""

from django.contrib import admin

from curricula.models import Suggestion, SuggestionScope


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = (
        "course",
        "position",
        "ability",
        "score",
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
    readonly_fields = [field.name for field in Suggestion._meta.fields]
    ordering = ("-created_at", "-id")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
