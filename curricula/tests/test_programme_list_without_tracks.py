"""A field that uses no tracks (career directions), such as a nursing school's bachelor and
diploma programmes, is not shown a Track column of dashes in the programmes list; once a
programme has a track, the column is there, on every page of the list."""

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _headers(html: str) -> str:
    return html[html.index("<thead>") : html.index("</thead>")]


def test_a_list_of_programmes_without_tracks_has_no_track_column(client):
    ProgrammeFactory(
        name="护理学本科培养方案", certification=None, track=None, own_degree_level="bachelor"
    )
    ProgrammeFactory(
        name="护理专科培养方案", certification=None, track=None, own_degree_level="bachelor"
    )

    html = client.get(reverse("curricula:programme-list")).content.decode()

    assert "护理学本科培养方案" in html
    assert ">Track<" not in _headers(html)
    assert 'data-label="Track"' not in html


def test_a_list_where_one_programme_has_a_track_keeps_the_column(client):
    ProgrammeFactory(
        name="Nursing BSc", certification=None, track=None, own_degree_level="bachelor"
    )
    ProgrammeFactory(name="Paediatric nursing")

    html = client.get(reverse("curricula:programme-list")).content.decode()

    assert ">Track<" in _headers(html)
    assert html.count('data-label="Track"') == 2
    # The programme without one dashes its cell, as the grid dashes an empty cell.
    row = html[html.index("Nursing BSc") :]
    cell = row[row.index('data-label="Track"') :]
    assert "—" in cell[: cell.index("</td>")]
