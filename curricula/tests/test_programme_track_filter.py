"""`programs/?track=` takes a track's id or its slug, as `positions/?track=` does. Observed:
`programs/?track=research-and-development` was a 400 ("Enter a whole number"), while the same
parameter on positions (and the README's example of it) reads the slug."""

import pytest

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PlacementFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _listed(api_client, **query) -> list[int]:
    response = api_client.get("/api/v1/programs/", query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_programmes_are_filtered_by_a_track_s_slug_or_id(api_client):
    track = TrackFactory(slug="research-and-development")
    on_track = ProgrammeFactory(track=track)
    ProgrammeFactory(track=TrackFactory())
    assert _listed(api_client, track="research-and-development") == [on_track.pk]
    assert _listed(api_client, track=str(track.pk)) == [on_track.pk]


def test_a_track_reads_alike_on_programmes_and_positions(api_client):
    """An unknown slug, or an id past any row's, lists nothing on either (not a 400 on one)."""
    track = TrackFactory(slug="data")
    programme = ProgrammeFactory(track=track)
    position = PlacementFactory(track=track).position
    for value, programmes, positions in [
        ("data", [programme.pk], [position.pk]),
        ("no-such-track", [], []),
        (str(2**70), [], []),
    ]:
        assert _listed(api_client, track=value) == programmes
        listed = api_client.get("/api/v1/positions/", {"track": value}).json()["results"]
        assert [row["id"] for row in listed] == positions
