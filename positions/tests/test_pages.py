"""The positions list: Table I as a grid with search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import DegreeLevel
from positions.models import Track
from positions.tests.factories import (
    PlacementFactory,
    PositionFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def test_table_one_grid_lists_placements_by_track_and_degree(client):
    track = TrackFactory(name="Data analysis")
    PlacementFactory(track=track, title="data analyst", degree_level=DegreeLevel.BACHELOR)
    PlacementFactory(track=track, title="data modeler", degree_level=DegreeLevel.MASTER)
    PositionFactory(name="Customer service commissioner")
    response = client.get(reverse("positions:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data analysis" in html
    assert "data analyst" in html
    assert "data modeler" in html
    assert "Customer service commissioner" in html  # every position, placed or not
    assert "no requirements defined" in html


def test_search_filters_positions(client):
    PlacementFactory(title="data analyst")
    PlacementFactory(title="senior sales consultant")
    html = client.get(reverse("positions:list"), {"q": "DATA"}).content.decode()
    assert "data analyst" in html
    assert "senior sales consultant" not in html
    assert "1 entry under a track and degree matches" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(client):
    PlacementFactory()
    PositionFactory()
    few = _count(client, reverse("positions:list"))
    PlacementFactory.create_batch(10)
    PositionFactory.create_batch(10)
    assert _count(client, reverse("positions:list")) == few


def test_search_finds_positions_by_their_chinese_names(client):
    """A position's Chinese name (name_zh, shown while the interface is in Chinese) is searched
    too: in the grid, in a cell's own list and among the positions no track lists."""
    placed = PlacementFactory(
        title="quant analyst", position__name="Quantitative analyst", position__name_zh="数据分析师"
    )
    PlacementFactory(
        title="sales consultant",
        position__name="Senior sales consultant",
        position__name_zh="高级销售顾问",
        track=placed.track,
    )
    PositionFactory(name="Risk control specialist", name_zh="风险控制专员")
    PositionFactory(name="Customer service commissioner", name_zh="客服专员")
    url = reverse("positions:list")

    html = client.get(url, {"q": "分析师"}).content.decode()
    assert "quant analyst" in html
    assert "sales consultant" not in html
    assert "1 entry under a track and degree matches" in html

    html = client.get(url, {"q": "风险控制"}).content.decode()
    assert "Risk control specialist" in html
    assert "Customer service commissioner" not in html

    cell = {"track": placed.track.pk, "degree": placed.degree_level}
    html = client.get(url, {"q": "销售", **cell}).content.decode()
    assert "sales consultant" in html
    assert "quant analyst" not in html

    # English words still search the English names only, as before.
    html = client.get(url, {"q": "analyst"}).content.decode()
    assert "quant analyst" in html
    assert "sales consultant" not in html


def test_an_empty_table_one_says_so_instead_of_that_nothing_matches(client):
    """With no placement at all (a fresh database, or one holding only imported occupations)
    the page said that no entry matches though nothing had been searched for."""
    PositionFactory(name="Customer service commissioner")
    html = client.get(reverse("positions:list")).content.decode()
    assert "entry under a track and degree matches" not in html
    # Without the paper's data the page names no Table I and no load_paper (a university
    # mapping its own field): test_other_field_wording.py.
    assert "No position is placed under a track and degree yet" in html
    searched = client.get(reverse("positions:list"), {"q": "nothing"}).content.decode()
    assert "No entry under a track and degree matches." in searched


def test_the_grid_leaves_out_a_track_without_placements(client):
    """A track no position is placed under (one a programme needed, say) was an empty row of
    dashes in the grid: only tracks with placements are rows."""
    placed = TrackFactory(name="Data analysis")
    PlacementFactory(track=placed, title="data analyst")
    TrackFactory(name="Nursing")
    response = client.get(reverse("positions:list"))
    assert [row.track for row in response.context["table"].rows] == [placed]
    assert "Nursing" not in response.text


def test_a_database_with_tracks_but_no_placements_says_that_nothing_is_placed(client):
    TrackFactory(name="Nursing")
    response = client.get(reverse("positions:list"))
    assert response.context["table"].rows == []
    assert "Nursing" not in response.text
    assert "No position is placed under a track and degree yet" in response.text


def test_the_paper_s_grid_keeps_a_row_for_each_of_its_tracks(client, paper):
    """Every track of the paper has placements: Table I still shows all of them, in order."""
    rows = client.get(reverse("positions:list")).context["table"].rows
    assert [row.track for row in rows] == list(Track.objects.order_by("order", "name"))
    assert len(rows) == 3
    assert all(any(row.cells) for row in rows)


def test_a_search_looks_for_the_unplaced_positions_once(client, monkeypatch):
    """Observed: the positions no track lists were searched twice on one page, once for their
    counts (introducing them) and once for the page of them: the same search's query twice."""
    from core import search

    searched = []
    search_ids = search.search_ids

    def counted(queryset, **kwargs):
        searched.append(queryset.model)
        return search_ids(queryset, **kwargs)

    monkeypatch.setattr(search, "search_ids", counted)
    PositionFactory(name="Data steward")
    PositionFactory(name="Sales consultant")
    PlacementFactory(title="data analyst")
    html = client.get(reverse("positions:list"), {"q": "data"}).content.decode()
    assert "Data steward" in html
    assert "Sales consultant" not in html
    # The grid's search (its placements) and the unplaced positions' search, once each.
    assert sorted(model.__name__ for model in searched) == ["Placement", "Position"]


def test_a_search_s_query_count_is_the_list_s_and_its_searches(client):
    """The page with a search runs the list's queries, one query for each of its two searches
    (the grid's placements, the unplaced positions: the latter once, for their counts and their
    page alike) and one for the counts of the grid's matches, whatever the rows."""
    PositionFactory(name="Data steward")
    PlacementFactory(title="data analyst")
    plain = _count(client, reverse("positions:list"))
    searched = _count(client, reverse("positions:list") + "?q=data")
    PositionFactory.create_batch(5, name="Data keeper")
    PlacementFactory.create_batch(5, title="data keeper")
    assert _count(client, reverse("positions:list") + "?q=data") == searched
    assert searched == plain + 3
