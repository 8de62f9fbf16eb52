"""manage.py evaluate_suggestions --esco DIR [--k 20] [--json]: measure the suggestion engine on
an ESCO CSV trio, with no database read or write (see suggestions.engine.evaluation).

DIR is read as the ESCO importer reads it: a folder (searched with its subfolders) or a zip, the
files found by name in any language (occupations_<lang>.csv, skills_<lang>.csv, and
occupationSkillRelations.csv with or without a language suffix).
"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core.limits import LimitExceeded
from core.management.base import LanguageCommand
from positions.importers.base import (
    ImportFailed,
    SourceFiles,
    read_header,
    read_rows,
    require_columns,
)
from positions.importers.esco import OCCUPATIONS, RELATIONS, REQUIRED, SKILLS
from suggestions.engine.evaluation import evaluate, load_trio

# What the evaluation reads of each file: the importer's columns, bar the relation type, which
# scoring does not need.
NEEDED = {
    "occupations": (OCCUPATIONS, "occupations_<lang>.csv", REQUIRED["occupations"]),
    "skills": (SKILLS, "skills_<lang>.csv", REQUIRED["skills"]),
    "relations": (
        RELATIONS,
        "occupationSkillRelations[_<lang>].csv",
        {"occupationUri", "skillUri"},
    ),
}
# Each file's kind, as a refusal names the one missing.
KINDS = {
    "occupations": pgettext_lazy("an ESCO file", "occupations"),
    "skills": pgettext_lazy("an ESCO file", "skills"),
    "relations": pgettext_lazy("an ESCO file", "relations"),
}


class Command(LanguageCommand):
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
            "--skills",
            type=Path,
            default=None,
            help="another pool: a skills CSV, or a zip or folder holding skills_<lang>.csv",
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
            raise CommandError(_("--k must be at least 1."))
        try:
            trio = load_trio(*self._read(esco, skills))
        except (ImportFailed, LimitExceeded) as error:
            # As the importers' refusals: in the reader's language, where the problem is first.
            if error.where:
                refusal = _("Cannot read the ESCO files (%(where)s): %(message)s") % {
                    "where": error.where,
                    "message": error.message,
                }
            else:
                refusal = _("Cannot read the ESCO files: %(message)s") % {"message": error.message}
            raise CommandError(refusal) from error
        queries, candidates, _relevant = trio
        if not queries:
            # Zero recall over zero queries would read as the engine finding nothing.
            raise CommandError(
                ngettext(
                    "Nothing to score: no occupation has a relation to a skill of the pool "
                    "(%(n)d skill). Do the relations and the skills file come from the same ESCO "
                    "download?",
                    "Nothing to score: no occupation has a relation to a skill of the pool "
                    "(%(n)d skills). Do the relations and the skills file come from the same ESCO "
                    "download?",
                    len(candidates),
                )
                % {"n": len(candidates)}
            )
        result = evaluate(trio, k, ranker=baseline or "engine")
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")

    def _read(self, esco: Path, skills: Path | None) -> list[list[dict[str, str]]]:
        """The rows of the occupations, skills and relations files, checked for their columns."""
        if skills is not None and not skills.exists():
            raise CommandError(_("%(path)s does not exist.") % {"path": skills})
        source = SourceFiles(esco)
        override = None
        try:
            if skills is not None:
                override = SourceFiles(skills)
            rows = []
            for kind, (pattern, shown, needed) in NEEDED.items():
                if kind == "skills" and override is not None:
                    # A lone CSV is the pool whatever its name; a zip's or a folder's is found
                    # by its name.
                    names = override.names()
                    reader, where = override, skills
                    name = names[0] if len(names) == 1 else override.find(pattern)
                else:
                    reader, where, name = source, esco, source.find(pattern)
                if name is None:
                    raise CommandError(
                        _("No %(kind)s file (%(file)s) in %(path)s.")
                        % {"kind": KINDS[kind], "file": shown, "path": where}
                    )
                with reader.open_text(name) as stream:
                    require_columns(read_header(stream, name=name), needed, name=name)
                with reader.open_text(name) as stream:
                    rows.append([row for _line, row in read_rows(stream, name=name)])
            return rows
        finally:
            source.close()
            if override is not None:
                override.close()
