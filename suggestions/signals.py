"""Refresh suggestions in the background when what they were made from changes: a course's or
a position's text, a course's training stage, or a framework's abilities; and generate them for
a course just added (its text is new text), once suggestions were generated for any course.
Thin receivers; the work is one task. And record, for a sync (deletions/), the suggestions a
course's, position's or ability's deletion takes with it.

Debounced twice: within a transaction, every change is collected and one refresh is enqueued
after commit (none after a rollback); across transactions, a cache lock per course, position or
framework keeps a refresh that is already queued from being queued again, and the task waits
SUGGESTIONS_REFRESH_DELAY seconds (with a broker) so that a burst of edits is read once.

The lock lapses a little before its refresh is due (`lock_seconds`), so an edit can never ride
on a refresh that has already read the text: the refresh releases the lock when it starts, but
only where the cache is shared; with each process its own cache (the default, locmem), the
worker's release never reached the web process, whose lock outlived the refresh by ten minutes
and swallowed every edit meanwhile.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from core.cache import cache_claim
from core.stored_values import stored_values, stored_values_watch
from curricula.models import Course, CourseAbility, Suggestion, SuggestionScope
from curricula.services import suggestion_deletions_record, suggestions_unsettled_stamp
from curricula.signals import courses_bulk_changed
from positions.models import Ability, Framework, Position, Requirement
from positions.signals import (
    abilities_bulk_changed,
    positions_bulk_changed,
    requirements_bulk_changed,
)

logger = logging.getLogger(__name__)

# What a subject's suggestions are made from: its text, and a course's training stage (which
# proposes the level when no outcome has a Bloom verb); a position's alternative labels are in
# `extra` (see _text).
_TEXT = {
    Course: ("title", "title_zh", "description", "outcomes", "stage_id"),
    Position: ("name", "name_zh", "description", "description_zh", "extra"),
}
_local = threading.local()


def _text(sender, values: tuple) -> tuple:
    """What ranks a subject, from its _TEXT values in that order."""
    if sender is not Position:
        return values
    # A position is ranked by its alternative labels too (suggestions.services.position_query),
    # not by the rest of `extra`.
    *text, extra = values
    labels = extra.get("altLabels") if isinstance(extra, dict) else None
    return (*text, tuple(labels) if isinstance(labels, list) else labels)


# What ranks a subject, before a save writing it, is read from its row (core.stored_values: only
# the fields the save writes, one query). A snapshot taken by a post_init receiver cost every
# course and position loaded anywhere (~12 µs each, a tenth of the certifications list) for
# the few saved.
for _model, _names in _TEXT.items():
    stored_values_watch(_model, *_names)


def _text_changed(sender, instance) -> bool:
    """Whether the save just made changed what ranks the subject."""
    stored = stored_values(instance)
    names = [name for name in _TEXT[sender] if name in stored]
    if not names:
        return False
    before = tuple(stored[name] for name in names)
    now = tuple(instance.__dict__[name] for name in names)
    if sender is Position and "extra" in names:
        return _text(sender, before) != _text(sender, now)
    return before != now


def _pending() -> dict[str, set[int]]:
    """This transaction's ids to refresh, with its commit hook registered once."""
    connection = transaction.get_connection()
    state = getattr(_local, "state", None)
    if (
        state is not None
        and getattr(_local, "connection", None) is connection
        and any(func is state["flush"] for _, func, _ in connection.run_on_commit)
    ):
        return state["ids"]
    ids: dict[str, set[int]] = {
        "course": set(),
        "new_course": set(),
        "position": set(),
        "framework": set(),
    }

    def flush() -> None:
        _local.state = None
        schedule_refresh(**{f"{kind}_ids": pks for kind, pks in ids.items()})

    _local.state, _local.connection = {"ids": ids, "flush": flush}, connection
    if connection.in_atomic_block:
        transaction.on_commit(flush, robust=True)
    return ids


def _add(kind: str, pks) -> None:
    if not pks:
        return
    if transaction.get_connection().in_atomic_block:
        _pending()[kind].update(pk for pk in pks if pk)
    else:
        schedule_refresh(**{f"{kind}_ids": {pk for pk in pks if pk}})


def lock_seconds(delay: float) -> float:
    """How long a queued refresh's lock is held: until shortly before the refresh is due, the
    margin (up to a second) for a worker whose clock runs ahead of the web process's. An edit
    after that queues a refresh of its own (at worst, one that finds nothing changed)."""
    return max(0.0, delay - min(1.0, delay / 2))


# Whether courses were ever generated for, remembered for the transaction that asked (the list
# of its commit hooks, which Django replaces at each commit and rollback, tells one transaction
# from the next) and forgotten when this process records course scopes (course_scopes_written).
_scopes_written = [0]


def course_scopes_written() -> None:
    """Called where suggestions are recorded for courses: what _new_courses_wanted remembered
    no longer holds."""
    _scopes_written[0] += 1


def _new_courses_wanted() -> bool:
    """Whether a course just created is to get suggestions: once they were generated for any
    course. Until then the assistant is not in use, and a new course waits for the designer's
    first run like the rest of the catalogue. Asked once per transaction (an import of
    thousands of courses asks once), not once per course."""
    connection = transaction.get_connection()
    memo = getattr(_local, "new_courses", None)
    if (
        connection.in_atomic_block
        and memo is not None
        and memo[0] is connection.run_on_commit
        and memo[1] == _scopes_written[0]
    ):
        return memo[2]
    answer = SuggestionScope.objects.filter(course__isnull=False).exists()
    if connection.in_atomic_block:
        _local.new_courses = (connection.run_on_commit, _scopes_written[0], answer)
    return answer


def schedule_refresh(
    *,
    course_ids=frozenset(),
    new_course_ids=frozenset(),
    position_ids=frozenset(),
    framework_ids=frozenset(),
) -> None:
    """Enqueue one refresh for the ids not already waiting for one: courses and positions whose
    text changed, frameworks whose abilities changed, and courses just created (`new_course_ids`,
    generated in the scopes other courses were). Never raises: the edit that
    asked has committed, and a refresh can be asked for again (`manage.py suggest --refresh`)."""
    from suggestions.tasks import refresh_lock_key, refresh_suggestions

    delay = float(getattr(settings, "SUGGESTIONS_REFRESH_DELAY", 10))
    held = lock_seconds(delay)
    wanted: dict[str, list[int]] = {}
    # A new course holds the lock a changed one does: an edit before its refresh starts rides
    # on it (the refresh reads the text as it is then).
    for kind, lock, pks in (
        ("course", "course", course_ids),
        ("new_course", "course", new_course_ids),
        ("position", "position", position_ids),
        ("framework", "framework", framework_ids),
    ):
        wanted[kind] = [
            pk for pk in sorted(pks) if cache_claim(refresh_lock_key(lock, pk), 1, held)
        ]
    if not any(wanted.values()):
        return
    try:
        refresh_suggestions.apply_async(
            kwargs={f"{kind}_ids": pks for kind, pks in wanted.items()},
            countdown=delay,
            ignore_result=True,
        )
    except Exception:
        logger.exception("Could not enqueue the suggestion refresh of %s", wanted)
        cache.delete_many(
            [
                refresh_lock_key("course" if kind == "new_course" else kind, pk)
                for kind, pks in wanted.items()
                for pk in pks
            ]
        )


@receiver(post_save, sender=Course, dispatch_uid="suggest_course_saved")
@receiver(post_save, sender=Position, dispatch_uid="suggest_position_saved")
def text_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        # A new course's text is new text (a catalogue import adds them row by row: one refresh
        # after its commit). A new position waits for a run that names it.
        if sender is Course and _new_courses_wanted():
            _add("new_course", [instance.pk])
        return
    if not _text_changed(sender, instance):
        return
    _add("course" if sender is Course else "position", [instance.pk])


def _ranked_from(framework_ids: set[int]) -> set[int]:
    """The frameworks some earlier run ranked (itself, or all frameworks): the others have no
    suggestions to refresh, and their next run builds a fresh index anyway."""
    if not framework_ids:
        return set()
    scopes = SuggestionScope.objects.filter(
        Q(framework_id__in=framework_ids) | Q(framework__isnull=True)
    )
    found = set(scopes.values_list("framework_id", flat=True).distinct()[:1000])
    return set(framework_ids) if None in found else found & set(framework_ids)


# An ability's framework before a save writing it is read from its row (one query, shared with
# curricula's read of its area), not remembered for every ability loaded.
stored_values_watch(Ability, "framework_id")


@receiver(post_save, sender=Ability, dispatch_uid="suggest_ability_saved")
def ability_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    frameworks = {instance.framework_id}
    before = stored_values(instance).get("framework_id")
    if before is not None and before != instance.framework_id:
        # Moved to another framework (the admin's form): its suggestions go along, since a
        # suggestion keeps its ability's framework to be filtered by it; and both frameworks'
        # runs are redone (the old one's still hold it, the new one's lack it).
        Suggestion.objects.filter(ability_id=instance.pk).update(
            framework_id=instance.framework_id, updated_at=timezone.now()
        )
        frameworks.add(before)
    _add("framework", _ranked_from(frameworks))


@receiver(post_delete, sender=Ability, dispatch_uid="suggest_ability_deleted")
def ability_deleted(sender, instance, **kwargs):
    _add("framework", _ranked_from({instance.framework_id}))


# What a suggestion belongs to, whose deletion takes it (CASCADE, one statement without
# signals); a framework's abilities go with it, each taking its own.
_OWNERS = {Course: "course", Position: "position", Ability: "ability"}


@receiver(pre_delete, sender=Course, dispatch_uid="suggestions_course_deleting")
@receiver(pre_delete, sender=Position, dispatch_uid="suggestions_position_deleting")
@receiver(pre_delete, sender=Ability, dispatch_uid="suggestions_ability_deleting")
def owner_deleting(sender, instance, **kwargs):
    """Its suggestions are recorded as deleted, for a sync (deletions/)."""
    suggestion_deletions_record(
        suggestions=Suggestion.objects.filter(**{_OWNERS[sender]: instance.pk})
    )


# Deleting one of these takes its suggestions too (recorded above): nothing to bring back.
_TAKING_SUGGESTIONS = (Course, Position, Ability, Framework)


def _pair(sender, instance) -> tuple[type, int, int]:
    owner_id = instance.course_id if sender is CourseAbility else instance.position_id
    return sender, owner_id, instance.ability_id


def _taking_suggestions(origin) -> bool:
    return isinstance(origin, _TAKING_SUGGESTIONS) or getattr(origin, "model", None) in (
        _TAKING_SUGGESTIONS
    )


def _pairs_stamp(pairs) -> None:
    """Stamp the pending suggestions of these pairs: one UPDATE per kind (links, requirements).
    Pairs of several owners stamp the owners' suggestions of every ability among them, a few
    more than the pairs themselves, as the map editor's bulk path does: a sync reads them again,
    unchanged."""
    for sender, owner in ((CourseAbility, "course_ids"), (Requirement, "position_ids")):
        mine = [(owner_id, ability_id) for kind, owner_id, ability_id in pairs if kind is sender]
        if mine:
            suggestions_unsettled_stamp(
                **{owner: {owner_id for owner_id, _ in mine}},
                ability_ids={ability_id for _, ability_id in mine},
            )


# A deletion's links and requirements, kept on what it deletes from (its `origin`: the queryset
# of an admin's "Delete selected" or an import's, the instance of a single delete). Django's
# collector sends every pre_delete before it deletes a row, then each model's post_delete once
# its rows are deleted: the first post_delete stamps the pairs of them all, one UPDATE for the
# deletion, where each row's stamped its own (an admin deleting 200 links ran 200 UPDATEs).
_DELETION_PAIRS = "_suggestions_unsettled_pairs"


@receiver(pre_delete, sender=CourseAbility, dispatch_uid="suggestions_link_deleting")
@receiver(pre_delete, sender=Requirement, dispatch_uid="suggestions_requirement_deleting")
def pair_deleting(sender, instance, origin=None, **kwargs):
    if origin is None or _taking_suggestions(origin):
        return
    state = getattr(origin, _DELETION_PAIRS, None)
    if state is None or state["stamped"]:  # the origin's first deletion, or a later one
        state = {"pairs": set(), "stamped": False}
        setattr(origin, _DELETION_PAIRS, state)
    state["pairs"].add(_pair(sender, instance))


@receiver(post_delete, sender=CourseAbility, dispatch_uid="suggestions_link_deleted")
@receiver(post_delete, sender=Requirement, dispatch_uid="suggestions_requirement_deleted")
def pair_unsettled(sender, instance, origin=None, **kwargs):
    """A pending suggestion of the pair is back in the lists (deletions/ listed it as gone when
    the link or requirement was made): stamped, so a sync reads it again. With the pairs of the
    whole deletion at once (pair_deleting), in the transaction that deletes them."""
    if _taking_suggestions(origin):
        return
    pair = _pair(sender, instance)
    state = getattr(origin, _DELETION_PAIRS, None) if origin is not None else None
    if state is None or pair not in state["pairs"]:
        _pairs_stamp({pair})  # deleted without its pre_delete (a signal sent by hand)
    elif not state["stamped"]:
        state["stamped"] = True
        _pairs_stamp(state["pairs"])


@receiver(requirements_bulk_changed, dispatch_uid="suggestions_requirements_bulk_changed")
def requirements_bulk(sender, position_ids, **kwargs):
    # An import may have deleted requirements (no signals): their positions' pending
    # suggestions are stamped, one UPDATE.
    suggestions_unsettled_stamp(position_ids=position_ids)


@receiver(abilities_bulk_changed, dispatch_uid="suggest_abilities_bulk_changed")
def abilities_bulk(sender, ability_ids, **kwargs):
    framework_ids = set(
        Ability.objects.filter(pk__in=list(ability_ids))
        .values_list("framework_id", flat=True)
        .distinct()
    )
    _add("framework", _ranked_from(framework_ids))


@receiver(positions_bulk_changed, dispatch_uid="suggest_positions_bulk_changed")
def positions_bulk(sender, position_ids, **kwargs):
    # The refresh regenerates only the scopes whose text fingerprint changed.
    _add("position", position_ids)


@receiver(courses_bulk_changed, dispatch_uid="suggest_courses_bulk_changed")
def courses_bulk(sender, course_ids, created_ids=(), **kwargs):
    # The refresh regenerates only the scopes whose text fingerprint changed, and generates the
    # new courses (created_ids) in the scopes the catalogue was generated in.
    _add("course", course_ids)
    _add("new_course", created_ids)
