"""The review pages: a course's or a programme's pending suggestions, best first, decided one at
a time (one key each) or in bulk. Plain forms that work without JavaScript; htmx swaps the queue
in place and static/js/review.js adds the keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable
from core.http import site_path
from core.i18n import join_list, join_sentences
from core.jobs import job_start_refused, task_status_for
from core.login_links import redirect_to_login
from core.selectors import TASK_READY_STATES, TASK_SENT, TASK_UNKNOWN
from core.services import unique_ids
from curricula.models import Suggestion
from positions.models import Framework, Importance, Level
from positions.selectors import levels_written
from suggestions import selectors, services
from suggestions.engine.text import has_unread_letters, written_in_chinese
from suggestions.reasons import tier_codes

ADD_LINK = "curricula.add_courseability"
ADD_REQUIREMENT = "positions.add_requirement"
QUEUE_PAGE = 50
# How often (seconds) a review page asks how its generation job is getting on.
JOB_POLL_SECONDS = 2
# A polled answer with this status tells htmx to stop polling (and still swap it in).
HTMX_STOP_POLLING = 286


def _positive_int(value: str | None) -> int | None:
    if value and value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


def _from_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _htmx_page(request: HttpRequest) -> str:
    """The page (path and query) an htmx request was sent from, when it is this site's."""
    return site_path(request, request.headers.get("HX-Current-URL")) or reverse("home")


def _review_page(request: HttpRequest) -> str:
    """The review page a form was posted from (its `scope`, framework and filter), to come back
    to after logging in: the decide and generate addresses take only POSTs."""
    if request.resolver_match and request.resolver_match.url_name == "catalogue-generate":
        return _catalogue_scope(request.POST).back_url
    kind, _sep, raw_pk = request.POST.get("scope", "").partition(":")
    pk = _positive_int(raw_pk)
    if kind not in ("course", "programme", "position") or pk is None:
        return reverse("home")
    query = {}
    framework = _positive_int(request.POST.get("framework"))
    if framework:
        query["framework"] = framework
    if request.POST.get("required") in ("0", "1"):
        query["required"] = request.POST["required"]
    programme = _positive_int(request.POST.get("programme"))
    if kind == "course" and programme:
        query["programme"] = programme
    url = reverse(f"suggestions:{kind}-review", args=[pk])
    return f"{url}?{urlencode(query)}" if query else url


def _check_reviewer(request: HttpRequest, kind: str):
    """None when the user may review this kind of suggestion (accepting a position's adds a
    requirement, a course's a link), else the answer that says why not."""
    user = request.user
    if not user.is_authenticated:
        if _from_htmx(request):
            # A redirect would be followed by the browser, and htmx would swap the login page
            # into the queue: send the whole page there, to come back to the review.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = redirect_to_login(_htmx_page(request))["Location"]
            return response
        page = _review_page(request) if request.method == "POST" else request.get_full_path()
        return redirect_to_login(page)
    needed = ADD_REQUIREMENT if kind == "position" else ADD_LINK
    if not (user.is_active and user.is_staff and user.has_perm(needed)):
        if kind == "position":
            why = _(
                "Reviewing a position's suggestions needs a staff account allowed to add "
                "requirements (the “Can add requirement” permission). Ask an administrator for it."
            )
        else:
            why = _(
                "Reviewing suggestions needs a staff account allowed to add course-ability links "
                "(the “Can add course-ability link” permission). Ask an administrator for it."
            )
        if _from_htmx(request):
            return HttpResponseForbidden(why, content_type="text/plain; charset=utf-8")
        raise PermissionDenied(why)
    return None


@dataclass
class Scope:
    """What a review page shows: one course, a programme's courses, or one position."""

    kind: str  # "course", "programme" or "position"
    obj: object
    course_ids: list[int]
    framework: Framework | None  # None: every framework
    # A programme's: only the suggestions its targets' requirements need ("required" view),
    # else all of them.
    required_only: bool = False
    # The `framework` asked for when it names no framework (then `framework` is None).
    unknown_framework: str = ""
    position_ids: list[int] = field(default_factory=list)
    # A programme's: what its target positions require (selectors.programme_needs); a course's,
    # those of `programme` when it came from one (its gap report's chips).
    needs: selectors.ProgrammeNeeds | None = None
    # A course's: the programme of the course it was opened from, whose requirements each row
    # says it serves (the `programme` parameter; None when it names no programme of the course).
    programme: object | None = None

    @property
    def framework_id(self) -> int | None:
        return self.framework.pk if self.framework else None

    @property
    def name(self) -> str:
        """The course, programme or position reviewed, named in the reader's language."""
        if self.kind == "course":
            return f"{self.obj.code} {self.obj.display_title}"
        return self.obj.display_name

    @property
    def required_default(self) -> bool:
        """A programme's review opens on the required view when its targets require anything."""
        return bool(self.needs and self.needs.has_requirements)

    @property
    def url(self) -> str:
        return self.view_url(required=self.required_only)

    def view_url(self, *, required: bool) -> str:
        """This review in the required view or the view of all (a programme's), the framework
        kept; `required` named only when it is not the programme's default."""
        name = f"suggestions:{self.kind}-review"
        query = {}
        if self.framework_id:
            query["framework"] = self.framework_id
        if self.kind == "programme" and required != self.required_default:
            query["required"] = "1" if required else "0"
        if self.programme is not None:
            query["programme"] = self.programme.pk
        url = reverse(name, args=[self.obj.pk])
        return f"{url}?{urlencode(query)}" if query else url

    def job_url(self, task_id: str) -> str:
        """This review following the generation job `task_id`."""
        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode({'job': task_id})}"

    @property
    def required(self) -> selectors.ProgrammeNeeds | None:
        """The needs the queue is narrowed to, in the required view."""
        return self.needs if self.required_only else None

    def queue(self):
        if self.kind == "position":
            return selectors.position_review_queue(
                position_id=self.obj.pk, framework_id=self.framework_id
            )
        return selectors.course_review_queue(
            course_ids=self.course_ids,
            framework_id=self.framework_id,
            required=self.required,
        )

    def counts(self) -> dict[str, int]:
        if self.kind == "position":
            return selectors.position_suggestion_counts(
                position_id=self.obj.pk, framework_id=self.framework_id
            )
        return selectors.suggestion_counts(
            course_ids=self.course_ids,
            framework_id=self.framework_id,
            required=self.required,
        )

    def suggestions(self):
        """The suggestions this review may decide (whatever their state)."""
        if self.kind == "position":
            return Suggestion.objects.filter(position_id__in=self.position_ids)
        return Suggestion.objects.for_courses(self.course_ids)


def _framework(raw: str | None) -> tuple[Framework | None, str]:
    """The framework a `framework` parameter names (None when blank: every framework), and
    the value itself when it names none."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    pk = _positive_int(raw)
    framework = selectors.framework_get(pk=pk) if pk else None
    return (framework, "") if framework else (None, raw[:40])


def _scope(kind: str, pk: int, params) -> Scope:
    framework, unknown_framework = _framework(params.get("framework"))
    if kind == "course":
        course = selectors.course_get(pk=pk)
        if course is None:
            raise Http404
        programme = _course_programme(course.pk, params.get("programme"))
        return Scope(
            "course",
            course,
            [course.pk],
            framework,
            unknown_framework=unknown_framework,
            programme=programme,
            needs=selectors.programme_needs(programme=programme) if programme else None,
        )
    if kind == "position":
        position = selectors.position_get(pk=pk)
        if position is None:
            raise Http404
        return Scope(
            "position",
            position,
            [],
            framework,
            unknown_framework=unknown_framework,
            position_ids=[position.pk],
        )
    if kind != "programme":
        raise Http404
    programme = selectors.programme_get(pk=pk)
    if programme is None:
        raise Http404
    needs = selectors.programme_needs(programme=programme)
    # Asked for (`required` 1 or 0, as the page's links and forms send it), else the default:
    # the required view when the targets require anything.
    chosen = params.get("required")
    return Scope(
        "programme",
        programme,
        selectors.programme_course_ids(programme=programme),
        framework,
        required_only=chosen == "1" if chosen in ("0", "1") else needs.has_requirements,
        unknown_framework=unknown_framework,
        needs=needs,
    )


def _course_programme(course_id: int, raw: str | None):
    """The programme a course's review was opened from (`programme`, as a gap chip passes it),
    when it names one the course is in; else None: ignored, as a link from elsewhere would be."""
    pk = _positive_int(raw)
    programme = selectors.programme_get(pk=pk) if pk else None
    if programme is None or course_id not in selectors.programme_course_ids(programme=programme):
        return None
    return programme


def _with_row_details(scope: Scope, rows: list[Suggestion]) -> None:
    """What each listed row shows beyond the suggestion: its proposed importance, its course's
    training stage, and (a programme's, or a course's opened from one) the targets whose
    requirement it serves."""
    selectors.with_importance_proposals(rows)
    selectors.with_stage_names(rows)
    if scope.needs is not None:
        for row in rows:
            row.target_needs = scope.needs.needs_of(row.ability_id)
            # A gap needing more than the proposed level: the row says so, and its menu offers
            # the level that closes the gap (accepted at the proposed level, it stays partial).
            row.gap_needs_more = selectors.needs_above(row.target_needs, row.proposed_level)


# The review's own one-letter keys (static/js/review.js), and a position's review's two more.
_REVIEW_KEYS = frozenset("jkaxsb ")
_POSITION_KEYS = frozenset("eo")


def _level_keys(levels: list[Level], *, kind: str) -> dict[str, str]:
    """The key choosing each level, by level code: its code's letter (or digit) in lower case
    where the review's keys leave it free, so a site's own scale (a fourth level, codes 1 to 4)
    is chosen as I, R and M are. A code longer than one character, or whose key is taken, has
    none: its level is chosen in the row's menu."""
    taken = set(_REVIEW_KEYS | (_POSITION_KEYS if kind == "position" else frozenset()))
    keys: dict[str, str] = {}
    for level in levels:
        key = level.code.lower()
        if len(key) == 1 and key not in taken:
            taken.add(key)
            keys[key] = level.code
    return keys


def _rows_context(scope: Scope, *, listed: int, pending_total: int) -> dict:
    """What rows, the header's counts and the "best N of M" sentence need, beside the rows."""
    levels = list(Level.objects.order_by("rank"))
    # What a suggestion proposing no level is accepted at (a position's requirement).
    default_level = selectors.default_requirement_level(levels=levels)
    view_counts = None
    if scope.kind == "programme" and scope.needs is not None:
        view_counts = selectors.required_view_counts(
            course_ids=scope.course_ids, framework_id=scope.framework_id, needs=scope.needs
        )
    return {
        "view_counts": view_counts,
        "views": {
            "required": {"url": scope.view_url(required=True)},
            "all": {"url": scope.view_url(required=False)},
        },
        "scope": scope,
        "pending_total": pending_total,
        "queue_shown": listed,
        "levels": levels,
        # The level each tier of a stored reason stands for, read from the scale above.
        "tier_codes": tier_codes(levels),
        "level_keys": (level_keys := _level_keys(levels, kind=scope.kind)),
        "level_keys_shown": format_html_join(" ", "<kbd>{}</kbd>", ((key,) for key in level_keys)),
        "level_keys_levels": join_list(level_keys.values()),
        "counts": scope.counts(),
        "default_level": getattr(default_level, "code", ""),
        "importances": Importance.choices,
        "default_importance": Importance.ESSENTIAL,
    }


def _context(scope: Scope) -> dict:
    queue = scope.queue()
    rows = list(queue[:QUEUE_PAGE])
    _with_row_details(scope, rows)
    frameworks = list(selectors.frameworks_for_choice_with_trees())
    return {
        **_rows_context(
            scope,
            listed=len(rows),
            pending_total=queue.count() if len(rows) == QUEUE_PAGE else len(rows),
        ),
        "rows": rows,
        "frameworks": frameworks,
        # Groupings are listed after the specific abilities only where a framework is a tree.
        "has_groupings": any(f.is_tree for f in frameworks if scope.framework_id in (None, f.pk)),
        # The page offers to generate suggestions (the empty queue points to its button) only
        # when there are subjects to suggest for and a framework to suggest from.
        "can_generate": bool(frameworks) and (scope.kind != "programme" or bool(scope.course_ids)),
    }


def _job_id(raw: str | None) -> str | None:
    try:
        return str(uuid.UUID(raw or ""))
    except ValueError:
        return None


def _another_page_s_job(request: HttpRequest) -> HttpResponse | None:
    """The answer to a page opened with another page's job: its outcome would be told as this
    page's. A poll for it stops with nothing to swap; the page itself (None) ignores it, as it
    ignores a `job` that names none."""
    if _from_htmx(request):
        return _answered(HttpResponse(status=HTMX_STOP_POLLING), {})
    return None


def _review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    denied = _check_reviewer(request, kind)
    if denied:
        return denied
    scope = _scope(kind, pk, request.GET)
    job_id = _job_id(request.GET.get("job"))
    if job_id and not services.suggestions_generation_job_of(
        task_id=job_id,
        course_ids=scope.course_ids,
        position_ids=scope.position_ids,
        framework=scope.framework,
    ):
        # Another page's job (an address edited, or copied from another programme's or
        # course's review).
        stopped = _another_page_s_job(request)
        if stopped:
            return stopped
        job_id = None
    if _from_htmx(request) and "job" in request.GET:
        # The page asking how its generation job is getting on.
        if job_id is None:
            return HttpResponseBadRequest(_("Which job is this?"))
        return _job_answer(request, scope, job_id)
    if scope.unknown_framework:
        messages.error(
            request,
            _("No framework “%(value)s”: showing every framework.")
            % {"value": scope.unknown_framework},
        )
    context = _context(scope)
    if job_id:
        context.update(_job_context(request, scope, job_id))
    return _answered(render(request, "suggestions/review.html", context), context)


def _answered(response: HttpResponse, context: dict) -> HttpResponse:
    """A page following a job whose state cannot be read (the result store out of reach)
    answers 503 with Retry-After, as GET /api/v1/tasks/{id}/ does, its panel saying so and still
    polled; never kept by a cache."""
    patch_vary_headers(response, ["HX-Request"])
    job = context.get("job")
    if job is not None and job.unreachable:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True)
        # task_status logged why, as one warning: Django's request log would add an ERROR line
        # (mailed to the admins) for every poll while Redis is down.
        response._has_been_logged = True
    return response


def _job_answer(request: HttpRequest, scope: Scope, job_id: str) -> HttpResponse:
    """The job's progress for the page's panel; once the job is over, its outcome with the
    queue, the status line and the header's counts as they now are, and a status that stops
    the polling."""
    context = _job_context(request, scope, job_id)
    over = context["job"].over
    if over:
        context.update(_context(scope))
    context["oob"] = True
    response = render(
        request, "suggestions/_job_answer.html", context, status=HTMX_STOP_POLLING if over else 200
    )
    return _answered(response, context)


@dataclass
class Job:
    """A generation job as its review page shows it."""

    id: str
    state: str
    url: str  # the review page following it
    done: int | None = None
    total: int | None = None
    message: str = ""
    failed: bool = False
    # With suggestions_generate's result: the subjects skipped for want of text.
    skipped_courses: list = field(default_factory=list)
    skipped_positions: list = field(default_factory=list)
    skipped_more: int = 0
    # The courses with text that matched no ability: those written in a script the engine does
    # not read (Korean, Japanese kana) apart, as what would help them differs.
    # Courses no ability matched: written in Chinese, and the others (English ones the
    # framework's abilities do not describe).
    unmatched_courses: list = field(default_factory=list)
    unmatched_other_courses: list = field(default_factory=list)
    unread_courses: list = field(default_factory=list)
    unmatched_more: int = 0
    # Its state could not be read: the result store (Redis) is out of reach.
    unreachable: bool = False

    @property
    def over(self) -> bool:
        return self.state in TASK_READY_STATES or self.state == TASK_UNKNOWN

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def _job_context(request: HttpRequest, scope: Scope, job_id: str) -> dict:
    try:
        # A job this user may not read is shown as one nobody started, as the API answers it.
        status = task_status_for(task_id=job_id, user=request.user)
    except QueueUnavailable:
        # Not over: the page keeps asking, and says why it cannot tell (see _answered).
        job = Job(id=job_id, state=TASK_SENT, url=scope.job_url(job_id), unreachable=True)
        job.message = _("The task queue is unreachable. Try again later.")
        return _job_extras(request, job)
    job = Job(id=job_id, state=status["state"], url=scope.job_url(job_id))
    progress = status["progress"]
    positions = scope.kind == "position"
    result = status["result"]
    if status["state"] == "SUCCESS" and isinstance(result, dict) and "created" in result:
        _job_outcome(job, result, positions=positions)
    elif status["state"] in TASK_READY_STATES:
        # A refusal (its framework deleted meanwhile) fails the task; a job of the version
        # before reported it as a result holding an error (results are kept a day).
        error = status["error"] or (isinstance(result, dict) and result.get("error"))
        job.failed = True
        job.message = _(
            "Generating suggestions failed (%(error)s). Generate them again; if it fails again, "
            "tell an administrator."
        ) % {"error": error or _("the job was cancelled")}
    elif progress:
        job.done, job.total = progress["done"], progress["total"]
        job.message = (
            ngettext(
                "Generating suggestions: %(done)d of %(total)d position done.",
                "Generating suggestions: %(done)d of %(total)d positions done.",
                job.total,
            )
            if positions
            else ngettext(
                "Generating suggestions: %(done)d of %(total)d course done.",
                "Generating suggestions: %(done)d of %(total)d courses done.",
                job.total,
            )
        ) % {"done": job.done, "total": job.total}
    elif status["state"] == TASK_UNKNOWN:
        job.message = _(
            "This generation job is not known: it was never started, or it ended more than a "
            "day ago. Generate suggestions again to see new ones."
        )
    elif status["state"] == TASK_SENT:
        job.message = _("Generating suggestions: waiting for a worker to start the job.")
    elif status["state"] == "RETRY":
        job.message = _("Generating suggestions: the job hit an error and will try again.")
    else:
        job.message = _("Generating suggestions: started.")
    return _job_extras(request, job)


def _job_extras(request: HttpRequest, job: Job) -> dict:
    user = request.user
    return {
        "job": job,
        "job_poll_seconds": JOB_POLL_SECONDS,
        "may_edit_courses": user.has_perm("curricula.change_course"),
        "may_edit_positions": user.has_perm("positions.change_position"),
    }


def _job_outcome(job: Job, result: dict, *, positions: bool) -> None:
    """What a finished job says: how many suggestions it stored, for how many subjects, and
    which subjects it skipped for want of text."""
    generated = int(result.get("created", 0)) + int(result.get("updated", 0))
    subjects = int(result.get("positions" if positions else "courses", 0))
    if not positions:
        # The courses that got suggestions: not those skipped or unmatched, told apart below.
        subjects = max(
            0,
            subjects
            - int(result.get("without_text_count", 0))
            - int(result.get("courses_unmatched_count", 0)),
        )
    if positions:
        generated_for = ngettext(
            "Generated %(n)d suggestion for %(subjects)s.",
            "Generated %(n)d suggestions for %(subjects)s.",
            generated,
        ) % {
            "n": generated,
            "subjects": ngettext("%(count)d position", "%(count)d positions", subjects)
            % {"count": subjects},
        }
    else:
        generated_for = ngettext(
            "Generated %(n)d suggestion for %(subjects)s.",
            "Generated %(n)d suggestions for %(subjects)s.",
            generated,
        ) % {
            "n": generated,
            "subjects": ngettext("%(count)d course", "%(count)d courses", subjects)
            % {"count": subjects},
        }
    parts = [generated_for]
    if result.get("updated"):
        parts.append(
            ngettext(
                "%(n)d of them was already pending and keeps its place.",
                "%(n)d of them were already pending and keep their place.",
                result["updated"],
            )
            % {"n": result["updated"]}
        )
    if result.get("removed"):
        parts.append(
            ngettext(
                "%(n)d pending suggestion no longer proposed was removed.",
                "%(n)d pending suggestions no longer proposed were removed.",
                result["removed"],
            )
            % {"n": result["removed"]}
        )
    job.skipped_courses = selectors.courses_in_order(
        ids=[pk for pk in result.get("courses_without_text", []) if isinstance(pk, int)]
    )
    job.skipped_positions = selectors.positions_in_order(
        ids=[pk for pk in result.get("positions_without_text", []) if isinstance(pk, int)]
    )
    skipped = int(result.get("without_text_count", 0))
    job.skipped_more = max(0, skipped - len(job.skipped_courses) - len(job.skipped_positions))
    if skipped:
        if positions:
            why = ngettext(
                "%(n)d position has no description: only its name was matched (see below).",
                "%(n)d positions have no description: only their names were matched (see below).",
                skipped,
            )
        else:
            why = ngettext(
                "%(n)d course was skipped: it has no description or outcomes (see below).",
                "%(n)d courses were skipped: they have no description or outcomes (see below).",
                skipped,
            )
        parts.append(why % {"n": skipped})
    shown = selectors.courses_in_order(
        ids=[pk for pk in result.get("courses_unmatched", []) if isinstance(pk, int)], text=True
    )
    for course in shown:
        texts = (course.title, course.description, course.outcomes)
        if any(map(has_unread_letters, texts)):
            job.unread_courses.append(course)
        elif written_in_chinese(*texts) and not result.get("abilities_read_chinese", False):
            # Against abilities with Chinese words it is as any other course: their subject
            # differs (a job stored before the key was told the Chinese hint, as then).
            job.unmatched_courses.append(course)
        else:
            job.unmatched_other_courses.append(course)
    unmatched = int(result.get("courses_unmatched_count", 0))
    job.unmatched_more = max(0, unmatched - len(shown))
    if unmatched:
        parts.append(
            ngettext(
                "%(n)d course got no suggestion: its text meets no ability (see below).",
                "%(n)d courses got no suggestion: their text meets no ability (see below).",
                unmatched,
            )
            % {"n": unmatched}
        )
    job.message = join_sentences(parts)


@require_safe
def course_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, "course", pk)


@require_safe
def programme_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, "programme", pk)


@require_safe
def position_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, "position", pk)


def _chosen(
    request: HttpRequest, scope: Scope
) -> tuple[
    str, list[Suggestion], Level | None, str | None, dict[int, Level | None], dict[int, str]
]:
    """The decision the form asks for: (action, suggestions, level, importance, row levels,
    row importances). `level`: the one a bulk accept chose for every selected suggestion, else
    None; row levels (by id): each one's as its row shows it (see _row_levels). Importance is a
    position's (what its accepted requirements become): the one the form chose for all, else
    None and each one's as its row shows it (_row_importances), else its proposed importance."""
    levels = list(Level.objects.all())
    single = request.POST.get("single", "")
    if single:
        action, _sep, raw_id = single.partition(":")
        pk = _positive_int(raw_id)
        if action not in ("accept", "reject", "skip") or pk is None:
            raise ValidationError(_("Unknown decision."))
        ids = [pk]
        level_code = ""
        importance = request.POST.get(f"importance-{pk}", "")
    elif "bulk" in request.POST:
        action = "accept"
        ids = unique_ids(pk for pk in map(_positive_int, request.POST.getlist("selected")) if pk)
        if not ids:
            raise ValidationError(_("Select the suggestions to accept first."))
        if len(ids) > QUEUE_PAGE:
            # A page lists at most QUEUE_PAGE rows: more is a form made by hand, thousands of
            # links and notes written in one transaction, every one locked meanwhile.
            raise ValidationError(
                _("Select at most %(count)s suggestions to accept at once.") % {"count": QUEUE_PAGE}
            )
        level_code = request.POST.get("bulk_level", "")
        importance = request.POST.get("bulk_importance", "")
    else:
        raise ValidationError(_("Unknown decision."))
    level = _level_named(level_code, levels)
    # Blank: each suggestion's proposed importance (suggestions.services.suggestion_accept).
    importance = importance or None
    if importance is not None and importance not in Importance.values:
        raise ValidationError(_("Choose essential or optional."))
    found = {
        s.pk: s for s in scope.suggestions().filter(pk__in=ids).select_related("proposed_level")
    }
    missing = [pk for pk in ids if pk not in found]
    if missing and not Suggestion.objects.filter(pk__in=missing).exists():
        # Deleted with its course or ability, or by a generation that no longer proposes it:
        # its id would tell the reviewer nothing. A bulk accept says the others wait too.
        raise ValidationError(
            ([_("Nothing was accepted.")] if "bulk" in request.POST else [])
            + [
                ngettext(
                    "This suggestion no longer exists: its course or its ability was deleted, or "
                    "suggestions were generated again without it.",
                    "These suggestions no longer exist: their courses or abilities were deleted, "
                    "or suggestions were generated again without them.",
                    len(missing),
                )
            ]
        )
    if missing:
        raise ValidationError(
            _("These suggestions are not in this review: %(ids)s")
            % {"ids": join_list(map(str, missing))}
        )
    chosen = [found[pk] for pk in ids]
    row_levels = {} if level or action != "accept" else _row_levels(request, scope, chosen, levels)
    row_importances = (
        _row_importances(request, chosen)
        if action == "accept" and importance is None and scope.kind == "position"
        else {}
    )
    return action, chosen, level, importance, row_levels, row_importances


def _row_importances(request: HttpRequest, chosen: list[Suggestion]) -> dict[int, str]:
    """Each accepted position suggestion's importance as its row shows it: its menu
    (`importance-{pk}`, posted for every row); a row not posted is left out (its proposal)."""
    shown = {}
    for suggestion in chosen:
        posted = request.POST.get(f"importance-{suggestion.pk}", "")
        if posted:
            if posted not in Importance.values:
                raise ValidationError(_("Choose essential or optional."))
            shown[suggestion.pk] = posted
    return shown


def _level_named(code: str, levels: list[Level]) -> Level | None:
    """The level a form's field names (None when blank): by code or name, in either language,
    as the imports and the API read a level."""
    named = levels_written(code, levels) if code and len(code) <= 200 else []
    if code and len(named) != 1:
        raise ValidationError(_("Unknown level “%(code)s”.") % {"code": code[:40]})
    return named[0] if named else None


def _row_levels(
    request: HttpRequest, scope: Scope, chosen: list[Suggestion], levels: list[Level]
) -> dict[int, Level | None]:
    """Each accepted suggestion's level as its row shows it: its menu (`level-{pk}`, which the
    form posts for every row, a bulk accept's too); a row not posted, what its menu starts at
    (_with_row_details): the level its gap needs where it is proposed below it, else None (its
    proposed level)."""
    by_code = {level.code: level for level in levels}
    shown = {}
    for suggestion in chosen:
        posted = request.POST.get(f"level-{suggestion.pk}", "")
        if posted:
            shown[suggestion.pk] = _level_named(posted, levels)
        elif scope.needs is not None:
            short = selectors.needs_above(
                scope.needs.needs_of(suggestion.ability_id), suggestion.proposed_level
            )
            shown[suggestion.pk] = by_code.get(short.min_level) if short else None
    return shown


@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Accept (at a level), reject or skip one suggestion, or accept the selected in bulk.
    Answers the re-rendered queue to htmx, else redirects back to the review page."""
    kind, _sep, raw_pk = request.POST.get("scope", "").partition(":")
    denied = _check_reviewer(request, kind)
    if denied:
        return denied
    pk = _positive_int(raw_pk)
    if pk is None:
        return HttpResponseBadRequest(_("Which review is this?"))
    try:
        scope = _scope(kind, pk, request.POST)
    except Http404:
        if kind not in _GONE:
            raise
        return _gone_answer(
            request, kind, join_sentences([str(_GONE[kind]), _("Nothing was decided.")])
        )
    try:
        action, chosen, level, importance, row_levels, row_importances = _chosen(request, scope)
        if action == "accept":
            services.suggestions_accept_many(
                suggestions=chosen,
                user=request.user,
                level=level,
                importance=importance,
                levels=row_levels,
                importances=row_importances,
            )
            if scope.kind == "position":
                note = ngettext(
                    "Accepted %(n)d suggestion: the requirement is saved and coverage is being "
                    "updated.",
                    "Accepted %(n)d suggestions: the requirements are saved and coverage is being "
                    "updated.",
                    len(chosen),
                ) % {"n": len(chosen)}
            else:
                note = ngettext(
                    "Accepted %(n)d suggestion: the link is saved and coverage is being updated.",
                    "Accepted %(n)d suggestions: the links are saved and coverage is being "
                    "updated.",
                    len(chosen),
                ) % {"n": len(chosen)}
        elif action == "reject":
            services.suggestion_reject(suggestion=chosen[0], user=request.user)
            note = _("Rejected: it will not be suggested again.")
        else:
            services.suggestion_skip(suggestion=chosen[0])
            note = _("Skipped: moved to the end of the queue.")
    except ValidationError as error:
        refusal = join_sentences(error.messages)
        if _from_htmx(request):
            # The queue as it now is (a suggestion decided in another tab leaves it), saying
            # why, with what was selected still selected.
            return _queue_answer(request, scope, status_error=refusal, status=422)
        messages.error(request, refusal)
        return _back(request, scope)
    if _from_htmx(request):
        return _decision_answer(request, scope, status_note=note)
    messages.success(request, note)
    return _back(request, scope)


# What a review's course, position or programme deleted meanwhile leaves to say, and the page
# listing the others of its kind that a reviewer is sent to instead of its review page, then a
# 404. A course's: the catalogue's courses to review.
_GONE = {
    "course": gettext_lazy(
        "The course under review has been deleted meanwhile, with its suggestions."
    ),
    "position": gettext_lazy(
        "The position under review has been deleted meanwhile, with its suggestions."
    ),
    "programme": gettext_lazy("The programme under review has been deleted meanwhile."),
}
_GONE_URL = {
    "course": "suggestions:catalogue",
    "position": "positions:list",
    "programme": "curricula:programme-list",
}


def _gone_answer(request: HttpRequest, kind: str, message: str) -> HttpResponse:
    """To the page listing the others of its kind, saying why: htmx is told to go there."""
    messages.warning(request, message)
    url = reverse(_GONE_URL[kind])
    if _from_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _back(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Back to the review page after a decision (without JavaScript), unless its course,
    position or programme was deleted meanwhile (the decision went through with it or failed
    for it): its page would be a 404 (_gone_answer)."""
    if type(scope.obj)._base_manager.filter(pk=scope.obj.pk).exists():
        return redirect(scope.url)
    return _gone_answer(request, scope.kind, str(_GONE[scope.kind]))


def _shown_ids(request: HttpRequest) -> list[int]:
    """The rows the page lists, in its order: the form posts each listed row's level select
    (`level-{pk}`). Empty when it posts none, or what it posts is no page's list."""
    ids = []
    for name in request.POST:
        if name.startswith("level-"):
            pk = _positive_int(name.removeprefix("level-"))
            if pk is None:
                return []
            ids.append(pk)
    return ids if len(ids) <= QUEUE_PAGE and len(set(ids)) == len(ids) else []


def _decision_answer(request: HttpRequest, scope: Scope, **note) -> HttpResponse:
    """What a decision changed, for htmx to apply to the page's list (swapping nothing in place
    of the queue): the rows that left the queue's first QUEUE_PAGE removed, the ones that joined
    it appended, and the counts. A row listed out of the queue's order (a skipped one, whose
    place is now the end; rows a page opened earlier lacks) is removed and sent again in its
    place, with the queue's rows after it. The whole queue is answered when the page says
    nothing of its rows, or none is left to list (the empty queue's message is the form's)."""
    shown = _shown_ids(request)
    queue = scope.queue()
    top = list(queue.values_list("pk", flat=True)[:QUEUE_PAGE])
    if not shown or not top:
        return _queue_answer(request, scope, **note)
    # The longest start of the queue the page lists in its order, whatever else it lists
    # between (a decided row, a skipped one that moved to the end): those rows stay.
    agree = 0
    for pk in shown:
        if agree < len(top) and pk == top[agree]:
            agree += 1
    staying = set(top[:agree])
    joining = top[agree:]
    found = {row.pk: row for row in queue.filter(pk__in=joining)} if joining else {}
    rows = [found[pk] for pk in joining if pk in found]
    _with_row_details(scope, rows)
    context = _rows_context(
        scope,
        listed=len(top),
        pending_total=queue.count() if len(top) == QUEUE_PAGE else len(top),
    )
    context.update(
        note,
        rows=rows,
        removed=[pk for pk in shown if pk not in staying],
        selected={pk for pk in map(_positive_int, request.POST.getlist("selected")) if pk},
    )
    response = render(request, "suggestions/_decision.html", context)
    response["HX-Reswap"] = "none"
    return response


def _queue_answer(request: HttpRequest, scope: Scope, *, status: int = 200, **note) -> HttpResponse:
    """The queue re-rendered for htmx, with the status line and the header's counts."""
    context = _context(scope)
    context.update(note, oob=True)
    context["selected"] = {pk for pk in map(_positive_int, request.POST.getlist("selected")) if pk}
    return render(request, "suggestions/_queue.html", context, status=status)


@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    """Start a generation job for the page's course, programme or position, then go back to the
    page, which follows the job."""
    kind, _sep, raw_pk = request.POST.get("scope", "").partition(":")
    denied = _check_reviewer(request, kind)
    if denied:
        return denied
    pk = _positive_int(raw_pk)
    if pk is None:
        return HttpResponseBadRequest(_("Which review is this?"))
    scope = _scope(kind, pk, request.POST)
    if scope.unknown_framework:
        # Not "every framework": that run would also be recorded, and repeated by every
        # background refresh of these courses.
        messages.error(
            request,
            _("No framework “%(value)s”: nothing was generated.")
            % {"value": scope.unknown_framework},
        )
        return redirect(scope.url)
    if not scope.course_ids and not scope.position_ids:
        messages.error(
            request,
            _("This programme has no courses yet: there is nothing to generate suggestions for."),
        )
        return redirect(scope.url)
    if not selectors.frameworks_for_choice().exists():
        messages.error(
            request, _("There is no competency framework yet: there are no abilities to suggest.")
        )
        return redirect(scope.url)
    refused = job_start_refused(request, back=scope.url)
    if refused:
        return refused
    try:
        task_id = services.suggestions_request_generate(
            course_ids=scope.course_ids,
            position_ids=scope.position_ids,
            framework=scope.framework,
            started_by=request.user,
        )
    except services.SuggestionQueueUnavailable:
        messages.error(request, _("The task queue is unreachable. Try again later."))
        return redirect(scope.url)
    # The page follows the job (at once done when tasks run inline).
    return redirect(scope.job_url(task_id))


# --- The catalogue's courses ---------------------------------------------------------------------


@dataclass
class CatalogueScope:
    """Every course of the catalogue, as the decide page's "Needing a new course" generates for
    (what `manage.py suggest --all-courses` does); `programme`, the page it came from."""

    programme: object | None
    kind: str = "catalogue"

    @property
    def url(self) -> str:
        url = reverse("suggestions:catalogue")
        return f"{url}?{urlencode({'programme': self.programme.pk})}" if self.programme else url

    def job_url(self, task_id: str) -> str:
        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode({'job': task_id})}"

    @property
    def back_url(self) -> str:
        """Where generating was asked for: the programme's decide page, or the site's home."""
        if self.programme:
            return reverse("curricula:programme-decide", args=[self.programme.pk])
        return reverse("home")


def _catalogue_scope(params) -> CatalogueScope:
    pk = _positive_int(params.get("programme"))
    return CatalogueScope(programme=selectors.programme_get(pk=pk) if pk else None)


@require_safe
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """Generating suggestions for every course of the catalogue: the button, then the job's
    progress and outcome (polled by htmx as a review page's; "Check again" without it)."""
    denied = _check_reviewer(request, "catalogue")
    if denied:
        return denied
    scope = _catalogue_scope(request.GET)
    job_id = _job_id(request.GET.get("job"))
    if job_id and not services.suggestions_catalogue_job_of(task_id=job_id):
        # A review page's job (an address edited or copied).
        stopped = _another_page_s_job(request)
        if stopped:
            return stopped
        job_id = None
    context = {"scope": scope, "course_count": selectors.catalogue_course_count()}
    context["has_framework"] = selectors.frameworks_for_choice().exists()
    if job_id:
        context.update(_job_context(request, scope, job_id))
    over = "job" not in context or context["job"].over
    if over:
        # Where each course's suggestions are reviewed: no other page lists the catalogue.
        context["review_courses"], context["review_course_count"] = (
            selectors.catalogue_courses_to_review()
        )
    if _from_htmx(request) and "job" in request.GET:
        if job_id is None:
            return HttpResponseBadRequest(_("Which job is this?"))
        context["oob"] = True
        response = render(
            request,
            "suggestions/_catalogue_job_answer.html",
            context,
            status=HTMX_STOP_POLLING if over else 200,
        )
    else:
        response = render(request, "suggestions/catalogue.html", context)
    return _answered(response, context)


@require_POST
def catalogue_generate(request: HttpRequest) -> HttpResponse:
    """Start a generation job for every course of the catalogue (as `manage.py suggest
    --all-courses`), then follow it on the catalogue page."""
    denied = _check_reviewer(request, "catalogue")
    if denied:
        return denied
    scope = _catalogue_scope(request.POST)
    course_ids = selectors.catalogue_course_ids()
    if not course_ids:
        messages.error(
            request, _("The catalogue has no courses yet: there is nothing to generate.")
        )
        return redirect(scope.back_url)
    if not selectors.frameworks_for_choice().exists():
        messages.error(
            request, _("There is no competency framework yet: there are no abilities to suggest.")
        )
        return redirect(scope.back_url)
    refused = job_start_refused(request, back=scope.back_url)
    if refused:
        return refused
    try:
        task_id = services.suggestions_request_generate(
            course_ids=course_ids, started_by=request.user, for_catalogue=True
        )
    except services.SuggestionQueueUnavailable:
        messages.error(request, _("The task queue is unreachable. Try again later."))
        return redirect(scope.back_url)
    return redirect(scope.job_url(task_id))
