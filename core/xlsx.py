"""XLSX that spreadsheets open safely: every text is written as a string, never a formula.

openpyxl stores any text starting with "=" as a formula; a spreadsheet then runs it. Here text is
always a string cell, and text that would read as a formula if retyped (the same prefixes as
core.csv) also carries Excel's quote prefix, so editing the cell keeps it text. Characters XML
cannot hold (control characters from imported data) are dropped rather than failing the file.
"""

from __future__ import annotations

import bisect
import copy
import datetime
import io
import math
import re
import weakref
import zipfile
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any, BinaryIO, ClassVar

import tablib
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.constants import ARC_SHARED_STRINGS, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

from core.csv import LineProblem, looks_like_formula, rows_dataset, unescape_cell
from core.limits import MB, ImportLimits
from core.times import zone_label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The most characters a cell holds (Excel's limit; openpyxl silently cuts longer text to it).
EXCEL_CELL_CHARS = 32_767


class WorkbookProblem(ValueError):
    """A workbook that holds no table to read; the message says why, for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def xlsx_dataset(content: bytes, *, sheet_titles: Collection[str] = ()) -> tablib.Dataset:
    """The first worksheet titled one of `sheet_titles` (a sheet an export of ours writes among
    others, the programme workbook's *Map*), else the active sheet (the one open when the file
    was saved, usually the first) as
    core.csv.rows_dataset reads it, a row's line its sheet row (short rows padded with None);
    cells are read as values, a formula's as last calculated, a whole number as an int however
    the file writes it. WorkbookProblem for a workbook without a worksheet, or saved with a
    chart sheet open (a chart has no cells; guessing which other sheet was meant could import
    the wrong table). `dataset.sheet_title` is the sheet read and `dataset.other_sheets` the
    titles of the workbook's other visible worksheets, for a refusal to say where it looked
    (a table on the second sheet, a sheet of notes saved open). `dataset.hidden_lines` are the
    sheet rows of the table's data rows that the sheet hides (left out by a filter, hidden by
    hand, folded in an outline) and `dataset.hidden_column_indexes` the indexes of the table's
    columns it hides (by hand, folded): read like the others, as the same sheet saved as CSV
    would be, for the import to say so."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = _worksheet(book, sheet_titles)
        with sheet._get_source() as source:
            parser = _CellParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            parser.shown_formats = _shown_formats(book)
            dataset = rows_dataset(_sheet_rows(parser), pad=None)
        # Known once the whole sheet is read: its merged cells follow its rows.
        _spread_merged_down(dataset, parser)
        dataset.hidden_lines = _hidden_lines(dataset, parser)
        dataset.hidden_column_indexes = _hidden_column_indexes(dataset, parser)
        dataset.sheet_title = sheet.title
        dataset.other_sheets = [
            other.title
            for other in book.worksheets
            if other is not sheet and other.sheet_state == "visible"
        ]
        return dataset
    finally:
        book.close()


def _spread_merged_down(dataset: tablib.Dataset, parser: WorkSheetParser) -> None:
    """Give each row of a cell merged down over rows of the table the merged cell's value, as a
    person reading the sheet sees it beside every one of them (a module named once beside its
    courses, as Chinese 培养方案 tables are laid out): the file holds it in the first row only,
    and the rows below it read as blank there. Only merges below the header row, within the
    table's columns; one across a title or the header is left as it is."""
    merged = getattr(parser, "merged_cells", None)
    lines = getattr(dataset, "line_numbers", None)
    if merged is None or not lines:
        return
    width = dataset.width
    # Merges in a sheet do not overlap, so they cover each cell of the table once at most; a
    # file whose do (written to make the import work) is spread no further than that.
    budget = len(lines) * width
    rows: dict[int, list] = {}
    # The cells given a value, by the line of the merge's top: a merge whose top turns out to be
    # a header row, below a title the importer reads past, is taken back (curricula.resources
    # ._read_past_lines_above_header), not read as a course's values.
    spread: dict[int, list[tuple[int, int]]] = {}
    dataset.spread_down = spread
    for cell_range in merged.mergeCell:
        try:
            first_column, first_row, last_column, last_row = range_boundaries(cell_range.ref)
        except (TypeError, ValueError):
            continue
        top = bisect.bisect_left(lines, first_row)
        if top == len(lines) or lines[top] != first_row or first_row <= dataset.header_line:
            continue
        # The table's rows below the top one, within the merge (lines are in order).
        below = range(top + 1, bisect.bisect_right(lines, last_row))
        for column in range(first_column - 1, min(last_column, width)):
            value = dataset[top][column]
            if value is None:
                continue
            budget -= len(below)
            if budget < 0:
                break
            for index in below:
                row = rows.setdefault(index, list(dataset[index]))
                if row[column] is None:
                    row[column] = value
                    spread.setdefault(first_row, []).append((index, column))
        if budget < 0:
            break
    for index, row in rows.items():
        dataset[index] = row


def _hidden_lines(dataset: tablib.Dataset, parser: WorkSheetParser) -> list[int]:
    """The lines of the dataset's data rows whose row the sheet marks hidden: Excel writes
    hidden="1" on each row its filter leaves out, as on one hidden by hand or folded away."""
    hidden = {
        int(line)
        for line, attributes in parser.row_dimensions.items()
        if attributes.get("hidden") in ("1", "true")
    }
    return [line for line in getattr(dataset, "line_numbers", []) if line in hidden]


def _hidden_column_indexes(dataset: tablib.Dataset, parser: WorkSheetParser) -> list[int]:
    """The indexes of the dataset's columns whose column the sheet marks hidden: a <col>
    element with hidden="1" spans columns min to max (Excel writes adjacent ones as one)."""
    width = dataset.width
    hidden: set[int] = set()
    for attributes in parser.column_dimensions.values():
        if attributes.get("hidden") not in ("1", "true"):
            continue
        try:
            first, last = int(attributes["min"]), int(attributes.get("max", attributes["min"]))
        except (KeyError, TypeError, ValueError):
            continue
        # Bounded by the table: a sheet may hide every column to XFD in one element.
        hidden.update(range(max(first, 1) - 1, min(last, width)))
    return sorted(hidden)


# A row element of a sheet, with or without a namespace prefix (<row r="2">, <x:row>).
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def xlsx_row_count(content: BinaryIO, *, stop_past: int | None = None) -> int:
    """How many rows the sheet xlsx_dataset reads holds, blank ones too, counted from its row
    elements: the dimension a sheet declares is absent or wrong in files some programs write.
    Unpacks the sheet (a few MB a second) without parsing it, and reads nothing else of the
    workbook but where its sheets are: not its shared strings, which openpyxl reads whole when
    it opens a workbook (a workbook of 3 rows and 3 million unused strings took 80 s and 570 MB
    to count, in a request); `content` within the import bounds (core.spreadsheets.
    spreadsheet_content_problem checks them first); with `stop_past`, counted up to the first row
    past it. WorkbookProblem as xlsx_dataset."""
    book = _sheets_only(content)
    try:
        with _active_worksheet(book)._get_source() as source:
            return _count_tags(source, _ROW_TAG, stop_past=stop_past)
    finally:
        book.close()


# A cell element of a sheet (<c r="A1">, <x:c>), not <col> or <cfRule>.
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")


def xlsx_cell_count(content: BinaryIO, *, sheet_titles: Collection[str] = ()) -> int:
    """How many cells the sheet xlsx_dataset reads holds, counted from its cell elements as
    xlsx_row_count counts rows (without parsing the sheet or reading the shared strings): the
    most shared strings that sheet can use. WorkbookProblem as xlsx_dataset."""
    book = _sheets_only(content)
    try:
        with _worksheet(book, sheet_titles)._get_source() as source:
            return _count_tags(source, _CELL_TAG)
    finally:
        book.close()


# A shared string of a workbook's string table (<si>, <x:si>).
_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")


def xlsx_shared_string_count(content: BinaryIO, *, stop_past: int) -> int:
    """How many shared strings the workbook's string table holds (0 without one), counted from
    its elements without parsing them, up to the first past `stop_past`: enough to tell a table
    cheap to read inside a request from one that is not (openpyxl reads every string of it
    before the first row, used or not)."""
    with zipfile.ZipFile(content) as archive:
        names = set(archive.namelist())
        strings = ARC_SHARED_STRINGS
        if "[Content_Types].xml" in names:
            manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            part = manifest.find(SHARED_STRINGS)
            if part is not None:
                strings = part.PartName.lstrip("/")
        if strings not in names:
            return 0
        with archive.open(strings) as source:
            return _count_tags(source, _STRING_TAG, stop_past=stop_past)


def _count_tags(source: BinaryIO, tag: re.Pattern[bytes], *, stop_past: int | None = None) -> int:
    """How many times `tag` starts in `source`, read a chunk at a time; with `stop_past`, the
    count as soon as it is past it."""
    count = 0
    tail = b""
    while chunk := source.read(MB):
        # A tag starting in the last bytes may be cut: counted with the next chunk.
        data = tail + chunk
        cut = max(len(data) - 64, 0)
        count += sum(1 for found in tag.finditer(data) if found.start() < cut)
        tail = data[cut:]
        if stop_past is not None and count > stop_past:
            return count
    return count + len(tag.findall(tail))


def _sheets_only(content: BinaryIO) -> Workbook:
    """The workbook read-only with its sheets (which one is open, which are charts), but not
    its shared strings, styles, theme or properties: what load_workbook reads less what only
    reading cells needs. Its sheets are for finding and unpacking one, not for reading cells."""
    reader = ExcelReader(content, read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        reader.read_worksheets()
    except BaseException:
        reader.archive.close()
        raise
    return reader.wb


def _sheet_rows(parser: WorkSheetParser) -> Iterator[tuple[int, list]]:
    """The sheet's rows as (sheet row, values), each as wide as its last cell: not padded to the
    width the sheet declares (its <dimension>), 16,384 cells a row when one cell is in the last
    column, which rows_dataset refuses as it comes. (What openpyxl's read-only iter_rows does
    after reset_dimensions(), with _CellParser reading the cells.)"""
    limit = ImportLimits.current().line_chars
    for line, cells in parser.parse():
        row = [None] * max((cell["column"] for cell in cells), default=0)
        for cell in cells:
            # The apostrophe a CSV export put before a would-be formula, kept as text by a
            # spreadsheet that opened it and saved it as a workbook, as the CSV reader takes it.
            value = row[cell["column"] - 1] = unescape_cell(_value(cell["value"]))
            if isinstance(value, str) and len(value) > limit:
                # As the CSV door refuses it: a shared string may be of any length.
                raise LineProblem(
                    gettext(
                        "Line %(line)d has a cell longer than %(limit)d characters "
                        "(IMPORT_MAX_LINE_CHARS)."
                    )
                    % {"line": line, "limit": limit},
                    line=line,
                )
            if isinstance(value, str) and len(value) >= EXCEL_CELL_CHARS:
                # Excel cuts longer text to this on saving, as openpyxl and an export do: the
                # cell's text is likely a part of what it was (a long note), and importing it
                # would write the part over the whole.
                raise LineProblem(
                    gettext(
                        "Line %(line)d has a cell of %(limit)s characters, the most a "
                        "spreadsheet cell holds: its text was probably cut when the workbook was "
                        "saved. Import the table as CSV instead."
                    )
                    % {"line": line, "limit": number_format(EXCEL_CELL_CHARS, force_grouping=True)},
                    line=line,
                )
        yield line, row


class _Uncalculated:
    """The value of a formula saved without it: a program (openpyxl among them) writes formulas
    for a spreadsheet to calculate, a spreadsheet saves each one's value too. Read as empty it
    went unseen (credits "=2+1" imported as none); an importer reports it on its cell. Reads as
    "" where text is wanted, but is no blank cell."""

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = _Uncalculated()


class _CellParser(WorkSheetParser):
    """openpyxl's sheet parser, but a number cell holding NaN or INF (a double as XML Schema
    writes it, which openpyxl's int() refuses) is read as that float, for the column to refuse
    on its line; a cell unreadable as its type fails the file naming the cell, not with int()'s
    message alone; and a formula saved without its value is UNCALCULATED, not empty. A number,
    a date or a logical value is read as the sheet shows it where that says more than its value
    (_shown)."""

    # By style id, how _shown reads a cell of that style (xlsx_dataset sets them per sheet).
    shown_formats: ClassVar[dict[int, tuple]] = {}

    def parse_cell(self, element):
        cell = self._parse_cell(element)
        if cell["value"] is not None and (
            cell["style_id"] in self.shown_formats or cell["data_type"] == "b"
        ):
            cell["value"] = _shown(cell["value"], self.shown_formats.get(cell["style_id"]))
        return cell

    def _parse_cell(self, element):
        # A formula's value is a number unless typed otherwise ("str" for text, which may be
        # empty): a number cell with a formula and no value was never calculated.
        if (
            element.get("t", "n") == "n"
            and not element.findtext(VALUE_TAG)
            and element.find(FORMULA_TAG) is not None
        ):
            cell = super().parse_cell(element)
            return {**cell, "value": UNCALCULATED}
        try:
            return super().parse_cell(element)
        except (ValueError, IndexError, OverflowError) as error:
            text = element.findtext(VALUE_TAG) or ""
            coordinate = element.get("r") or ""
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
            else:
                row, column = self.row_counter, self.col_counter
                coordinate = f"{get_column_letter(column)}{row}"
            if element.get("t", "n") != "n":
                raise LineProblem(
                    gettext("Cell %(cell)s cannot be read: %(error)s")
                    % {"cell": coordinate, "error": error},
                    line=row,
                ) from error
            try:
                number = float(text)
            except (TypeError, ValueError):
                raise LineProblem(
                    gettext("Cell %(cell)s is stored as a number but holds “%(text)s”.")
                    % {"cell": coordinate, "text": text if len(text) <= 40 else text[:40] + "…"},
                    line=row,
                ) from error
            return {"row": row, "column": column, "value": number, "data_type": "n", "style_id": 0}


# Number formats whose text a sheet shows differs from the value's own: only zeros, "000" (a
# code typed 7 shows 007, how a column keeps leading zeros), and zeros, a point and zeros,
# "0.00" (1.1 shows 1.10). Formats that round, group thousands or add words are read as values.
_PADDED_FORMAT = re.compile(r"(0+)(?:\.(0+))?")
# A date format's parts that show a time of day (outside quoted text and escaped characters).
_TIME_PARTS = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _shown_formats(book: Workbook) -> dict[int, tuple]:
    """By style id, the styles whose cells xlsx_dataset reads as shown (_shown): ("padded",
    integer digits, decimals) for a _PADDED_FORMAT, ("date",) for a date format without a time
    of day."""
    formats: dict[int, tuple] = {}
    custom = getattr(book, "_number_formats", ())
    for style_id, style in enumerate(getattr(book, "_cell_styles", ())):
        format_id = style.numFmtId
        if format_id >= BUILTIN_FORMATS_MAX_SIZE:
            index = format_id - BUILTIN_FORMATS_MAX_SIZE
            code = custom[index] if index < len(custom) else None
        else:
            code = builtin_format_code(format_id)
        if not code:
            continue
        padded = _PADDED_FORMAT.fullmatch(code)
        if padded and (len(padded[1]) > 1 or padded[2]):
            formats[style_id] = ("padded", len(padded[1]), len(padded[2] or ""))
        elif style_id in book._date_formats and not _TIME_PARTS.search(
            _FORMAT_LITERALS.sub("", code)
        ):
            formats[style_id] = ("date",)
    return formats


def _shown(value: Any, shown_format: tuple | None) -> Any:
    """`value` as a spreadsheet shows it in a cell of `shown_format`, as it writes it to a CSV
    (its cells saved as shown, LibreOffice's default), where that says more than the value: a
    code typed 007 in a column formatted 000 is "007", not the number 7 that matched no course;
    a date without a time of day is that date, not "2024-09-01 00:00:00"; a logical value
    TRUE or FALSE, as shown, not Python's "True". A number a format would round is its value."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if shown_format is None:
        return value
    if shown_format[0] == "date":
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            return value.date()
        return value
    _kind, digits, decimals = shown_format
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return value
    text = f"{value:0{digits + (decimals and decimals + 1)}.{decimals}f}"
    if Decimal(text) != Decimal(repr(value)):
        return value  # the format rounds it: read as the number it is
    if text == str(_value(value)):
        return value  # shown as it is (1234 formatted 000)
    return text


def _worksheet(book: Workbook, titles: Collection[str]) -> ReadOnlyWorksheet:
    """The first worksheet titled one of `titles`, else the active one."""
    for sheet in book.worksheets:
        if sheet.title in titles and isinstance(sheet, ReadOnlyWorksheet):
            return sheet
    return _active_worksheet(book)


def _active_worksheet(book: Workbook) -> ReadOnlyWorksheet:
    if not book.worksheets:
        raise WorkbookProblem(
            gettext(
                "The workbook has no worksheet (a sheet of cells): give the table on a worksheet."
            )
        )
    sheet = book.active
    if sheet is None:  # the workbook names as open a sheet past its last: opened at its first
        sheet = book.worksheets[0]
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise WorkbookProblem(
            gettext(
                "The workbook was saved with its sheet “%(sheet)s” open, which is a chart, not "
                "a worksheet: open the worksheet holding the table, save and upload again."
            )
            % {"sheet": getattr(sheet, "title", "")}
        )
    return sheet


def _value(value: Any) -> Any:
    # A sheet stores every number as text, and writers differ: Excel writes <v>101</v>, others
    # <v>101.0</v> or <v>1.02E2</v>, which openpyxl reads as floats. A spreadsheet shows all
    # three as 101; read as a float, course code 101 came in as a second course "101.0".
    if type(value) is float and value.is_integer():
        return int(value)
    return value


XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


# Per workbook, each style xlsx_cell has given a cell, by what it asked for: openpyxl files a
# style by hashing its Font, fill and Alignment on every cell it is set on, which was a third of
# a programme workbook's time. The same styles are filed in the same order, the same bytes.
_CELL_STYLES: weakref.WeakKeyDictionary[Workbook, dict[tuple, StyleArray]] = (
    weakref.WeakKeyDictionary()
)


def xlsx_cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    bold: bool = False,
    fill: str | None = None,
    color: str | None = None,
    wrap: bool = False,
    center: bool = False,
) -> WriteOnlyCell:
    """One cell for a write-only sheet: numbers stay numbers, a date and time a date cell (in
    the current time zone: the reader's for a page's download, core.times; its format says
    which, Excel's having none) that sorts and filters as one, everything else a string."""
    cell = WriteOnlyCell(sheet)
    quoted = dated = False
    if value is None:
        cell.value = None
    elif isinstance(value, datetime.datetime):
        dated = True
        if timezone.is_aware(value):
            # The zone goes in the cell's format, shown beside the time: a workbook travels,
            # and one wall time can name two instants (the hour clocks go back).
            dated = zone_label(value)
            value = timezone.make_naive(value)
        cell.value = value.replace(second=0, microsecond=0)
    elif isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        if len(text) > EXCEL_CELL_CHARS:
            # Cut where the reader sees it is: openpyxl would cut it silently.
            text = text[: EXCEL_CELL_CHARS - 1] + "…"
        cell.value = text
        # Set after the value: openpyxl guesses "f" (formula) for text starting with "=".
        cell.data_type = "s"
        quoted = looks_like_formula(text)
    else:
        cell.value = value
    key = (dated, quoted, bold, fill, color, wrap, center)
    if key == (False, False, False, None, None, False, False):
        return cell
    styles = _CELL_STYLES.setdefault(sheet.parent, {})
    if key in styles:
        cell._style = copy.copy(styles[key])
        return cell
    if dated:
        # ISO's order, read alike in every language (the page's own format is text).
        cell.number_format = XLSX_DATETIME_FORMAT
        if isinstance(dated, str):
            cell.number_format += f' "{dated}"'
    if quoted:
        cell.quotePrefix = True
    if bold or color:
        cell.font = Font(bold=bold, color=color)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if wrap or center:
        cell.alignment = Alignment(
            wrap_text=wrap, horizontal="center" if center else None, vertical="top"
        )
    styles[key] = copy.copy(cell._style)
    return cell


# A zip entry's date (the earliest a zip can hold) and the document properties' times, which
# openpyxl sets to the moment of saving: without them the same workbook gives the same bytes.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_SAVED_AT = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook's file, the same bytes for the same content whenever it is written: an
    ETag taken from them (ConditionalGetMiddleware) then holds while the content does, where
    openpyxl's own file differed each second (its entries' dates and its "created" and
    "modified" properties)."""
    saved = io.BytesIO()
    book.save(saved)
    written = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _SAVED_AT.sub(b"", data)
            stable = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = entry.external_attr
            target.writestr(stable, data)
    return written.getvalue()
