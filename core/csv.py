"""CSV that spreadsheets open safely, streamed: for the API, the pages and the admin."""

import codecs
import contextlib
import csv
import io
import itertools
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext, gettext_lazy

from core.limits import ImportLimits, SheetLine, line_said

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets: OWASP's
# list (= + - @, tab, carriage return, line feed), and the full-width forms of the four signs,
# which a Chinese or Japanese input method types and which spreadsheets may read as the ASCII
# ones (neutralised the same way, costing one apostrophe a spreadsheet does not show).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


# The encodings an uploaded CSV may be read in, as the person uploading it chooses (Moodle's own
# CSV import offers the same choice): what a spreadsheet's plain "CSV" is saved in on the
# computers this site's readers use. UTF-8 by default, which reads UTF-16 too where a byte order
# mark says so; GB18030 reads GBK and GB2312, of which it is the superset. Never guessed: the
# bytes of one read as text in another (Windows-1252 as GB18030, into nonsense).
UTF_8 = "utf-8"
GB18030 = "gb18030"
CSV_ENCODINGS = (
    (UTF_8, gettext_lazy("UTF-8 (“CSV UTF-8”; UTF-16 too, by its byte order mark)")),
    (GB18030, gettext_lazy("GB18030, GBK, GB2312 (plain “CSV” of Chinese Windows)")),
    ("big5", gettext_lazy("Big5 (plain “CSV” of Chinese Windows in Taiwan and Hong Kong)")),
    ("windows-1252", gettext_lazy("Windows-1252 (plain “CSV” of Western European Windows)")),
)
CSV_ENCODING_NAMES = tuple(name for name, _label in CSV_ENCODINGS)
_ENCODING_LABELS = {UTF_8: "UTF-8", GB18030: "GB18030", "big5": "Big5"}
_encoding: ContextVar[str] = ContextVar("csv_encoding", default=UTF_8)


def csv_encoding_checked(value: Any, *, field: str = "encoding") -> str:
    """`value`, one of CSV_ENCODING_NAMES (any case; blank or None is UTF-8), as that name; or a
    ValidationError on `field` listing them."""
    name = str(value or UTF_8).strip().lower()
    if name not in CSV_ENCODING_NAMES:
        raise ValidationError(
            {
                field: gettext(
                    "“%(value)s” is not an encoding this import reads; choose one of %(names)s."
                )
                % {"value": str(value)[:40], "names": ", ".join(CSV_ENCODING_NAMES)}
            }
        )
    return name


@contextlib.contextmanager
def reading_encoding(name: str | None) -> Iterator[None]:
    """Uploaded CSV read inside the block (decoded_text, utf8_text, and every import reading
    through them) is read in the encoding `name` (one of CSV_ENCODING_NAMES; None is UTF-8): set
    by each door from its encoding field, option or an import job's options, so that the readers
    between the door and the bytes need not carry it."""
    token = _encoding.set(csv_encoding_checked(name))
    try:
        yield
    finally:
        _encoding.reset(token)


def csv_encoding() -> str:
    """The encoding uploaded CSV is read in here (reading_encoding), UTF-8 unless chosen."""
    return _encoding.get()


def not_utf8_message(line: int, *, workbooks: bool = True, reads_as_gb18030: bool = False) -> str:
    """What to tell someone whose CSV is not UTF-8: the first line that is not, and how to save
    it so it is (a spreadsheet's plain "CSV" is written in the computer's code page, such as GBK
    or Windows-1252; its "CSV UTF-8" is what is read); the .xlsx offered only where `workbooks`
    are read too. Where the file reads as GB18030 with Chinese in it (`reads_as_gb18030`), that
    is said, and the encoding to choose: said, not chosen."""
    if reads_as_gb18030:
        if not workbooks:
            return gettext(
                "Line %(line)d is not UTF-8 text; it reads as GB18030 (Chinese Windows): choose "
                "that encoding, or save the file from your spreadsheet as “CSV UTF-8”."
            ) % {"line": line}
        return gettext(
            "Line %(line)d is not UTF-8 text; it reads as GB18030 (Chinese Windows): choose "
            "that encoding, or save the file from your spreadsheet as “CSV UTF-8”, or upload "
            "the .xlsx."
        ) % {"line": line}
    if not workbooks:
        return gettext(
            "Line %(line)d is not UTF-8 text. Save the file from your spreadsheet as “CSV UTF-8”."
        ) % {"line": line}
    return gettext(
        "Line %(line)d is not UTF-8 text. Save the file from your spreadsheet as “CSV UTF-8”, "
        "or upload the .xlsx."
    ) % {"line": line}


def not_in_encoding_message(line: int, *, encoding: str) -> str:
    """What to tell someone whose CSV does not read in the encoding they chose: its first line
    that does not."""
    return gettext(
        "Line %(line)d is not %(encoding)s text. Choose the encoding the file was saved in, or "
        "save it from your spreadsheet as “CSV UTF-8”."
    ) % {"line": line, "encoding": encoding_label(encoding)}


def encoding_label(encoding: str) -> str:
    """The encoding `encoding` (of CSV_ENCODING_NAMES) as people write it: GB18030, Big5."""
    return _ENCODING_LABELS.get(encoding, encoding.capitalize())


def utf8_text(content: bytes, *, workbooks: bool = True) -> str:
    """An uploaded CSV's text in the encoding chosen (csv_encoding: UTF-8 unless a door chose
    another; a leading byte order mark dropped), or a ValidationError on `file` naming the first
    line that cannot be read (`decoded_text`), offering the .xlsx instead where `workbooks` are
    read too."""
    try:
        return decoded_text(content)
    except NotUtf16Text as error:
        raise ValidationError(
            {"file": [_not_utf16_message(error.line, workbooks=workbooks)]}
        ) from error
    except NotInEncoding as error:
        raise ValidationError(
            {"file": [not_in_encoding_message(error.line, encoding=error.encoding)]}
        ) from error
    except NotUtf8Text as error:
        raise ValidationError(
            {
                "file": [
                    not_utf8_message(
                        error.line, workbooks=workbooks, reads_as_gb18030=error.reads_as_gb18030
                    )
                ]
            }
        ) from error


def decoded_text(content: bytes, *, encoding: str | None = None) -> str:
    """A whole uploaded text file as text (a leading byte order mark dropped), in `encoding`
    (one of CSV_ENCODING_NAMES; by default the one chosen, csv_encoding).

    UTF-8; or UTF-16 when a byte order mark says so, as Excel's "Unicode Text" and "UTF-16 CSV"
    are written (its mark is never the start of UTF-8 text). Raises NotUtf16Text when the mark
    says UTF-16 and the text is not, NotUtf8Text otherwise (UTF-16 without its mark too, on
    line 1), each naming the first line that cannot be read; NotUtf8Text says whether the file
    reads as GB18030 with Chinese in it, for the message to say so.

    Another encoding: the file read in it, but a byte order mark (UTF-8's or UTF-16's, which no
    text in those begins with) is what it says; NotInEncoding names the first line that does
    not read. In each encoding here a line feed is that byte alone, never part of a character,
    so the line numbers are the file's."""
    encoding = csv_encoding() if encoding is None else encoding
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            line = content[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise NotUtf16Text(line) from error
    if _utf16_without_bom(content):
        raise NotUtf8Text(1)
    if encoding != UTF_8 and not content.startswith(codecs.BOM_UTF8):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError as error:
            line = error.object.count(b"\n", 0, error.start) + 1
            raise NotInEncoding(line, encoding=encoding) from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        raise NotUtf8Text(line, reads_as_gb18030=_reads_as_chinese(content)) from error


_PAST_ASCII = re.compile(r"[^\x00-\x7f]")
_CHARACTERS_LOOKED_AT = 100_000


def _reads_as_chinese(content: bytes) -> bool:
    """Whether `content` reads as GB18030 throughout into Chinese: nearly all of its characters
    past ASCII GB2312's (the common hanzi and punctuation Chinese is written in), some of them
    hanzi, none a private-use, unassigned or control character. Other text also reads as
    GB18030, into nonsense of GBK's rarer characters: Windows-1252's accented letter and the
    ASCII letter after it ("Économie" as "蒫onomie"), Big5's characters whose second byte is
    ASCII (about half of them)."""
    try:
        text = content.decode(GB18030)
    except UnicodeDecodeError:
        return False
    others = common = hanzi = 0
    # The characters past ASCII, up to a bound: a refused file of 100 MB is decoded (in C), not
    # looked at character by character in Python.
    for found in itertools.islice(_PAST_ASCII.finditer(text), _CHARACTERS_LOOKED_AT):
        char = found.group()
        if unicodedata.category(char) in ("Co", "Cn", "Cc", "Cs"):
            return False
        others += 1
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
        hanzi += unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")
    return hanzi > 0 and common >= 0.9 * others


def _not_utf16_message(line: int, *, workbooks: bool) -> str:
    if not workbooks:
        return gettext(
            "Line %(line)d is not UTF-16 text, which the file's byte order mark says it is. Save "
            "the file from your spreadsheet as “CSV UTF-8”."
        ) % {"line": line}
    return gettext(
        "Line %(line)d is not UTF-16 text, which the file's byte order mark says it is. Save the "
        "file from your spreadsheet as “CSV UTF-8”, or upload the .xlsx."
    ) % {"line": line}


def _utf16_without_bom(content: bytes) -> bool:
    # UTF-16 without its byte order mark: its ASCII letters (a header row) each beside a NUL,
    # which is valid UTF-8; read as such, its columns went unfound.
    start = content[:256]
    nuls = max(start[0::2].count(0), start[1::2].count(0))
    return len(start) >= 4 and nuls * 4 > len(start)


_AFTER_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


class NotUtf8Text(ValueError):
    """A stream read by `Utf8Lines` (or a text `decoded_text` reads) holds a line that is not
    UTF-8; `line` is its number; `reads_as_gb18030`, whether the whole text reads as GB18030
    with Chinese in it (decoded_text's finding; a stream is not read whole to find it)."""

    def __init__(self, line: int, *, reads_as_gb18030: bool = False):
        super().__init__(f"line {line} is not UTF-8 text")
        self.line = line
        self.reads_as_gb18030 = reads_as_gb18030


class NotInEncoding(ValueError):
    """A text `decoded_text` reads in the encoding chosen holds a line that is not in it;
    `line` is its number, `encoding` the encoding's name (of CSV_ENCODING_NAMES)."""

    def __init__(self, line: int, *, encoding: str):
        super().__init__(f"line {line} is not {encoding} text")
        self.line = line
        self.encoding = encoding


class NotUtf16Text(ValueError):
    """A text whose byte order mark says UTF-16 holds a line that is not; `line` is its
    number."""

    def __init__(self, line: int):
        super().__init__(f"line {line} is not UTF-16 text")
        self.line = line


class Utf8Lines(io.TextIOBase):
    """A binary stream read as UTF-8 text (a leading byte order mark dropped), decoded one line
    at a time so that a byte that is not UTF-8 is reported with the number of its line.

    An io.TextIOWrapper decodes 8 kB ahead: its error comes from whichever read began that block
    and says only "position 3477" of it, so an importer could only blame the line it was reading
    (line 1 of a file whose bad byte is on line 21). Lines end at "\n", "\r\n" or a lone "\r",
    each kept with its line's text as csv wants them.
    """

    def __init__(self, raw: io.BufferedIOBase | Any):
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        # Lines of a read that held a lone "\r", not yet decoded, taken from the front: a deque,
        # for a list shifted every line after the one taken, and a file of 1 MB in old Mac line
        # ends (each a lone "\r", so one read) took 20 s to read, one of 10 MB half an hour.
        self._pending: deque[bytes] = deque()
        self.line = 0  # lines returned so far
        # Whether the decoder holds nothing: true after a whole line, false before the first
        # (which may start with a byte order mark) and after a read that stopped mid-line.
        self._at_line_start = False

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:
        """The next line, or its first `size` characters (as io.TextIOWrapper.readline)."""
        limit = -1 if size is None or size < 0 else size
        text = ""
        while True:
            if not self._pending:
                # `limit - len(text)` bytes hold at most that many characters: never too many.
                data = self._raw.readline(-1 if limit < 0 else limit - len(text))
                if not data:
                    return text + self._decode(b"", final=True)
                if (
                    self._at_line_start
                    and data.endswith(b"\n")
                    and data.find(b"\r", 0, len(data) - 2) < 0
                ):
                    # The usual case, a whole line with no lone "\r" and no byte left over from
                    # the last read: decoded at once, twice as fast.
                    try:
                        text = data.decode("utf-8")
                    except UnicodeDecodeError as error:
                        raise NotUtf8Text(self.line + 1) from error
                    self.line += 1
                    return text
                # "\r" is one byte in UTF-8 and never inside a character: safe to split on.
                self._pending = deque(piece for piece in _AFTER_LONE_CR.split(data) if piece)
            piece = self._pending.popleft()
            text += self._decode(piece, final=False)
            self._at_line_start = piece.endswith((b"\n", b"\r"))
            if self._at_line_start:
                self.line += 1
                return text
            if 0 <= limit <= len(text):
                return text

    def _decode(self, data: bytes, *, final: bool) -> str:
        try:
            return self._decoder.decode(data, final=final)
        except UnicodeDecodeError as error:
            raise NotUtf8Text(self.line + 1) from error

    def read(self, size: int | None = -1) -> str:
        if size is not None and size >= 0:
            raise io.UnsupportedOperation("Utf8Lines reads whole lines or the whole rest")
        return "".join(iter(self.readline, ""))

    def close(self) -> None:
        self._raw.close()
        super().close()


class LineProblem(ValueError):
    """A line of an uploaded table that cannot be read as written, found while reading it; the
    message names the line (the file's own number, the header being line 1 when it comes
    first) and is for the person who sent the file, as is."""

    def __init__(self, message: str, *, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet may run the cell `text` as a formula: it starts with one of
    FORMULA_PREFIXES, or does after whitespace (" =1+1", "\u3000=1+1"), which spreadsheets
    trim from a cell as they read it (LibreOffice's "Trim spaces", Google Sheets). The one test
    of every export: CSV cells (safe_cell) and a workbook's quote prefix (core.xlsx)."""
    return text.startswith(FORMULA_PREFIXES) or text.lstrip().startswith(FORMULA_PREFIXES)


def _needs_apostrophe(text: str) -> bool:
    # Text already starting with apostrophes before a would-be formula ("'=SUM" quoted in a note)
    # gets one more too: else the import, taking one off, would change it.
    return looks_like_formula(text.lstrip("'"))


def safe_cell(value: Any) -> str | int:
    """Text for one cell; a leading apostrophe keeps a would-be formula as plain text."""
    if value is None:
        return ""
    if type(value) is int and value >= 0:
        # Most cells of a large export are ids: no formula can hide in them.
        return value
    text = str(value)
    if _needs_apostrophe(text):
        return "'" + text
    return text


def unescape_cell(value: Any) -> Any:
    """The text safe_cell was given: drops the apostrophe it put before a would-be formula, so
    that importing an export gives back what was exported. Applied once to each cell of a file,
    as the file is read (csv_dataset, core.xlsx.xlsx_dataset): twice would take off an
    apostrophe of the text itself."""
    if isinstance(value, str) and value.startswith("'") and _needs_apostrophe(value[1:]):
        return value[1:]
    return value


def apostrophe_kept(value: Any) -> Any:
    """A cell for a file whose formulas are kept as text otherwise (a workbook's quote prefix,
    core.xlsx.xlsx_cell): only text already starting with an apostrophe before a would-be formula
    gets one more, which the import takes off again (unescape_cell)."""
    if isinstance(value, str) and value.startswith("'") and _needs_apostrophe(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[str | int]:
    return [safe_cell(cell) for cell in row]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    # QUOTE_MINIMAL quotes any cell holding a comma, quote or newline, and doubles inner quotes.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_MINIMAL)
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


# Excel reads a CSV without it in the machine's code page: Chinese text comes out as mojibake.
BYTE_ORDER_MARK = "\ufeff"


def csv_response(
    *,
    disposition: str,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    for_spreadsheets: bool = False,
    stream: bool = True,
) -> HttpResponse | StreamingHttpResponse:
    """Stream a CSV download row by row; `rows` should itself be lazy (a queryset .iterator()).
    `disposition`: its Content-Disposition, from core.downloads.content_disposition.
    `for_spreadsheets`: a page's download, which starts with a UTF-8 byte order mark so that
    Excel reads it as UTF-8; the API's CSV stays without one, byte-exact for programs.
    `stream=False`: a small file answered whole, so that it has an ETag (ConditionalGet-
    Middleware) and a client polling it with If-None-Match gets a 304."""
    lines = csv_lines(header, rows)
    if for_spreadsheets:
        lines = itertools.chain([BYTE_ORDER_MARK], lines)
    content_type = "text/csv; charset=utf-8"
    if stream:
        response = StreamingHttpResponse(lines, content_type=content_type)
    else:
        response = HttpResponse("".join(lines), content_type=content_type)
    response["Content-Disposition"] = disposition
    return response


def blank(value: Any) -> bool:
    """Whether a cell holds nothing: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


# How many rows below the first that is not blank may be wider than it: rows a title above the
# header row pushed down, the header among them (curricula.resources.LineNumberedImport
# .require_columns looks there for it).
HEADER_SEARCH_ROWS = 10


def unnamed_column_message(*, line: int, column: int, header: int) -> str:
    # `line` a SheetLine where the reader knew its row: said beside it (line_said).
    return gettext(
        "%(where)s has a value in column %(column)d, which the header row (line %(header)d) "
        "does not name."
    ) % {"where": line_said(line), "column": column, "header": header}


def _filled_width(cells: Sequence[Any]) -> int:
    """How many cells a row has up to its rightmost one that is not blank."""
    for index in range(len(cells) - 1, -1, -1):
        if not blank(cells[index]):
            return index + 1
    return 0


def rows_dataset(rows: Iterable[tuple[int, Sequence[Any]]], *, pad: Any) -> tablib.Dataset:
    """A file's numbered rows, (line, cells), as a tablib Dataset, read as a person reads a
    spreadsheet: the first row that is not blank names the columns, blank rows (no cells, only
    empty ones, or formatted but empty) are left out, and `dataset.line_numbers[i]` is the line
    data row i comes from (`dataset.header_line` the header's), so problems are reported where
    an editor or a spreadsheet shows them. Short rows are padded with `pad`.

    A row is as wide as the header, and a value right of the header's last name is refused as
    the row is read (LineProblem naming the line), as is one past IMPORT_MAX_COLUMNS: every row
    is padded to the table's width, so one value in column 16,384 made a 57 kB sheet 650 MB.
    The rows just below the header (HEADER_SEARCH_ROWS) may be wider, as the real header below
    a title is: they stay, under empty headers, for the importer to point out, as a value under
    an empty header in the middle does (curricula.resources.LineNumberedImport.require_columns).
    Only non-blank rows are kept in memory (a sheet formatted down to its last row has a million
    empty ones)."""
    columns = ImportLimits.current().columns
    kept: list[tuple[int, Sequence[Any]]] = []
    header_line = width = 0
    for line, cells in rows:
        filled = _filled_width(cells)
        if not filled:
            continue
        if kept and filled > width and len(kept) > HEADER_SEARCH_ROWS:
            column = next(i for i in range(width, filled) if not blank(cells[i])) + 1
            raise LineProblem(
                unnamed_column_message(line=line, column=column, header=header_line), line=line
            )
        if filled > columns:
            raise LineProblem(
                gettext(
                    "%(where)s has a value in column %(column)d; an import reads at most "
                    "%(limit)d columns (IMPORT_MAX_COLUMNS)."
                )
                % {"where": line_said(line), "column": filled, "limit": columns},
                line=line,
            )
        if not kept:
            header_line = line
        width = max(width, filled)
        kept.append((line, cells[:filled]))
    dataset = tablib.Dataset()
    if not kept:
        return dataset

    def fitted(cells: Sequence[Any]) -> list:
        return [*cells, *[pad] * (width - len(cells))]

    dataset.header_line = header_line
    dataset.headers = fitted(kept[0][1])
    for _line, cells in kept[1:]:
        dataset.append(fitted(cells))
    dataset.line_numbers = [line for line, _cells in kept[1:]]
    return dataset


# What separates a CSV's cells: Excel writes a semicolon where the decimal mark is a comma (much
# of Europe), and a tab for "Unicode text".
SEPARATORS = (",", ";", "\t")


# A first line naming the separator, as Excel reads one: "sep=;" (of the separators a CSV uses).
_SEPARATOR_LINE = re.compile(r"sep=([,;\t|])[ \t]*(\r\n|\r|\n)", re.IGNORECASE)


def csv_separator(text: str) -> str:
    """The separator of a CSV's header row: of SEPARATORS, the one that splits it into the most
    filled cells (the first on a tie). The header row is the first line that one of them splits
    into two filled cells or more, as a title above it is not; a comma when none of the first
    lines is."""
    _allow_import_cells()
    # Lines as the reader will see them: ended by LF, CR LF or a CR alone.
    for line in itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS + 1):
        filled = {separator: _filled_cells(line, separator) for separator in SEPARATORS}
        best = max(SEPARATORS, key=filled.__getitem__)
        if filled[best] >= 2:
            return best
    return ","


def _allow_import_cells() -> int:
    """IMPORT_MAX_LINE_CHARS, to which csv's own bound on a cell is raised: that is the
    process's (131,072 characters unless raised), an import's is checked by its reader. Raised,
    never lowered: other readers share it."""
    limit = ImportLimits.current().line_chars
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    return limit


def _filled_cells(line: str, separator: str) -> int:
    cells = next(csv.reader([line], delimiter=separator), [])
    return len(cells) - sum(map(blank, cells))


def csv_dataset(text: str, *, delimiter: str | None = None) -> tablib.Dataset:
    """A CSV text as rows_dataset reads it (a quoted cell may span lines, blank lines count, short
    rows are padded with ""), its cells separated by `delimiter` or else by what its header row
    uses (csv_separator). `dataset.sheet_rows[i]` is the row a spreadsheet shows data row i on
    (`dataset.header_row` the header's): not its line where a quoted cell spans lines before it
    or a "sep=" line starts the file. Cells escaped by safe_cell come back as they were
    written. Text csv would read other than as written raises LineProblem naming its line: a
    quote never closed (which would take every line after it into one cell), text after a
    closing quote."""
    if text.startswith("\ufeff"):  # a byte order mark, as spreadsheet programs write
        text = text[1:]
    named = _SEPARATOR_LINE.match(text)
    if named:
        # "sep=;" first, as files written for Excel start (Excel reads it, and does not show
        # it): that separator, and the line read as a blank one, so that lines keep their number.
        delimiter = delimiter or named[1]
        text = named[2] + text[named.end() :]
    delimiter = delimiter or csv_separator(text)
    # newline="": lines end in LF, CR LF or a CR alone (Excel's "CSV (Macintosh)"), and a line end
    # inside a quoted cell stays as written, as the csv module asks of its files.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    limit = _allow_import_cells()
    # The row a spreadsheet shows each record on, by the line it starts on, where the two differ:
    # a record spanning lines (a quoted line break) is one row, a blank line an empty row, and
    # the "sep=" line no row at all.
    rows_by_line: dict[int, int] = {}

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        next_line = 1
        sheet_row = -1 if named else 0
        while True:
            line = next_line
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _csv_problem(
                    error,
                    text=text,
                    line=line,
                    at=reader.line_num,
                    delimiter=delimiter,
                    row=sheet_row + 1,
                ) from error
            next_line = reader.line_num + 1
            sheet_row += 1
            if sheet_row != line:
                rows_by_line[line] = sheet_row
                # Its problems found as the rows are read (rows_dataset's) say the row too.
                line = SheetLine(line, row=sheet_row)
            if max(map(len, row), default=0) > limit:
                raise _too_long(line, limit)
            yield line, [unescape_cell(cell) for cell in row]

    dataset = rows_dataset(numbered(), pad="")
    if hasattr(dataset, "line_numbers"):
        dataset.sheet_rows = [rows_by_line.get(line, line) for line in dataset.line_numbers]
        dataset.header_row = rows_by_line.get(dataset.header_line, dataset.header_line)
    return dataset


def _too_long(line: int, limit: int, *, row: int | None = None) -> LineProblem:
    return LineProblem(
        gettext(
            "%(where)s has a cell longer than %(limit)d characters (IMPORT_MAX_LINE_CHARS), "
            "or a quote that is never closed."
        )
        % {"where": line_said(line, row=row), "limit": limit},
        line=int(line),
    )


def _csv_problem(
    error: csv.Error, *, text: str, line: int, at: int, delimiter: str, row: int
) -> LineProblem:
    """What to tell someone whose CSV row starting at `line` csv refused (in strict mode) on
    line `at`; `row` is the row a spreadsheet shows that record on, said beside the line where
    they differ."""
    if str(error).startswith("field larger than field limit"):
        return _too_long(line, ImportLimits.current().line_chars, row=row)
    if str(error) == "unexpected end of data":
        opened = _unclosed_quote_line(text, line=line, delimiter=delimiter)
        return LineProblem(
            gettext(
                "%(where)s opens a quote that is never closed, so every line after it would "
                "be read into one cell. Close the quote (a quote inside a cell is written twice)."
            )
            % {"where": line_said(opened, row=row)},
            line=opened,
        )
    if "expected after" in str(error):
        return LineProblem(
            gettext(
                "%(where)s has text after the closing quote of a cell. Quote the whole cell "
                "and write each quote inside it twice."
            )
            % {"where": line_said(at, row=row)},
            line=at,
        )
    return LineProblem(
        gettext("%(where)s cannot be read as CSV: %(error)s")
        % {"where": line_said(at, row=row), "error": error},
        line=at,
    )


def _unclosed_quote_line(text: str, *, line: int, delimiter: str) -> int:
    """The line of the quote left open in the row that starts at `line` and runs to the end of
    `text`: read leniently, that row's last cell is everything after the quote."""
    rest = "".join(io.StringIO(text, newline="").readlines()[line - 1 :])
    row = next(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter))
    return line + _line_breaks(rest) - _line_breaks(row[-1])


def _line_breaks(text: str) -> int:
    """How many lines end in `text`, by LF, CR LF or a CR alone."""
    return len(re.findall(r"\r\n|\r|\n", text))
