"""manage.py suggest: generate link suggestions from the command line, with a progress bar."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.api.filters import MAX_ID
from core.i18n import bracketed, join_list, join_long_items, join_sentences, localized
from core.management.base import LanguageCommand
from core.models import code_key
from curricula.models import Course
from curricula.selectors.programmes import programme_named
from positions.models import Framework, Position
from suggestions import services
from suggestions.engine.text import has_unread_letters, written_in_chinese


def _is_id(pk: int) -> bool:
    """Whether a record could have this id: none has a larger one, and a list holding one
    makes SQLite raise OverflowError."""
    return 0 < pk <= MAX_ID


class Command(LanguageCommand):
    help = (
        "Rank a framework's abilities (or every framework's) for courses or positions and store "
        "the best as pending suggestions for review. Pairs already linked, required or decided "
        "are left out; pending suggestions in the same scope are updated in place (same id) or, "
        "when no longer ranked, removed."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--course", nargs="+", metavar="CODE", help="course codes")
        which.add_argument(
            "--programme",
            "--program",
            metavar="PROGRAMME",
            help=(
                "a programme's courses (id, or exact English or Chinese name, as import_courses "
                "takes it)"
            ),
        )
        which.add_argument("--all-courses", action="store_true", help="every course")
        which.add_argument("--position", nargs="+", type=int, metavar="ID", help="position ids")
        which.add_argument(
            "--all-positions", action="store_true", help="every position with a description"
        )
        which.add_argument(
            "--refresh",
            action="store_true",
            help=(
                "regenerate every earlier run whose course or position text, or whose "
                "framework's abilities, changed since"
            ),
        )
        parser.add_argument(
            "--framework",
            help="framework id or exact name, English or Chinese (default: every framework)",
        )
        parser.add_argument("--k", type=int, default=None, help="suggestions per subject")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, **options):
        framework = self._framework(options["framework"])
        course_ids, position_ids = self._subjects(options)
        bar = None
        if not options["as_json"] and options["verbosity"] > 0:
            bar = self.progress_bar(
                total=len(course_ids) + len(position_ids),
                unit=pgettext("a course or a position, as a progress bar counts them", "subject"),
            )

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        if options["refresh"]:
            result = services.suggestions_refresh(
                course_ids=course_ids, position_ids=position_ids, on_progress=progress
            )
        else:
            try:
                result = services.suggestions_generate(
                    course_ids=course_ids,
                    position_ids=position_ids,
                    framework=framework,
                    k=options["k"],
                    on_progress=progress,
                )
            except ValidationError as error:
                # The colon and the separators are the catalogue's: Chinese writes full-width
                # ones.
                raise CommandError(
                    join_long_items(
                        _("%(label)s: %(value)s")
                        % {"label": f"--{name}", "value": join_sentences(messages)}
                        for name, messages in error.message_dict.items()
                    )
                ) from error
        if bar is not None:
            bar.close()
        if options["as_json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        if options["refresh"] and not (result.courses or result.positions):
            self.stdout.write(
                _(
                    "Nothing to refresh: every course's and position's suggestions were made "
                    "from its current text and frameworks."
                )
            )
            return
        self.stdout.write(self._summary(result))
        if result.subjects_without_text:
            shown = join_list(result.subjects_without_text[:10])
            self.stdout.write(
                _("No description or outcomes to rank from: %(shown)s") % {"shown": shown}
            )
        if result.courses_unmatched:
            courses = Course.objects.filter(pk__in=result.courses_unmatched[:10]).order_by("code")
            # What would help differs: a course in Chinese meets abilities with Chinese
            # statements (where the framework has some, it is as any other course); one in a
            # script the engine does not read (Korean) meets none.
            unread, chinese, other = [], [], []
            for course in courses.only("code", "title", "description", "outcomes"):
                texts = (course.title, course.description, course.outcomes)
                if any(map(has_unread_letters, texts)):
                    unread.append(course.code)
                elif written_in_chinese(*texts) and not result.abilities_read_chinese:
                    chinese.append(course.code)
                else:
                    other.append(course.code)
            if chinese:
                self.stdout.write(
                    _(
                        "No ability matched: %(shown)s (a course written only in Chinese meets "
                        "only abilities with Chinese statements)"
                    )
                    % {"shown": join_list(chinese)}
                )
            if other:
                self.stdout.write(
                    _(
                        "No ability matched: %(shown)s (the framework may not cover its subject: "
                        "check the framework chosen, or link it by hand)"
                    )
                    % {"shown": join_list(other)}
                )
            if unread:
                self.stdout.write(
                    _(
                        "No ability matched: %(shown)s (written in a script the engine does not "
                        "read, such as Korean or Japanese kana: give it an English or Chinese "
                        "title, description or outcomes)"
                    )
                    % {"shown": join_list(unread)}
                )

    @staticmethod
    def _summary(result) -> str:
        """ "1 suggestion for 1 course and 0 positions (…)": each count with its noun's number,
        of the courses and positions that got suggestions (not those skipped for want of text, or
        no ability matched, which the lines after it name), as the generate page counts them."""
        made = result.created + result.updated
        courses = max(
            0, result.courses - len(result.courses_without_text) - len(result.courses_unmatched)
        )
        positions = max(0, result.positions - len(result.positions_without_text))
        return _(
            "%(suggestions)s for %(courses)s and %(positions)s (%(created)d new, %(updated)d "
            "updated, %(removed)d dropped) in %(seconds).1f s."
        ) % {
            "suggestions": ngettext("%(count)d suggestion", "%(count)d suggestions", made)
            % {"count": made},
            "courses": ngettext("%(count)d course", "%(count)d courses", courses)
            % {"count": courses},
            "positions": ngettext("%(count)d position", "%(count)d positions", positions)
            % {"count": positions},
            "created": result.created,
            "updated": result.updated,
            "removed": result.removed,
            "seconds": result.seconds,
        }

    def _framework(self, value: str | None) -> Framework | None:
        if not value:
            return None
        if value.isascii() and value.isdigit():
            found = Framework.objects.filter(pk=int(value)).first() if _is_id(int(value)) else None
            if found is None:
                raise CommandError(_("No framework with id %(id)s.") % {"id": value})
            return found
        # Named as the reader knows it: its English or its Chinese name.
        matches = list(Framework.objects.filter(Q(name=value) | Q(name_zh=value))[:2])
        if len(matches) > 1:
            raise CommandError(
                _("Several frameworks are named “%(name)s”: give its id.") % {"name": value}
            )
        if not matches:
            refusal = _("No framework is named “%(name)s”.") % {"name": value}
            # An import names its framework itself ("ESCO skills (en)"): say what to give.
            # Each in the reader's language: a Chinese reader is told its Chinese name.
            known = [
                bracketed(f"“{localized(name, name_zh)}”", _("id %(id)d") % {"id": pk})
                for pk, name, name_zh in Framework.objects.order_by("pk").values_list(
                    "pk", "name", "name_zh"
                )[:20]
            ]
            if known:
                refusal = join_sentences(
                    [
                        refusal,
                        _("The frameworks are: %(frameworks)s.") % {"frameworks": join_list(known)},
                    ]
                )
            raise CommandError(refusal)
        return matches[0]

    def _subjects(self, options) -> tuple[list[int], list[int]]:
        if options["course"]:
            # A course code is one code in any case (core.models.CaselessCodeField).
            found = {
                code_key(code): pk
                for code, pk in Course.objects.filter(code__in=options["course"]).values_list(
                    "code", "pk"
                )
            }
            missing = [code for code in options["course"] if code_key(code) not in found]
            if missing:
                raise CommandError(
                    ngettext(
                        "Unknown course code: %(codes)s",
                        "Unknown course codes: %(codes)s",
                        len(missing),
                    )
                    % {"codes": join_list(missing)}
                )
            return list(found.values()), []
        if options["programme"] is not None:
            # By its id or exact English or Chinese name, as import_courses --programme finds it.
            try:
                programme = programme_named(options["programme"])
            except ValidationError as error:
                raise CommandError(join_sentences(error.messages)) from error
            if programme is None:
                raise CommandError(
                    _("No programme has the id or name “%(p)s”.") % {"p": options["programme"]}
                )
            return list(programme.courses.order_by("id").values_list("pk", flat=True)), []
        if options["all_courses"] or options["refresh"]:
            courses = list(Course.objects.order_by("id").values_list("pk", flat=True))
            positions = (
                list(Position.objects.order_by("id").values_list("pk", flat=True))
                if options["refresh"]
                else []
            )
            return courses, positions
        if options["position"]:
            found = set(
                Position.objects.filter(
                    pk__in=[pk for pk in options["position"] if _is_id(pk)]
                ).values_list("pk", flat=True)
            )
            missing = [pk for pk in options["position"] if pk not in found]
            if missing:
                raise CommandError(
                    ngettext(
                        "Unknown position id: %(ids)s",
                        "Unknown position ids: %(ids)s",
                        len(missing),
                    )
                    % {"ids": join_list(missing)}
                )
            return [], sorted(found)
        return [], list(
            Position.objects.exclude(description="", description_zh="")
            .order_by("id")
            .values_list("pk", flat=True)
        )
