"""The positions list's query count, locked: its paginator of the positions no track lists
takes their number from the counts the page reads anyway (position_unplaced), instead of
counting them again with a COUNT query of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.tests.factories import PlacementFactory, PositionFactory

pytestmark = pytest.mark.django_db

# For an anonymous visitor (no session or user read): the unplaced positions' counts; Table I's
# cell counts, placements, their positions' requirement counts, tracks and track aliases; the
# paper's framework (whether it is loaded); the page of unplaced positions.
LIST_QUERIES = 8


def _counts(captured) -> list[str]:
    """The queries that only count rows (the aggregate of counts reads three at once)."""
    return [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)")]


@pytest.mark.parametrize("query", [{}, {"q": "analyst"}, {"page": "2"}, {"page": "junk"}])
def test_the_list_counts_its_unplaced_positions_once(client, query):
    PlacementFactory()
    PositionFactory.create_batch(55, name="analyst")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("positions:list"), query)
    assert response.status_code == 200
    assert _counts(captured) == [], _counts(captured)
    page = response.context["unplaced_page"]
    assert page.paginator.count == 55
    assert page.paginator.num_pages == 2


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    PlacementFactory()
    PositionFactory.create_batch(3)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("positions:list")).status_code == 200
