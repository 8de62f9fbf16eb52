"""An uploaded CSV or XLSX file read as a tablib Dataset within the import bounds (core.limits):
the one reading behind every spreadsheet import, whether the file came through the API, a
command, an import job or the admin's preview and confirm steps, so that the same file gets the
same refusal at every door."""

import io
import zipfile
import zlib
from typing import BinaryIO

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.xml.constants import XLSM, XLSX, XLTM, XLTX

from core.csv import LineProblem, csv_dataset, utf8_text
from core.limits import (
    MB,
    LimitExceeded,
    bounded_lines,
    check_archive,
    check_file_size,
    check_rows,
)
from core.xlsx import WorkbookProblem, xlsx_dataset

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
    file (a workbook, a PDF), and for text in another encoding, naming its line (utf8_text)."""
    if content.startswith(_NOT_TEXT):
        raise ValidationError(
            {
                "file": _(
                    "The file is not CSV text but a binary file (an Excel workbook, a PDF or an "
                    "image, say): this import reads CSV alone, so save the table as CSV UTF-8."
                )
            }
        )
    return utf8_text(content, workbooks=False)


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
    except LimitExceeded:  # a ValueError, but a refusal of its own
        raise
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error):
        # No content types, or a damaged or encrypted zip: not a workbook anyone can read.
        return False
    return any(t in listed for t in _WORKBOOK_TYPES)


def spreadsheet_dataset(content: bytes, *, kind: str, name: str = "") -> tablib.Dataset:
    """`content`, a CSV (UTF-8) or an XLSX file as `kind` says (a workbook named .csv read as
    one: spreadsheet_kind), as core.csv.rows_dataset reads it; `name`, the uploaded file's, names
    it in messages. Raises ValidationError on `file`, with one message for a person, for a file
    past a bound (naming its setting), not UTF-8 (naming the line) or unreadable as `kind`."""
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
            dataset = xlsx_dataset(content)
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
