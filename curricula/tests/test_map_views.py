"""The designer's map: every filter narrows the map and every figure, the chart and every download
follow it (the URL holds the filters); a wide map is paged; each cell and row drills down to its
links' level, note, provenance and last change; the printable report and the workbook hold the
whole filtered view; edits are change sets that can be previewed, saved and undone."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.models import TrainingStage
from curricula.coverage.services import coverage_recompute
from curricula.models import CourseAbility, Module
from curricula.selectors.maps import (
    MAP_PAGE_COLUMNS,
    MapFilters,
    curriculum_map,
    map_gap_report,
)
from curricula.selectors.programmes import gap_report
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(django_capture_on_commit_callbacks):
    """Two targets, two areas, two modules, two stages; five required abilities:
    D1 partial (R of M), D2 covered, D3 missing, M1 covered (M; optional for the analyst,
    essential at R for the marketer), M2 partial (I of M)."""
    with django_capture_on_commit_callbacks(execute=True):
        data_area = CompetencyAreaFactory(code="DA", name="Data analysis", order=0)
        marketing = CompetencyAreaFactory(code="MK", name="Marketing", order=1)
        analyst = PositionFactory(name="Analyst", order=0)
        marketer = PositionFactory(name="Marketer", order=1)
        abilities = {
            "D1": AbilityFactory(code="D1", text="analyse sales data", area=data_area),
            "D2": AbilityFactory(code="D2", text="build dashboards", area=data_area),
            "D3": AbilityFactory(code="D3", text="forecast demand", area=data_area),
            "M1": AbilityFactory(code="M1", text="plan campaigns", area=marketing),
            "M2": AbilityFactory(code="M2", text="write copy", area=marketing),
        }
        for code in ("D1", "D2", "D3"):
            RequirementFactory(position=analyst, ability=abilities[code], min_level=level("M"))
        RequirementFactory(
            position=analyst, ability=abilities["M1"], min_level=level("M"), importance="optional"
        )
        RequirementFactory(position=marketer, ability=abilities["M1"], min_level=level("R"))
        RequirementFactory(position=marketer, ability=abilities["M2"], min_level=level("M"))
        data_module = Module.objects.create(code="DM", name="Data module", order=0)
        marketing_module = Module.objects.create(code="MM", name="Marketing module", order=1)
        theory = TrainingStage.objects.create(code="T", name="Theory", order=1)
        practice = TrainingStage.objects.create(code="P", name="Practice", order=2)
        courses = {
            "DAT1": CourseFactory(code="DAT1", title="Data one", module=data_module, stage=theory),
            "DAT2": CourseFactory(
                code="DAT2", title="Data two", module=data_module, stage=practice
            ),
            "MKT1": CourseFactory(
                code="MKT1", title="Marketing one", module=marketing_module, stage=theory
            ),
        }
        for course, ability, code in (
            ("DAT1", "D1", "R"),
            ("DAT2", "D2", "M"),
            ("MKT1", "M1", "M"),
            ("MKT1", "M2", "I"),
        ):
            CourseAbilityFactory(
                course=courses[course],
                ability=abilities[ability],
                level=level(code),
                note=f"note {course} {ability}",
                provenance="starter",
            )
        programme = ProgrammeFactory(
            name="Workspace", courses=list(courses.values()), targets=[analyst, marketer]
        )
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return {
        "programme": programme,
        "abilities": abilities,
        "courses": courses,
        "analyst": analyst,
        "marketer": marketer,
        "data_area": data_area,
        "marketing": marketing,
        "data_module": data_module,
        "theory": theory,
    }


def _rows(html: str) -> list[str]:
    """The ability codes of the map's rows, in order."""
    table = html.split('id="curriculum-map"')[1].split("</table>")[0]
    return re.findall(r'<tr id="row-\d+"[^>]*>\s*<th[^>]*><a[^>]*><span class="code">(\w+)', table)


def _big_number(html: str) -> str:
    return re.search(r'<p class="big-number">([^<]*)', html)[1].strip()


def _bars(svg: str) -> list[tuple[str, str, str]]:
    """The chart's bars: (area label, percent, "(covered/essential)")."""
    return re.findall(
        r'<text class="t" x="0" y="\d+">([^<]*)</text>.*?'
        r'<text class="s"[^>]*>([^<]*)<tspan[^>]*>([^<]*)',
        svg,
        flags=re.S,
    )


def _filters_cases(ws):
    return {
        "status": ({"status": "missing"}, ["D3"], "0"),
        "area": ({"area": ws["marketing"].pk}, ["M1", "M2"], "50"),
        "search": ({"q": "DASHBOARDS"}, ["D2"], "100"),
        "position": ({"position": ws["marketer"].pk}, ["M1", "M2"], "50"),
        "module": ({"module": ws["data_module"].pk}, ["D1", "D2", "D3", "M1", "M2"], "20"),
        "stage": ({"stage": ws["theory"].pk}, ["D1", "D2", "D3", "M1", "M2"], "20"),
    }


def test_the_whole_map_and_its_figures_without_filters(client, workspace):
    html = client.get(workspace["programme"].get_absolute_url()).content.decode()
    assert _rows(html) == ["D1", "D2", "D3", "M1", "M2"]
    assert _big_number(html) == "40"  # D2 and M1 of five essential abilities
    assert "Analyst; Marketer" in html  # M1's "required by"
    assert [(label, percent.strip()) for label, percent, _ in _bars(html)] == [
        ("Data analysis", "33%"),
        ("Marketing", "50%"),
    ]


def test_the_chart_follows_the_filters(client, workspace):
    """Regression: the chart and its SVG download stayed programme-wide under a filter."""
    programme = workspace["programme"]
    params = {"position": workspace["marketer"].pk}
    html = client.get(programme.get_absolute_url(), params).content.decode()
    assert [(label, percent.strip(), counts) for label, percent, counts in _bars(html)] == [
        ("Marketing", "50%", "(1/2)")
    ]
    svg = client.get(reverse("curricula:programme-chart", args=[programme.pk]), params)
    assert _bars(svg.content.decode()) == _bars(html)


@pytest.mark.parametrize("case", ["status", "area", "search", "position", "module", "stage"])
def test_each_filter_narrows_the_map_and_every_figure_and_download_follows(client, workspace, case):
    params, rows, percent = _filters_cases(workspace)[case]
    programme = workspace["programme"]
    response = client.get(programme.get_absolute_url(), params)
    html = response.content.decode()
    assert _rows(html) == rows
    assert _big_number(html) == percent
    assert "for the filtered view" in html

    # The downloads carry the filters.
    query = re.search(r'href="/programs/\d+/map\.csv\?([^"]+)"', html)[1]
    for name in ("programme-chart", "programme-workbook", "programme-report"):
        assert f"{reverse(f'curricula:{name}', args=[programme.pk])}?{query}" in html.replace(
            "&amp;", "&"
        )
    svg = client.get(reverse("curricula:programme-chart", args=[programme.pk]), params)
    assert _bars(svg.content.decode()) == _bars(html)  # the download is the chart shown
    body = client.get(
        reverse("curricula:programme-map-csv", args=[programme.pk]), params
    ).content.decode()
    header = next(csv.reader(io.StringIO(body)))
    assert [cell.split()[0] for cell in header[2:]] == rows
    book = _workbook(
        client.get(reverse("curricula:programme-workbook", args=[programme.pk]), params)
    )
    assert [row[0] for row in book["Map"].iter_rows(min_row=3, values_only=True)] == rows
    report = client.get(reverse("curricula:programme-report", args=[programme.pk]), params)
    assert _big_number(report.content.decode()) == percent


def test_module_and_stage_filters_keep_only_their_courses_and_recount_what_they_reach(
    client, workspace
):
    programme = workspace["programme"]
    shown = curriculum_map(
        programme=programme, filters=MapFilters(module_id=workspace["data_module"].pk)
    )
    assert [column.code for column in shown.columns] == ["DAT1", "DAT2"]
    statuses = {row.code: row.status for row in shown.rows}
    assert statuses == {
        "D1": "partial",
        "D2": "covered",
        "D3": "missing",
        "M1": "missing",
        "M2": "missing",
    }
    report = map_gap_report(programme=programme, curriculum_map=shown)
    assert (report.figures["covered"], report.figures["missing"]) == (1, 3)
    assert {course["code"] for course in report.unused_courses} == set()


def test_without_filters_the_view_computes_exactly_the_stored_report(workspace):
    programme = workspace["programme"]
    stored = gap_report(programme=programme)
    computed = map_gap_report(
        programme=programme, curriculum_map=curriculum_map(programme=programme)
    )
    assert stored.figures == computed.figures
    assert stored.areas == computed.areas
    assert [(p.name, p.figures) for p in stored.positions] == [
        (p.name, p.figures) for p in computed.positions
    ]


def test_junk_filters_are_ignored_never_a_500(client, workspace):
    url = workspace["programme"].get_absolute_url()
    for params in (
        {"status": "bogus"},
        {"area": "x"},
        {"module": "-1"},
        {"stage": "99999999999999999999999"},
        {"cols": "abc"},
        {"q": "a" * 5000},
        {"position": "1'; drop table"},
    ):
        assert client.get(url, params).status_code == 200, params
    assert client.get(url, {"area": 987654}).status_code == 200  # unknown: no filter
    # A position that is not a target is no filter at all: the whole programme, as stored.
    stranger = PositionFactory()
    html = client.get(url, {"position": stranger.pk}).content.decode()
    assert "for the filtered view" not in html
    assert _rows(html) == ["D1", "D2", "D3", "M1", "M2"]


def _not_offered(workspace) -> list[dict]:
    """Filters naming a module, a training stage or a competency area the map's menus do not
    offer: one that exists but none of the programme's courses or required abilities is in,
    one that does not exist, and *No competency area* where every ability has one."""
    module = Module.objects.create(code="XM", name="Elsewhere module", order=9)
    stage = TrainingStage.objects.create(code="X", name="Elsewhere stage", order=9)
    area = CompetencyAreaFactory(code="XA", name="Elsewhere area")
    return [
        {"module": module.pk},
        {"module": 987654},
        {"stage": stage.pk},
        {"stage": 987654},
        {"area": area.pk},
        {"area": 987654},
        {"area": 0},
    ]


def _selected(html: str, select_id: str) -> list[str]:
    """The values of the options selected in one of the filter menus."""
    menu = re.search(rf'<select id="{select_id}".*?</select>', html, flags=re.S)
    return re.findall(r'<option value="(\d*)" selected>', menu[0]) if menu else []


def test_a_module_stage_or_area_the_menus_do_not_offer_is_ignored_as_junk_is(client, workspace):
    """Observed on the paper's programme 5: `?module=3` (a module none of its courses is in),
    `?stage=2`, `?module=99` and `?stage=99` showed "0 of 7 courses", a gap report *computed
    for this view* at 0% with every ability missing and "Module: 3" in the filters' summary,
    under a menu on *All modules*; `?area=99` showed none of its abilities. Meanwhile
    `?module=abc` and a position it does not target were ignored. A value the menu does not
    offer is ignored as junk is: the whole map and the stored report, the menu on *All*, and
    every download the same."""
    programme = workspace["programme"]
    whole = client.get(programme.get_absolute_url()).content.decode()
    downloads = {
        name: client.get(reverse(f"curricula:{name}", args=[programme.pk])).content
        for name in ("programme-map-csv", "programme-chart")
    }
    for params in _not_offered(workspace):
        html = client.get(programme.get_absolute_url(), params).content.decode()
        assert _rows(html) == ["D1", "D2", "D3", "M1", "M2"], params
        assert _big_number(html) == "40", params
        assert "for the filtered view" not in html, params
        assert "computed for this view" not in html, params
        assert "Showing 5 of 5 required abilities and 3 of 3 courses." in html, params
        for menu in ("area-filter", "module-filter", "stage-filter"):
            assert _selected(html, menu) == [], (params, menu)
        # The downloads' links carry no filter, and the downloads asked with it ignore it too.
        assert f'href="/programs/{programme.pk}/map.csv"' in whole
        assert f'href="/programs/{programme.pk}/map.csv"' in html, params
        for name, body in downloads.items():
            asked = client.get(reverse(f"curricula:{name}", args=[programme.pk]), params)
            assert asked.content == body, (params, name)
        book = _workbook(
            client.get(reverse("curricula:programme-workbook", args=[programme.pk]), params)
        )
        summary = dict(book["Summary"].iter_rows(values_only=True))
        assert summary["Filters"] == "none: the whole programme", params
        assert summary["Percent covered"] == 40, params
        assert summary["Report state"] != "computed for this view", params
        report = client.get(reverse("curricula:programme-report", args=[programme.pk]), params)
        assert _big_number(report.content.decode()) == "40", params


def test_a_save_from_a_view_with_an_area_the_menu_does_not_offer_answers_as_that_page_shows(
    staff_user, workspace
):
    """The map's script sends the view it saved from. Its changed rows alone do not tell which
    areas the menu offers: the answer takes the filters the whole view kept, so the row saved
    comes back with the stored report, as the page ignoring the area showed it."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    response = _changes(
        _staff(staff_user),
        programme,
        {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I", "view": "area=987654"},
        **{"X-Map-Editor": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="row-{abilities["D3"].pk}"' in html
    assert "computed for this view" not in html


def test_the_api_workbook_refuses_a_module_stage_or_area_its_map_does_not_offer(
    api_client, workspace
):
    """The README promises the API's workbook a 400 for a bad filter, as for a position the
    programme does not target: one naming a module, stage or area the map does not offer is
    refused naming it, not answered with a workbook ignoring it."""
    programme = workspace["programme"]
    for params in _not_offered(workspace):
        response = api_client.get(f"/api/v1/programs/{programme.pk}/workbook.xlsx", params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params), params
    offered = api_client.get(
        f"/api/v1/programs/{programme.pk}/workbook.xlsx",
        {"module": workspace["data_module"].pk, "stage": workspace["theory"].pk},
    )
    assert offered.status_code == 200


def test_a_map_wider_than_a_page_of_courses_is_paged_and_figures_count_every_course(client):
    position = PositionFactory()
    ability = AbilityFactory(code="W1")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    courses = [CourseFactory(code=f"W{index:03d}") for index in range(MAP_PAGE_COLUMNS + 5)]
    CourseAbilityFactory(course=courses[-1], ability=ability, level=level("M"))
    programme = ProgrammeFactory(courses=courses, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    first = client.get(programme.get_absolute_url()).content.decode()
    assert first.count('class="course-head"') == MAP_PAGE_COLUMNS
    assert f"Courses 1–{MAP_PAGE_COLUMNS} of {MAP_PAGE_COLUMNS + 5}" in first  # noqa: RUF001
    assert "status-cell--covered" in first  # reached by a course on the next page
    second = client.get(programme.get_absolute_url(), {"cols": 2}).content.decode()
    assert second.count('class="course-head"') == 5
    assert "W044" in second
    # Downloads hold every course, whatever the page.
    body = client.get(reverse("curricula:programme-map-csv", args=[programme.pk])).content
    assert body.decode().count("\n") == 2 + MAP_PAGE_COLUMNS + 5


# --- Drill-down ------------------------------------------------------------------------------


def test_a_cell_drills_down_to_its_level_note_provenance_and_last_change(client, workspace):
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    course = workspace["courses"]["DAT1"]
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    panel = client.get(url, {"course": course.pk}, headers={"X-Map-Editor": "1"})
    html = panel.content.decode()
    assert "<html" not in html  # a fragment for the panel
    assert "note DAT1 D1" in html
    assert "Editorial starter mapping" in html
    assert "Reinforced (R)" in html
    assert "Last change" in html
    assert "Analyst: at least Mastered" in html
    assert "History of this link" not in html  # the audit trail is for staff
    page = client.get(url).content.decode()  # the row's own page, without JavaScript
    assert "<html" in page
    assert page.count('id="course-') == 3
    assert (
        client.get(reverse("curricula:programme-ability", args=[programme.pk, 987654])).status_code
        == 404
    )
    stranger = AbilityFactory()
    assert (
        client.get(
            reverse("curricula:programme-ability", args=[programme.pk, stranger.pk])
        ).status_code
        == 404
    )


def test_staff_see_who_changed_a_link_and_its_history(staff_user, workspace):
    client = Client()
    client.force_login(staff_user)
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    link = CourseAbility.objects.get(course=workspace["courses"]["DAT1"], ability=ability)
    client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{link.course_id}:{ability.pk}": "M"},
    )
    html = client.get(
        reverse("curricula:programme-ability", args=[programme.pk, ability.pk]),
        {"course": link.course_id},
        headers={"X-Map-Editor": "1"},
    ).content.decode()
    assert "by staff" in html
    assert reverse("admin:curricula_courseability_history", args=[link.pk]) in html
    assert "Edited by staff" in html


def _history_links(html: str) -> dict[str, set[str]]:
    """Each "History of this link" link's accessible name (its whole text, the visually hidden
    part too) and the addresses it leads to."""
    names: dict[str, set[str]] = {}
    for href, inner in re.findall(r'<a href="([^"]*/history/)"[^>]*>(.*?)</a>', html, re.S):
        name = " ".join(re.sub(r"<[^>]+>", "", inner).split())
        names.setdefault(name, set()).add(href)
    return names


def _visible(inner: str) -> str:
    return re.sub(r'<span class="visually-hidden">.*?</span>', "", inner)


def test_each_history_link_of_a_cell_names_whose_link_it_is(staff_user, workspace):
    """Observed: the map's cell panel and the row's page list several courses' links, each with
    a link "History of this link" to its own admin history, so a screen reader's list of links
    held the same name for different places (WCAG 2.4.4, 2.4.9). Each now says whose link it is
    (the course's code, visually hidden); the visible text stays "History of this link"."""
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    CourseAbilityFactory(
        course=workspace["courses"]["MKT1"], ability=ability, level=level("I"), provenance="starter"
    )
    client = Client()
    client.force_login(staff_user)
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    panel = client.get(
        url, {"course": workspace["courses"]["DAT1"].pk}, headers={"X-Map-Editor": "1"}
    ).content.decode()
    page = client.get(url).content.decode()

    for html in (panel, page):
        names = _history_links(html)
        assert sum(len(hrefs) for hrefs in names.values()) == 2, names
        assert all(len(hrefs) == 1 for hrefs in names.values()), names
        assert {name.split("History of this link")[1] for name in names} >= {" (DAT1)", " (MKT1)"}
        for inner in re.findall(r'<a href="[^"]*/history/"[^>]*>(.*?)</a>', html, re.S):
            assert _visible(inner).strip() == "History of this link"


def test_staff_who_may_not_open_links_in_the_admin_get_no_link_to_their_history(
    django_user_model, workspace
):
    """Staff who edit only positions followed "History of this link" on the map's and the
    position page's cells to the admin's 403."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(username="positions-editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_requirement", "change_requirement"])
    )
    client = Client()
    client.force_login(editor)
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    link = CourseAbility.objects.get(course=workspace["courses"]["DAT1"], ability=ability)
    history = reverse("admin:curricula_courseability_history", args=[link.pk])
    pages = [
        reverse("curricula:programme-ability", args=[programme.pk, ability.pk]),
        reverse("positions:cell", args=[workspace["analyst"].pk, programme.pk, ability.pk]),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert "DAT1" in html
        assert history not in html
    assert client.get(history).status_code == 403  # what the link led to


def test_a_position_page_cell_drills_down_to_the_programmes_courses(client, workspace):
    analyst, programme = workspace["analyst"], workspace["programme"]
    ability = workspace["abilities"]["D1"]
    page = client.get(analyst.get_absolute_url()).content.decode()
    url = reverse("positions:cell", args=[analyst.pk, programme.pk, ability.pk])
    assert url in page
    assert "data-grid" in page
    html = client.get(url, headers={"X-Map-Editor": "1"}).content.decode()
    assert "DAT1" in html
    assert "note DAT1 D1" in html
    assert "Editorial starter mapping" in html
    assert "partial" in html
    assert client.get(url).status_code == 200
    missing = reverse("positions:cell", args=[analyst.pk, programme.pk, 987654])
    assert client.get(missing).status_code == 404


# --- Exports -----------------------------------------------------------------------------------


def _workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_workbook_holds_the_shaded_map_the_gaps_the_areas_and_the_provenance(client, workspace):
    programme = workspace["programme"]
    book = _workbook(client.get(reverse("curricula:programme-workbook", args=[programme.pk])))
    assert book.sheetnames == ["Summary", "Map", "Gaps", "Areas", "Provenance"]
    summary = dict(book["Summary"].iter_rows(values_only=True))
    assert summary["Programme"] == "Workspace"
    assert summary["Percent covered"] == 40
    sheet = book["Map"]
    assert [cell.value for cell in sheet[1]][7:] == ["DAT1", "DAT2", "MKT1"]
    d2 = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "D2")
    assert d2[6].value == "covered"
    assert d2[8].value == "M"
    assert d2[8].fill.start_color.rgb.endswith("2B6F98")  # the page's M shade
    gaps = list(book["Gaps"].iter_rows(min_row=2, values_only=True))
    assert ("Analyst", "D3", "forecast demand", "essential", "M", None, "missing", None) in gaps
    areas = {row[0]: row for row in book["Areas"].iter_rows(min_row=2, values_only=True)}
    assert areas["Marketing"][3] == 1  # covered
    assert areas["Programme"][6] == 40
    provenance = list(book["Provenance"].iter_rows(min_row=2, values_only=True))
    assert len(provenance) == 4
    assert provenance[0][:7] == (
        "DAT1",
        "Data one",
        "D1",
        "analyse sales data",
        "R",
        "note DAT1 D1",
        "Editorial starter mapping",
    )


def test_the_workbook_never_turns_text_into_a_formula(client):
    position = PositionFactory(name='=HYPERLINK("http://x")')
    ability = AbilityFactory(code="@SUM(1)", text="+1+1")
    RequirementFactory(position=position, ability=ability)
    course = CourseFactory(code="-2", title="\tcmd")
    CourseAbilityFactory(course=course, ability=ability, note="=1+1")
    programme = ProgrammeFactory(name="=evil()", courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    book = _workbook(response)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    for value in ("=evil()", "@SUM(1)", "+1+1", "-2", "\tcmd", "=1+1"):
        assert value in texts
    # Raw XML: no formula element anywhere.
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name)


def test_the_api_serves_the_workbook_with_the_same_filters_and_refuses_bad_ones(
    api_client, workspace
):
    programme = workspace["programme"]
    marketing = workspace["marketing"].pk
    for url in (
        f"/api/v1/programs/{programme.pk}/workbook.xlsx",
        f"/api/v1/programs/{programme.pk}/workbook/",
    ):
        book = _workbook(api_client.get(url, {"area": marketing, "status": "partial"}))
        assert [row[0] for row in book["Map"].iter_rows(min_row=3, values_only=True)] == ["M2"]
    bad = api_client.get(
        f"/api/v1/programs/{programme.pk}/workbook.xlsx", {"status": "nope", "area": "x"}
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"status", "area"}
    stranger = PositionFactory()
    refused = api_client.get(
        f"/api/v1/programs/{programme.pk}/workbook.xlsx", {"position": stranger.pk}
    )
    assert refused.status_code == 400
    assert "position" in refused.json()
    assert api_client.get("/api/v1/programs/987654/workbook.xlsx").status_code == 404


def test_the_printable_report_holds_the_summary_chart_every_row_every_course_and_the_gaps(
    client, workspace
):
    programme = workspace["programme"]
    html = client.get(reverse("curricula:programme-report", args=[programme.pk])).content.decode()
    for text in ("analyse sales data", "build dashboards", "forecast demand", "write copy"):
        assert text in html
    for code in ("DAT1", "DAT2", "MKT1"):
        assert f'<span class="code">{code}</span>' in html
    assert "<svg" in html
    assert "Gap report" in html
    assert _big_number(html) == "40"


def test_the_printable_reports_slices_are_headed_by_the_courses_they_hold(client, workspace):
    """Observed with a 28-course nursing programme: the report's map, printed in slices of 20
    courses, was headed "Courses 1-0 of 28" and "Courses 21-0 of 28" (with an en dash; the
    template added a list to a number). Each slice is headed by its first and last course's
    place."""
    from curricula.views.programmes import REPORT_SLICE_COLUMNS

    programme = workspace["programme"]
    more = REPORT_SLICE_COLUMNS + 5 - programme.courses.count()
    for number in range(more):
        programme.programme_courses.create(
            course=CourseFactory(code=f"EXTRA{number:02}"), order=100 + number
        )
    total = programme.courses.count()
    html = client.get(reverse("curricula:programme-report", args=[programme.pk])).content.decode()
    headings = re.findall(r'<h3 class="h4">(Courses [^<]*)</h3>', html)
    assert headings == [
        f"Courses 1\N{EN DASH}{REPORT_SLICE_COLUMNS} of {total}",
        f"Courses {REPORT_SLICE_COLUMNS + 1}\N{EN DASH}{total} of {total}",
    ]


# --- Editing -----------------------------------------------------------------------------------


def _staff(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def test_a_block_going_on_beyond_the_page_is_previewed_and_saved_guarded_by_the_level_listed(
    staff_user, workspace
):
    """A block pasted at a paged map's edge goes on over the map's next courses or abilities:
    the preview says how many of its values do, and those cells (sent without a level shown,
    as the editor saw none) are saved from it with the level it listed as now, so that a
    change made meanwhile is refused rather than overwritten."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    url = reverse("curricula:programme-changes", args=[programme.pk])
    key = f"{courses['DAT1'].pk}:{abilities['D1'].pk}"
    link = CourseAbility.objects.get(course=courses["DAT1"], ability=abilities["D1"])
    assert link.level.code == "R"
    before = CourseAbility.objects.count()
    staff = _staff(staff_user)
    response = staff.post(
        url,
        {f"cell:{key}": "M", "preview": "1", "off_page": "1", "outside": "0"},
        headers={"X-Map-Editor": "1"},
    )
    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert (
        "1 pasted value goes on beyond this page, onto the map's next courses or abilities, "
        "and is saved with the rest." in html
    )
    assert "outside the map" not in html
    assert f'<input type="hidden" name="base:{key}" value="R">' in html
    assert CourseAbility.objects.count() == before

    # Changed by someone else between the preview and its Save: refused, not overwritten.
    link.level = level("I")
    link.save()
    response = staff.post(
        url, {f"cell:{key}": "M", f"base:{key}": "R"}, headers={"X-Map-Editor": "1"}
    )
    assert response.status_code == 400
    assert "was changed by someone else" in response.content.decode()
    link.refresh_from_db()
    assert link.level.code == "I"


def test_a_preview_writes_nothing_and_says_what_would_change(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    before = CourseAbility.objects.count()
    response = _staff(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {
            f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "M",
            f"base:{courses['DAT1'].pk}:{abilities['D3'].pk}": "",
            f"cell:{courses['DAT1'].pk}:{abilities['D1'].pk}": "r",
            "preview": "1",
            "outside": "2",
        },
        headers={"X-Map-Editor": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 cell would change" in html
    assert "1 new, 0 changed, 0 cleared; 1 already as pasted" in html
    assert "2 pasted values fell outside the map" in html
    assert "Save 1 change" in html
    assert CourseAbility.objects.count() == before


def test_a_preview_with_a_bad_value_lists_it_and_offers_no_save(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    response = _staff(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "Z", "preview": "1"},
        headers={"X-Map-Editor": "1"},
    )
    html = response.content.decode()
    assert "is not a level" in html
    assert "data-map-save" not in html


def test_saving_and_undoing_without_javascript(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    cell = f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}"
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {cell: "I", "view": f"area={workspace['data_area'].pk}"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"{programme.get_absolute_url()}?area={workspace['data_area'].pk}#row-"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Saved" in page
    token = re.search(r"/changes/([0-9a-f]{32})/undo/", page)[1]
    assert CourseAbility.objects.filter(course=courses["DAT2"], ability=abilities["D3"]).exists()
    undone = client.post(reverse("curricula:programme-change-undo", args=[programme.pk, token]))
    assert undone.status_code == 302
    assert not CourseAbility.objects.filter(
        course=courses["DAT2"], ability=abilities["D3"]
    ).exists()
    assert "Undone" in client.get(undone["Location"]).content.decode()
    # The banner shows once.
    assert "Undone" not in client.get(programme.get_absolute_url()).content.decode()
    again = client.post(reverse("curricula:programme-change-undo", args=[programme.pk, token]))
    assert again.status_code == 409


def test_editing_needs_the_link_permissions_for_what_it_writes(
    client, plain_user, staff_without_perms, staff_user, workspace
):
    from django.contrib.auth.models import Permission

    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    url = reverse("curricula:programme-changes", args=[programme.pk])
    data = {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"}
    assert client.post(url, data).status_code == 302  # to log in: see the test below
    for who in (_staff(plain_user), _staff(staff_without_perms)):
        assert who.post(url, data).status_code == 403
    # Change alone is not enough to create a link or to delete one.
    staff_user.user_permissions.set(Permission.objects.filter(codename="change_courseability"))
    editor = _staff(staff_user)
    assert editor.post(url, data).status_code == 403
    link = CourseAbility.objects.get(course=courses["DAT1"], ability=abilities["D1"])
    assert editor.post(url, {f"cell:{link.course_id}:{link.ability_id}": ""}).status_code == 403
    assert editor.post(url, {f"cell:{link.course_id}:{link.ability_id}": "M"}).status_code == 302
    assert not CourseAbility.objects.filter(
        course=courses["DAT2"], ability=abilities["D3"]
    ).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"cell:987654:987655": "M"},
        {"cell:abc:2": "M"},
        {"cell:99999999999999999999:1": "M"},
    ],
)
def test_bad_change_sets_are_client_errors(staff_user, workspace, data):
    response = _staff(staff_user).post(
        reverse("curricula:programme-changes", args=[workspace["programme"].pk]), data
    )
    assert response.status_code == 400


def test_unknown_or_malformed_undo_tokens_are_404(staff_user, workspace):
    client = _staff(staff_user)
    pk = workspace["programme"].pk
    assert client.post(f"/programs/{pk}/changes/{'0' * 32}/undo/").status_code == 404
    assert client.post(f"/programs/{pk}/changes/not-a-token/undo/").status_code == 404


# --- Query counts --------------------------------------------------------------------------------


def _query_counts(client, programme, staff) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first_ability = curriculum_map(programme=programme).rows[0].ability_id
    urls = {
        "page": (client, programme.get_absolute_url(), {}),
        "filtered": (client, programme.get_absolute_url(), {"status": ["missing", "partial"]}),
        "staff page": (staff, programme.get_absolute_url(), {}),
        "row": (
            client,
            reverse("curricula:programme-ability", args=[programme.pk, first_ability]),
            {},
        ),
        "workbook": (client, reverse("curricula:programme-workbook", args=[programme.pk]), {}),
        "report": (client, reverse("curricula:programme-report", args=[programme.pk]), {}),
    }
    counts = {}
    for name, (who, url, params) in urls.items():
        with CaptureQueriesContext(connection) as captured:
            assert who.get(url, params).status_code == 200, name
        counts[name] = len(captured)
    return counts


def test_the_programme_page_query_count_is_constant_in_the_catalogues_size(staff_user):
    """The same number of queries for a programme of a generated catalogue and of one twice its
    size in every dimension (positions, abilities, requirements, courses, links, programmes,
    courses and targets per programme)."""
    from dataclasses import replace

    from django.db import transaction

    from curricula.generator import CatalogueSize, catalogue_generate
    from curricula.models import Programme

    size = CatalogueSize(
        positions=20,
        abilities=120,
        requirements=400,
        courses=40,
        links=400,
        programmes=3,
        courses_per_programme=8,
        targets_per_programme=3,
        tracks=2,
    )
    client, staff = Client(), _staff(staff_user)
    counts = []
    for factor in (1, 2):
        scaled = replace(
            size,
            **{
                name: getattr(size, name) * factor
                for name in (
                    "positions",
                    "abilities",
                    "requirements",
                    "courses",
                    "links",
                    "programmes",
                    "courses_per_programme",
                    "targets_per_programme",
                )
            },
        )
        # Each catalogue in a savepoint rolled back after: cheaper than deleting it.
        with transaction.atomic():
            catalogue_generate(size=scaled, seed=factor)
            coverage_recompute(force=True)
            programme = Programme.objects.filter(provenance="generated").order_by("pk").first()
            assert programme.programme_courses.count() == 8 * factor
            counts.append(_query_counts(client, programme, staff))
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


def _changes(client, programme, data, **headers):
    return client.post(
        reverse("curricula:programme-changes", args=[programme.pk]), data, headers=headers
    )


def test_a_level_shown_goes_with_its_cell_however_the_ids_are_written(staff_user, workspace):
    """base:01:5 is the base of cell:1:5: a zero-padded key once slipped past the check for a
    newer edit, and the save overwrote it."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    course, ability = courses["DAT1"].pk, abilities["D1"].pk  # holds R
    response = _changes(
        _staff(staff_user),
        programme,
        {f"cell:{course}:{ability}": "M", f"base:0{course}:00{ability}": "I"},
    )
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    assert CourseAbility.objects.get(course_id=course, ability_id=ability).level.code == "R"


@pytest.mark.parametrize("flag", ["0", "false", "no", ""])
def test_preview_means_yes_only_when_it_says_so(staff_user, workspace, flag):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    course, ability = courses["DAT2"].pk, abilities["D3"].pk
    response = _changes(
        _staff(staff_user), programme, {f"cell:{course}:{ability}": "I", "preview": flag}
    )
    assert response.status_code == 302  # saved
    assert CourseAbility.objects.filter(course_id=course, ability_id=ability).exists()


def test_a_cell_key_with_anything_after_it_is_not_a_cell(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    from urllib.parse import urlencode

    key = f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}\n"
    response = _staff(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        urlencode({key: "I"}),  # a form's encoding keeps the newline (multipart drops it)
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not CourseAbility.objects.filter(
        course=courses["DAT2"], ability=abilities["D3"]
    ).exists()


def test_a_change_set_is_undone_only_from_its_own_programme(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    saved = _changes(client, programme, {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"})
    page = client.get(saved["Location"]).content.decode()
    token = re.search(r"/changes/([0-9a-f]{32})/undo/", page)[1]
    other = ProgrammeFactory(name="Elsewhere", courses=[CourseFactory()])
    undo = reverse("curricula:programme-change-undo", args=[other.pk, token])
    assert client.post(undo).status_code == 404
    assert CourseAbility.objects.filter(course=courses["DAT2"], ability=abilities["D3"]).exists()


def test_after_a_redo_the_status_says_redone_and_offers_undo(staff_user, workspace):
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    editor = {"X-Map-Editor": "1"}
    saved = _changes(
        client, programme, {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"}, **editor
    ).content.decode()
    assert "<strong>Saved</strong>" in saved
    assert ">Undo</button>" in saved
    token = re.search(r"/changes/([0-9a-f]{32})/undo/", saved)[1]
    undone = client.post(
        reverse("curricula:programme-change-undo", args=[programme.pk, token]), headers=editor
    ).content.decode()
    assert "<strong>Undone</strong>" in undone
    assert ">Redo</button>" in undone
    token = re.search(r"/changes/([0-9a-f]{32})/undo/", undone)[1]
    redone = client.post(
        reverse("curricula:programme-change-undo", args=[programme.pk, token]), headers=editor
    ).content.decode()
    assert "<strong>Redone</strong>" in redone
    assert ">Undo</button>" in redone
    assert CourseAbility.objects.filter(course=courses["DAT2"], ability=abilities["D3"]).exists()


def test_an_undo_reads_the_change_sets_records_once(staff_user, workspace):
    """Observed: the undo view read the set's history records to check them (its programme, the
    permissions undoing needs) and the service read them again to undo them. The service takes
    the records the view has read: one read of the set per undo."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    editor = {"X-Map-Editor": "1"}
    saved = _changes(
        client,
        programme,
        {
            f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I",
            f"cell:{courses['DAT1'].pk}:{abilities['D1'].pk}": "M",
        },
        **editor,
    ).content.decode()
    token = re.search(r"/changes/([0-9a-f]{32})/undo/", saved)[1]
    history = CourseAbility.history.model._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        undone = client.post(
            reverse("curricula:programme-change-undo", args=[programme.pk, token]), headers=editor
        )
    assert undone.status_code == 200
    set_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and f'FROM "{history}"' in query["sql"]
        and '"history_change_set" =' in query["sql"].partition(" WHERE ")[2]
    ]
    assert len(set_reads) == 1


def test_the_largest_change_set_allowed_reaches_the_maps_own_checks(staff_user, workspace):
    """5,000 cells each with its base is 10,000 fields: Django's default limit of 1,000 refused
    a 500-cell paste with a bare "Bad Request" before the map could say what was wrong."""
    from curricula.selectors.maps import CHANGE_SET_MAX_CELLS

    programme = workspace["programme"]
    client = _staff(staff_user)
    cells = {}
    for n in range(CHANGE_SET_MAX_CELLS):
        cells[f"cell:{900000 + n}:1"] = "I"
        cells[f"base:{900000 + n}:1"] = ""
    response = _changes(client, programme, {**cells, "preview": "1"}, **{"X-Map-Editor": "1"})
    assert response.status_code == 200
    # Refused once for all of them (maps._refusal), not in 5,000 lines.
    assert f"{CHANGE_SET_MAX_CELLS} cells are not cells of this map" in response.content.decode()
    assert response.content.decode().count("<li>") == 1
    cells["cell:1:2"] = "I"
    response = _changes(client, programme, cells)
    assert response.status_code == 400
    assert f"at most {CHANGE_SET_MAX_CELLS} cells" in response.content.decode()


def test_without_javascript_a_refusal_is_a_whole_page_leading_back_to_the_form(
    staff_user, workspace
):
    """A plain form's refusal was the script's bare fragment: no layout, a Close button that
    needs JavaScript, and a way back that dropped the row page and the map's filters."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    row = reverse("curricula:programme-ability", args=[programme.pk, abilities["D3"].pk])
    page = client.get(row, {"area": workspace["data_area"].pk}).content.decode()
    back = re.search(r'name="back" value="([^"]+)"', page)[1].replace("&amp;", "&")
    assert back == f"{row}?area={workspace['data_area'].pk}"
    response = _changes(
        client,
        programme,
        {f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "Z", "back": back},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html
    assert "is not a level" in html
    assert f'href="{back.replace("&", "&amp;")}"' in html
    # Only a page of this site is a way back.
    response = _changes(
        client,
        programme,
        {
            f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "Z",
            "back": "https://elsewhere.example/",
            "view": "status=missing",
        },
    )
    assert "elsewhere.example" not in response.content.decode()
    assert f'href="{programme.get_absolute_url()}?status=missing"' in response.content.decode()


def test_an_editor_without_a_permission_is_told_which_write_it_may_not_make(staff_user, workspace):
    from django.contrib.auth.models import Permission

    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    staff_user.user_permissions.set(Permission.objects.filter(codename="change_courseability"))
    response = _changes(
        _staff(staff_user),
        programme,
        {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"},
        **{"X-Map-Editor": "1"},
    )
    assert response.status_code == 403
    assert "may not add links" in response.content.decode()


def test_the_row_page_of_a_programme_without_courses_offers_nothing_to_save(staff_user, workspace):
    programme = ProgrammeFactory(courses=[], targets=[workspace["analyst"]])
    row = reverse(
        "curricula:programme-ability", args=[programme.pk, workspace["abilities"]["D1"].pk]
    )
    page = _staff(staff_user).get(row).content.decode()
    assert "Save changes" not in page
    assert "The programme has no courses." in page


def test_a_pasted_block_s_preview_names_the_abilities_in_chinese(staff_user, workspace):
    """In Chinese the paste preview listed every ability by its English statement, and a
    refused value of an ability without a code was named in English too, where the map beside
    it shows the Chinese one."""
    from django.utils import translation

    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    abilities["D3"].text_zh = "预测需求"
    abilities["D3"].save()
    abilities["D1"].code = ""
    abilities["D1"].text_zh = "分析销售数据"
    abilities["D1"].save()
    try:
        response = _staff(staff_user).post(
            reverse("curricula:programme-changes", args=[programme.pk]),
            {
                f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "M",
                f"cell:{courses['DAT2'].pk}:{abilities['D1'].pk}": "Z",
                "preview": "1",
            },
            headers={"X-Map-Editor": "1", "Accept-Language": "zh-hans"},
        )
    finally:
        translation.activate("en")
    html = response.content.decode()
    assert "预测需求" in html
    assert "forecast demand" not in html
    assert "DAT2 × 分析销售数据" in html  # noqa: RUF001
    assert "analyse sales data" not in html


def test_an_edit_after_the_session_ended_asks_to_log_in_again(client, workspace):
    """Signed out meanwhile (the session expired), a save from the map's editor put the whole
    "Not allowed: your account is not allowed to do this" page, header and footer included,
    into the cell's panel, and a row page's form landed on it: the account was allowed, only
    signed out."""
    from urllib.parse import parse_qs, urlsplit

    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    cell = {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"}
    changes = reverse("curricula:programme-changes", args=[programme.pk])
    row_page = reverse("curricula:programme-ability", args=[programme.pk, abilities["D3"].pk])

    response = client.post(changes, {**cell, "back": row_page})
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("login")
    assert parse_qs(login.query) == {"next": [row_page]}

    for url, data in (
        (changes, {**cell, "view": "status=missing"}),
        (reverse("curricula:programme-cell", args=[programme.pk]), {"view": "status=missing"}),
        (reverse("curricula:programme-change-undo", args=[programme.pk, "0" * 32]), {}),
    ):
        response = client.post(url, data, headers={"X-Map-Editor": "1"})
        assert response.status_code == 401, url
        html = response.content.decode()
        assert '<header class="site-header' not in html  # a fragment for the panel
        assert "no longer signed in" in html
        assert "Nothing was written" in html
        next_page = parse_qs(
            urlsplit(re.search(r'href="([^"]*login[^"]*)"', html)[1].replace("&amp;", "&")).query
        )["next"]
        assert next_page[0].startswith(programme.get_absolute_url())
    assert not CourseAbility.objects.filter(
        course=courses["DAT2"], ability=abilities["D3"]
    ).exists()


def test_the_columns_are_grouped_by_module_in_module_order_keeping_the_programmes_order_within(
    client,
):
    """A programme whose courses were listed by code, not by module (as an import or the API's
    course list leaves them), still shows one header per module over its courses: the map's
    text promises columns grouped by module, and a header cut to a column's width per course
    ("E-COM…", "INTERN…", "E-COM…") groups nothing. Courses without a module come last."""
    basic = Module.objects.create(code="B", name="Basic module", order=0)
    business = Module.objects.create(code="I", name="Business module", order=1)
    listed = [
        CourseFactory(code="K101", module=business),
        CourseFactory(code="K102", module=basic),
        CourseFactory(code="K103", module=None),
        CourseFactory(code="K104", module=business),
        CourseFactory(code="K105", module=basic),
    ]
    target = PositionFactory()
    RequirementFactory(position=target, min_level=level("M"))
    programme = ProgrammeFactory(courses=listed, targets=[target])

    shown = curriculum_map(programme=programme, filters=MapFilters())

    assert [column.code for column in shown.columns] == ["K102", "K105", "K101", "K104", "K103"]
    assert [(group.label, group.span) for group in shown.column_groups] == [
        ("Basic module", 2),
        ("Business module", 2),
        ("", 1),
    ]
    html = client.get(reverse("curricula:programme-detail", args=[programme.pk])).content.decode()
    heads = re.findall(r'class="module-head"><span class="module-head__label">([^<]*)<', html)
    assert heads == ["Basic module", "Business module", "No module"]
    # A module's name is cut with an ellipsis over fewer courses than it needs: its header's
    # title gives it whole.
    titles = re.findall(r'title="([^"]*)" class="module-head"', html)
    assert titles == heads


def _clear_offers(client, workspace) -> dict[str, bool]:
    """Where the map's editor offers to clear a taught cell (DAT1 builds D1 at R): the tools'
    *Clear* button, the selection's editor, the cell's editor and the row page's form."""
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    taught, untaught = workspace["courses"]["DAT1"], workspace["courses"]["DAT2"]
    row = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    tools = client.get(programme.get_absolute_url()).content.decode()
    panel = client.get(row, {"course": taught.pk}, headers={"X-Map-Editor": "1"}).content.decode()
    page = client.get(row).content.decode()

    def empty_option(course) -> bool:
        select = re.search(rf'<select name="cell:{course.pk}:{ability.pk}".*?</select>', page, re.S)
        return '<option value="">' in select[0]

    assert "map-bulk-template" in tools  # an editor, whatever it offers
    assert f'name="cell:{taught.pk}:{ability.pk}" value="R"' in panel
    # A cell no course teaches still shows "not taught" as its level, to leave it so.
    assert empty_option(untaught)
    return {
        "tools' Clear": 'data-map-level=""' in tools,
        "selection's editor": 'name="bulk-level" value=""' in tools,
        "cell's editor": f'name="cell:{taught.pk}:{ability.pk}" value=""' in panel,
        "row page": empty_option(taught),
    }


def test_the_editor_offers_to_clear_cells_only_to_staff_who_may_delete_links(
    django_user_model, staff_user, workspace
):
    """Staff who may add and change links but not delete them were offered "not taught (clear)"
    in every editor of the map, and saving it was refused: only a delete permission offers it."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(username="linker", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["add_courseability", "change_courseability"])
    )

    assert _clear_offers(_staff(editor), workspace) == dict.fromkeys(
        ["tools' Clear", "selection's editor", "cell's editor", "row page"], False
    )
    assert _clear_offers(_staff(staff_user), workspace) == dict.fromkeys(
        ["tools' Clear", "selection's editor", "cell's editor", "row page"], True
    )


def _editor(django_user_model, username: str, *may: str) -> Client:
    """Staff signed in who may do only `may` to links ("add", "change", "delete")."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(username=username, is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=[f"{verb}_courseability" for verb in may])
    )
    return _staff(editor)


def _preview_sends(html: str) -> dict[str, str]:
    """The cells (and the levels seen) a change set's preview sends when *Save* is pressed."""
    return dict(
        re.findall(r'<input type="hidden" name="((?:cell|base):[\d:]+)" value="([^"]*)"', html)
    )


def _linker(django_user_model) -> Client:
    """Staff who may add and change links but not delete them."""
    return _editor(django_user_model, "linker", "add", "change")


def test_a_pasted_blank_over_a_link_is_left_out_of_the_preview_of_an_editor_who_may_not_clear(
    django_user_model, workspace
):
    """A block pasted by staff who may not delete links, with a blank over a taught cell, was
    refused as a whole (403): its preview leaves that cell as it is and says why, and saving
    what the preview sends writes only the rest."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _linker(django_user_model)
    url = reverse("curricula:programme-changes", args=[programme.pk])
    taught = f"{courses['DAT1'].pk}:{abilities['D1'].pk}"  # R
    empty = f"{courses['DAT2'].pk}:{abilities['D1'].pk}"
    block = {f"cell:{taught}": "", f"base:{taught}": "R", f"cell:{empty}": "I", f"base:{empty}": ""}

    response = client.post(url, {**block, "preview": "1"}, headers={"X-Map-Editor": "1"})

    html = response.content.decode()
    assert response.status_code == 200, html
    assert "1 cell would change" in html
    assert "1 new, 0 changed, 0 cleared" in html
    assert "Your account may not delete links (clear cells)." in html
    assert f'data-pending="{empty} "' in html
    sent = _preview_sends(html)
    assert sent == {f"cell:{empty}": "I", f"base:{empty}": ""}
    saved = client.post(url, sent, headers={"X-Map-Editor": "1"})
    assert saved.status_code == 200
    assert set(
        CourseAbility.objects.filter(ability=abilities["D1"]).values_list(
            "course__code", "level__code"
        )
    ) == {("DAT1", "R"), ("DAT2", "I")}


def _not_taught_label(client, workspace, course) -> str:
    """The label of the "not taught" choice in the editor of `course`'s cell in the row D1
    (blank when there is none)."""
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    panel = client.get(
        reverse("curricula:programme-ability", args=[programme.pk, ability.pk]),
        {"course": course.pk},
        headers={"X-Map-Editor": "1"},
    ).content.decode()
    found = re.search(
        rf'<label><input type="radio" name="cell:{course.pk}:{ability.pk}" value=""[^>]*>'
        r"(.*?)</label>",
        panel,
        re.S,
    )
    return re.sub(r"<[^>]+>|·", "", found[1]).strip() if found else ""


def test_an_empty_cell_offers_not_taught_as_its_level_not_as_a_clear(
    django_user_model, staff_user, workspace
):
    """On a cell no course teaches, the editor offered "not taught (clear)", though there is
    nothing to clear: it reads "not taught", as the legend names it; a taught cell still offers
    "not taught (clear)" to those who may delete links, and nothing to those who may not."""
    taught, empty = workspace["courses"]["DAT1"], workspace["courses"]["DAT2"]
    deleter, linker = _staff(staff_user), _linker(django_user_model)
    assert _not_taught_label(deleter, workspace, empty) == "not taught"
    assert _not_taught_label(linker, workspace, empty) == "not taught"
    assert _not_taught_label(deleter, workspace, taught) == "not taught (clear)"
    assert _not_taught_label(linker, workspace, taught) == ""


def _undo_url(programme, html: str) -> str | None:
    """The address of the Undo (or Redo) the status offers, if it offers one."""
    found = re.search(r"/changes/([0-9a-f]{32})/undo/", html)
    return (
        reverse("curricula:programme-change-undo", args=[programme.pk, found[1]]) if found else None
    )


def test_undo_of_new_links_is_not_offered_to_an_editor_who_may_not_delete_and_says_why(
    django_user_model, workspace
):
    """Staff who may add links but not delete them saved a new link and were offered Undo, which
    the server refused (403): undoing a creation deletes. The status says why instead."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _linker(django_user_model)
    empty = f"cell:{courses['DAT2'].pk}:{abilities['D1'].pk}"

    saved = _changes(client, programme, {empty: "I"}, **{"X-Map-Editor": "1"}).content.decode()

    assert "<strong>Saved</strong>" in saved
    assert ">Undo</button>" not in saved
    assert _undo_url(programme, saved) is None
    assert "undo needs permission to delete links" in saved
    # Without JavaScript, the map's banner says the same.
    redirect = _changes(client, programme, {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "R"})
    page = client.get(redirect["Location"]).content.decode()
    assert "<strong>Saved</strong>" in page
    assert _undo_url(programme, page) is None
    assert "undo needs permission to delete links" in page


def test_undo_of_a_level_change_is_offered_to_an_editor_who_may_not_delete(
    django_user_model, workspace
):
    """Undoing a level change only changes it back: it stays offered, and works."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _linker(django_user_model)
    taught = f"cell:{courses['DAT1'].pk}:{abilities['D1'].pk}"  # R
    saved = _changes(client, programme, {taught: "M"}, **{"X-Map-Editor": "1"}).content.decode()
    assert ">Undo</button>" in saved
    assert "undo needs permission" not in saved
    undone = client.post(_undo_url(programme, saved), headers={"X-Map-Editor": "1"})
    assert undone.status_code == 200
    assert (
        CourseAbility.objects.get(course=courses["DAT1"], ability=abilities["D1"]).level.code == "R"
    )


def test_undo_of_new_links_is_refused_to_an_editor_who_may_not_delete_with_a_clear_message(
    django_user_model, staff_user, workspace
):
    """The server still refuses what the status no longer offers (an Undo sent anyway, from an
    older page or by hand): 403, a message that says what undoing would do and what the
    account lacks, in the map's fragment and on a page of its own; nothing is written."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    saved = _changes(
        _staff(staff_user),
        programme,
        {f"cell:{courses['DAT2'].pk}:{abilities['D1'].pk}": "I"},
        **{"X-Map-Editor": "1"},
    ).content.decode()
    undo = _undo_url(programme, saved)
    links = set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id"))
    history = CourseAbility.history.count()
    client = _linker(django_user_model)
    message = (
        "Undoing this change would delete the links it added: your account may not delete links."
    )

    fragment = client.post(undo, headers={"X-Map-Editor": "1"})
    page = client.post(undo)

    assert fragment.status_code == 403
    assert message in fragment.content.decode()
    assert page.status_code == 403
    assert message in page.content.decode()
    assert "<html" in page.content.decode()
    assert set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id")) == links
    assert CourseAbility.history.count() == history


def _keyboard_help(client, programme) -> str:
    html = client.get(programme.get_absolute_url()).content.decode()
    found = re.search(r'<details class="map-tools__keys">(.*?)</details>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split()) if found else ""


def test_the_keyboard_help_offers_delete_and_whole_undo_only_to_editors_who_may_make_them(
    django_user_model, staff_user, workspace
):
    """The map's keyboard help told editors who may not delete links that Delete opens the
    editor (it says they may not clear) and that every save can be undone as a whole."""
    programme = workspace["programme"]
    full = _keyboard_help(_staff(staff_user), programme)
    assert "Typing a level (I, R, M) or Delete opens the editor with that choice" in full
    assert "Each save can be undone as a whole." in full

    linker = _keyboard_help(_linker(django_user_model), programme)
    assert "Typing a level (I, R, M) opens the editor with that choice" in linker
    assert "or Delete" not in linker
    assert "Delete and Backspace leave a cell as it is: your account may not delete links." in (
        linker
    )
    assert "a blank over a link is left as it is" in linker
    assert "Each save can be undone as a whole." not in linker
    assert (
        "Each save can be undone as a whole, unless it added links: undoing that would delete"
        in (linker)
    )


def test_a_withheld_blank_over_a_link_changed_since_is_not_reported_as_a_conflict(
    django_user_model, staff_user, workspace
):
    """A pasted blank over a link someone else changed since the map was opened: withheld from
    an editor who may not delete links (the cell is left alone), it was still reported as a
    conflict, and nothing could be saved. To an editor who may clear, it is still one."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    taught = f"{courses['DAT1'].pk}:{abilities['D1'].pk}"  # R, shown as I by an older page
    empty = f"{courses['DAT2'].pk}:{abilities['D1'].pk}"
    block = {
        f"cell:{taught}": "",
        f"base:{taught}": "I",
        f"cell:{empty}": "M",
        f"base:{empty}": "",
        "preview": "1",
    }

    withheld = _changes(_linker(django_user_model), programme, block, **{"X-Map-Editor": "1"})
    cleared = _changes(_staff(staff_user), programme, block, **{"X-Map-Editor": "1"})

    html = withheld.content.decode()
    assert withheld.status_code == 200
    assert "changed by someone else" not in html
    assert "1 cell is left as it is, not cleared." in html
    assert "data-map-save" in html
    assert f'data-pending="{empty} "' in html
    assert "DAT1 × D1 was changed by someone else" in cleared.content.decode()  # noqa: RUF001


def test_undo_of_clears_is_not_offered_to_an_editor_who_may_not_add_links(
    django_user_model, workspace
):
    """Undoing a clear adds the link back: staff who may delete links but not add them are told
    so in the status and the keyboard help, instead of an Undo the server refuses."""
    from django.contrib.auth.models import Permission

    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    editor = django_user_model.objects.create_user(username="clearer", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["change_courseability", "delete_courseability"])
    )
    client = _staff(editor)
    taught = f"cell:{courses['DAT1'].pk}:{abilities['D1'].pk}"

    saved = _changes(client, programme, {taught: ""}, **{"X-Map-Editor": "1"}).content.decode()

    assert "<strong>Saved</strong>" in saved
    assert _undo_url(programme, saved) is None
    assert "undo needs permission to add links" in saved
    assert "unless it cleared cells: undoing that would add their links back" in _keyboard_help(
        client, programme
    )


def test_what_undo_needs_is_listed_in_the_reader_s_language():
    """Two missing permissions are joined as the language lists them (a full-width semicolon in
    Chinese), not by an English "; "."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from curricula.views.programmes import map_undo_missing

    nobody = AnonymousUser()
    with translation.override("en"):
        english = map_undo_missing(nobody, created=1, changed=0, cleared=1)
    with translation.override("zh-hans"):
        chinese = map_undo_missing(nobody, created=1, changed=0, cleared=1)

    assert english == ("undo needs permission to delete links; undo needs permission to add links")
    assert chinese == "撤销需要删除链接的权限；撤销需要添加链接的权限"  # noqa: RUF001


def _changer(django_user_model) -> Client:
    """Staff who may change a link's level but neither add links nor delete them."""
    return _editor(django_user_model, "changer", "change")


def test_a_pasted_level_over_an_empty_cell_is_left_out_of_the_preview_of_an_editor_who_may_not_add(
    django_user_model, workspace
):
    """A block pasted by staff who may change links but not add them, with levels over empty
    cells, was refused as a whole (403): its preview leaves those cells empty and says why,
    alongside a blank over a link left as it is (they may not delete either), and saving what
    the preview sends writes only the permitted change."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _changer(django_user_model)
    url = reverse("curricula:programme-changes", args=[programme.pk])
    taught = f"{courses['DAT1'].pk}:{abilities['D1'].pk}"  # R
    cleared = f"{courses['MKT1'].pk}:{abilities['M2'].pk}"  # I
    empty = [
        f"{courses['DAT2'].pk}:{abilities['D1'].pk}",
        f"{courses['DAT2'].pk}:{abilities['D3'].pk}",
    ]
    block = {
        f"cell:{taught}": "M",
        f"base:{taught}": "R",
        f"cell:{cleared}": "",
        f"base:{cleared}": "I",
    }
    for cell in empty:
        block |= {f"cell:{cell}": "I", f"base:{cell}": ""}

    response = client.post(url, {**block, "preview": "1"}, headers={"X-Map-Editor": "1"})

    html = response.content.decode()
    assert response.status_code == 200, html
    assert "1 cell would change" in html
    assert "0 new, 1 changed, 0 cleared" in html
    assert "2 cells are left empty, not filled." in html
    assert "Your account may not add links (fill empty cells)." in html
    assert "1 cell is left as it is, not cleared." in html
    assert "Your account may not delete links (clear cells)." in html
    assert "data-map-save" in html
    assert f'data-pending="{taught} "' in html
    sent = _preview_sends(html)
    assert sent == {f"cell:{taught}": "M", f"base:{taught}": "R"}
    saved = client.post(url, sent, headers={"X-Map-Editor": "1"})
    assert saved.status_code == 200
    assert set(
        CourseAbility.objects.filter(ability__in=[abilities["D1"], abilities["D3"]]).values_list(
            "course__code", "ability__code", "level__code"
        )
    ) == {("DAT1", "D1", "M")}
    assert CourseAbility.objects.filter(course=courses["MKT1"], ability=abilities["M2"]).exists()


def test_an_editor_who_may_add_is_told_of_no_cell_left_empty(staff_user, workspace):
    """Only an editor who may not add links has empty cells left out: for the others a level
    over an empty cell is a new link in the preview, as before."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    empty = f"{courses['DAT2'].pk}:{abilities['D1'].pk}"
    response = _changes(
        _staff(staff_user),
        programme,
        {f"cell:{empty}": "I", f"base:{empty}": "", "preview": "1"},
        **{"X-Map-Editor": "1"},
    )
    html = response.content.decode()
    assert "1 new, 0 changed, 0 cleared" in html
    assert "left empty" not in html


@pytest.mark.parametrize(
    ("editor", "taught", "refused"),
    [
        pytest.param(
            _linker,
            "",
            "Your account may not delete links (clear cells).",
            id="a clear, from an editor who may not delete",
        ),
        pytest.param(
            _changer,
            "M",
            "Your account may not add links (fill empty cells).",
            id="a new link, from an editor who may not add",
        ),
    ],
)
def test_a_saved_set_with_a_write_the_editor_may_not_make_is_still_refused_whole(
    django_user_model, workspace, editor, taught, refused
):
    """Only the preview leaves out a clear (from an editor who may not delete links) or a level
    over an empty cell (from one who may not add them): a set sent to be written with one is
    refused as a whole (403), writing nothing, the permitted cell included. The set writes
    `taught` over DAT1's link and a new link on DAT2."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    links = set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id"))
    response = editor(django_user_model).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {
            f"cell:{courses['DAT1'].pk}:{abilities['D1'].pk}": taught,
            f"cell:{courses['DAT2'].pk}:{abilities['D1'].pk}": "I",
        },
        headers={"X-Map-Editor": "1"},
    )
    assert response.status_code == 403
    assert refused in response.content.decode()
    assert set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id")) == links


def test_the_row_page_offers_no_level_for_an_empty_course_to_an_editor_who_may_not_add(
    django_user_model, staff_user, workspace
):
    """The row page (without JavaScript) offered an editor who may not add links a level select
    on a course that does not teach the ability, only for the save to be refused: that course
    is shown as not taught, without a select, saying why; a taught course keeps its select."""
    programme, ability, courses = (
        workspace["programme"],
        workspace["abilities"]["D1"],
        workspace["courses"],
    )
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    html = _changer(django_user_model).get(url).content.decode()
    taught, empty = courses["DAT1"].pk, courses["DAT2"].pk

    assert f'name="cell:{taught}:{ability.pk}"' in html
    assert f'name="cell:{empty}:{ability.pk}"' not in html
    assert f'name="base:{empty}:{ability.pk}"' not in html
    row = re.search(rf'<tr id="course-{empty}".*?</tr>', html, re.S)[0]
    assert "not taught" in row
    assert "Your account may not add links (fill empty cells)." in row

    full = _staff(staff_user).get(url).content.decode()
    assert f'name="cell:{empty}:{ability.pk}"' in full
    assert "may not add links" not in full


def test_the_keyboard_help_tells_an_editor_who_may_not_add_that_empty_cells_stay_empty(
    django_user_model, staff_user, workspace
):
    """The help said only that typing a level in an empty cell leaves it empty, while a pasted
    block or a selection set to a level leaves it empty too (in their preview)."""
    programme = workspace["programme"]
    changer = _keyboard_help(_changer(django_user_model), programme)
    assert (
        "Typing, pasting or setting a level in an empty cell leaves it empty: your account may "
        "not add links." in changer
    )
    assert "in an empty cell leaves it empty" not in _keyboard_help(_staff(staff_user), programme)


def test_the_row_page_of_an_ability_no_course_teaches_offers_no_save_to_an_editor_who_may_not_add(
    django_user_model, staff_user, workspace
):
    """On the row of an ability no course teaches, an editor who may not add links has no level
    to choose, yet was offered "Save changes", and saving answered a bare 400 "Choose at least
    one cell.": no Save is offered, and the page says why. One who may add is offered it."""
    programme, ability = workspace["programme"], workspace["abilities"]["D3"]  # taught nowhere
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])

    html = _changer(django_user_model).get(url).content.decode()

    assert "Save changes" not in html
    assert (
        "No course of the programme teaches this ability, and your account may not add links: "
        "there is nothing here to save." in html
    )
    full = _staff(staff_user).get(url).content.decode()
    assert "Save changes" in full
    assert "nothing here to save" not in full


def test_a_change_set_without_cells_from_a_plain_form_is_a_page_leading_back(staff_user, workspace):
    """A form sent without a cell got a bare "Choose at least one cell." (400) with no way back:
    it is the refusal page, with a link back to the form it came from."""
    programme, ability = workspace["programme"], workspace["abilities"]["D3"]
    back = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    response = _staff(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]), {"back": back}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one cell." in html
    assert f'href="{back}"' in html


def _clearer(django_user_model) -> Client:
    """Staff who may change and delete links but not add them."""
    return _editor(django_user_model, "clearer", "change", "delete")


def test_a_redo_the_account_may_not_make_is_worded_as_a_redo(
    django_user_model, staff_user, workspace
):
    """Undoing someone's new links (a delete) is within an editor who may not add links; redoing
    (adding them back) is not. The status offers no Redo and said "undo needs permission to add
    links", and a redo sent anyway was refused as "Undoing this change would add back the
    links it cleared": both are worded as the redo they are."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    editor = {"X-Map-Editor": "1"}
    staff, clearer = _staff(staff_user), _clearer(django_user_model)
    tokens = []
    for ability in ("D1", "D3"):
        saved = _changes(
            staff, programme, {f"cell:{courses['DAT2'].pk}:{abilities[ability].pk}": "I"}, **editor
        ).content.decode()
        tokens.append(_undo_url(programme, saved))

    undone = clearer.post(tokens[0], headers=editor).content.decode()  # the map's script
    assert "<strong>Undone</strong>" in undone
    assert _undo_url(programme, undone) is None
    assert "redo needs permission to add links" in undone
    assert "undo needs" not in undone
    # Without JavaScript, the map's banner says the same.
    page = clearer.get(clearer.post(tokens[1])["Location"]).content.decode()
    assert "<strong>Undone</strong>" in page
    assert "redo needs permission to add links" in page
    assert "undo needs" not in page

    # A redo sent anyway (an older page, by hand): the undo's own token.
    reason = CourseAbility.history.filter(history_change_reason__contains=" undoes ").first()
    token = re.search(r"set ([0-9a-f]{32}) undoes", reason.history_change_reason)[1]
    refused = clearer.post(
        reverse("curricula:programme-change-undo", args=[programme.pk, token]), headers=editor
    )
    assert refused.status_code == 403
    assert (
        "Redoing this change would add back the links its undo deleted: your account may not add "
        "links." in refused.content.decode()
    )
    assert "Undoing" not in refused.content.decode()


# Each step of a chain save, undo, redo, undo, redo: what the status calls it, what it offers.
CHAIN = [
    ("Saved", "Undo"),
    ("Undone", "Redo"),
    ("Redone", "Undo"),
    ("Undone", "Redo"),
    ("Redone", "Undo"),
]


def _status_step(programme, html: str) -> tuple[str, str | None]:
    """What the status calls the set and the button it offers (None when it offers none)."""
    label = re.search(r"<strong>(\w+)</strong>", html)[1]
    button = re.search(r'data-map-undo="(?:undo|redo)">(\w+)</button>', html)
    return label, button[1] if button else None


@pytest.mark.parametrize("javascript", [True, False])
def test_along_a_chain_of_undos_and_redos_each_set_is_named_and_offered_as_what_it_is(
    staff_user, workspace, javascript
):
    """Save, undo, redo, undo, redo: the undo of a redo said "Redone" and offered Undo (only the
    set before was looked at, and it was an undo). Undo and redo alternate however long the
    chain, on the map's status and on the banner without JavaScript."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client = _staff(staff_user)
    headers = {"X-Map-Editor": "1"} if javascript else {}

    def shown(response) -> str:
        if javascript:
            return response.content.decode()
        return client.get(response["Location"]).content.decode()

    html = shown(
        _changes(
            client, programme, {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"}, **headers
        )
    )
    steps = [_status_step(programme, html)]
    linked = [
        CourseAbility.objects.filter(course=courses["DAT2"], ability=abilities["D3"]).exists()
    ]
    for _step in CHAIN[1:]:
        html = shown(client.post(_undo_url(programme, html), headers=headers))
        steps.append(_status_step(programme, html))
        linked.append(
            CourseAbility.objects.filter(course=courses["DAT2"], ability=abilities["D3"]).exists()
        )

    assert steps == CHAIN
    assert linked == [True, False, True, False, True]


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("length", [1, 2, 3, 4, 5])
def test_what_the_next_step_of_a_chain_needs_is_worded_as_the_undo_or_redo_it_is(
    django_user_model, staff_user, workspace, length, javascript
):
    """The set made last in a chain starting with a new link is undone by a delete when it added
    the link (a save or a redo) and redone by an add when it deleted it (an undo). An editor
    lacking that permission is told what the undo or the redo needs, and one sent anyway is
    refused in the same words: the undo of a redo was worded as a redo."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    headers = {"X-Map-Editor": "1"} if javascript else {}
    cell = {f"cell:{courses['DAT2'].pk}:{abilities['D3'].pk}": "I"}
    staff = _staff(staff_user)
    undo = None
    for _step in range(length - 1):
        if undo:
            staff.post(undo)
        else:
            _changes(staff, programme, cell)
        html = staff.get(programme.get_absolute_url()).content.decode()  # its banner
        undo = _undo_url(programme, html)
    added = length % 2 == 1
    # The last step by an editor who may make it but not the step after it.
    editor = _linker(django_user_model) if added else _clearer(django_user_model)
    response = (
        editor.post(undo, headers=headers) if undo else _changes(editor, programme, cell, **headers)
    )
    html = (
        response.content.decode()
        if javascript
        else editor.get(response["Location"]).content.decode()
    )

    label, _offered = CHAIN[length - 1]
    needs = (
        "undo needs permission to delete links" if added else "redo needs permission to add links"
    )
    assert _status_step(programme, html) == (label, None)
    assert needs in html
    assert ("redo needs" if added else "undo needs") not in html

    # The next step sent anyway (an older page, by hand): refused, in the same words.
    reason = CourseAbility.history.filter(course=courses["DAT2"], ability=abilities["D3"]).first()
    token = re.search(r"map change set ([0-9a-f]{32})", reason.history_change_reason)[1]
    history = CourseAbility.history.count()
    refused = editor.post(
        reverse("curricula:programme-change-undo", args=[programme.pk, token]), headers=headers
    )
    message = (
        "Undoing this change would delete the links it added: your account may not delete links."
        if added
        else "Redoing this change would add back the links its undo deleted: your account may not "
        "add links."
    )
    assert refused.status_code == 403
    assert message in refused.content.decode()
    assert ("Redoing" if added else "Undoing") not in refused.content.decode()
    assert CourseAbility.history.count() == history


@pytest.mark.parametrize("missing", ["course", "ability"])
def test_one_cell_without_its_course_or_ability_is_refused_like_any_change(
    staff_user, workspace, missing
):
    """The one-cell endpoint answered a form without a course or an ability with a bare text 400
    "Choose a course and an ability.": a plain form gets the refusal page leading back to the
    form it came from, and the map's script or htmx the refusal fragment, as for any change."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    url = reverse("curricula:programme-cell", args=[programme.pk])
    data = {"course": courses["DAT2"].pk, "ability": abilities["D3"].pk, "level": "I"}
    del data[missing]
    back = reverse("curricula:programme-ability", args=[programme.pk, abilities["D3"].pk])
    client = _staff(staff_user)

    page = client.post(url, {**data, "back": back})
    to_the_map = client.post(url, {**data, "view": "status=missing"})

    html = page.content.decode()
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "<html" in html
    assert "Choose a course and an ability." in html
    assert f'href="{back}"' in html
    assert f'href="{programme.get_absolute_url()}?status=missing"' in to_the_map.content.decode()
    for headers in ({"X-Map-Editor": "1"}, {"HX-Request": "true"}):
        fragment = client.post(url, data, headers=headers)
        html = fragment.content.decode()
        assert fragment.status_code == 400
        assert html.startswith('<div class="map-errors" role="alert">')
        assert "Choose a course and an ability." in html
    assert not CourseAbility.objects.filter(
        course=courses["DAT2"], ability=abilities["D3"]
    ).exists()


def test_a_row_page_does_not_repeat_a_description_that_is_the_statement(client, workspace):
    """Observed: an ESCO skill's statement is its description (the importer has no other), so
    its row page printed the same paragraph twice, as heading and again beneath it."""
    ability = workspace["abilities"]["D1"]
    ability.description = ability.text
    ability.save()
    url = reverse("curricula:programme-ability", args=[workspace["programme"].pk, ability.pk])
    html = client.get(url).content.decode()
    assert re.search(r"<h1[^>]*>.*analyse sales data</h1>", html)
    assert re.search(r'class="lede"><p>analyse sales data</p>', html) is None

    ability.description = "Read figures of sales and say what they show."
    ability.save()
    html = client.get(url).content.decode()
    assert re.search(r'class="lede"><p>Read figures of sales and say what they show.</p>', html)


def test_a_position_cell_does_not_repeat_a_description_that_is_the_statement(client, workspace):
    """The position page's cell (the same ESCO skill, the same paragraph twice) likewise."""
    ability = workspace["abilities"]["D1"]
    ability.description = ability.text
    ability.save()
    position = ability.requirements.first().position
    url = reverse("positions:cell", args=[position.pk, workspace["programme"].pk, ability.pk])
    html = client.get(url).content.decode()
    assert re.search(r"<h2[^>]*>.*analyse sales data</h2>", html)
    assert re.search(r'class="small muted"><p>analyse sales data</p>', html) is None


def test_in_chinese_the_level_codes_a_message_lists_are_joined_as_chinese_lists_them(
    staff_user, workspace
):
    """Observed in Chinese: a pasted value that is no level was refused with "请使用 I, R, M
    或留空", and the map's keyboard help listed the codes the same way: an English list inside
    a Chinese sentence. The codes are joined by the catalogue's separator (I、R、M)."""
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    chinese = {"Accept-Language": "zh-hans"}
    client = _staff(staff_user)
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "Z", "preview": "1"},
        headers={"X-Map-Editor": "1", **chinese},
    )
    page = client.get(programme.get_absolute_url(), headers=chinese).content.decode()
    html = response.content.decode()
    assert "“Z”不是有效的等级" in html
    assert "I、R、M" in html
    assert "I, R, M" not in html
    assert "I、R、M" in page
    assert "I, R, M" not in page
