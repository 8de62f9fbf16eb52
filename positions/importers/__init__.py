"""Importers for competency frameworks: CASE, ESCO, Moodle and O*NET.

`framework_import` is the one service every door uses (the command, the admin upload, the API's
Celery job). Each importer reads and checks the whole source first, then writes inside a single
transaction, so a bad file or a database error leaves the database exactly as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.csv import csv_encoding_checked, reading_encoding
from core.i18n import join_sentences
from core.limits import LimitExceeded
from core.services import writers_one_at_a_time
from positions.importers.base import (
    ImportFailed,
    ImportReport,
    ImportSuperseded,
    ProgressCallback,
    SourceFiles,
    model_permissions,
)
from positions.importers.changes import framework_changes_record
from positions.models import (
    Ability,
    CompetencyArea,
    Framework,
    ImportFormat,
    Position,
    Requirement,
)
from positions.signals import (
    abilities_bulk_changed,
    positions_bulk_changed,
    requirements_bulk_changed,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000

# The option making a framework's top-level competencies its competency areas
# (importers.areas), and the formats that take it.
TOP_LEVEL_AREAS = "top_level_areas"
TOP_LEVEL_AREA_FORMATS = (ImportFormat.MOODLE, ImportFormat.CASE)
# The option that checks the source as the import does and writes nothing: every row read,
# checked and written inside the import's transaction, which is then rolled back, so the report
# counts what the import would create, update and leave unchanged (or its problems by line).
DRY_RUN = "dry_run"
# The option naming the encoding a CSV source is read in (core.csv.CSV_ENCODING_NAMES; UTF-8
# when left out): chosen by whoever starts the import, never guessed.
ENCODING = "encoding"
# The framework formats read in the encoding chosen: a Moodle framework CSV. A CASE package is
# JSON, UTF-8 by its standard; ESCO's and O*NET's files are published in UTF-8.
ENCODING_FORMATS = (ImportFormat.MOODLE,)
ENCODING_REFUSED = _lazy(
    "Only a Moodle framework CSV is read in an encoding other than UTF-8: CASE, ESCO and O*NET "
    "files are UTF-8."
)
TOP_LEVEL_AREAS_REFUSED = _lazy(
    "Only a Moodle or CASE framework's top-level competencies can become competency areas."
)


# Importers other apps provide (positions may not import them): format -> a function returning
# the Importer class, registered from the app's ready().
EXTRA_IMPORTERS: dict[str, Callable[[], type]] = {}


def register_importer(format: str, loader: Callable[[], type]) -> None:
    """Let `framework_import` and import jobs run another app's Importer for `format`."""
    EXTRA_IMPORTERS[format] = loader


def _importer_class(format: str):
    if format in EXTRA_IMPORTERS:
        return EXTRA_IMPORTERS[format]()
    # Imported lazily so that a format's module loads only when used.
    if format == ImportFormat.CASE:
        from positions.importers.case import CaseImporter

        return CaseImporter
    if format == ImportFormat.ESCO:
        from positions.importers.esco import EscoImporter

        return EscoImporter
    if format == ImportFormat.MOODLE:
        from positions.importers.moodle import MoodleImporter

        return MoodleImporter
    if format == ImportFormat.ONET:
        from positions.importers.onet import OnetImporter

        return OnetImporter
    if format == ImportFormat.RELATIONS:
        from positions.importers.relations import CrosswalkImporter

        return CrosswalkImporter
    raise ImportFailed(_("Unknown format %(format)r.") % {"format": format})


def import_permissions(format: str, options: dict[str, Any] | None = None) -> list[str]:
    """The permissions starting an import of `format` takes: adding an import job, adding and
    changing every kind of record the import writes, and deleting every kind it removes, so
    that an import cannot create or delete what its user could not by hand (with
    `top_level_areas`, competency areas too), and what its options ask besides
    (Importer.option_permissions)."""
    importer = _importer_class(format)
    perms = ["positions.add_importjob"] if importer.started_as_job else []
    writes = importer.writes
    if (options or {}).get(TOP_LEVEL_AREAS):
        writes = (*writes, CompetencyArea)
    return [
        *perms,
        *model_permissions(writes, ("add", "change")),
        *model_permissions(importer.removes, ("delete",)),
        *importer.option_permissions(options or {}),
    ]


# PostgreSQL advisory lock taken by each import's write transaction ("import" in ASCII): two
# imports of the same new framework at once (two workers, or a job and the command) both looked
# it up before either committed, both inserted it, and the later failed on its unique
# identifier; one after the other, the later reads what the earlier wrote and imports into it.
IMPORT_WRITE_LOCK = 0x696D706F7274


def _changes_announce(*, report: ImportReport, ability_ids: set, position_ids: set) -> None:
    # An ability retired or restored changes what is ranked and covered even when the import
    # wrote nothing else.
    changed_abilities = ability_ids | report.relation_ends | report.retired_or_restored
    if changed_abilities:
        abilities_bulk_changed.send(sender=Ability, ability_ids=changed_abilities)
    if position_ids:
        requirements_bulk_changed.send(sender=Requirement, position_ids=position_ids)
    if report.positions_rewritten:
        positions_bulk_changed.send(sender=Position, position_ids=set(report.positions_rewritten))


def framework_import(
    *,
    path: str | Path,
    format: str,
    options: dict[str, Any] | None = None,
    source_name: str = "",
    progress: ProgressCallback | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import a framework file (or folder/zip) in the given format and report what happened.

    Reads and validates the whole source before writing. Then, in one transaction: creates or
    updates the framework(s), abilities, relations, positions and requirements (provenance "import",
    source_ref naming the source), keeps records staff have edited and reports the conflict,
    records what changed in the frameworks (`report.changes`, see importers.changes: abilities
    the source dropped are retired, never deleted), and sends `abilities_bulk_changed` /
    `requirements_bulk_changed` / `positions_bulk_changed` for what changed. On any failure
    nothing is written and the report carries the error and where it happened.

    With `options[DRY_RUN]`, the same reading, checks and writes, rolled back at the end and
    announced to no one: the report (`dry_run` true) counts what the import would write, or
    says why it would fail.

    `before_commit(report)`, if given, is called inside the write transaction once everything
    is written (not on a dry run), so that what it writes commits with the import or not at
    all; raising ImportSuperseded there rolls the import back and is raised to the caller.
    """
    options = dict(options or {})
    dry_run = bool(options.pop(DRY_RUN, False))
    name = source_name or Path(path).name
    report = ImportReport(format=str(format), source=name, dry_run=dry_run)

    def tick(fraction: float, stage: str) -> None:
        if progress is not None:
            progress(max(0.0, min(1.0, fraction)), stage)

    try:
        encoding = csv_encoding_checked(options.pop(ENCODING, None))
    except ValidationError as exc:  # an encoding no reader knows, in a job's stored options
        report.fail(join_sentences(exc.messages))
        return report
    source = None
    try:
        with reading_encoding(encoding):
            importer_class = _importer_class(format)
            report.tidies_text = importer_class.tidies_text
            source = SourceFiles(path, open_archives=importer_class.opens_archives, name=name)
            importer = importer_class(
                source=source, options=options, report=report, source_name=name, progress=tick
            )
            importer.validate()
            with transaction.atomic():
                writers_one_at_a_time(IMPORT_WRITE_LOCK)
                ability_ids, position_ids = importer.write()
                framework_changes_record(report=report, position_ids=set(position_ids))
                if dry_run:
                    # Everything written is undone (on-commit callbacks too), nothing announced.
                    transaction.set_rollback(True)
                else:
                    _changes_announce(
                        report=report, ability_ids=set(ability_ids), position_ids=set(position_ids)
                    )
                    if before_commit is not None:
                        before_commit(report)
            if dry_run:
                # Only frameworks there are: the ids of those the import would create name nothing.
                there = set(
                    Framework.objects.filter(pk__in=report.frameworks).values_list("pk", flat=True)
                )
                report.frameworks = [pk for pk in report.frameworks if pk in there]
            tick(1.0, "done")
    except ImportSuperseded:
        raise
    except (ImportFailed, LimitExceeded) as exc:
        report.fail(
            exc.message,
            exc.where,
            problems=getattr(exc, "problems", None),
            problems_total=getattr(exc, "problems_total", 0),
        )
    except SoftTimeLimitExceeded:
        report.fail(
            _(
                "the import took longer than its time limit of %(s)d seconds "
                "(IMPORT_SOFT_TIME_LIMIT); nothing was written"
            )
            % {"s": int(getattr(settings, "IMPORT_SOFT_TIME_LIMIT", 1800))}
        )
    except DatabaseError as exc:
        logger.warning("Import of %s failed in the database: %s", name, exc)
        report.fail(_("database error: %(e)s") % {"e": exc}, getattr(exc, "import_where", ""))
    except Exception as exc:
        # A file can break an importer in ways no check foresaw (JSON nested too deeply for
        # the parser, say). The transaction rolled back; report it rather than leave the job
        # "running" for ever.
        logger.exception("Import of %s failed unexpectedly", name)
        report.fail(
            _("the file could not be imported (%(e)s); nothing was written")
            % {"e": type(exc).__name__}
        )
    finally:
        if source is not None:
            source.close()
    return report
