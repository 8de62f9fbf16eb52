"""`manage.py load_paper`: write the paper's data and the editorial starter mapping."""

from django.core.management.base import CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.management.base import LanguageCommand
from curricula.paper import OUTCOMES, LoadReport, PaperLoadError, paper_load


class Command(LanguageCommand):
    help = gettext_lazy(
        "Load the paper's frameworks, positions, certifications, courses and programmes, and the "
        "editorial starter mapping. Safe to run again: records staff edited are kept."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats its description as a str; a lazy one made `--help` crash.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=gettext_lazy(
                "Load only into an empty database: do nothing if it holds any framework, "
                "position, course or programme (the paper's or your own)."
            ),
        )
        parser.add_argument(
            "--no-starter",
            action="store_true",
            help=gettext_lazy(
                "Load the paper only, without the editorial starter course-ability links."
            ),
        )

    def handle(self, *args, **options):
        try:
            report = paper_load(
                include_starter=not options["no_starter"], if_empty=options["if_empty"]
            )
        except PaperLoadError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.print_report(report, verbose=options["verbosity"] >= 2)

    def print_report(self, report: LoadReport, *, verbose: bool) -> None:
        if report.skipped:
            if report.paper_present:
                self.stdout.write(_("The paper is already loaded; nothing to do (--if-empty)."))
                return
            meta = [(model._meta, count) for model, count in report.found.items()]
            found = ", ".join(
                f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
                for opts, count in meta
            )
            self.stdout.write(
                _(
                    "The database already holds a catalogue (%(found)s), so the paper's data was "
                    "not loaded (--if-empty). Run load_paper without --if-empty to add it anyway."
                )
                % {"found": found}
            )
            return
        headers = [
            _("Records"),
            _("Created"),
            _("Updated"),
            _("Unchanged"),
            _("Kept"),
        ]
        rows = [
            [str(capfirst(model._meta.verbose_name_plural))]
            + [str(counter[outcome]) for outcome in OUTCOMES]
            for model, counter in report.counts.items()
        ]
        rows.append([_("Total")] + [str(report.total(outcome)) for outcome in OUTCOMES])
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells):
            first = cells[0].ljust(widths[0])
            rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
            return "  ".join([first, *rest])

        self.stdout.write(line(headers))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        if not report.include_starter:
            self.stdout.write(_("The starter mapping was not loaded (--no-starter)."))
        if report.kept:
            count = len(report.kept)
            self.stdout.write(
                ngettext(
                    "%(count)d record was edited by staff or imported, and was kept as it is "
                    "(-v 2 lists it).",
                    "%(count)d records were edited by staff or imported, and were kept as they "
                    "are (-v 2 lists them).",
                    count,
                )
                % {"count": count}
            )
            if verbose:
                for record in report.kept:
                    self.stdout.write(f"  {record}")
        message = _("The paper is loaded.") if report.changed else _("Nothing to change.")
        self.stdout.write(self.style.SUCCESS(message))
