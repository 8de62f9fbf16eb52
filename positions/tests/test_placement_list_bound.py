"""A position's `placements` take at most MAX_PLACEMENTS entries (a placement per track and
degree level): a longer list is a 400 on the field naming the bound, before any entry is read.
Unbounded, each entry's track was looked up one query at a time before the list's duplicates
were refused: 30,000 placements (1.2 MB, under the body limit) held the request for 35 s and
60,000 queries, then answered a 400."""

import json

import pytest

from positions.api.serializers import MAX_PLACEMENTS
from positions.models import Placement
from positions.tests.factories import PositionFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_a_placement_list_past_the_bound_is_refused_before_it_is_read(
    staff_client, django_assert_max_num_queries
):
    position = PositionFactory()
    track = TrackFactory()
    placements = [
        {"track": track.pk, "degree_level": "bachelor", "title": f"Title {i}"}
        for i in range(MAX_PLACEMENTS + 1)
    ]
    with django_assert_max_num_queries(MAX_PLACEMENTS // 10):
        response = staff_client.patch(
            f"/api/v1/positions/{position.pk}/",
            json.dumps({"placements": placements}),
            content_type="application/json",
        )
    assert response.status_code == 400, response.content[:300]
    # In the shape a placements value that is no list is refused in (DRF's for a nested list).
    assert response.json() == {
        "placements": {
            "non_field_errors": [f"Ensure this field has no more than {MAX_PLACEMENTS} elements."]
        }
    }
    assert not Placement.objects.filter(position=position).exists()
