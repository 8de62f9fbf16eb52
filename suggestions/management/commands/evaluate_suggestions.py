"""manage.py evaluate_suggestions --esco DIR [--k 20] [--json]: measure the suggestion engine on
an ESCO CSV trio, with no database read or write (see suggestions.engine.evaluation)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suggestions.engine.evaluation import (
    OCCUPATIONS_FILE,
    RELATIONS_FILE,
    SKILLS_FILE,
    evaluate_esco,
)


class Command(BaseCommand):
    help = (
        "Rank every ESCO skill for every occupation (label, alternative labels and description) "
        "with the engine the app uses, and score the ranking against the occupation-skill "
        "relations: recall@k and MRR. Reads the CSV files only; writes nothing."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--esco", required=True, type=Path, help="folder with the three ESCO CSV files"
        )
        parser.add_argument("--k", type=int, default=20, help="cut-off for recall (default 20)")
        parser.add_argument(
            "--skills", type=Path, default=None, help="another skills CSV as the candidate pool"
        )
        parser.add_argument(
            "--baseline",
            choices=["tfidf"],
            default=None,
            help="score the plain TF-IDF baseline instead of the engine",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object"
        )

    def handle(self, *args, esco: Path, k: int, skills, baseline, as_json: bool, **options):
        if k < 1:
            raise CommandError("--k must be at least 1")
        for name in (OCCUPATIONS_FILE, RELATIONS_FILE):
            if not (esco / name).is_file():
                raise CommandError(f"{esco / name} is missing")
        if skills is None and not (esco / SKILLS_FILE).is_file():
            raise CommandError(f"{esco / SKILLS_FILE} is missing")
        if skills is not None and not skills.is_file():
            raise CommandError(f"{skills} is missing")
        try:
            result = evaluate_esco(esco, k, skills, ranker=baseline or "engine")
        except (KeyError, ValueError) as error:
            raise CommandError(f"Cannot read the ESCO files: {error}") from error
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
