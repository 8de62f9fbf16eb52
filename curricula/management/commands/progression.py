"""`manage.py progression [--program ID] [--plan CODE=TERM ...] [--markdown]`: what breaks each
programme's progression along its terms, from the progression engine, printed (the worked
example in docs/ is this command's output on the paper's data)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.i18n import join_list
from core.management.base import LanguageCommand
from curricula.models import Programme, ProgrammeCourse
from curricula.progression.selectors import ProgrammeProgression, programme_progression


class Command(LanguageCommand):
    help = (
        "Print each programme's progression findings (mastered first, never built on, level "
        "falls, single point of failure), with the courses involved and the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--program", type=int, action="append", metavar="ID", help="A programme id; repeat."
        )
        parser.add_argument(
            "--plan",
            action="append",
            default=[],
            metavar="CODE=TERM",
            help="Try a term for a course (by code) without saving it; repeat for several.",
        )
        parser.add_argument("--markdown", action="store_true", help="Markdown tables (for docs/).")

    def handle(self, *args, program=None, plan=(), markdown=False, **options):
        programmes = Programme.objects.with_relations().in_catalogue_order()
        if program:
            programmes = programmes.filter(id__in=program)
            unknown = sorted(set(program) - {p.pk for p in programmes})
            if unknown:
                raise CommandError(
                    _("No programme with id %(ids)s.") % {"ids": join_list(map(str, unknown))}
                )
        term_plan = self._plan(plan)
        for programme in programmes:
            course_ids = set(
                ProgrammeCourse.objects.filter(programme=programme).values_list(
                    "course_id", flat=True
                )
            )
            progression = programme_progression(
                programme=programme,
                term_plan={k: v for k, v in term_plan.items() if k in course_ids},
            )
            self._write(progression, markdown=markdown)

    @staticmethod
    def _plan(items) -> dict[int, int]:
        from curricula.models import MAX_TERM, Course

        plan: dict[int, int] = {}
        for item in items:
            code, _sep, term = item.partition("=")
            if not term.isdigit() or not 1 <= int(term) <= MAX_TERM:
                raise CommandError(
                    _("--plan takes CODE=TERM with a term from 1 to %(max)s: %(item)s")
                    % {"max": MAX_TERM, "item": item}
                )
            course = Course.objects.filter(code=code.strip()).first()
            if course is None:
                raise CommandError(_("No course has the code %(code)s.") % {"code": code})
            plan[course.pk] = int(term)
        return plan

    def _write(self, progression: ProgrammeProgression, *, markdown: bool) -> None:
        out = self.stdout.write
        programme = progression.programme
        counts = progression.counts
        terms = join_list(str(t) for t in progression.columns if t is not None) or _("none")
        unscheduled = join_list(c.code for c in progression.unscheduled) or _("none")
        if markdown:
            out(f"### {programme.display_name}\n")
            out(
                _(
                    "Terms: %(terms)s. No place in time: %(unscheduled)s. Findings: %(high)d "
                    "high, %(medium)d medium, %(low)d low."
                )
                % {"terms": terms, "unscheduled": unscheduled, **counts}
                + "\n\n"
            )
            if progression.findings:
                header = (_("Severity"), _("Finding"), _("Ability"), _("Courses"), _("Reason"))
                out("| " + " | ".join(header) + " |")
                out("| --- | --- | --- | --- | --- |")
                for f in progression.findings:
                    courses = join_list(c.code for c in f.courses)
                    ability = f"{f.ability['code']} {f.ability['text']}".strip()
                    out(
                        f"| {f.severity_label} | {f.kind_label} | {_cell(ability)} | "
                        f"{courses} | {_cell(f.reason)} |"
                    )
            out("")
            return
        out(self.style.MIGRATE_HEADING(programme.display_name))
        out(
            "  "
            + _("terms: %(terms)s; no place in time: %(unscheduled)s")
            % {"terms": terms, "unscheduled": unscheduled}
        )
        for f in progression.findings:
            # An ability without a code (an ESCO skill, a university's own list) by its statement.
            ability = f.ability["code"] or f"“{f.ability['text']}”"
            finding = _("%(label)s: %(value)s") % {"label": f.kind_label, "value": f.reason}
            out(f"  [{f.severity_label}] {ability} {finding}")
        if not progression.findings:
            out("  " + _("No findings."))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
