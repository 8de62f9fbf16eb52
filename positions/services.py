"""Writes of the demand side: positions with their placements, their requirements, and import
jobs (an upload from the admin or the API, or a server path, run by a Celery task).

Every service validates with full_clean() and saves model by model (never queryset.update), so
the model signals that keep coverage reports honest see each change. Staff edits carry the
provenance "edit".
"""

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Provenance
from core.services import model_update, validated_save
from positions.importers import framework_import
from positions.models import (
    Ability,
    Importance,
    ImportJob,
    ImportStatus,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
)

POSITION_FIELDS = ("name", "name_zh", "description", "code", "uri", "external_id", "order")
REQUIREMENT_FIELDS = (
    "position",
    "ability",
    "importance",
    "min_level",
    "importance_score",
    "level_score",
    "order",
)


def _placements_replace(*, position: Position, placements: Iterable[dict[str, Any]]) -> bool:
    """Make the position's placements exactly `placements`; whether anything changed."""
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for index, item in enumerate(placements):
        track: Track = item["track"]
        key = (track.pk, item["degree_level"])
        if key in wanted:
            raise ValidationError(
                {
                    "placements": _(
                        "The position is placed twice under %(track)s at the same degree level."
                    )
                    % {"track": track.name}
                }
            )
        wanted[key] = {**item, "order": item.get("order", index)}
    existing = {(p.track_id, p.degree_level): p for p in position.placements.all()}
    changed = False
    for key, placement in existing.items():
        if key not in wanted:
            placement.delete()
            changed = True
    for key, item in wanted.items():
        values = {"title": item.get("title") or position.name, "order": item["order"]}
        placement = existing.get(key)
        if placement is None:
            placement = Placement(
                position=position,
                track=item["track"],
                degree_level=item["degree_level"],
                provenance=Provenance.EDIT,
                **values,
            )
            validated_save(placement)
            changed = True
        else:
            changed |= model_update(instance=placement, fields=values, data=values)[1]
    return changed


@transaction.atomic
def position_create(
    *,
    name: str,
    name_zh: str = "",
    description: str = "",
    code: str = "",
    uri: str = "",
    external_id: str = "",
    order: int = 0,
    placements: Iterable[dict[str, Any]] = (),
) -> Position:
    """Create a position and its placements (each {track, degree_level, title, order?}).

    Writes one Position and one Placement per item; a placement without a title takes the
    position's name.
    """
    position = Position(
        name=name,
        name_zh=name_zh,
        description=description,
        code=code,
        uri=uri,
        external_id=external_id,
        order=order,
        provenance=Provenance.EDIT,
    )
    validated_save(position, conflict={"external_id": _("Another position has this identifier.")})
    _placements_replace(position=position, placements=placements)
    return position


@transaction.atomic
def position_update(
    *, position: Position, placements: Iterable[dict[str, Any]] | None = None, **fields: Any
) -> Position:
    """Change a position's own fields (only those whose value differs are written) and, when
    `placements` is given, replace its placements with exactly that list (matched on track and
    degree level; missing ones are deleted)."""
    model_update(
        instance=position,
        fields=POSITION_FIELDS,
        data=fields,
        conflict={"external_id": _("Another position has this identifier.")},
    )
    if placements is not None:
        placed = _placements_replace(position=position, placements=placements)
        if placed and position.provenance != Provenance.EDIT:
            # Its placements are part of what a position says: the position was edited.
            position.provenance = Provenance.EDIT
            position.save(update_fields=["provenance", "updated_at"])
    return position


@transaction.atomic
def position_delete(*, position: Position) -> None:
    """Delete a position; its placements, requirements and programme targets go with it."""
    position.delete()


_DUPLICATE_REQUIREMENT = {
    "ability": _("This position already requires this ability; change that requirement instead.")
}


@transaction.atomic
def requirement_create(
    *,
    position: Position,
    ability: Ability,
    min_level: Level,
    importance: str = Importance.ESSENTIAL,
    importance_score: Decimal | None = None,
    level_score: Decimal | None = None,
    order: int | None = None,
    provenance: Provenance = Provenance.EDIT,
    history_user: Any = None,
) -> Requirement:
    """Record that a position requires an ability at a minimum level; appended after the
    position's other requirements unless `order` is given. `provenance` says where it came
    from: a staff edit, or an accepted suggestion; `history_user`, who made it, when no request
    says so."""
    if Requirement.objects.filter(position=position, ability=ability).exists():
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    if order is None:
        last = position.requirements.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    requirement = Requirement(
        position=position,
        ability=ability,
        min_level=min_level,
        importance=importance,
        importance_score=importance_score,
        level_score=level_score,
        order=order,
        provenance=provenance,
    )
    if history_user is not None:
        requirement._history_user = history_user
    validated_save(requirement, conflict=_DUPLICATE_REQUIREMENT)
    return requirement


@transaction.atomic
def requirement_update(*, requirement: Requirement, **fields: Any) -> Requirement:
    """Change a requirement (any of position, ability, importance, min_level, scores, order)."""
    position = fields.get("position", requirement.position)
    ability = fields.get("ability", requirement.ability)
    if (
        Requirement.objects.filter(position=position, ability=ability)
        .exclude(pk=requirement.pk)
        .exists()
    ):
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    model_update(
        instance=requirement,
        fields=REQUIREMENT_FIELDS,
        data=fields,
        conflict=_DUPLICATE_REQUIREMENT,
    )
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement) -> None:
    """Delete one requirement."""
    requirement.delete()


# --- Import jobs -------------------------------------------------------------------------------
# Progress: while the import's transaction is open, its writes to the job row are invisible to
# other connections, so progress also goes to the cache (shared across processes when CACHE_URL
# points at Redis); positions.selectors.import_job_progress reads the cache first.


def import_max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))


def import_max_upload_bytes() -> int:
    return import_max_upload_mb() * 1024 * 1024


@transaction.atomic
def import_job_create(
    *,
    format: str,
    upload: UploadedFile | None = None,
    path: str = "",
    options: dict[str, Any] | None = None,
    created_by=None,
) -> ImportJob:
    """Store the upload (or remember the server path) as a pending ImportJob and enqueue
    `positions.tasks.import_job_run` once the transaction commits."""
    if upload is None and not path:
        raise ValidationError({"upload": _("Give a file to import.")})
    if upload is not None and upload.size > import_max_upload_bytes():
        raise ValidationError(
            {"upload": _("The file is larger than %(mb)s MB.") % {"mb": import_max_upload_mb()}}
        )
    job = ImportJob(
        format=format,
        path=path,
        source_name=(upload.name if upload is not None else Path(path).name)[:255],
        options=options or {},
        created_by=created_by,
    )
    if upload is not None:
        job.upload.save(Path(upload.name).name, upload, save=False)
    job.full_clean()
    job.save()

    from positions.tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.delay(job.pk))
    return job


def import_job_execute(*, job_id: int) -> ImportJob:
    """Run a pending job: mark it running, import, and store status, progress and the report."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportStatus.PENDING, ImportStatus.FAILED):
        return job
    job.status, job.started_at, job.progress = ImportStatus.RUNNING, timezone.now(), 0
    job.save(update_fields=["status", "started_at", "progress", "updated_at"])

    def progress(fraction: float, stage: str) -> None:
        percent = int(fraction * 100)
        cache.set(job.progress_cache_key, {"progress": percent, "stage": stage}, 24 * 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    location = job.upload.path if job.upload else job.path
    report = framework_import(
        path=location,
        format=job.format,
        options=job.options,
        source_name=job.source_name,
        progress=progress,
    )
    job.status = ImportStatus.SUCCEEDED if report.ok else ImportStatus.FAILED
    job.progress = 100
    job.report = report.as_dict()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "report", "finished_at", "updated_at"])
    cache.delete(job.progress_cache_key)
    return job
