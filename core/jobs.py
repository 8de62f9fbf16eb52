"""Starting a background task from a door a user knocks at: one task per job asked for, and
a record of who started it.

Coalescing: a request for the same operation on the same scope while an equivalent task still
waits or runs is answered with that task, not a second one. The claim is a cache key (the
shared Redis cache in production, CACHE_URL; the process's own in the embedded default, where
tasks run inline and are over before the answer) holding the task's id, taken atomically
(`cache.add`), released by the task's end (`task_claim_release`, on Celery's task_postrun) and
in any case read against the task's state: a claim whose task has ended, failed or been lost is
taken over, by one request only: of two reading it ended at the same instant, the one that adds
the claim's takeover key first starts the task, the other joins it. Without a cache (Redis down)
each request starts its task, as before.

Rate: a page's form or the admin about to start a job asks `job_start_refused` first, which
counts it against the API's job rate (API_JOB_THROTTLE_RATE), one count per user for every door.

Starters: who started a task and which permissions its operation needs, kept as long as its
result (`task_readable_by`): every door that reads a task by its id (GET /api/v1/tasks/{id}/,
the pages following a job with `?job=`) reads it through `task_status_for`.

Asked again: a job is checked at its door, then may wait minutes for a worker; meanwhile its
starter may be deactivated or lose a permission it needs. A task that writes, started by a
user, asks `starter_refusal` when it begins to run (through `task_starter_check`, or with its
own record, an import job's) and writes nothing if its starter may no longer do what it does.
A task no user started (the system's, a command's) is not asked about, nor one that rebuilds
only derived data (a coverage recompute: the same report whoever asks, written in no one's
name, which the system would rebuild all the same). A job another user asked for while it was
queued (joined) is theirs too: it runs if any of those who asked for it (`task_askers`) still
may, and is refused only when none may.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app, states
from celery.exceptions import WorkerLostError
from celery.result import AsyncResult
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from core.api.throttling import job_start_refusal
from core.i18n import join_list
from core.selectors import TASK_SENT, TASK_UNKNOWN, task_status

logger = logging.getLogger(__name__)

# A claim outlives any task (the longest, a whole-catalogue generation, is stopped at 1,900 s);
# one whose task is gone without a trace is taken over by its state anyway.
CLAIM_SECONDS = 2 * 3600
# A claim younger than this whose task reads unknown is still being published.
PUBLISHING_SECONDS = 30
# How many times a claim changing hands is read again before the job is started unclaimed.
TAKEOVER_ATTEMPTS = 3
_WAITING_OR_RUNNING = {TASK_SENT, states.STARTED, states.RETRY, "PROGRESS"}
# How long the worker a task started on has to say whether it still runs it. A live worker's
# main process answers at once, even while its pool runs tasks (not a `-P solo` worker: its one
# process answers only between tasks).
WORKER_ANSWER_SECONDS = 1.0
LOST_TASK_ERROR = (
    "The worker running this task stopped before it ended (killed, or its machine lost). "
    "Start it again."
)


@dataclass(frozen=True)
class TaskStart:
    task_id: str
    # True when an equivalent task already waiting or running was answered instead.
    joined: bool


def _scope_digest(scope: Mapping) -> str:
    canonical = json.dumps(scope, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim_key(operation: str, scope: Mapping) -> str:
    return f"jobs:claim:{operation}:{_scope_digest(scope)}"


def _claim_of_key(task_id: str) -> str:
    return f"jobs:claim-of:{task_id}"


def _takeover_key(claim_key: str, task_id: str) -> str:
    """Taken by the one request that takes over the claim `task_id` held under `claim_key`."""
    return f"{claim_key}:over:{task_id}"


def _starter_key(task_id: str) -> str:
    return f"jobs:starter:{task_id}"


def _joiners_key(task_id: str) -> str:
    """How many users joined the task: a counter, so that two joining at once both count."""
    return f"jobs:joiners:{task_id}"


def _joiner_key(task_id: str, number: int) -> str:
    return f"jobs:joiner:{task_id}:{number}"


def _result_seconds() -> int:
    expires = current_app.conf.result_expires
    seconds = expires.total_seconds() if isinstance(expires, timedelta) else expires or 86400
    return int(seconds) + 3600


def task_claim(*, operation: str, scope: Mapping) -> str | None:
    """The id of the task holding the claim on this operation and scope, if any."""
    held = cache.get(_claim_key(operation, scope))
    return held["task_id"] if held else None


def _still_going(held: Mapping) -> bool:
    state = task_status(task_id=held["task_id"])["state"]
    if state in (states.STARTED, "PROGRESS") and task_lost(task_id=held["task_id"]):
        return False
    if state in _WAITING_OR_RUNNING:
        return True
    return state == TASK_UNKNOWN and time.time() - held["at"] < PUBLISHING_SECONDS


def task_lost(*, task_id: str) -> bool:
    """Whether a task reading started (or in progress) is run by no worker: the worker that
    started it (named in its state) does not answer, or answers that it does not hold it. A
    worker killed outright (SIGKILL, out of memory, its machine gone) cannot say its task
    ended, which would read started until Redis gave its message to another worker, after the
    visibility timeout (an hour): until then the same job asked again joined the dead one. A
    lost task is marked failed, saying why (a redelivery later runs it again all the same)."""
    if current_app.conf.task_always_eager:
        return False  # tasks run inline: one read started is running in this very request
    result = AsyncResult(task_id, app=current_app)
    # The worker is in the state's extended fields (result_extended), started or in progress.
    info = result.info
    hostname = result.worker or (info.get("hostname") if isinstance(info, dict) else None)
    if not hostname:
        return False
    with current_app.connection_for_read() as broker:
        inspect = current_app.control.inspect(
            destination=[hostname], timeout=WORKER_ANSWER_SECONDS, limit=1, connection=broker
        )
        try:
            replies = inspect.query_task(task_id) or {}
        except (OSError, KombuOperationalError, *broker.connection_errors):
            return False  # the broker cannot be asked: nothing is known to be lost
    if any(task_id in (held or {}) for held in replies.values()):
        return False
    # It may have ended while its worker was asked: only a task still reading started is lost.
    if AsyncResult(task_id, app=current_app).state not in (states.STARTED, "PROGRESS"):
        return False
    result.backend.mark_as_failure(task_id, WorkerLostError(LOST_TASK_ERROR))
    return True


def claim_take(
    *, operation: str, scope: Mapping, claimant: str, still_going: Callable[[Mapping], bool]
) -> tuple[str, dict | None]:
    """Claim `operation` on `scope` for `claimant` (an id); returns (key, held): `held` is the
    claim of an equivalent job still going (`still_going(held)`), nothing taken; else None, and
    the claim under `key` is the claimant's (`{"task_id": claimant, "at": time}`; the caller
    may add to it with cache.set), or, without a cache, no one's."""
    key = _claim_key(operation, scope)
    claim = {"task_id": claimant, "at": time.time()}
    for _attempt in range(TAKEOVER_ATTEMPTS):
        if cache.add(key, claim, CLAIM_SECONDS):
            return key, None
        held = cache.get(key)
        if not held:
            continue  # let go since it was read: add it again
        if still_going(held):
            return key, held
        # Its job is over (or lost): the claim is taken over once, by whoever adds its
        # takeover key first (as atomic as the claim's own add, on Redis and in a process's
        # cache alike); another reading the same ended claim joins that one's job instead.
        takeover = _takeover_key(key, held["task_id"])
        if cache.add(takeover, claim, CLAIM_SECONDS):
            cache.set(key, claim, CLAIM_SECONDS)
            return key, None
        successor = cache.get(takeover)
        if successor and "task_id" in successor:  # not let go by its own task's end
            # The claim as its successor now holds it, or as it took it if not written yet.
            current = cache.get(key)
            if current and current["task_id"] == successor["task_id"]:
                successor = current
            if still_going(successor):
                return key, successor
        # Its successor is over too (or a job's claim names it only once it is stored, as an
        # import's): read the claim again.
    # No cache (Redis down: add refuses, get finds nothing), or claims changing hands faster
    # than they are read: the job is started unclaimed, as before coalescing.
    return key, None


def task_start(
    *,
    operation: str,
    scope: Mapping,
    started_by,
    permissions: Collection[str],
    start: Callable[[str], None],
    marks: Collection[str] = (),
) -> TaskStart:
    """Start the task of `operation` on `scope` (JSON-able; lists in it should be sorted by the
    caller when their order means nothing) by calling `start(task_id)`, which writes what the
    job needs and publishes the task under that id; unless an equivalent task still waits or
    runs, whose id is returned instead (`joined`), nothing started but `started_by` recorded as
    one who asked for it too (task_joiner_record). Records `started_by`, the `permissions`
    the operation needs and the `scope`, for its status (task_started_on), and `marks`, names
    of where it was asked for that its scope does not tell (task_marked), on the task joined
    too. Raises what `start` raises, or QueueUnavailable when the result store cannot be read;
    the claim is then let go."""
    task_id = str(uuid.uuid4())
    key, held = claim_take(
        operation=operation, scope=scope, claimant=task_id, still_going=_still_going
    )
    if held is not None:
        task_joiner_record(task_id=held["task_id"], user=started_by)
        _task_mark(task_id=held["task_id"], marks=marks)
        return TaskStart(task_id=held["task_id"], joined=True)
    task_starter_record(
        task_id=task_id, user=started_by, permissions=permissions, scope=scope, marks=marks
    )
    cache.set(_claim_of_key(task_id), key, CLAIM_SECONDS)
    try:
        start(task_id)
    except BaseException:
        task_claim_release(task_id=task_id)
        raise
    return TaskStart(task_id=task_id, joined=False)


def task_claim_release(task_id: str | None = None, state: str | None = None, **kwargs) -> None:
    """Let go of the claim a task holds, once it has ended (connected to Celery's task_postrun
    by competency_site.celery; a retry is not its end). Only its own claim: one another request
    has taken over since, even while this reads it, is kept."""
    if not task_id or (state is not None and state not in states.READY_STATES):
        return
    key = cache.get(_claim_of_key(task_id))
    if key is None:
        return
    held = cache.get(key)
    # Let go of only if no request has taken it over since it was read: the takeover key of
    # this claim, added here, stops any from doing so now.
    if (
        held
        and held["task_id"] == task_id
        and cache.add(_takeover_key(key, task_id), {"released": True}, CLAIM_SECONDS)
    ):
        cache.delete(key)
    cache.delete(_claim_of_key(task_id))


def task_starter_record(
    *,
    task_id: str,
    user,
    permissions: Collection[str],
    scope: Mapping | None = None,
    marks: Collection[str] | None = None,
) -> None:
    """Remember who started the task, which permissions its operation needs, (a digest of)
    the `scope` it was started on and its `marks` (task_start), as long as its result is kept.
    (A refusal when it runs is said in its reader's language: StarterRefused.)"""
    record = {"user": getattr(user, "pk", None), "permissions": sorted(permissions)}
    if scope is not None:
        record["scope"] = _scope_digest(scope)
    if marks is not None:
        record["marks"] = sorted(marks)
    cache.set(_starter_key(task_id), record, _result_seconds())


def _mark_key(task_id: str, mark: str) -> str:
    return f"jobs:mark:{task_id}:{mark}"


def _task_mark(*, task_id: str, marks: Collection[str]) -> None:
    """Add `marks` to a task joined (asked for from another place too): a key each, written
    without reading the task's record, so that two joining at once both keep theirs."""
    if marks:
        seconds = _result_seconds()
        cache.set_many({_mark_key(str(task_id), mark): True for mark in marks}, seconds)


def task_marked(*, task_id: str, mark: str) -> bool:
    """Whether the task was asked for with `mark` (task_start's `marks`, its starter's or a
    joiner's), for a page following a task by its id whose scope it cannot name (the
    catalogue's: its courses as they were). True as well when its marks were not recorded (a
    task started before this release, or with no record): nothing says it is another's."""
    starter, marked = _starter_key(str(task_id)), _mark_key(str(task_id), mark)
    found = cache.get_many([starter, marked])
    record = found.get(starter)
    return not record or "marks" not in record or mark in record["marks"] or marked in found


def task_started_on(*, task_id: str, scope: Mapping) -> bool:
    """Whether the task was started on `scope` (task_start's), for a page following a task by
    its id to tell its own from another's. True as well when its scope was not recorded (a
    task started before this release, or with no record): nothing says it is another's."""
    record = cache.get(_starter_key(str(task_id)))
    return not record or record.get("scope", _scope_digest(scope)) == _scope_digest(scope)


def task_joiner_record(*, task_id: str, user) -> None:
    """Remember that `user` asked for the task too, joining it while it waited or ran (the
    same work, asked for by the same door): as long as its starter's record, whose permissions
    its operation needs (the door asked the joiner for the same ones). Nothing for no user."""
    if getattr(user, "pk", None) is None:
        return
    seconds = _result_seconds()
    counter = _joiners_key(task_id)
    cache.add(counter, 0, seconds)
    try:
        number = cache.incr(counter)
    except ValueError:  # expired between the two, or no cache (Redis down): not recorded
        return
    cache.set(_joiner_key(task_id, number), user.pk, seconds)


def task_askers(*, task_id: str) -> list[int]:
    """The users who asked for the task, its starter first, then those who joined it, in the
    order they did, each once. Empty for a task no user started, or with no record."""
    record = cache.get(_starter_key(str(task_id)))
    if not record or record["user"] is None:
        return []
    count = cache.get(_joiners_key(str(task_id))) or 0
    keys = [_joiner_key(str(task_id), n) for n in range(1, count + 1)]
    joined = cache.get_many(keys)
    return list(dict.fromkeys([record["user"], *(joined[key] for key in keys if key in joined)]))


def task_readable_by(*, task_id: str, user) -> bool:
    """Whether `user` may read the task's state and result: a superuser, a user who asked for
    it (started or joined it), or one holding every permission its operation needs. A task
    with no starter recorded (started by the sweep or a command, before this release, or while
    the cache was down) is a superuser's only."""
    if user.is_superuser:
        return True
    record = cache.get(_starter_key(str(task_id)))
    if not record:
        return False
    if record["user"] is not None and user.pk in task_askers(task_id=str(task_id)):
        return True
    return bool(record["permissions"]) and user.has_perms(record["permissions"])


class StarterRefused(Exception):
    """A task's starter may no longer do what it does: it wrote nothing (starter_refusal says
    why). Raised by the task, so that it fails and its status says why.

    Its one argument is why, as data (`refusal_reason`'s, and `others`: the names of those who
    joined it, None for a deleted account), not words: the task's status is read by each who
    asked for it, each in their own language, and the result store keeps the argument as
    JSON. Said when read (str), in the active language. A refusal stored as words by an
    earlier release is said as it was."""

    def __str__(self) -> str:
        (said,) = self.args or ("",)
        if not isinstance(said, dict):
            return str(said)
        refusal = refusal_said(said)
        others = said.get("others") or []
        if not others:
            return refusal
        return _("%(refusal)s (nor may %(users)s, who asked for it too)") % {
            "refusal": refusal,
            "users": join_list(name or _("a deleted account") for name in others),
        }


def refusal_reason(*, user_id: int | None, permissions: Collection[str]) -> dict | None:
    """Why a task the user `user_id` started must not write now, as data that refusal_said
    words: {"reason": gone, inactive, not_staff or lacks; "user": the account's name;
    "permissions": those it lacks}. None when it still may, and for a task no user started."""
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {"reason": "gone"}
    name = user.get_username()
    if not user.is_active:
        return {"reason": "inactive", "user": name}
    # Every door starting a job asks for staff.
    if not user.is_staff:
        return {"reason": "not_staff", "user": name}
    missing = [perm for perm in permissions if not user.has_perm(perm)]
    if missing:
        return {"reason": "lacks", "user": name, "permissions": missing}
    return None


def refusal_said(reason: Mapping) -> str:
    """A refusal_reason in the active language."""
    kind = reason.get("reason")
    name = {"user": reason.get("user", "")}
    if kind == "inactive":
        return (
            _(
                "the account that started this job, %(user)s, has been deactivated since; "
                "nothing was written"
            )
            % name
        )
    if kind == "not_staff":
        return (
            _(
                "the account that started this job, %(user)s, is no longer a staff account; "
                "nothing was written"
            )
            % name
        )
    if kind == "lacks":
        return _(
            "the account that started this job, %(user)s, no longer holds %(permissions)s, "
            "which this job takes; nothing was written"
        ) % {**name, "permissions": join_list(reason.get("permissions") or [])}
    return _("the account that started this job no longer exists; nothing was written")


def starter_refusal(*, user_id: int | None, permissions: Collection[str]) -> str | None:
    """Why a task the user `user_id` started must not write now, said in the active language:
    the account is gone, deactivated, no longer staff (every door starting a job asks for
    staff) or lacks one of `permissions` (those its door asked for). None when it still may,
    and for a task no user started (`user_id` None)."""
    reason = refusal_reason(user_id=user_id, permissions=permissions)
    return refusal_said(reason) if reason is not None else None


def task_starter_check(*, task_id: str | None) -> int | None:
    """Called by a task started with `task_start` that writes, when it begins to run: the user
    it runs for, the first of those who asked for it (its starter, then those who joined it)
    who still may do what it does (refusal_reason); raises StarterRefused when none may: why its
    starter may not, naming those who joined it, said in the language of whoever reads it.
    A task with no starter recorded (started by the system, or while the cache was down) runs,
    for no user (None)."""
    record = cache.get(_starter_key(str(task_id))) if task_id else None
    if not record or record["user"] is None:
        return None
    askers = task_askers(task_id=str(task_id))
    refusals = []
    for user_id in askers:
        reason = refusal_reason(user_id=user_id, permissions=record["permissions"])
        if reason is None:
            if refusals:
                # Its starter may no longer: it runs for one who joined it, as the log says.
                logger.info(
                    "Task %s runs for user %s, who asked for it too: its starter, user %s, "
                    "may no longer do what it does.",
                    task_id,
                    user_id,
                    record["user"],
                )
            return user_id
        refusals.append(reason)
    others = askers[1:]
    names = get_user_model().objects.filter(pk__in=others).in_bulk() if others else {}
    raise StarterRefused(
        {
            **refusals[0],
            "others": [names[pk].get_username() if pk in names else None for pk in others],
        }
    )


def task_status_for(*, task_id: str, user) -> dict:
    """The task's status (core.selectors.task_status) as `user` may read it: a task they may
    not read (task_readable_by) reads as one nobody started (TASK_UNKNOWN), whether or not it
    exists, and its state is not even looked up. Raises QueueUnavailable, as task_status does,
    only for a task `user` may read."""
    if not task_readable_by(task_id=str(task_id), user=user):
        return {
            "id": str(task_id),
            "state": TASK_UNKNOWN,
            "progress": None,
            "result": None,
            "error": None,
        }
    return task_status(task_id=task_id)


def job_start_refused(request: HttpRequest, *, back: str) -> HttpResponse | None:
    """For a page's form or the admin about to start a background job for `request.user`:
    counts it against the API's job rate (core.api.throttling.job_start_refusal). Past the
    rate, the answer that starts nothing: back to `back` with an error message saying when to
    try again, or, to a script (htmx, fetch), 429 with Retry-After and the same words. Else
    None, and the caller starts its job (or joins the one already going, which counts too)."""
    refusal = job_start_refusal(request)
    if refusal is None:
        return None
    if _from_a_script(request):
        response = HttpResponse(
            str(refusal.detail), status=429, content_type="text/plain; charset=utf-8"
        )
        if refusal.wait is not None:
            response["Retry-After"] = str(refusal.wait)
        return response
    messages.error(request, str(refusal.detail))
    return HttpResponseRedirect(back)


def _from_a_script(request: HttpRequest) -> bool:
    """Sent by htmx or fetch, not by a form's navigation: a status is what it can act on."""
    mode = request.headers.get("Sec-Fetch-Mode", "navigate")
    return request.headers.get("HX-Request") == "true" or mode != "navigate"
