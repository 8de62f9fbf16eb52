"""The admin for certifications and the training stages of the five-in-one progression."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from certifications.models import Certification, TrainingStage
from core.admin import ProvenanceAdminMixin


@admin.register(Certification)
class CertificationAdmin(ProvenanceAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "degree_level", "awarding_body", "order", "provenance")
    list_filter = ("degree_level",)
    search_fields = ("name", "name_zh", "awarding_body")
    ordering = ("order", "name")


@admin.register(TrainingStage)
class TrainingStageAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ("order", "code", "name", "provenance")
    search_fields = ("code", "name", "name_zh")
    ordering = ("order",)
