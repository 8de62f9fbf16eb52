"""What a benchmark needs to run on its own (the `main` of each bench_*.py): Django set up on
DATABASE_URL with tasks inline, the schema migrated and the esco catalogue generated once; and a
printer standing in for run.py's `Results`.

Call `setup()` after putting the project root on sys.path (a script run as a file has only
benchmarks/ there)."""

from __future__ import annotations

import os


def setup(*, recompute: bool = True, create_database: bool = False) -> None:
    """Django on DATABASE_URL (created first when `create_database`), migrated, with the esco
    catalogue generated if the database has none (and its reports computed, with `recompute`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    if create_database:
        from benchmarks.run import ensure_database

        ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from curricula.generator import generated_catalogue_exists

    call_command("migrate", verbosity=0)
    if not generated_catalogue_exists():
        print("Generating the esco catalogue (once per database)...")
        call_command("generate_catalog", preset="esco", verbosity=0)
        if recompute:
            call_command("recompute_coverage", all=True, verbosity=0)


class Printer:
    """run.py's `Results` for a benchmark run alone: each figure printed with its bound."""

    def __init__(self, width: int = 48):
        self.width = width

    def add(self, name, value, bound, *, unit="s", kind="limit"):
        if kind == "ratio":
            target, times = bound
            print(
                f"{name:<{self.width}} {value:8.3f} {unit}  bound {target:.3f} {unit} "
                f"({value / target:.2f}x, target {times:g}x)"
            )
            return
        verdict = "met" if value <= bound else "missed"
        print(f"{name:<{self.width}} {value:>8.3f} {unit}  limit {bound:g} {unit}  {verdict}")

    def note(self, name, value):
        print(f"{name:<{self.width}} {value}")
