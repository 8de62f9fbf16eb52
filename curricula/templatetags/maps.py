"""Template tags of the curriculum map and its gap report. Its cells and the gap lists' items are
rendered here rather than one by one in the template language: a map at ESCO scale has tens of
thousands of cells and its ten targets hundreds of gaps, and a template loop costs about a
hundred times more per cell than this."""

from collections.abc import Mapping

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext, pgettext_lazy

from core.i18n import bracketed, in_language
from core.templatetags.labels import label_and_value
from curricula.models import SUGGESTION_STRENGTHS
from curricula.paper.source_refs import source_ref_label
from curricula.permissions import can_add_map, can_review_suggestions

register = template.Library()


@register.simple_tag
def map_level_cells(cells) -> SafeString:
    """One `<td>` per cell: shaded by its level, holding the level's code (empty: not taught)."""
    parts = []
    for cell in cells:
        level = cell.level
        if level is None:
            # Most cells are empty: their shade is the stylesheet's default for an empty cell.
            parts.append('<td class="level-cell"></td>')
        else:
            parts.append(f'<td class="level-cell shade-{level.shade}">{escape(level.code)}</td>')
    # Safe: every value above is escaped or an int.
    return mark_safe("".join(parts))


# A requirement's status as the coverage engine names it, in the reader's language.
STATUS_LABELS = {
    "covered": pgettext_lazy("requirement status", "covered"),
    "partial": pgettext_lazy("requirement status", "partial"),
    "missing": pgettext_lazy("requirement status", "missing"),
}


@register.filter
def status_label(status: str) -> str:
    """`{{ change.before.status|status_label }}`: "covered", "partial" or "missing", translated;
    any other value as it is."""
    return str(STATUS_LABELS.get(status, status))


@register.filter
def level_chosen(chosen: Mapping | None, entry) -> str:
    """`{{ chosen|level_chosen:entry }}`: the level a row form's menu shows for a course, the one
    chosen in a refused save (`chosen`: course id to level code) else the link's ("" for none)."""
    now = entry.level.code if entry.level else ""
    return chosen.get(entry.course_id, now) if chosen else now


@register.filter
def source_ref(text: str) -> str:
    """A record's source reference in the reader's language (see curricula.paper.source_refs)."""
    return source_ref_label(text or "")


@register.simple_tag(takes_context=True)
def gap_items(context, requirements, status: str) -> SafeString:
    """`{% gap_items position.missing_shown "missing" %}`: the `<li>` of each requirement of one
    of a target's gap lists (status: missing, partial or covered): its code and statement, what
    it needs and reaches, the courses building it, and for staff who may add links the courses
    suggested for it. Rendered here rather than by a template loop with two includes per item:
    ten targets' lists at ESCO scale are hundreds of items."""
    user = context.get("user")
    can_review = user is not None and can_review_suggestions(user)
    # As the map's editor: adding a link on an ability's row needs the change permission too.
    can_add_by_hand = can_review and can_add_map(user)
    review_url = ""
    parts = []
    for req in requirements:
        item = f'<span class="code">{escape(req.code)}</span> ' if req.code else ""
        item += in_language(req.text, req.language)
        if status == "missing":
            note = gettext("needs %(level)s") % {"level": escape(req.min_level)}
            if not req.essential:
                note += " · " + gettext("optional")
            item += f' <span class="muted small">{note}</span>'
        elif status == "partial":
            note = gettext("reaches %(best)s, needs %(level)s") % {
                "best": escape(req.best_level),
                "level": escape(req.min_level),
            }
            item += f' <span class="muted small">{note}</span> {_contributors(req.courses)}'
        else:
            item += " " + _contributors(req.courses)
        if status != "covered" and can_review:
            programme = context["programme"]
            if not review_url:
                review_url = reverse("suggestions:programme-review", args=[programme.pk])
            if req.suggested:
                item += _suggested(req.suggested, review_url, programme.pk)
            elif req.ability_id:
                row_url = ""
                if can_add_by_hand:
                    row_url = reverse(
                        "curricula:programme-ability", args=[programme.pk, req.ability_id]
                    )
                item += _next_steps(row_url, review_url)
        parts.append(f"<li>{item}</li>")
    # Safe: every value above is escaped; the rest is markup and the message catalogue's text.
    return mark_safe("".join(parts))


@register.simple_tag
def crosswalk_contributors(courses) -> str:
    """Courses reaching an ability through a crosswalk, worded as in the gap report."""
    # Safe: _contributors escapes every value.
    return mark_safe(_contributors(courses)) if courses else ""


def _contributors(courses) -> str:
    parts = []
    for course in courses:
        via = course["via"]
        if via:
            text = gettext(
                "covered via %(code)s → %(framework)s ‘%(text)s’ (%(relation)s), at %(level)s"  # noqa: RUF001
            ) % {
                "code": escape(course["code"]),
                "framework": escape(via["framework"]),
                "text": escape(via["text"]),
                "relation": escape(via["relation"]),
                "level": escape(course["level"]),
            }
            parts.append(
                f'<span class="contributor contributor--via" title="{escape(course["title"])}">'
                f"{text}</span>"
            )
        else:
            # The catalogue's brackets, as a suggested course's level: full-width in Chinese.
            title = in_language(course["title"], course.get("language", ""))
            name = bracketed(title, escape(course["level"]))
            parts.append(
                f'<span class="contributor"><span class="code">{escape(course["code"])}</span> '
                f"{name}</span>"
            )
    return f'<span class="contributors">{"".join(parts)}</span>'


def strength_pill(band: str | None, score: float) -> SafeString:
    """How strongly a suggestion is made, as a reviewer reads it everywhere: its band's label
    ("Strong match", in words, not colour alone) in a pill titled with the score; the score
    alone for a suggestion stored before strengths were."""
    if band not in SUGGESTION_STRENGTHS:
        return format_html("{}", gettext("score %(score)s") % {"score": f"{score:.3f}"})
    return format_html(
        '<span class="strength strength--{}" title="{}" data-strength="{}">{}</span>',
        band,
        gettext("score %(score)s") % {"score": f"{score:.4f}"},
        band,
        SUGGESTION_STRENGTHS[band],
    )


def _next_steps(row_url: str, review_url: str) -> str:
    """For a gap no course is suggested for: its row of the map, where a link is added by hand
    (`row_url`, empty when the reader may not), and the programme's review page, where
    suggestions are generated for the programme's courses from a framework."""
    links = []
    if row_url:
        # Not inside the f-string: xgettext reads no message there.
        by_hand = gettext("Add a link by hand")
        links.append(f'<a href="{escape(row_url)}">{escape(by_hand)}</a>')
    generate = gettext("Generate suggestions")
    links.append(f'<a href="{escape(review_url)}?required=1">{escape(generate)}</a>')
    separator = escape(pgettext("list separator", "; "))
    label = escape(gettext("No course is suggested for it"))
    # The links and their separator in one span: apart, each was an item of the line's flex box
    # (.suggested-courses), and the separator stood a gap away from the link before it.
    joined = mark_safe(f"<span>{separator.join(links)}</span>")
    steps = label_and_value(label, joined, label_class="muted")
    # Links to where things are done: on screen only (on paper they say nothing).
    return f' <span class="suggested-courses gap-next-steps small screen-only">{steps}</span>'


def proposed_below(proposed: str, needed: str) -> str:
    """A suggestion's proposed level and, above it, the requirement's minimum (codes, escaped):
    "proposed level I, below the required R"."""
    return gettext("proposed level %(proposed)s, below the required %(needed)s") % {
        "proposed": escape(proposed),
        "needed": escape(needed),
    }


def _suggested(courses, review_url: str, programme_id: int) -> str:
    parts = []
    for course in courses:
        name = escape(course["title"])
        # Proposed below the requirement's minimum: accepted at that level the requirement would
        # stay partial, so the chip says what the requirement needs (in words, and marked).
        needs = course.get("needs")
        if needs:
            name = bracketed(name, proposed_below(course["level"], needs))
        elif course.get("level"):
            # The catalogue's brackets: full-width in Chinese.
            name = bracketed(
                name, gettext("proposed level %(level)s") % {"level": escape(course["level"])}
            )
        if course.get("score") is not None:
            name += f" {strength_pill(course.get('band'), course['score'])}"
        via = course.get("via")
        if via:
            # As the programme's review names a stand-in: "via CODE (exact match)".
            said = bracketed(
                gettext("via %(code)s") % {"code": escape(via["code"])}, escape(via["relation"])
            )
            name += f' <span class="muted">{said}</span>'
        # Each course leads to its own review page, which lists all its suggestions: told the
        # programme, it says which of its requirements each serves, and the level one needs.
        course_url = reverse("suggestions:course-review", args=[course["course_id"]])
        course_url += f"?programme={programme_id}"
        below = " contributor--below" if needs else ""
        parts.append(
            f'<a class="contributor contributor--suggested{below}" href="{escape(course_url)}">'
            f'<span class="code">{escape(course["code"])}</span> {name}</a>'
        )
    # The chips are set apart by the stylesheet; read as text (a screen reader, a text browser)
    # they are a list, separated as the language writes one.
    separator = f'<span class="visually-hidden">{escape(pgettext("list separator", "; "))}</span>'
    # Not inside the f-strings: makemessages does not see a gettext call there.
    label, review = gettext("Suggested"), gettext("Review")
    # The colon and the space after it are the message's: none after Chinese's full-width one.
    courses = label_and_value(escape(label), mark_safe(separator.join(parts)), label_class="muted")
    return (
        f'<span class="suggested-courses small">{courses}'
        f' <a class="screen-only" href="{escape(review_url)}?required=1">{review}</a></span>'
    )


@register.simple_tag(takes_context=True)
def suggested_courses(context, courses) -> SafeString:
    """`{% suggested_courses req.suggested %}`: the programme's courses suggested for a gap, each
    linked to its review, and the programme's review, as the gap report names them."""
    if not courses:
        return mark_safe("")
    review_url = reverse("suggestions:programme-review", args=[context["programme"].pk])
    # Safe: _suggested escapes every value.
    return mark_safe(" " + _suggested(courses, review_url, context["programme"].pk))


@register.simple_tag
def choice_options(choices, text_key: str, selected=None) -> SafeString:
    """`{% choice_options choices.abilities "short_text" cell.ability %}`: an `<option>` for each
    choice (a dict with its id and code), reading "code text", the one whose id is `selected`
    selected. The what-if's menus list hundreds of abilities and courses for each cell row."""
    parts = []
    for choice in choices:
        pk = choice["id"]
        mark = " selected" if pk == selected else ""
        label = escape(f"{choice['code']} {choice[text_key]}")
        parts.append(f'<option value="{int(pk)}"{mark}>{label}</option>')
    # Safe: the label is escaped and the value an int.
    return mark_safe("".join(parts))
