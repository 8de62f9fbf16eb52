"""Moodle CSV imports of awkward shapes: issue #15 asks that a 20,000-row file import in under
20 s whatever its shape, one parent chain 20,000 deep or 20,000 flat rows.

    DATABASE_URL=postgres://root@127.0.0.1:5432/moodle_bench \\
        .venv/bin/python benchmarks/bench_moodle_import.py [--rows 20000]

The database is created if missing and migrated; each shape imports a fresh framework (its own ID
number), through `framework_import` as the command, the admin and the API job call it. Wall and
CPU time of the whole import (read, validate, write, signals), and of the validation alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def moodle_csv(path: Path, *, rows: int, chain: bool, tag: str) -> None:
    """A Moodle competency framework export (the columns the importer reads) of `rows`
    competencies, each the child of the one before (`chain`) or all at the top."""
    from positions.importers.moodle import CURRENT_HEADERS

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=CURRENT_HEADERS, restval="")
        writer.writeheader()
        writer.writerow(
            {
                "ID number": f"fw-{tag}",
                "Short name": f"Framework {tag}",
                "Description format": "1",
                "Is framework": "1",
                "Taxonomy": "competency",
            }
        )
        for i in range(rows):
            writer.writerow(
                {
                    "Parent ID number": f"c{i - 1}" if chain and i else "",
                    "ID number": f"c{i}",
                    "Short name": f"Competency {i}",
                    "Description": f"Can do thing {i}",
                    "Description format": "1",
                }
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    from benchmarks.run import ensure_database

    url = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/moodle_bench")
    os.environ["DATABASE_URL"] = url
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from positions.importers import framework_import
    from positions.importers.base import ImportReport, SourceFiles
    from positions.importers.moodle import MoodleImporter

    print(f"Moodle import, {args.rows} rows, {url.rsplit('/', 1)[-1]}")
    for shape in ("chain", "flat"):
        tag = f"{shape}-{uuid.uuid4().hex[:8]}"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{tag}.csv"
            moodle_csv(path, rows=args.rows, chain=shape == "chain", tag=tag)
            source = SourceFiles(path)
            importer = MoodleImporter(
                source=source,
                options={},
                report=ImportReport("moodle", path.name),
                source_name=path.name,
                progress=lambda *_: None,
            )
            wall, cpu = time.perf_counter(), time.process_time()
            importer.validate()
            v_wall, v_cpu = time.perf_counter() - wall, time.process_time() - cpu
            source.close()
            wall, cpu = time.perf_counter(), time.process_time()
            report = framework_import(path=path, format="moodle")
            t_wall, t_cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert report.ok, report.error
            created = report.counts["ability"]["created"]
            assert created == args.rows, created
            print(
                f"  {shape:5}: validate {v_wall:6.2f} s wall ({v_cpu:5.2f} s CPU); "
                f"whole import {t_wall:6.2f} s wall ({t_cpu:5.2f} s CPU), {created} abilities"
            )


if __name__ == "__main__":
    main()
