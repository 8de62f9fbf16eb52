"""Pages that list the catalogue are paged: the overview's programme cards, the programmes list
and the position page's programme columns. Each page shows the next slice in order, junk or out
of range page numbers show the nearest page (never a 500), and a page's queries do not grow with
the catalogue."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.tests.factories import CertificationFactory
from curricula.coverage.services import coverage_recompute
from curricula.models import Programme
from curricula.selectors import positions as position_selectors
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from curricula.views import programmes as programme_views
from positions.tests.factories import (
    AbilityFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

pytestmark = pytest.mark.django_db

JUNK_PAGES = ("999", "0", "-3", "abc", "9" * 30, "")


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


# --- The overview and the programmes list ----------------------------------------------------


def _programmes(
    count: int, *, missing: dict[int, int] | None = None, prefix: str = "Programme"
) -> list[Programme]:
    """`count` programmes ("<prefix> 00", ...), each targeting a position whose requirements
    are all missing: the i-th misses missing.get(i, 1) essential abilities. Returned in
    catalogue order."""
    missing = missing or {}
    for i in range(count):
        position = PositionFactory()
        for _ in range(missing.get(i, 1)):
            RequirementFactory(position=position)
        ProgrammeFactory(name=f"{prefix} {i:02d}", order=i, targets=[position])
    coverage_recompute(force=True)
    return list(Programme.objects.filter(name__startswith=prefix).in_catalogue_order())


def _card_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/programs/\d+/">([^<]+)</a></h3>', html)


def _row_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/programs/\d+/">([^<]+)</a></th>', html)


def test_overview_pages_its_programme_cards(client, monkeypatch):
    monkeypatch.setattr(programme_views, "OVERVIEW_PAGE_SIZE", 2)
    names = [p.name for p in _programmes(5)]
    first = client.get("/").content.decode()
    assert _card_names(first) == names[:2]
    assert "Programmes 1\u20132 of 5" in first
    assert 'href="?page=2" rel="next"' in first
    assert reverse("curricula:programme-list") in first
    assert _card_names(client.get("/", {"page": 2}).content.decode()) == names[2:4]
    assert _card_names(client.get("/", {"page": 3}).content.decode()) == names[4:]
    for junk in JUNK_PAGES:
        assert client.get("/", {"page": junk}).status_code == 200, junk
    assert _card_names(client.get("/", {"page": 999}).content.decode()) == names[4:]


def test_look_first_is_chosen_among_all_programmes_not_the_page(client, monkeypatch):
    monkeypatch.setattr(programme_views, "OVERVIEW_PAGE_SIZE", 2)
    catalogue = [p.name for p in _programmes(6, missing={4: 3, 5: 2, 1: 2})]
    html = client.get("/").content.decode()
    look_first = html[html.index("Look at these first") : html.index('id="programmes-heading"')]
    # Most missing first; equal counts (and equal shares, 0 %) in catalogue order.
    twos = [name for name in catalogue if name in ("Programme 01", "Programme 05")]
    assert re.findall(r">(Programme \d\d)</a>", look_first) == ["Programme 04", *twos]
    assert len(_card_names(html)) == 2  # three to look at, on a page of two cards
    assert "3 essential abilities missing" in look_first


def test_programme_list_is_paged(client, monkeypatch):
    monkeypatch.setattr(programme_views, "PROGRAMME_LIST_PAGE_SIZE", 2)
    names = [p.name for p in _programmes(3)]
    url = reverse("curricula:programme-list")
    assert _row_names(client.get(url).content.decode()) == names[:2]
    assert _row_names(client.get(url, {"page": 2}).content.decode()) == names[2:]
    for junk in JUNK_PAGES:
        assert client.get(url, {"page": junk}).status_code == 200, junk


def test_paper_overview_shows_every_programme_on_one_page(client, seeded):
    html = client.get("/").content.decode()
    assert sorted(_card_names(html)) == sorted(p.display_name for p in Programme.objects.all())
    assert 'rel="next"' not in html


def test_overview_and_list_queries_do_not_grow_with_programmes(client, monkeypatch):
    monkeypatch.setattr(programme_views, "OVERVIEW_PAGE_SIZE", 2)
    monkeypatch.setattr(programme_views, "PROGRAMME_LIST_PAGE_SIZE", 2)
    _programmes(3)
    url = reverse("curricula:programme-list")
    few = [_count(client, "/"), _count(client, "/", {"page": 2}), _count(client, url)]
    _programmes(6, prefix="More")
    many = [_count(client, "/"), _count(client, "/", {"page": 2}), _count(client, url)]
    assert many == few


# --- The position page's programme columns -------------------------------------------------


def _position_with_programmes(builders: int, targeting: int = 0, prefix: str = ""):
    """A position requiring one ability (M): `builders` programmes build it to R, `targeting`
    more target the position without building it; names sort the builders first. All under one
    certification and track: programmes sort by their certification's name before their own,
    and each factory-made one's ("Certification 9", "Certification 10") sorted by the factory's
    count, which the tests run before had moved on, not by the programmes' order."""
    position = PositionFactory(name="Data analyst")
    requirement = RequirementFactory(
        position=position, ability=AbilityFactory(), min_level=level("M")
    )
    shared = {"certification": CertificationFactory(), "track": TrackFactory()}
    for i in range(builders):
        course = CourseFactory()
        CourseAbilityFactory(course=course, ability=requirement.ability, level=level("R"))
        ProgrammeFactory(name=f"A builder {prefix}{i:02d}", order=i, courses=[course], **shared)
    for i in range(targeting):
        ProgrammeFactory(
            name=f"Z target {prefix}{i:02d}", order=100 + i, targets=[position], **shared
        )
    return position


def _column_names(html: str) -> list[str]:
    return re.findall(r'data-course="\d+">\s*<a href="/programs/\d+/">([^<]+)</a>', html)


def test_position_page_pages_programme_columns_targeting_ones_first(client, monkeypatch):
    monkeypatch.setattr(position_selectors, "POSITION_PAGE_COLUMNS", 3)
    position = _position_with_programmes(builders=4, targeting=2)
    url = position.get_absolute_url()
    first = client.get(url).content.decode()
    assert _column_names(first) == ["Z target 00", "Z target 01", "A builder 00"]
    assert "Programmes 1\u20133 of 6, those targeting this position first" in first
    # The pager above the table and again below it, each named.
    assert first.count('href="?cols=2" rel="next"') == 2
    assert 'aria-label="Programme columns"' in first
    assert 'aria-label="Programme columns, below the table"' in first
    # Only the shown programmes' cells: one row, three cells, the builder's at R.
    assert first.count('class="level-cell') == 3
    assert first.count('class="level-cell shade-2"') == 1
    second = client.get(url, {"cols": 2}).content.decode()
    assert _column_names(second) == ["A builder 01", "A builder 02", "A builder 03"]
    assert second.count('class="level-cell shade-2"') == 3
    assert 'href="?cols=1" rel="prev"' in second
    for junk in JUNK_PAGES:
        assert client.get(url, {"cols": junk}).status_code == 200, junk
    assert _column_names(client.get(url, {"cols": 999}).content.decode()) == _column_names(second)


def test_position_page_shows_every_programme_column_on_request(client, monkeypatch):
    """`?cols=all` lays every programme side by side (to print or read the whole comparison),
    targeting ones first, with a way back to pages; the queries stay those of one page."""
    monkeypatch.setattr(position_selectors, "POSITION_PAGE_COLUMNS", 3)
    position = _position_with_programmes(builders=4, targeting=2)
    url = position.get_absolute_url()
    first = client.get(url).content.decode()
    assert first.count('href="?cols=all"') == 2
    every = client.get(url, {"cols": "all"}).content.decode()
    assert _column_names(every) == [
        "Z target 00",
        "Z target 01",
        "A builder 00",
        "A builder 01",
        "A builder 02",
        "A builder 03",
    ]
    assert every.count('class="level-cell') == 6
    assert "All 6 programmes, those targeting this position first" in every
    assert 'href="?cols=1"' in every
    assert 'rel="next"' not in every
    assert _count(client, url, {"cols": "all"}) == _count(client, url)


def test_position_page_cells_link_to_their_details(client):
    position = _position_with_programmes(builders=1)
    programme = Programme.objects.get()
    ability_id = position.requirements.get().ability_id
    html = client.get(position.get_absolute_url()).content.decode()
    detail = reverse("positions:cell", args=[position.pk, programme.pk, ability_id])
    assert f'href="{detail}" data-cell-detail' in html
    assert client.get(detail).status_code == 200


def test_a_position_no_programme_builds_has_no_pager(client):
    position = _position_with_programmes(builders=0)
    html = client.get(position.get_absolute_url()).content.decode()
    assert _column_names(html) == []
    assert "column-pager" not in html


def test_position_page_queries_do_not_grow_with_programmes(client, monkeypatch):
    monkeypatch.setattr(position_selectors, "POSITION_PAGE_COLUMNS", 3)
    few = _position_with_programmes(builders=2, targeting=1)
    many = _position_with_programmes(builders=9, targeting=4, prefix="many ")
    assert _count(client, many.get_absolute_url()) == _count(client, few.get_absolute_url())
    assert _count(client, many.get_absolute_url(), {"cols": 3}) == _count(
        client, few.get_absolute_url(), {"cols": 3}
    )
