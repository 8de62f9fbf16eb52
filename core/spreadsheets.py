"""An uploaded CSV or XLSX file read as a tablib Dataset within the import bounds (core.limits):
the one reading behind every spreadsheet import, whether the file came through the API, a
command, an import job or the admin's preview and confirm steps, so that the same file gets the
same refusal at every door."""

import io
import zipfile

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.csv import LineProblem, csv_dataset, utf8_text
from core.limits import (
    LimitExceeded,
    bounded_lines,
    check_archive,
    check_file_size,
    check_rows,
)
from core.xlsx import WorkbookProblem, xlsx_dataset


def spreadsheet_dataset(content: bytes, *, kind: str, name: str = "") -> tablib.Dataset:
    """`content`, a CSV (UTF-8) or an XLSX file as `kind` says, as core.csv.rows_dataset reads
    it; `name`, the uploaded file's, names it in messages. Raises ValidationError on `file`,
    with one message for a person, for a file past a bound (naming its setting), not UTF-8
    (naming the line) or unreadable as `kind`."""
    if kind not in ("csv", "xlsx"):
        raise ValueError(f"not a spreadsheet kind: {kind!r}")
    try:
        # An XLSX is a zip, checked from its directory before anything is unpacked; a CSV's size,
        # lines and rows are checked before tablib parses it.
        if kind == "csv":
            check_file_size(name or _("The file"), len(content))
            text = utf8_text(content)
            # newline=None: a line may end in CR LF or a CR alone (csv_dataset reads both).
            for _line in bounded_lines(io.StringIO(text, newline=None), name=name):
                pass
            dataset = csv_dataset(text)
        else:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                check_archive(archive)
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
