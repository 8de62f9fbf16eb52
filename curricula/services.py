"""Writes of the supply side: courses, course-ability links, and programmes' courses and targets.

Every service validates with full_clean() and saves or deletes model by model (never
queryset.update), so the model signals that mark coverage reports stale see each change. Staff
edits carry the provenance "edit".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from certifications.models import TrainingStage
from core.models import Provenance
from core.services import model_update, validated_save
from curricula.models import (
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
)
from positions.models import Ability, Level, Position

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "outcomes",
    "language",
    "credits",
    "module",
    "stage",
)
LINK_FIELDS = ("course", "ability", "level", "note")

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
    """Change a course's own fields (code, title, description, outcomes, language, credits,
    module, stage)."""
    model_update(
        instance=course, fields=COURSE_FIELDS, data=fields, conflict=_DUPLICATE_COURSE_CODE
    )
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    """Delete a course with its ability links and its places in programmes."""
    course.delete()


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
    provenance: Provenance = Provenance.EDIT,
    history_user: Any = None,
) -> CourseAbility:
    """Record that a course builds an ability to a level (writes one CourseAbility).

    A second link for the same course and ability is refused with a ValidationError.
    `provenance` says where the link came from: a staff edit, or an accepted suggestion;
    `history_user`, who made it, when no request says so (a task, a command).
    """
    link = CourseAbility(
        course=course, ability=ability, level=level, note=note, provenance=provenance
    )
    if history_user is not None:
        link._history_user = history_user
    _check_link_unique(course=course, ability=ability)
    validated_save(link, conflict=_DUPLICATE_LINK)
    return link


@transaction.atomic
def course_ability_update(*, link: CourseAbility, **fields: Any) -> CourseAbility:
    """Change a link's course, ability, level or note; the (course, ability) pair stays unique."""
    _check_link_unique(
        course=fields.get("course", link.course),
        ability=fields.get("ability", link.ability),
        link_id=link.pk,
    )
    model_update(instance=link, fields=LINK_FIELDS, data=fields, conflict=_DUPLICATE_LINK)
    return link


@transaction.atomic
def course_ability_unlink(*, link: CourseAbility) -> None:
    """Delete one course-ability link."""
    link.delete()


def _unique_ids(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in ids))


def _require_existing(model, ids: list[int], *, field: str, message: str) -> None:
    """A 400 on `field` naming the ids that match no row (`message` takes %(ids)s)."""
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: _(message) % {"ids": ", ".join(str(pk) for pk in missing)}})


def _programme_courses_set(*, programme: Programme, course_ids: list[int]) -> None:
    _require_existing(
        Course, course_ids, field="courses", message=gettext_noop("No course has the id %(ids)s.")
    )
    existing = {entry.course_id: entry for entry in programme.programme_courses.all()}
    wanted = set(course_ids)
    for course_id, entry in existing.items():
        if course_id not in wanted:
            entry.delete()
    # Entries that stay keep their order and Table III title; new ones go to the end.
    next_order = max((e.order for e in existing.values()), default=-1) + 1
    for course_id in course_ids:
        if course_id in existing:
            continue
        entry = ProgrammeCourse(
            programme=programme, course_id=course_id, order=next_order, provenance=Provenance.EDIT
        )
        validated_save(entry, conflict={"courses": _("The course is already in the programme.")})
        next_order += 1


def _programme_targets_set(*, programme: Programme, position_ids: list[int]) -> None:
    _require_existing(
        Position,
        position_ids,
        field="target_positions",
        message=gettext_noop("No position has the id %(ids)s."),
    )
    existing = {target.position_id: target for target in programme.targets.all()}
    wanted = set(position_ids)
    for position_id, target in existing.items():
        if position_id not in wanted:
            target.delete()
    for position_id in position_ids:
        if position_id in existing:
            continue
        target = ProgrammeTarget(
            programme=programme, position_id=position_id, provenance=Provenance.EDIT
        )
        validated_save(
            target, conflict={"target_positions": _("The position is already a target.")}
        )


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    course_ids: Iterable[int] | None = None,
    target_position_ids: Iterable[int] | None = None,
) -> Programme:
    """Set a programme's courses and/or target positions to exactly the ids given (a set: order
    and repeats in the input do not matter). Deletes the ProgrammeCourse/ProgrammeTarget rows no
    longer wanted and creates the new ones; an unknown id refuses the whole change."""
    if course_ids is not None:
        _programme_courses_set(programme=programme, course_ids=_unique_ids(course_ids))
    if target_position_ids is not None:
        _programme_targets_set(programme=programme, position_ids=_unique_ids(target_position_ids))
    return programme


# --- The course catalogue from a spreadsheet --------------------------------------------------

CATALOGUE_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


@dataclass
class CatalogueImport:
    """What an import did (or, on a dry run or with errors, would have done): counts, and the
    problems by line of the file (the header is line 1). With any error nothing is written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[dict] = field(default_factory=list)

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
        }


def _catalogue_dataset(content: bytes, file_name: str):
    import tablib

    suffix = Path(file_name).suffix.lower()
    kind = CATALOGUE_FORMATS.get(suffix)
    if kind is None:
        raise ValidationError(
            {"file": _("Give a .csv or .xlsx file, not “%(name)s”.") % {"name": file_name}}
        )
    try:
        if kind == "csv":
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        return tablib.Dataset().load(content, format="xlsx")
    except Exception as error:  # tablib and openpyxl raise many kinds for a broken file
        raise ValidationError(
            {
                "file": _("The file cannot be read as %(kind)s: %(error)s")
                % {"kind": kind.upper(), "error": error}
            }
        ) from error


def course_catalogue_import(
    *, content: bytes, file_name: str, user: Any = None, dry_run: bool = False
) -> CatalogueImport:
    """Create or update courses from a CSV or XLSX catalogue (columns code, title, description,
    outcomes, credits, module, stage, language; see curricula.resources.CourseResource).

    All or nothing: with any invalid row, nothing is written and every problem is returned
    with its line. Writes Course rows (provenance "import", source the file and line, `user`
    in their history) unless `dry_run`. Raises ValidationError for a file that cannot be read
    or lacks the required columns.
    """
    from curricula.resources import CourseResource

    dataset = _catalogue_dataset(content, file_name)
    resource = CourseResource()
    try:
        result = resource.import_data(
            dataset, dry_run=dry_run, raise_errors=False, file_name=file_name, user=user
        )
    except ValueError as error:
        raise ValidationError({"file": str(error)}) from error
    if result.base_errors:
        # A problem with the file as a whole (missing columns), not with one of its lines.
        raise ValidationError({"file": [str(error.error) for error in result.base_errors]})
    report = CatalogueImport(dry_run=dry_run)
    for row in result.invalid_rows:
        report.errors.append(
            {
                "line": row.number,
                "errors": {
                    name: [str(m) for m in messages] for name, messages in row.error_dict.items()
                },
            }
        )
    for line, errors in result.row_errors():
        report.errors.append({"line": line, "errors": {"__all__": [str(e.error) for e in errors]}})
    report.errors.sort(key=lambda e: e["line"])
    if report.ok:
        totals = result.totals
        report.created = totals.get("new", 0)
        report.updated = totals.get("update", 0)
        report.unchanged = totals.get("skip", 0)
    return report
