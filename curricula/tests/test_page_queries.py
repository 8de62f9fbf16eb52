"""Every page a designer opens at ESCO scale costs the same number of queries whatever the
catalogue's size: measured on the generated catalogue at two sizes (benchmarks/bench_pages.py
times the same pages at the esco preset)."""

import uuid
from dataclasses import replace

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from curricula.coverage.services import coverage_recompute
from curricula.generator import PRESETS, catalogue_generate
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, Suggestion
from positions.models import Ability, Placement, Position, Requirement
from positions.tests.factories import AbilityFactory, RequirementFactory, level

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
        "gap report": f"/programs/{programme.pk}/gaps/",
        "programme report": f"/programs/{programme.pk}/report/",
        "map csv": f"/programs/{programme.pk}/map.csv",
        "chart": f"/programs/{programme.pk}/chart.svg",
        "workbook": f"/programs/{programme.pk}/workbook.xlsx",
        "admin links": "/admin/curricula/courseability/",
    }


DOWNLOADS = {"map csv", "chart", "workbook"}


def more_page_urls() -> dict[str, str]:
    """The other pages a designer or a reviewer opens with rows of the catalogue on them (not
    benchmarked): the programmes list, a course's page, the review queues (add_pending_
    suggestions fills the programme's past one page at both sizes: its "best 50 of N" counts
    the rest only then), a grid cell's list, the certifications, a comparison, a map row, the
    search."""
    programme = Programme.objects.order_by("id").first()
    position = Position.objects.annotate(n=Count("requirements")).order_by("-n", "id").first()
    course = ProgrammeCourse.objects.filter(programme=programme).order_by("id").first().course
    widest = Course.objects.annotate(n=Count("ability_links")).order_by("-n", "id").first()
    cell = (
        Placement.objects.values("track_id", "degree_level")
        .annotate(n=Count("id"))
        .order_by("-n", "track_id", "degree_level")
        .first()
    )
    required = Requirement.objects.filter(position__programme_targets__programme=programme)
    ability_id = required.order_by("ability_id").values_list("ability_id", flat=True).first()
    compared = "&".join(
        f"p={pk}" for pk in Programme.objects.order_by("id").values_list("pk", flat=True)[:3]
    )
    return {
        "programmes list": "/programs/",
        "course page": f"/courses/{widest.pk}/",
        "programme review": f"/suggestions/programs/{programme.pk}/",
        "course review": f"/suggestions/courses/{course.pk}/",
        "position review": f"/suggestions/positions/{position.pk}/",
        "catalogue review": "/suggestions/catalogue/",
        "cell list": f"/positions/?track={cell['track_id']}&degree={cell['degree_level']}",
        "certifications": "/certifications/",
        "comparison": f"/programs/compare/?{compared}",
        "map row": f"/programs/{programme.pk}/map/{ability_id}/",
        "search": "/search/?q=course",
    }


def query_counts(client) -> dict[str, int]:
    counts = {}
    for name, url in {**page_urls(), **more_page_urls()}.items():
        warm = client.get(url)  # sessions, caches
        assert warm.status_code == 200, url
        if name == "decide page":  # the gap needing a new course, its suggested course named
            needing = warm.content.decode().partition('id="recommendations"')[2]
            assert "An ability no course builds" in needing
            assert "proposed level" in needing
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:  # the map's CSV: its rows are read as it is sent
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[name] = len(queries.captured_queries)
    return counts


def add_a_gap_no_course_closes() -> None:
    """An essential requirement of the first programme's first target on an ability no course
    is linked to, and a pending suggestion of one of the programme's courses for it: whatever
    the generated catalogue's size, the decide page then has a gap needing a new course and
    names the course suggested for it (queries it makes only then)."""
    programme = Programme.objects.order_by("id").first()
    target = programme.targets.order_by("id").first()
    framework = Ability.objects.order_by("id").first().framework
    ability = AbilityFactory(framework=framework, area=None, text="An ability no course builds")
    RequirementFactory(position=target.position, ability=ability)
    course = ProgrammeCourse.objects.filter(programme=programme).order_by("id").first().course
    Suggestion.objects.create(
        course=course,
        ability=ability,
        framework=framework,
        score=0.5,
        rank=1,
        method="test",
        explanation={"matches": []},
        proposed_level=level("R"),
    )


def add_pending_suggestions() -> None:
    """Pending suggestions of required abilities for each course of the first programme (six
    each, more than a review page holds at either size), and of abilities for the widest
    position to require."""
    programme = Programme.objects.order_by("id").first()
    required = list(
        Requirement.objects.filter(position__programme_targets__programme=programme)
        .order_by("ability_id")
        .values_list("ability_id", "ability__framework_id")
        .distinct()
    )
    rows = []
    for course_id in ProgrammeCourse.objects.filter(programme=programme).values_list(
        "course_id", flat=True
    ):
        linked = {
            *CourseAbility.objects.filter(course_id=course_id).values_list("ability_id", flat=True),
            *Suggestion.objects.filter(course_id=course_id).values_list("ability_id", flat=True),
        }
        unlinked = [(pk, framework) for pk, framework in required if pk not in linked][:6]
        rows += [
            Suggestion(course_id=course_id, ability_id=pk, framework_id=framework, rank=rank)
            for rank, (pk, framework) in enumerate(unlinked, start=1)
        ]
    position = Position.objects.annotate(n=Count("requirements")).order_by("-n", "id").first()
    unrequired = Ability.objects.exclude(requirements__position=position).order_by("id")[:10]
    rows += [
        Suggestion(
            position=position,
            ability=ability,
            framework_id=ability.framework_id,
            rank=rank,
            proposed_importance="essential",
        )
        for rank, ability in enumerate(unrequired, start=1)
    ]
    for row in rows:
        row.score, row.method, row.proposed_level = 0.5, "test", level("R")
        row.explanation = {"matches": []}
    Suggestion.objects.bulk_create(rows)


@pytest.mark.django_db
def test_each_page_costs_the_same_queries_at_two_catalogue_sizes(admin_client):
    # The small catalogue is written in a savepoint and rolled back, leaving the database as it
    # was for the larger one: deleting it row by row (history, staleness signals) took longer
    # than writing both catalogues.
    with transaction.atomic():
        catalogue_generate(size=SMALL, seed=3)
        add_a_gap_no_course_closes()
        add_pending_suggestions()
        coverage_recompute(force=True)
        small = query_counts(admin_client)
        transaction.set_rollback(True)

    catalogue_generate(size=LARGER, seed=3)
    add_a_gap_no_course_closes()
    add_pending_suggestions()
    coverage_recompute(force=True)
    larger = query_counts(admin_client)

    assert larger == small


# A cache every process shares (Redis in production; a directory here), as the paper's presence
# is cached only in one: a per-process cache would not hear of `load_paper` run beside the site.
def shared_cache(tmp_path) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


PAPER_CITATION = "Luan et al."


def framework_queries(queries) -> list[str]:
    """The paper's presence, asked of the database: `SELECT 1 FROM positions_framework ...`."""
    return [q["sql"] for q in queries.captured_queries if 'FROM "positions_framework"' in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_no_page_asks_for_the_papers_framework_on_every_request(client, settings, tmp_path):
    """Every page's footer cites the paper when its framework is in the database: with a shared
    cache that is asked once, not by each request of each page (it was one query per page)."""
    settings.CACHES = shared_cache(tmp_path)
    catalogue_generate(size=SMALL, seed=3)
    coverage_recompute(force=True)
    urls = {
        name: url
        for name, url in page_urls().items()
        if name not in {"admin links", *DOWNLOADS}  # the downloads have no footer
    }
    for name, url in [*urls.items(), ("search", "/search/?q=x")]:
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert framework_queries(queries) == [], name
        assert PAPER_CITATION not in response.content.decode(), name


# Redis restarting (nothing listens on port 1): reads miss, writes drop (core.cache).
REDIS_DOWN = {
    "default": {
        "BACKEND": "core.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.mark.parametrize("cache", ["shared", "redis down"])
@pytest.mark.django_db(transaction=True)
def test_the_papers_citation_follows_its_framework_at_once(client, settings, tmp_path, cache):
    """The cached presence of the paper is forgotten when its framework is saved or deleted (by
    any process sharing the cache), so the footer changes with the next request; while the
    cache is down every request asks the database."""
    from curricula.paper import data
    from positions.models import Framework

    settings.CACHES = shared_cache(tmp_path) if cache == "shared" else REDIS_DOWN
    assert PAPER_CITATION not in client.get("/search/").content.decode()
    framework = Framework.objects.create(name="Study", identifier=data.FRAMEWORK_IDENTIFIER)
    assert PAPER_CITATION in client.get("/search/").content.decode()
    framework.identifier = uuid.uuid4()
    framework.save()
    assert PAPER_CITATION not in client.get("/search/").content.decode()
    framework.identifier = data.FRAMEWORK_IDENTIFIER
    framework.save()
    assert PAPER_CITATION in client.get("/search/").content.decode()
    framework.delete()
    assert PAPER_CITATION not in client.get("/search/").content.decode()
