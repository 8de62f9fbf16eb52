"""The API's orjson renderer writes what DRF's own JSON renderer wrote, and refuses what it
cannot encode instead of writing null."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from core.api.renderers import JSONRenderer

SAMPLE = {
    "when": datetime.datetime(2026, 11, 28, 4, 5, 6, 789000, tzinfo=datetime.UTC),
    "day": datetime.date(2026, 11, 28),
    "message": gettext_lazy("This field is required."),
    "credits": Decimal("2.50"),
    "took": datetime.timedelta(seconds=90),
    "by_id": {3: "three"},
    "text": "跨境电商",
    "nested": [1, 2.5, None, True],
}


def test_it_writes_what_drf_wrote():
    ours = JSONRenderer().render(SAMPLE)
    drf = DRFJSONRenderer().render(SAMPLE)
    assert ours == drf
    assert b'"2026-11-28T04:05:06.789000Z"' in ours


def test_an_unknown_type_is_an_error_not_null():
    with pytest.raises(TypeError):
        JSONRenderer().render({"thing": object()})


def test_the_api_answers_through_it(client, db):
    response = client.get("/api/v1/levels/")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.json()["count"] == 3


def test_an_integer_beyond_64_bits_is_written_as_json_writes_it():
    """orjson refuses such an integer; JSON has no limit, and a publisher's data may hold one."""
    data = {"big": 2**70, "when": SAMPLE["when"], "text": "跨境电商"}

    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)
    assert b'"big":1180591620717411303424' in JSONRenderer().render(data)
