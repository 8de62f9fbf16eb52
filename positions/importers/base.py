"""What every importer shares: the report, the failure that aborts an import, reading sources (a
file, a folder or a zip), and `RecordSync`, which creates, updates or leaves records alone and
never overwrites a record staff have edited.
"""

from __future__ import annotations

import contextlib
import csv
import io
import lzma
import re
import uuid
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core.csv import (
    NotInEncoding,
    NotUtf8Text,
    NotUtf16Text,
    Utf8Lines,
    decoded_text,
    encoding_label,
)
from core.history import history_record_rows
from core.i18n import join_list
from core.limits import (
    ImportLimits,
    LimitExceeded,
    SheetLine,
    at_line,
    bounded_lines,
    check_archive,
    check_file_size,
)
from core.models import (
    Provenance,
    TextKind,
    characters_named,
    illegal_characters,
    language_tag_or_as_given,
    normalized_lines,
    text_fields,
    text_without_illegal,
)
from core.services import update_from_values
from positions.models import Ability, AbilityRelation, Framework, ImportStatus, Position

_IMPORT_REASON = "import"

# Lists in a report stop growing here; the totals still count everything.
REPORT_LIST_LIMIT = 500
# How many of a refused file's problems its report lists (it says how many more there are): a
# wholly wrong file is not a report of megabytes.
PROBLEM_LIST_LIMIT = 100
OUTCOMES = ("created", "updated", "unchanged", "conflict")
# Kinds an import deletes when its source no longer lists them (nothing points at them, unlike
# abilities, which are retired): their counts say how many it removed too.
REMOVABLE_KINDS = {"relation": ("removed",), "requirement": ("removed",)}
# The order an import writes its kinds in, which a report's counts are read back in: a JSON
# column does not keep its keys' order on PostgreSQL (jsonb orders them by length).
KINDS = ("framework", "area", "ability", "relation", "position", "requirement")


def counts_in_order(counts: dict[str, dict[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """A stored report's `counts` as (kind, [(outcome, n), ...]) in the import's own order
    (KINDS, then OUTCOMES and the kind's removals; any other after them, by name), whatever
    order the database gave the keys back in."""

    def place(key: str, order: tuple[str, ...]) -> tuple[int, str]:
        return (order.index(key), "") if key in order else (len(order), key)

    return [
        (
            kind,
            sorted(
                counts[kind].items(),
                key=lambda item: place(item[0], OUTCOMES + REMOVABLE_KINDS.get(kind, ())),
            ),
        )
        for kind in sorted(counts, key=lambda kind: place(kind, KINDS))
    ]


# A report's kinds and outcomes and a job's progress stages as pages name them, in the reader's
# language; the report and the API keep the English keys (a contract). "created" also names a
# record's timestamp, hence the contexts.
LABELS = {
    "framework": pgettext_lazy("import count", "framework"),
    "area": pgettext_lazy("import count", "area"),
    "ability": pgettext_lazy("import count", "ability"),
    "relation": pgettext_lazy("import count", "relation"),
    "position": pgettext_lazy("import count", "position"),
    "requirement": pgettext_lazy("import count", "requirement"),
    "course": pgettext_lazy("import count", "course"),
    "link": pgettext_lazy("import count", "link"),
    "created": pgettext_lazy("import count", "created"),
    "updated": pgettext_lazy("import count", "updated"),
    "unchanged": pgettext_lazy("import count", "unchanged"),
    "conflict": pgettext_lazy("import count", "conflict"),
    "removed": pgettext_lazy("import count", "removed"),
    "read": pgettext_lazy("import stage", "read"),
    "validated": pgettext_lazy("import stage", "validated"),
    "occupations read": pgettext_lazy("import stage", "occupations read"),
    "skills read": pgettext_lazy("import stage", "skills read"),
    "ratings read": pgettext_lazy("import stage", "ratings read"),
    "relations checked": pgettext_lazy("import stage", "relations checked"),
    "writing positions": pgettext_lazy("import stage", "writing positions"),
    "positions written": pgettext_lazy("import stage", "positions written"),
    "writing abilities": pgettext_lazy("import stage", "writing abilities"),
    "abilities written": pgettext_lazy("import stage", "abilities written"),
    "parents linked": pgettext_lazy("import stage", "parents linked"),
    "writing requirements": pgettext_lazy("import stage", "writing requirements"),
    "requirements": pgettext_lazy("import stage", "requirements"),
    "writing courses": pgettext_lazy("import stage", "writing courses"),
    "writing links": pgettext_lazy("import stage", "writing links"),
    "written": pgettext_lazy("import stage", "written"),
    "done": pgettext_lazy("import stage", "done"),
    # A job not running reports its status as its stage.
    **{status.value: status.label for status in ImportStatus},
}


def import_label(key: str) -> str:
    """A report's count key or a job's progress stage as a page shows it, in the active
    language; a key without a label as it is."""
    return str(LABELS.get(key, key))


def counts_shown(counts: dict[str, dict[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """`counts_in_order`, with the kinds and outcomes as a page shows them (`import_label`)."""
    return [
        (import_label(kind), [(import_label(outcome), n) for outcome, n in outcomes])
        for kind, outcomes in counts_in_order(counts)
    ]


ProgressCallback = Callable[[float, str], None]


class ImportFailed(Exception):
    """A problem that makes the whole import meaningless; nothing is written."""

    def __init__(self, message: str, *, where: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        # Every problem found, when more than one ({"where", "message"}, the first
        # PROBLEM_LIST_LIMIT), and how many there were: see ImportProblems.
        self.problems: list[dict[str, str]] = []
        self.problems_total = 0


class ImportSuperseded(Exception):
    """Raised by the hook an import calls before it commits (framework_import's
    `before_commit`) when what it writes is no longer wanted: its job was taken over by another
    worker. The import's writes are rolled back and nothing is reported."""


class ImportProblems(ImportFailed):
    """Every problem of a file that an importer could read through (each line's), said together
    so that a hand-written file is mended in one go: the message says how many there are, and
    `problems` lists the first PROBLEM_LIST_LIMIT of them, each where it is."""

    def __init__(self, problems: list[dict[str, str]], total: int):
        super().__init__(
            ngettext("the file has %(n)d problem", "the file has %(n)d problems", total)
            % {"n": total}
        )
        self.problems = problems
        self.problems_total = total


class Problems:
    """Collects an import's problems, rather than stopping at the first, to refuse the file with
    all of them (`raise_any`): one problem alone as ImportFailed had it, more as ImportProblems,
    in the order of their lines (those of no line after them), the first PROBLEM_LIST_LIMIT.
    An import reading several files names them in `files`, in the order it reads them: a
    problem of one of them (`file`) comes in that file's place, then at its line."""

    def __init__(self, files: Iterable[str] = ()) -> None:
        self.files = list(files)
        # (file's place, line, order found, where, message): the first PROBLEM_LIST_LIMIT
        # kept, at most twice as many held at a time (a wholly wrong file of 100,000 rows has
        # as many problems), and how many there were.
        self.found: list[tuple[int, float, int, str, str]] = []
        self.total = 0

    def __bool__(self) -> bool:
        return bool(self.total)

    def add(
        self, message: str, *, where: str = "", line: int | None = None, file: str = ""
    ) -> None:
        place = self.files.index(file) if file in self.files else len(self.files)
        at = float("inf") if line is None else line
        self.found.append((place, at, self.total, where, message))
        self.total += 1
        if len(self.found) >= 2 * PROBLEM_LIST_LIMIT:
            self.found = sorted(self.found)[:PROBLEM_LIST_LIMIT]

    def add_failure(
        self, failure: ImportFailed, *, line: int | None = None, file: str = ""
    ) -> None:
        if failure.problems_total:
            for problem in failure.problems:
                self.add(problem["message"], where=problem["where"], line=line, file=file)
        else:
            self.add(failure.message, where=failure.where, line=line, file=file)

    @contextlib.contextmanager
    def gathered(self, *, line: int | None = None, file: str = "") -> Iterator[None]:
        """Collect the ImportFailed the block raises (a problem of `line`, in `file`), and go
        on after it."""
        try:
            yield
        except ImportFailed as failure:
            self.add_failure(failure, line=line, file=file)

    def raise_any(self) -> None:
        if self.total == 1:
            *_at, where, message = self.found[0]
            raise ImportFailed(message, where=where)
        if self.total:
            listed = sorted(self.found)[:PROBLEM_LIST_LIMIT]
            raise ImportProblems(
                [{"where": where, "message": message} for *_at, where, message in listed],
                self.total,
            )


def problem_lines(error: dict | None) -> list[str]:
    """A failed report's problems one a line ("line 4: ..."), and how many more it left out; none
    for a report failed with a single problem (its error's where and message say it)."""
    error = error or {}
    problems = error.get("problems") or []
    lines = [
        _("%(label)s: %(value)s") % {"label": p["where"], "value": p["message"]}
        if p.get("where")
        else p["message"]
        for p in problems
    ]
    more = (error.get("problems_total") or 0) - len(problems)
    if more > 0:
        lines.append(
            ngettext("… and %(n)d more problem", "… and %(n)d more problems", more) % {"n": more}
        )
    return lines


@dataclass
class ImportReport:
    """What an import did, record by record kind, plus what it skipped and why."""

    format: str
    source: str
    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)
    skipped_total: int = 0
    skipped_by_reason: Counter = field(default_factory=Counter)
    conflicts: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    frameworks: list[int] = field(default_factory=list)
    error: dict | None = None
    # What changed in the frameworks (positions.importers.changes), once written.
    changes: dict | None = None
    # Checked and counted as written, then rolled back: nothing was written (DRY_RUN).
    dry_run: bool = False
    # Kept while importing, never serialised: each framework's abilities as they were before
    # the import wrote anything (id -> (framework id, code, text, parent id, retired)), the
    # abilities the source offered, the abilities at either end of a relation it wrote, and
    # those it retired or brought back from retirement (positions.importers.changes); and the
    # positions whose own fields (name, description, ...) it rewrote.
    abilities_before: dict[int, tuple] = field(default_factory=dict, repr=False)
    snapshotted: set = field(default_factory=set, repr=False)
    abilities_seen: set[int] = field(default_factory=set, repr=False)
    relation_ends: set[int] = field(default_factory=set, repr=False)
    retired_or_restored: set[int] = field(default_factory=set, repr=False)
    positions_rewritten: set[int] = field(default_factory=set, repr=False)
    # Whether text the records' fields refuse (core.models.NameField, ProseField) is tidied and
    # named in a warning (a publisher's framework: CASE, ESCO, Moodle, O*NET) rather than
    # refusing the import (Importer.tidies_text).
    tidies_text: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, where: str, reason: str, *, group: str | None = None) -> None:
        """Record a skipped item. `group` is the reason without item-specific detail, for totals."""
        self.skipped_total += 1
        self.skipped_by_reason[group or reason] += 1
        if len(self.skipped) < REPORT_LIST_LIMIT:
            self.skipped.append({"where": where, "reason": reason})

    def conflict(
        self, kind: str, key: str, fields: list[str], where: str = "", provenance: str = ""
    ) -> None:
        """A record the import would change that no import wrote: kept as it is. The reason
        names where it came from (`provenance`): edited by staff, or written otherwise (the
        paper's loader, an accepted suggestion), which staff did not edit."""
        if provenance and provenance != Provenance.EDIT:
            reason = _("not written by an import (%(provenance)s); the stored value is kept") % {
                "provenance": Provenance(provenance).label
            }
        else:
            reason = _("edited by staff since the last import; the staff value is kept")
        if len(self.conflicts) < REPORT_LIST_LIMIT:
            self.conflicts.append(
                {"kind": kind, "key": key, "fields": fields, "where": where, "reason": reason}
            )

    def warn(self, where: str, message: str) -> None:
        if len(self.warnings) < REPORT_LIST_LIMIT:
            self.warnings.append({"where": where, "message": message})

    def fail(
        self,
        message: str,
        where: str = "",
        *,
        problems: list[dict[str, str]] | None = None,
        problems_total: int = 0,
    ) -> None:
        """Mark the import failed. Everything counted so far was rolled back, so it is dropped.
        With `problems` (ImportProblems), the error lists each, and how many there were."""
        self.error = {"where": where, "message": message}
        if problems:
            self.error.update(problems=problems, problems_total=problems_total)
        self.counts = {}
        self.frameworks = []
        self.changes = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "format": self.format,
            "source": self.source,
            "error": self.error,
            "counts": {
                kind: {
                    outcome: counter.get(outcome, 0)
                    for outcome in OUTCOMES + REMOVABLE_KINDS.get(kind, ())
                }
                for kind, counter in self.counts.items()
            },
            "skipped_total": self.skipped_total,
            "skipped_by_reason": dict(self.skipped_by_reason),
            "skipped": self.skipped,
            "conflicts": self.conflicts,
            "warnings": self.warnings,
            "frameworks": self.frameworks,
            "details": self.details,
            "changes": self.changes,
        }

    def summary(self) -> str:
        """A few human-readable lines for the command line."""
        if not self.ok:
            # The message may end a sentence of its own: the pattern ends it once.
            message = self.error["message"].rstrip().rstrip(".。")
            if self.error.get("where"):
                return _("Import failed (%(where)s): %(message)s. Nothing was written.") % {
                    "where": self.error["where"],
                    "message": message,
                }
            headline = _("Import failed: %(message)s. Nothing was written.") % {"message": message}
            return "\n".join([headline, *("  " + line for line in problem_lines(self.error))])
        # As the job's page names them; the JSON report keeps the English keys. The colon is
        # the message's: Chinese writes a full-width one.
        lines = [
            _("%(label)s: %(value)s")
            % {"label": kind, "value": join_list(f"{n} {outcome}" for outcome, n in outcomes)}
            for kind, outcomes in counts_shown(self.as_dict()["counts"])
        ]
        lines.append(_("skipped: %(n)d") % {"n": self.skipped_total})
        lines.extend(
            "  "
            + ngettext("%(count)d item: %(reason)s", "%(count)d items: %(reason)s", n)
            % {"count": n, "reason": reason}
            for reason, n in self.skipped_by_reason.most_common()
        )
        # What the import did that the source may not mean (a new competency 1.1 beside 1.10),
        # each where it is, as a failed import lists its problems.
        lines.extend(
            "  " + (_("%(label)s: %(value)s") % {"label": w["where"], "value": w["message"]})
            if w.get("where")
            else "  " + w["message"]
            for w in self.warnings
        )
        if self.changes is not None:
            from positions.importers.changes import changes_summary

            lines.append(changes_summary(self.changes))
        return "\n".join(lines)

    def snapshot(self, framework_identifier) -> None:
        """Remember the framework's abilities as they are, before the import writes them (the
        first time the import names the framework)."""
        if framework_identifier in self.snapshotted:
            return
        self.snapshotted.add(framework_identifier)
        for pk, framework_id, code, text, parent_id, retired in Ability.objects.filter(
            framework__identifier=framework_identifier
        ).values_list("id", "framework_id", "code", "text", "parent_id", "retired"):
            self.abilities_before[pk] = (framework_id, code, text, parent_id, retired)


class SourceFiles:
    """A source given as a single file, a folder or a zip archive, read by member name.

    With `open_archives` false, a file that is a zip is one file like any other: an XLSX
    workbook is a zip, and read as an archive it was a pile of XML members (its importer reads
    and bounds the workbook itself, core.spreadsheets)."""

    def __init__(self, path: str | Path, *, open_archives: bool = True, name: str = ""):
        self.path = Path(path)
        # A single file is named as its sender named it: an upload is stored under another name
        # when one of its name is stored already (`skills_Os5Ce1a.json`), which no report
        # should give as where a problem is.
        self.name = name or self.path.name
        if not self.path.exists():
            raise ImportFailed(_("%(path)s does not exist.") % {"path": self.path})
        self._zip: zipfile.ZipFile | None = None
        limits = ImportLimits.current()
        if open_archives and self.path.is_file() and zipfile.is_zipfile(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
            except ZIP_DAMAGE as exc:
                raise zip_damaged(self.name) from exc
            # From the sizes the archive declares, before anything is unpacked.
            check_archive(self._zip, limits=limits)
        elif self.path.is_file():
            if open_archives and _starts_as_zip(self.path):
                # A zip whose directory (at its end) is missing: a download cut short, which
                # read as one file was refused as "not UTF-8 text" or as holding no file named.
                raise zip_damaged(self.name)
            check_file_size(self.name, self.path.stat().st_size, limits=limits)
        else:
            files = [p for p in self.path.rglob("*") if p.is_file()]
            if len(files) > limits.entries:
                raise LimitExceeded(
                    _("the folder has more than %(limit)d files (IMPORT_MAX_ENTRIES)")
                    % {"limit": limits.entries}
                )
            for file in files:
                check_file_size(str(file.relative_to(self.path)), file.stat().st_size)

    def names(self) -> list[str]:
        if self._zip is not None:
            return [n for n in self._zip.namelist() if not n.endswith("/")]
        if self.path.is_dir():
            return [str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file()]
        # The one name a single file answers to: the reads below read the file whatever name.
        return [self.name]

    def find(self, pattern: str) -> str | None:
        """The member whose base name matches the regular expression (case-insensitive): of
        several, the one in the fewest folders, then the first by name. A folder with the trio
        at its top and another pool in a subfolder (esco/skills_en.csv beside
        esco/full_pool/skills_en.csv) reads its top-level file."""
        regex = re.compile(pattern, re.IGNORECASE)
        matches = sorted(
            (path.count("/"), path)
            for path in (n.replace("\\", "/") for n in self.names())
            if regex.fullmatch(path.split("/")[-1])
        )
        return matches[0][1] if matches else None

    def open_text(self, name: str) -> io.TextIOBase:
        """The member as UTF-8 text (a leading byte order mark dropped), lines kept whole with
        their endings as csv wants them; a byte that is not UTF-8 raises NotUtf8Text, which
        names its line (`not_utf8` turns it into the import's error)."""
        if self._zip is not None:
            try:
                return Utf8Lines(_ZipMember(self._zip.open(name), name))
            except ZIP_DAMAGE as exc:
                raise zip_damaged(name) from exc
        target = self.path / name if self.path.is_dir() else self.path
        return Utf8Lines(open(target, "rb"))

    def read_bytes(self, name: str) -> bytes:
        """The whole member as bytes (an XLSX workbook inside a zip, say); its size was bounded
        when the source was opened."""
        if self._zip is not None:
            return self._zip_read(name)
        target = self.path / name if self.path.is_dir() else self.path
        return target.read_bytes()

    def read_text(self, name: str) -> str:
        """The whole member as text: UTF-8, or UTF-16 when its byte order mark says so, as a
        spreadsheet's "Unicode Text" is saved, or in the encoding the import was given
        (core.csv.decoded_text, reading_encoding). A line that cannot be read fails the import
        naming it. For files read whole anyway; their size was bounded
        when the source was opened."""
        if self._zip is not None:
            content = self._zip_read(name)
        else:
            target = self.path / name if self.path.is_dir() else self.path
            content = target.read_bytes()
        try:
            return decoded_text(content)
        except NotUtf16Text as exc:
            raise ImportFailed(
                _(
                    "the file is not UTF-16 text, which its byte order mark says it is: save it "
                    "as UTF-8"
                ),
                where=at_line(exc.line, file=name),
            ) from exc
        except NotInEncoding as exc:
            raise ImportFailed(
                _(
                    "the file is not %(encoding)s text: choose the encoding it was saved in, or "
                    "save it as UTF-8"
                )
                % {"encoding": encoding_label(exc.encoding)},
                where=at_line(exc.line, file=name),
            ) from exc
        except NotUtf8Text as exc:
            raise not_utf8(exc, where=name) from exc

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def _zip_read(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except ZIP_DAMAGE as exc:
            raise zip_damaged(name) from exc


# What zipfile raises for an archive cut short or corrupted: its own error, and those of the
# decompressors and of a read past the data's end.
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, lzma.LZMAError)
# How a zip starts: a member's local header, or the end of an empty archive's directory.
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")


def _starts_as_zip(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(4) in _ZIP_STARTS


def zip_damaged(where: str) -> ImportFailed:
    """The import's error for a zip archive that cannot be read whole, at `where` (the archive,
    or its member that failed)."""
    return ImportFailed(
        _("the zip archive is damaged (cut short or corrupted): download or copy it again"),
        where=where,
    )


class _ZipMember:
    """A member of a zip opened for reading, whose damage (a CRC that does not hold, data cut
    short) found while it is read fails the import as a damaged zip, not as Python's error."""

    def __init__(self, raw, name: str):
        self._raw = raw
        self._name = name

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._raw.readline(size)
        except ZIP_DAMAGE as exc:
            raise zip_damaged(self._name) from exc

    def read(self, size: int = -1) -> bytes:
        try:
            return self._raw.read(size)
        except ZIP_DAMAGE as exc:
            raise zip_damaged(self._name) from exc

    def close(self) -> None:
        self._raw.close()


def not_utf8(error: NotUtf8Text, *, where: str) -> ImportFailed:
    """The import's error for a file with a line that is not UTF-8, at `where` + its line; one
    that reads as GB18030 with Chinese in it is said to (never read so unasked)."""
    if error.reads_as_gb18030:
        return ImportFailed(
            _(
                "the file is not UTF-8 text; it reads as GB18030 (Chinese Windows): choose that "
                "encoding, or save it as UTF-8"
            ),
            where=at_line(error.line, file=where),
        )
    return ImportFailed(
        _("the file is not UTF-8 text: save it as UTF-8"), where=at_line(error.line, file=where)
    )


def read_rows(
    stream: Iterable[str], *, name: str, delimiter: str = ",", problems: Problems | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as dicts with the (line number, row) a report can point at. Decoding errors abort,
    and so does a line or a line count past the import bounds (core.limits). The rows are keyed
    by the header's names stripped, as `read_header` (the column check) reads them. A row with
    more fields than the header aborts too, or, given `problems`, is collected there (in file
    `name`) and left out."""
    # Lines handed to the reader: csv's own count (line_num) leaves out the line it was reading
    # when it fails (a cell past its bound is blamed on the line before).
    fed = 0

    def counted(lines: Iterable[str]) -> Iterator[str]:
        nonlocal fed
        for line in lines:
            fed += 1
            yield line

    reader = csv.DictReader(counted(bounded_lines(stream, name=name)), delimiter=delimiter)
    # csv's line_num is the line a record ends on, and DictReader skips blank lines unseen: the
    # records are counted as read, to number each by its first line and its spreadsheet row.
    records = _Records(reader.reader)
    reader.reader = records
    try:
        if reader.fieldnames is not None:  # reads the header line
            reader.fieldnames = [column.strip() for column in reader.fieldnames]
            _refuse_repeated_columns(reader.fieldnames, name=name)
        for row in reader:
            line = SheetLine(records.start, row=records.row)
            if None in row:
                failure = ImportFailed(
                    _("more fields than the header has"), where=at_line(line, file=name)
                )
                if problems is None:
                    raise failure
                problems.add_failure(failure, line=line, file=name)
                continue
            yield line, {k: (v or "") for k, v in row.items()}
    except NotUtf8Text as exc:
        raise not_utf8(exc, where=name) from exc
    except csv.Error as exc:
        raise ImportFailed(str(exc), where=at_line(fed, file=name)) from exc


class _Records:
    """A csv.reader's records, counted: `start`, the line the last one starts on, and `row`,
    its row in a spreadsheet (blank lines count, as a spreadsheet shows them)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.start = 0
        self.row = 0

    def __iter__(self) -> _Records:
        return self

    def __next__(self) -> list[str]:
        start = self._reader.line_num + 1
        record = next(self._reader)
        self.start, self.row = start, self.row + 1
        return record

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    @property
    def dialect(self) -> Any:
        return self._reader.dialect


def _refuse_repeated_columns(header: list[str], *, name: str) -> None:
    """Refuse a header naming a column twice: read into one dict, the later column's values
    took the earlier's place, unsaid."""
    first: dict[str, int] = {}
    for column, heading in enumerate(header, start=1):
        if heading and first.setdefault(heading, column) != column:
            raise ImportFailed(
                _(
                    "the header names the column “%(name)s” twice (columns %(a)d and "
                    "%(b)d): keep one"
                )
                % {"name": heading, "a": first[heading], "b": column},
                where=at_line(1, file=name),
            )


def read_header(stream: io.TextIOBase, *, name: str, delimiter: str = ",") -> list[str]:
    try:
        first = next(csv.reader(bounded_lines(stream, name=name), delimiter=delimiter), None)
    except NotUtf8Text as exc:
        raise not_utf8(exc, where=name) from exc
    except csv.Error as exc:
        raise ImportFailed(str(exc), where=at_line(1, file=name)) from exc
    if not first:
        raise ImportFailed(_("the file is empty"), where=name)
    return [h.strip() for h in first]


def require_columns(header: Iterable[str], needed: set[str], *, name: str) -> None:
    """Refuse a file whose header row lacks any of `needed`, naming them."""
    missing = needed - set(header)
    if missing:
        raise ImportFailed(
            _("missing columns: %(cols)s") % {"cols": join_list(sorted(missing))},
            where=at_line(1, file=name),
        )


def tree_depths(
    parents: Mapping[str, str | None], *, cycle: Callable[[str], Exception]
) -> dict[str, int]:
    """Each node's depth (a root is 1; a parent missing from `parents` counts as a root),
    raising `cycle(node)` for a node on a cycle. Linear in the number of nodes: each is walked up
    only to the first ancestor whose depth is known, once, without recursion (a chain may be as
    deep as the file is long); walking every node to its root was quadratic."""
    depth: dict[str, int] = {}
    for start in parents:
        if start in depth:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in depth:
            if node in on_path:
                raise cycle(node)
            path.append(node)
            on_path.add(node)
            node = parents.get(node)
        known = 0 if node is None else depth[node]
        for offset, item in enumerate(reversed(path), start=1):
            depth[item] = known + offset
    return depth


def validate_fields(obj: models.Model, *, where: str, exclude: Iterable[str] = ()) -> None:
    """Field-level checks (lengths, URLs, choices) before anything is written, and a record's
    language as a tag (its clean_language: a framework's, an ability's, a course's), as every
    other door checks it."""
    try:
        obj.clean_fields(exclude=list(exclude))
        if hasattr(obj, "clean_language") and "language" not in exclude:
            obj.clean_language()
    except ValidationError as exc:
        messages = "; ".join(f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items())
        raise ImportFailed(messages, where=where) from exc


# Text no database stores: a NUL (PostgreSQL refuses it in text and JSON), and half of a UTF-16
# pair, which JSON may escape ("\\ud800") and Python reads as a lone surrogate (no encoder
# writes it). Found here, the import names the record and field instead of failing at the write.
_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unstorable(value: Any) -> str | None:
    """The first character of `value` (text, or text in a dict or list) that cannot be stored:
    a NUL or a lone surrogate; None if there is none."""
    if isinstance(value, str):
        if _NUL in value:
            return _NUL
        found = _SURROGATE.search(value)
        return found.group() if found else None
    if isinstance(value, dict):
        items = (part for pair in value.items() for part in pair)
    elif isinstance(value, list | tuple):
        items = iter(value)
    else:
        return None
    return next((char for item in items if (char := _unstorable(item)) is not None), None)


def _refuse_unstorable(values: dict[str, Any], *, where: str) -> None:
    """Say where text that cannot be stored is, and in which field, before the database
    refuses the whole write with no line to point at."""
    for name, value in values.items():
        char = _unstorable(value)
        if char == _NUL:
            raise ImportFailed(
                _("%(field)s contains a NUL character (U+0000), which cannot be stored")
                % {"field": name},
                where=where,
            )
        if char is not None:
            raise ImportFailed(
                _(
                    "%(field)s contains a lone surrogate (U+%(code)04X), half of a UTF-16 pair "
                    "and no character, which cannot be stored"
                )
                % {"field": name, "code": ord(char)},
                where=where,
            )


def keys_as_stored(keys: Iterable[str]) -> list[str]:
    """Each of `keys` (external identifiers as a file writes them) and, where it differs, the
    key as an import stores it (a control character tidied away, text_without_illegal): what
    to look the file's records up by, so that a record stored tidied is found again."""
    return list(
        dict.fromkeys(
            stored
            for key in keys
            for stored in (key, text_without_illegal(key, kind=TextKind.CODE))
        )
    )


class RecordSync:
    """Creates, updates or leaves alone one kind of record, matched by a key.

    A record whose provenance is not "import" was made or edited by staff (or comes from the paper):
    when the source disagrees with it, the record is kept and the disagreement is reported as a
    conflict. Writes are collected and done in bulk by `flush`.
    """

    def __init__(
        self,
        *,
        kind: str,
        model: type[models.Model],
        fields: list[str],
        existing: dict[Any, models.Model],
        report: ImportReport,
        source_ref: str,
    ):
        self.kind = kind
        self.model = model
        self.fields = fields
        self.existing = existing
        self.report = report
        # The file's name goes into it: a name with a control character is tidied as a name is.
        self.source_ref = text_without_illegal(source_ref, kind=TextKind.NAME)[:255]
        self.status: dict[Any, str] = {}
        self.objects: dict[Any, models.Model] = {}
        self._to_create: list[models.Model] = []
        self._to_update: dict[Any, models.Model] = {}
        self._update_fields: set[str] = set()
        # History rows of records created from here on are this import's (link_created).
        self.started = timezone.now()

    def offer(self, key: Any, values: dict[str, Any], *, where: str = "") -> models.Model:
        """Bring the record for `key` in line with `values` (all of them, or only those that differ
        from an existing record). Returns the instance that will be in the database."""
        _refuse_unstorable(values, where=where)
        stored_key = key
        if self.report.tidies_text:
            tidied = self._tidied(values, where=where)
            stored_key = self._tidied_key(key, values, tidied)
            values = tidied
        values = self._prose_a_line_at_a_time(values)
        if isinstance(values.get("language"), str) and hasattr(self.model, "clean_language"):
            # Compared as it will be stored (a tag for Chinese): a name for a stored tag is no
            # news. A value it refuses is refused at its place by validate_fields.
            values = {**values, "language": language_tag_or_as_given(values["language"])}
        # The file's other rows name the record by `key` as written; a record an earlier
        # import stored is found by the key as it was tidied (an identifier, a URI).
        obj = self.existing.get(key)
        if obj is None and stored_key != key:
            obj = self.existing.get(stored_key)
        if obj is None and key in self.objects:
            obj = self.objects[key]
        if obj is None:
            obj = self.model(**values, provenance=Provenance.IMPORT, source_ref=self.source_ref)
            self._to_create.append(obj)
            self.objects[key] = obj
            self.status[key] = "created"
            return obj
        self.objects[key] = obj
        values = self._with_stored_line_ends(obj, values)
        if self.status.get(key) == "created":
            # Only what differs: a second pass that sets parents leaves a flat file's rows alone.
            differing = {n: v for n, v in values.items() if getattr(obj, n) != v}
            for name, value in differing.items():
                setattr(obj, name, value)
            if obj.pk is not None and differing:
                self._mark_update(key, obj, differing)
            return obj
        differing = [n for n, v in values.items() if getattr(obj, n) != v]
        previous = self.status.get(key)
        if not differing:
            self.status.setdefault(key, "unchanged")
            return obj
        if obj.provenance != Provenance.IMPORT:
            if previous != "conflict":
                self.report.conflict(self.kind, str(key), differing, where, obj.provenance)
            self.status[key] = "conflict"
            return obj
        for name in differing:
            setattr(obj, name, values[name])
        self.status[key] = "updated" if previous != "conflict" else "conflict"
        self._mark_update(key, obj, {n: values[n] for n in differing})
        return obj

    def _prose_a_line_at_a_time(self, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with each prose value (a description, a note) stored a line at a time, as
        the admin's form and the API store it (normalized_lines)."""
        return {
            name: normalized_lines(value)
            if self._text_fields.get(name) == TextKind.PROSE and isinstance(value, str)
            else value
            for name, value in values.items()
        }

    def _with_stored_line_ends(self, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with each prose value that differs from the record's only in its line ends
        and the spaces around its lines (the same file saved on Windows, CR LF, and elsewhere,
        LF; a record stored before prose was stored a line at a time) the record's: not news."""
        kept = values
        for name, value in values.items():
            if self._text_fields.get(name) != TextKind.PROSE or not isinstance(value, str):
                continue
            stored = getattr(obj, name)
            if isinstance(stored, str) and stored != value and normalized_lines(stored) == value:
                kept = {**kept, name: stored}
        return kept

    @cached_property
    def _text_fields(self) -> dict[str, str]:
        """The model's checked text fields (names, prose, codes, identifiers, URIs) by name,
        each with its TextKind."""
        return {field.name: kind for field, kind in text_fields(self.model)}

    def _tidied(self, values: dict[str, Any], *, where: str) -> dict[str, Any]:
        """`values` with the characters their text fields refuse (a stray escape, a U+0085, a
        line break in a name) left out or, in a name, a tab or line break made a space; each
        field tidied is named in a warning. A NUL or a lone surrogate never gets here: a file
        holding one is broken, and refused (_refuse_unstorable)."""
        tidied = dict(values)
        for name, value in values.items():
            kind = self._text_fields.get(name)
            if kind is None or not isinstance(value, str):
                continue
            found = illegal_characters(value, kind=kind)
            if not found:
                continue
            tidied[name] = text_without_illegal(value, kind=kind)
            if kind == TextKind.URI:
                message = _(
                    "%(field)s held characters a URI cannot keep (%(characters)s): spaces and "
                    "the characters a URI writes percent-encoded were percent-encoded, the "
                    "others were left out"
                )
            else:
                message = _(
                    "%(field)s held characters it cannot keep (%(characters)s): each tab or "
                    "line break in a name was made a space, the others were left out"
                )
            self.report.warn(
                where, message % {"field": name, "characters": characters_named(found)}
            )
        return tidied

    @staticmethod
    def _tidied_key(key: Any, values: dict[str, Any], tidied: dict[str, Any]) -> Any:
        """`key` with each part that is a value tidied (an external identifier, a URI) as it was
        tidied: the record is stored under the tidied one, and a later import finds it so."""
        changed = {values[name]: tidied[name] for name in values if tidied[name] != values[name]}
        if not changed:
            return key
        if isinstance(key, tuple):
            return tuple(changed.get(part, part) if isinstance(part, str) else part for part in key)
        return changed.get(key, key) if isinstance(key, str) else key

    def _mark_update(self, key: Any, obj: models.Model, values: dict[str, Any]) -> None:
        obj.source_ref = self.source_ref
        self._to_update[key] = obj
        self._update_fields.update(values)

    def flush(
        self, *, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Write what `offer` collected, `batch_size` records a statement; `progress(done,
        total)` after each batch, so a job's progress moves while a large file is written."""
        # Audited models get their history rows in bulk too: an import is a change like any other.
        audited = hasattr(self.model, "history")
        total = len(self._to_create) + len(self._to_update)
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None and total:
                progress(done, total)

        for start in range(0, len(self._to_create), batch_size):
            chunk = self._to_create[start : start + batch_size]
            self.model.objects.bulk_create(chunk, batch_size=batch_size)
            if audited:
                history_record_rows(
                    model=self.model, objs=chunk, history_type="+", reason=_IMPORT_REASON
                )
            tick(len(chunk))
        self._to_create = []
        if self._to_update:
            now = timezone.now()
            objs = list(self._to_update.values())
            for obj in objs:
                obj.updated_at = now
            fields = sorted(self._update_fields | {"source_ref", "updated_at"})
            for start in range(0, len(objs), batch_size):
                chunk = objs[start : start + batch_size]
                self.model.objects.bulk_update(chunk, fields, batch_size=batch_size)
                if audited:
                    history_record_rows(
                        model=self.model, objs=chunk, history_type="~", reason=_IMPORT_REASON
                    )
                tick(len(chunk))
            self._to_update = {}
            self._update_fields = set()

    def link_created(self, field: str, targets: dict[Any, int], *, batch: int = 2000) -> None:
        """Point a foreign key (`field`, the column) of records this import created at `targets`
        (key: primary key), for links known only once every record has its primary key (a
        parent later in the file). One UPDATE ... FROM (VALUES ...) per batch on the table and
        on those records' creation history rows (so history says they were created there):
        Django's bulk_update builds a CASE per row and field and, with history, a second history
        row per record, most of a 20,000-deep chain's import time."""
        if not targets:
            return
        pairs = [(self.objects[key].pk, value) for key, value in targets.items()]
        for key, value in targets.items():
            setattr(self.objects[key], field, value)
        quote = connection.ops.quote_name
        columns = (self.model._meta.pk.column, field)
        update_from_values(quote(self.model._meta.db_table), columns, pairs, batch=batch)
        if hasattr(self.model, "history"):
            history = quote(self.model.history.model._meta.db_table)
            # Only the rows recording this import's creation of those records.
            update_from_values(
                history,
                columns,
                pairs,
                condition=f"{history}.history_type = '+' AND {history}.history_date >= %s",
                condition_params=[self.started],
                batch=batch,
            )

    def finish(self) -> None:
        """Add this kind's outcomes to the report, and note for the import's list of changes
        the abilities the source offered, the ends of the relations it wrote and the positions
        it rewrote."""
        for outcome in self.status.values():
            self.report.count(self.kind, outcome)
        if self.model is Ability:
            self.report.abilities_seen.update(
                obj.pk for obj in self.objects.values() if obj.pk is not None
            )
        elif self.model is Position:
            self.report.positions_rewritten.update(
                self.objects[key].pk for key, outcome in self.status.items() if outcome == "updated"
            )
        elif self.model is AbilityRelation:
            for key, outcome in self.status.items():
                if outcome in ("created", "updated"):
                    obj = self.objects[key]
                    self.report.relation_ends.update({obj.source_id, obj.target_id} - {None})

    def changed_pks(self) -> set[int]:
        return {self.objects[k].pk for k, s in self.status.items() if s in ("created", "updated")}


def refresh_statistics(queryset: models.QuerySet) -> None:
    """On PostgreSQL, ANALYZE the tables `queryset` reads before it runs. An import writes its
    rows and reads them back in one transaction, which autovacuum cannot see into: the planner
    still took the tables for as empty as before the import, and for the requirements an ESCO
    release dropped it joined 252,000 requirements to 27,800 abilities by a nested loop (the
    import of a trio twice the size of ESCO took 537 s where the same trio at ESCO's size took
    20 s). ANALYZE samples the transaction's own rows; it costs a few hundredths of a second a
    table. Other databases plan without such statistics."""
    if connection.vendor != "postgresql":
        return
    tables = sorted({join.table_name for join in queryset.query.alias_map.values()})
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def remove_dropped(
    *,
    kind: str,
    records: models.QuerySet,
    listed: set[Any],
    key: tuple[str, ...],
    report: ImportReport,
    ends: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Delete the records among `records` that an import wrote (provenance "import") and the
    source no longer lists (their `key` columns, one value or a tuple of them, are not in
    `listed`): a relation or requirement a publisher dropped must not outlive it, as it would
    in every export and coverage report. Records staff made or edited are kept. Counts them as
    `kind` "removed"; each deletion is in the history and marks coverage stale (the models'
    post_delete signals). Returns the removed rows' `ends` columns, for the caller's report."""
    rows = records.filter(provenance=Provenance.IMPORT).values("pk", *key, *ends)
    refresh_statistics(rows)
    dropped = [
        row
        for row in rows.iterator(chunk_size=2000)
        if (row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)) not in listed
    ]
    pks = [row["pk"] for row in dropped]
    for start in range(0, len(pks), 2000):
        records.model.objects.filter(pk__in=pks[start : start + 2000]).delete()
    if dropped:
        report.count(kind, "removed", len(dropped))
    return dropped


def model_permissions(kinds: Iterable[type[models.Model]], actions: Iterable[str]) -> list[str]:
    """The permissions ("app.action_model") of each action on each model, model by model: what
    an import writing or removing their records takes of whoever starts it."""
    actions = tuple(actions)
    return [
        f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"
        for model in kinds
        for action in actions
    ]


class Importer:
    """What the format importers share: how they are built, and how they find their framework."""

    # The models an import of this format creates and updates: who starts one needs their add
    # and change permissions (positions.importers.import_permissions).
    writes: tuple[type[models.Model], ...] = (Framework,)
    # The models whose records an import of this format deletes (those an earlier import wrote
    # and the source no longer lists, remove_dropped): who starts one needs their delete
    # permission too, as for deleting them by hand.
    removes: tuple[type[models.Model], ...] = ()
    # Whether a zip given as the source is an archive of the files to read (a framework's
    # CSVs), or a file itself (an XLSX workbook): SourceFiles' `open_archives`.
    opens_archives = True
    # Whether starting one is itself a permission (adding an import job): so for the framework
    # imports, started as jobs by name; not for a file the admin hands to a job only for its
    # size, which the user's permission to import the records by hand covers.
    started_as_job = True
    # Whether text a record's field refuses is tidied and warned of (ImportReport.tidies_text):
    # so for a publisher's framework, where refusing hundreds of competencies for one stray
    # control character would leave the user nothing to do but edit a file they did not write.
    tidies_text = True

    @classmethod
    def option_permissions(cls, options: dict[str, Any]) -> list[str]:
        """The permissions an import of this format takes besides those of what it writes, for
        what its `options` ask (a catalogue imported into a programme changes the programme):
        asked where a job is started and again when it runs (import_permissions)."""
        return []

    def __init__(
        self, *, source: SourceFiles, options, report: ImportReport, source_name, progress
    ):
        self.source = source
        self.options = options
        self.report = report
        self.source_name = source_name
        self.progress = progress

    def writing(self, start: float, end: float, stage: str) -> Callable[[int, int], None]:
        """A `RecordSync.flush` progress callback moving the job from `start` to `end`."""

        def tick(done: int, total: int) -> None:
            self.progress(start + (end - start) * done / total, stage)

        return tick

    def framework_sync(
        self, identifier: uuid.UUID, *, fields: Iterable[str] = (), source_ref: str | None = None
    ) -> RecordSync:
        """The RecordSync that creates or updates the framework with this identifier. Called
        before the framework's abilities are written, so it remembers them as they were."""
        self.report.snapshot(identifier)
        return RecordSync(
            kind="framework",
            model=Framework,
            fields=list(fields),
            existing={f.identifier: f for f in Framework.objects.filter(identifier=identifier)},
            report=self.report,
            source_ref=self.source_name if source_ref is None else source_ref,
        )
