"""A programme need not have a track (a career direction of Table I): a nursing programme
without a certification has none, and a designer had to invent one, which then showed as an
empty row of the positions grid and as "Track: Nursing" in the workbook. Made without a track
through the admin and the API, every page and export of it answers, and says nothing of a track:
no "Track:" line, no certification readiness, never "None"."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from certifications.tests.factories import CertificationFactory
from core.tests.admin_forms import change_form_data
from curricula.models import CertificationCourse, Programme
from curricula.selectors.readiness import programme_certification_readiness
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

# "None" as a word: what a template or export writes for a missing track.
NONE = re.compile(r"\bNone\b")


@pytest.fixture
def nursing(db):
    """What a nursing programme is made from: an ability a position requires, a course building
    it; no track anywhere."""
    assessment = AbilityFactory(code="NUR.A.1", text="Perform a patient assessment")
    position = PositionFactory(name="Registered nurse")
    RequirementFactory(position=position, ability=assessment, min_level=level("M"))
    course = CourseFactory(code="NUR102", title="Health Assessment")
    CourseAbilityFactory(course=course, ability=assessment, level=level("I"))
    return {"ability": assessment, "position": position, "course": course}


def _admin_url(view: str, *args) -> str:
    return reverse(f"admin:curricula_programme_{view}", args=args)


def _made_in_the_admin(admin_client, nursing) -> Programme:
    url = _admin_url("add")
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "name": "Bachelor of Nursing",
            "own_degree_level": "bachelor",
            "programme_courses-TOTAL_FORMS": "1",
            "programme_courses-0-course": nursing["course"].pk,
            "programme_courses-0-order": "0",
            "targets-TOTAL_FORMS": "1",
            "targets-0-position": nursing["position"].pk,
        }
    )
    assert "track" not in data
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    programme = Programme.objects.get(name="Bachelor of Nursing")
    assert list(programme.target_positions.all()) == [nursing["position"]]
    return programme


def test_staff_add_a_programme_without_a_track_in_the_admin_and_list_it(admin_client, nursing):
    programme = _made_in_the_admin(admin_client, nursing)
    assert programme.track is None
    assert not programme.track_id

    changelist = admin_client.get(_admin_url("changelist"))
    assert changelist.status_code == 200
    assert "Bachelor of Nursing" in changelist.text
    assert not NONE.search(changelist.text)
    # Its track filter offers the programmes without one.
    early = ProgrammeFactory(name="Early", track=TrackFactory(name="Data analysis", order=1))
    late = ProgrammeFactory(name="Late", track=TrackFactory(name="Operations", order=2))
    without = admin_client.get(_admin_url("changelist"), {"track__isnull": "True"})
    assert list(without.context["cl"].result_list) == [programme]
    # Sorted by the track column, a programme without one comes last on every database
    # (SQLite sorts a null first, PostgreSQL last), and first in the reverse order.
    column = str(changelist.context["cl"].list_display.index("track_column"))
    ascending = admin_client.get(_admin_url("changelist"), {"o": column})
    assert list(ascending.context["cl"].result_list) == [early, late, programme]
    descending = admin_client.get(_admin_url("changelist"), {"o": f"-{column}"})
    assert list(descending.context["cl"].result_list) == [programme, late, early]
    change = admin_client.get(_admin_url("change", programme.pk))
    assert change.status_code == 200
    assert not NONE.search(change.text)


def _create_through_the_api(staff_client, nursing):
    """A programme of the nursing field, made through the API without a track: the answer."""
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "name": "Bachelor of Nursing",
            "own_degree_level": "bachelor",
            "courses": [nursing["course"].pk],
            "target_positions": [nursing["position"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response


def test_the_api_creates_and_clears_a_programme_s_track(staff_client, nursing):
    response = _create_through_the_api(staff_client, nursing)
    assert response.json()["track"] is None
    assert Programme.objects.get(pk=response.json()["id"]).track is None

    explicit = staff_client.post(
        "/api/v1/programs/",
        {"name": "Master of Nursing", "own_degree_level": "master", "track": None},
        format="json",
    )
    assert explicit.status_code == 201, explicit.content
    assert explicit.json()["track"] is None

    # A programme with a track may drop it, and take one again.
    track = TrackFactory()
    other = ProgrammeFactory(track=track)
    url = f"/api/v1/programs/{other.pk}/"
    cleared = staff_client.patch(url, {"track": None}, format="json")
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["track"] is None
    other.refresh_from_db()
    assert other.track is None
    assert staff_client.patch(url, {"track": track.pk}, format="json").json()["track"] == track.pk

    # A track that does not exist is a field error, not a 500.
    wrong = staff_client.patch(url, {"track": 999999}, format="json")
    assert wrong.status_code == 400
    assert "track" in wrong.json()


def test_the_api_lists_and_filters_programmes_without_a_track(api_client, nursing):
    without = ProgrammeFactory(
        name="Bachelor of Nursing", certification=None, track=None, own_degree_level="bachelor"
    )
    with_track = ProgrammeFactory()
    body = api_client.get("/api/v1/programs/").json()
    tracks = {row["id"]: row["track"] for row in body["results"]}
    assert tracks == {without.pk: None, with_track.pk: with_track.track_id}
    by_track = api_client.get("/api/v1/programs/", {"track": with_track.track_id}).json()
    assert [row["id"] for row in by_track["results"]] == [with_track.pk]
    only_without = api_client.get("/api/v1/programs/", {"without_track": "true"}).json()
    assert [row["id"] for row in only_without["results"]] == [without.pk]
    only_with = api_client.get("/api/v1/programs/", {"without_track": "false"}).json()
    assert [row["id"] for row in only_with["results"]] == [with_track.pk]
    assert api_client.get("/api/v1/programs/", {"without_track": "maybe"}).status_code == 400


def _walk(client, programme: Programme, nursing) -> dict[str, object]:
    """Every page and download of the programme, and the pages naming it."""
    pk, ability, position = programme.pk, nursing["ability"], nursing["position"]
    urls = {
        "overview": reverse("home"),
        "programmes": reverse("curricula:programme-list"),
        "programme": programme.get_absolute_url(),
        "gaps": reverse("curricula:programme-gaps", args=[pk]),
        "ability": reverse("curricula:programme-ability", args=[pk, ability.pk]),
        "map.csv": reverse("curricula:programme-map-csv", args=[pk]),
        "workbook": reverse("curricula:programme-workbook", args=[pk]),
        "report": reverse("curricula:programme-report", args=[pk]),
        "decide": reverse("curricula:programme-decide", args=[pk]),
        "chart": reverse("curricula:programme-chart", args=[pk]),
        "position": position.get_absolute_url(),
        "position cell": reverse("positions:cell", args=[position.pk, pk, ability.pk]),
        "positions": reverse("positions:list"),
        "course": reverse("courses:detail", args=[nursing["course"].pk]),
        "certifications": reverse("certifications:list"),
        "search": reverse("search") + "?q=Nursing",
        "api programme": f"/api/v1/programs/{pk}/",
        "api programmes": "/api/v1/programs/",
        "api progression": f"/api/v1/programs/{pk}/progression/",
        "api readiness": f"/api/v1/programs/{pk}/certification-readiness/",
        "api map": f"/api/v1/programs/{pk}/map.csv",
        "api workbook": f"/api/v1/programs/{pk}/workbook.xlsx",
        "api coverage": f"/api/v1/programs/{pk}/coverage/",
        "api recommendations": f"/api/v1/programs/{pk}/recommendations/",
        "api certifications": "/api/v1/certifications/",
    }
    answers = {}
    for name, url in urls.items():
        response = client.get(url)
        if response.streaming:  # read once, kept for the checks
            response.body = b"".join(response.streaming_content)
        else:
            response.body = response.content
        assert response.status_code == 200, (name, response.body[:2000])
        answers[name] = response
    what_if = client.post(
        f"/api/v1/programs/{pk}/what-if/",
        json.dumps(
            {"links": [{"course": nursing["course"].pk, "ability": ability.pk, "level": "M"}]}
        ),
        content_type="application/json",
    )
    assert what_if.status_code == 200, what_if.content
    return answers


def _workbook_summary(content: bytes) -> dict[str, object]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}


def test_every_page_and_export_of_a_programme_made_without_a_track_answers(admin_client, nursing):
    programme = _made_in_the_admin(admin_client, nursing)
    answers = _walk(admin_client, programme, nursing)

    for name, response in answers.items():
        if name not in ("workbook", "api workbook"):
            assert not NONE.search(response.body.decode()), name
    for name in ("programme", "report"):
        html = answers[name].text
        assert "Bachelor of Nursing" in html, name
        assert "Track:" not in html, name
        assert 'id="certification-readiness"' not in html, name
    # No programme has a track: the programmes list has no Track column (one that some
    # programme's track brings dashes this one's cell: test_programme_list_without_tracks).
    assert "Bachelor of Nursing" in answers["programmes"].text
    assert 'data-label="Track"' not in answers["programmes"].text
    overview = answers["overview"].text
    assert "Bachelor ·  ·" not in overview
    assert " ·  · " not in overview
    for name in ("workbook", "api workbook"):
        summary = _workbook_summary(answers[name].body)
        assert summary["Programme"] == "Bachelor of Nursing"
        assert "Track" not in summary
        assert "None" not in summary.values()
    rows = list(csv.reader(io.StringIO(answers["map.csv"].body.decode("utf-8-sig"))))
    assert any("NUR102" in row for row in rows)
    readiness = answers["api readiness"].json()
    assert readiness["applies"] is False
    assert readiness["ready"] is None
    assert readiness["track"] is None
    assert answers["api programme"].json()["track"] is None
    assert "Bachelor of Nursing" in answers["search"].text
    # No track of its own was made for it: the positions grid has no row to show.
    assert answers["positions"].context["table"].rows == []


def test_a_programme_made_without_a_track_through_the_api_has_every_page_too(
    staff_client, admin_client, nursing
):
    response = _create_through_the_api(staff_client, nursing)
    programme = Programme.objects.get(pk=response.json()["id"])
    answers = _walk(admin_client, programme, nursing)
    assert "Track:" not in answers["programme"].text


def test_a_certified_programme_without_a_track_has_no_readiness_and_its_own_direction(
    client, nursing
):
    """A certification lists its courses per track: without a track there is no list to meet,
    and the certifications page shows the programme as a direction of its own, after the
    certification's tracks."""
    certification = CertificationFactory(name="Nursing licence")
    track = TrackFactory(name="Clinical care")
    CertificationCourse.objects.create(
        certification=certification, track=track, course=nursing["course"]
    )
    on_track = ProgrammeFactory(name="Clinical nursing", certification=certification, track=track)
    programme = ProgrammeFactory(
        name="Bachelor of Nursing",
        certification=certification,
        track=None,
        courses=[nursing["course"]],
        targets=[nursing["position"]],
    )
    readiness = programme_certification_readiness(programme=programme)
    assert readiness.applies is False
    assert readiness.ready is None
    assert programme_certification_readiness(programme=on_track).applies is True

    answers = _walk(client, programme, nursing)
    html = answers["programme"].text
    assert 'id="certification-readiness"' not in html
    assert "Nursing licence" in html
    directions = answers["api certifications"].json()["results"][0]["directions"]
    assert [(d["track"], d["name"]) for d in directions] == [
        (track.pk, "Clinical nursing"),
        (None, "Bachelor of Nursing"),
    ]
    assert directions[1]["track_name"] is None
    page = answers["certifications"].text
    assert page.index("Clinical care") < page.index("Bachelor of Nursing")
    assert not NONE.search(page)


def test_programmes_without_a_track_come_after_those_with_one_in_catalogue_order(db):
    """ProgrammeQuerySet.in_catalogue_order sorted a missing track first on SQLite and last on
    PostgreSQL: it is last on both."""
    certification = CertificationFactory()
    early, late = TrackFactory(order=1), TrackFactory(order=2)
    without = ProgrammeFactory(name="A without", certification=certification, track=None)
    second = ProgrammeFactory(name="B second", certification=certification, track=late)
    first = ProgrammeFactory(name="C first", certification=certification, track=early)
    assert list(Programme.objects.in_catalogue_order()) == [first, second, without], (
        connection.vendor
    )


def test_programmes_without_a_certification_come_last_in_catalogue_order_on_every_database(db):
    certification = CertificationFactory()
    without = ProgrammeFactory(
        name="A own", certification=None, own_degree_level="bachelor", track=None
    )
    certified = ProgrammeFactory(name="B certified", certification=certification)
    assert list(Programme.objects.in_catalogue_order()) == [certified, without], connection.vendor


def test_the_paper_s_programmes_keep_their_tracks(paper):
    programmes = Programme.objects.select_related("track")
    assert programmes.count() == 6
    assert all(programme.track is not None for programme in programmes)


def test_the_positions_page_of_a_track_with_placements_is_unchanged_by_a_trackless_programme(
    client, nursing
):
    track = TrackFactory(name="Clinical care")
    PlacementFactory(track=track, position=nursing["position"], title="staff nurse")
    ProgrammeFactory(certification=None, own_degree_level="bachelor", track=None)
    rows = client.get(reverse("positions:list")).context["table"].rows
    assert [row.track for row in rows] == [track]


def test_the_history_of_a_programme_whose_track_was_cleared_says_so_without_none(
    staff_client, admin_client, db
):
    programme = ProgrammeFactory(track=TrackFactory(name="Clinical care"))
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"track": None}, format="json"
    )
    assert response.status_code == 200, response.content
    history = admin_client.get(_admin_url("history", programme.pk))
    assert history.status_code == 200
    assert "Clinical care" in history.text
    assert not NONE.search(history.text)
