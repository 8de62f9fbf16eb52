"""Reads of certifications and the five-in-one training stages.

A certification's career directions are curricula's programmes: pages and API fields that show
them live in curricula, which may import both apps.
"""

from django.db.models import QuerySet

from certifications.models import Certification, TrainingStage


def certification_list() -> QuerySet[Certification]:
    """Every certification in order; one query."""
    return Certification.objects.order_by("order", "name")


def training_stage_list() -> QuerySet[TrainingStage]:
    """The five-in-one progression in order; one query."""
    return TrainingStage.objects.order_by("order")
