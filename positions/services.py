"""Writes of the demand side: positions with their placements, their requirements, and import
jobs (an upload from the admin or the API, or a server path, run by a Celery task).

Every service validates with full_clean() and saves model by model (never queryset.update), so
the model signals that keep coverage reports honest see each change; the few bulk writes (a
crosswalk CSV, abilities put in an area) send positions.signals instead. Staff edits carry the
provenance "edit".
"""

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.csv import LineProblem, csv_dataset
from core.history import history_bulk_write
from core.i18n import bracketed, join_list
from core.import_previews import ImportPreviewStorage
from core.jobs import CLAIM_SECONDS, PUBLISHING_SECONDS, claim_take, starter_refusal
from core.limits import SheetLine
from core.models import Provenance, json_storable
from core.number_codes import NumberReadings
from core.queue import ensure_queue_reachable
from core.services import lock_for_update, model_update, record_delete, validated_save
from core.uploads import upload_size_problem
from positions.importers import DRY_RUN, framework_import, import_permissions
from positions.importers.base import (
    PROBLEM_LIST_LIMIT,
    ImportReport,
    ImportSuperseded,
    ProgressCallback,
)
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Importance,
    ImportFormat,
    ImportJob,
    ImportStatus,
    Level,
    Placement,
    Position,
    RelationType,
    Requirement,
    import_upload_storage,
)
from positions.selectors import ability_code_readings, position_placements_plan
from positions.signals import abilities_bulk_changed

logger = logging.getLogger(__name__)

POSITION_FIELDS = (
    "name",
    "name_zh",
    "description",
    "description_zh",
    "code",
    "uri",
    "external_id",
    "order",
)
REQUIREMENT_FIELDS = (
    "position",
    "ability",
    "importance",
    "min_level",
    "importance_score",
    "level_score",
    "order",
)


def _placements_replace(
    *, position: Position, placements: Iterable[dict[str, Any]], served_name: str = ""
) -> bool:
    """Make the position's placements exactly `placements` (read as served under `served_name`,
    the position's name before this write renamed it); whether anything changed."""
    plan = position_placements_plan(
        position=position, placements=placements, name=position.name, served_name=served_name
    )
    for placement in plan.delete:
        placement.delete()
    for item in plan.add:
        validated_save(Placement(position=position, provenance=Provenance.EDIT, **item))
    for placement, values in plan.change:
        model_update(instance=placement, fields=tuple(values), data=values)
    return bool(plan.add or plan.delete or plan.change)


@transaction.atomic
def position_create(
    *,
    name: str,
    name_zh: str = "",
    description: str = "",
    description_zh: str = "",
    code: str = "",
    uri: str = "",
    external_id: str = "",
    order: int = 0,
    placements: Iterable[dict[str, Any]] = (),
) -> Position:
    """Create a position and its placements (each {track, degree_level, title, order?}).

    Writes one Position and one Placement per item; a placement without a title is listed
    under the position's name (its title left blank).
    """
    position = Position(
        name=name,
        name_zh=name_zh,
        description=description,
        description_zh=description_zh,
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
    served_name = position.name
    model_update(
        instance=position,
        fields=POSITION_FIELDS,
        data=fields,
        conflict={"external_id": _("Another position has this identifier.")},
    )
    if placements is not None:
        placed = _placements_replace(
            position=position, placements=placements, served_name=served_name
        )
        if placed and position.provenance != Provenance.EDIT:
            # Its placements are part of what a position says: the position was edited.
            position.provenance = Provenance.EDIT
            position.save(update_fields=["provenance", "updated_at"])
    return position


@transaction.atomic
def position_delete(*, position: Position) -> None:
    """Delete a position; its placements, requirements and programme targets go with it. Raises
    DeletionConflict, nothing deleted, when a record was added meanwhile to one deleted with it
    (core.services.record_delete)."""
    record_delete(position)


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


@dataclass(frozen=True)
class RequirementToCreate:
    """One requirement for requirement_create_many: appended after the position's others."""

    position: Position
    ability: Ability
    min_level: Level
    importance: str = Importance.ESSENTIAL


@transaction.atomic
def requirement_create_many(
    *,
    requirements: Sequence[RequirementToCreate],
    provenance: Provenance = Provenance.EDIT,
    history_user: Any = None,
) -> list[Requirement]:
    """Record many requirements at once, as requirement_create records each (appended after
    their position's other requirements, in the order given), in a few statements whatever
    their number: one read of the pairs already required and of each position's last order,
    one INSERT of the requirements and one of their history (`history_user` in it).

    A pair already required, or given twice, is refused with a ValidationError, nothing
    written. Sends no model signals (core.history.history_bulk_write): the caller marks what
    depends on requirements, as after any bulk write of them (coverage reports)."""
    if not requirements:
        return []
    pairs = [(r.position.pk, r.ability.pk) for r in requirements]
    position_ids = {position_id for position_id, _ability_id in pairs}
    taken = set(
        Requirement.objects.filter(
            position_id__in=position_ids, ability_id__in={a for _p, a in pairs}
        ).values_list("position_id", "ability_id")
    )
    if len(set(pairs)) < len(pairs) or taken.intersection(pairs):
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    last = dict(
        Requirement.objects.filter(position_id__in=position_ids)
        .values("position_id")
        .annotate(last=Max("order"))
        .values_list("position_id", "last")
    )
    made = []
    for item in requirements:
        order = last.get(item.position.pk)
        order = 0 if order is None else order + 1
        last[item.position.pk] = order
        made.append(
            Requirement(
                position=item.position,
                ability=item.ability,
                min_level=item.min_level,
                importance=item.importance,
                order=order,
                provenance=provenance,
            )
        )
    history_bulk_write(
        model=Requirement,
        create=made,
        user=history_user,
        reason=None,
        conflict=_DUPLICATE_REQUIREMENT,
    )
    return made


@transaction.atomic
def requirement_update(*, requirement: Requirement, **fields: Any) -> Requirement:
    """Change a requirement (any of position, ability, importance, min_level, scores, order)."""
    # The uniqueness check reads the requirement: under its row lock, as stored now.
    lock_for_update(requirement)
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


# --- Abilities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSet:
    """What `abilities_area_set` did: abilities put in the area, and those in it already."""

    changed: int
    unchanged: int


@transaction.atomic
def abilities_area_set(
    *, ability_ids: Iterable[int] | QuerySet, area: CompetencyArea, history_user: Any = None
) -> AreaSet:
    """Put the abilities in the competency area `area`, as staff would one ability form at a
    time (an import's abilities arrive without one). `ability_ids` may be a queryset of
    primary keys (the admin's "select all"), read as a subquery.

    Writes: each ability not in `area` yet gets it and the provenance "edit" (its `source_ref`
    is kept), with a history record naming `history_user`; abilities already in it are left
    alone. Sends `abilities_bulk_changed` with the abilities changed, which marks stale the
    coverage of the programmes requiring or building them, as one ability's area edit does
    through its post_save. All or nothing.
    """
    ids = ability_ids if isinstance(ability_ids, QuerySet) else set(ability_ids)
    abilities = list(Ability.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    changed = [ability for ability in abilities if ability.area_id != area.pk]
    # Only the area changes, to an area that exists: nothing else of the ability to validate.
    # A bulk update leaves auto_now alone: stamped by hand, as a save would.
    now = timezone.now()
    for ability in changed:
        ability.area = area
        ability.provenance = Provenance.EDIT
        ability.updated_at = now
    if changed:
        bulk_update_with_history(
            changed,
            Ability,
            ["area", "provenance", "updated_at"],
            batch_size=2000,
            default_user=history_user,
            default_change_reason="competency area set",
        )
        abilities_bulk_changed.send(sender=Ability, ability_ids={ability.pk for ability in changed})
    return AreaSet(changed=len(changed), unchanged=len(abilities) - len(changed))


# --- Import jobs -------------------------------------------------------------------------------
# Progress: while the import's transaction is open, its writes to the job row are invisible to
# other connections, so progress also goes to the cache (shared across processes when CACHE_URL
# points at Redis); positions.selectors.import_job_progress reads the cache first.


def import_job_check_permissions(
    *, format: str, user, options: dict[str, Any] | None = None
) -> None:
    """Raises PermissionDenied, naming what is missing, unless `user` may start an import of
    `format` with `options` (an unknown format is left to the job's own validation)."""
    if format not in ImportFormat.values:
        return
    missing = [perm for perm in import_permissions(format, options) if not user.has_perm(perm)]
    if missing:
        raise PermissionDenied(
            _("Starting this import takes the permissions it writes with; missing: %(perms)s.")
            % {"perms": join_list(missing)}
        )


@transaction.atomic
def import_job_create(
    *,
    format: str,
    upload: UploadedFile | None = None,
    path: str = "",
    options: dict[str, Any] | None = None,
    created_by=None,
    language: str | None = None,
) -> ImportJob:
    """Store the upload (or remember the server path) as a pending ImportJob and enqueue
    `positions.tasks.import_job_run` once the transaction commits. The job keeps `language`
    (by default the active one: the request's), which its report is written in. The same
    import asked for again (same user, format, options and file) while its job is pending or
    running is not stored again: that job is returned (core.jobs), and so is the job of one
    still being stored by another request (its upload written), once it is, waiting for it up
    to IMPORT_CLAIM_WAIT_SECONDS.

    Raises PermissionDenied when `created_by` (absent for the command line) lacks a permission
    the import takes (import_permissions: adding and changing what it writes), and
    QueueUnavailable, with nothing written, when the task queue cannot take the job. A job the
    queue refuses after that check is failed with the reason, not left pending for ever."""
    if created_by is not None:
        import_job_check_permissions(format=format, user=created_by, options=options)
        # Named in the options as well as by `created_by`, which the account's deletion empties:
        # the job asks again whether its starter may run it (_import_job_refused).
        options = {**(options or {}), "user_id": created_by.pk}
    if upload is None and not path:
        raise ValidationError({"upload": _("Give a file to import.")})
    problem = upload_size_problem(upload) if upload is not None else None
    if problem:
        raise ValidationError({"upload": problem})
    from positions.tasks import import_job_run

    ensure_queue_reachable(app=import_job_run.app, what="import job")
    scope = {
        "format": format,
        "path": path,
        "options": options or {},
        "user": getattr(created_by, "pk", None),
        "file": _upload_digest(upload) if upload is not None else None,
    }
    claimant = str(uuid.uuid4())
    waited_until = time.monotonic() + import_claim_wait_seconds()
    while True:
        key, held = claim_take(
            operation="positions.import",
            scope=scope,
            claimant=claimant,
            still_going=_import_still_going,
        )
        if held is None:
            break
        claimed = _import_claimed_job(held)
        if claimed is not None:
            return claimed
        if time.monotonic() >= waited_until:
            # Its job never came (the request storing it is stuck, or its transaction was
            # rolled back): this one is started unclaimed, as without a cache.
            break
        # The equivalent request that holds the claim is still storing its job.
        time.sleep(0.1)
    try:
        job = _import_job_store(
            format=format,
            upload=upload,
            path=path,
            options=options,
            created_by=created_by,
            language=language,
        )
    except BaseException:
        held = cache.get(key)
        if held and held.get("task_id") == claimant:
            cache.delete(key)  # let a request asking again start it, not wait for it
        raise
    if held is None:
        cache.set(key, {"task_id": claimant, "at": time.time(), "job": job.pk}, CLAIM_SECONDS)
    transaction.on_commit(lambda: _import_job_enqueue(job.pk))
    return job


def _import_job_store(
    *,
    format: str,
    upload: UploadedFile | None,
    path: str,
    options: dict[str, Any] | None,
    created_by,
    language: str | None,
) -> ImportJob:
    job = ImportJob(
        format=format,
        path=path,
        source_name=(upload.name if upload is not None else Path(path).name)[:255],
        options=options or {},
        created_by=created_by,
        language=_job_language(language),
    )
    if upload is not None:
        job.upload.save(Path(upload.name).name, upload, save=False)
    job.full_clean()
    job.save()
    return job


def _upload_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _import_still_going(held: dict) -> bool:
    """Whether the job a claim names is still pending or running (its status is the job's row:
    a finished or failed job's claim is taken over), or is still being stored: a claim younger
    than PUBLISHING_SECONDS that names no job yet, or one other requests cannot read yet (its
    transaction has not committed). An older one naming no job there is taken over."""
    status = (
        ImportJob.objects.filter(pk=held["job"]).values_list("status", flat=True).first()
        if held.get("job")
        else None
    )
    if status is not None:
        return status in (ImportStatus.PENDING, ImportStatus.RUNNING)
    return time.time() - held.get("at", 0) < PUBLISHING_SECONDS


def _import_claimed_job(held: dict) -> ImportJob | None:
    """The pending or running job a claim names, once stored and committed."""
    if not held.get("job"):
        return None
    return ImportJob.objects.filter(
        pk=held["job"], status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
    ).first()


def _import_job_enqueue(job_id: int) -> None:
    """Enqueue the job's run; if the queue refuses it (gone since import_job_create asked), fail
    the job with the reason: no worker or sweep would ever take a pending job nobody queued."""
    from positions.tasks import import_job_run

    try:
        import_job_run.delay(job_id)
    except Exception as error:
        logger.warning("Could not enqueue import job %s; failing it: %s", job_id, error)
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update()
                .filter(pk=job_id, status=ImportStatus.PENDING)
                .first()
            )
            if job is None:  # a worker took it after all
                return
            with translation.override(job.language or settings.LANGUAGE_CODE):
                reason = str(
                    _(
                        "the task queue was unreachable when this import was to be queued; "
                        "nothing was imported: start the import again"
                    )
                )
            _import_job_fail(job=job, reason=reason)


def _job_language(language: str | None) -> str:
    return (language or translation.get_language() or "")[:16]


def import_claim_wait_seconds() -> float:
    """How long a request waits for the job of the same import another request is storing (its
    upload being written) before starting its own (IMPORT_CLAIM_WAIT_SECONDS)."""
    return float(getattr(settings, "IMPORT_CLAIM_WAIT_SECONDS", 10))


def import_job_lease_seconds() -> int:
    return int(getattr(settings, "IMPORT_JOB_LEASE_SECONDS", 60))


def import_job_max_attempts() -> int:
    return int(getattr(settings, "IMPORT_JOB_MAX_ATTEMPTS", 2))


class ImportJobBusy(Exception):
    """The job is running under another worker's live lease; try again once it may have expired."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


class _Heartbeat(threading.Thread):
    """Renews a running job's lease every third of its length, on its own database connection
    (the import's transaction would hide the renewal until it commits). Dies with its worker,
    which is the point: an expired lease means no one is running the job."""

    def __init__(self, job_id: int, token: int):
        super().__init__(name=f"import-job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.token = job_id, token
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(import_job_lease_seconds() / 3, 0.05)
        try:
            while not self.stopped.wait(interval):
                import_job_heartbeat(job_id=self.job_id, attempt=self.token)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def import_job_heartbeat(*, job_id: int, attempt: int) -> bool:
    """Renew the lease of a job still running as `attempt`; whether it was (a worker that lost its
    job to a take-over stops renewing a lease that is no longer its own)."""
    try:
        return bool(
            ImportJob.objects.filter(
                pk=job_id, status=ImportStatus.RUNNING, attempts=attempt
            ).update(
                lease_expires_at=timezone.now() + timedelta(seconds=import_job_lease_seconds())
            )
        )
    except DatabaseError as error:
        if _sqlite_locked(error):
            # SQLite has one writer, and while the import writes it is the import's own
            # transaction: the renewal cannot land, and no other worker can take the job over
            # meanwhile either. Expected, every beat of a long import: not a warning.
            logger.debug("Import job %s: lease not renewed while the import writes", job_id)
            return False
        # A database that is briefly away: the next beat tries again, and the lease is long
        # enough to miss one.
        logger.warning("Could not renew the lease of import job %s", job_id, exc_info=True)
        return False


def _sqlite_locked(error: DatabaseError) -> bool:
    """Whether `error` is SQLite refusing a second writer ("database is locked", or "database
    table is locked" on a shared-cache database)."""
    return connection.vendor == "sqlite" and "is locked" in str(error)


def _import_job_fail(*, job: ImportJob, reason: str) -> None:
    job.status = ImportStatus.FAILED
    job.report = {**(job.report or {}), "ok": False, "error": {"where": "", "message": reason}}
    job.finished_at = timezone.now()
    job.lease_expires_at = None
    job.save(update_fields=["status", "report", "finished_at", "lease_expires_at", "updated_at"])
    cache.delete(job.progress_cache_key)


def _import_job_claim(job_id: int) -> ImportJob | None:
    """Take the job if it is pending, or running under an expired lease (its worker died),
    under a row lock so two workers cannot both take it; a finished job (succeeded or failed) is
    never run again by a late duplicate of its message. A job whose lease expired too often is
    failed with the reason instead. None when it is not ours."""
    now = timezone.now()
    expired = Q(status=ImportStatus.RUNNING) & (
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
    )
    claimable = Q(status=ImportStatus.PENDING) | expired
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(claimable, pk=job_id).first()
        if job is None:
            return None
        if job.status == ImportStatus.RUNNING and job.attempts >= import_job_max_attempts():
            with translation.override(job.language or settings.LANGUAGE_CODE):
                reason = str(
                    _(
                        "the worker running this import stopped %(n)d times (its lease "
                        "expired); the import was given up and nothing was written"
                    )
                    % {"n": job.attempts}
                )
            _import_job_fail(job=job, reason=reason)
            return None
        if job.status == ImportStatus.RUNNING:
            logger.warning(
                "Import job %s: lease expired (attempt %s); taking it over", job.pk, job.attempts
            )
        job.status, job.started_at, job.progress = ImportStatus.RUNNING, now, 0
        job.attempts += 1
        job.lease_expires_at = now + timedelta(seconds=import_job_lease_seconds())
        job.save(
            update_fields=[
                "status",
                "started_at",
                "progress",
                "attempts",
                "lease_expires_at",
                "updated_at",
            ]
        )
    return job


def _import_job_outcome(report: ImportReport) -> dict[str, Any]:
    """The fields a finished run stores on its job."""
    now = timezone.now()
    return {
        "status": ImportStatus.SUCCEEDED if report.ok else ImportStatus.FAILED,
        "progress": 100,
        # A refusal may quote a NUL or half of a UTF-16 pair from the file, which PostgreSQL's
        # jsonb refuses: the job stayed running, its report lost.
        "report": json_storable(report.as_dict()),
        "finished_at": now,
        "lease_expires_at": None,
        "updated_at": now,
    }


def _import_job_finish(*, job: ImportJob, report: ImportReport) -> bool:
    """Store the outcome of `job`'s run, if the job is still this run's (running, as the
    attempt that claimed it): whether it was. A conditional UPDATE, so that a worker whose job
    was taken over (its lease expired) cannot overwrite the outcome of the one that took it."""
    return bool(
        ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, attempts=job.attempts
        ).update(**_import_job_outcome(report))
    )


def _import_job_refused(job: ImportJob) -> ImportReport | None:
    """The failed report of a job its starter may no longer run, nothing imported: asked when
    the job begins to run, with the permissions its door asked (import_job_check_permissions),
    since it may have waited minutes for a worker (core.jobs.starter_refusal). None for a job
    its starter still may run, or no user started (the command line)."""
    options = _import_job_options(job)
    permissions = (
        import_permissions(job.format, options) if job.format in ImportFormat.values else []
    )
    refusal = starter_refusal(user_id=options.get("user_id"), permissions=permissions)
    if refusal is None:
        return None
    logger.warning("Import job %s not run: %s", job.pk, refusal)
    report = ImportReport(
        format=str(job.format),
        source=job.source_name or Path(job.path).name,
        dry_run=bool(options.get(DRY_RUN)),
    )
    report.fail(refusal)
    return report


def _import_job_options(job: ImportJob) -> dict:
    """The job's options, naming who started it (`user_id`, which the crosswalk's, the
    catalogue's and the links' jobs name in their records' history) by its `created_by` when
    they do not: a job queued before its options named them."""
    options = dict(job.options or {})
    if not options.get("user_id") and job.created_by_id:
        options["user_id"] = job.created_by_id
    return options


def import_job_execute(
    *, job_id: int, progress: ProgressCallback | None = None
) -> ImportJob | None:
    """Run a job: claim it under a lease (renewed by a heartbeat while the import runs), import,
    and store status, progress and the report (with the changes the import made in its
    frameworks). The report object is left on the returned job as `import_report`; `progress`
    also hears every progress step.

    A job already running under another worker's live lease raises ImportJobBusy (the task
    retries once the lease may have expired); one whose lease expired is taken over, or failed
    with the reason after IMPORT_JOB_MAX_ATTEMPTS; a finished one is returned as it is.

    A job deleted before it was taken (from the admin) is not run: None. One deleted while its
    import ran is not written again (its record is not brought back): the import stays written,
    the job is returned as it would have been stored, and both are logged.

    The outcome of an import that writes is stored in its own transaction, and only while the
    job is still this run's: a run whose job another worker took over meanwhile (its lease
    expired while it stalled) rolls its writes back, stores nothing and returns the job as it
    is, so that a job is written once and its outcome is its last claimant's.
    """
    job = _import_job_claim(job_id)
    if job is None:
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None:
            logger.warning("Import job %s was deleted before it ran; nothing imported", job_id)
            return None
        if job.status == ImportStatus.RUNNING and job.lease_expires_at is not None:
            raise ImportJobBusy((job.lease_expires_at - timezone.now()).total_seconds())
        return job
    ours = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, attempts=job.attempts)

    def tick(fraction: float, stage: str) -> None:
        if progress is not None:
            progress(fraction, stage)
        percent = int(fraction * 100)
        cache.set(job.progress_cache_key, {"progress": percent, "stage": stage}, 24 * 3600)
        if not connection.in_atomic_block:
            ours.update(progress=percent)

    def finish_with_the_writes(report: ImportReport) -> None:
        # A job taken over is the other run's to write; one deleted meanwhile keeps its import.
        if (
            not _import_job_finish(job=job, report=report)
            and ImportJob.objects.filter(pk=job.pk).exists()
        ):
            raise ImportSuperseded

    heartbeat = _Heartbeat(job.pk, job.attempts)
    heartbeat.start()
    try:
        location = job.upload.path if job.upload else job.path
        # The worker has no request: the report speaks the language the job was asked for in.
        with translation.override(job.language or settings.LANGUAGE_CODE):
            report = _import_job_refused(job) or framework_import(
                path=location,
                format=job.format,
                options=_import_job_options(job),
                source_name=job.source_name,
                progress=tick,
                before_commit=finish_with_the_writes,
            )
    except ImportSuperseded:
        logger.warning(
            "Import job %s was taken over while attempt %s wrote it; its writes were rolled back",
            job.pk,
            job.attempts,
        )
        return ImportJob.objects.filter(pk=job.pk).first()
    finally:
        heartbeat.stop()
    # A written import's outcome was stored with its writes; a failed one's or a dry run's
    # (nothing written) is stored now, unless the job was taken over meanwhile.
    stored = (report.ok and not report.dry_run) or _import_job_finish(job=job, report=report)
    if stored:
        cache.delete(job.progress_cache_key)
    current = ImportJob.objects.filter(pk=job.pk).first()
    if current is None:
        logger.warning(
            "Import job %s was deleted while it ran; its import (%s) stays written, the job "
            "is not stored again",
            job.pk,
            "succeeded" if report.ok else "failed",
        )
        cache.delete(job.progress_cache_key)
        # Returned as it would have been stored: the command line prints its report.
        for name, value in _import_job_outcome(report).items():
            setattr(job, name, value)
    else:
        job = current
    job.import_report = report
    return job


def import_job_run_now(
    *,
    path: str,
    format: str,
    options: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportJob:
    """Import a server-side file now, in this process (the command line), kept as an import job
    like the admin's and the API's: creates the job, runs it (`import_job_execute`) in the
    active language and returns it, with the report object as `import_report`."""
    job = ImportJob(
        format=format,
        path=str(Path(path).resolve())[:1000],
        source_name=Path(path).name[:255],
        options=options or {},
        language=_job_language(None),
    )
    job.full_clean()
    job.save()
    return import_job_execute(job_id=job.pk, progress=progress)


# --- Crosswalks ---------------------------------------------------------------------------------
# Staff link abilities of different frameworks (exactMatchOf, isRelatedTo, isPartOf, ...): one by
# one, or many at once from a CSV. Imported CASE crosswalks arrive through the CASE importer.

CROSSWALK_CSV_COLUMNS = (
    "source_framework",
    "source",
    "relation_type",
    "target_framework",
    "target",
)
_DUPLICATE_RELATION = _("These two abilities already have this relation.")
EXTERNAL_END_STAYS = _(
    "This end is a node published elsewhere (its URI): it stays as its package gave it. Delete "
    "the relation and make another to relate an ability of this site."
)
# What an update may change: which abilities it relates (an ability end only: an end published
# elsewhere stays as its package gave it), its type and the framework listing it, and its notes.
# The external ends' labels and identifiers say the other publisher's node as it came.
RELATION_FIELDS = ("source", "target", "relation_type", "extension_type", "framework", "notes")
# What says which relation it is: a change of them is checked as a create is.
_RELATION_KEY = ("source", "target", "relation_type", "extension_type")


def _relation_check(
    *,
    relation: AbilityRelation,
    source: Ability | None,
    target: Ability | None,
    relation_type: str,
    extension_type: str,
) -> None:
    """Refuse (ValidationError) relating an ability to itself, and relating the same two ends
    (abilities, or nodes elsewhere by URI) by a type they are already related by: a second
    exactMatchOf would count the same crosswalk twice. `relation` is the one being written
    (unsaved for a create), not counted as its own duplicate."""
    if source is not None and target is not None and source.pk == target.pk:
        raise ValidationError({"target": _("An ability cannot be related to itself.")})
    twins = AbilityRelation.objects.filter(
        source=source,
        source_uri="" if source is not None else relation.source_uri,
        target=target,
        target_uri="" if target is not None else relation.target_uri,
        relation_type=relation_type,
        extension_type=extension_type,
    )
    if relation.pk is not None:
        twins = twins.exclude(pk=relation.pk)
    if twins.exists():
        raise ValidationError(_DUPLICATE_RELATION)


@transaction.atomic
def ability_relation_create(
    *,
    source: Ability,
    target: Ability,
    relation_type: str,
    framework: Framework | None = None,
    extension_type: str = "",
    notes: str = "",
) -> AbilityRelation:
    """Relate two abilities (a crosswalk link made by staff, provenance "edit"), listed by
    `framework` (the source's when None); a relation of type "ext" names its `extension_type`
    (ext:isSkillOf). The coverage of programmes requiring or building either end is marked
    stale by the model signal."""
    relation = AbilityRelation(
        source=source,
        target=target,
        relation_type=relation_type,
        extension_type=extension_type,
        notes=notes,
        framework=framework or source.framework,
        provenance=Provenance.EDIT,
    )
    _relation_check(
        relation=relation,
        source=source,
        target=target,
        relation_type=relation_type,
        extension_type=extension_type,
    )
    validated_save(relation)
    return relation


@transaction.atomic
def ability_relation_update(*, relation: AbilityRelation, **fields: Any) -> AbilityRelation:
    """Change a relation's abilities, type, extension type, listing framework or notes (those of
    RELATION_FIELDS given; only the values that differ are written, with provenance "edit", so
    the next import of its package reports it edited and leaves it as staff made it).

    A new source or target moves the relation, and is checked as a create checks it: no ability
    related to itself, no second relation of the same type between the same ends. An end that
    is a node published elsewhere (a URI) cannot be given an ability here. The model signal
    marks stale the coverage of programmes requiring or building any end it had or has."""
    # The checks read the relation: under its row lock, as stored now.
    lock_for_update(relation)
    for side in ("source", "target"):
        if fields.get(side) is not None and getattr(relation, f"{side}_uri"):
            raise ValidationError({side: EXTERNAL_END_STAYS})
    stored = {name: getattr(relation, name) for name in _RELATION_KEY}
    values = {name: fields.get(name, stored[name]) for name in _RELATION_KEY}
    if values != stored:
        # Checked only when the relation moves or changes type: its notes can still be edited
        # where a package brought two relations between the same ends.
        _relation_check(
            relation=relation,
            source=values["source"],
            target=values["target"],
            relation_type=values["relation_type"],
            extension_type=values["extension_type"],
        )
    model_update(instance=relation, fields=RELATION_FIELDS, data=fields)
    return relation


@transaction.atomic
def ability_relation_delete(*, relation: AbilityRelation) -> None:
    """Delete one relation (imported or made by staff); its history keeps it. The model signal
    marks stale the coverage of programmes requiring or building either end: a crosswalk their
    rule set counted no longer covers anything."""
    relation.delete()


@dataclass
class CrosswalkImport:
    """What a crosswalk CSV brought (or, a dry run, would bring): relations created, and rows
    naming one that already exists. `ability_ids`: both ends of the relations created."""

    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    ability_ids: set[int] = field(default_factory=set, repr=False)
    # The problems of the first PROBLEM_LIST_LIMIT lines with any, as the catalogue and link
    # imports' reports give them ({"line", "row"?, "errors": {"__all__": [...]}}: the row only
    # where it is not the line); how many lines have problems. With any, nothing is written.
    errors: list[dict] = field(default_factory=list)
    errors_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "errors_total": self.errors_total,
        }


class CrosswalkRefused(ValidationError):
    """A crosswalk CSV refused, nothing written: on `file`, each problem as "line N: ..." (the
    API's and the admin's error), "line N (row R of the sheet): ..." where the record's sheet
    row differs from its line (as core.limits.at_line says a place), and `problems`, each as
    (line, problem), for an import job's report, which names the line apart (ImportProblems);
    a line is a SheetLine where the reader knew its row. A problem with the file as a whole
    (empty, unreadable) has no line: None."""

    def __init__(
        self, problems: list[tuple[int | None, str]], *, report: CrosswalkImport | None = None
    ):
        super().__init__(
            {"file": [_crosswalk_problem(line, problem) for line, problem in problems]}
        )
        self.problems = problems
        # Problems of records (not of the file as a whole), by line: the API's 400 report.
        self.report = report


def _crosswalk_report(problems: dict[int, list[str]], *, dry_run: bool) -> CrosswalkImport:
    """The report of a file refused for problems of its records (`problems` by line, a
    SheetLine where the reader knew its row), shaped as the catalogue import's."""
    lines = [(line, found) for line, found in problems.items() if found]
    report = CrosswalkImport(dry_run=dry_run, errors_total=len(lines))
    for line, found in lines[:PROBLEM_LIST_LIMIT]:
        row = getattr(line, "row", None)
        report.errors.append(
            {
                "line": int(line),
                **({"row": row} if row is not None and row != line else {}),
                "errors": {"__all__": [str(problem) for problem in found]},
            }
        )
    return report


def _crosswalk_problem(line: int | None, problem: str) -> str:
    if line is None:
        return problem
    row = getattr(line, "row", None)
    if row is not None and row != line:
        return _("line %(n)d (row %(row)d of the sheet): %(p)s") % {
            "n": line,
            "row": row,
            "p": problem,
        }
    return _("line %(n)d: %(p)s") % {"n": line, "p": problem}


def _crosswalk_frameworks() -> dict[str, int]:
    found: dict[str, int] = {}
    for pk, name, identifier in Framework.objects.values_list("id", "name", "identifier"):
        found.setdefault(name.casefold(), pk)
        found[str(identifier)] = pk
    return found


@transaction.atomic
def crosswalk_import_csv(
    *,
    text: str,
    source_name: str = "",
    user: Any = None,
    dry_run: bool = False,
    announce: bool = True,
) -> CrosswalkImport:
    """Create the relations a CSV lists, all or nothing.

    Columns (a header row): source_framework, source, relation_type, target_framework, target.
    A framework is named by its name or identifier; an ability by its code, external identifier
    or URI within that framework. Any bad row raises CrosswalkRefused (a ValidationError on
    `file`) listing every problem with its line number, and nothing is written. A row naming an
    existing relation is counted unchanged. Writes: the relations (provenance "edit", with
    history naming `user`, else the request's user if any: a background job passes its own);
    sends `abilities_bulk_changed` for both ends, which marks the coverage of affected programmes
    stale (unless `announce` is False: an import job announces them itself, with its other
    changes).

    With `dry_run`, the same reading, checks and writes, rolled back and announced to no one:
    the result (`dry_run` true) counts what the import would create and leave unchanged.
    """
    # Read as every import's CSV is: a cell past IMPORT_MAX_LINE_CHARS or a quote never closed
    # is a problem naming its line (csv's own error was a 500), and line numbers are the file's.
    try:
        table = csv_dataset(text)
    except LineProblem as problem:
        raise CrosswalkRefused([(None, problem.message)]) from problem
    if not table.headers:
        raise CrosswalkRefused([(None, _("The file is empty."))])
    header = [str(cell).strip() for cell in table.headers]
    missing = [c for c in CROSSWALK_CSV_COLUMNS if c not in header]
    if missing:
        raise CrosswalkRefused(
            [
                (
                    SheetLine(table.header_line, row=table.header_row),
                    _("missing columns: %(cols)s") % {"cols": join_list(missing)},
                )
            ]
        )
    index = {name: header.index(name) for name in CROSSWALK_CSV_COLUMNS}
    frameworks = _crosswalk_frameworks()
    # An extension needs its name, which the columns do not give.
    types = set(RelationType.values) - {RelationType.EXTENSION}
    # Each line's problems, said together: one with an unknown framework or relation type still
    # has the ability its known framework lacks named, not only once the rest is fixed.
    problems: dict[int, list[str]] = {}
    wanted: list[tuple[int, int | None, str, int | None, str, str]] = []
    # Each record by the line it starts on, knowing its sheet row (said beside the line where
    # they differ: a quoted cell spanning lines, a "sep=" line), as every other import says it.
    for number, sheet_row, row in zip(table.line_numbers, table.sheet_rows, table, strict=True):
        line = SheetLine(number, row=sheet_row)
        cells = {name: str(row[i]).strip() for name, i in index.items()}
        found = problems.setdefault(line, [])
        source_fw = frameworks.get(cells["source_framework"].casefold()) or frameworks.get(
            cells["source_framework"]
        )
        target_fw = frameworks.get(cells["target_framework"].casefold()) or frameworks.get(
            cells["target_framework"]
        )
        for side, fw in (("source", source_fw), ("target", target_fw)):
            if fw is None:
                found.append(
                    _("no framework %(name)r (%(side)s)")
                    % {"name": cells[f"{side}_framework"], "side": side}
                )
            if not cells[side]:
                found.append(_("%(side)s: give an ability code") % {"side": side})
        if cells["relation_type"] not in types:
            found.append(
                _("unknown relation type %(t)r (one of %(all)s)")
                % {"t": cells["relation_type"], "all": join_list(sorted(types))}
            )
        wanted.append(
            (line, source_fw, cells["source"], target_fw, cells["target"], cells["relation_type"])
        )
    # The abilities of the sides whose framework is known and whose code is given.
    keys = {(row[1], row[2]) for row in wanted if row[1] is not None and row[2]} | {
        (row[3], row[4]) for row in wanted if row[3] is not None and row[4]
    }
    abilities = _crosswalk_abilities(keys)
    existing = set(
        AbilityRelation.objects.filter(
            source_id__in={a for a in abilities.values() if a},
        ).values_list("source_id", "target_id", "relation_type")
    )
    relations: list[AbilityRelation] = []
    seen: set[tuple[int, int, str]] = set()
    result = CrosswalkImport(dry_run=dry_run)
    by_framework: dict[int, NumberReadings] = {}

    def readings(framework_id: int) -> NumberReadings:
        # A framework's codes a number may have been (1.10 for 1.1), read once a framework, and
        # only once one of its codes is unknown and a number.
        if framework_id not in by_framework:
            by_framework[framework_id] = ability_code_readings(
                framework_id=framework_id, csv_only=True
            )
        return by_framework[framework_id]

    for line, source_fw, source_key, target_fw, target_key, relation_type in wanted:
        found = problems[line]
        source_id = abilities.get((source_fw, source_key))
        target_id = abilities.get((target_fw, target_key))
        if source_fw is not None and source_key and source_id is None:
            found.append(
                _crosswalk_unknown(
                    _("no ability %(key)r in the source framework") % {"key": source_key},
                    readings(source_fw).hint(source_key),
                )
            )
        if target_fw is not None and target_key and target_id is None:
            found.append(
                _crosswalk_unknown(
                    _("no ability %(key)r in the target framework") % {"key": target_key},
                    readings(target_fw).hint(target_key),
                )
            )
        if source_id is not None and source_id == target_id:
            found.append(_("an ability cannot be related to itself"))
        if found:
            continue
        key = (source_id, target_id, relation_type)
        if key in existing or key in seen:
            result.unchanged += 1
            continue
        seen.add(key)
        relations.append(
            AbilityRelation(
                framework_id=source_fw,
                source_id=source_id,
                target_id=target_id,
                relation_type=relation_type,
                provenance=Provenance.EDIT,
                source_ref=source_name[:255],
            )
        )
    refused = [(line, problem) for line, found in problems.items() for problem in found]
    if refused:
        raise CrosswalkRefused(refused, report=_crosswalk_report(problems, dry_run=dry_run))
    if relations:
        # Written on a dry run too (a constraint the checks above missed still refuses the
        # file), then rolled back to this savepoint.
        with transaction.atomic():
            bulk_create_with_history(
                relations,
                AbilityRelation,
                default_user=user,
                default_change_reason="crosswalk csv",
            )
            if dry_run:
                transaction.set_rollback(True)
    result.created = len(relations)
    result.ability_ids = {r.source_id for r in relations} | {r.target_id for r in relations}
    if relations and announce and not dry_run:
        abilities_bulk_changed.send(sender=AbilityRelation, ability_ids=result.ability_ids)
    return result


def _crosswalk_unknown(problem: str, hint: str) -> str:
    """An unknown ability's problem, with what a spreadsheet may have made of its code."""
    return bracketed(problem, hint) if hint else problem


def _crosswalk_abilities(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """(framework id, code, external identifier or URI) -> ability id, in one query; a code wins
    over an external identifier, which wins over a URI."""
    if not keys:
        return {}
    # No stored code holds a NUL, and PostgreSQL refuses one in a query: such a key matches none.
    values = {k[1] for k in keys if "\x00" not in k[1]}
    found: dict[tuple[int, str], tuple[int, int]] = {}
    for pk, framework_id, code, external_id, uri in Ability.objects.filter(
        Q(code__in=values) | Q(external_id__in=values) | Q(uri__in=values),
        framework_id__in={k[0] for k in keys},
    ).values_list("id", "framework_id", "code", "external_id", "uri"):
        for rank, value in enumerate((code, external_id, uri)):
            key = (framework_id, value)
            if value and key in keys and (key not in found or found[key][0] > rank):
                found[key] = (rank, pk)
    return {key: ranked[1] for key, ranked in found.items()}


def import_uploads_purge(*, days: int | None = None) -> int:
    """Delete the uploaded import files (and files left without a job) older than `days`
    (default IMPORT_UPLOAD_RETENTION_DAYS), except those of jobs still pending or running, then
    the folders left empty; and the admin's import previews past their day, never confirmed.
    The jobs keep their reports and the uploaded file's name. Returns how many files were
    deleted."""
    days = settings.IMPORT_UPLOAD_RETENTION_DAYS if days is None else days
    cutoff = time.time() - days * 86400
    removed = ImportPreviewStorage.remove_stale()
    storage = import_upload_storage()
    root = Path(storage.location)
    if not root.is_dir():
        return removed
    in_use = {
        Path(storage.path(name))
        for name in ImportJob.objects.filter(
            status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
        )
        .exclude(upload="")
        .values_list("upload", flat=True)
    }
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff and path not in in_use:
            path.unlink()
            removed += 1
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def import_job_pending_seconds() -> int:
    return int(getattr(settings, "IMPORT_JOB_PENDING_SECONDS", 86400))


PENDING_TOO_LONG = gettext_noop(
    "no worker started this import within %(age)s of its upload (the task queue lost it, or it "
    "was stored while the queue was unreachable); nothing was imported: start the import again"
)


def import_jobs_sweep() -> dict[str, list[int]]:
    """Stuck jobs (running, lease expired: their worker is gone and no redelivery came): each is
    enqueued again, where the task takes it over or, past IMPORT_JOB_MAX_ATTEMPTS, fails it with
    the reason. Jobs pending longer than IMPORT_JOB_PENDING_SECONDS (their message lost, or never
    sent: stored by an older release while the broker was down) are failed with the reason, not
    run: their client may have been told the import failed, or started it again since. A late
    message for one then finds it finished. Returns the ids it enqueued and those it failed."""
    from positions.tasks import import_job_run

    stuck = list(
        ImportJob.objects.filter(
            status=ImportStatus.RUNNING, lease_expires_at__lt=timezone.now()
        ).values_list("pk", flat=True)
    )
    for job_id in stuck:
        import_job_run.delay(job_id)
    return {"enqueued": stuck, "failed": _import_jobs_fail_pending()}


def _import_jobs_fail_pending() -> list[int]:
    age = timedelta(seconds=import_job_pending_seconds())
    now = timezone.now()
    failed = []
    with transaction.atomic():
        # Under the row lock a worker's claim takes (_import_job_claim): a job it has just
        # taken is no longer pending, and one failed here is no longer claimable.
        jobs = ImportJob.objects.select_for_update().filter(
            status=ImportStatus.PENDING, created_at__lt=now - age
        )
        for job in jobs.order_by("pk"):
            with translation.override(job.language or settings.LANGUAGE_CODE):
                reason = translation.gettext(PENDING_TOO_LONG) % {"age": timesince(now - age, now)}
            _import_job_fail(job=job, reason=reason)
            logger.warning(
                "Import job %s: pending since %s, never started by a worker; failed",
                job.pk,
                job.created_at.isoformat(),
            )
            failed.append(job.pk)
    return failed
