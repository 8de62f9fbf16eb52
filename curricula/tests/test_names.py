"""Names as the paper gives them: Section III's areas headed "... ability", so an area never
reads like the Table I track of the same words; a course's title the same on every page; Table
I's title for a position shown beside its Table II name wherever a page shows both."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import Course, Programme
from positions.models import CompetencyArea, Track

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(paper):
    coverage_recompute(force=True)


def _programme(certification: str, track: str) -> Programme:
    return Programme.objects.get(certification__name=certification, track__name=track)


def test_areas_and_tracks_no_longer_read_the_same(paper):
    areas = set(CompetencyArea.objects.values_list("name", flat=True))
    tracks = set(Track.objects.values_list("name", flat=True))
    assert areas & tracks == set()
    assert "Research and development ability" in areas
    assert all(name.endswith(" ability") for name in areas)


def test_a_course_reads_the_same_on_the_certifications_and_decide_pages(client, computed):
    """Table III lists "online editing practice" in its sentence's case; both pages show the
    course's title, "Online editing practice", and neither the Title Case the loader used."""
    programme = _programme("Cross-border e-commerce engineer", "Operation and promotion")
    course = Course.objects.get(code="CBE106")
    assert course.title == "Online editing practice"
    certifications = client.get(reverse("certifications:list")).content.decode()
    decide = client.get(reverse("curricula:programme-decide", args=[programme.pk]))
    assert decide.status_code == 200
    for page in (certifications, decide.content.decode()):
        assert "Online editing practice" in page
        assert "Online Editing Practice" not in page
    programme_page = client.get(programme.get_absolute_url()).content.decode()
    assert "Online editing practice" in programme_page


def test_table_i_titles_beside_table_ii_names_on_the_programme_page_and_report(client, computed):
    """The master's operation programme prepares for Table II's "Internet operating manager",
    which Table I calls "website operation manager": both names are shown, on the page, in the
    map's position filter and in the printable report; a position Table I names the same way
    ("Senior sales consultant") is not repeated."""
    master = _programme("Cross border senior e-commerce engineer", "Operation and promotion")
    page = client.get(master.get_absolute_url()).content.decode()
    assert re.search(
        r"Internet operating manager</a><span class=\"muted small\"> \(Table I: “website "
        r"operation manager”\)</span>",
        page,
    )
    assert "Internet operating manager (Table I: “website operation manager”)</option>" in page
    report = client.get(reverse("curricula:programme-report", args=[master.pk])).content.decode()
    assert "Internet operating manager (Table I: “website operation manager”)" in report
    bachelor = _programme("Cross-border e-commerce engineer", "Operation and promotion")
    page = client.get(bachelor.get_absolute_url()).content.decode()
    assert "Senior sales consultant</a>," in page or "Senior sales consultant</a></li>" in page
    assert "“senior sales consultant”" not in page


def test_the_table_i_title_costs_no_query(client, computed):
    """The title comes with the targets' own query (a subquery), not one more per target."""
    master = _programme("Cross border senior e-commerce engineer", "Operation and promotion")
    bachelor = _programme("Cross-border e-commerce engineer", "Operation and promotion")
    # Once unmeasured: a connection's first JSON read checks the database's JSON support
    # (SQLite's `SELECT JSON(...)` in a savepoint), which is no cost of the page.
    client.get(bachelor.get_absolute_url())
    counts = []
    for programme in (master, bachelor):  # three targets, then two
        with CaptureQueriesContext(connection) as captured:
            client.get(programme.get_absolute_url())
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_targets_read_their_placement_once(computed):
    """The title and whether the paper lists it come from the same placement: the targets'
    query looks it up once (one subquery giving both), not once for each."""
    from curricula.selectors.maps import curriculum_map
    from positions.models import Placement

    master = _programme("Cross border senior e-commerce engineer", "Operation and promotion")
    with CaptureQueriesContext(connection) as captured:
        curriculum_map(programme=master)
    placement = connection.ops.quote_name(Placement._meta.db_table)
    [targets] = [
        query["sql"]
        for query in captured.captured_queries
        if placement in query["sql"] and "programmetarget" in query["sql"]
    ]
    assert targets.count(f"FROM {placement}") == 1, targets


def test_the_chart_shows_the_areas_whole_headings(client, computed):
    """The chart's labels fit Section III's longest heading, "Management and operation
    ability", without cutting it."""
    master = _programme("Cross border senior e-commerce engineer", "Operation and promotion")
    svg = client.get(reverse("curricula:programme-chart", args=[master.pk])).content.decode()
    assert ">Management and operation ability<" in svg


def test_the_gap_reports_headings_show_table_i_titles_too(client, computed):
    """Each target's section of the gap report, on the page, in its polled fragment and in the
    printable report, is headed by the Table II name with Table I's title beside it."""
    master = _programme("Cross border senior e-commerce engineer", "Operation and promotion")
    heading = re.compile(
        r"<h3[^>]*>Internet operating manager<span class=\"muted small\"> \(Table I: “website "
        r"operation manager”\)</span></h3>"
    )
    for url in (
        master.get_absolute_url(),
        reverse("curricula:programme-gaps", args=[master.pk]),
        reverse("curricula:programme-report", args=[master.pk]),
        master.get_absolute_url() + "?status=missing",
    ):
        assert heading.search(client.get(url).content.decode()), url
