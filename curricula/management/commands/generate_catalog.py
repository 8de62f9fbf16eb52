"""`manage.py generate_catalog --preset esco|medium|small [--seed N] [--positions N ...]`: fill the
database with a synthetic catalogue for load and performance work."""

import time
from dataclasses import asdict, fields, replace

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from core.management.base import LanguageCommand
from curricula.generator import PRESETS, CatalogueExists, catalogue_generate


class Command(LanguageCommand):
    # Plain text like the other commands: argparse cannot format a lazy translation here.
    help = (
        "Generate a seeded, repeatable synthetic catalogue (positions, abilities, requirements, "
        "courses, links, programmes). Coverage reports are left stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--preset", choices=sorted(PRESETS), default="small", help=_("Base counts.")
        )
        parser.add_argument("--seed", type=int, default=7, help=_("Same seed, same catalogue."))
        parser.add_argument("--batch-size", type=int, default=5000, help=_("Rows per INSERT."))
        for spec in fields(PRESETS["esco"]):
            parser.add_argument(
                f"--{spec.name.replace('_', '-')}",
                type=int,
                dest=spec.name,
                metavar="N",
                help=_("Override the preset's count of %(name)s.")
                % {"name": spec.name.replace("_", " ")},
            )

    def handle(self, *args, preset, seed, batch_size, verbosity=1, **options):
        overrides = {
            spec.name: options[spec.name]
            for spec in fields(PRESETS[preset])
            if options.get(spec.name) is not None
        }
        size = replace(PRESETS[preset], **overrides)
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))

        def progress(label: str, count: int) -> None:
            if verbosity >= 2:
                self.stderr.write(f"  {label}: +{count}")

        started = time.perf_counter()
        try:
            counts = catalogue_generate(
                size=size, seed=seed, batch_size=batch_size, progress=progress
            )
        except (CatalogueExists, ValueError) as error:
            raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            # What autovacuum would do later: statistics (the planner otherwise guesses ~10k rows
            # for 126k requirements and its sorts spill to disk) and the visibility map (counts,
            # e.g. every API page's, become index-only scans). VACUUM cannot run in a transaction.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if verbosity >= 1:
            summary = ", ".join(f"{name}={value}" for name, value in asdict(size).items())
            self.stdout.write(
                _("Generated the catalogue (seed %(seed)d: %(summary)s) in %(seconds).1f s.")
                % {"seed": seed, "summary": summary, "seconds": time.perf_counter() - started}
            )
            self.stdout.write(
                _(
                    "The %(count)d programmes' coverage reports are stale: run `manage.py "
                    "recompute_coverage --all` (or let the periodic sweep build them)."
                )
                % {"count": counts["programmes"]}
            )
