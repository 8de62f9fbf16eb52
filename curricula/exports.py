"""The programme workbook: one XLSX a curriculum committee can file or send on, built from the
same map and report the programme page shows, under the same filters.

Sheets: *Summary* (the programme, the filters, the figures and how current they are), *Map*
(abilities by area against the courses, each cell's level shaded as on the page), *Gaps* (every
requirement of every target with its status and contributing courses), *Areas* (figures per
competency area) and *Provenance* (every link of the map: level, note, where it came from, when it
last changed, where it came from before staff edited it). Every text is written as a string
(core.xlsx): nothing in it can run as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.downloads import content_disposition
from core.i18n import join_list, join_long_items
from core.models import Provenance
from core.xlsx import xlsx_bytes, xlsx_cell
from curricula.models import CourseAbility, Programme
from curricula.paper.source_refs import source_ref_label
from curricula.selectors.maps import CurriculumMap, MapView, filter_labels
from curricula.selectors.programmes import FILTERED_STATE, GapReport

# The page's heat scale (static/css/site.css --shade-*, half steps for a longer scale) and
# status colours.
SHADES = {
    "1": ("DCECF5", "1D3A4D"),
    "1h": ("B6D7E9", "1D3A4D"),
    "2": ("8FC1DC", "0F2B3D"),
    "2h": ("5D98BA", "0F2B3D"),
    "3": ("2B6F98", "FFFFFF"),
}
STATUS_FILLS = {"covered": "E3F2EA", "partial": "FBF1DC", "missing": "FBE9E9"}
HEADER_FILL = "F0F3F7"


def status_label(status: str) -> str:
    return {"covered": _("covered"), "partial": _("partial"), "missing": _("missing")}[status]


def programme_workbook_for(view: MapView) -> bytes:
    """The workbook of a map view (its map, its report, its filters)."""
    return programme_workbook(
        programme=view.programme,
        curriculum_map=view.map,
        report=view.report,
        filter_labels=filter_labels(view.map),
    )


def workbook_disposition(view: MapView) -> str:
    """The workbook download's Content-Disposition: named after the programme."""
    programme = view.programme
    return content_disposition(
        label=programme.display_name, suffix="-workbook.xlsx", fallback=f"programme-{programme.pk}"
    )


def programme_workbook(
    *,
    programme: Programme,
    curriculum_map: CurriculumMap,
    report: GapReport,
    filter_labels: list[tuple[str, str]],
) -> bytes:
    """The workbook as bytes. One query (the provenance sheet's links)."""
    book = Workbook(write_only=True)
    _summary(book, programme, curriculum_map, report, filter_labels)
    _map(book, curriculum_map)
    _gaps(book, report)
    _areas(book, report)
    _provenance(book, curriculum_map)
    return xlsx_bytes(book)


def _sheet(book: Workbook, title: str, widths: Iterable[float]):
    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _header(sheet, labels: Iterable[str]) -> list:
    return [xlsx_cell(sheet, label, bold=True, fill=HEADER_FILL, wrap=True) for label in labels]


def _summary(book, programme, curriculum_map, report, filter_labels) -> None:
    sheet = _sheet(book, _("Summary"), (34, 80))
    figures = report.figures
    rows: list[tuple[str, object]] = [
        (_("Programme"), programme.display_name),
        (
            _("Certification"),
            # The product may not record the certification (a licensing exam graduates sit):
            # "none" read as a claim that graduates obtain none.
            programme.certification.display_name if programme.certification else _("none recorded"),
        ),
        (_("Degree level"), programme.degree_level_label),
    ]
    if programme.track is not None:  # a programme of another field may have none
        rows.append((_("Track"), programme.track.display_name))
    rows += [
        (_("Prepares for"), join_list(target.display_name for target in curriculum_map.targets)),
    ]
    rows += filter_labels or [(_("Filters"), _("none: the whole programme"))]
    rows += [
        (_("Abilities shown"), curriculum_map.row_count),
        (_("Courses shown"), len(curriculum_map.columns)),
        (_("Essential abilities"), figures.get("essential")),
        (_("Covered"), figures.get("covered")),
        (_("Partial"), figures.get("partial")),
        (_("Missing"), figures.get("missing")),
        (_("Percent covered"), _rounded(figures.get("percent"))),
        (_("Weighted score, with partial credit"), _rounded(figures.get("score"))),
        (_("Report state"), report_state_label(report.state)),
        # A date cell in the current zone (as the Provenance sheet's), not the page's text. No
        # export time: the same map is the same file, whose ETag holds until the map changes.
        (_("Computed"), report.computed_at),
    ]
    for label, value in rows:
        sheet.append([xlsx_cell(sheet, label, bold=True), xlsx_cell(sheet, value, wrap=True)])


def report_state_label(state: str) -> str:
    """A report's state in the page's badge's words; a filtered view's report is computed for
    its filters, whatever the stored report's state."""
    return {
        "fresh": _("fresh"),
        "stale": _("stale"),
        "computing": _("computing"),
        FILTERED_STATE: _("computed for the filters shown"),
    }.get(state, state)


def importance_label(essential: bool) -> str:
    return _("essential") if essential else _("optional")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _map(book, curriculum_map: CurriculumMap) -> None:
    columns = curriculum_map.columns
    sheet = _sheet(book, _("Map"), [14, 60, 22, 30, 10, 10, 12] + [12] * len(columns))
    sheet.freeze_panes = "H3"
    fixed = [
        _("Code"),
        _("Ability"),
        _("Competency area"),
        _("Required by"),
        _("Required"),
        _("Reached"),
        _("Status"),
    ]
    sheet.append(_header(sheet, fixed) + _header(sheet, [column.code for column in columns]))
    sheet.append(
        _header(sheet, [""] * len(fixed))
        + _header(sheet, [column.listed_as or column.title for column in columns])
    )
    # Asked of the catalogue once for the sheet, not once per row.
    statuses = {status: status_label(status) for status in STATUS_FILLS}
    no_area = _("No competency area")
    for row in curriculum_map.rows:
        cells = [
            xlsx_cell(sheet, row.code),
            xlsx_cell(sheet, row.text, wrap=True),
            xlsx_cell(sheet, row.area.display_name if row.area else no_area),
            xlsx_cell(sheet, join_long_items(row.required_by), wrap=True),
            xlsx_cell(sheet, row.min_level.code, center=True),
            xlsx_cell(sheet, row.best.code if row.best else "", center=True),
            xlsx_cell(sheet, statuses[row.status], fill=STATUS_FILLS[row.status]),
        ]
        for cell in row.cells:
            if cell.level is None:
                # Most cells are empty: openpyxl skips a None as it skips an empty cell without
                # a style, the same file, without a cell made (and refused as a value) for each.
                cells.append(None)
            else:
                fill, color = SHADES[str(cell.level.shade)]
                cells.append(
                    xlsx_cell(
                        sheet, cell.level.code, fill=fill, color=color, bold=True, center=True
                    )
                )
        sheet.append(cells)


def _gaps(book, report: GapReport) -> None:
    sheet = _sheet(book, _("Gaps"), (30, 12, 60, 12, 12, 12, 12, 60))
    sheet.freeze_panes = "A2"
    sheet.append(
        _header(
            sheet,
            [
                _("Target position"),
                _("Code"),
                _("Ability"),
                _("Importance"),
                _("Required"),
                _("Reached"),
                _("Status"),
                _("Contributing courses"),
            ],
        )
    )
    # Asked of the catalogue once for the sheet, not once per row.
    statuses = {status: status_label(status) for status in STATUS_FILLS}
    importances = {essential: importance_label(essential) for essential in (True, False)}
    for position in report.positions:
        for status, requirements in (
            ("missing", position.missing),
            ("partial", position.partial),
            ("covered", position.covered),
        ):
            for requirement in requirements:
                sheet.append(
                    [
                        xlsx_cell(sheet, position.name),
                        xlsx_cell(sheet, requirement.code),
                        xlsx_cell(sheet, requirement.text, wrap=True),
                        xlsx_cell(sheet, importances[requirement.essential]),
                        xlsx_cell(sheet, requirement.min_level, center=True),
                        xlsx_cell(sheet, requirement.best_level or "", center=True),
                        xlsx_cell(sheet, statuses[status], fill=STATUS_FILLS[status]),
                        xlsx_cell(
                            sheet,
                            join_long_items(
                                _contribution(course) for course in requirement.courses
                            ),
                            wrap=True,
                        ),
                    ]
                )


def _contribution(course: dict) -> str:
    """A contributing course, and the crosswalk it went through when it did."""
    text = f"{course['code']} {course['title']} ({course['level']})"
    via = course.get("via")
    if via:
        text += f" → {via['framework']} {via['code'] or via['text']} ({via['relation']})"
    return text


def _areas(book, report: GapReport) -> None:
    sheet = _sheet(book, _("Areas"), (40, 12, 12, 12, 12, 12, 12, 12))
    labels = [
        _("Competency area"),
        _("Abilities"),
        _("Essential"),
        _("Covered"),
        _("Partial"),
        _("Missing"),
        _("Percent covered"),
        _("Weighted score"),
    ]
    sheet.append(_header(sheet, labels))
    blocks = [(area["name"] or _("No competency area"), area) for area in report.areas]
    if report.figures:
        blocks.append((_("Programme"), report.figures))
    for index, (name, figures) in enumerate(blocks):
        total = index == len(blocks) - 1 and bool(report.figures)
        sheet.append(
            [xlsx_cell(sheet, name, bold=total)]
            + [
                xlsx_cell(sheet, figures.get(key), bold=total)
                for key in ("total", "essential", "covered", "partial", "missing")
            ]
            + [
                xlsx_cell(sheet, _rounded(figures.get(key)), bold=total)
                for key in ("percent", "score")
            ]
        )


def _provenance(book, curriculum_map: CurriculumMap) -> None:
    sheet = _sheet(book, _("Provenance"), (14, 40, 14, 60, 10, 40, 26, 30, 20, 30))
    sheet.freeze_panes = "A2"
    sheet.append(
        _header(
            sheet,
            [
                _("Course"),
                _("Course title"),
                _("Ability code"),
                _("Ability"),
                _("Level"),
                _("Note"),
                _("Provenance"),
                _("Source reference"),
                _("Last changed"),
                _("Before the staff edit"),
            ],
        )
    )
    order = {column.course_id: index for index, column in enumerate(curriculum_map.columns)}
    rows = {row.ability_id: index for index, row in enumerate(curriculum_map.rows)}
    links = [
        link
        for link in CourseAbility.objects.filter(
            course_id__in=list(order), ability_id__in=list(rows)
        ).select_related("course", "ability", "level")
        if link.course_id in order and link.ability_id in rows
    ]
    links.sort(key=lambda link: (rows[link.ability_id], order[link.course_id]))
    before = _before_staff_edit(links)
    # Each provenance's label and each source reference's wording, asked of the catalogue once
    # for the sheet: a map's links share a few of each.
    provenances: dict[str, str] = {}
    sources: dict[str, str] = {}
    for link in links:
        if link.provenance not in provenances:
            provenances[link.provenance] = link.get_provenance_display()
        if link.source_ref not in sources:
            sources[link.source_ref] = source_ref_label(link.source_ref)
        sheet.append(
            [
                xlsx_cell(sheet, link.course.code),
                xlsx_cell(sheet, link.course.display_title),
                xlsx_cell(sheet, link.ability.code),
                xlsx_cell(sheet, link.ability.display_text, wrap=True),
                xlsx_cell(sheet, link.level.code, center=True),
                xlsx_cell(sheet, link.display_note, wrap=True),
                xlsx_cell(sheet, provenances[link.provenance]),
                xlsx_cell(sheet, sources[link.source_ref]),
                xlsx_cell(sheet, link.updated_at),
                xlsx_cell(sheet, before.get(link.pk)),
            ]
        )


def _before_staff_edit(links: list[CourseAbility]) -> dict[int, str]:
    """Per link staff have edited since it came from elsewhere (an accepted suggestion pasted
    to another level on the map), where it came from and at what level, from its history: its
    note stays ("Accepted suggestion (matched: …)"), and beside "Edited by staff" and today's
    level it read as though the suggestion had proposed that level. One query."""
    edited = [link.pk for link in links if link.provenance == Provenance.EDIT]
    if not edited:
        return {}
    before: dict[int, str] = {}
    records = (
        CourseAbility.history.filter(id__in=edited)
        .exclude(provenance=Provenance.EDIT)
        .order_by("history_date", "history_id")
        .values_list("id", "provenance", "level__code")
    )
    for link_id, provenance, level_code in records:  # the last before the edit wins
        before[link_id] = _("%(provenance)s, at %(level)s") % {
            "provenance": Provenance(provenance).label,
            "level": level_code,
        }
    return before
