"""Pages at ESCO scale: server time (Django test client, logged-in staff, warm), query count and
HTML size of the pages a designer opens, on the esco catalogue.

From the harness: `bench_pages.run(results)` once the catalogue is there. The position page is
that of a position with 60 requirements (the generated ones have 42, so one is added once, with
60 of the catalogue's abilities); the programme page is a generated programme's (40 courses, 10
targets: the map and the gap report). Each page's median over several runs is reported against
the issue's 150 ms, beside its query count; the same pages' query counts are pinned at two
catalogue sizes by curricula/tests/test_page_queries.py.
"""

from __future__ import annotations

import statistics
import time

LIMIT_SECONDS = 0.150
WIDE_POSITION = "BENCH-60"


def wide_position():
    """A position with 60 requirements (added once to the benchmark database)."""
    from positions.models import Ability, Level, Position, Requirement

    position = Position.objects.filter(code=WIDE_POSITION).first()
    if position is None:
        position = Position.objects.create(code=WIDE_POSITION, name="Benchmark: 60 requirements")
        level = Level.objects.order_by("rank").last()
        Requirement.objects.bulk_create(
            [
                Requirement(position=position, ability_id=ability_id, min_level=level, order=i)
                for i, ability_id in enumerate(
                    Ability.objects.order_by("id").values_list("id", flat=True)[:60]
                )
            ]
        )
    return position


def run(results, *, runs: int = 7) -> dict[str, dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from curricula.models import Programme

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    position = wide_position()
    programme = Programme.objects.order_by("id").first()
    pages = {
        "overview": "/",
        "positions list": "/positions/",
        f"position page ({position.requirements.count()} requirements)": (
            f"/positions/{position.pk}/"
        ),
        (
            f"programme page ({programme.programme_courses.count()} courses, "
            f"{programme.targets.count()} targets)"
        ): f"/programs/{programme.pk}/",
        "decide page": f"/programs/{programme.pk}/decide/",
        "admin change list of links": "/admin/curricula/courseability/",
    }
    figures: dict[str, dict] = {}
    for name, url in pages.items():
        response = client.get(url)  # warm
        assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            size = len(client.get(url).content)
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        figures[name] = {
            "seconds": statistics.median(walls),
            "cpu_seconds": statistics.median(cpus),
            "queries": len(queries),
            "bytes": size,
        }
        results.add(f"page: {name}", statistics.median(walls), LIMIT_SECONDS, kind="limit")
        results.note(
            f"page: {name}: queries, HTML, CPU",
            f"{len(queries)} queries, {size / 1024:.0f} KiB, "
            f"{statistics.median(cpus):.3f} s CPU (this process)",
        )
    return figures
