"""A programme's curriculum map read from a matrix file: what importing it would write.

A university's map is a spreadsheet: courses as rows and abilities as columns (as *Map as CSV*
writes it), or the transpose (abilities as rows, courses as columns, as the workbook's *Map* sheet
and many a Chinese 课程支撑矩阵 are), a level in each cell. Read by the project's readers
(core.spreadsheets: CSV in the encodings every import takes, or XLSX, the formula apostrophe
taken off), its cells are read as the map's paste reads them (maps.level_from_text) and checked
by the same plan (maps.map_change_plan), so that saving it is one change set of the map's
(services.programme_map_change) with its permissions, its refusal of cells changed since the
preview, one recompute and Undo.

Headers: abilities are matched by code (or by the "CODE statement" the CSV writes, or by their
statement when they have no code) among the abilities the programme's targets require, courses
by code among the programme's courses. Which axis holds which is found from where the codes
match; a file whose codes match both ways is refused, saying so. Rows above the first coded row
(the CSV's "minimum level required", the workbook's course titles) are headers, and columns left
of the first coded column (titles, area, required, reached, status) are labels: both are read
past.

Blank cells: left as they are, unless `blank_clears` (a whole-map file whose blank means "not
taught"); a dash, dot or 0 clears a cell either way, as pasted. A file covering some courses
and abilities leaves the others as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from openpyxl.utils import get_column_letter

from core.csv import HEADER_SEARCH_ROWS, blank
from core.i18n import join_list, join_sentences, localized
from core.limits import line_said
from core.models import normalized_code
from core.number_codes import NumberReadings, with_number_hint
from core.spreadsheets import shown
from core.xlsx import UNCALCULATED
from curricula.models import Ability, Course, CourseAbility, Programme, ProgrammeCourse
from curricula.selectors.maps import (
    CellInput,
    MapChangePlan,
    level_from_text,
    map_change_plan,
)
from curricula.services import catalogue_dataset
from positions.selectors import level_scale

COURSES_AS_ROWS = "courses_as_rows"
ABILITIES_AS_ROWS = "abilities_as_rows"
# Problems listed (the rest counted): a report of a file gone wrong everywhere stays readable.
PROBLEMS_LISTED = 200
# How many columns from the left may hold the rows' codes.
KEY_COLUMNS_SEARCHED = 10
# A code is never longer (Course.code's max_length; ability codes are as short).
CODE_MAX_CHARS = 64


def map_import_too_large(limit: int) -> ValidationError:
    """The refusal on `file` of a file of more lines than a request reads (API_IMPORT_INLINE_ROWS):
    a map imports within the request, at every door (no background job takes it)."""
    return ValidationError(
        {
            "file": _(
                "The file has more than %(limit)d lines (API_IMPORT_INLINE_ROWS): a map is "
                "smaller than that. Leave out what is not the map."
            )
            % {"limit": limit}
        }
    )


def workbook_level_labels() -> set[str]:
    """The headers of the workbook's label columns that hold levels (Required, Reached), in
    every language the site speaks, casefolded."""
    labels = set()
    for language, _name in settings.LANGUAGES:
        with override(language):
            labels |= {_("Required").casefold(), _("Reached").casefold()}
    return labels


def map_sheet_titles() -> set[str]:
    """What the programme workbook titles its map sheet, in every language the site speaks."""
    titles = set()
    for language, _name in settings.LANGUAGES:
        with override(language):
            titles.add(_("Map"))
    return titles


@dataclass
class MapImportProblem:
    line: int
    column: int | None  # 1-based; None for a problem with a whole line
    message: str
    row: int | None = None  # the sheet's row, where a CSV's line is another

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.column) if self.column else ""

    @property
    def place(self) -> str:
        where = line_said(self.line, row=self.row)
        if self.column is None:
            return where
        return _("%(line)s, column %(letter)s (%(column)d)") % {
            "line": where,
            "letter": self.column_letter,
            "column": self.column,
        }

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"line": self.line}
        if self.row is not None and self.row != self.line:
            data["row"] = self.row
        if self.column is not None:
            data["column"] = self.column
        data["errors"] = {"__all__": [self.message]}
        return data


@dataclass
class MapImport:
    """What importing a matrix file would do: its plan (maps.MapChangePlan, cell by cell), the
    cells to send for saving (each with the level it holds now as its base, so that a change
    since is refused), and every problem with its line and column. Nothing is written."""

    orientation: str = ""
    problems: list[MapImportProblem] = field(default_factory=list)
    problems_total: int = 0
    plan: MapChangePlan | None = None
    cells: list[CellInput] = field(default_factory=list)
    blank_clears: bool = False
    blank_left: int = 0  # blank cells left as they are
    unchanged: int = 0  # cells the file gives as they are
    header_lines: list[int] = field(default_factory=list)
    # Columns right of the first coded one that name nothing of the map and hold no level
    # (credits, notes): "F Credits".
    columns_read_past: list[str] = field(default_factory=list)
    # Lines below the first coded one whose code names nothing of the map and which hold no level
    # (a Total or 合计 row of counts).
    lines_read_past: list[int] = field(default_factory=list)
    # Label columns (left of the first coded one) that hold levels: "C GA1.X", a misspelt first
    # code whose column would otherwise be lost without a word.
    label_columns_with_levels: list[str] = field(default_factory=list)
    courses: int = 0
    abilities: int = 0
    # Set by services.programme_map_import once written.
    change_set: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.plan is not None and not self.plan.errors

    @property
    def changed_cells(self) -> list[CellInput]:
        """The cells that would change, less those withheld: what saving sends."""
        if self.plan is None:
            return []
        wanted = {(cell.course_id, cell.ability_id) for cell in self.plan.changes}
        return [cell for cell in self.cells if (cell.course_id, cell.ability_id) in wanted]

    def count(self, kind: str) -> int:
        return self.plan.count(kind) if self.plan is not None else 0

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def changed(self) -> int:
        return self.count("change")

    @property
    def cleared(self) -> int:
        return self.count("clear")

    def as_dict(self) -> dict:
        """The API's report: as the other imports' (`ok`, `errors` by line), with the cells."""
        change_set = self.change_set
        plan_errors = self.plan.errors if self.plan is not None else []
        return {
            "ok": self.ok,
            "orientation": self.orientation,
            "courses": self.courses,
            "abilities": self.abilities,
            "created": self.created,
            "changed": self.changed,
            "cleared": self.cleared,
            "unchanged": self.unchanged,
            "blank_clears": self.blank_clears,
            "blank_left": self.blank_left,
            "header_lines": self.header_lines,
            "columns_read_past": self.columns_read_past,
            "lines_read_past": self.lines_read_past,
            "label_columns_with_levels": self.label_columns_with_levels,
            "errors": [problem.as_dict() for problem in self.problems]
            + [{"errors": {"__all__": [error]}} for error in plan_errors],
            "errors_total": self.problems_total + len(plan_errors),
            "token": change_set.token if change_set is not None else "",
        }

    def problem_messages(self) -> list[str]:
        messages = [f"{problem.place}: {problem.message}" for problem in self.problems]
        if self.plan is not None:
            messages += self.plan.errors
        left = self.problems_total - len(self.problems)
        if left > 0:
            messages.append(
                ngettext("… and %(n)d more problem", "… and %(n)d more problems", left)
                % {"n": left}
            )
        return messages

    def add(self, problem: MapImportProblem) -> None:
        self.problems_total += 1
        if len(self.problems) < PROBLEMS_LISTED:
            self.problems.append(problem)


def _key(text: str) -> str:
    return " ".join(normalized_code(text).split()).casefold()


def _candidates(text: str) -> list[str]:
    """The keys a header cell may name a record by: all of it, else its first word (the
    "CODE statement" the CSV writes)."""
    whole = _key(text)
    first = whole.split(" ", 1)[0]
    return [whole] if first == whole else [whole, first]


@dataclass
class _Axis:
    """The records one axis of the file may name (the programme's courses, or the abilities its
    targets require) by key, and those of the catalogue outside the programme's map."""

    inside: dict[str, list[int]]
    codes: dict[int, str]
    outside: set[str]
    kind: str  # "course" or "ability"
    names: dict[int, str] = field(default_factory=dict)  # code and statement, to tell apart
    uncoded: set[int] = field(default_factory=set)  # abilities named by their statement alone

    def __post_init__(self) -> None:
        # What an unknown code read as a number by a spreadsheet may have been (7 for 007).
        self.readings = NumberReadings(lambda: self.codes.values(), key=_key)

    def match(self, text: str) -> tuple[str, list[int]]:
        """("ok", [id]), ("several", ids), ("outside", []) or ("unknown", [])."""
        for key in _candidates(text):
            found = self.inside.get(key)
            if found:
                return ("ok" if len(found) == 1 else "several"), found
        if any(key in self.outside for key in _candidates(text)):
            return "outside", []
        return "unknown", []

    def known(self, text: str) -> bool:
        return self.match(text)[0] != "unknown"

    def problem(self, text: str, status: str, ids: list[int]) -> str:
        code = shown(str(text).strip())
        if self.kind == "course":
            if status == "outside":
                return _(
                    "Course %(code)s is not one of the programme's courses: add it to the "
                    "programme first (the import changes only the map's cells)."
                ) % {"code": code}
            return self._unknown(_("No course has the code “%(code)s”.") % {"code": code}, text)
        if status == "several":
            return _(
                "“%(code)s” names %(count)d abilities the programme's targets require "
                "(%(names)s): head it with the code and the statement, as Map as CSV does."
            ) % {"code": code, "count": len(ids), "names": join_list(self.names[i] for i in ids)}
        if status == "outside":
            return _(
                "Ability %(code)s is not required by any of the programme's target positions, "
                "so it is not a row of the map."
            ) % {"code": code}
        return self._unknown(_("No ability has the code “%(code)s”.") % {"code": code}, text)

    def _unknown(self, message: str, text: str) -> str:
        return with_number_hint(message, self.readings.hint(_text(text)))


def _codes_outside(records: QuerySet, texts: set[str], inside: Mapping[str, Any]) -> set[str]:
    """The keys among `texts` that name one of `records` by code outside the map (`inside`): a
    course not the programme's, an ability its targets do not require."""
    wanted = {key for text in texts for key in _candidates(text)} - set(inside)
    return set(
        records.annotate(key=Lower("code"))
        .filter(key__in=[w for w in wanted if len(w) <= CODE_MAX_CHARS])
        .values_list("key", flat=True)
    )


def _course_axis(programme: Programme, texts: set[str]) -> _Axis:
    inside: dict[str, list[int]] = defaultdict(list)
    codes = {}
    for course_id, code in ProgrammeCourse.objects.filter(programme=programme).values_list(
        "course_id", "course__code"
    ):
        inside[_key(code)].append(course_id)
        codes[course_id] = code
    outside = _codes_outside(Course.objects.all(), texts, inside)
    return _Axis(inside=dict(inside), codes=codes, outside=outside, kind="course")


def _ability_axis(programme: Programme, texts: set[str]) -> _Axis:
    inside: dict[str, list[int]] = defaultdict(list)
    codes = {}
    names = {}
    uncoded = set()
    for pk, code, text, text_zh in (
        Ability.objects.filter(requirements__position__programme_targets__programme=programme)
        .distinct()
        .values_list("pk", "code", "text", "text_zh")
    ):
        codes[pk] = code or text[:40]
        names[pk] = f"{code} {localized(text, text_zh)}".strip()[:60]
        if code:
            inside[_key(code)].append(pk)
            # The CSV's header "CODE statement", whole.
            inside.setdefault(_key(f"{code} {text}"), [pk])
            if text_zh:
                inside.setdefault(_key(f"{code} {text_zh}"), [pk])
        else:
            # An ability without a code is headed by its statement.
            uncoded.add(pk)
            for statement in {text, text_zh} - {""}:
                if pk not in inside[_key(statement)]:
                    inside[_key(statement)].append(pk)
    outside = _codes_outside(Ability.objects.exclude(code=""), texts, inside)
    return _Axis(
        inside=dict(inside),
        codes=codes,
        outside=outside,
        kind="ability",
        names=names,
        uncoded=uncoded,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class _Layout:
    orientation: str
    header: int  # index into the rows
    key_column: int
    header_hits: int
    key_hits: int


def _layout(rows: list[tuple[int, int | None, list]], across: _Axis, down: _Axis, orientation):
    """Where the header row and the rows' code column are for one orientation: the header row
    (among the first rows) naming the most of `across`, the column (among the first columns)
    naming the most of `down` below it."""
    best: _Layout | None = None
    for index, (_line, _row, cells) in enumerate(rows[: HEADER_SEARCH_ROWS + 1]):
        hits = sum(1 for cell in cells if not blank(cell) and across.known(_text(cell)))
        if hits and (best is None or hits > best.header_hits):
            best = _Layout(orientation, index, -1, hits, 0)
    if best is None:
        return None
    header_cells = rows[best.header][2]
    for column in range(min(KEY_COLUMNS_SEARCHED, len(header_cells))):
        if not blank(header_cells[column]) and across.known(_text(header_cells[column])):
            continue
        hits = sum(
            1
            for _line, _row, cells in rows[best.header + 1 :]
            if column < len(cells) and not blank(cells[column]) and down.known(_text(cells[column]))
        )
        if hits > best.key_hits:
            best.key_column, best.key_hits = column, hits
    return best if best.key_hits else None


def _names_the_map(
    rows: list[tuple[int, int | None, list]], layout: _Layout, across: _Axis, down: _Axis
) -> bool:
    """Whether the layout's header row names one of the map's own records (not only codes of
    the catalogue outside it), and its code column one below it."""

    def own(axis: _Axis, cell: Any) -> bool:
        return not blank(cell) and axis.match(_text(cell))[0] in ("ok", "several")

    header = rows[layout.header][2]
    return any(own(across, cell) for cell in header) and any(
        layout.key_column < len(cells) and own(down, cells[layout.key_column])
        for _line, _row, cells in rows[layout.header + 1 :]
    )


def map_import_plan(
    *,
    programme: Programme,
    content: bytes,
    file_name: str,
    blank_clears: bool = False,
    withhold_clears: bool = False,
    withhold_creations: bool = False,
) -> MapImport:
    """Read a matrix file (CSV or XLSX) against the programme's map as it is now: what saving it
    would add, change and clear, cell by cell, and every problem with its line and column
    (unknown codes, a code naming several abilities, a course not the programme's, a level not on
    the scale, a row or column given twice). Writes nothing. `withhold_clears` and
    `withhold_creations` leave out, as the paste's preview does, the cells an editor may not
    clear or fill (maps.map_change_plan). Raises ValidationError on `file` for a file that
    cannot be read (core.spreadsheets)."""
    dataset = catalogue_dataset(content, file_name, sheet_titles=map_sheet_titles())
    result = MapImport(blank_clears=blank_clears)
    if not dataset.headers:
        result.add(MapImportProblem(1, None, _("The file is empty.")))
        return result
    header_line = getattr(dataset, "header_line", 1)
    rows: list[tuple[int, int | None, list]] = [
        (header_line, getattr(dataset, "header_row", None), list(dataset.headers))
    ]
    sheet_rows = getattr(dataset, "sheet_rows", None) or [None] * len(dataset)
    for line, row, cells in zip(dataset.line_numbers, sheet_rows, dataset, strict=False):
        rows.append((line, row, list(cells)))
    # The texts that may be codes: the first rows whole, the first columns down.
    texts = {
        _text(cell)
        for _line, _row, cells in rows[: HEADER_SEARCH_ROWS + 1]
        for cell in cells
        if not blank(cell)
    } | {
        _text(cell)
        for _line, _row, cells in rows
        for cell in cells[:KEY_COLUMNS_SEARCHED]
        if not blank(cell)
    }
    courses = _course_axis(programme, texts)
    abilities = _ability_axis(programme, texts)
    layouts = [
        layout
        for layout in (
            _layout(rows, abilities, courses, COURSES_AS_ROWS),
            _layout(rows, courses, abilities, ABILITIES_AS_ROWS),
        )
        if layout is not None
    ]
    if not layouts:
        message = _(
            "No header row names the programme's courses or abilities by code with the "
            "other in a column beside it: give a row of ability codes over a column of "
            "course codes (or course codes over ability codes)."
        )
        # A workbook saved with another sheet open than the map's (a sheet of notes first):
        # say which sheet was read, and which others there are (core.xlsx.xlsx_dataset).
        others = getattr(dataset, "other_sheets", None)
        if others:
            sheet_read = _(
                "The codes were looked for on the sheet “%(sheet)s”, the one open when the "
                "workbook was saved; it also has %(others)s. Open the sheet holding the map (or "
                "title it Map), save the workbook and upload it again."
            ) % {
                "sheet": shown(dataset.sheet_title),
                "others": join_list(f"“{shown(title)}”" for title in others),
            }
            message = join_sentences([message, sheet_read])
        result.add(MapImportProblem(header_line, None, message))
        return result
    if len(layouts) == 2:
        # A level cell (M, R, I) is also the code of an ability elsewhere in the catalogue (a
        # CASE item coded M): a second reading resting on such codes alone, naming none of the
        # map's own records on one of its axes, is no reading of this map.
        own = [
            layout
            for layout, (across, down) in zip(
                layouts, ((abilities, courses), (courses, abilities)), strict=True
            )
            if _names_the_map(rows, layout, across, down)
        ]
        if len(own) == 1:
            layouts = own
    if len(layouts) == 2:
        result.add(
            MapImportProblem(
                header_line,
                None,
                _(
                    "The file can be read both ways: its header row (line %(courses_line)d) "
                    "names courses with abilities down a column, and line %(abilities_line)d "
                    "names abilities with courses down a column. Keep one header row of codes."
                )
                % {
                    "courses_line": rows[layouts[1].header][0],
                    "abilities_line": rows[layouts[0].header][0],
                },
            )
        )
        return result
    layout = layouts[0]
    result.orientation = layout.orientation
    across, down = (
        (abilities, courses) if layout.orientation == COURSES_AS_ROWS else (courses, abilities)
    )
    _read_cells(result, rows, layout, across, down, programme, withhold_clears, withhold_creations)
    return result


def _read_cells(
    result: MapImport,
    rows: list[tuple[int, int | None, list]],
    layout: _Layout,
    across: _Axis,
    down: _Axis,
    programme: Programme,
    withhold_clears: bool,
    withhold_creations: bool,
) -> None:
    header_line, header_row, header_cells = rows[layout.header]
    data = rows[layout.header + 1 :]
    result.header_lines = [line for line, _row, _cells in rows[: layout.header + 1]]
    # The columns: those right of the first coded one are the matrix's, each naming one record.
    first = next(
        column
        for column, cell in enumerate(header_cells)
        if column != layout.key_column and not blank(cell) and across.known(_text(cell))
    )
    columns: dict[int, int] = {}
    seen_columns: dict[int, int] = {}
    levels = level_scale()

    def holds_levels(column: int) -> bool:
        # A column of levels under no known code is a mistake to point out; any other (credits,
        # notes, a total) is not the map's, and is read past.
        for _l, _r, cells in data:
            if column < len(cells) and not blank(cells[column]):
                understood, level = level_from_text(_text(cells[column]), levels)
                if understood and level is not None:
                    return True
        return False

    own_labels = workbook_level_labels()
    for column in range(first):
        cell = header_cells[column]
        if (
            column != layout.key_column
            and not blank(cell)
            and _text(cell).strip().casefold() not in own_labels
            and holds_levels(column)
        ):
            result.label_columns_with_levels.append(
                f"{get_column_letter(column + 1)} {shown(_text(cell))}"
            )
    for column in range(first, len(header_cells)):
        if column == layout.key_column:
            continue
        cell = header_cells[column]
        if blank(cell):
            if holds_levels(column):
                result.add(
                    MapImportProblem(
                        header_line,
                        column + 1,
                        _("This column holds levels under no code."),
                        header_row,
                    )
                )
            continue
        status, ids = across.match(_text(cell))
        if status == "unknown" and not holds_levels(column):
            result.columns_read_past.append(f"{get_column_letter(column + 1)} {shown(_text(cell))}")
            continue
        if status != "ok":
            result.add(
                MapImportProblem(
                    header_line, column + 1, across.problem(cell, status, ids), header_row
                )
            )
            continue
        if ids[0] in seen_columns:
            result.add(
                MapImportProblem(
                    header_line,
                    column + 1,
                    # Two codes a spreadsheet made one number (1.1 and 1.10 both 1.1): the
                    # only trace of it a file always holds, so it is said here too.
                    with_number_hint(
                        _("%(code)s is also column %(other)s.")
                        % {
                            "code": across.codes[ids[0]],
                            "other": get_column_letter(seen_columns[ids[0]] + 1),
                        },
                        across.readings.hint(_text(cell)),
                    ),
                    header_row,
                )
            )
            continue
        seen_columns[ids[0]] = column
        columns[column] = ids[0]
    # The rows: those above the first coded one are headers.
    seen_rows: dict[int, int] = {}
    coded = False
    codes = join_list(level.code for level in levels)
    wanted: list[tuple[int, int, str]] = []  # (course, ability, level code or "")

    def uncoded_statement(cells: list) -> Any:
        # The workbook's Map sheet leaves the Code cell of an ability without a code blank and
        # names it by its statement in a label column beside it.
        for column in range(min(first, len(cells))):
            if column == layout.key_column or blank(cells[column]):
                continue
            status, ids = down.match(_text(cells[column]))
            if status == "ok" and ids[0] in down.uncoded:
                return cells[column]
        return None

    for line, row, cells in data:
        key = cells[layout.key_column] if layout.key_column < len(cells) else None
        if blank(key):
            key = uncoded_statement(cells)
        if blank(key):
            if not coded:
                result.header_lines.append(line)
            elif any(column < len(cells) and not blank(cells[column]) for column in columns):
                result.add(
                    MapImportProblem(
                        line,
                        layout.key_column + 1,
                        _("This row holds levels under no code."),
                        row,
                    )
                )
            continue
        coded = True
        status, ids = down.match(_text(key))
        if status == "unknown" and not any(
            level_from_text(_text(cells[column]), levels)[1] is not None
            for column in columns
            if column < len(cells) and not blank(cells[column])
        ):
            result.lines_read_past.append(line)
            continue
        if status != "ok":
            result.add(
                MapImportProblem(line, layout.key_column + 1, down.problem(key, status, ids), row)
            )
            continue
        if ids[0] in seen_rows:
            result.add(
                MapImportProblem(
                    line,
                    layout.key_column + 1,
                    with_number_hint(
                        _("%(code)s is also on line %(other)d.")
                        % {"code": down.codes[ids[0]], "other": seen_rows[ids[0]]},
                        down.readings.hint(_text(key)),
                    ),
                    row,
                )
            )
            continue
        seen_rows[ids[0]] = line
        for column, across_id in columns.items():
            value = cells[column] if column < len(cells) else None
            if value is UNCALCULATED:
                result.add(
                    MapImportProblem(
                        line,
                        column + 1,
                        _(
                            "This cell holds a formula saved without its value (a program wrote "
                            "the file): open and save it in a spreadsheet, or give the value."
                        ),
                        row,
                    )
                )
                continue
            if blank(value):
                if not result.blank_clears:
                    result.blank_left += 1
                    continue
                value = ""
            understood, level = level_from_text(_text(value), levels)
            if not understood:
                result.add(
                    MapImportProblem(
                        line,
                        column + 1,
                        _("“%(value)s” is not a level; use %(codes)s, or leave it empty.")
                        % {"value": shown(_text(value).strip()), "codes": codes},
                        row,
                    )
                )
                continue
            pair = (
                (ids[0], across_id)
                if layout.orientation == COURSES_AS_ROWS
                else (across_id, ids[0])
            )
            wanted.append((*pair, level.code if level else ""))
    result.courses = len(seen_rows if layout.orientation == COURSES_AS_ROWS else columns)
    result.abilities = len(columns if layout.orientation == COURSES_AS_ROWS else seen_rows)
    if result.problems_total:
        return
    # Each cell with the level it holds now: saving refuses one changed since this preview.
    by_level = {level.pk: level.code for level in levels}
    now = {
        (course_id, ability_id): by_level[level_id]
        for course_id, ability_id, level_id in CourseAbility.objects.filter(
            course_id__in={c for c, _a, _v in wanted}, ability_id__in={a for _c, a, _v in wanted}
        ).values_list("course_id", "ability_id", "level_id")
    }
    cells = [
        CellInput(course_id, ability_id, code, now.get((course_id, ability_id), ""))
        for course_id, ability_id, code in wanted
    ]
    # Only the cells that would change are planned (and sent to be saved): a whole map's file
    # holds more cells than a change set may (CHANGE_SET_MAX_CELLS), most of them as they are.
    result.cells = [cell for cell in cells if cell.code != cell.base]
    result.unchanged = len(cells) - len(result.cells)
    result.plan = map_change_plan(
        programme=programme,
        cells=result.cells,
        withhold_clears=withhold_clears,
        withhold_creations=withhold_creations,
    )
