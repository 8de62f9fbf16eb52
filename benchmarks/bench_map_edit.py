"""A pasted block of the curriculum map: issue #13 asks that a 200-cell block be saved and its
programmes' reports be fresh within 2 s.

Standalone (generates the esco catalogue into the database if it is empty, as benchmarks/run.py
does; use a database of your own, the edits are undone after each run but leave history rows):

    DATABASE_URL=postgres://root@127.0.0.1:5432/map_bench \\
        .venv/bin/python benchmarks/bench_map_edit.py

From the harness: `bench_map_edit.run(results)` with run.py's `Results`.

Each run posts a 20 by 10 block (every cell changes) to the map editor's endpoint as a staff user
would, through the same view, change-set service and commit hook as the page: with tasks inline
(no broker) the affected programmes are recomputed after commit, inside the request, so the
request's time is the time until every affected report is fresh, which is checked. The block is
then undone through the same endpoint (timed too, as a note) so the catalogue is left as found.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 2.0
ROWS, COLUMNS = 20, 10


def _staff_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-map-editor", defaults={"is_staff": True}
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="curricula", codename__endswith="ability")
    )
    client = Client()
    client.force_login(user)
    return client


def _block(programme) -> list[tuple[int, int, str]]:
    """The map's first 20 rows by 10 columns, each with a level other than its own."""
    from curricula.selectors.maps import curriculum_map

    shown = curriculum_map(programme=programme)
    rows = shown.rows[:ROWS]
    if len(rows) < ROWS or len(shown.columns) < COLUMNS:
        raise SystemExit(f"Programme {programme.pk} is smaller than {ROWS} by {COLUMNS}.")
    codes = [level.code for level in shown.levels]
    cells = []
    for row in rows:
        for cell in row.cells[:COLUMNS]:
            current = cell.level.code if cell.level else ""
            # Cycle blank -> I -> R -> M -> blank: always a change.
            order = ["", *codes]
            cells.append((cell.course_id, cell.ability_id, order[(order.index(current) + 1) % 4]))
    return cells


def run(results, *, runs: int = 3) -> dict:
    from django.urls import reverse

    from curricula.models import CoverageState, Programme, ProgrammeCourse, ProgrammeCoverage

    programme = Programme.objects.order_by("id").first()
    if programme is None:
        raise SystemExit("No programmes: generate a catalogue first.")
    client = _staff_client()
    url = reverse("curricula:programme-changes", args=[programme.pk])
    saves, undos, affected = [], [], 0
    for _ in range(runs):
        cells = _block(programme)
        assert len(cells) == ROWS * COLUMNS
        data = {f"cell:{course}:{ability}": code for course, ability, code in cells}
        started = time.perf_counter()
        response = client.post(url, data, headers={"X-Map-Editor": "1"})
        saves.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        body = response.content.decode()
        assert f"{ROWS * COLUMNS} cells" in body, "not every cell changed"
        courses = {course for course, _a, _c in cells}
        programme_ids = set(
            ProgrammeCourse.objects.filter(course_id__in=courses).values_list(
                "programme_id", flat=True
            )
        )
        affected = len(programme_ids)
        stale = ProgrammeCoverage.objects.filter(programme_id__in=programme_ids).exclude(
            state=CoverageState.FRESH
        )
        assert not stale.exists(), "reports left stale after the request"
        token = body.split("/changes/")[1].split("/undo/")[0]
        started = time.perf_counter()
        undone = client.post(
            reverse("curricula:programme-change-undo", args=[programme.pk, token]),
            headers={"X-Map-Editor": "1"},
        )
        undos.append(time.perf_counter() - started)
        assert undone.status_code == 200, undone.content[:300]
    median = statistics.median(saves)
    results.add(
        f"map: {ROWS * COLUMNS}-cell pasted block saved, reports fresh ({affected} programmes)",
        median,
        LIMIT_SECONDS,
        kind="limit",
    )
    results.note(
        "map: undo of that block, reports fresh", f"{statistics.median(undos):.3f} s (median)"
    )
    return {"save": median, "undo": statistics.median(undos), "programmes": affected}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import Printer, setup

    setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    run(Printer(64), runs=args.runs)


if __name__ == "__main__":
    main()
