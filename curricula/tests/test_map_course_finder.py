"""*Find courses* narrows the map's columns as module and stage do: by a course's code (its start,
as typed), title, Chinese title and the title the programme lists it under, read by the same word
rules as *Find in the map*. Observed: a
programme of 40+ courses paged 40 at a time gave no way to find one course's column, and typing a
course's code or title into *Find in the map* narrowed the rows and found nothing."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.selectors.maps import MAP_PAGE_COLUMNS, SEARCH_MAX_LENGTH, MapFilters, curriculum_map
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from curricula.tests.test_map_views import _bars, _big_number, _rows, workspace  # noqa: F401
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def titled(workspace):  # noqa: F811
    """The workspace's courses with titles in both languages: DAT1 analysing data (数据分析),
    DAT2 data visualisation (数据可视化), MKT1 freight marketing (货运营销: 货运 + 营销)."""
    for code, title, title_zh in (
        ("DAT1", "Analysing the data", "数据分析"),
        ("DAT2", "Data visualisation", "数据可视化"),
        ("MKT1", "Freight marketing", "货运营销"),
    ):
        course = workspace["courses"][code]
        course.title, course.title_zh = title, title_zh
        course.save()
    return workspace


def _columns(world, courses: str) -> list[str]:
    shown = curriculum_map(programme=world["programme"], filters=MapFilters(course_q=courses))
    return [column.code for column in shown.columns]


# --- The matching ------------------------------------------------------------------------------


def test_english_words_of_a_title_find_its_course_stemmed_every_word_needed(titled):
    assert _columns(titled, "data") == ["DAT1", "DAT2"]
    assert _columns(titled, "analyse") == ["DAT1"]  # "analysing", stemmed
    assert _columns(titled, "DATA visualisation") == ["DAT2"]
    assert _columns(titled, "data marketing") == []
    # A word's inside is no word of its own.
    assert _columns(titled, "ket") == []


def test_chinese_words_of_a_chinese_title_find_its_course_in_either_language(titled):
    assert _columns(titled, "数据") == ["DAT1", "DAT2"]
    assert _columns(titled, "营销") == ["MKT1"]
    # 货运营销 is 货运 + 营销: the characters 运营 only sit side by side.
    assert _columns(titled, "运营") == []
    assert _columns(titled, "可视化 data") == ["DAT2"]


def test_the_start_of_a_code_finds_the_courses_whose_codes_begin_so(titled):
    assert _columns(titled, "dat") == ["DAT1", "DAT2"]
    assert _columns(titled, "ＭＫ") == ["MKT1"]  # noqa: RUF001 (full-width, as an IME types)
    assert _columns(titled, "dat2") == ["DAT2"]
    assert _columns(titled, "AT1") == []  # not the inside of a code


def test_a_version_in_a_title_is_found_by_its_major_number_and_codes_a_part_at_a_time(titled):
    """As the site search: "python 3" finds "Python 3.11" (3 is the start of the code 3.11),
    and the start of a dotted course code is read a part at a time (2.2 is no start of 2.20)."""
    for key, code, title in (
        ("DAT1", "2.2.1", "Python 3.11 for data"),
        ("DAT2", "2.20", "Python 2.7"),
    ):
        course = titled["courses"][key]
        course.code, course.title = code, title
        course.save()
    assert _columns(titled, "python 3") == ["2.2.1"]
    assert _columns(titled, "python 3.1") == []
    assert _columns(titled, "2.2") == ["2.2.1"]
    assert _columns(titled, "2") == ["2.2.1", "2.20"]


def test_a_search_of_stop_words_alone_finds_no_course(titled):
    assert _columns(titled, "the") == []
    assert _columns(titled, "of the 的") == []


def test_the_course_finder_narrows_columns_and_counts_as_a_filter(titled):
    filters = MapFilters.from_query({"courses": "  data   visualisation "})
    assert filters.course_q == "data visualisation"
    assert filters.active
    assert filters.narrows_rows_or_columns
    assert filters.params() == [("courses", "data visualisation")]
    assert MapFilters.from_query({"courses": "x" * 5000}).course_q == "x" * SEARCH_MAX_LENGTH
    assert not MapFilters.from_query({"courses": "   "}).active
    # The rows stay: a row reached only by the other courses is missing in this view.
    shown = curriculum_map(programme=titled["programme"], filters=filters)
    assert [column.code for column in shown.columns] == ["DAT2"]
    assert {row.code: row.status for row in shown.rows} == {
        "D1": "missing",
        "D2": "covered",
        "D3": "missing",
        "M1": "missing",
        "M2": "missing",
    }
    assert shown.all_column_count == 3


# --- The page and its downloads ----------------------------------------------------------------


def _head_codes(html: str) -> list[str]:
    return re.findall(r'class="course-head__link"[^>]*><span class="code">([^<]+)<', html)


def test_the_page_finds_courses_in_its_filter_form_and_keeps_them_in_every_link(client, titled):
    programme = titled["programme"]
    html = client.get(programme.get_absolute_url(), {"courses": "数据"}, **EN).content.decode()
    assert 'name="courses"' in html
    assert 'value="数据"' in html
    assert _head_codes(html) == ["DAT1", "DAT2"]
    assert _rows(html) == ["D1", "D2", "D3", "M1", "M2"]
    assert "Showing 5 of 5 required abilities and 2 of 3 courses." in html
    assert _big_number(html) == "20"  # D2 of five essential abilities
    assert "for the filtered view" in html
    assert "Find courses: 数据" in html
    query = "courses=%E6%95%B0%E6%8D%AE"
    for name in ("map-csv", "chart", "workbook", "report"):
        assert f"{reverse(f'curricula:programme-{name}', args=[programme.pk])}?{query}" in html
    assert f'data-view="{query}"' in html  # what the editor posts back with a change


def test_no_matching_course_says_so_and_offers_a_way_back(client, titled):
    programme = titled["programme"]
    html = client.get(
        programme.get_absolute_url(), {"courses": "zzz", "status": "missing"}, **EN
    ).content.decode()
    assert 'id="curriculum-map"' not in html
    assert "No course of this programme matches “zzz”." in html
    # The way back drops only the course finder.
    assert f'href="{programme.get_absolute_url()}?status=missing"' in html
    assert "Nothing in the map matches these filters." not in html


def test_no_matching_course_says_so_in_chinese(client, titled):
    html = client.get(
        titled["programme"].get_absolute_url(), {"courses": "zzz"}, **ZH
    ).content.decode()
    assert "本培养方案中没有与“zzz”匹配的课程。" in html
    assert "查找课程" in html


def _download(client, name: str, programme, params) -> list[str]:
    """The course codes a download holds for `params`."""
    if name == "api-workbook":
        url = f"/api/v1/programs/{programme.pk}/workbook.xlsx"
    else:
        url = reverse(f"curricula:{name}", args=[programme.pk])
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    if name == "programme-map-csv":
        body = response.content.decode("utf-8-sig")
        return [row[0] for row in list(csv.reader(io.StringIO(body)))[2:]]
    if name in ("programme-workbook", "api-workbook"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return [cell.value for cell in book["Map"][1]][7:]
    text = response.content.decode()
    if name == "programme-chart":
        return [f"{label} {percent.strip()} {counts}" for label, percent, counts in _bars(text)]
    return re.findall(
        r'<li><span class="code">([^<]+)</span>',
        text.split('<ol class="course-key">')[1].split("</ol>")[0],
    )


# What each download holds when DAT2 alone is found.
DAT2_ALONE = [
    ("programme-map-csv", ["DAT2"]),
    ("programme-workbook", ["DAT2"]),
    ("api-workbook", ["DAT2"]),
    # D2 alone: the analyst's, not the marketer's (1/2 with every course).
    ("programme-chart", ["Data analysis 33% (1/3)", "Marketing 0% (0/2)"]),
    ("programme-report", ["DAT2"]),
]


@pytest.mark.parametrize(("name", "expected"), DAT2_ALONE)
def test_every_download_holds_only_the_found_courses(client, titled, name, expected):
    assert _download(client, name, titled["programme"], {"courses": "visualisation"}) == expected


def test_the_api_refuses_an_overlong_course_search_with_a_field_message(client, titled):
    url = f"/api/v1/programs/{titled['programme'].pk}/workbook.xlsx"
    response = client.get(url, {"courses": "x" * (SEARCH_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert "courses" in response.json()


def test_junk_in_the_course_finder_is_never_a_500(client, titled):
    url = titled["programme"].get_absolute_url()
    for courses in ("a" * 5000, "'; drop table", "\x00", "%%%", "　", "((("):
        assert client.get(url, {"courses": courses}).status_code == 200, courses
    csv_url = reverse("curricula:programme-map-csv", args=[titled["programme"].pk])
    assert client.get(csv_url, {"courses": "a" * 5000}).status_code == 200


# --- A wide programme ------------------------------------------------------------------------


@pytest.fixture
def wide():
    position = PositionFactory()
    ability = AbilityFactory(code="W1")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    courses = [
        CourseFactory(code=f"W{index:03d}", title=f"Workshop {index}")
        for index in range(MAP_PAGE_COLUMNS + 5)
    ]
    CourseAbilityFactory(course=courses[-1], ability=ability, level=level("M"))
    programme = ProgrammeFactory(courses=courses, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def test_a_course_beyond_the_first_page_of_columns_is_found_and_paging_keeps_the_search(
    client, wide
):
    url = wide.get_absolute_url()
    html = client.get(url, {"courses": "w044"}).content.decode()
    assert _head_codes(html) == ["W044"]
    assert "status-cell--covered" in html
    # Paging a search that finds more than a page keeps it.
    many = client.get(url, {"courses": "workshop"}).content.decode()
    assert f'href="{url}?courses=workshop&amp;cols=2#map-heading"' in many
    second = client.get(url, {"courses": "workshop", "cols": 2}).content.decode()
    assert _head_codes(second) == [f"W{index:03d}" for index in range(40, 45)]


def test_the_course_finder_costs_no_query_more_whatever_it_finds(client, wide):
    url = wide.get_absolute_url()
    client.get(url, {"q": "w1"})  # warm
    counts = {}
    for name, params in (
        ("another filter", {"q": "w1"}),
        ("one course", {"courses": "w044"}),
        ("every course", {"courses": "workshop"}),
        ("no course", {"courses": "zzz"}),
        ("with the other filters", {"courses": "workshop", "q": "w1", "cols": 2}),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        counts[name] = len(queries.captured_queries)
    assert len(set(counts.values())) == 1, counts


# --- The title a list gives a course -------------------------------------------------------------


@pytest.fixture
def listed(titled):
    """DAT2 listed by the programme (as Table III lists the paper's courses) under a title of
    its own, whose words are none of the course's title."""
    titled["programme"].programme_courses.filter(course=titled["courses"]["DAT2"]).update(
        listed_as="Dashboards and charts"
    )
    return titled


def test_the_title_a_course_is_listed_under_finds_it(listed):
    """Observed: *Find courses* read a course's code, title and Chinese title, not the title
    the programme's list (the paper's Table III) gives it, which the map's head shows: a
    designer searching a course by the title Table III prints found nothing."""
    assert _columns(listed, "dashboards") == ["DAT2"]
    assert _columns(listed, "chart") == ["DAT2"]
    assert _columns(listed, "dashboards data") == ["DAT2"]  # a word of each
    assert _columns(listed, "dashboards marketing") == []


def test_the_listed_title_finds_its_course_in_the_chinese_interface_too(client, listed):
    html = client.get(
        listed["programme"].get_absolute_url(), {"courses": "dashboards"}, **ZH
    ).content.decode()
    assert _head_codes(html) == ["DAT2"]


@pytest.mark.parametrize(("name", "expected"), DAT2_ALONE)
def test_every_download_holds_the_course_found_by_its_listed_title(client, listed, name, expected):
    assert _download(client, name, listed["programme"], {"courses": "dashboards"}) == expected
