"""Reads of the suggestions app: review queues, and the courses suggested for a programme's gaps.

Every function runs a fixed number of queries, however many suggestions it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from certifications.models import TrainingStage
from core.history import ChangedAt
from core.i18n import localized
from curricula.coverage.engine import MISSING, PARTIAL
from curricula.coverage.selectors import (
    RELATION_LABELS,
    coverage_requirement_statuses,
    crosswalk_stand_ins,
)
from curricula.models import (
    Course,
    Programme,
    ProgrammeCourse,
    Suggestion,
    SuggestionStatus,
)
from positions.models import Ability, Framework, Importance, Level, Position, Requirement
from positions.selectors import leaves_partial, levels_written
from suggestions.engine import Settings
from suggestions.levels import (
    ImportanceProposal,
    Segment,
    descriptions_segments,
    propose_requirement,
)

# A programme's "required" view: a suggestion closing a gap that the coverage percent counts (an
# essential requirement missing, then partial) first, then an optional requirement's gap, then
# the rest (requirements covered already, or added since the stored report), each by score.
GAP_ORDER = {
    (Importance.ESSENTIAL, MISSING): 0,
    (Importance.ESSENTIAL, PARTIAL): 1,
    (Importance.OPTIONAL, MISSING): 2,
    (Importance.OPTIONAL, PARTIAL): 3,
}
NO_GAP = len(GAP_ORDER)

# The similarity below which the engine names no line close in meaning: its default, the one
# suggestions are generated with.
MEANING_FLOOR = Settings().semantic_floor


@dataclass(frozen=True)
class TargetNeed:
    """A requirement of one of a programme's target positions that an ability serves: its own,
    or, through a crosswalk the programme's rule set counts, the required ability's it stands
    in for (`via`)."""

    position_id: int
    position_name: str
    importance: str
    # covered, partial or missing as the stored report has it; "" for a requirement added since.
    status: str
    # The required ability stood in for: id, code, text, relation (type) and relation_label.
    via: dict | None = None
    # The requirement's minimum level: its code and rank.
    min_level: str = ""
    min_rank: int = 0

    @property
    def gap_order(self) -> int:
        return GAP_ORDER.get((self.importance, self.status), NO_GAP)

    @property
    def is_gap(self) -> bool:
        """Missing or partial in the stored report: what accepting a suggestion may close."""
        return self.status in (MISSING, PARTIAL)

    def above(self, level: Level | None) -> bool:
        """Whether the requirement needs more than `level` (a suggestion's proposed level): a
        link at `level` would leave it partial. No level proposed: not judged."""
        return leaves_partial(level.rank if level else None, self.min_rank or None)


def needs_above(needs: Sequence[TargetNeed], level: Level | None) -> TargetNeed | None:
    """Of a suggestion's needs, the gap (missing or partial) needing the most above its proposed
    `level`: what the review names, and the level it offers to accept it at. None when the
    proposed level closes every gap it serves (or proposes none)."""
    short = [need for need in needs if need.is_gap and need.above(level)]
    return max(short, key=lambda need: need.min_rank) if short else None


@dataclass
class ProgrammeNeeds:
    """What a programme's target positions require, for its review queue: per ability, the
    requirements it would serve if linked (see `programme_needs`)."""

    programme_id: int
    by_ability: dict[int, list[TargetNeed]] = field(default_factory=dict)
    # Abilities not required themselves that stand in for a required one.
    stand_in_ids: list[int] = field(default_factory=list)

    @property
    def has_requirements(self) -> bool:
        """Whether any target requires anything: the "required" view is then the default."""
        return bool(self.by_ability)

    def needs_of(self, ability_id: int) -> list[TargetNeed]:
        return self.by_ability.get(ability_id, [])

    def required(self) -> Q:
        """A suggestion whose ability a target requires, or stands in for one that does."""
        direct = Exists(
            Requirement.objects.filter(
                position__programme_targets__programme_id=self.programme_id,
                ability_id=OuterRef("ability_id"),
            )
        )
        return Q(direct) | Q(ability_id__in=self.stand_in_ids) if self.stand_in_ids else Q(direct)

    def gaps_first(self, rows: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
        """`rows` in the required view's order: skipped ones last as in every queue, then by the
        gap the suggestion closes (GAP_ORDER), then best first."""
        orders: dict[int, list[int]] = {}
        for ability_id, needs in self.by_ability.items():
            order = min(need.gap_order for need in needs)
            if order < NO_GAP:
                orders.setdefault(order, []).append(ability_id)
        if not orders:
            return rows.best_first()
        gap = Case(
            *(
                When(ability_id__in=sorted(ids), then=Value(order))
                for order, ids in sorted(orders.items())
            ),
            default=Value(NO_GAP),
        )
        return rows.order_by(F("skipped_at").asc(nulls_first=True), gap, "-score", "rank", "id")


def programme_needs(*, programme: Programme) -> ProgrammeNeeds:
    """Per ability, the requirements of the programme's targets it serves: each one it is
    required by, with the requirement's status in the stored coverage report, and, under the
    programme's crosswalk rule set, each requirement of an ability it stands in for (an exact
    match, or a related ability when the rule set counts those; child abilities are not
    stand-ins: they cover a parent together, as in the progression view). One query when the
    targets require nothing; else two, one more when the rule set counts a relation, and one
    more when some ability stands in for a required one."""
    rows = list(
        Requirement.objects.filter(position__programme_targets__programme=programme)
        .order_by("position__name", "position_id", "ability_id")
        .values_list(
            "position_id",
            "ability_id",
            "importance",
            "position__name",
            "position__name_zh",
            "min_level__code",
            "min_level__rank",
        )
    )
    needs = ProgrammeNeeds(programme_id=programme.pk)
    if not rows:
        return needs
    statuses = coverage_requirement_statuses(programme=programme)
    for position_id, ability_id, importance, name, name_zh, min_code, min_rank in rows:
        needs.by_ability.setdefault(ability_id, []).append(
            TargetNeed(
                position_id=position_id,
                position_name=localized(name, name_zh),
                importance=importance,
                status=statuses.get((position_id, ability_id), ""),
                min_level=min_code,
                min_rank=min_rank,
            )
        )
    direct = dict(needs.by_ability)
    stand_ins = crosswalk_stand_ins(programme=programme, required=direct)
    if stand_ins:
        required_ids = {ability_id for pairs in stand_ins.values() for ability_id, _ in pairs}
        names = {
            pk: (code, localized(text, text_zh))
            for pk, code, text, text_zh in Ability.objects.filter(
                pk__in=sorted(required_ids)
            ).values_list("id", "code", "text", "text_zh")
        }
        for other_id, pairs in sorted(stand_ins.items()):
            if other_id not in direct:
                needs.stand_in_ids.append(other_id)
            for ability_id, relation in pairs:
                code, text = names.get(ability_id, ("", ""))
                via = {
                    "id": ability_id,
                    "code": code,
                    "text": text,
                    "relation": relation,
                    "relation_label": str(RELATION_LABELS.get(relation, relation)),
                }
                needs.by_ability.setdefault(other_id, []).extend(
                    TargetNeed(
                        position_id=need.position_id,
                        position_name=need.position_name,
                        importance=need.importance,
                        status=need.status,
                        via=via,
                        min_level=need.min_level,
                        min_rank=need.min_rank,
                    )
                    for need in direct[ability_id]
                )
    return needs


def default_requirement_level(*, levels: Sequence[Level] | None = None) -> Level | None:
    """The level SUGGESTIONS_REQUIREMENT_LEVEL names, read as every other door reads a level
    (positions.selectors.levels_written: its code in any case or width, or its name in either
    language), among `levels` (all when None); None when it names none or several (the
    system check suggestions.W001 says so)."""
    written = str(getattr(settings, "SUGGESTIONS_REQUIREMENT_LEVEL", "M"))
    if len(written) > 200 or "\x00" in written:
        return None
    named = levels_written(written, Level.objects.all() if levels is None else levels)
    return named[0] if len(named) == 1 else None


def suggestion_list(
    *,
    course_id: int | None = None,
    position_id: int | None = None,
    framework_id: int | None = None,
    status: str | None = None,
    settled_elsewhere: bool = False,
) -> QuerySet[Suggestion]:
    """Suggestions of one course or position (or all), best first, with what a row shows and
    `last_changed` (SUGGESTION_CHANGED's): decided ones and those still to review (so
    "pending" means what a review queue holds).
    With `settled_elsewhere`, also the pending ones whose pair was linked or required by hand
    since, or whose ability was retired (to name why one cannot be decided)."""
    rows = (
        Suggestion.objects.all() if settled_elsewhere else Suggestion.objects.decided_or_to_review()
    )
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    if position_id is not None:
        rows = rows.filter(position_id=position_id)
    if framework_id is not None:
        rows = rows.filter(framework_id=framework_id)
    if status:
        rows = rows.filter(status=status)
    return (
        rows.with_display()
        .annotate(last_changed=Greatest("updated_at", "ability__updated_at"))
        .best_first()
    )


# When a suggestion last changed, as a sync sees it: it shows its ability's code and text.
SUGGESTION_CHANGED = ChangedAt(Suggestion, shown=("ability__updated_at",))


def programme_suggestion_list(
    rows: QuerySet[Suggestion], *, programme: Programme, needs: ProgrammeNeeds, required: bool
) -> QuerySet[Suggestion]:
    """`rows` (a `suggestion_list`) narrowed to the programme's courses; with `required`, to
    the abilities its targets require (`needs`), in the required view's order."""
    rows = rows.filter(
        course_id__in=ProgrammeCourse.objects.filter(programme=programme).values("course_id")
    )
    return needs.gaps_first(rows.filter(needs.required())) if required else rows


def _course_suggestions(
    *, course_ids: list[int], framework_id: int | None, required: ProgrammeNeeds | None
) -> QuerySet[Suggestion]:
    """The suggestions a course or programme review page is about: of the courses, from the
    framework (all when None), and with `required` only for abilities the programme's targets
    require (or that stand in for one)."""
    rows = Suggestion.objects.for_courses(course_ids).in_framework(framework_id)
    if required is not None:
        rows = rows.filter(required.required())
    return rows


def course_review_queue(
    *,
    course_ids: list[int],
    framework_id: int | None = None,
    required: ProgrammeNeeds | None = None,
) -> QuerySet[Suggestion]:
    """The courses' suggestions still to review, best first; with `required` (a programme's
    needs), only abilities its targets require, the gaps they close first."""
    rows = _course_suggestions(course_ids=course_ids, framework_id=framework_id, required=required)
    rows = rows.to_review().with_display()
    return required.gaps_first(rows) if required is not None else rows.best_first()


def required_view_counts(
    *, course_ids: list[int], framework_id: int | None, needs: ProgrammeNeeds
) -> dict[str, int]:
    """How many suggestions a programme's queue holds in each view: "required" (abilities its
    targets require) and "all". One query."""
    rows = Suggestion.objects.for_courses(course_ids).in_framework(framework_id).to_review()
    return rows.aggregate(required=Count("id", filter=needs.required()), all=Count("id"))


def position_review_queue(
    *, position_id: int, framework_id: int | None = None
) -> QuerySet[Suggestion]:
    """The position's suggestions still to review (from the framework; all when None), best
    first."""
    rows = Suggestion.objects.filter(position_id=position_id).in_framework(framework_id)
    return rows.to_review().with_display().best_first()


def position_suggestion_counts(
    *, position_id: int, framework_id: int | None = None
) -> dict[str, int]:
    """How many of the position's suggestions are pending (exactly those its queue holds),
    accepted and rejected."""
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    rows = Suggestion.objects.filter(position_id=position_id).in_framework(framework_id)
    for status in rows.decided_or_to_review().values_list("status", flat=True).iterator():
        counts[status] += 1
    return counts


def suggestion_counts(
    *,
    course_ids: list[int],
    framework_id: int | None = None,
    required: ProgrammeNeeds | None = None,
) -> dict[str, int]:
    """How many of the suggestions `course_review_queue` draws from are pending (exactly those
    it holds), accepted and rejected."""
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    rows = _course_suggestions(course_ids=course_ids, framework_id=framework_id, required=required)
    for status in rows.decided_or_to_review().values_list("status", flat=True).iterator():
        counts[status] += 1
    return counts


def course_get(*, pk: int) -> Course | None:
    return Course.objects.select_related("stage", "module").filter(pk=pk).first()


def position_get(*, pk: int) -> Position | None:
    return Position.objects.filter(pk=pk).first()


def framework_get(*, pk: int) -> Framework | None:
    return Framework.objects.filter(pk=pk).first()


def catalogue_course_ids() -> list[int]:
    """Every course of the catalogue, by id (what `manage.py suggest --all-courses` generates
    for)."""
    return list(Course.objects.order_by("id").values_list("pk", flat=True))


def catalogue_course_count() -> int:
    return Course.objects.count()


# The catalogue page lists this many courses with suggestions to review; a count says the rest.
CATALOGUE_REVIEW_LIMIT = 50


def catalogue_courses_to_review(*, limit: int = CATALOGUE_REVIEW_LIMIT) -> tuple[list[Course], int]:
    """The catalogue's courses with suggestions to review, those with the most first (then by
    code), each with `to_review`, its count; at most `limit`, and how many there are. Three
    queries, however many."""
    counts = (
        Suggestion.objects.to_review()
        .filter(course__isnull=False)
        .values("course")
        .annotate(to_review=Count("id"))
    )
    total = counts.count()
    top = {
        row["course"]: row["to_review"]
        for row in counts.order_by("-to_review", "course__code")[:limit]
    }
    courses = sorted(
        Course.objects.filter(pk__in=top),
        key=lambda course: (-top[course.pk], course.code),
    )
    for course in courses:
        course.to_review = top[course.pk]
    return courses, total


def programme_get(*, pk: int) -> Programme | None:
    return Programme.objects.filter(pk=pk).first()


def programme_course_ids(*, programme: Programme) -> list[int]:
    return list(
        ProgrammeCourse.objects.filter(programme=programme)
        .order_by("order", "id")
        .values_list("course_id", flat=True)
    )


def frameworks_for_choice() -> QuerySet[Framework]:
    return Framework.objects.order_by("name", "id").only("id", "name", "name_zh", "version")


def frameworks_for_choice_with_trees() -> QuerySet[Framework]:
    """The frameworks to suggest from, each with `is_tree`: whether an ability of it hangs from
    another (the review then says where such groupings are listed). Only the review's page
    lists them; the views asking whether any framework exists ask the plain query."""
    return frameworks_for_choice().annotate(
        is_tree=Exists(Ability.objects.filter(framework=OuterRef("pk"), parent__isnull=False))
    )


def courses_in_order(*, ids: list[int], text: bool = False) -> list[Course]:
    """The courses with these ids (those still there), in the order given; with `text`, their
    description and outcomes loaded too."""
    fields = ["id", "code", "title", "title_zh"]
    if text:
        fields += ["description", "outcomes"]
    found = Course.objects.only(*fields).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def positions_in_order(*, ids: list[int]) -> list[Position]:
    """The positions with these ids (those still there), in the order given."""
    found = Position.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@lru_cache(maxsize=256)
def _description_segments(description: str, description_zh: str) -> tuple[Segment, ...]:
    # A page or an API list shows many suggestions of one position: its descriptions are cut
    # into sentences once, as generation reads them (services.position_segments).
    return tuple(descriptions_segments(description, description_zh))


def proposed_importance(*, suggestion: Suggestion) -> str:
    """What a position's suggestion proposes its requirement's importance to be (what accepting
    makes it unless told): as stored, or, for one stored before importances were proposed
    (blank), as the position's description reads now for the terms it matched, without
    regenerating it. Blank for a course's. No query when the suggestion's position is loaded
    with it (with_display)."""
    if not suggestion.position_id:
        return ""
    return suggestion.proposed_importance or _read_importance(suggestion).value


def explanation_matches(explanation: object) -> list[dict]:
    """The matches of a stored explanation, as a person is shown them and a proposal reads
    them: every match of a term, and a match by meaning only when its line's similarity is at
    least the engine's floor (`Settings.semantic_floor`). A suggestion stored before the engine
    named a line only at the floor keeps, until regenerated, the line closest to the ability
    however far it was; that line is not close, so it is neither quoted as close in meaning nor
    read for a proposal (nor is a match by meaning with no similarity to tell). The stored
    record itself is left as it is."""
    matches = explanation.get("matches") if isinstance(explanation, dict) else None
    if not isinstance(matches, list):
        return []
    return [m for m in matches if isinstance(m, dict) and _close_enough(m)]


def _close_enough(match: dict) -> bool:
    if match.get("kind", "term") != "meaning":
        return True
    similarity = match.get("similarity")
    return isinstance(similarity, int | float) and similarity >= MEANING_FLOOR


def _read_importance(suggestion: Suggestion) -> ImportanceProposal:
    terms = [
        m["term"]
        for m in explanation_matches(suggestion.explanation)
        if isinstance(m.get("term"), str)
    ]
    _level, importance = propose_requirement(
        segments=_description_segments(
            suggestion.position.description, suggestion.position.description_zh
        ),
        matched_terms=terms,
    )
    return importance


def with_importance_proposals(rows: Sequence[Suggestion]) -> Sequence[Suggestion]:
    """The rows, each position's suggestion stored before importances were proposed given (in
    memory, not saved) the importance and the reason its position's description proposes now,
    so a review page preselects what accepting it would make."""
    for row in rows:
        if row.position_id and not row.proposed_importance:
            proposal = _read_importance(row)
            row.proposed_importance = proposal.value
            explanation = row.explanation if isinstance(row.explanation, dict) else {}
            row.explanation = {**explanation, "importance": proposal.as_dict()}
    return rows


def with_stage_names(rows: Sequence[Suggestion]) -> Sequence[Suggestion]:
    """The rows, each level proposed from its course's training stage naming the stage in the
    reader's language (in memory, not saved): the explanation keeps the stage's own name, as
    it was when the suggestion was generated. One query, when any row needs it."""
    by_stage = [
        row
        for row in rows
        if isinstance(row.explanation, dict)
        and isinstance(row.explanation.get("level"), dict)
        and row.explanation["level"].get("rule") == "stage"
    ]
    if not by_stage:
        return rows
    names = {stage.name: stage.display_name for stage in TrainingStage.objects.all()}
    for row in by_stage:
        level = row.explanation["level"]
        stage = names.get(level.get("stage", ""), level.get("stage", ""))
        row.explanation = {**row.explanation, "level": {**level, "stage": stage}}
    return rows
