"""Every page a designer opens at ESCO scale costs the same number of queries whatever the
catalogue's size: measured on the generated catalogue at two sizes (benchmarks/bench_pages.py
times the same pages at the esco preset)."""

from dataclasses import replace

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from curricula.coverage.services import coverage_recompute
from curricula.generator import PRESETS, catalogue_generate
from curricula.models import Course, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Ability, Position

SMALL = PRESETS["small"]
# Twice the small preset in every dimension, programmes twice as wide.
LARGER = replace(
    SMALL,
    positions=SMALL.positions * 2,
    abilities=SMALL.abilities * 2,
    requirements=SMALL.requirements * 2,
    courses=SMALL.courses * 2,
    links=SMALL.links * 2,
    programmes=SMALL.programmes * 2,
    courses_per_programme=SMALL.courses_per_programme * 2,
    targets_per_programme=SMALL.targets_per_programme * 2,
)


def page_urls() -> dict[str, str]:
    """The benchmark's pages: the widest position and programme of the catalogue."""
    position = Position.objects.annotate(n=Count("requirements")).order_by("-n", "id").first()
    programme = Programme.objects.order_by("id").first()
    return {
        "overview": "/",
        "positions list": "/positions/",
        "position page": f"/positions/{position.pk}/",
        "programme page": f"/programs/{programme.pk}/",
        "decide page": f"/programs/{programme.pk}/decide/",
        "admin links": "/admin/curricula/courseability/",
    }


def query_counts(client) -> dict[str, int]:
    counts = {}
    for name, url in page_urls().items():
        assert client.get(url).status_code == 200, url  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries.captured_queries)
    return counts


def erase_generated() -> None:
    from certifications.models import Certification
    from positions.models import CompetencyArea, Framework, Track

    for model in (ProgrammeCourse, ProgrammeTarget, Programme, Course, Position, Ability):
        model.objects.all().delete()
    for model in (Certification, Track, CompetencyArea, Framework):
        model.objects.filter(provenance="generated").delete()


@pytest.mark.django_db
def test_each_page_costs_the_same_queries_at_two_catalogue_sizes(admin_client):
    catalogue_generate(size=SMALL, seed=3)
    coverage_recompute(force=True)
    small = query_counts(admin_client)

    erase_generated()
    catalogue_generate(size=LARGER, seed=3)
    coverage_recompute(force=True)
    larger = query_counts(admin_client)

    assert larger == small
