"""`manage.py recompute_coverage [--all | --stale | --program ID]`: recompute coverage reports
here and now, with a progress bar, without the task queue."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.i18n import join_list
from core.management.base import LanguageCommand
from curricula.coverage.selectors import coverage_stale_programme_ids
from curricula.coverage.services import coverage_recompute
from curricula.models import Programme


class Command(LanguageCommand):
    help = "Recompute programme coverage reports (all, the stale ones, or given programmes)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every programme.")
        which.add_argument(
            "--stale",
            action="store_true",
            help="Programmes whose report is stale (what the periodic sweep does).",
        )
        which.add_argument(
            "--program",
            type=int,
            action="append",
            metavar="ID",
            help="A programme id; repeat for several.",
        )

    def handle(self, *args, all=False, stale=False, program=None, verbosity=1, **options):
        if program:
            found = set(Programme.objects.filter(id__in=program).values_list("id", flat=True))
            unknown = sorted(set(program) - found)
            if unknown:
                raise CommandError(
                    _("No programme with id %(ids)s.") % {"ids": join_list(map(str, unknown))}
                )
            ids, force = sorted(found), True
        elif stale:
            ids, force = coverage_stale_programme_ids(), False
        else:
            ids, force = None, True

        # Unchanged inputs are skipped before building, so the bar counts reports actually built.
        with self.progress_bar(total=0, unit=_("programme"), disable=verbosity < 1) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            result = coverage_recompute(programme_ids=ids, force=force, on_progress=progress)
        if verbosity >= 1:
            self.stdout.write(
                _(
                    "Coverage: %(rebuilt)d rebuilt, %(unchanged)d unchanged, "
                    "%(stale)d left stale by concurrent edits, "
                    "%(superseded)d left to a recompute started since."
                )
                % {
                    "rebuilt": len(result.rebuilt),
                    "unchanged": len(result.unchanged),
                    "stale": len(result.still_stale),
                    "superseded": len(result.superseded),
                }
            )
