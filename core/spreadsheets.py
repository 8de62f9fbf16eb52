"""An uploaded CSV or XLSX file read as a tablib Dataset within the import bounds (core.limits):
the one reading behind every spreadsheet import, whether the file came through the API, a
command, an import job or the admin's preview and confirm steps, so that the same file gets the
same refusal at every door; and what every door says of what a workbook hides but the import
reads all the same (WORKBOOK_NOTES: its hidden rows, its hidden columns)."""

import io
import re
import zipfile
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar, Self

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.xml.constants import (
    ARC_SHARED_STRINGS,
    SHARED_STRINGS,
    WORKSHEET_TYPE,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from core.csv import LineProblem, csv_dataset, utf8_text
from core.i18n import join_list
from core.limits import (
    MB,
    ImportLimits,
    LimitExceeded,
    bounded_lines,
    check_archive,
    check_file_size,
    check_rows,
    line_ranges,
)
from core.xlsx import (
    WorkbookProblem,
    xlsx_cell_count,
    xlsx_dataset,
    xlsx_row_count,
    xlsx_shared_string_count,
)

# The container of Office 97-2003 files (.xls, .doc), and of any Office file with a password.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How files given by mistake for a CSV begin; no text does.
_NOT_TEXT = (
    b"PK\x03\x04",  # a zip: an XLSX, a Word document, an archive
    b"PK\x05\x06",  # an empty zip
    b"%PDF-",
    _OLE,
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
)
# A workbook's own part, as its [Content_Types].xml names it (what openpyxl looks for).
_WORKBOOK_TYPES = tuple(t.encode() for t in (XLSX, XLSM, XLTX, XLTM))
# [Content_Types].xml lists a few dozen parts: a few kB.
_CONTENT_TYPES_MAX = MB
# What a part of a workbook other than a worksheet or its shared strings may unpack to, in MB:
# openpyxl parses those (styles, the workbook, relationships, properties) whole into a tree, some
# twenty times their size in memory (100 MB of styles took 1.7 GB), where the sheet and the
# strings stream. A workbook bloated by Excel's 64,000 cell styles holds some 10 MB of them.
WORKBOOK_PART_MAX_MB = 32
# Shared strings a row of a table an import reads may hold, at most: a link file, a course
# catalogue or a requirements file has some fifteen columns. A workbook holding more than this
# many a row holds more text than its rows (other sheets', or strings no cell uses), which
# openpyxl reads whole before the table's first row.
STRINGS_PER_ROW = 20


def spreadsheet_kind(stream: BinaryIO, *, named: str) -> str:
    """The kind ("csv" or "xlsx") to read the file in `stream` as: the one its name says
    (`named`), but an Excel workbook named .csv (renamed by hand, or saved by a tool that kept
    the old name) is read as the workbook it is. `stream` is left at its start."""
    if named != "csv":
        return named
    try:
        stream.seek(0)
        if stream.read(4) != b"PK\x03\x04":
            return named
        stream.seek(0)
        return "xlsx" if _is_workbook(stream) else named
    except LimitExceeded:
        # A zip past the bounds: refused as a workbook is, naming the bound.
        return "xlsx"
    finally:
        stream.seek(0)


def csv_only_text(content: bytes) -> str:
    """An uploaded file's text for an import that reads CSV alone, or a ValidationError on
    `file` that says to save the table as CSV UTF-8 (never to upload the .xlsx): for a binary
    file (a workbook, a PDF), and for text not in the encoding chosen, naming its line
    (utf8_text, core.csv.reading_encoding)."""
    csv_only_refuse_binary(content)
    return utf8_text(content, workbooks=False)


def csv_only_refuse_binary(content: bytes) -> None:
    """csv_only_text's refusal of a binary file, from its first bytes (16 are enough): for a
    file handed to a background job, refused when it is given rather than when it is read."""
    if content.startswith(_NOT_TEXT):
        raise ValidationError(
            {
                "file": _(
                    "The file is not CSV text but a binary file (an Excel workbook, a PDF or an "
                    "image, say): this import reads CSV alone, so save the table as CSV UTF-8."
                )
            }
        )


def spreadsheet_content_problem(stream: BinaryIO, *, kind: str) -> str | None:
    """Why the file in `stream` is not of `kind` ("csv" or "xlsx") whatever its name says (a
    PDF, an image, a Word document or another zip; a workbook with a password; an XLSX past the
    import bounds), or None. Reads the first bytes of a CSV, the directory and the content types
    of an XLSX; `stream` is left at its start. For a refusal when the file is given, not when it
    is read (an import job started on it would only fail)."""
    try:
        stream.seek(0)
        if kind == "csv":
            if not stream.read(16).startswith(_NOT_TEXT):
                return None
            return _(
                "The file is not CSV text but a binary file (a PDF, an image, a zip or an old "
                "Excel file, say): save the table as CSV UTF-8 or as an Excel workbook (.xlsx)."
            )
        try:
            if _is_workbook(stream):
                return None
        except LimitExceeded as error:
            return error.message
        stream.seek(0)
        if stream.read(len(_OLE)) == _OLE:
            return _(
                "The file is a workbook with a password, or an old Excel file (.xls): remove "
                "the password, or save it as an Excel workbook (.xlsx)."
            )
        return _(
            "The file is not an Excel workbook (.xlsx), though its name says so: save the table "
            "as an Excel workbook or as CSV UTF-8."
        )
    finally:
        stream.seek(0)


def _is_workbook(stream: BinaryIO) -> bool:
    try:
        if not zipfile.is_zipfile(stream):
            return False
        with zipfile.ZipFile(stream) as archive:
            # Bounded first, from its directory: a zip bomb is named as one, workbook or not.
            check_archive(archive)
            types = archive.getinfo("[Content_Types].xml")
            if types.file_size > _CONTENT_TYPES_MAX:
                return False
            listed = archive.read(types)
            if any(t in listed for t in _WORKBOOK_TYPES):
                _check_workbook_parts(archive, listed)
    except LimitExceeded:  # a ValueError, but a refusal of its own
        raise
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error):
        # No content types, or a damaged or encrypted zip: not a workbook anyone can read.
        return False
    return any(t in listed for t in _WORKBOOK_TYPES)


def _check_workbook_parts(archive: zipfile.ZipFile, listed: bytes) -> None:
    """Refuse a workbook a part of which, other than a worksheet or the shared strings (as its
    content types name them, or at the places every spreadsheet program writes them), unpacks
    past WORKBOOK_PART_MAX_MB."""
    streamed = {ARC_SHARED_STRINGS}
    for match in re.finditer(rb"<(?:\w+:)?Override\b[^>]*>", listed):
        attributes = dict(re.findall(rb'(\w+)\s*=\s*"([^"]*)"', match[0]))
        if attributes.get(b"ContentType", b"").decode() in (WORKSHEET_TYPE, SHARED_STRINGS):
            streamed.add(attributes.get(b"PartName", b"").decode().lstrip("/"))
    for member in archive.infolist():
        name = member.filename
        if member.file_size <= WORKBOOK_PART_MAX_MB * MB or name in streamed:
            continue
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            continue
        raise LimitExceeded(
            _(
                "The workbook's part %(name)s unpacks to %(size)s MB, more than the %(limit)d MB "
                "a workbook's part other than its sheets may be: save the table as CSV UTF-8 "
                "and import that."
            )
            % {"name": name, "size": f"{member.file_size / MB:.1f}", "limit": WORKBOOK_PART_MAX_MB},
            where=name,
        )


def spreadsheet_rows_past(stream: BinaryIO, *, kind: str, rows: int) -> bool:
    """Whether the file in `stream`, of `kind` ("csv" or "xlsx", as spreadsheet_kind found it),
    is too large to read inside a request that reads `rows` rows: more line ends than that (LF,
    CR LF or a CR alone; blank lines count), more sheet rows (core.xlsx.xlsx_row_count), or a
    workbook of more shared strings than STRINGS_PER_ROW a row (a workbook of 3 rows and 3
    million strings kept a web worker 80 s before its first row). Counted without parsing the
    file, and no further than past `rows`; a file unreadable as `kind` is not (its import says
    why). `stream` is left at its start."""
    try:
        stream.seek(0)
        if kind == "xlsx":
            if xlsx_row_count(stream, stop_past=rows) > rows:
                return True
            bound = rows * STRINGS_PER_ROW
            return xlsx_shared_string_count(stream, stop_past=bound) > bound
        line_feeds = returns = 0
        while chunk := stream.read(MB):
            line_feeds += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            if max(line_feeds, returns) > rows:
                return True
        return False
    except Exception:  # openpyxl and zipfile raise many kinds for a broken file
        return False
    finally:
        stream.seek(0)


def spreadsheet_dataset(
    content: bytes, *, kind: str, name: str = "", sheet_titles: Collection[str] = ()
) -> tablib.Dataset:
    """`content`, a CSV (in the encoding chosen, core.csv.reading_encoding: UTF-8 unless a door
    chose another) or an XLSX file as `kind` says (a workbook named .csv read as
    one: spreadsheet_kind), as core.csv.rows_dataset reads it; `name`, the uploaded file's, names
    it in messages. Raises ValidationError on `file`, with one message for a person, for a file
    past a bound (naming its setting), not in its encoding (naming the line) or unreadable as
    `kind`.
    A workbook is read at its sheet titled one of `sheet_titles` when it has one
    (core.xlsx.xlsx_dataset), else at its active sheet."""
    if kind not in ("csv", "xlsx"):
        raise ValueError(f"not a spreadsheet kind: {kind!r}")
    kind = spreadsheet_kind(io.BytesIO(content), named=kind)
    try:
        # An XLSX is a zip, checked from its directory before anything is unpacked (with what it
        # holds: spreadsheet_content_problem); a CSV's size, lines and rows are checked before
        # tablib parses it.
        problem = spreadsheet_content_problem(io.BytesIO(content), kind=kind)
        if problem:
            raise ValidationError({"file": problem})
        if kind == "csv":
            check_file_size(name or _("The file"), len(content))
            text = utf8_text(content)
            # newline=None: a line may end in CR LF or a CR alone (csv_dataset reads both).
            for _line in bounded_lines(io.StringIO(text, newline=None), name=name):
                pass
            dataset = csv_dataset(text)
        else:
            _check_shared_strings(content, sheet_titles=sheet_titles)
            dataset = xlsx_dataset(content, sheet_titles=sheet_titles)
        check_rows(name, len(dataset))
        return dataset
    except (LimitExceeded, LineProblem, WorkbookProblem) as error:
        raise ValidationError({"file": error.message}) from error
    except ValidationError:
        raise
    except Exception as error:  # tablib and openpyxl raise many kinds for a broken file
        raise ValidationError(
            {
                "file": _("The file cannot be read as %(kind)s: %(error)s")
                % {"kind": kind.upper(), "error": error}
            }
        ) from error


def _check_shared_strings(content: bytes, *, sheet_titles: Collection[str] = ()) -> None:
    """Refuse a workbook holding more shared strings than the cells of the sheet read, plus
    IMPORT_MAX_SPARE_STRINGS (other sheets', unused ones): openpyxl reads every string before
    the first row, so 2 rows and 2 million strings cost a worker 21 s and 430 MB. Both counted
    from the elements, without parsing (a second or two for that file)."""
    limits = ImportLimits.current()
    bound = xlsx_cell_count(io.BytesIO(content), sheet_titles=sheet_titles) + limits.spare_strings
    if xlsx_shared_string_count(io.BytesIO(content), stop_past=bound) > bound:
        raise LimitExceeded(
            _(
                "The workbook holds more than %(limit)d shared strings, more than the cells of "
                "the sheet read plus %(spare)d (IMPORT_MAX_SPARE_STRINGS): it holds text no "
                "cell of that sheet uses. Save the sheet as a new workbook or as CSV UTF-8 and "
                "import that."
            )
            % {"limit": bound, "spare": limits.spare_strings}
        )


# Characters of a cell quoted in a message: enough to find it, while a report of a file whose
# cells are huge stays small (a background job stores it).
SHOWN_CHARS = 80


def shown(text: str) -> str:
    """`text` as a message quotes it: its start, when it is long."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


# --- What every door of an import says of a workbook ----------------------------------------


@dataclass(frozen=True)
class WorkbookNote:
    """Something a workbook holds out of sight that an import reads all the same, as the same
    sheet saved as CSV would be read; every door of an import (the API, a command, the admin's
    preview and confirm steps, a background job) says it, before the import (a dry run, the
    preview) as after it, so that nothing is imported unsaid. `items` are what it names; a
    report stores them, and the API answers them, as a list under `key`. A kind of note is one
    subclass, listed in WORKBOOK_NOTES."""

    key: ClassVar[str]
    items: tuple[Any, ...] = ()

    @classmethod
    def found(cls, dataset: tablib.Dataset, *, read_columns: Mapping[int, str]) -> Self:
        """The note of the workbook read as `dataset` (spreadsheet_dataset), whose columns the
        import reads are `read_columns` (index: the header as written); none named for a CSV."""
        raise NotImplementedError

    def __str__(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class HiddenRows(WorkbookNote):
    """The rows a workbook hides (a filter, by hand, folded in an outline: core.xlsx's
    `hidden_lines`), by their line. Imported: a filter is a view of the sheet, not a choice of
    rows, and a row folded in an outline is no less a course; but an administrator who filtered
    the sheet must not find them imported unsaid."""

    key = "hidden_lines"

    @classmethod
    def found(cls, dataset, *, read_columns):
        return cls(tuple(getattr(dataset, "hidden_lines", ())))

    def __str__(self) -> str:
        return ngettext(
            "%(n)d row hidden in the sheet (by a filter or by hand) is read like the others: "
            "line %(lines)s. Delete it from the sheet if it should not be imported.",
            "%(n)d rows hidden in the sheet (by a filter or by hand) are read like the others: "
            "lines %(lines)s. Delete them from the sheet if they should not be imported.",
            len(self.items),
        ) % {"n": len(self.items), "lines": line_ranges(self.items)}


@dataclass(frozen=True)
class HiddenColumns(WorkbookNote):
    """The columns a workbook hides that the import reads (core.xlsx's
    `hidden_column_indexes`), by their headers as written; a hidden column the import does not
    read is named with the columns it leaves out. Read: a column hidden to print the sheet is
    no less the catalogue's."""

    key = "hidden_columns"

    @classmethod
    def found(cls, dataset, *, read_columns):
        indexes = getattr(dataset, "hidden_column_indexes", ())
        return cls(tuple(read_columns[index] for index in indexes if index in read_columns))

    def __str__(self) -> str:
        return ngettext(
            "%(n)d column hidden in the sheet is read like the others: %(columns)s. Delete it "
            "from the sheet if it should not be imported.",
            "%(n)d columns hidden in the sheet are read like the others: %(columns)s. Delete "
            "them from the sheet if they should not be imported.",
            len(self.items),
        ) % {
            "n": len(self.items),
            "columns": join_list(f"“{shown(header)}”" for header in self.items),
        }


@dataclass(frozen=True)
class LinesAboveHeader(WorkbookNote):
    """The lines above the header row that the import reads past, by their line (a title, as a
    Chinese 培养方案 table starts with one merged across it; blank lines are not named): found
    by the importer where the first line lacks a column it needs and one of the lines just
    below (core.csv.HEADER_SEARCH_ROWS) names them all (curricula.resources sets
    `dataset.lines_above_header`: LineNumberedImport.require_columns). A CSV's as a
    workbook's."""

    key = "lines_above_header"

    @classmethod
    def found(cls, dataset, *, read_columns):
        return cls(tuple(getattr(dataset, "lines_above_header", ())))

    def __str__(self) -> str:
        return ngettext(
            "%(n)d line above the header row is not read: line %(lines)s.",
            "%(n)d lines above the header row are not read: lines %(lines)s.",
            len(self.items),
        ) % {"n": len(self.items), "lines": line_ranges(self.items)}


# Every kind of note, in the order every door says them.
WORKBOOK_NOTES: tuple[type[WorkbookNote], ...] = (LinesAboveHeader, HiddenRows, HiddenColumns)


def workbook_notes(
    dataset: tablib.Dataset, *, read_columns: Mapping[int, str]
) -> list[WorkbookNote]:
    """What the doors of an import say of the workbook read as `dataset`
    (WorkbookNote.found): the notes that name something, in order; none for a CSV."""
    notes = (kind.found(dataset, read_columns=read_columns) for kind in WORKBOOK_NOTES)
    return [note for note in notes if note.items]


def workbook_notes_data(notes: Iterable[WorkbookNote]) -> dict[str, list[Any]]:
    """`notes` as a report stores them and the API answers them: under each kind's key, its
    list, empty for a kind the workbook gives no note of."""
    data: dict[str, list[Any]] = {kind.key: [] for kind in WORKBOOK_NOTES}
    for note in notes:
        data[note.key] = list(note.items)
    return data


def workbook_notes_read(data: Mapping[str, Any]) -> list[WorkbookNote]:
    """The notes a stored report holds (workbook_notes_data), one of a kind missing from an
    older report left out."""
    return [kind(tuple(data[kind.key])) for kind in WORKBOOK_NOTES if data.get(kind.key)]
