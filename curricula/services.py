"""Writes of the supply side: courses, course-ability links, and programmes' courses and targets.

Every service validates with full_clean() and saves or deletes model by model (never
queryset.update), so the model signals that mark coverage reports stale see each change; the bulk
writers (courses put in a programme or taken out of it: _programme_courses_write; their terms:
_programme_terms_set; its target positions: _programme_targets_set; change sets of the map)
validate as full_clean() would and mark those reports themselves. Staff edits carry the
provenance "edit".
"""

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, TrainingStage
from core.history import (
    NOT_DIFFED,
    HistoryConflict,
    history_bulk_write,
    history_changes,
    history_changes_moved,
    history_changes_revert,
)
from core.i18n import bracketed, join_list, join_sentences, localized, record_name
from core.models import Provenance
from core.services import (
    lock_for_update,
    model_update,
    record_delete,
    require_existing,
    unique_ids,
    validated_save,
)
from core.spreadsheets import (
    WorkbookNote,
    spreadsheet_content_problem,
    spreadsheet_dataset,
    spreadsheet_kind,
    workbook_notes_data,
)
from curricula.coverage.services import coverage_mark_stale, coverage_mark_stale_for_courses
from curricula.models import (
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
    Suggestion,
    SuggestionDeletion,
)
from curricula.selectors.maps import CellInput, map_change_plan
from positions.models import Ability, Level, Position, Track

COURSE_FIELDS = (
    "code",
    "title",
    "title_zh",
    "description",
    "outcomes",
    "language",
    "credits",
    "module",
    "stage",
)
LINK_FIELDS = ("course", "ability", "level", "note", "note_zh")

_DUPLICATE_LINK = {
    "ability": _(
        "This course already has a link to this ability; change that link's level instead."
    )
}
_DUPLICATE_COURSE_CODE = {"code": _("Another course has this code.")}


@transaction.atomic
def course_create(
    *,
    code: str,
    title: str,
    title_zh: str = "",
    description: str = "",
    outcomes: str = "",
    language: str = "",
    credits: Decimal | None = None,
    module: Module | None = None,
    stage: TrainingStage | None = None,
) -> Course:
    """Create a course (writes one Course)."""
    course = Course(
        code=code,
        title=title,
        title_zh=title_zh,
        description=description,
        outcomes=outcomes,
        language=language,
        credits=credits,
        module=module,
        stage=stage,
        provenance=Provenance.EDIT,
    )
    validated_save(course, conflict=_DUPLICATE_COURSE_CODE)
    return course


@transaction.atomic
def course_update(*, course: Course, **fields: Any) -> Course:
    """Change a course's own fields (code, title, title_zh, description, outcomes, language,
    credits, module, stage)."""
    model_update(
        instance=course, fields=COURSE_FIELDS, data=fields, conflict=_DUPLICATE_COURSE_CODE
    )
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    """Delete a course with its ability links and its places in programmes. Raises
    DeletionConflict, nothing deleted, when a record was added meanwhile to one deleted with it
    (core.services.record_delete)."""
    record_delete(course)


def _check_link_unique(*, course: Course, ability: Ability, link_id: int | None = None) -> None:
    clash = CourseAbility.objects.filter(course=course, ability=ability)
    if link_id is not None:
        clash = clash.exclude(pk=link_id)
    if clash.exists():
        raise ValidationError(_DUPLICATE_LINK)


@transaction.atomic
def course_ability_link(
    *,
    course: Course,
    ability: Ability,
    level: Level,
    note: str = "",
    note_zh: str = "",
    reason: str = "",
    provenance: Provenance = Provenance.EDIT,
    history_user: Any = None,
) -> CourseAbility:
    """Record that a course builds an ability to a level (writes one CourseAbility, and its
    history record with `reason` as the change reason).

    A second link for the same course and ability is refused with a ValidationError.
    `provenance` says where the link came from: a staff edit, or an accepted suggestion;
    `history_user`, who made it, when no request says so (a task, a command).
    """
    link = CourseAbility(
        course=course,
        ability=ability,
        level=level,
        note=note,
        note_zh=note_zh,
        provenance=provenance,
    )
    if reason:
        link._change_reason = reason
    if history_user is not None:
        link._history_user = history_user
    _check_link_unique(course=course, ability=ability)
    validated_save(link, conflict=_DUPLICATE_LINK)
    return link


@dataclass(frozen=True)
class LinkToCreate:
    """One link for course_ability_link_many."""

    course: Course
    ability: Ability
    level: Level
    note: str = ""
    note_zh: str = ""


@transaction.atomic
def course_ability_link_many(
    *,
    links: Sequence[LinkToCreate],
    provenance: Provenance = Provenance.EDIT,
    history_user: Any = None,
) -> list[CourseAbility]:
    """Record many course-ability links at once, as course_ability_link records each, in a few
    statements whatever their number: one read of the pairs already linked, one INSERT of the
    links and one of their history (`history_user` in it, no change reason), and the
    programmes teaching their courses marked stale once (their recompute enqueued after the
    commit, as after any edit).

    A pair already linked, or given twice, is refused with a ValidationError, nothing written.
    """
    if not links:
        return []
    pairs = [(link.course.pk, link.ability.pk) for link in links]
    taken = set(
        CourseAbility.objects.filter(
            course_id__in={c for c, _a in pairs}, ability_id__in={a for _c, a in pairs}
        ).values_list("course_id", "ability_id")
    )
    if len(set(pairs)) < len(pairs) or taken.intersection(pairs):
        raise ValidationError(_DUPLICATE_LINK)
    made = [
        CourseAbility(
            course=link.course,
            ability=link.ability,
            level=link.level,
            note=link.note,
            note_zh=link.note_zh,
            provenance=provenance,
        )
        for link in links
    ]
    history_bulk_write(
        model=CourseAbility,
        create=made,
        user=history_user,
        reason=None,
        conflict=_DUPLICATE_LINK,
    )
    # A bulk write sends no post_save (curricula.signals.link_changed would mark them).
    coverage_mark_stale_for_courses(course_ids={course_id for course_id, _a in pairs})
    return made


@transaction.atomic
def course_ability_update(*, link: CourseAbility, reason: str = "", **fields: Any) -> CourseAbility:
    """Change a link's course, ability, level, note or Chinese note; the (course, ability) pair
    stays unique. The history record carries `reason` as its change reason."""
    if reason:
        link._change_reason = reason
    # The uniqueness check reads the link: under its row lock, as stored now.
    lock_for_update(link)
    _check_link_unique(
        course=fields.get("course", link.course),
        ability=fields.get("ability", link.ability),
        link_id=link.pk,
    )
    model_update(instance=link, fields=LINK_FIELDS, data=fields, conflict=_DUPLICATE_LINK)
    return link


@transaction.atomic
def course_ability_unlink(*, link: CourseAbility, reason: str = "") -> None:
    """Delete one course-ability link (its history record carries `reason`)."""
    if reason:
        link._change_reason = reason
    link.delete()


def _programme_rows_locked(model: type[Any], *, programme: Programme, key: str) -> dict[int, Any]:
    """The programme's rows of `model` (ProgrammeCourse, ProgrammeTarget) by their `key`, read
    and locked: not its prefetched lists, which predate this transaction, so what is deleted,
    created or changed is decided on what is stored."""
    rows = model.objects.filter(programme=programme).select_for_update()
    return {getattr(row, key): row for row in rows}


def _programme_rows_write(
    *,
    programme: Programme,
    model: type[Any],
    delete: Sequence[Any] = (),
    create: Sequence[Any] = (),
    update: Sequence[Any] = (),
    update_fields: Sequence[str] = (),
    user: Any = None,
    reason: str | None = None,
    conflict: dict[str, Any] | None = None,
) -> None:
    """Write the programme's rows of `model` in bulk (core.history.history_bulk_write: a few
    statements whatever their number): `delete` first, as staff deleted them row by row, then
    `create` and `update`, each in the history with `user` (None: the request's, as a save
    records it) and `reason` (None: no reason, as a save that sets none); a clash with a row
    written meanwhile is `conflict`. If anything was written, the programme's coverage is marked
    stale once, recomputed after commit: no model signals, so this marks what they would
    (nothing points to these rows, so a delete cascades nowhere)."""
    if delete:
        history_bulk_write(model=model, delete=delete, user=user, reason=reason)
    if create or update:
        history_bulk_write(
            model=model,
            create=create,
            update=update,
            update_fields=update_fields,
            user=user,
            reason=reason,
            conflict=conflict,
        )
    if delete or create or update:
        coverage_mark_stale(programme_ids=[programme.pk])


def _programme_courses_set(*, programme: Programme, course_ids: list[int]) -> None:
    require_existing(
        Course, course_ids, field="courses", message=gettext_noop("No course has the id %(ids)s.")
    )
    # Entries that stay keep their order and Table III title; new ones go to the end (after the
    # entries removed too, as they always have).
    _programme_courses_write(
        programme=programme,
        places=[CoursePlace(course_id=pk) for pk in course_ids],
        keep_only=True,
    )


def _programme_targets_set(*, programme: Programme, position_ids: list[int]) -> None:
    """Make the programme's target positions exactly `position_ids`: the targets no longer
    wanted are deleted, the new ones created in the order given, marked edited by staff; each
    one in the history with the request's user and no reason, the programme's coverage marked
    stale once (_programme_rows_write)."""
    require_existing(
        Position,
        position_ids,
        field="target_positions",
        message=gettext_noop("No position has the id %(ids)s."),
    )
    existing = _programme_rows_locked(ProgrammeTarget, programme=programme, key="position_id")
    wanted = set(position_ids)
    _programme_rows_write(
        programme=programme,
        model=ProgrammeTarget,
        delete=[target for pk, target in existing.items() if pk not in wanted],
        create=[
            ProgrammeTarget(programme=programme, position_id=pk, provenance=Provenance.EDIT)
            for pk in position_ids
            if pk not in existing
        ],
        conflict={"target_positions": _("The position is already a target.")},
    )


PROGRAMME_FIELDS = (
    "name",
    "name_zh",
    "description",
    "description_zh",
    "certification",
    "track",
    "own_degree_level",
)
_DUPLICATE_PROGRAMME_NAME = {"name": _("Another programme has this name.")}


def _programme_terms_set(*, programme: Programme, course_terms: Iterable[tuple[int, int | None]]):
    """Set the term of courses already in the programme (None: back to the training stage's
    place). A course not in the programme, or a course named twice, refuses the whole change.
    Written in bulk, the programme's coverage marked stale once (_programme_rows_write), as
    _programme_courses_write writes the courses."""
    wanted: dict[int, int | None] = {}
    for course_id, term in course_terms:
        if course_id in wanted:
            # Named by its code, as the reader knows it (its id only when it has no course).
            code = Course.objects.filter(pk=course_id).values_list("code", flat=True).first()
            raise ValidationError(
                {"terms": _("Course %(code)s is given two terms.") % {"code": code or course_id}}
            )
        wanted[course_id] = term
    # Not programme.programme_courses: a prefetched list predates the courses just set. Locked,
    # so each term is compared with what is stored, as model_update compared it.
    entries = _programme_rows_locked(ProgrammeCourse, programme=programme, key="course_id")
    strangers = [course_id for course_id in wanted if course_id not in entries]
    if strangers:
        # Named by its code, as the reader knows it, with the id the request gave it.
        codes = dict(Course.objects.filter(pk__in=strangers).values_list("pk", "code"))
        named = [
            bracketed(codes[pk], gettext("id %(id)d") % {"id": pk})
            if pk in codes
            else gettext("id %(id)d") % {"id": pk}
            for pk in strangers
        ]
        raise ValidationError(
            {
                "terms": _("Not a course of this programme: %(courses)s.")
                % {"courses": join_list(named)}
            }
        )
    # As model_update saved each: only the terms that change, marked edited by staff (the
    # file's source_ref kept), each in the history with the request's user and no reason.
    changed = []
    for course_id, term in wanted.items():
        entry = entries[course_id]
        if entry.term != term:
            entry.term = term
            entry.provenance = Provenance.EDIT
            changed.append(entry)
    _programme_rows_write(
        programme=programme,
        model=ProgrammeCourse,
        update=changed,
        update_fields=["term", "provenance"],
    )


@transaction.atomic
def programme_create(
    *,
    name: str,
    track: Track | None = None,
    certification: Certification | None = None,
    own_degree_level: str = "",
    description: str = "",
    name_zh: str = "",
    description_zh: str = "",
    course_ids: Iterable[int] = (),
    target_position_ids: Iterable[int] = (),
    course_terms: Iterable[tuple[int, int | None]] = (),
) -> Programme:
    """Create a programme (writes one Programme, its ProgrammeCourse and ProgrammeTarget rows;
    its coverage is marked stale once and recomputed after commit)."""
    programme = Programme(
        name=name,
        name_zh=name_zh,
        track=track,
        certification=certification,
        own_degree_level=own_degree_level,
        description=description,
        description_zh=description_zh,
        provenance=Provenance.EDIT,
    )
    validated_save(programme, conflict=_DUPLICATE_PROGRAMME_NAME)
    return programme_update(
        programme=programme,
        course_ids=list(course_ids),
        target_position_ids=list(target_position_ids),
        course_terms=list(course_terms),
    )


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    course_ids: Iterable[int] | None = None,
    target_position_ids: Iterable[int] | None = None,
    course_terms: Iterable[tuple[int, int | None]] | None = None,
    **fields: Any,
) -> Programme:
    """Change a programme's own fields (PROGRAMME_FIELDS), and set its courses and/or target
    positions to exactly the ids given (a set: order and repeats in the input do not matter):
    deletes the ProgrammeCourse/ProgrammeTarget rows no longer wanted and creates the new ones;
    an unknown id refuses the whole change. `course_terms`, (course id, term) pairs for courses
    in the programme once its courses are set, place those courses in time."""
    if fields:
        model_update(
            instance=programme,
            fields=PROGRAMME_FIELDS,
            data=fields,
            conflict=_DUPLICATE_PROGRAMME_NAME,
        )
    if course_ids is not None:
        _programme_courses_set(programme=programme, course_ids=unique_ids(course_ids))
    if target_position_ids is not None:
        _programme_targets_set(programme=programme, position_ids=unique_ids(target_position_ids))
    if course_terms is not None:
        _programme_terms_set(programme=programme, course_terms=course_terms)
    return programme


@transaction.atomic
def programme_courses_add(*, programme: Programme, course_ids: Iterable[int]) -> "CoursesPlaced":
    """Add courses to a programme, keeping the ones it teaches and their order: the new ones go
    after them, in the order given (writes ProgrammeCourse rows, marked edited by staff; the
    coverage is marked stale and recomputed after commit). Courses it teaches already are
    counted, not added again; an unknown id refuses the whole change. Written in bulk as a
    catalogue imported into the programme is (programme_courses_place), each new place in the
    history with the request's user, as a save records it. No term is set (`terms_set` 0)."""
    wanted = unique_ids(course_ids)
    require_existing(
        Course, wanted, field="courses", message=gettext_noop("No course has the id %(ids)s.")
    )
    return _programme_courses_write(
        programme=programme, places=[CoursePlace(course_id=pk) for pk in wanted]
    )


@dataclass(frozen=True)
class CoursePlace:
    """A course a file puts in a programme: its term (None: the file gives none, so an entry
    keeps its own and a new one has none) and where the file says so (file and line)."""

    course_id: int
    term: int | None = None
    source_ref: str = ""
    # The file's line that lists it, as a refusal names it (None: no file).
    line: int | None = None


@dataclass(frozen=True)
class CoursesPlaced:
    added: int = 0
    already: int = 0
    terms_set: int = 0


@transaction.atomic
def programme_courses_place(
    *, programme: Programme, places: Sequence[CoursePlace], user: Any = None
) -> CoursesPlaced:
    """Put the courses of `places` in the programme, as a catalogue imported into it lists
    them: those it teaches keep their place and order, the others go after them in the order
    given; and set the term each place gives (a term left out leaves an entry's own). Writes
    ProgrammeCourse rows in bulk, with provenance "import", each place's `source_ref` and
    `user` in their history, through the writer the courses staff add go through too
    (_programme_courses_write: a few statements whatever their number); marks the programme's
    coverage stale once, recomputed after commit. A course given twice refuses the whole
    change."""
    return _programme_courses_write(
        programme=programme,
        places=places,
        provenance=Provenance.IMPORT,
        user=user if getattr(user, "is_authenticated", False) else None,
        reason="",
        conflict=None,
    )


_COURSE_IN_PROGRAMME = {"courses": _("The course is already in the programme.")}


def _programme_courses_write(
    *,
    programme: Programme,
    places: Sequence[CoursePlace],
    provenance: Provenance = Provenance.EDIT,
    user: Any = None,
    reason: str | None = None,
    conflict: dict[str, Any] | None = _COURSE_IN_PROGRAMME,
    keep_only: bool = False,
) -> CoursesPlaced:
    """The one writer of courses put in a programme or taken out of it, by staff or by an
    import: the places for courses it teaches keep theirs (a term given is set), the others are
    created after them (after its last place, a removed one's too), in the order given, with
    `provenance` and each place's `source_ref`; `keep_only`, the places for courses not in
    `places` are deleted. Written in bulk by _programme_rows_write: each row in the history
    with `user` and `reason`, validated as full_clean() would (a clash with a place written
    meanwhile is `conflict`), the programme's coverage marked stale once."""
    listed: dict[int, list[CoursePlace]] = {}
    for place in places:
        listed.setdefault(place.course_id, []).append(place)
    if repeated := {pk: given for pk, given in listed.items() if len(given) > 1}:
        raise ValidationError({"courses": _repeated_courses_said(repeated)})
    entries = _programme_rows_locked(ProgrammeCourse, programme=programme, key="course_id")
    next_order = max((entry.order for entry in entries.values()), default=-1) + 1
    delete = []
    if keep_only:
        wanted = {place.course_id for place in places}
        delete = [entry for pk, entry in entries.items() if pk not in wanted]
    create, update = [], []
    terms_set = 0
    for place in places:
        entry = entries.get(place.course_id)
        if entry is None:
            create.append(
                ProgrammeCourse(
                    programme=programme,
                    course_id=place.course_id,
                    order=next_order,
                    term=place.term,
                    provenance=provenance,
                    source_ref=place.source_ref,
                )
            )
            next_order += 1
            terms_set += place.term is not None
        elif place.term is not None and entry.term != place.term:
            entry.term = place.term
            entry.provenance = provenance
            entry.source_ref = place.source_ref
            update.append(entry)
            terms_set += 1
    _programme_rows_write(
        programme=programme,
        model=ProgrammeCourse,
        delete=delete,
        create=create,
        update=update,
        update_fields=["term", "provenance", "source_ref"],
        user=user,
        reason=reason,
        conflict=conflict,
    )
    return CoursesPlaced(added=len(create), already=len(places) - len(create), terms_set=terms_set)


def _repeated_courses_said(repeated: Mapping[int, list[CoursePlace]]) -> str:
    """What a list of places naming a course more than once is told, in the reader's language:
    each such course by its code, with the lines listing it (and the terms they give, where they
    give two)."""
    codes = dict(Course.objects.filter(pk__in=repeated).values_list("pk", "code"))
    said = []
    for pk, given in repeated.items():
        numbers = {"code": codes.get(pk, pk)}
        lines = [place.line for place in given if place.line is not None]
        if lines:
            message = gettext(
                "The course %(code)s is listed more than once, on lines %(lines)s: list it once."
            ) % {**numbers, "lines": join_list(lines)}
        else:
            message = gettext("The course %(code)s is listed more than once: list it once.") % (
                numbers
            )
        terms = sorted({place.term for place in given if place.term is not None})
        if len(terms) > 1:
            message = join_sentences(
                [
                    message,
                    gettext("They give it different terms (%(terms)s).")
                    % {"terms": join_list(terms)},
                ]
            )
        said.append(message)
    return join_sentences(said)


def courses_placed_said(*, placed: CoursesPlaced, programme: Programme, dry_run: bool) -> str:
    """What an import into `programme` did to it (or would do, on a dry run), as one sentence:
    the command's line, the admin's preview and its message after the confirm."""
    added = ngettext(
        "%(n)d course added to the programme “%(programme)s”",
        "%(n)d courses added to the programme “%(programme)s”",
        placed.added,
    ) % {"n": placed.added, "programme": record_name(programme)}
    if dry_run:
        added = ngettext(
            "%(n)d course would be added to the programme “%(programme)s”",
            "%(n)d courses would be added to the programme “%(programme)s”",
            placed.added,
        ) % {"n": placed.added, "programme": record_name(programme)}
    already = ngettext("%(n)d was in it already", "%(n)d were in it already", placed.already) % {
        "n": placed.already
    }
    terms = ngettext("%(n)d term set", "%(n)d terms set", placed.terms_set) % {
        "n": placed.terms_set
    }
    return gettext("%(added)s; %(already)s; %(terms)s.") % {
        "added": added,
        "already": already,
        "terms": terms,
    }


CROSSWALK_RULE_FIELDS = ("crosswalk_exact_match", "crosswalk_related", "crosswalk_children")


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    """Delete a programme with its places for courses and target positions and its coverage
    report (each deletion in the history). Its courses, positions and certification stay, and
    no other programme's report reads it: nothing is marked stale or recomputed (the cascade's
    signals know their programme is going: curricula.signals). Raises DeletionConflict, nothing
    deleted, when a record was added meanwhile to one deleted with it
    (core.services.record_delete)."""
    record_delete(programme)


@transaction.atomic
def programme_crosswalk_rules_set(*, programme: Programme, **rules: Any) -> Programme:
    """Choose which crosswalks count for the programme's coverage (any of CROSSWALK_RULE_FIELDS).
    Writes the programme; a change marks its coverage stale (model signal)."""
    model_update(instance=programme, fields=CROSSWALK_RULE_FIELDS, data=rules)
    return programme


# --- Change sets of the curriculum map -----------------------------------------------------------

# The change reason every history record of a change set carries, for the audit. Undo finds the
# records by the set's token in their own columns (curricula.models.MapChangeSetRecord).
MAP_CHANGE_REASON = "map change set {token}"
_MAP_UNDO_REASON = "map change set {token} undoes {undone}"


@dataclass
class MapChangeSet:
    """A change set as written: its token (for Undo), the cells it changed and how."""

    token: str
    cells: list[tuple[int, int]]
    created: int = 0
    changed: int = 0
    cleared: int = 0
    undoes: str = ""
    # The undo of an undo (see programme_map_change_is_undo): the cells are as their first set
    # left them.
    redo: bool = False

    @property
    def count(self) -> int:
        return len(self.cells)


def _map_links_locked(changes: list) -> dict[tuple[int, int], CourseAbility]:
    """The links at the cells of a change set's plan, as stored now, locked."""
    return {
        (link.course_id, link.ability_id): link
        for link in CourseAbility.objects.select_for_update().filter(
            course_id__in={cell.course_id for cell in changes},
            ability_id__in={cell.ability_id for cell in changes},
        )
    }


def _map_cells_sorted(changes: list, links: dict) -> tuple[list, list, list]:
    """The links a change set creates, updates and deletes, from its plan and the links stored
    now (`links`, locked). A cell someone else saved since the plan was read is refused with
    the level it holds now (ValidationError), or left out where it holds the level chosen."""
    create, update, delete = [], [], []
    for cell in changes:
        link = links.get((cell.course_id, cell.ability_id))
        if cell.kind == "create" and link is None:
            create.append(
                CourseAbility(
                    course_id=cell.course_id,
                    ability_id=cell.ability_id,
                    level_id=cell.after.pk,
                    provenance=Provenance.EDIT,
                )
            )
            continue
        if link is None:
            raise ValidationError(
                _("A link of this change has been deleted since; reload the map.")
            )
        if cell.after is not None and link.level_id == cell.after.pk:
            continue  # someone else chose the same level meanwhile: nothing to change
        if cell.kind == "create" or link.level_id != cell.before.pk:
            # Saved by someone else between the plan's read and this lock: the plan checked
            # the level the editor showed against the link as it was then, not as it is now.
            raise ValidationError(
                _(
                    "%(course)s × %(ability)s was changed by someone else since the map "  # noqa: RUF001
                    "was opened (now %(now)s)."
                )
                % {
                    "course": cell.course_code,
                    "ability": cell.ability_code or cell.ability_text[:40],
                    "now": link.level.code,
                }
            )
        if cell.kind == "change":
            link.level_id = cell.after.pk
            link.provenance = Provenance.EDIT
            update.append(link)
        else:
            delete.append(link)
    return create, update, delete


@transaction.atomic
def programme_map_change(
    *, programme: Programme, cells: list[CellInput], user: AbstractBaseUser | None = None
) -> MapChangeSet:
    """Write a change set to the programme's map in one transaction: each cell's link created,
    its level changed, or the link deleted (a blank). Every write is in the history with `user`
    and the set's token as its reason (which Undo uses); the programmes teaching the courses are
    marked stale once, with one recompute each after commit.

    Cells already at the wanted level are skipped. Raises ValidationError, writing nothing, when
    any cell is refused (see `map_change_plan`). Written in bulk (a pasted block is hundreds of
    cells): the plan has checked every course, ability and level, the links it changes are
    locked, and `history_bulk_write` validates the rest; edited links get the provenance "edit".
    """
    plan = map_change_plan(programme=programme, cells=cells)
    if plan.errors:
        raise ValidationError(plan.errors)
    changes = plan.changes
    if not changes:
        return MapChangeSet(token="", cells=[])
    token = uuid.uuid4().hex
    write = {
        "model": CourseAbility,
        "update_fields": ["level", "provenance"],
        "user": user,
        "reason": MAP_CHANGE_REASON.format(token=token),
        "history_fields": {"history_change_set": token},
    }
    create, update, delete = _map_cells_sorted(changes, _map_links_locked(changes))
    try:
        history_bulk_write(create=create, update=update, delete=delete, **write)
    except ValidationError:
        # Another editor's link at a cell this set fills, committed while the insert waited for
        # it (two saves at the same moment: neither plan saw the other's link, and no row was
        # there to lock). Read again, that cell is refused as one changed since, naming it, or
        # left alone where it holds the level chosen; the rest is written as planned.
        links = _map_links_locked(changes)
        if not any((obj.course_id, obj.ability_id) in links for obj in create):
            raise
        create, update, delete = _map_cells_sorted(changes, links)
        history_bulk_write(create=create, update=update, delete=delete, **write)
    written = {(obj.course_id, obj.ability_id) for obj in create + update + delete}
    changes = [cell for cell in changes if (cell.course_id, cell.ability_id) in written]
    if not changes:
        return MapChangeSet(token="", cells=[])
    # Bulk writes send no save signals: mark the programmes teaching these courses ourselves,
    # and bring back to a sync the suggestions whose link this deleted.
    coverage_mark_stale_for_courses(course_ids={cell.course_id for cell in changes})
    if delete:
        suggestions_unsettled_stamp(
            course_ids={link.course_id for link in delete},
            ability_ids={link.ability_id for link in delete},
        )
    return MapChangeSet(
        token=token,
        cells=[(cell.course_id, cell.ability_id) for cell in changes],
        created=len(create),
        changed=len(update),
        cleared=len(delete),
    )


def _change_set_id(token: str) -> uuid.UUID | None:
    """The change set a token names (as the set's reasons write it: 32 lowercase hexadecimal
    digits), None when it names none."""
    try:
        change_set = uuid.UUID(hex=token)
    except ValueError:
        return None
    return change_set if change_set.hex == token else None


def programme_map_change_records(*, token: str) -> list:
    """The history records a change set wrote, oldest first (empty when there is none)."""
    change_set = _change_set_id(token)
    if change_set is None:
        return []
    return list(
        CourseAbility.history.filter(history_change_set=change_set).order_by(
            "history_date", "history_id"
        )
    )


def programme_map_change_is_undo(*, records: list) -> bool:
    """Whether the change set of these records (as programme_map_change_records reads them) is
    an undo, whose own undo is a redo. Along a chain of sets each undoing the one before, undo
    and redo alternate from the saved set that starts it (save, undo, redo, undo, ...): a set is
    an undo when an odd number of sets lead back to that save. One read: every set of a chain
    writes the same links, so the history of its first link holds the whole chain."""
    if not records:
        return False
    # By the link alone (its index): a link has a few records, the history many undos.
    undoes = {
        change_set: undone
        for change_set, undone in CourseAbility.history.filter(id=records[0].id)
        .order_by()
        .values_list("history_change_set", "history_undoes")
        if undone is not None
    }
    token = records[0].history_change_set
    steps = 0
    while token in undoes and steps <= len(undoes):  # a chain cannot loop; never spin if it did
        token = undoes[token]
        steps += 1
    return steps % 2 == 1


def _cells_filled_since(changes: list) -> list:
    """The changes that cleared a cell (deleted its link) where a link is now, someone else's:
    the deleted link's own id is gone, so history_changes_moved does not see it."""
    cleared = [change for change in changes if change.record.history_type == "-"]
    if not cleared:
        return []
    cells = Q()
    for change in cleared:
        cells |= Q(course_id=change.record.course_id, ability_id=change.record.ability_id)
    filled = set(CourseAbility.objects.filter(cells).values_list("course_id", "ability_id"))
    return [c for c in cleared if (c.record.course_id, c.record.ability_id) in filled]


# How many cells changed since an undo's refusal names; past them, "…".
UNDO_REFUSAL_CELLS = 5


def _refuse_moved(moved: list, *, records: list) -> None:
    """Refuse the undo of the set of `records` (a redo when that set is an undo, read on a
    refusal alone) when any of its cells has changed since (`moved`)."""
    if moved:
        if programme_map_change_is_undo(records=records):
            nothing = ngettext(
                "%(count)s cell has changed since, so nothing was redone.",
                "%(count)s cells have changed since, so nothing was redone.",
                len(moved),
            )
        else:
            nothing = ngettext(
                "%(count)s cell has changed since, so nothing was undone.",
                "%(count)s cells have changed since, so nothing was undone.",
                len(moved),
            )
        raise HistoryConflict(
            join_sentences(
                [
                    nothing % {"count": len(moved)},
                    gettext("Changed since: %(cells)s.") % {"cells": _cells_now(moved)},
                ]
            )
        )


def _cells_now(changes: list) -> str:
    """The cells of `changes`, each as the map names it (course × ability) with its level now
    (· for none), the first UNDO_REFUSAL_CELLS of them: the map open before the change since
    still shows the old level. A cell whose link holds the level its set left it, edited since
    in another way (its note), says which of its fields changed instead: its level now is no
    news. Three queries, on a refusal alone."""  # noqa: RUF002
    shown = changes[:UNDO_REFUSAL_CELLS]
    pairs = [(change.record.course_id, change.record.ability_id) for change in shown]
    courses = dict(Course.objects.filter(pk__in={c for c, _a in pairs}).values_list("pk", "code"))
    abilities = {
        pk: code or localized(text, text_zh)[:40]
        for pk, code, text, text_zh in Ability.objects.filter(
            pk__in={a for _c, a in pairs}
        ).values_list("pk", "code", "text", "text_zh")
    }
    cells = Q()
    for course_id, ability_id in pairs:
        cells |= Q(course_id=course_id, ability_id=ability_id)
    now = {
        (link.course_id, link.ability_id): link
        for link in CourseAbility.objects.filter(cells).select_related("level")
    }
    names = []
    for change, (course_id, ability_id) in zip(shown, pairs, strict=True):
        place = {"course": courses.get(course_id, ""), "ability": abilities.get(ability_id, "")}
        link = now.get((course_id, ability_id))
        fields = _link_fields_changed(change, link)
        if fields:
            names.append(
                gettext("%(course)s × %(ability)s (%(fields)s changed)")  # noqa: RUF001
                % {**place, "fields": join_list(fields)}
            )
        else:
            names.append(
                gettext("%(course)s × %(ability)s (now %(now)s)")  # noqa: RUF001
                % {**place, "now": link.level.code if link else "·"}
            )
    if len(changes) > len(shown):
        names.append("…")
    return join_list(names)


def _link_fields_changed(change, link: CourseAbility | None) -> list[str]:
    """The names of the fields of `link` (the one at the change's cell now) edited since the
    change, when its level is as the change left it; empty when its level is not (or the
    change deleted the link, or no link is there, or the link is another one)."""
    after = change.after
    if link is None or after is None or link.pk != after["id"] or link.level_id != after["level"]:
        return []
    return [
        str(f.verbose_name)
        for f in CourseAbility._meta.concrete_fields
        if f.name not in NOT_DIFFED and getattr(link, f.attname) != after.get(f.name)
    ]


@transaction.atomic
def programme_map_undo(
    *, token: str, user: AbstractBaseUser | None = None, records: list | None = None
) -> MapChangeSet:
    """Undo a whole change set through the history: every link it created is deleted, every
    level it changed is restored, every link it deleted is recreated, newest first, as a new
    change set (which can itself be undone: a redo). Coverage is marked stale and recomputed
    after commit as for any edit.

    `records` are the set's records as programme_map_change_records read them, from a caller
    that has read them already (to check whose set it is); otherwise they are read here. A
    set's records are written in one transaction and never changed, so a read before this
    one's transaction is as good as one inside it.

    Raises CourseAbility.DoesNotExist for an unknown token, and HistoryConflict, writing nothing,
    when the set was undone already or any of its cells has changed since.
    """
    if records is None:
        records = programme_map_change_records(token=token)
    if not records:
        raise CourseAbility.DoesNotExist
    # Two undos of one set at once (a double click, two tabs): the second waits here for the
    # first to commit, then finds the set undone. Checked unlocked, both undid it. The set's
    # own history records first: of a set that only cleared cells, no link is left to lock.
    list(
        CourseAbility.history.select_for_update()
        .filter(history_id__in=[record.history_id for record in records])
        .order_by("history_id")
        .values_list("history_id", flat=True)
    )
    list(
        CourseAbility.objects.select_for_update()
        .filter(pk__in={record.id for record in records})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if CourseAbility.history.filter(history_undoes=records[0].history_change_set).exists():
        if programme_map_change_is_undo(records=records):
            raise HistoryConflict(gettext("This change has been redone already."))
        raise HistoryConflict(gettext("This change has been undone already."))
    # A change set writes each link once: one record per cell.
    changes = history_changes(model=CourseAbility, records=records)
    moved = history_changes_moved(model=CourseAbility, changes=changes)
    filled = _cells_filled_since(changes)
    _refuse_moved([*moved, *(change for change in filled if change not in moved)], records=records)
    new_token = uuid.uuid4().hex
    try:
        history_changes_revert(
            model=CourseAbility,
            changes=changes,
            user=user,
            reason=_MAP_UNDO_REASON.format(token=new_token, undone=token),
            history_fields={"history_change_set": new_token, "history_undoes": token},
        )
    except ValidationError:
        # A cell this set cleared, filled by another editor whose save committed while the
        # link's recreation waited for it (no row was there to lock): said as any cell
        # changed since, not as a clash of data.
        _refuse_moved(_cells_filled_since(changes), records=records)
        raise
    coverage_mark_stale_for_courses(course_ids={change.record.course_id for change in changes})
    # The links it deleted (those the set created) bring their suggestions back to a sync.
    created = [change.record for change in changes if change.record.history_type == "+"]
    if created:
        suggestions_unsettled_stamp(
            course_ids={record.course_id for record in created},
            ability_ids={record.ability_id for record in created},
        )
    kinds = [change.record.history_type for change in changes]
    return MapChangeSet(
        token=new_token,
        cells=[(change.record.course_id, change.record.ability_id) for change in changes],
        created=kinds.count("-"),
        changed=kinds.count("~"),
        cleared=kinds.count("+"),
        undoes=token,
        redo=programme_map_change_is_undo(records=records),
    )


# --- The course catalogue from a spreadsheet --------------------------------------------------

# Text files are read as CSV (core.csv: UTF-8 or UTF-16, comma, semicolon or tab): Excel saves
# its "Unicode Text" as .txt, Google Sheets downloads tab-separated values as .tsv.
CATALOGUE_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx"}


@dataclass
class CatalogueImport:
    """What an import did (or, on a dry run or with errors, would have done): counts, and the
    problems by line of the file (the header is line 1). With any error nothing is written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    # The problems of the first PROBLEM_LIST_LIMIT lines with any (positions.importers.base),
    # by line; how many lines have problems; how many problems (messages) those not listed have.
    errors: list[dict] = field(default_factory=list)
    errors_total: int = 0
    messages_left_out: int = 0
    # Columns of the file the import does not read, as written in its header; and what to do
    # of those no other name would get read (a term column outside a programme).
    ignored_columns: list[str] = field(default_factory=list)
    ignored_columns_notes: list[str] = field(default_factory=list)
    # What the workbook hides that the import reads all the same (its hidden rows and columns).
    workbook_notes: list[WorkbookNote] = field(default_factory=list)
    # What the import does (or would do) that the file may not mean, by line, said without
    # refusing it: a record created under a code a spreadsheet made a number beside the stored
    # one of that number (position 7 beside 007). The first PROBLEM_LIST_LIMIT, {"line",
    # "row"?, "column", "message"}; how many there are.
    warnings: list[dict] = field(default_factory=list)
    warnings_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "errors_total": self.errors_total,
            # Beside the problems; what the file holds that is not read comes last.
            "warnings": self.warnings,
            "warnings_total": self.warnings_total,
            **self.own_counts(),
            # The notes first: the columns left out and the workbook's notes keep their places.
            "ignored_columns_notes": self.ignored_columns_notes,
            "ignored_columns": self.ignored_columns,
            **workbook_notes_data(self.workbook_notes),
        }

    def own_counts(self) -> dict:
        """What a kind of import counts besides its rows (before what the file holds that is
        not read, which comes last)."""
        return {}


@dataclass
class RequirementImport(CatalogueImport):
    """What a requirement import did (or would have done): the requirements' counts, and the
    positions the file named that it created."""

    positions_created: int = 0

    def own_counts(self) -> dict:
        return {"positions_created": self.positions_created}


@dataclass
class CourseCatalogueImport(CatalogueImport):
    """What a catalogue import did (or would have done): the courses' counts and, imported into
    a programme, how many of the file's courses it added to it, how many were in it already,
    and how many of their terms in it it set."""

    programme: int | None = None
    programme_added: int = 0
    programme_already: int = 0
    programme_terms_set: int = 0

    @property
    def placed(self) -> CoursesPlaced:
        """The programme's part as one value, as courses_placed_said says it (the command's
        line, the admin's job page)."""
        return CoursesPlaced(
            added=self.programme_added,
            already=self.programme_already,
            terms_set=self.programme_terms_set,
        )

    @classmethod
    def from_details(cls, details: Any, *, dry_run: bool = False) -> "CourseCatalogueImport":
        """The programme's part of a job's report as its stored details hold it (own_counts):
        a count missing (a job from before it was counted) or not a whole number (a row written
        by hand, or by an older release) is 0, a programme that is no id None. Never raises: the
        admin's job page shows any job."""
        details = details if isinstance(details, Mapping) else {}

        def whole(name: str) -> int | None:
            value = details.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        return cls(
            dry_run=dry_run,
            programme=whole("programme"),
            **{
                name: max(whole(name) or 0, 0)
                for name in ("programme_added", "programme_already", "programme_terms_set")
            },
        )

    def own_counts(self) -> dict:
        return {
            "programme": self.programme,
            "programme_added": self.programme_added,
            "programme_already": self.programme_already,
            "programme_terms_set": self.programme_terms_set,
        }


def more_lines_with_problems(n: int) -> str:
    """What a report listing the first lines with problems says of the `n` it left out."""
    return ngettext(
        "… and %(n)d more line with problems", "… and %(n)d more lines with problems", n
    ) % {"n": n}


def catalogue_kind(upload: Any) -> str:
    """The kind of catalogue or link file `upload` is, "csv" or "xlsx" (a file with a name, such
    as an upload), as its name's suffix
    says and its content agrees (core.spreadsheets.spreadsheet_content_problem); ValidationError
    on `file` for anything else (a PDF, a Word document, an image, a zip that is no workbook).
    The one decision behind every door, the API, the admin and the import itself, so that a
    background import is refused when the file is given, as the same file is refused inside the
    request, not queued to fail."""
    kind = spreadsheet_kind(upload, named=_kind_by_name(upload.name or ""))
    problem = spreadsheet_content_problem(upload, kind=kind)
    if problem:
        raise ValidationError({"file": problem})
    return kind


def _kind_by_name(file_name: str) -> str:
    name = Path(file_name).name
    kind = CATALOGUE_FORMATS.get(Path(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            {"file": _("Give a .csv or .xlsx file, not “%(name)s”.") % {"name": name}}
        )
    return kind


def catalogue_dataset(content: bytes, file_name: str, *, sheet_titles: Collection[str] = ()):
    """The uploaded file as a Dataset, its kind as catalogue_kind says (spreadsheet_dataset
    checks the content as catalogue_kind does), read within the import bounds as at every door
    (core.spreadsheets), a workbook at its sheet titled one of `sheet_titles` if it has one;
    ValidationError on `file` otherwise."""
    return spreadsheet_dataset(
        content, kind=_kind_by_name(file_name), name=file_name, sheet_titles=sheet_titles
    )


def course_catalogue_import(
    *,
    content: bytes,
    file_name: str,
    user: Any = None,
    dry_run: bool = False,
    programme: Programme | None = None,
) -> CourseCatalogueImport:
    """Create or update courses from a CSV or XLSX catalogue (columns code, title, title_zh,
    description, outcomes, credits, module, stage, language; see
    curricula.resources.CourseResource). With a `programme`, also put the file's courses in
    it (those it teaches keep their place; the others after them in the file's order) and set
    the terms of its `term` column (开课学期), or where it has none, of its columns of one
    term each (第1学期 … 第8学期: CourseResource.columns_by_pattern; programme_courses_place).

    All or nothing: with any invalid row, nothing is written and every problem is returned
    with its line. Writes Course rows (provenance "import", source the file and line, `user`
    in their history), and with a programme its ProgrammeCourse rows likewise, unless
    `dry_run`. Raises ValidationError for a file that cannot be read or lacks the required
    columns.
    """
    from curricula.resources import CourseResource

    report = _spreadsheet_import(
        CourseResource(programme=programme),
        content=content,
        file_name=file_name,
        user=user,
        dry_run=dry_run,
        report_class=CourseCatalogueImport,
    )
    # Named by a refused report too: the programme it was asked for, nothing added to it.
    report.programme = programme.pk if programme is not None else None
    return report


def course_ability_import(
    *, content: bytes, file_name: str, user: Any = None, dry_run: bool = False
) -> CatalogueImport:
    """Create or update course-ability links from a CSV or XLSX file in the columns the link
    export writes (course, framework, ability, level, note, note_zh, ability_uri,
    ability_external_id; see curricula.resources.CourseAbilityResource), the same file the admin
    imports; an ability_uri or ability_external_id naming an ability decides which, whatever its
    code (a file from another installation), and a file may name the ability by those alone.

    All or nothing: with any invalid row, nothing is written and every problem is returned
    with its line. Writes CourseAbility rows (provenance "import", source the file and line,
    `user` in their history; coverage is marked stale as for any link edit) unless `dry_run`;
    unchanged rows are skipped. Raises ValidationError for a file that cannot be read or lacks
    the required columns.
    """
    from curricula.resources import CourseAbilityResource

    return _spreadsheet_import(
        CourseAbilityResource(), content=content, file_name=file_name, user=user, dry_run=dry_run
    )


def requirement_import(
    *, content: bytes, file_name: str, user: Any = None, dry_run: bool = False
) -> RequirementImport:
    """Create or update positions' requirements from a CSV or XLSX file (columns position,
    position_name, position_name_zh, framework, ability, importance, min_level, ability_uri,
    ability_external_id, or their Chinese names; see curricula.resources.RequirementResource),
    the same file the admin imports and the requirement export writes; the ability is named by
    any of ability, ability_uri and ability_external_id.

    All or nothing: with any invalid row, nothing is written and every problem is returned
    with its line. Writes Requirement rows, and a Position for each position the file names that
    none is (by code or name), with provenance "import", source the file and line and `user` in
    their history (coverage is marked stale as for any requirement edit), unless `dry_run`;
    unchanged rows are skipped. Raises ValidationError for a file that cannot be read or lacks
    the required columns.
    """
    from curricula.resources import RequirementResource

    return _spreadsheet_import(
        RequirementResource(),
        content=content,
        file_name=file_name,
        user=user,
        dry_run=dry_run,
        report_class=RequirementImport,
    )


def _spreadsheet_import(
    resource: Any,
    *,
    content: bytes,
    file_name: str,
    user: Any,
    dry_run: bool,
    report_class: type[CatalogueImport] = CatalogueImport,
) -> CatalogueImport:
    return spreadsheet_resource_import(
        resource,
        dataset=catalogue_dataset(content, file_name),
        file_name=file_name,
        user=user,
        dry_run=dry_run,
        report_class=report_class,
    )


def header_only_said() -> str:
    """The refusal of a catalogue, link or requirement file of a header row and no row under
    it, at every door (the API, the admin, the commands, an import job)."""
    return gettext("The file has a header row but no rows under it: there is nothing to import.")


def spreadsheet_resource_import(
    resource: Any,
    *,
    dataset: Any,
    file_name: str,
    user: Any,
    dry_run: bool,
    report_class: type[CatalogueImport] = CatalogueImport,
) -> CatalogueImport:
    """Run one of curricula.resources' imports on a read file, all or nothing: the counts, or
    every problem with its line (nothing written). Raises ValidationError on `file` for a
    problem with the file as a whole (a missing column). What the API, the command and the
    background import jobs (curricula.import_jobs) share."""
    try:
        result = resource.import_data(
            dataset, dry_run=dry_run, raise_errors=False, file_name=file_name, user=user
        )
    except ValueError as error:
        raise ValidationError({"file": str(error)}) from error
    if result.base_errors:
        # A problem with the file as a whole (missing columns), not with one of its lines.
        raise ValidationError({"file": [str(error.error) for error in result.base_errors]})
    if not len(dataset):
        # The right columns and no row under them: an import that would do nothing is almost
        # always the wrong file (a workbook saved at its template sheet), refused at every door
        # as the admin's page refuses it, not reported as imported with counts of none.
        raise ValidationError({"file": header_only_said()})
    report = report_class(
        dry_run=dry_run,
        ignored_columns=resource.ignored_columns,
        # Worded by the import (LineNumberedImport.ignored_columns_notes), once for every door.
        ignored_columns_notes=list(getattr(result, "ignored_columns_notes", [])),
        workbook_notes=resource.workbook_notes,
        warnings=resource.import_warnings,
        warnings_total=resource.import_warnings_total,
    )
    # Each problem's line, and the row a spreadsheet shows it on where that differs (a CSV whose
    # quoted cells span lines): what at_line says, and the API's `row`.
    rows_by_line = dict(
        zip(
            getattr(dataset, "line_numbers", None) or (),
            getattr(dataset, "sheet_rows", None) or (),
            strict=False,
        )
    )

    def placed(line: int, errors: dict[str, list[str]]) -> dict:
        row = rows_by_line.get(line, line)
        return {"line": line, **({"row": row} if row != line else {}), "errors": errors}

    for row in result.invalid_rows:
        report.errors.append(
            placed(
                row.number,
                {name: [str(m) for m in messages] for name, messages in row.error_dict.items()},
            )
        )
    for number, errors in result.row_errors():
        # row_errors() counts data rows from 1, whatever the file's lines.
        report.errors.append(
            placed(resource.line_of(number), {"__all__": [str(e.error) for e in errors]})
        )
    report.errors.sort(key=lambda e: e["line"])
    # A result of curricula.resources.LineNumberedResult counts the lines it did not list.
    report.errors_total = getattr(result, "problem_rows", len(report.errors))
    listed = sum(len(m) for e in report.errors for m in e["errors"].values())
    report.messages_left_out = max(getattr(result, "problem_messages", listed) - listed, 0)
    if report.ok:
        totals = result.totals
        report.created = totals.get("new", 0)
        report.updated = totals.get("update", 0)
        report.unchanged = totals.get("skip", 0)
        # Counts of what a resource writes besides its own rows (a requirement file's new
        # positions), named as the report's fields.
        for name, value in getattr(result, "more_counts", {}).items():
            setattr(report, name, value)
    return report


# Tombstones written per statement: a catalogue-wide regeneration drops thousands.
_DELETIONS_BATCH = 2000


def suggestion_deletions_record(*, suggestions: QuerySet[Suggestion]) -> None:
    """Record `suggestions`, about to be deleted, for deletions/ (SuggestionDeletion, one time
    for all): a sync of the review queue learns of them there, as of the histories' deletions.
    Call it in the transaction that deletes them. One query to read their ids, one per
    _DELETIONS_BATCH to write; one recorded twice (by its ability's and its course's deletion
    at once) is recorded once, at the later time."""
    now = timezone.now()
    rows = suggestions.order_by().values_list("pk", "course_id")
    SuggestionDeletion.objects.bulk_create(
        [
            SuggestionDeletion(id=pk, history_date=now, for_course=course_id is not None)
            for pk, course_id in rows.iterator(chunk_size=_DELETIONS_BATCH)
        ],
        batch_size=_DELETIONS_BATCH,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["history_date", "for_course"],
    )


def suggestions_unsettled_stamp(
    *,
    course_ids: Iterable[int] = (),
    position_ids: Iterable[int] = (),
    ability_ids: Iterable[int] | None = None,
) -> None:
    """Stamp the update time of the pending suggestions of these courses and positions (of these
    abilities only, when given): a link or requirement of their pair deleted brings one settled
    elsewhere back into the lists (deletions/ listed it as gone, Suggestion.objects.
    settled_elsewhere), where a sync must read it again. Call it where links or requirements
    are deleted without a post_delete signal (bulk). One UPDATE, however many."""
    owners = Q(course_id__in=list(course_ids)) | Q(position_id__in=list(position_ids))
    rows = Suggestion.objects.pending().filter(owners)
    if ability_ids is not None:
        rows = rows.filter(ability_id__in=list(ability_ids))
    rows.update(updated_at=timezone.now())


def programme_map_import(
    *,
    programme: Programme,
    content: bytes,
    file_name: str,
    user: AbstractBaseUser | None = None,
    blank_clears: bool = False,
    dry_run: bool = False,
):
    """Import a programme's map from a matrix file (curricula.map_imports: courses by abilities
    or the transpose, a level in each cell), all or nothing: with any problem, nothing is
    written and the report (a MapImport) lists them by line and column. Otherwise, unless
    `dry_run`, the cells that change are written as one change set of the map's
    (programme_map_change: its history, its token for Undo, one recompute per programme),
    returned as the report's `change_set`. Raises ValidationError on `file` for a file that
    cannot be read."""
    from curricula.map_imports import map_import_plan

    report = map_import_plan(
        programme=programme, content=content, file_name=file_name, blank_clears=blank_clears
    )
    if report.ok and not dry_run:
        report.change_set = programme_map_change(
            programme=programme, cells=report.changed_cells, user=user
        )
    return report
