"""Reads for the certifications page."""

from django.db.models import QuerySet

from certifications.models import Certification, TrainingStage


def certification_list() -> QuerySet[Certification]:
    """Every certification in order; one query."""
    return Certification.objects.order_by("order", "name")


def training_stages() -> QuerySet[TrainingStage]:
    """The five-in-one progression in order; one query."""
    return TrainingStage.objects.order_by("order")
