"""What a programme's pages and downloads read, on the paper's data. In the page sweep
(competency_site/tests/test_bad_parameters.py) they were the suite's slowest pages: each built
the whole map view (the map, the stored report, and the courses suggested for each gap) whatever
it showed. The chart needs the report alone, the map's CSV the map alone, the workbook and the
printable report no suggestions, and only staff who may add links are shown suggestions on the
page."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import Programme

pytestmark = pytest.mark.django_db

PAGES = ["", "gaps/", "report/", "decide/", "map.csv", "chart.svg", "workbook.xlsx"]
# A bound per page for an anonymous reader of the paper's first programme; test_page_queries
# checks they do not grow with the catalogue.
MOST_QUERIES = {
    "": 13,
    "gaps/": 12,
    "report/": 13,
    "decide/": 16,
    "map.csv": 8,
    "chart.svg": 6,
    "workbook.xlsx": 13,
}


@pytest.fixture
def programme(paper_programme) -> Programme:
    return paper_programme


def read(client, url: str) -> list[str]:
    """The SQL of one GET of `url` after a first (with its parameters: the statement as sent)."""
    client.get(url)  # the session, the paper's presence
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        sql = [query["sql"] for query in queries.captured_queries]
    assert response.status_code == 200, url
    return sql


@pytest.mark.parametrize("page", PAGES)
def test_each_programme_page_reads_a_bounded_number_of_queries(client, programme, page):
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert len(queries) <= MOST_QUERIES[page], "\n".join(queries)


@pytest.mark.parametrize("page", ["", "gaps/", "report/", "map.csv", "chart.svg", "workbook.xlsx"])
def test_no_suggestion_is_read_where_none_is_shown(client, programme, page):
    """The courses suggested for a gap are shown only to staff who may add links, on the page
    and its gap report; an anonymous reader's page and every download read none."""
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert not [sql for sql in queries if '"curricula_suggestion"' in sql]


def test_the_printable_report_reads_no_suggestion_even_for_staff(client, programme, staff_user):
    """Its gap lists name no suggested course, for anyone."""
    client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/report/")
    assert not [sql for sql in queries if '"curricula_suggestion"' in sql]


@pytest.mark.parametrize("page", ["", "gaps/"])
def test_staff_who_may_add_links_are_still_shown_the_suggested_courses(
    client, programme, staff_user, page
):
    client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert [sql for sql in queries if '"curricula_suggestion"' in sql]


def test_the_chart_reads_only_the_stored_report_without_a_filter(client, programme):
    queries = read(client, f"/programs/{programme.pk}/chart.svg")
    assert not [sql for sql in queries if '"curricula_courseability"' in sql]


@pytest.mark.parametrize("page", PAGES)
def test_the_stored_report_is_read_once(client, programme, page):
    """The programme is read with its coverage row; the gap report took the row again, and
    its JSON was decoded twice."""
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert len([sql for sql in queries if '"curricula_programmecoverage"."report"' in sql]) <= 1


def repeated(queries: list[str]) -> dict[str, int]:
    """The statements sent more than once, with how many times. Savepoints are left out: a
    nested atomic block names each of its own, and one released repeats nothing read."""
    counts = Counter(sql for sql in queries if "SAVEPOINT" not in sql.upper())
    return {sql: n for sql, n in counts.items() if n > 1}


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
@pytest.mark.parametrize("page", PAGES)
def test_no_statement_is_sent_twice_for_one_page(client, programme, staff_user, reader, page):
    """What one part of a page read (the level scale, the crosswalk relations its rule set
    counts, the programme's courses, the targets' names) is passed to the parts reading the
    same: the programme page read the relations three times for staff (its map, the courses
    suggested for its gaps, its progression) and the level scale twice; the decide page the
    targets' names twice."""
    if reader == "staff":
        client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert repeated(queries) == {}


def reads_of(queries: list[str], table: str) -> list[str]:
    """The statements reading rows of `table` itself (not joining it, not in a subquery)."""
    return [sql for sql in queries if sql.startswith(f'SELECT "{table}".')]


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
@pytest.mark.parametrize("page", ["", "gaps/", "report/"])
@pytest.mark.parametrize(
    "table", ["curricula_courseability", "positions_ability", "positions_requirement"]
)
def test_the_links_and_the_ability_names_are_read_once_for_one_page(
    client, programme, staff_user, reader, page, table
):
    """The programme page and its report read the links of the programme's courses for the map
    (those to required abilities and their stand-ins) and again for the progression (all of
    them), and the abilities' names for the stored report and again for the progression: other
    rows each time, so no statement was repeated, but the same table read twice for one
    purpose; and the requirements of the targets for the map (with the abilities' names and
    areas) and again for the progression (their levels). One read of each now serves both."""
    if reader == "staff":
        client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/{page}")
    assert len(reads_of(queries, table)) <= 1, "\n".join(reads_of(queries, table))


@pytest.mark.parametrize("scenario", ["remove", "add_target"])
def test_the_what_if_preview_takes_the_targets_names_the_page_read(client, programme, scenario):
    """The decide page reads its targets' names once (its recommendations and its scenario's
    choices show them); its what-if preview read them again (the same statement, not caught
    by the decide page's test, which sends no scenario), and the check of a scenario adding a
    target read that position's name, then its preview again. One read names them all."""
    from curricula.models import ProgrammeCourse
    from positions.models import Position

    if scenario == "remove":
        value = ProgrammeCourse.objects.filter(programme=programme).first().course_id
    else:
        value = Position.objects.exclude(programme_targets__programme=programme).first().pk
    queries = read(client, f"/programs/{programme.pk}/decide/?{scenario}={value}")
    names = [sql for sql in reads_of(queries, "positions_position") if " NOT (" not in sql]
    assert len(names) == 1, "\n".join(names)


def recommended_course(client, programme) -> int:
    """The catalogue course the decide page recommends first: what its "try it" link adds."""
    response = client.get(f"/programs/{programme.pk}/decide/")
    return response.context["recommendations"]["courses"][0]["course"]["id"]


def scenario_query(client, programme, scenario: str) -> str:
    from curricula.models import ProgrammeCourse
    from positions.models import Position

    if scenario == "remove":
        value = ProgrammeCourse.objects.filter(programme=programme).first().course_id
    elif scenario == "add_target":
        value = Position.objects.exclude(programme_targets__programme=programme).first().pk
    else:
        scenario, value = "add", recommended_course(client, programme)
    return f"{scenario}={value}"


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
@pytest.mark.parametrize("scenario", ["remove", "add_target", "add_recommended"])
def test_no_statement_is_sent_twice_for_the_decide_page_with_a_scenario(
    client, programme, staff_user, reader, scenario
):
    """The recommendations, the what-if preview and the scenario's choices each read the
    abilities' names and the competency areas' (the same statements, as the preview of a
    target added or a course removed sent them), and the recommendations and the preview of
    the recommended course added each read that course's links: one lookup serves them all."""
    if reader == "staff":
        client.force_login(staff_user)
    query = scenario_query(client, programme, scenario)
    queries = read(client, f"/programs/{programme.pk}/decide/?{query}")
    assert repeated(queries) == {}


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
@pytest.mark.parametrize("scenario", ["", "remove", "add_target", "add_recommended"])
def test_the_decide_page_reads_the_abilities_names_once(
    client, programme, staff_user, reader, scenario
):
    """Its recommendations named the abilities of their gaps, its scenario's choices every
    required ability and its what-if those of the report after: other rows, the same table
    read two or three times for one purpose. One read of every ability the page can name
    (those the targets require, before and after the scenario) serves all three."""
    if reader == "staff":
        client.force_login(staff_user)
    query = scenario_query(client, programme, scenario) if scenario else ""
    queries = read(client, f"/programs/{programme.pk}/decide/?{query}")
    names = reads_of(queries, "positions_ability")
    assert len(names) <= 1, "\n".join(names)


@pytest.mark.parametrize("key", ["add_target", "remove_target"])
def test_applying_a_refused_scenario_reads_the_page_once(client, programme, staff_user, key):
    """Applying checks the scenario on the programme's inputs, reading the names of the
    positions it adds or removes; refused (the programme changed since its preview), it shows
    the decide page, which read the inputs again (the same statements) and the names again for
    its own check. The page is shown on what the check read."""
    from positions.models import Position

    client.force_login(staff_user)
    if key == "add_target":  # already a target
        value = programme.targets.first().position_id
    else:  # not a target
        value = Position.objects.exclude(programme_targets__programme=programme).first().pk
    url = f"/programs/{programme.pk}/decide/apply/"
    client.post(url, {key: value})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {key: value})
    queries = [query["sql"] for query in captured.captured_queries]
    assert response.status_code == 400
    assert repeated(queries) == {}
    names = [sql for sql in reads_of(queries, "positions_position") if " NOT (" not in sql]
    assert len(names) == 1, "\n".join(names)


# The decide page's queries by reader and scenario (scenario_query): its recommendations, its
# what-if preview and its scenario's choices read the course names each (the programme's
# courses twice), and the choices counted the catalogue courses they list in a statement of
# their own, joining the links again: 20, 23, 23 and 23 for an anonymous reader, 26, 29, 29
# and 29 for staff. Then its inputs read the programme's row again for its rule set, and the
# competency areas apart from its names of them: two more each. And a scenario with no links to
# change read the level scale for them, again after the inputs: one more for each scenario.
DECIDE_QUERIES = {
    ("anonymous", ""): 16,
    ("anonymous", "remove"): 18,
    ("anonymous", "add_target"): 18,
    ("anonymous", "add_recommended"): 17,
    ("staff", ""): 22,
    ("staff", "remove"): 24,
    ("staff", "add_target"): 24,
    ("staff", "add_recommended"): 23,
}


@pytest.mark.parametrize(("reader", "scenario"), list(DECIDE_QUERIES))
def test_the_decide_page_reads_a_bounded_number_of_queries(
    client, programme, staff_user, django_assert_max_num_queries, reader, scenario
):
    if reader == "staff":
        client.force_login(staff_user)
    query = scenario_query(client, programme, scenario) if scenario else ""
    url = f"/programs/{programme.pk}/decide/?{query}"
    client.get(url)  # the session, the paper's presence
    with django_assert_max_num_queries(DECIDE_QUERIES[reader, scenario]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
@pytest.mark.parametrize("table", ["curricula_programme", "positions_competencyarea"])
def test_the_decide_page_reads_the_programme_and_the_areas_once(
    client, programme, staff_user, reader, table
):
    """Its inputs read the programme's row again for its crosswalk rule set (the page had
    loaded it), and the competency areas (their order and codes) apart from the names its
    recommendations and choices give them: other columns each time, so no statement was
    repeated, but the same rows read twice for one page."""
    if reader == "staff":
        client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/decide/")
    assert len(reads_of(queries, table)) == 1, "\n".join(reads_of(queries, table))


def course_names(queries: list[str]) -> list[str]:
    """The statements reading courses' names: not the catalogue's list of courses to bring in
    (which counts each one's links), nor the scenario's check (codes alone)."""
    return [
        sql
        for sql in reads_of(queries, "curricula_course")
        if '"curricula_course"."title"' in sql and '"curricula_courseability"' not in sql
    ]


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
def test_the_decide_page_reads_the_course_names_once(client, programme, staff_user, reader):
    """Its recommendations name the courses they recommend and those of the programme reaching
    a gap below its level, its scenario's choices every course of the programme: one read of
    the programme's courses and the recommended ones serves both."""
    if reader == "staff":
        client.force_login(staff_user)
    queries = read(client, f"/programs/{programme.pk}/decide/")
    assert len(course_names(queries)) == 1, "\n".join(course_names(queries))


def test_the_decide_page_counts_the_catalogue_courses_where_it_lists_them(client, programme):
    """The scenario's choices list the first catalogue courses building a required ability and
    say how many there are: counted over the same rows, in the same statement."""
    queries = read(client, f"/programs/{programme.pk}/decide/")
    counts = [sql for sql in queries if sql.startswith("SELECT COUNT(")]
    assert counts == [], "\n".join(counts)
    response = client.get(f"/programs/{programme.pk}/decide/")
    choices = response.context["choices"]
    assert choices.catalogue_total == len(choices.catalogue_courses) > 0
