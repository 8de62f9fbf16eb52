"""Writes of the suggestions app: generating suggestions, and a reviewer's decisions on them.

Generating ranks a framework's abilities (or every framework's) for courses or positions with
the engine, and makes each subject's *pending* suggestions in that scope the new ones, keeping
the row (and so the id) of every pair still proposed.
Decided pairs are never proposed again: a rejected pair keeps its row, an accepted one became a
link or a requirement, and pairs already linked or required by hand are left out too.

Accepting writes through curricula's and positions' services, in bulk (a few statements however
many are accepted at once), with provenance "suggested" and the reviewer as the history user;
coverage reports are marked stale and recomputed once per programme, as after a hand edit.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certifications.models import TrainingStage
from core.exceptions import QueueUnavailable
from core.i18n import join_list, join_sentences
from core.jobs import task_marked, task_start, task_started_on
from core.models import Provenance
from core.outcomes import outcome_items
from core.queue import ensure_queue_reachable
from core.services import rows_key_share, unique_ids, update_from_values
from curricula import services as curricula_services
from curricula.coverage.services import coverage_mark_stale_for_positions
from curricula.models import Course, CourseAbility, Suggestion, SuggestionScope, SuggestionStatus
from positions import services as positions_services
from positions.models import Ability, Framework, Importance, Level, Position, Requirement
from positions.selectors import TIERS, level_of_tier, levels_listed
from suggestions import selectors
from suggestions import signals as refresh_signals
from suggestions.engine import Query, Ranked
from suggestions.engine.text import analyse, has_unread_letters, read_part
from suggestions.indexes import fingerprint as ability_fingerprint
from suggestions.indexes import index_for
from suggestions.levels import (
    Segment,
    descriptions_segments,
    propose_level,
    propose_requirement,
)

_BULK_BATCH = 2000


def suggestions_per_subject() -> int:
    return int(getattr(settings, "SUGGESTIONS_PER_SUBJECT", 20))


# --- What a course or a position says about itself ----------------------------------------------


def course_query(course: Course) -> Query:
    return Query(
        {
            "title": course.title,
            "title_zh": _other_name(course.title, course.title_zh),
            "description": course.description,
            "outcomes": course.outcomes,
        }
    )


def _other_name(name: str, name_zh: str) -> str:
    """The Chinese name where it is not the name itself: a catalogue naming its courses only in
    Chinese gives them that name as their title too, and read twice, its words weighed double
    and each was listed twice among the reasons."""
    return "" if name_zh.strip() == name.strip() else name_zh


def position_query(position: Position) -> Query:
    fields = {
        "title": position.name,
        "title_zh": _other_name(position.name, position.name_zh),
        "alt_labels": _alt_labels(position.extra),
        "description": position.description,
    }
    if position.description_zh:
        # Only when there is one: a position without keeps the text fingerprint its suggestions
        # were stored with, so a refresh does not regenerate every position for nothing.
        fields["description_zh"] = position.description_zh
    return Query(fields)


def _alt_labels(extra) -> str:
    """A position's alternative labels (`extra`'s altLabels, as an ESCO import keeps them: a
    list, or one label per line), one per line. `extra` is a JSON field staff edit in the admin:
    what is not text there (a number, a null, a nested list) names nothing and is left out."""
    alt = extra.get("altLabels") if isinstance(extra, dict) else None
    if isinstance(alt, str):
        return alt
    if isinstance(alt, list):
        return "\n".join(label for label in alt if isinstance(label, str))
    return ""


def text_fingerprint(query: Query, *, stage_id: int | None = None) -> str:
    """Changes when, and only when, what the suggestions were made from changes: the text they
    were ranked from, and a course's training stage (`stage_id`), whose place proposes the
    level when no outcome has a Bloom verb. Without a stage, the text's alone."""
    digest = hashlib.sha256()
    for name in sorted(query.fields):
        digest.update(f"{name}\x00{query.fields[name]}\x01".encode())
    if stage_id is not None:
        digest.update(f"stage\x00{stage_id}\x01".encode())
    return digest.hexdigest()


def course_fingerprint(course: Course) -> str:
    return text_fingerprint(course_query(course), stage_id=course.stage_id)


def scope_fingerprint(subject_fingerprint: str, abilities_stamp: tuple) -> str:
    """What a scope records it was generated from: the subject's text (text_fingerprint) and
    the abilities ranked (suggestions.indexes.fingerprint of its framework, or of all), so that
    a refresh by text (`manage.py suggest --refresh`) also redoes a run whose framework changed
    since, when the background refresh of that change was lost (broker down)."""
    return hashlib.sha256(f"{subject_fingerprint}\x00{abilities_stamp!r}".encode()).hexdigest()


_SENTENCE = re.compile(r"(?<=[.!?。！？；;])\s*")  # noqa: RUF001


def outcome_lines(course: Course) -> list[str]:
    """The outcomes as the course page lists them (one a line, a line's outcomes separated by
    semicolons each apart, without their bullets), which a level's reason quotes; a course
    without outcomes is read by its description's sentences instead. Of each, the part the
    engine reads (`read_part`): a level is never read, nor quoted, from past it."""
    lines = outcome_items(read_part(course.outcomes))
    if lines:
        return lines
    description = read_part(course.description)
    return [part.strip() for part in _SENTENCE.split(description) if part.strip()]


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
    # The courses with text that no ability matched (a course written only in Chinese, against
    # a framework without Chinese statements): nothing to suggest, and a page says why.
    courses_unmatched: list[int] = field(default_factory=list)
    # Whether the abilities ranked have Chinese words: which hint fits a Chinese course that met
    # none of them (one against a framework written in Chinese needs no Chinese names).
    abilities_read_chinese: bool = False

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
            "courses_unmatched": self.courses_unmatched[:100],
            "courses_unmatched_count": len(self.courses_unmatched),
            "abilities_read_chinese": self.abilities_read_chinese,
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
    required (position), pairs decided before, and abilities restating a rejected one that an
    import retired (the same label in the same framework, under a new identifier). Reports
    progress as (done, total). Raises ValidationError for a `k` below 1, before writing
    anything.
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
    result.abilities_read_chinese = fw_index.index.reads_chinese
    # The engine proposes one of three tiers (I, R, M), each the site's level of its rank.
    scale = list(Level.objects.order_by("rank"))
    levels = {tier: level.pk for tier in TIERS if (level := level_of_tier(tier, scale))}
    stages = list(TrainingStage.objects.order_by("order").values_list("pk", "name"))
    stage_place = {pk: (i + 1, len(stages), name) for i, (pk, name) in enumerate(stages)}
    done = 0
    for chunk in _chunks(course_ids, chunk_size):
        _generate_courses(chunk, fw_index, k, levels, stage_place, result)
        done += len(chunk)
        if on_progress:
            on_progress(done, total)
    for chunk in _chunks(position_ids, chunk_size):
        _generate_positions(chunk, fw_index, k, levels, result)
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
    for subject_id, ability_ids in _rejected_under_new_identifiers(subject_field, ids).items():
        out[subject_id] |= ability_ids
    return out


def _label(short_name: str, text: str) -> str:
    return short_name or text


def _rejected_under_new_identifiers(subject_field: str, ids: Sequence[int]) -> dict[int, set[int]]:
    """Per subject, the live abilities that restate one it rejected, now retired: the same
    label in the same framework. A source that re-issues its framework under new identifiers
    (a CASE package published again, a Moodle framework renumbered) has the import retire
    each old ability and create it anew, and the reviewer's rejection holds for the statement,
    not for the row. Two queries, however many subjects."""
    rejected = Suggestion.objects.filter(
        **{f"{subject_field}__in": ids},
        status=SuggestionStatus.REJECTED,
        ability__retired=True,
    ).values_list(subject_field, "ability__framework_id", "ability__short_name", "ability__text")
    wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
    for subject_id, framework_id, short_name, text in rejected:
        wanted[framework_id, _label(short_name, text)].add(subject_id)
    if not wanted:
        return {}
    labels = {label for _fw, label in wanted}
    restated = (
        Ability.objects.filter(framework_id__in={fw for fw, _label in wanted}, retired=False)
        .filter(Q(short_name__in=labels) | Q(text__in=labels, short_name=""))
        .values_list("pk", "framework_id", "short_name", "text")
    )
    out: dict[int, set[int]] = defaultdict(set)
    for pk, framework_id, short_name, text in restated:
        for subject_id in wanted.get((framework_id, _label(short_name, text)), ()):
            out[subject_id].add(pk)
    return out


def _rank(fw_index, queries: list[Query], excluded: list[set[int]], k: int) -> list[list[Ranked]]:
    # Each subject leaves out its own pairs; only the k kept are explained (ranking k more than
    # the most any subject of the chunk left out, and explaining all of them, made one course
    # with 500 links cost each course of its chunk 520 explanations).
    return fw_index.index.rank_many(queries, k=k, explain=True, exclude_each=excluded)


def _meets_a_settled_ability(fw_index, query: Query, settled: set[int]) -> bool:
    """Whether a query ranked with nothing left (its pairs linked, required or decided being
    left out) meets one of those: then its text matched, and every match is settled already.
    Ranked again only for such a subject, keeping one hit and explaining none."""
    if not settled:
        return False
    return bool(fw_index.index.rank_many([query], k=1, explain=False)[0])


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


def _strength(hit: Ranked) -> dict:
    """How strongly the engine stands by a suggestion (engine.explain.strength), as stored in its
    explanation: the band a page shows for the fused score, and what it was read from."""
    return {
        "band": hit.strength,
        "lexical_rank": hit.lexical_rank,
        "meaning_rank": hit.meaning_rank,
        "lexical_share": hit.lexical_share,
        # What it shares, read on its own, where that rated the band (on words alone, or where
        # two rankings agreeing says little: engine.explain.agreement_selective); else None.
        "coverage": hit.coverage,
        "terms": hit.terms,
    }


# What regenerating a pending suggestion rewrites; its status, skip and creation time stay.
_REGENERATED = (
    "framework_id",
    "score",
    "rank",
    "method",
    "explanation",
    "proposed_level_id",
    "proposed_importance",
)


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
    removed = 0
    for start in range(0, len(dropped), _BULK_BATCH):
        # Locked first: one a reviewer is deciding now is waited for, and left out once decided
        # (read pending above, its tombstone told a sync it was gone while it stayed, accepted).
        still_pending = list(
            Suggestion.objects.select_for_update()
            .filter(pk__in=dropped[start : start + _BULK_BATCH], status=SuggestionStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows_dropped = Suggestion.objects.filter(pk__in=still_pending)
        curricula_services.suggestion_deletions_record(suggestions=rows_dropped)
        removed += rows_dropped.delete()[0]
    _bulk_update(updated)
    _bulk_insert(created)
    return len(created), len(updated), removed


_COPY_COLUMNS = (
    "course_id",
    "position_id",
    "ability_id",
    *_REGENERATED,
    "status",
    "skipped_at",
    "created_at",
    "updated_at",
)


def _regenerated_values(row: Suggestion) -> tuple:
    """A row's _REGENERATED columns, in order, as the database is sent them."""
    return (
        row.framework_id,
        row.score,
        row.rank,
        row.method,
        orjson.dumps(row.explanation).decode(),
        row.proposed_level_id,
        row.proposed_importance,
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

    now = timezone.now().isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            (
                row.course_id,
                row.position_id,
                row.ability_id,
                *_regenerated_values(row),
                row.status,
                row.skipped_at.isoformat() if row.skipped_at else None,
                now,
                now,
            )
        )
    buffer.seek(0)
    table = Suggestion._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, "
            # A course's suggestion proposes no importance: an empty text, not a NULL.
            "FORCE_NOT_NULL (proposed_importance))",
            buffer,
        )


# PostgreSQL types a VALUES list's columns from the values given: text for JSON, and none for a
# level that is NULL in every row, neither of which fits the table's column.
_VALUES_CASTS = {"id": "bigint", "framework_id": "bigint", "proposed_level_id": "bigint"}
_VALUES_CASTS |= {"score": "double precision", "rank": "integer", "explanation": "jsonb"}
_VALUES_CASTS |= {"updated_at": "timestamp with time zone"}


def _bulk_update(rows: list[Suggestion]) -> None:
    """Rewrite what a regeneration changes of existing pending suggestions, by id (one decided
    meanwhile is left alone), in statements of _BULK_BATCH rows: Django's bulk_update, a CASE
    per row and column, took 6 s for the 4,000 rows of a 250-course chunk on SQLite, about nine
    times the delete and insert it replaced."""
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    # A bulk UPDATE leaves auto_now alone: the rows are stamped here, for a sync to see them.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    update_from_values(
        table,
        ("id", *_REGENERATED, "updated_at"),
        [(row.pk, *_regenerated_values(row), now) for row in rows],
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
    if subject_field == "course":
        refresh_signals.course_scopes_written()


# A chunk's subjects are locked while their suggestions are written (PostgreSQL; SQLite writes one
# transaction at a time anyway): a subject deleted meanwhile is waited for and left out, where its
# suggestions failed the chunk on their foreign key, and two jobs over the same subjects write one
# after the other, where both inserted the same pending rows. NO KEY: links and requirements
# staff add to a course or position meanwhile (a foreign key's KEY SHARE lock) do not wait.
_SUBJECT_LOCK = {"of": ("self",), "no_key": True}


def _says_nothing(*texts: str) -> bool:
    """Whether texts have no word to rank from: empty, or only stop words and punctuation (a
    "-" or "N/A" in a spreadsheet's description column). Words the engine cannot read (Korean)
    are words all the same: such a course is not matched, but it has its text."""
    return not any(
        text and (analyse(read_part(text), phrases=False) or has_unread_letters(text))
        for text in texts
    )


@transaction.atomic
def _generate_courses(ids, fw_index, k, levels, stage_place, result: GenerateResult) -> None:
    courses = list(
        Course.objects.filter(pk__in=ids)
        .only("id", "code", "title", "title_zh", "description", "outcomes", "stage_id")
        .order_by("id")
        .select_for_update(**_SUBJECT_LOCK)
    )
    excluded_by = _excluded(CourseAbility, "course_id", [c.pk for c in courses])
    queries = [course_query(c) for c in courses]
    excluded = [excluded_by.get(c.pk, set()) for c in courses]
    rows: list[Suggestion] = []
    ranked = _rank(fw_index, queries, excluded, k)
    for course, query, settled, hits in zip(courses, queries, excluded, ranked, strict=True):
        if not hits and _says_nothing(course.description, course.outcomes):
            result.subjects_without_text.append(course.code)
            result.courses_without_text.append(course.pk)
        elif not hits and not _meets_a_settled_ability(fw_index, query, settled):
            result.courses_unmatched.append(course.pk)
        lines = outcome_lines(course)
        place = stage_place.get(course.stage_id)
        for rank, hit in enumerate(hits, start=1):
            matches = _matches(hit)
            proposal = propose_level(
                outcomes=lines,
                # Every matched word, not only the few shown: an outcome may name the ability
                # in words that weigh too little to be among them.
                matched_terms=hit.matched,
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
                    explanation={
                        "matches": matches,
                        "level": proposal.as_dict(),
                        "strength": _strength(hit),
                    },
                    proposed_level_id=levels.get(proposal.code),
                )
            )
    _store(
        subject_field="course",
        subjects=courses,
        fingerprints=[
            text_fingerprint(query, stage_id=course.stage_id)
            for course, query in zip(courses, queries, strict=True)
        ],
        fw_index=fw_index,
        rows=rows,
        result=result,
    )
    result.courses += len(courses)


def _store(
    *, subject_field: str, subjects: list, fingerprints: list[str], fw_index, rows: list, result
) -> None:
    """Make the subjects' pending suggestions against the framework be `rows`, and record that
    they were generated from what `fingerprints` sum up (what a refresh compares)."""
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
            subject.pk: scope_fingerprint(fingerprint, fw_index.fingerprint)
            for subject, fingerprint in zip(subjects, fingerprints, strict=True)
        },
        framework_id=fw_index.framework_id,
    )


def position_segments(position: Position) -> list[Segment]:
    """The sentences of a position's descriptions (a job advert), English then Chinese, which
    say how deep and how much each ability matters (suggestions.levels.propose_requirement).
    Each is read apart: a heading ending one ("Nice to have:") heads none of the other's."""
    return descriptions_segments(position.description, position.description_zh)


@transaction.atomic
def _generate_positions(ids, fw_index, k, levels, result: GenerateResult) -> None:
    positions = list(
        Position.objects.filter(pk__in=ids)
        .only("id", "name", "name_zh", "description", "description_zh", "extra")
        .order_by("id")
        .select_for_update(**_SUBJECT_LOCK)
    )
    excluded_by = _excluded(Requirement, "position_id", [p.pk for p in positions])
    queries = [position_query(p) for p in positions]
    excluded = [excluded_by.get(p.pk, set()) for p in positions]
    rows: list[Suggestion] = []
    for position, hits in zip(positions, _rank(fw_index, queries, excluded, k), strict=True):
        if _says_nothing(position.description, position.description_zh):
            result.subjects_without_text.append(position.name)
            result.positions_without_text.append(position.pk)
        segments = position_segments(position)
        for rank, hit in enumerate(hits, start=1):
            matches = _matches(hit)
            level, importance = propose_requirement(segments=segments, matched_terms=hit.matched)
            explanation = {
                "matches": matches,
                "importance": importance.as_dict(),
                "strength": _strength(hit),
            }
            if level is not None:
                explanation["level"] = level.as_dict()
            rows.append(
                Suggestion(
                    position_id=position.pk,
                    ability_id=hit.id,
                    framework_id=fw_index.framework_of[hit.id],
                    score=max(0.0, float(hit.score)),
                    rank=rank,
                    method=fw_index.index.method,
                    explanation=explanation,
                    proposed_level_id=levels.get(level.code) if level else None,
                    proposed_importance=importance.value,
                )
            )
    _store(
        subject_field="position",
        subjects=positions,
        fingerprints=[text_fingerprint(query) for query in queries],
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
    new_course_ids: Iterable[int] = (),
    on_progress: Progress | None = None,
) -> GenerateResult:
    """Regenerate what earlier runs generated, where it may have changed: for the courses and
    positions given, each scope whose fingerprint (scope_fingerprint: the text, and the
    abilities it ranked) no longer matches; for the frameworks given, every scope that ranks
    their abilities (the framework's own and "all frameworks").

    Subjects never generated for are left alone, except the new courses given
    (`new_course_ids`, added since, as by a catalogue re-import): they are generated in every
    scope (framework, or all) some other course was generated in. Returns the summed result of
    the runs.
    """
    course_ids, position_ids = set(course_ids), set(position_ids)
    framework_ids = set(framework_ids)
    new_course_ids = set(new_course_ids)
    abilities_stamp = functools.cache(ability_fingerprint)  # one query per framework scoped
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
        fingerprints = {
            c.pk: course_fingerprint(c)
            for c in Course.objects.filter(pk__in=course_ids).only(
                "id", "title", "title_zh", "description", "outcomes", "stage_id"
            )
        }
        for scope in SuggestionScope.objects.filter(course_id__in=course_ids):
            fingerprint = fingerprints.get(scope.course_id)
            if fingerprint is not None and scope.text_fingerprint != scope_fingerprint(
                fingerprint, abilities_stamp(scope.framework_id)
            ):
                todo[scope.framework_id]["course"].add(scope.course_id)
    if new_course_ids:
        catalogue_scopes = set(
            SuggestionScope.objects.filter(course__isnull=False)
            .exclude(course_id__in=new_course_ids)
            .values_list("framework_id", flat=True)
            .distinct()
        )
        done = defaultdict(set)
        for course_id, fw in SuggestionScope.objects.filter(
            course_id__in=new_course_ids
        ).values_list("course_id", "framework_id"):
            done[course_id].add(fw)
        for fw in catalogue_scopes:
            todo[fw]["course"].update(pk for pk in new_course_ids if fw not in done[pk])
    if position_ids:
        queries = {
            p.pk: position_query(p)
            for p in Position.objects.filter(pk__in=position_ids).only(
                "id", "name", "name_zh", "description", "description_zh", "extra"
            )
        }
        for scope in SuggestionScope.objects.filter(position_id__in=position_ids):
            if scope.position_id in queries and scope.text_fingerprint != scope_fingerprint(
                text_fingerprint(queries[scope.position_id]), abilities_stamp(scope.framework_id)
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


def _ends_key_share(suggestions: Iterable[Suggestion]) -> None:
    """Before an accept locks its suggestions, lock what the links or requirements it makes
    point to (their course or position, and ability) as the check of their foreign keys does
    (core.services.rows_key_share): a deletion of one of those locks it first, then the
    suggestions it takes. The foreign keys' own check (at the commit: they are deferred) came
    after the accept had locked its suggestion, and waited for the deletion, which waited for
    that suggestion: a deadlock, which PostgreSQL broke by failing one of the two (the accept's
    503 or the deletion's 409). Now the accept waits for the deletion and finds its suggestion
    gone, or the deletion waits for the accept and takes the link it made. A suggestion's
    course, position and ability never change."""
    suggestions = list(suggestions)
    rows_key_share(Course, {s.course_id for s in suggestions})
    rows_key_share(Position, {s.position_id for s in suggestions})
    rows_key_share(Ability, {s.ability_id for s in suggestions})


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
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


def _decide_all(suggestions: Sequence[Suggestion], status: str, user) -> None:
    """Mark the suggestions (locked, to review) decided by `user`, in one UPDATE; each instance
    is left as stored. The status is one of SuggestionStatus and the reviewer is the request's
    user: what _decide's full_clean checked one suggestion at a time (the database checks
    both too)."""
    now = timezone.now()
    decided_by = user if getattr(user, "pk", None) else None
    for suggestion in suggestions:
        suggestion.status, suggestion.decided_by = status, decided_by
        suggestion.decided_at = suggestion.updated_at = now
    Suggestion.objects.filter(pk__in=[s.pk for s in suggestions]).update(
        status=status, decided_by_id=getattr(decided_by, "pk", None), decided_at=now, updated_at=now
    )


def _as_stored(given: Suggestion, stored: Suggestion) -> None:
    """Leave the caller's instance as its decision stored it (the service decides a copy it
    locked): its answer is then made from what was done, not from the suggestion read again
    after the commit, which a deletion landing meanwhile (its course's, or a generation's run
    without it) turns into a 404 for a decision that went through."""
    for name in ("status", "skipped_at", "decided_at", "updated_at"):
        setattr(given, name, getattr(stored, name))
    given.decided_by = stored.decided_by


def _notes(suggestion: Suggestion) -> tuple[str, str]:
    """The link's note and Chinese note: the terms matched, each once (a term found in an
    ability's label and in its description is two matches, and each field of the course quotes
    it as written there: "Support" in a title, "support" in an outcome), and the line found
    close in meaning, if any (at the engine's floor: selectors.explanation_matches). Both
    languages whoever accepts: the note field is English, whatever the reviewer's language."""
    terms, seen, meaning = [], set(), ""
    for m in selectors.explanation_matches(suggestion.explanation):
        term = m.get("term", "")
        if m.get("kind") == "meaning":
            meaning = meaning or term
        elif term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    notes = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            sentences = [
                _("Accepted suggestion (matched: %(terms)s).")
                % {"terms": join_list(terms[:4]) or "—"}
            ]
            if meaning:
                sentences.append(_("Close in meaning to “%(line)s”.") % {"line": meaning})
            notes.append(join_sentences(sentences))
    return notes[0], notes[1]


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    user,
    level: Level | None = None,
    importance: str | None = None,
) -> CourseAbility | Requirement:
    """Accept a pending suggestion: a course's becomes a CourseAbility at `level` (its proposed
    level when None), a position's a Requirement at minimum `level` and `importance` (when None,
    what the suggestion proposes from the position's description, else
    SUGGESTIONS_REQUIREMENT_LEVEL, "M", and essential). Both with provenance "suggested" and
    `user` in their history. Marks the suggestion accepted by `user`. Coverage is marked stale
    by the write, as after any edit. Raises ValidationError, naming it, when it is no longer to
    review (decided already, its pair linked or required since, its ability retired), and on
    `importance` when one is given for a course's suggestion (a link has a level alone). The
    `suggestion` given is left as stored (see _as_stored)."""
    if importance is not None and suggestion.course_id:
        # Said rather than dropped: whoever sent it thought it would be stored.
        raise ValidationError(
            {
                "importance": _(
                    "A course's suggestion becomes a course-ability link, which has a level but "
                    "no importance: importance is for a position's suggestion only."
                )
            }
        )
    _ends_key_share([suggestion])
    (locked,) = _locked_to_review([suggestion.pk])
    (made,) = _accept_all([locked], user=user, level=level, importance=importance)
    _as_stored(suggestion, locked)
    return made


def _choose_a_level() -> str:
    """What to tell someone accepting with no level to take: the levels there are, by code and
    name, as staff have named them (levels are data: a site's scale need not be I, R and M)."""
    return _("Choose a level: %(levels)s.") % {"levels": levels_listed(Level.objects.all())}


def _accept_all(
    suggestions: Sequence[Suggestion],
    *,
    user,
    level: Level | None = None,
    levels: Mapping[int, Level | None] | None = None,
    importance: str | None = None,
    importances: Mapping[int, str] | None = None,
) -> list[CourseAbility | Requirement]:
    """Accept the suggestions (locked, to review), in the order given, in a few statements
    whatever their number: a course's becomes a link, a position's a requirement, each at
    `level`, else at its own in `levels` (by id), else at its proposed level (a position's,
    else at SUGGESTIONS_REQUIREMENT_LEVEL), and a position's of `importance`, else of its own
    in `importances`, else of its proposed importance. The links are written by
    curricula_services.course_ability_link_many (which marks their programmes' coverage stale),
    the requirements by positions_services.requirement_create_many (their programmes' coverage
    marked here: a bulk write sends no signal), both with provenance "suggested" and `user` in
    their history, and the suggestions marked accepted in one UPDATE. Raises the
    ValidationError of the first that cannot be accepted (no level to take, an unknown
    importance), nothing written."""
    levels, importances = levels or {}, importances or {}
    default_level = functools.cache(selectors.default_requirement_level)
    links, requirements = [], []
    for suggestion in suggestions:
        chosen = level or levels.get(suggestion.pk) or suggestion.proposed_level
        if suggestion.course_id:
            if chosen is None:
                raise ValidationError({"level": _choose_a_level()})
            note, note_zh = _notes(suggestion)
            links.append(
                curricula_services.LinkToCreate(
                    course=suggestion.course,
                    ability=suggestion.ability,
                    level=chosen,
                    note=note,
                    note_zh=note_zh,
                )
            )
            continue
        weight = (
            importance
            or importances.get(suggestion.pk)
            or selectors.proposed_importance(suggestion=suggestion)
        )
        chosen = chosen or default_level()
        if chosen is None:
            raise ValidationError({"level": _choose_a_level()})
        if weight not in Importance.values:
            raise ValidationError({"importance": _("Choose essential or optional.")})
        requirements.append(
            positions_services.RequirementToCreate(
                position=suggestion.position,
                ability=suggestion.ability,
                min_level=chosen,
                importance=weight,
            )
        )
    made_links = iter(
        curricula_services.course_ability_link_many(
            links=links, provenance=Provenance.SUGGESTED, history_user=user
        )
    )
    made_requirements = iter(
        positions_services.requirement_create_many(
            requirements=requirements, provenance=Provenance.SUGGESTED, history_user=user
        )
    )
    if requirements:
        coverage_mark_stale_for_positions(position_ids={r.position.pk for r in requirements})
    _decide_all(suggestions, SuggestionStatus.ACCEPTED, user)
    return [next(made_links if s.course_id else made_requirements) for s in suggestions]


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user) -> Suggestion:
    """Reject a pending suggestion: it stays stored as rejected, so the pair is never proposed
    again. Writes the suggestion only. Returns it as stored; the `suggestion` given is left so
    too (see _as_stored)."""
    (locked,) = _locked_to_review([suggestion.pk])
    _decide(locked, SuggestionStatus.REJECTED, user)
    _as_stored(suggestion, locked)
    return locked


@transaction.atomic
def suggestion_skip(*, suggestion: Suggestion) -> Suggestion:
    """Put a pending suggestion off: it stays pending and goes to the end of the queue. Returns
    it as stored; the `suggestion` given is left so too (see _as_stored)."""
    (locked,) = _locked_to_review([suggestion.pk])
    locked.skipped_at = timezone.now()
    locked.save(update_fields=["skipped_at", "updated_at"])
    _as_stored(suggestion, locked)
    return locked


@transaction.atomic
def suggestions_accept_many(
    *,
    suggestions: Sequence[Suggestion],
    user,
    level: Level | None = None,
    importance: str | None = None,
    levels: Mapping[int, Level | None] | None = None,
    importances: Mapping[int, str] | None = None,
) -> list[CourseAbility | Requirement]:
    """Accept several at once, each at `level`, else at its own in `levels` (by suggestion id:
    what the review's row shows), else at its proposed level; a suggestion given twice once, a
    position's as a requirement of `importance`, else of its own in `importances` (by id, as its
    row shows it), else of its proposed importance: all or none.
    When any is no longer to review, nothing is accepted and the ValidationError says so, naming
    each one that blocks. Writes as _accept_all says: a few statements however many."""
    _ends_key_share(suggestions)
    try:
        locked = _locked_to_review(unique_ids(s.pk for s in suggestions))
    except ValidationError as error:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Nothing was accepted.")], **error.message_dict}
        ) from error
    return _accept_all(
        locked,
        user=user,
        level=level,
        levels=levels,
        importance=importance,
        importances=importances,
    )


class SuggestionQueueUnavailable(QueueUnavailable):
    """The task queue could not take the generation job."""


# What a generation job writes, so what it takes to start one or to follow someone else's.
GENERATE_COURSES_PERMISSION = "curricula.add_courseability"
GENERATE_POSITIONS_PERMISSION = "positions.add_requirement"


def _generation_scope(
    *, course_ids: Sequence[int], position_ids: Sequence[int], framework: Framework | None
) -> dict:
    """A generation job's scope: its task's arguments, what its coalescing compares."""
    return {
        "course_ids": sorted(course_ids),
        "position_ids": sorted(position_ids),
        "framework_id": framework.pk if framework else None,
    }


def suggestions_generation_job_of(
    *,
    task_id: str,
    course_ids: Sequence[int] = (),
    position_ids: Sequence[int] = (),
    framework: Framework | None = None,
) -> bool:
    """Whether the generation job `task_id` was asked for these subjects and framework (as
    suggestions_request_generate starts it), or is not known to be another's: a page following
    a job by its id shows only its own (core.jobs.task_started_on). Reads the cache only."""
    scope = _generation_scope(course_ids=course_ids, position_ids=position_ids, framework=framework)
    return task_started_on(task_id=task_id, scope=scope)


CATALOGUE_MARK = "catalogue"


def suggestions_catalogue_job_of(*, task_id: str) -> bool:
    """Whether the generation job `task_id` was asked for from the catalogue's page
    (suggestions_request_generate's `for_catalogue`), or is not known to be another's. Its
    scope cannot tell: the catalogue's courses may have changed since. Reads the cache only."""
    return task_marked(task_id=task_id, mark=CATALOGUE_MARK)


def suggestions_request_generate(
    *,
    course_ids: Sequence[int] = (),
    position_ids: Sequence[int] = (),
    framework: Framework | None = None,
    started_by=None,
    for_catalogue: bool = False,
) -> str:
    """Start a generation job (Celery; inline without a broker) and return its task id, whose
    state and progress GET /api/v1/tasks/{id}/ reports to `started_by` (or to staff who may
    write what it generates). The same job asked for while one is still waiting or running
    (the same subjects and framework) is not started again: that job's id is returned
    (core.jobs). `for_catalogue`: asked for from the catalogue's page, which follows only
    such jobs (suggestions_catalogue_job_of). Raises SuggestionQueueUnavailable when the broker
    is unreachable. Writes nothing itself: the job does (see suggestions_generate)."""
    from suggestions.tasks import generate_suggestions

    try:
        ensure_queue_reachable(app=generate_suggestions.app, what="suggestion generation")
    except QueueUnavailable as error:
        raise SuggestionQueueUnavailable(str(error)) from error
    kwargs = _generation_scope(
        course_ids=course_ids, position_ids=position_ids, framework=framework
    )

    def start(task_id: str) -> None:
        try:
            generate_suggestions.apply_async(kwargs=kwargs, task_id=task_id)
        except Exception as error:
            raise SuggestionQueueUnavailable(str(error)) from error

    try:
        started = task_start(
            operation="suggestions.generate",
            scope=kwargs,
            started_by=started_by,
            permissions=[
                GENERATE_POSITIONS_PERMISSION if position_ids else GENERATE_COURSES_PERMISSION
            ],
            start=start,
            marks=[CATALOGUE_MARK] if for_catalogue else [],
        )
    except QueueUnavailable as error:  # the result store, read for a job already queued
        if isinstance(error, SuggestionQueueUnavailable):
            raise
        raise SuggestionQueueUnavailable(str(error)) from error
    return started.task_id
