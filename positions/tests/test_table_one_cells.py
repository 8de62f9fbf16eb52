"""The positions list at catalogue scale: each cell of the Table I grid shows its first placements
and links to the rest, the cell's own paged list; the search follows into it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import DegreeLevel
from positions import selectors
from positions import views as position_views
from positions.models import Placement
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

pytestmark = pytest.mark.django_db

SHOWN = selectors.TABLE_ONE_CELL_SHOWN


def _cell(track, count, degree=DegreeLevel.BACHELOR, word="analyst"):
    """`count` placements in one cell, titled in Table I's order."""
    return [
        PlacementFactory(
            track=track,
            degree_level=degree,
            order=i,
            position=PositionFactory(name=f"{word} {i:03d}"),
        )
        for i in range(count)
    ]


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/positions/\d+/">([^<]+)</a>', html)


def test_a_full_cell_shows_its_first_placements_and_links_to_the_rest(client):
    track = TrackFactory(name="Data analysis")
    placements = _cell(track, SHOWN + 3)
    html = client.get(reverse("positions:list")).content.decode()
    assert _titles(html) == [p.title for p in placements[:SHOWN]]
    link = re.search(r'<a class="more-link" href="\?([^"]+)">3 more', html)
    assert link, html
    assert link.group(1) == f"track={track.pk}&amp;degree=bachelor"
    assert "positions in Data analysis, Bachelor" in html  # the link's name, for screen readers

    cell = client.get(reverse("positions:list"), {"track": track.pk, "degree": "bachelor"})
    assert cell.status_code == 200
    html = cell.content.decode()
    # Without the paper's data, the cell is named without Table I (test_other_field_wording.py).
    assert "<h1>Data analysis, Bachelor</h1>" in html
    assert _titles(html) == [p.title for p in placements]


def test_a_cell_is_paged_and_out_of_range_pages_give_the_last(client, monkeypatch):
    monkeypatch.setattr(position_views, "CELL_PER_PAGE", 2)
    track = TrackFactory()
    placements = _cell(track, 5)
    url = reverse("positions:list")
    params = {"track": track.pk, "degree": "bachelor"}
    first = client.get(url, params).content.decode()
    assert _titles(first) == [p.title for p in placements[:2]]
    assert f'href="?track={track.pk}&amp;degree=bachelor&amp;page=2" rel="next"' in first
    second = client.get(url, {**params, "page": 2}).content.decode()
    assert _titles(second) == [p.title for p in placements[2:4]]
    for junk in ("999", "0", "-1", "abc", "9" * 30):
        response = client.get(url, {**params, "page": junk})
        assert response.status_code == 200, junk
    assert _titles(client.get(url, {**params, "page": 999}).content.decode()) == [
        placements[4].title
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"track": "abc", "degree": "bachelor"},
        {"track": "999999", "degree": "bachelor"},
        {"track": "9" * 30, "degree": "bachelor"},
        {"track": "1", "degree": "doctor"},
        {"degree": "master"},
    ],
)
def test_junk_cell_links_show_the_whole_grid(client, params):
    placement = PlacementFactory(title="data analyst")
    response = client.get(reverse("positions:list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "positions by track and degree" in html.lower()
    assert placement.title in html


def test_search_counts_every_match_and_follows_into_the_cell(client):
    track = TrackFactory(name="Data analysis")
    analysts = _cell(track, SHOWN + 2, word="analyst")
    _cell(track, 3, word="buyer", degree=DegreeLevel.MASTER)
    html = client.get(reverse("positions:list"), {"q": "analyst"}).content.decode()
    assert f"{SHOWN + 2} entries under a track and degree match" in html
    assert "buyer" not in html
    assert _titles(html) == [p.title for p in analysts[:SHOWN]]
    assert f'href="?q=analyst&amp;track={track.pk}&amp;degree=bachelor"' in html

    html = client.get(
        reverse("positions:list"), {"q": "analyst 001", "track": track.pk, "degree": "bachelor"}
    ).content.decode()
    assert _titles(html) == ["analyst 001"]
    # The search form keeps the cell.
    assert f'<input type="hidden" name="track" value="{track.pk}">' in html
    assert '<input type="hidden" name="degree" value="bachelor">' in html


def test_the_paper_hides_nothing(client, paper):
    html = client.get(reverse("positions:list")).content.decode()
    assert "more-link" not in html
    for title in Placement.objects.values_list("title", flat=True):
        assert title in html


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_grid_and_cell_queries_do_not_grow_with_the_catalogue(client):
    track = TrackFactory()
    _cell(track, 2)
    url = reverse("positions:list")
    params = {"track": track.pk, "degree": "bachelor"}
    few = _count(client, url), _count(client, url, params), _count(client, url, {"q": "analyst"})
    _cell(track, 3 * SHOWN, word="analyst more")
    _cell(TrackFactory(), 3 * SHOWN, degree=DegreeLevel.MASTER)
    many = _count(client, url), _count(client, url, params), _count(client, url, {"q": "analyst"})
    assert many == few
