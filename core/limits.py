"""Bounds on what an import reads, so a small upload cannot make a worker read or hold gigabytes
(a zip of 400 MB of spaces, a file of blank lines, one endless line, JSON nested past the parser's
stack). Each bound is a setting (README, "Configuration"); past one, `LimitExceeded` names it and
the importer reports it before anything is written.

- `check_archive` refuses a zip with too many members or members too large unpacked, from the
  sizes its directory declares (zipfile never returns more than the declared size of a member and
  checks its CRC, so a lying header cannot get more through), and a member that unpacks more
  times larger than it is packed than any file but a bomb does (a 300 kB workbook holding
  100 MB of styles took a worker 91 s and 1.7 GB to refuse);
- `check_file_size` does the same for a plain file;
- `bounded_lines` reads text line by line, refusing a line or a line count past the bounds,
  without ever holding more than one bounded line;
- `check_json_depth` walks a parsed document without recursion;
- `json_outline` keeps of a JSON text only its brackets and colons outside strings, in bytes
  operations: `json_outline_nests_deeper` measures a text a reader read whole from it, and
  `json_text_nests_deeper` a text a reader refused, up to where it stopped: whether it stopped
  for the depth, whatever words it gives.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import Any, TextIO

from django.conf import settings
from django.utils.translation import gettext as _

from core.i18n import join_list

MB = 1024 * 1024
# A member this small is never held to IMPORT_MAX_INFLATE_RATIO: a small part of blanks or of
# repeated markup packs hundreds of times smaller, and costs nothing to read.
INFLATE_GRACE = MB


class LimitExceeded(ValueError):
    """An import source is past one of the bounds; the message names the bound and its setting."""

    def __init__(self, message: str, *, where: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where


@dataclass(frozen=True)
class ImportLimits:
    member_mb: int
    unpacked_mb: int
    entries: int
    line_chars: int
    rows: int
    json_depth: int
    columns: int
    inflate_ratio: int
    spare_strings: int

    @classmethod
    def current(cls) -> ImportLimits:
        return cls(
            member_mb=int(getattr(settings, "IMPORT_MAX_FILE_MB", 256)),
            unpacked_mb=int(getattr(settings, "IMPORT_MAX_UNPACKED_MB", 1024)),
            entries=int(getattr(settings, "IMPORT_MAX_ENTRIES", 1000)),
            line_chars=int(getattr(settings, "IMPORT_MAX_LINE_CHARS", 1_000_000)),
            rows=int(getattr(settings, "IMPORT_MAX_ROWS", 2_000_000)),
            json_depth=int(getattr(settings, "IMPORT_MAX_JSON_DEPTH", 64)),
            columns=int(getattr(settings, "IMPORT_MAX_COLUMNS", 256)),
            inflate_ratio=int(getattr(settings, "IMPORT_MAX_INFLATE_RATIO", 100)),
            spare_strings=int(getattr(settings, "IMPORT_MAX_SPARE_STRINGS", 200_000)),
        )


def _too_large(name: str, size: int, limits: ImportLimits) -> LimitExceeded:
    return LimitExceeded(
        _(
            "%(name)s is %(size)s MB unpacked, more than the %(limit)s MB an imported file may "
            "be (IMPORT_MAX_FILE_MB)"
        )
        % {"name": name, "size": f"{size / MB:.1f}", "limit": limits.member_mb},
        where=name,
    )


def check_archive(archive: zipfile.ZipFile, *, limits: ImportLimits | None = None) -> None:
    """Refuse an archive past the entry count, a member's size or the total unpacked size."""
    limits = limits or ImportLimits.current()
    members = archive.infolist()
    if len(members) > limits.entries:
        raise LimitExceeded(
            _(
                "the archive has %(n)d entries, more than the %(limit)d an import reads "
                "(IMPORT_MAX_ENTRIES)"
            )
            % {"n": len(members), "limit": limits.entries}
        )
    total = 0
    for member in members:
        if member.file_size > limits.member_mb * MB:
            raise _too_large(member.filename, member.file_size, limits)
        total += member.file_size
    if total > limits.unpacked_mb * MB:
        raise LimitExceeded(
            _(
                "the archive unpacks to %(size)s MB, more than the %(limit)s MB an import reads "
                "(IMPORT_MAX_UNPACKED_MB)"
            )
            % {"size": f"{total / MB:.1f}", "limit": limits.unpacked_mb}
        )
    for member in members:
        if member.file_size > INFLATE_GRACE and member.file_size > limits.inflate_ratio * max(
            member.compress_size, 1
        ):
            raise LimitExceeded(
                _(
                    "%(name)s unpacks to %(size)s MB from %(packed)s kB, more than %(limit)d "
                    "times its packed size (IMPORT_MAX_INFLATE_RATIO)"
                )
                % {
                    "name": member.filename,
                    "size": f"{member.file_size / MB:.1f}",
                    "packed": f"{member.compress_size / 1024:.1f}",
                    "limit": limits.inflate_ratio,
                },
                where=member.filename,
            )


def check_file_size(name: str, size: int, *, limits: ImportLimits | None = None) -> None:
    limits = limits or ImportLimits.current()
    if size > limits.member_mb * MB:
        raise _too_large(name, size, limits)


class SheetLine(int):
    """The line of a file a CSV record starts on, knowing the `row` a spreadsheet shows it on
    (a record spanning lines is one row; a blank line an empty row), which at_line says beside
    it where they differ. What an importer's CSV reader numbers its records by."""

    row: int | None

    def __new__(cls, line: int, *, row: int | None = None) -> SheetLine:
        number = super().__new__(cls, line)
        number.row = row
        return number


def at_line(line: int, *, file: str = "", row: int | None = None) -> str:
    """Where an import's problem is, in the active language (the report's): a line of `file`
    ("skills_en.csv line 4"), or of the one file an import reads when `file` is blank. `row`,
    the row a spreadsheet shows the line's record on, is said beside the line where it differs
    ("line 72 (row 37 of the sheet)": a CSV whose quoted cells span lines), for whoever opens
    the file in a spreadsheet rather than a text editor; a SheetLine's own row by default."""
    if row is None:
        row = getattr(line, "row", None)
    line = int(line)
    if row is not None and row != line:
        if file:
            return _("%(file)s line %(line)d (row %(row)d of the sheet)") % {
                "file": file,
                "line": line,
                "row": row,
            }
        return _("line %(line)d (row %(row)d of the sheet)") % {"line": line, "row": row}
    if file:
        return _("%(file)s line %(line)d") % {"file": file, "line": line}
    return _("line %(line)d") % {"line": line}


def line_said(line: int, *, row: int | None = None) -> str:
    """A line of a file as a sentence about it starts ("Line 9 opens a quote..."), with the row
    a spreadsheet shows its record on beside it where they differ, as at_line says a place:
    "Line 9 (row 5 of the sheet)"; a SheetLine's own row by default. What a CSV's problems
    found while reading it (core.csv) start with."""
    if row is None:
        row = getattr(line, "row", None)
    line = int(line)
    if row is not None and row != line:
        return _("Line %(line)d (row %(row)d of the sheet)") % {"line": line, "row": row}
    return _("Line %(line)d") % {"line": line}


def row_and_line(row: int | None, line: int) -> str:
    """A problem's place as a table of problems headed "Row" shows it (the admin's import
    preview): the sheet's row, with the file's line beside it where they differ ("37 (line
    72)"), else the one number."""
    if row is None or row == line:
        return str(line)
    return _("%(row)d (line %(line)d)") % {"row": row, "line": line}


def line_ranges(lines: Iterable[int]) -> str:
    """Lines of a file as a person reads them in a message, in the active language's list:
    a run of three or more as its ends joined by an en dash ("2–4, 8, 10, 11"), which Chinese
    writes too."""  # noqa: RUF002
    runs: list[list[int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    items = (
        [f"{run[0]}\N{EN DASH}{run[-1]}"] if len(run) > 2 else [str(line) for line in run]
        for run in runs
    )
    return join_list(item for run in items for item in run)


def bounded_lines(
    stream: TextIO, *, name: str, limits: ImportLimits | None = None
) -> Iterator[str]:
    """The stream's lines (with their endings, as the csv module wants them), refusing one longer
    than IMPORT_MAX_LINE_CHARS or more lines than IMPORT_MAX_ROWS (blank ones count: a file of
    blank lines is read too)."""
    limits = limits or ImportLimits.current()
    count = 0
    while True:
        line = stream.readline(limits.line_chars + 1)
        if not line:
            return
        count += 1
        if len(line) > limits.line_chars and not line.endswith(("\n", "\r")):
            raise LimitExceeded(
                _("line %(line)d is longer than %(limit)d characters (IMPORT_MAX_LINE_CHARS)")
                % {"line": count, "limit": limits.line_chars},
                where=at_line(count, file=name),
            )
        if count > limits.rows:
            raise LimitExceeded(
                _("the file has more than %(limit)d lines (IMPORT_MAX_ROWS)")
                % {"limit": limits.rows},
                where=at_line(count, file=name),
            )
        yield line


def check_rows(name: str, rows: int, *, limits: ImportLimits | None = None) -> None:
    limits = limits or ImportLimits.current()
    if rows > limits.rows:
        raise LimitExceeded(
            _("the file has %(n)d rows, more than %(limit)d (IMPORT_MAX_ROWS)")
            % {"n": rows, "limit": limits.rows},
            where=name,
        )


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests lists or objects more than `limit` deep (iteratively: a deep
    document cannot exhaust the stack of the check itself)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


# Every byte but brackets, colons and quotes, which json_outline drops (a multibyte character's
# bytes are all past 0x7F: none is one of these).
_NOT_OUTLINE = bytes(sorted(set(range(256)) - set(b'[]{}:"')))
# A bracket as a step of the nesting, as a signed byte: one level in, one out.
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_BRACES_AS_BRACKETS = bytes.maketrans(b"{}", b"[]")


def json_outline(text: bytes | str) -> bytes:
    """The brackets and colons of the JSON `text` outside its strings, in order: its nesting and
    its objects' members, told apart from what its strings hold in bytes operations, never a
    loop over characters in Python (a 2.5 MB body of 830,000 empty arrays took seconds).

    A backslash pair is an escape only inside a string and a string holds nothing else that
    matters here, so dropping the escaped backslashes, then the escaped quotes, then everything
    but brackets, colons and quotes leaves the strings as pairs of quotes around what brackets
    and colons they held; between the pairs is the outline. A string left open runs to the end."""
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    if b"\\" in text:
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    # An empty pair of quotes is a string with nothing that matters here (or the end of one and
    # the start of the next, nothing between them): dropped, the pairs after it stay pairs.
    text = text.translate(None, _NOT_OUTLINE).replace(b'""', b"")
    if b'"' in text:
        text = b"".join(text.split(b'"')[::2])
    return text


def json_outline_nests_deeper(outline: bytes, limit: int) -> bool:
    """Whether the json_outline of a text a JSON reader read whole (its brackets balanced) opens
    arrays or objects more than `limit` deep: json_depth_exceeds of what the reader returned,
    without visiting its values in Python."""
    brackets = outline.translate(_BRACES_AS_BRACKETS, b":")
    # Dropping every innermost pair ("[]", a leaf of the document) takes one level off each
    # branch, in one bytes operation: repeated while it halves what is left (a body of many
    # small containers), the rest is summed step by step, in C too.
    while limit > 0 and brackets:
        shallower = brackets.replace(b"[]", b"")
        limit -= 1
        halved = 2 * len(shallower) <= len(brackets)
        brackets = shallower
        if not halved:
            break
    depths = accumulate(memoryview(brackets.translate(_DEPTH_STEPS)).cast("b"))
    return max(depths, default=0) > limit


def json_text_nests_deeper(text: str, limit: int) -> bool:
    """Whether the JSON `text` opens arrays or objects more than `limit` deep anywhere, read as
    far as it goes without parsing it: a text a reader refused (cut short, broken, or past the
    reader's own depth bound) is measured up to where the reader stopped. The readers say why
    only in words of their own, which change between versions: orjson calls a body nested past
    its 1,024 levels "depth limit exceeded", but 1,100 unclosed brackets "failed to allocate
    memory". A closing bracket past the ones opened closes nothing."""
    steps = memoryview(json_outline(text).translate(_DEPTH_STEPS, b":")).cast("b")
    sums = list(accumulate(steps))
    if min(sums, default=0) >= 0:
        return max(sums, default=0) > limit
    # A closing bracket closed nothing: the depth at each bracket is counted from the lowest
    # point before it (below the start), each sum and each lowest one summed in C too.
    lowest = islice(accumulate(sums, min, initial=0), 1, None)
    return max(map(int.__sub__, sums, lowest)) > limit


def json_nested_too_deep(*, name: str, limits: ImportLimits | None = None) -> LimitExceeded:
    """The refusal of a document `name` nested deeper than IMPORT_MAX_JSON_DEPTH, however it was
    found: parsed and walked, measured where the reader stopped, or past the reader's stack."""
    limits = limits or ImportLimits.current()
    return LimitExceeded(
        _("the JSON is nested more than %(limit)d levels deep (IMPORT_MAX_JSON_DEPTH)")
        % {"limit": limits.json_depth},
        where=name,
    )


def check_json_depth(data: Any, *, name: str, limits: ImportLimits | None = None) -> None:
    """Refuse a document nested deeper than IMPORT_MAX_JSON_DEPTH (arrays and objects)."""
    limits = limits or ImportLimits.current()
    if json_depth_exceeds(data, limits.json_depth):
        raise json_nested_too_deep(name=name, limits=limits)
