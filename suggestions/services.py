"""Writes of the suggestions app: generating suggestions, and a reviewer's decisions on them.

Generating ranks a framework's abilities (or every framework's) for courses or positions with
the engine, and makes each subject's *pending* suggestions in that scope the new ones, keeping
the row (and so the id) of every pair still proposed.
Decided pairs are never proposed again: a rejected pair keeps its row, an accepted one became a
link or a requirement, and pairs already linked or required by hand are left out too.

Accepting writes through curricula's and positions' services (so coverage reports are marked
stale and recomputed exactly as after a hand edit), with provenance "suggested" and the reviewer
as the history user.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import TrainingStage
from core.models import Provenance
from core.services import unique_ids, update_from_values
from curricula import services as curricula_services
from curricula.models import Course, CourseAbility, Suggestion, SuggestionScope, SuggestionStatus
from positions import services as positions_services
from positions.models import Framework, Importance, Level, Position, Requirement
from suggestions.engine import Query, Ranked
from suggestions.indexes import index_for
from suggestions.levels import propose_level

_BULK_BATCH = 2000


def suggestions_per_subject() -> int:
    return int(getattr(settings, "SUGGESTIONS_PER_SUBJECT", 20))


# --- What a course or a position says about itself ----------------------------------------------


def course_query(course: Course) -> Query:
    return Query(
        {"title": course.title, "description": course.description, "outcomes": course.outcomes}
    )


def position_query(position: Position) -> Query:
    alt = position.extra.get("altLabels") if isinstance(position.extra, dict) else None
    alt_text = "\n".join(alt) if isinstance(alt, list) else str(alt or "")
    return Query(
        {"title": position.name, "alt_labels": alt_text, "description": position.description}
    )


def text_fingerprint(query: Query) -> str:
    """Changes when, and only when, the text the suggestions were ranked from changes."""
    digest = hashlib.sha256()
    for name in sorted(query.fields):
        digest.update(f"{name}\x00{query.fields[name]}\x01".encode())
    return digest.hexdigest()


_SENTENCE = re.compile(r"(?<=[.!?。！？；;])\s*")  # noqa: RUF001


def outcome_lines(course: Course) -> list[str]:
    """The outcomes one per line; a course without outcomes is read by its description's
    sentences instead."""
    lines = [line.strip() for line in course.outcomes.splitlines() if line.strip()]
    if lines:
        return lines
    return [part.strip() for part in _SENTENCE.split(course.description) if part.strip()]


# --- Generating -------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    courses: int = 0
    positions: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    framework_id: int | None = None
    seconds: float = 0.0
    # Codes (courses) and names (positions) of the subjects with no text to rank from, and their
    # ids, which a page needs to link each to where its text is edited.
    subjects_without_text: list[str] = field(default_factory=list)
    courses_without_text: list[int] = field(default_factory=list)
    positions_without_text: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "courses": self.courses,
            "positions": self.positions,
            "created": self.created,
            "updated": self.updated,
            "removed": self.removed,
            "framework": self.framework_id,
            "seconds": round(self.seconds, 3),
            "without_text": self.subjects_without_text[:100],
            "without_text_count": len(self.subjects_without_text),
            "courses_without_text": self.courses_without_text[:100],
            "positions_without_text": self.positions_without_text[:100],
        }


Progress = Callable[[int, int], None]


def suggestions_generate(
    *,
    course_ids: Iterable[int] = (),
    position_ids: Iterable[int] = (),
    framework: Framework | None = None,
    k: int | None = None,
    on_progress: Progress | None = None,
    chunk_size: int = 250,
) -> GenerateResult:
    """Rank the framework's abilities (every framework's when None) for each course and
    position, and store the best `k` (SUGGESTIONS_PER_SUBJECT, 20) as pending suggestions.

    Writes, per chunk of subjects in one transaction and in bulk: updates in place the pending
    suggestions in the scope whose pair is ranked again (same id; a skipped one stays skipped),
    inserts the new pairs, deletes the pending ones that dropped out, and records the scope
    (SuggestionScope) for background refreshes. Leaves out pairs already linked (course) or
    required (position) and pairs decided before. Reports progress as (done, total). Raises
    ValidationError for a `k` below 1, before writing anything.
    """
    start = timezone.now()
    k = suggestions_per_subject() if k is None else k
    if k < 1:
        # Storing none would only delete every pending suggestion in the scope.
        raise ValidationError(
            {"k": _("Keep at least one suggestion per subject (k of 1 or more).")}
        )
    framework_id = framework.pk if framework else None
    course_ids = list(dict.fromkeys(int(pk) for pk in course_ids))
    position_ids = list(dict.fromkeys(int(pk) for pk in position_ids))
    total = len(course_ids) + len(position_ids)
    result = GenerateResult(framework_id=framework_id)
    if on_progress:
        on_progress(0, total)
    if not total:
        return result
    fw_index = index_for(framework_id)
    levels = dict(Level.objects.values_list("code", "pk"))
    stages = list(TrainingStage.objects.order_by("order").values_list("pk", "name"))
    stage_place = {pk: (i + 1, len(stages), name) for i, (pk, name) in enumerate(stages)}
    done = 0
    for chunk in _chunks(course_ids, chunk_size):
        _generate_courses(chunk, fw_index, k, levels, stage_place, result)
        done += len(chunk)
        if on_progress:
            on_progress(done, total)
    for chunk in _chunks(position_ids, chunk_size):
        _generate_positions(chunk, fw_index, k, result)
        done += len(chunk)
        if on_progress:
            on_progress(done, total)
    result.seconds = (timezone.now() - start).total_seconds()
    return result


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _excluded(model, subject_field: str, ids: Sequence[int]) -> dict[int, set[int]]:
    """Ability ids to leave out per subject: linked/required already, or decided before."""
    out: dict[int, set[int]] = defaultdict(set)
    for subject_id, ability_id in model.objects.filter(**{f"{subject_field}__in": ids}).values_list(
        subject_field, "ability_id"
    ):
        out[subject_id].add(ability_id)
    decided = (
        Suggestion.objects.filter(**{f"{subject_field}__in": ids})
        .exclude(status=SuggestionStatus.PENDING)
        .values_list(subject_field, "ability_id")
    )
    for subject_id, ability_id in decided:
        out[subject_id].add(ability_id)
    return out


def _rank(fw_index, queries: list[Query], excluded: list[set[int]], k: int) -> list[list[Ranked]]:
    # The engine takes one exclusion set per call; asking for k more than the most any subject
    # excludes and filtering afterwards gives each subject its own.
    extra = max((len(e) for e in excluded), default=0)
    ranked = fw_index.index.rank_many(queries, k=k + extra, explain=True)
    return [
        [r for r in hits if r.id not in ex][:k] for hits, ex in zip(ranked, excluded, strict=True)
    ]


def _matches(hit: Ranked) -> list[dict]:
    """The explanation as stored: a match by meaning keeps its kind and similarity, so a page
    can say the line is close in meaning rather than quote it as if its words had matched."""
    out = []
    for m in hit.explanation:
        match = {
            "query_field": m.query_field,
            "candidate_field": m.candidate_field,
            "term": m.term_or_phrase,
            "weight": round(float(m.weight), 5),
        }
        if m.kind != "term":
            match["kind"] = m.kind
            if m.similarity is not None:
                match["similarity"] = round(float(m.similarity), 3)
        out.append(match)
    return out


# What regenerating a pending suggestion rewrites; its status, skip and creation time stay.
_REGENERATED = ("framework_id", "score", "rank", "method", "explanation", "proposed_level_id")


def _write_pending(
    *, subject_field: str, ids: Sequence[int], framework_id: int | None, rows: list[Suggestion]
) -> tuple[int, int, int]:
    """Make the subjects' pending suggestions in the scope be `rows`, keeping ids stable (an API
    client or an open review page holds them): a pair ranked again keeps its row, updated in
    place; a new pair is inserted; a pending pair that dropped out is deleted. Pairs with a
    row outside the scope (decided, or another framework's) are left as they are. One read, then
    bulk writes. Returns (created, updated, removed)."""
    pending: dict[tuple[int, int], int] = {}
    elsewhere: set[tuple[int, int]] = set()
    for pk, subject_id, ability_id, status, fw in Suggestion.objects.filter(
        **{f"{subject_field}__in": ids}
    ).values_list("pk", subject_field, "ability_id", "status", "framework_id"):
        if status == SuggestionStatus.PENDING and (framework_id is None or fw == framework_id):
            pending[(subject_id, ability_id)] = pk
        else:
            elsewhere.add((subject_id, ability_id))
    updated: list[Suggestion] = []
    created: list[Suggestion] = []
    for row in rows:
        key = (getattr(row, f"{subject_field}_id"), row.ability_id)
        if key in pending:
            row.pk = pending.pop(key)
            updated.append(row)
        elif key not in elsewhere:
            created.append(row)
    dropped = list(pending.values())  # what is left: pending pairs not ranked again
    for start in range(0, len(dropped), _BULK_BATCH):
        Suggestion.objects.filter(
            pk__in=dropped[start : start + _BULK_BATCH], status=SuggestionStatus.PENDING
        ).delete()
    _bulk_update(updated)
    _bulk_insert(created)
    return len(created), len(updated), len(dropped)


_COPY_COLUMNS = (
    "course_id",
    "position_id",
    "ability_id",
    "framework_id",
    "score",
    "rank",
    "method",
    "explanation",
    "proposed_level_id",
    "status",
    "skipped_at",
    "created_at",
)


def _bulk_insert(rows: list[Suggestion]) -> None:
    """Insert new suggestions: PostgreSQL's COPY (a catalogue-wide run writes 100,000 rows, and
    building INSERT statements costs more than ranking), else bulk_create. The rows are built
    and valid by construction; the database's constraints still check them."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Suggestion.objects.bulk_create(rows, batch_size=_BULK_BATCH)
        return
    import csv
    import io

    import orjson

    now = timezone.now().isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            (
                row.course_id,
                row.position_id,
                row.ability_id,
                row.framework_id,
                repr(row.score),
                row.rank,
                row.method,
                orjson.dumps(row.explanation).decode(),
                row.proposed_level_id,
                row.status,
                row.skipped_at.isoformat() if row.skipped_at else None,
                now,
            )
        )
    buffer.seek(0)
    table = Suggestion._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buffer
        )


# PostgreSQL types a VALUES list's columns from the values given: text for JSON, and none for a
# level that is NULL in every row, neither of which fits the table's column.
_VALUES_CASTS = {"id": "bigint", "framework_id": "bigint", "proposed_level_id": "bigint"}
_VALUES_CASTS |= {"score": "double precision", "rank": "integer", "explanation": "jsonb"}


def _bulk_update(rows: list[Suggestion]) -> None:
    """Rewrite what a regeneration changes of existing pending suggestions, by id (one decided
    meanwhile is left alone), in statements of _BULK_BATCH rows: Django's bulk_update, a CASE
    per row and column, took 6 s for the 4,000 rows of a 250-course chunk on SQLite, about nine
    times the delete and insert it replaced."""
    import orjson

    table = connection.ops.quote_name(Suggestion._meta.db_table)
    update_from_values(
        table,
        ("id", *_REGENERATED),
        [
            (
                row.pk,
                row.framework_id,
                row.score,
                row.rank,
                row.method,
                orjson.dumps(row.explanation).decode(),
                row.proposed_level_id,
            )
            for row in rows
        ],
        casts=_VALUES_CASTS,
        condition=f"{table}.status = %s",
        condition_params=[SuggestionStatus.PENDING],
        batch=_BULK_BATCH,
    )


def _record_scopes(
    *, subject_field: str, fingerprints: dict[int, str], framework_id: int | None
) -> None:
    now = timezone.now()
    SuggestionScope.objects.filter(
        **{f"{subject_field}__in": list(fingerprints)}, framework_id=framework_id
    ).delete()
    SuggestionScope.objects.bulk_create(
        [
            SuggestionScope(
                **{f"{subject_field}_id": pk},
                framework_id=framework_id,
                text_fingerprint=fp,
                generated_at=now,
            )
            for pk, fp in fingerprints.items()
        ],
        batch_size=_BULK_BATCH,
    )


@transaction.atomic
def _generate_courses(ids, fw_index, k, levels, stage_place, result: GenerateResult) -> None:
    courses = list(
        Course.objects.filter(pk__in=ids)
        .only("id", "code", "title", "description", "outcomes", "stage_id")
        .order_by("id")
    )
    excluded_by = _excluded(CourseAbility, "course_id", [c.pk for c in courses])
    queries = [course_query(c) for c in courses]
    excluded = [excluded_by.get(c.pk, set()) for c in courses]
    rows: list[Suggestion] = []
    for course, hits in zip(courses, _rank(fw_index, queries, excluded, k), strict=True):
        if not hits and not (course.description or course.outcomes):
            result.subjects_without_text.append(course.code)
            result.courses_without_text.append(course.pk)
        lines = outcome_lines(course)
        place = stage_place.get(course.stage_id)
        for rank, hit in enumerate(hits, start=1):
            matches = _matches(hit)
            proposal = propose_level(
                outcomes=lines,
                matched_terms=[m["term"] for m in matches],
                stage_position=place[:2] if place else None,
                stage_name=place[2] if place else "",
            )
            rows.append(
                Suggestion(
                    course_id=course.pk,
                    ability_id=hit.id,
                    framework_id=fw_index.framework_of[hit.id],
                    score=max(0.0, float(hit.score)),
                    rank=rank,
                    method=fw_index.index.method,
                    explanation={"matches": matches, "level": proposal.as_dict()},
                    proposed_level_id=levels.get(proposal.code),
                )
            )
    _store(
        subject_field="course",
        subjects=courses,
        queries=queries,
        fw_index=fw_index,
        rows=rows,
        result=result,
    )
    result.courses += len(courses)


def _store(
    *, subject_field: str, subjects: list, queries: list, fw_index, rows: list, result
) -> None:
    """Make the subjects' pending suggestions against the framework be `rows`, and record that
    they were generated from these texts (what a refresh compares)."""
    created, updated, removed = _write_pending(
        subject_field=subject_field,
        ids=[subject.pk for subject in subjects],
        framework_id=fw_index.framework_id,
        rows=rows,
    )
    result.created += created
    result.updated += updated
    result.removed += removed
    _record_scopes(
        subject_field=subject_field,
        fingerprints={
            subject.pk: text_fingerprint(query)
            for subject, query in zip(subjects, queries, strict=True)
        },
        framework_id=fw_index.framework_id,
    )


@transaction.atomic
def _generate_positions(ids, fw_index, k, result: GenerateResult) -> None:
    positions = list(
        Position.objects.filter(pk__in=ids)
        .only("id", "name", "description", "extra")
        .order_by("id")
    )
    excluded_by = _excluded(Requirement, "position_id", [p.pk for p in positions])
    queries = [position_query(p) for p in positions]
    excluded = [excluded_by.get(p.pk, set()) for p in positions]
    rows: list[Suggestion] = []
    for position, hits in zip(positions, _rank(fw_index, queries, excluded, k), strict=True):
        if not position.description:
            result.subjects_without_text.append(position.name)
            result.positions_without_text.append(position.pk)
        for rank, hit in enumerate(hits, start=1):
            rows.append(
                Suggestion(
                    position_id=position.pk,
                    ability_id=hit.id,
                    framework_id=fw_index.framework_of[hit.id],
                    score=max(0.0, float(hit.score)),
                    rank=rank,
                    method=fw_index.index.method,
                    explanation={"matches": _matches(hit)},
                )
            )
    _store(
        subject_field="position",
        subjects=positions,
        queries=queries,
        fw_index=fw_index,
        rows=rows,
        result=result,
    )
    result.positions += len(positions)


def suggestions_refresh(
    *,
    course_ids: Iterable[int] = (),
    position_ids: Iterable[int] = (),
    framework_ids: Iterable[int] = (),
    on_progress: Progress | None = None,
) -> GenerateResult:
    """Regenerate what earlier runs generated, where it may have changed: for the courses and
    positions given, each scope whose text fingerprint no longer matches; for the frameworks
    given, every scope that ranks their abilities (the framework's own and "all frameworks").

    Subjects never generated for are left alone. Returns the summed result of the runs.
    """
    course_ids, position_ids = set(course_ids), set(position_ids)
    framework_ids = set(framework_ids)
    # scope framework (None = all) -> subjects to regenerate
    todo: dict[int | None, dict[str, set[int]]] = defaultdict(
        lambda: {"course": set(), "position": set()}
    )
    if framework_ids:
        scopes = SuggestionScope.objects.filter(
            Q(framework_id__in=framework_ids) | Q(framework__isnull=True)
        ).values_list("course_id", "position_id", "framework_id")
        for course_id, position_id, fw in scopes:
            todo[fw]["course" if course_id else "position"].add(course_id or position_id)
    if course_ids:
        queries = {
            c.pk: course_query(c)
            for c in Course.objects.filter(pk__in=course_ids).only(
                "id", "title", "description", "outcomes"
            )
        }
        for scope in SuggestionScope.objects.filter(course_id__in=course_ids):
            if scope.course_id in queries and scope.text_fingerprint != text_fingerprint(
                queries[scope.course_id]
            ):
                todo[scope.framework_id]["course"].add(scope.course_id)
    if position_ids:
        queries = {
            p.pk: position_query(p)
            for p in Position.objects.filter(pk__in=position_ids).only(
                "id", "name", "description", "extra"
            )
        }
        for scope in SuggestionScope.objects.filter(position_id__in=position_ids):
            if scope.position_id in queries and scope.text_fingerprint != text_fingerprint(
                queries[scope.position_id]
            ):
                todo[scope.framework_id]["position"].add(scope.position_id)
    total = GenerateResult()
    frameworks = Framework.objects.in_bulk([fw for fw in todo if fw is not None])
    runs = [
        (fw, subjects)
        for fw, subjects in todo.items()
        if fw is None or fw in frameworks  # a framework deleted since is nothing to redo
    ]
    # One progress over every run: a subject counts once per scope it is regenerated in.
    subjects_in_all = sum(len(s["course"]) + len(s["position"]) for _fw, s in runs)
    if on_progress is not None:
        on_progress(0, subjects_in_all)
    done_before = 0
    for fw, subjects in runs:
        run = suggestions_generate(
            course_ids=sorted(subjects["course"]),
            position_ids=sorted(subjects["position"]),
            framework=frameworks.get(fw) if fw is not None else None,
            on_progress=(
                None
                if on_progress is None
                else lambda done, _total, base=done_before: on_progress(
                    base + done, subjects_in_all
                )
            ),
        )
        done_before += len(subjects["course"]) + len(subjects["position"])
        total.courses += run.courses
        total.positions += run.positions
        total.created += run.created
        total.updated += run.updated
        total.removed += run.removed
        total.seconds += run.seconds
    return total


# --- Deciding ---------------------------------------------------------------------------------


def _locked_to_review(pks: Sequence[int]) -> list[Suggestion]:
    """Lock the suggestions (in id order, so two reviewers' bulk decisions cannot deadlock) and
    return them in the order given, each still to review. Raises one ValidationError naming
    every one that is not: gone, decided already, or settled elsewhere (see to_review)."""
    locked = {
        s.pk: s
        for s in Suggestion.objects.select_for_update(of=("self",))
        .select_related("course", "position", "ability", "proposed_level")
        .filter(pk__in=pks)
        .order_by("pk")
    }
    to_review = set(Suggestion.objects.filter(pk__in=pks).to_review().values_list("pk", flat=True))
    errors: dict[str, list[str]] = defaultdict(list)
    for pk in pks:
        suggestion = locked.get(pk)
        if suggestion is None:
            errors["suggestion"].append(_("Suggestion %(id)s no longer exists.") % {"id": pk})
        elif suggestion.status != SuggestionStatus.PENDING:
            errors["status"].append(
                _("The suggestion “%(ability)s” for %(subject)s was already %(status)s.")
                % {
                    "ability": _ability_name(suggestion.ability),
                    "subject": _subject_name(suggestion),
                    "status": suggestion.get_status_display().lower(),
                }
            )
        elif pk not in to_review:
            errors["suggestion"].append(_settled_message(suggestion))
    if errors:
        raise ValidationError(dict(errors))
    return [locked[pk] for pk in pks]


def _ability_name(ability) -> str:
    """An ability in a message: its code and label in the reader's language (see str(ability))."""
    label = ability.display_label
    if len(label) > 80:
        label = label[:79] + "…"
    return f"{ability.code} {label}" if ability.code else label


def _subject_name(suggestion: Suggestion) -> str:
    """The course or position a suggestion is for, in the reader's language."""
    if suggestion.course_id:
        return f"{suggestion.course.code} {suggestion.course.display_title}"
    return suggestion.position.display_name


def _settled_message(suggestion: Suggestion) -> str:
    """Why a pending suggestion is no longer to review (see SuggestionQuerySet.to_review)."""
    if suggestion.ability.retired:
        return _("“%(ability)s” was retired from its framework: it is no longer suggested.") % {
            "ability": _ability_name(suggestion.ability)
        }
    if suggestion.course_id:
        return _("%(course)s is already linked to “%(ability)s”: nothing is left to review.") % {
            "course": _subject_name(suggestion),
            "ability": _ability_name(suggestion.ability),
        }
    return _("%(position)s already requires “%(ability)s”: nothing is left to review.") % {
        "position": _subject_name(suggestion),
        "ability": _ability_name(suggestion.ability),
    }


def _decide(suggestion: Suggestion, status: str, user) -> None:
    suggestion.status = status
    suggestion.decided_by = user if getattr(user, "pk", None) else None
    suggestion.decided_at = timezone.now()
    suggestion.full_clean()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])


def _note(suggestion: Suggestion) -> str:
    """The link's note: the terms matched, each once (a term found in an ability's label and in
    its description is two matches), and the line found close in meaning, if any."""
    terms, meaning = [], ""
    for m in (suggestion.explanation or {}).get("matches", []):
        term = m.get("term", "")
        if m.get("kind") == "meaning":
            meaning = meaning or term
        elif term and term not in terms:
            terms.append(term)
    note = _("Accepted suggestion (matched: %(terms)s).") % {"terms": ", ".join(terms[:4]) or "—"}
    if meaning:
        note += " " + _("Close in meaning to “%(line)s”.") % {"line": meaning}
    return note


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    user,
    level: Level | None = None,
    importance: str = Importance.ESSENTIAL,
) -> CourseAbility | Requirement:
    """Accept a pending suggestion: a course's becomes a CourseAbility at `level` (its proposed
    level when None), a position's a Requirement at minimum `level` (SUGGESTIONS_REQUIREMENT_LEVEL,
    "M", when None) and `importance`. Both with provenance "suggested" and `user` in their
    history. Marks the suggestion accepted by `user`. Coverage is marked stale by the write, as
    after any edit. Raises ValidationError, naming it, when it is no longer to review (decided
    already, its pair linked or required since, its ability retired)."""
    (locked,) = _locked_to_review([suggestion.pk])
    return _accept(locked, user=user, level=level, importance=importance)


def _accept(
    suggestion: Suggestion, *, user, level: Level | None, importance: str = Importance.ESSENTIAL
) -> CourseAbility | Requirement:
    if suggestion.course_id:
        level = level or suggestion.proposed_level
        if level is None:
            raise ValidationError({"level": _("Choose a level: I, R or M.")})
        made = curricula_services.course_ability_link(
            course=suggestion.course,
            ability=suggestion.ability,
            level=level,
            note=_note(suggestion),
            provenance=Provenance.SUGGESTED,
            history_user=user,
        )
    else:
        if level is None:
            code = getattr(settings, "SUGGESTIONS_REQUIREMENT_LEVEL", "M")
            level = Level.objects.filter(code=code).first()
            if level is None:
                raise ValidationError({"level": _("Choose a level: I, R or M.")})
        if importance not in Importance.values:
            raise ValidationError({"importance": _("Choose essential or optional.")})
        made = positions_services.requirement_create(
            position=suggestion.position,
            ability=suggestion.ability,
            min_level=level,
            importance=importance,
            provenance=Provenance.SUGGESTED,
            history_user=user,
        )
    _decide(suggestion, SuggestionStatus.ACCEPTED, user)
    return made


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user) -> Suggestion:
    """Reject a pending suggestion: it stays stored as rejected, so the pair is never proposed
    again. Writes the suggestion only."""
    (suggestion,) = _locked_to_review([suggestion.pk])
    _decide(suggestion, SuggestionStatus.REJECTED, user)
    return suggestion


@transaction.atomic
def suggestion_skip(*, suggestion: Suggestion) -> Suggestion:
    """Put a pending suggestion off: it stays pending and goes to the end of the queue."""
    (suggestion,) = _locked_to_review([suggestion.pk])
    suggestion.skipped_at = timezone.now()
    suggestion.save(update_fields=["skipped_at"])
    return suggestion


@transaction.atomic
def suggestions_accept_many(
    *,
    suggestions: Sequence[Suggestion],
    user,
    level: Level | None = None,
    importance: str = Importance.ESSENTIAL,
) -> list[CourseAbility | Requirement]:
    """Accept several at once, each at `level` (or its own proposed level), a suggestion given
    twice once, a position's as a requirement of `importance`: all or none. When any is no
    longer to review, nothing is accepted and the ValidationError says so, naming each one
    that blocks."""
    try:
        locked = _locked_to_review(unique_ids(s.pk for s in suggestions))
    except ValidationError as error:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Nothing was accepted.")], **error.message_dict}
        ) from error
    return [_accept(s, user=user, level=level, importance=importance) for s in locked]


class SuggestionQueueUnavailable(Exception):
    """The task queue could not take the generation job."""


def suggestions_request_generate(
    *,
    course_ids: Sequence[int] = (),
    position_ids: Sequence[int] = (),
    framework: Framework | None = None,
) -> str:
    """Start a generation job (Celery; inline without a broker) and return its task id, whose
    state and progress GET /api/v1/tasks/{id}/ reports. Raises SuggestionQueueUnavailable when
    the broker is unreachable. Writes nothing itself: the job does (see suggestions_generate)."""
    import uuid

    from suggestions.tasks import generate_suggestions

    app = generate_suggestions.app
    if not app.conf.task_always_eager:
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2)
        except Exception as error:
            raise SuggestionQueueUnavailable(str(error)) from error
    task_id = str(uuid.uuid4())
    try:
        generate_suggestions.apply_async(
            kwargs={
                "course_ids": list(course_ids),
                "position_ids": list(position_ids),
                "framework_id": framework.pk if framework else None,
            },
            task_id=task_id,
        )
    except Exception as error:
        raise SuggestionQueueUnavailable(str(error)) from error
    return task_id
