"""Reads of certifications.

A certification's career directions are the curricula app's programmes. This app may not import
curricula, so it reaches them only through the reverse relation names curricula declares
(`programmes`, `programme_courses`), ordered by those models' own Meta.ordering.
"""

from django.db.models import QuerySet

from certifications.models import Certification


def certification_list() -> QuerySet[Certification]:
    """Certifications with their directions (programmes, with track) and each direction's courses
    in Table III order, in a constant number of queries."""
    return Certification.objects.prefetch_related(
        "programmes__track",
        "programmes__programme_courses__course",
    )
