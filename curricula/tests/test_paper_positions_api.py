"""Tables I and II of the paper come back through the API exactly, once `load_paper` has run."""

import pytest
from django.core.management import get_commands

pytestmark = pytest.mark.skipif(
    "load_paper" not in get_commands(), reason="the load_paper command is not there yet"
)

TABLE_I = {
    ("research-and-development", "bachelor"): {
        "developer and designer of website",
        "PC and mobile website developer and maintainer",
    },
    ("research-and-development", "master"): {
        "website needs and planner",
        "e-commerce system architect",
    },
    ("operation-and-promotion", "bachelor"): {
        "internet marketing specialist",
        "senior sales consultant",
    },
    ("operation-and-promotion", "master"): {
        "business operation manager",
        "network marketing manager",
        "website operation manager",
    },
    ("data-analysis", "bachelor"): {"data analyst", "market research commissioner"},
    ("data-analysis", "master"): {"data analyst", "data modeler"},
}


def _all(api_client, path):
    separator = "&" if "?" in path else "?"
    body = api_client.get(f"/api/v1/{path}{separator}page_size=1000").json()
    assert body["next"] is None
    return body["results"]


def test_three_tracks(paper, api_client):
    tracks = _all(api_client, "tracks/")
    assert [t["slug"] for t in tracks] == [
        "research-and-development",
        "operation-and-promotion",
        "data-analysis",
    ]
    by_slug = {t["slug"]: t for t in tracks}
    assert "Technological development" in by_slug["research-and-development"]["aliases"]
    assert "Mathematical analysis" in by_slug["data-analysis"]["aliases"]


@pytest.mark.parametrize(("track", "degree"), list(TABLE_I))
def test_table_i_positions_per_track_and_degree(paper, api_client, track, degree):
    positions = _all(api_client, f"positions/?track={track}&degree_level={degree}")
    track_id = next(t["id"] for t in _all(api_client, "tracks/") if t["slug"] == track)
    titles = {
        p["title"]
        for position in positions
        for p in position["placements"]
        if p["track"] == track_id and p["degree_level"] == degree
    }
    assert titles == TABLE_I[(track, degree)]
    assert len(positions) == len(TABLE_I[(track, degree)])


def test_thirteen_placements_in_all(paper, api_client):
    positions = _all(api_client, "positions/")
    assert sum(len(p["placements"]) for p in positions) == 13


def test_table_ii_online_marketing_specialist(paper, api_client):
    (position,) = _all(api_client, "positions/?search=Online marketing specialist")
    assert position["requirements_defined"] is True
    texts = [r["text"] for r in position["requirements"]]
    assert len(texts) == 4
    assert texts[0] == "be familiar with information release and dissemination process"
    assert all(r["min_level"] in {"I", "R", "M"} for r in position["requirements"])


def test_forty_seven_requirements_in_all(paper, api_client):
    positions = _all(api_client, "positions/")
    assert sum(len(p["requirements"]) for p in positions) == 47
    assert api_client.get("/api/v1/requirements/").json()["count"] == 47


def test_positions_without_a_table_ii_profile_have_no_requirements_defined(paper, api_client):
    undefined = {p["name"] for p in _all(api_client, "positions/") if not p["requirements_defined"]}
    assert undefined == {"Data modeler", "E-commerce system architect"}
