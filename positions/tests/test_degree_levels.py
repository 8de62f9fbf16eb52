"""Degree levels are ISCED 2011's tertiary ones (associate, bachelor, master, doctorate): a
nursing faculty places a diploma programme's graduates and a doctorate's, and the positions grid
lays out only the levels at which something is placed, lowest first. The paper's grid keeps its
Bachelor and Master columns."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import DegreeLevel
from core.tests import openapi
from positions.models import Placement
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

REFUSAL = "is not a degree level: use one of associate, bachelor, master, doctorate."


def _column_heads(html: str) -> list[str]:
    """The grid's column headings, after Track."""
    head = html.split('<table class="grid-table"', 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col">([^<]*)</th>', head)[1:]


def test_the_levels_are_isced_tertiary_lowest_first():
    assert DegreeLevel.values == ["associate", "bachelor", "master", "doctorate"]


def test_a_grid_of_one_field_has_no_empty_master_column(db, client):
    """Observed: a nursing faculty placing graduates at the bachelor's level alone saw an empty
    Master column, every cell a dash."""
    PlacementFactory(degree_level="bachelor")
    html = client.get(reverse("positions:list")).content.decode()
    assert _column_heads(html) == ["Bachelor"]
    assert 'style="--degree-columns: 1; --degree-columns-narrow: 1"' in html


def test_the_grid_lays_out_the_levels_in_use_lowest_first(db, client):
    track = TrackFactory(name="Nursing")
    for degree in ("doctorate", "associate", "bachelor"):
        PlacementFactory(
            track=track, degree_level=degree, position=PositionFactory(name=f"Nurse {degree}")
        )
    html = client.get(reverse("positions:list")).content.decode()
    assert _column_heads(html) == ["Associate", "Bachelor", "Doctorate"]
    assert 'style="--degree-columns: 3; --degree-columns-narrow: 2"' in html
    cells = html.split("<tbody>", 1)[1]
    assert cells.index("Nurse associate") < cells.index("Nurse bachelor")
    assert cells.index("Nurse bachelor") < cells.index("Nurse doctorate")


def test_a_search_keeps_the_grids_columns(db, client):
    """The columns are the whole grid's: a search matching bachelor's placements alone does not
    drop the Master column from under the reader."""
    PlacementFactory(degree_level="bachelor", position=PositionFactory(name="Ward nurse"))
    PlacementFactory(degree_level="master", position=PositionFactory(name="Nurse educator"))
    html = client.get(reverse("positions:list") + "?q=ward").content.decode()
    assert _column_heads(html) == ["Bachelor", "Master"]


def test_the_papers_grid_keeps_its_two_columns(client, paper):
    html = client.get(reverse("positions:list")).content.decode()
    assert _column_heads(html) == ["Bachelor", "Master"]
    assert 'style="--degree-columns: 2; --degree-columns-narrow: 2"' in html


def test_a_doctorate_cell_has_its_own_list(db, client):
    placement = PlacementFactory(
        degree_level="doctorate", position=PositionFactory(name="Nurse scientist")
    )
    url = reverse("positions:list") + f"?track={placement.track_id}&degree=doctorate"
    html = " ".join(client.get(url).content.decode().split())
    assert f"{placement.track.name}, Doctorate" in html
    assert "1 position placed under this track and degree level." in html


def test_placements_are_ordered_by_level_not_by_code(db):
    """Alphabetically, doctorate comes before master."""
    position = PositionFactory()
    track = TrackFactory()
    for degree in ("doctorate", "master", "associate"):
        PlacementFactory(position=position, track=track, degree_level=degree)
    assert [p.degree_level for p in position.placements.all()] == [
        "associate",
        "master",
        "doctorate",
    ]


def test_a_placement_at_no_degree_level_is_refused_naming_the_levels(db):
    placement = PlacementFactory.build(
        position=PositionFactory(), track=TrackFactory(), degree_level="phd"
    )
    with pytest.raises(ValidationError) as refused:
        placement.full_clean()
    assert refused.value.message_dict["degree_level"] == [f"“phd” {REFUSAL}"]


def test_the_api_takes_the_new_levels(db, staff_client, api_client):
    track = TrackFactory()
    response = staff_client.post(
        "/api/v1/positions/",
        {
            "name": "Nurse scientist",
            "placements": [
                {"track": track.pk, "degree_level": "doctorate"},
                {"track": track.pk, "degree_level": "associate", "title": "Care assistant"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [p["degree_level"] for p in response.json()["placements"]] == [
        "associate",
        "doctorate",
    ]
    PlacementFactory(degree_level="bachelor")
    listed = api_client.get("/api/v1/positions/?degree_level=doctorate").json()
    assert [row["name"] for row in listed["results"]] == ["Nurse scientist"]


def test_the_api_refuses_another_level_naming_the_levels(db, staff_client, api_client):
    response = staff_client.post(
        "/api/v1/positions/",
        {"name": "Nurse", "placements": [{"track": TrackFactory().pk, "degree_level": "phd"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"placements": {"0": {"degree_level": [f"“phd” {REFUSAL}"]}}}
    assert not Placement.objects.exists()

    response = api_client.get("/api/v1/positions/?degree_level=phd")
    assert response.status_code == 400
    assert response.json() == {"degree_level": [f"“phd” {REFUSAL}"]}


@pytest.mark.parametrize("value", ["50%", "%s", "master%' AND 1=1 AND '%'='"])
def test_a_level_holding_a_percent_sign_is_refused_naming_it_not_a_500(db, api_client, value):
    """Observed with sqlmap on a DEBUG-off server: `?degree_level=master%' AND …` answered 500
    (TypeError: not enough arguments for format string), anonymously: django-filter formats
    each refusal's message with its params, and this one quoted the value already."""
    response = api_client.get("/api/v1/positions/", {"degree_level": value})
    assert response.status_code == 400
    assert response.json() == {"degree_level": [f"“{value}” {REFUSAL}"]}


def test_the_schema_enumerates_every_level(db):
    schema, _generator = openapi.generate()
    assert schema["components"]["schemas"]["DegreeLevelEnum"]["enum"] == [
        "associate",
        "bachelor",
        "master",
        "doctorate",
    ]
    for path in ("/api/v1/positions/", "/api/v1/programs/"):
        (parameter,) = (
            parameter
            for parameter in schema["paths"][path]["get"]["parameters"]
            if parameter["name"] == "degree_level"
        )
        # drf-spectacular lists a filter's enum sorted.
        assert parameter["schema"]["enum"] == sorted(DegreeLevel.values)


def test_the_admin_filters_and_takes_the_new_levels(db, admin_client):
    PlacementFactory(degree_level="doctorate", position=PositionFactory(name="Nurse scientist"))
    PlacementFactory(degree_level="bachelor", position=PositionFactory(name="Ward nurse"))
    url = reverse("admin:positions_placement_changelist")
    html = admin_client.get(url).content.decode()
    assert '<a href="?degree_level__exact=doctorate">Doctorate</a>' in html
    html = admin_client.get(url + "?degree_level__exact=doctorate").content.decode()
    assert "Nurse scientist" in html
    assert "Ward nurse" not in html
