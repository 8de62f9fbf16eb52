"""`manage.py recommend --program ID|NAME [--budget N] [--position ID] [--area ID]
[--add-target ID]... [--remove-target ID]...`: a programme's essential gaps, the recommended
catalogue courses, and the coverage once they are added, as Markdown (docs/worked-example.md is
this command's output on the paper's data). With target positions added or removed, first what
that change does, then the same answers for the programme as it would then be."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import bracketed, join_list, join_sentences
from core.management.base import LanguageCommand
from core.markdown import md_escape
from curricula.decisions import cover, requests, selectors, whatif
from curricula.models import Programme
from curricula.selectors.programmes import (
    level_ranks,
    programme_named,
    programme_suggested_courses,
)
from curricula.templatetags.maps import status_label


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _options_error(error: ValidationError) -> str:
    """The messages of a refused question, each naming its option (--budget: ...)."""
    if not hasattr(error, "error_dict"):
        return join_sentences(error.messages)
    return join_sentences(
        f"--{field}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    )


def _ability(ability: dict) -> str:
    return md_escape(f"{ability['code']} {ability['text']}".strip())


class Command(LanguageCommand):
    help = _(
        "Print a programme's essential gaps, the catalogue courses recommended to close them, "
        "and the coverage after adding them, as Markdown. Saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--program", required=True, help=_("Programme id, or exact English or Chinese name.")
        )
        parser.add_argument("--budget", help=_("Most credits (or courses) to spend."))
        parser.add_argument("--position", help=_("Only this target position (id)."))
        parser.add_argument("--area", help=_("Only this competency area (id)."))
        parser.add_argument(
            "--add-target",
            action="append",
            default=[],
            help=_("Try the programme with this position as a target too (id; repeatable)."),
        )
        parser.add_argument(
            "--remove-target",
            action="append",
            default=[],
            help=_("Try the programme without this target position (id; repeatable)."),
        )

    def handle(self, *args, program, budget, position, area, **options):
        try:
            programme = programme_named(program)
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages)) from error
        if programme is None:
            raise CommandError(_("No programme has the id or name “%(p)s”.") % {"p": program})
        # One read of the names (areas, abilities, courses) for every answer below.
        inputs, reads = selectors.inputs_and_reads(programme=programme)
        preamble: list[str] = []
        if options["add_target"] or options["remove_target"]:
            try:
                targets = requests.scenario_check(
                    programme_in=inputs[0],
                    request=requests.scenario_request(
                        {
                            "add_targets": options["add_target"],
                            "remove_targets": options["remove_target"],
                        }
                    ),
                )
            except ValidationError as error:
                message = _options_error(error)
                for field, option in (
                    ("add_targets", "add-target"),
                    ("remove_targets", "remove-target"),
                ):
                    message = message.replace(f"--{field}:", f"--{option}:")
                raise CommandError(message) from error
            changed = selectors.what_if_detail(
                programme=programme, scenario=targets, inputs=inputs, reads=reads
            )
            preamble = self.target_lines(changed)
            # Every answer below is for the programme as it would be with these targets.
            inputs = selectors.scenario_inputs(programme=programme, scenario=targets, inputs=inputs)
        try:
            question = requests.recommendation_request(
                {"budget": budget, "position": position, "area": area}
            )
            answer = selectors.recommendations_detail(
                programme=programme,
                budget=question.budget,
                position_id=question.position_id,
                area_id=question.area_id,
                inputs=inputs,
                reads=reads,
            )
        except ValidationError as error:
            raise CommandError(_options_error(error)) from error
        scenario = whatif.Scenario(
            add_course_ids=tuple(c["course"]["id"] for c in answer["courses"])
        )
        what_if = selectors.what_if_detail(
            programme=programme, scenario=scenario, inputs=inputs, reads=reads
        )
        self.stdout.write("\n".join([*preamble, *self.lines(programme, answer, what_if)]))

    def target_lines(self, changed: dict) -> list[str]:
        """What adding and removing the targets does, before the answers for the result."""
        scenario, diff = changed["scenario"], changed["diff"]
        out = ["## " + _("With the target positions changed"), ""]
        for position in scenario["add_targets"]:
            out.append("- " + _("Added: %(name)s") % {"name": position["name"]})
        for position in scenario["remove_targets"]:
            out.append("- " + _("Removed: %(name)s") % {"name": position["name"]})
        out.append("")
        out.append(
            _("Essential coverage: %(before)s → %(after)s.")
            % {
                "before": _percent(diff["before"]["percent"]),
                "after": _percent(diff["after"]["percent"]),
            }
        )
        for position in diff["positions"]:
            if position["target"] != "added":
                continue
            out += ["", "### " + _("New gaps: %(name)s") % {"name": position["position"]["name"]}]
            out.append("")
            for change in position["changes"]:
                out.append(
                    "- "
                    + _("%(ability)s: needs %(min)s, has %(best)s (%(status)s)")
                    % {
                        "ability": _ability(change["ability"]),
                        "min": change["min_level"],
                        "best": change["after"]["best_level"] or "—",
                        "status": _status(change["after"]["status"], change["importance"]),
                    }
                )
            if not position["changes"]:
                out.append(_("None: the programme already covers every requirement."))
        out.append("")
        return out

    def lines(self, programme: Programme, answer: dict, what_if: dict) -> list[str]:
        """The report as Markdown lines; every name and text from the data is md_escape()d."""
        before = what_if["diff"]["before"]
        out = [f"## {md_escape(programme.display_name)}", ""]
        out.append(
            _(
                "Essential coverage now: %(percent)s (%(covered)d covered, %(partial)d partial, "
                "%(missing)d missing)."
            )
            % {**before, "percent": _percent(before["percent"])}
        )
        out += ["", "### " + _("Gaps"), ""]
        out += _gap_lines(what_if)
        out += ["", "### " + _("Recommended courses"), ""]
        out += _course_lines(answer)
        to_raise, new_course = selectors.needed_split(answer)
        if to_raise:
            out += _needed_section(
                _("Raise a course of the programme"),
                _(
                    "A course of the programme already builds these abilities, below the level "
                    "required: raising one of them to the level closes the gap, without a new "
                    "course."
                ),
                to_raise,
            )
        # A gap a course of the programme has a pending suggestion for needs a review before a
        # new course, as the decide page says.
        suggested = (
            programme_suggested_courses(
                programme=programme,
                required={
                    req["ability"]["id"] for group in new_course for req in group["requirements"]
                },
            )
            if new_course
            else {}
        )
        to_review, new_course = selectors.needed_reviewable(
            new_course, suggested, level_ranks() if suggested else {}
        )
        if to_review:
            out += _needed_section(
                _("Review a suggestion for a course of the programme"),
                _(
                    "No course in the catalogue is linked to these abilities at the level "
                    "required, but a course of the programme has a pending suggestion for each: "
                    "accepting it at the level required closes the gap, without a new course."
                ),
                to_review,
                suggested,
            )
        if new_course:
            out += _needed_section(
                _("Needing a new course"),
                _(
                    "No course in the catalogue is linked to these abilities at the level "
                    "required. A catalogue course outside the programme is recommended only once "
                    "it is linked to the ability: link one to it (the admin's *Course-ability "
                    "links*), or generate suggestions for the catalogue's courses (`manage.py "
                    "suggest --all-courses`, then *Review suggested links* on each course's page) "
                    "and accept those that fit. If no course teaches it, the programme needs a "
                    "new course."
                ),
                new_course,
            )
        out += ["", "### " + _("Coverage after adding them"), ""]
        out += _coverage_table(what_if)
        out.append("")
        return out


def _status(status: str, importance: str) -> str:
    """A requirement's status in the reader's language, and "optional" after it when it is: a
    gap is an essential requirement, and the decide page marks the others too."""
    if importance == "essential":
        return status_label(status)
    return join_list([status_label(status), _("optional")])


def _gap_lines(what_if: dict) -> list[str]:
    """Per target position, its essential requirements that were not covered before; then, when
    two targets share an ability (two gaps, one ability: the coverage above counts it once),
    how many abilities the gaps are in, as the decide page says."""
    out = []
    gap_count, gap_abilities = 0, set()
    diff_of = {p["position"]["id"]: p for p in what_if["diff"]["positions"]}
    for position in what_if["report"]["positions"]:
        # A gap is an essential requirement not covered before: still open after, or closed.
        was = {
            change["ability"]["id"]: change["before"]
            for change in diff_of[position["position"]["id"]]["changes"]
        }
        gaps = []
        for row in position["requirements"]:
            before_row = was.get(
                row["ability"]["id"], {"status": row["status"], "best_level": row["best_level"]}
            )
            if row["importance"] == "essential" and before_row["status"] != "covered":
                gaps.append((row, before_row))
        if not gaps:
            continue
        gap_count += len(gaps)
        gap_abilities.update(row["ability"]["id"] for row, _before in gaps)
        out.append(f"- **{md_escape(position['position']['name'])}**")
        for row, before_row in gaps:
            out.append(
                "  - "
                + _("%(ability)s: needs %(min)s, has %(best)s (%(status)s)")
                % {
                    "ability": _ability(row["ability"]),
                    "min": md_escape(row["min_level"]),
                    "best": md_escape(before_row["best_level"] or "—"),
                    "status": status_label(before_row["status"]),
                }
            )
    if len(gap_abilities) < gap_count:
        out += [
            "",
            ngettext(
                "The %(gaps)s gaps are in %(abilities)s ability: an ability two target "
                "positions require counts once per target.",
                "The %(gaps)s gaps are in %(abilities)s abilities: an ability two target "
                "positions require counts once per target.",
                len(gap_abilities),
            )
            % {"gaps": gap_count, "abilities": len(gap_abilities)},
        ]
    return out


def _method(answer: dict) -> str:
    if answer["method"] == cover.EXACT:
        return _("proven optimal by branch-and-bound over %(n)d candidate courses") % {
            "n": answer["candidates"]
        }
    if answer["method"] == cover.GREEDY:
        return _(
            "greedy weighted set cover over %(n)d candidate courses, within %(f).2f x the optimum"
        ) % {"n": answer["candidates"], "f": answer["bound"]["factor"]}
    return _("best found before the search limit (not proven optimal)")


def _course_lines(answer: dict) -> list[str]:
    """How the courses were chosen, then each course with the gaps it closes. With no gap, or
    no course to choose from, there was no search, so no method to name."""
    out = []
    if not answer["gaps"]:
        out.append(_("No essential gaps: nothing to recommend."))
    elif answer["candidates"]:
        out += [
            _("Method: %(method)s. Cost unit: %(unit)s; total cost %(cost)g.")
            % {"method": _method(answer), "unit": _unit(answer), "cost": answer["cost"]},
            "",
        ]
    for item in answer["courses"]:
        course = item["course"]
        name = md_escape(f"{course['code']} {course['title']}")
        closes = _("(cost %(cost)s) closes:") % {"cost": f"{item['cost']:g}"}
        out.append(f"- **{name}** {closes}")
        for gap in item["closes"]:
            needs = _("%(position)s, needs %(level)s") % {
                "position": md_escape(gap["position"]["name"]),
                "level": md_escape(gap["min_level"]),
            }
            out.append(f"  - {_ability(gap['ability'])} — {needs}")
    if not answer["courses"] and answer["gaps"]:
        out.append(_("No catalogue course outside the programme closes a gap."))
    return out


def _unit(answer: dict) -> str:
    """The cost's unit in the reader's language."""
    return {"credits": _("credits"), "courses": _("courses")}[answer["cost_unit"]]


def _needed_section(
    heading: str, introduction: str, groups: list[dict], suggested: dict[int, list] | None = None
) -> list[str]:
    """A section of the gaps no catalogue course closes: its heading, what it means, its gaps."""
    return ["", "### " + heading, "", introduction, "", *_needed_lines(groups, suggested or {})]


def _needed_lines(groups: list[dict], suggested: dict[int, list]) -> list[str]:
    """Gaps no catalogue course closes, by competency area; under each, the programme's courses
    that reach it below the level, when some do, then those suggested for it (`suggested`, per
    ability id, see programme_suggested_courses)."""
    out = []
    for group in groups:
        name = md_escape(group["area"]["name"]) if group["area"] else _("No competency area")
        out.append(f"- **{name}**")
        for req in group["requirements"]:
            positions = join_list(md_escape(p["name"]) for p in req["positions"])
            out.append(
                f"  - {_ability(req['ability'])} — "
                + _("needs %(level)s, for %(positions)s")
                % {"level": md_escape(req["min_level"]), "positions": positions}
            )
            for reach in req["reached_by"]:
                course = reach["course"]
                out.append(
                    "    - "
                    + _("reached at %(level)s by %(code)s %(title)s")
                    % {
                        "level": md_escape(reach["level"]),
                        "code": md_escape(course["code"]),
                        "title": md_escape(course["title"]),
                    }
                )
            # A gap to review holds its suggested courses, each judged against its level.
            for course in req.get("suggested", suggested.get(req["ability"]["id"], ())):
                out.append("    - " + _suggested_line(course))
    return out


def _suggested_line(course: dict) -> str:
    """A course of the programme suggested for a gap, as the decide page names it: its proposed
    level, and the stand-in it was suggested for when it was one."""
    name = md_escape(f"{course['code']} {course['title']}")
    if course.get("needs"):
        # Below the level required: accepted at it, the requirement would stay partial.
        name = bracketed(
            name,
            _("proposed level %(proposed)s, below the required %(needed)s")
            % {"proposed": md_escape(course["level"]), "needed": md_escape(course["needs"])},
        )
    elif course["level"]:
        name = bracketed(
            name, _("proposed level %(level)s") % {"level": md_escape(course["level"])}
        )
    if course["via"]:
        # As the programme's review names a stand-in: "via CODE (exact match)".
        name += " " + bracketed(
            _("via %(code)s") % {"code": md_escape(course["via"]["code"])},
            md_escape(course["via"]["relation"]),
        )
    return _(
        "suggested to %(course)s, not reviewed yet (*Review suggested links* on the course's page)"
    ) % {"course": name}


def _coverage_table(what_if: dict) -> list[str]:
    """Essential coverage per target position and for the programme, before and after."""
    out = [
        "| " + " | ".join([_("Position"), _("Before"), _("After")]) + " |",
        "|---|---|---|",
    ]
    for position in what_if["diff"]["positions"]:
        out.append(
            f"| {md_escape(position['position']['name'])} "
            f"| {_percent(position['before']['percent'])} "
            f"| {_percent(position['after']['percent'])} |"
        )
    before, after = what_if["diff"]["before"], what_if["diff"]["after"]
    out.append(
        f"| **{_('Programme')}** | **{_percent(before['percent'])}** "
        f"| **{_percent(after['percent'])}** |"
    )
    return out
