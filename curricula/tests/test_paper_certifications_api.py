"""Table III of the paper comes back through the API exactly, once `load_paper` has run."""

import pytest
from django.core.management import get_commands

pytestmark = pytest.mark.skipif(
    "load_paper" not in get_commands(), reason="the load_paper command is not there yet"
)


def _all(api_client, path):
    separator = "&" if "?" in path else "?"
    body = api_client.get(f"/api/v1/{path}{separator}page_size=1000").json()
    assert body["next"] is None
    return body["results"]


def test_two_certifications_with_three_directions_each(paper, api_client):
    certifications = _all(api_client, "certifications/")
    assert [(c["degree_level"], len(c["directions"])) for c in certifications] == [
        ("bachelor", 3),
        ("master", 3),
    ]
    tracks = {t["id"] for t in _all(api_client, "tracks/")}
    for certification in certifications:
        assert {d["track"] for d in certification["directions"]} == tracks


def test_bachelor_technological_development_courses_in_table_iii_order(paper, api_client):
    tracks = _all(api_client, "tracks/")
    technological = next(t["id"] for t in tracks if "Technological development" in t["aliases"])
    bachelor = next(
        c for c in _all(api_client, "certifications/") if c["degree_level"] == "bachelor"
    )
    direction = next(d for d in bachelor["directions"] if d["track"] == technological)
    assert [c["listed_as"] for c in direction["courses"]] == [
        "Dynamic Web Design",
        "Web Interface Design and Beautification",
        "E-commerce Security",
        "Mobile APP Planning and Implementation",
    ]


def test_thirty_one_distinct_courses(paper, api_client):
    in_directions = {
        course["id"]
        for certification in _all(api_client, "certifications/")
        for direction in certification["directions"]
        for course in direction["courses"]
    }
    assert len(in_directions) == 31
    assert api_client.get("/api/v1/courses/").json()["count"] == 31


def test_six_programmes_match_the_directions(paper, api_client):
    programmes = _all(api_client, "programs/")
    assert len(programmes) == 6
    by_id = {p["id"]: p for p in programmes}
    for certification in _all(api_client, "certifications/"):
        for direction in certification["directions"]:
            programme = by_id[direction["program"]]
            assert programme["degree_level"] == certification["degree_level"]
            assert programme["courses"] == [c["id"] for c in direction["courses"]]
