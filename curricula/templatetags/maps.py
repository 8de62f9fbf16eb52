"""Template tags of the curriculum map and its gap report. Its cells and the gap lists' items are
rendered here rather than one by one in the template language: a map at ESCO scale has tens of
thousands of cells and its ten targets hundreds of gaps, and a template loop costs about a
hundred times more per cell than this."""

from collections.abc import Callable, Mapping

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy

from core.i18n import bracketed, in_language
from core.templatetags.labels import label_and_value
from curricula.models import SUGGESTION_STRENGTHS
from curricula.paper.source_refs import source_ref_label
from curricula.permissions import MapAccess, map_access

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


@register.simple_tag
def progression_cells(cells) -> SafeString:
    """`{% progression_cells row.cells %}`: a progression row's `<td>` per term, each course's
    step in it (its level's swatch and code, the course's code) as the template wrote them: a
    page of 50 rows has a few hundred cells, each three template loops' work."""
    parts = []
    for steps in cells:
        parts.append('<td class="progression-cell">')
        for step in steps:
            level, course = step.level, step.course
            parts.append(
                f'<span class="progression-step"><span class="swatch shade-'
                f'{conditional_escape(level.shade)}" title="'
                f'{conditional_escape(level.display_name or level.name)}">'
                f'{conditional_escape(level.code)}</span><span class="code" title="'
                f'{conditional_escape(course.title)}">{conditional_escape(course.code)}</span>'
                "</span>"
            )
        parts.append("</td>")
    # Safe: every value above is escaped or markup.
    return mark_safe("".join(parts))


@register.simple_tag
def closed_gaps(gaps) -> SafeString:
    """`{% closed_gaps item.closes %}`: the `<li>` of each gap a recommended course closes (the
    ability's code and text, the target position, the level it needs), as the template wrote
    them: tens of courses, each closing tens of gaps."""
    needs = gettext("needs %(level)s")
    parts = []
    for gap in gaps:
        ability = gap["ability"]
        code = ability.get("code")
        item = f'<span class="code">{conditional_escape(code)}</span> ' if code else ""
        parts.append(
            f"<li>{item}{conditional_escape(ability.get('text', ''))} "
            f'<span class="muted small">{conditional_escape(gap["position"].get("name", ""))}'
            f" · {needs % {'level': conditional_escape(gap['min_level'])}}</span></li>"
        )
    # Safe: every value above is escaped; the rest is markup and the message catalogue's text.
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


def _access(context) -> MapAccess:
    """The reader's MapAccess: the request's (asked once for the view and every gap list) when
    the template's `user` is the request's, as the auth context processor sets it."""
    user = context.get("user")
    request = context.get("request")
    if request is not None and getattr(request, "user", None) is user:
        return map_access(request)
    return MapAccess(user)


def url_maker(viewname: str, *args) -> Callable[[int], str]:
    """For a URL whose last argument is an id that varies (a row's ability, a suggested course):
    a function of that id, which reverses the URL once and puts each id in its place, rather
    than resolve it again for each of hundreds of items. `args`: the arguments before it."""
    sentinel = 9_876_543_210_123_456_789
    before, _, after = reverse(viewname, args=[*args, sentinel]).rpartition(str(sentinel))
    return lambda pk: f"{before}{int(pk)}{after}"


_CONTRIBUTORS_NAMED = object()


@register.simple_tag(takes_context=True)
def gap_items(context, requirements, status: str) -> SafeString:
    """`{% gap_items position.missing_shown "missing" %}`: the `<li>` of each requirement of one
    of a target's gap lists (status: missing, partial or covered): its code and statement, what
    it needs and reaches, the courses building it, and for staff who may add links the courses
    suggested for it. Rendered here rather than by a template loop with two includes per item:
    ten targets' lists at ESCO scale are hundreds of items. The list's words are asked of the
    catalogue once per list, not once per item."""
    user = context.get("user")
    access = _access(context) if user is not None else None
    can_review = access is not None and access.can_review
    # As the map's editor: adding a link on an ability's row needs the change permission too.
    can_add_by_hand = can_review and access.can_add
    review_url = ""
    row_url = course_url = next_steps = None
    if status == "missing":
        needs, optional = gettext("needs %(level)s"), " · " + gettext("optional")
    elif status == "partial":
        reaches = gettext("reaches %(best)s, needs %(level)s")
    # The contributing courses as written, shared by the page's lists (the template's render,
    # in the language it is rendered in).
    named = context.render_context.setdefault((_CONTRIBUTORS_NAMED, get_language()), {})
    parts = []
    for req in requirements:
        item = f'<span class="code">{escape(req.code)}</span> ' if req.code else ""
        item += in_language(req.text, req.language)
        if status == "missing":
            note = needs % {"level": escape(req.min_level)}
            if not req.essential:
                note += optional
            item += f' <span class="muted small">{note}</span>'
        elif status == "partial":
            note = reaches % {"best": escape(req.best_level), "level": escape(req.min_level)}
            item += f' <span class="muted small">{note}</span> {_contributors(req.courses, named)}'
        else:
            item += " " + _contributors(req.courses, named)
        if status != "covered" and can_review:
            programme = context["programme"]
            if not review_url:
                review_url = reverse("suggestions:programme-review", args=[programme.pk])
            if req.suggested:
                if course_url is None:
                    course_url = url_maker("suggestions:course-review")
                item += _suggested(req.suggested, review_url, programme.pk, course_url)
            elif req.ability_id:
                if next_steps is None:
                    next_steps = _NextSteps(review_url)
                    if can_add_by_hand:
                        row_url = url_maker("curricula:programme-ability", programme.pk)
                item += next_steps.html(row_url(req.ability_id) if row_url else "")
        parts.append(f"<li>{item}</li>")
    # Safe: every value above is escaped; the rest is markup and the message catalogue's text.
    return mark_safe("".join(parts))


@register.simple_tag
def crosswalk_contributors(courses) -> str:
    """Courses reaching an ability through a crosswalk, worded as in the gap report."""
    # Safe: _contributors escapes every value.
    return mark_safe(_contributors(courses)) if courses else ""


def _contributors(courses, named: dict | None = None) -> str:
    """`named`: each course as written already, by its code, title, language and level, for
    the lists of one page (a course builds many of a target's requirements)."""
    if named is None:
        named = {}
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
            key = (course["code"], course["title"], course.get("language", ""), course["level"])
            written = named.get(key)
            if written is None:
                # The catalogue's brackets, as a suggested course's level: full-width in Chinese.
                title = in_language(course["title"], course.get("language", ""))
                name = bracketed(title, escape(course["level"]))
                written = named[key] = (
                    f'<span class="contributor"><span class="code">{escape(course["code"])}'
                    f"</span> {name}</span>"
                )
            parts.append(written)
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


class _NextSteps:
    """For a gap no course is suggested for: its row of the map, where a link is added by hand
    (`row_url` given to `html`, empty when the reader may not), and the programme's review page
    (`review_url`), where suggestions are generated for the programme's courses from a
    framework. The words are asked of the catalogue once, for every gap of a list."""

    _LINKS = "\x00links\x00"

    def __init__(self, review_url: str) -> None:
        # Not inside the f-string: xgettext reads no message there.
        self.by_hand = escape(gettext("Add a link by hand"))
        generate = gettext("Generate suggestions")
        self.generate = f'<a href="{escape(review_url)}?required=1">{escape(generate)}</a>'
        self.separator = escape(pgettext("list separator", "; "))
        label = escape(gettext("No course is suggested for it"))
        steps = label_and_value(label, mark_safe(self._LINKS), label_class="muted")
        # Links to where things are done: on screen only (on paper they say nothing).
        self.before, _, self.after = (
            f' <span class="suggested-courses gap-next-steps small screen-only">{steps}</span>'
        ).partition(self._LINKS)

    def html(self, row_url: str) -> str:
        links = []
        if row_url:
            links.append(f'<a href="{escape(row_url)}">{self.by_hand}</a>')
        links.append(self.generate)
        # The links and their separator in one span: apart, each was an item of the line's
        # flex box (.suggested-courses), and the separator stood a gap away from the link
        # before it.
        return f"{self.before}<span>{self.separator.join(links)}</span>{self.after}"


def proposed_below(proposed: str, needed: str) -> str:
    """A suggestion's proposed level and, above it, the requirement's minimum (codes, escaped):
    "proposed level I, below the required R"."""
    return gettext("proposed level %(proposed)s, below the required %(needed)s") % {
        "proposed": escape(proposed),
        "needed": escape(needed),
    }


def _suggested(
    courses, review_url: str, programme_id: int, course_url: Callable[[int], str] | None = None
) -> str:
    """`course_url`: a course's review page by its id (url_maker's), when made already."""
    if course_url is None:
        course_url = url_maker("suggestions:course-review")
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
        url = f"{course_url(course['course_id'])}?programme={programme_id}"
        below = " contributor--below" if needs else ""
        parts.append(
            f'<a class="contributor contributor--suggested{below}" href="{escape(url)}">'
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
