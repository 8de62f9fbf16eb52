"""Cross-cutting behaviour of /api/v1/: query counts, conditional GET, permissions, throttling,
authentication, malformed ids, and a clean OpenAPI schema."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certifications.tests.factories import CertificationFactory
from core.api.throttling import AnonRateThrottleExceptStaff
from curricula.models import CoverageState, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, Level, RelationType, TrackAlias
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


def _track(i):
    track = TrackFactory()
    TrackAlias.objects.create(track=track, name=f"alias {i} a")
    TrackAlias.objects.create(track=track, name=f"alias {i} b")


def _ability(i):
    parent = AbilityFactory()
    AbilityFactory(parent=parent, framework=parent.framework)


def _relation(i):
    source = AbilityFactory()
    AbilityRelation.objects.create(
        source=source, target=AbilityFactory(), relation_type=RelationType.IS_RELATED_TO
    )
    AbilityRelation.objects.create(
        source=source, target_uri=f"https://example.org/{i}", relation_type=RelationType.EXEMPLAR
    )


def _level(i):
    Level.objects.create(code=f"L{i}", name=f"Level {i}", rank=10 + i)


def _position(i):
    position = PositionFactory()
    PlacementFactory(position=position)
    PlacementFactory(position=position, degree_level="master")
    RequirementFactory(position=position)
    RequirementFactory(position=position, min_level=level("R"))


def _certification(i):
    certification = CertificationFactory()
    ProgrammeFactory(certification=certification, courses=[CourseFactory(), CourseFactory()])
    ProgrammeFactory(certification=certification, courses=[CourseFactory()])


def _programme(i):
    programme = ProgrammeFactory(
        courses=[CourseFactory(), CourseFactory()], targets=[PositionFactory()]
    )
    if i % 2:
        ProgrammeCoverage.objects.update_or_create(
            programme=programme, defaults={"state": CoverageState.FRESH, "percent": 50.0}
        )


LIST_ENDPOINTS = {
    "tracks": _track,
    "competency-areas": lambda i: CompetencyAreaFactory(),
    "frameworks": lambda i: FrameworkFactory(),
    "abilities": _ability,
    "ability-relations": _relation,
    "levels": _level,
    "positions": _position,
    "requirements": lambda i: RequirementFactory(),
    "courses": lambda i: CourseFactory(),
    "course-abilities": lambda i: CourseAbilityFactory(),
    "certifications": _certification,
    "programs": _programme,
}


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_query_count_does_not_grow_with_page_size(db, api_client, endpoint):
    """A page of 20 costs exactly as many queries as a page of 2."""
    for i in range(25):
        LIST_ENDPOINTS[endpoint](i)
    small, small_body = _count_queries(api_client, f"/api/v1/{endpoint}/?page_size=2")
    large, large_body = _count_queries(api_client, f"/api/v1/{endpoint}/?page_size=20")
    assert len(small_body["results"]) == 2
    assert len(large_body["results"]) == 20
    assert small == large


def test_list_is_paginated_with_count_next_previous(db, api_client):
    for _ in range(3):
        CourseFactory()
    body = api_client.get("/api/v1/courses/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None


def test_page_size_above_the_documented_maximum_is_a_400(db, api_client):
    CourseFactory()
    assert api_client.get("/api/v1/courses/?page_size=1000").status_code == 200
    response = api_client.get("/api/v1/courses/?page_size=1001")
    assert response.status_code == 400
    assert "1000" in response.json()["page_size"][0]


@pytest.mark.parametrize("path", ["/api/v1/courses/", "/api/v1/courses/{id}/"])
def test_conditional_get_answers_304_to_a_matching_etag(db, api_client, path):
    """A client that already has the current representation gets a 304 without a body."""
    course = CourseFactory()
    url = path.format(id=course.pk)
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag
    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_the_data_changes(db, api_client, staff_client):
    course = CourseFactory(title="Before")
    url = f"/api/v1/courses/{course.pk}/"
    etag = api_client.get(url)["ETag"]
    staff_client.patch(url, {"title": "After"})
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "After"
    assert response["ETag"] != etag


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
@pytest.mark.parametrize("bad_id", ["abc", "-1", "99999999999999999999999", "1.5", "0x10"])
def test_malformed_ids_in_urls_are_404(db, api_client, endpoint, bad_id):
    if endpoint == "levels":
        bad_id = "no-such-level"
    assert api_client.get(f"/api/v1/{endpoint}/{bad_id}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/abilities/?framework=abc",
        "/api/v1/abilities/?parent=-3",
        "/api/v1/abilities/?area=99999999999999999999999",
        "/api/v1/ability-relations/?framework=x",
        "/api/v1/course-abilities/?course=1.5",
        "/api/v1/course-abilities/?program=abc",
        "/api/v1/course-abilities/?level=Z",
        "/api/v1/requirements/?position=abc",
        "/api/v1/positions/?degree_level=phd",
        "/api/v1/courses/?module=abc",
        "/api/v1/programs/?certification=abc",
    ],
)
def test_malformed_filter_values_are_400_with_a_message(db, api_client, url):
    response = api_client.get(url)
    assert response.status_code == 400
    (field, messages) = next(iter(response.json().items()))
    assert field in url
    assert messages
    assert all(isinstance(m, str) and m for m in messages)


def test_unknown_filters_are_a_400_naming_each(db, api_client):
    """Once read past (the whole list answered, as if filtered); now refused, each unknown
    parameter named (core.api.filters.KnownQueryParametersFilter)."""
    CourseFactory()
    response = api_client.get("/api/v1/courses/?colour=blue&framework=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"colour", "framework"}
    assert "search" in response.json()["colour"][0]


# --- Permissions on every write endpoint ------------------------------------------------------


def _course_create(objs):
    return "post", "/api/v1/courses/", {"code": "NEW1", "title": "New course"}


def _course_change(objs):
    return "patch", f"/api/v1/courses/{objs['course'].pk}/", {"title": "Renamed"}


def _course_delete(objs):
    return "delete", f"/api/v1/courses/{objs['course'].pk}/", None


def _link_create(objs):
    payload = {"course": objs["course"].pk, "ability": objs["ability"].pk, "level": "M"}
    return "post", "/api/v1/course-abilities/", payload


def _link_change(objs):
    return "patch", f"/api/v1/course-abilities/{objs['link'].pk}/", {"level": "I"}


def _link_delete(objs):
    return "delete", f"/api/v1/course-abilities/{objs['link'].pk}/", None


def _requirement_create(objs):
    payload = {"position": objs["position"].pk, "ability": objs["ability"].pk, "min_level": "R"}
    return "post", "/api/v1/requirements/", payload


def _requirement_change(objs):
    return "patch", f"/api/v1/requirements/{objs['requirement'].pk}/", {"min_level": "I"}


def _requirement_delete(objs):
    return "delete", f"/api/v1/requirements/{objs['requirement'].pk}/", None


def _position_create(objs):
    placement = {"track": objs["track"].pk, "degree_level": "bachelor", "title": "web editor"}
    return "post", "/api/v1/positions/", {"name": "Web editor", "placements": [placement]}


def _position_change(objs):
    return "patch", f"/api/v1/positions/{objs['position'].pk}/", {"name": "Renamed"}


def _position_delete(objs):
    return "delete", f"/api/v1/positions/{objs['position'].pk}/", None


def _programme_change(objs):
    payload = {"courses": [objs["course"].pk], "target_positions": [objs["position"].pk]}
    return "patch", f"/api/v1/programs/{objs['programme'].pk}/", payload


def _programme_replace(objs):
    payload = {"courses": [], "target_positions": [objs["position"].pk]}
    return "put", f"/api/v1/programs/{objs['programme'].pk}/", payload


WRITES = {
    "course create": (_course_create, 201),
    "course change": (_course_change, 200),
    "course delete": (_course_delete, 204),
    "link create": (_link_create, 201),
    "link change": (_link_change, 200),
    "link delete": (_link_delete, 204),
    "requirement create": (_requirement_create, 201),
    "requirement change": (_requirement_change, 200),
    "requirement delete": (_requirement_delete, 204),
    "position create": (_position_create, 201),
    "position change": (_position_change, 200),
    "position delete": (_position_delete, 204),
    "programme change": (_programme_change, 200),
    "programme replace": (_programme_replace, 200),
}


@pytest.fixture
def write_objects(db):
    course = CourseFactory()
    position = PositionFactory()
    return {
        "course": course,
        "ability": AbilityFactory(),
        "link": CourseAbilityFactory(course=course),
        "position": position,
        "requirement": RequirementFactory(position=position),
        "track": TrackFactory(),
        "programme": ProgrammeFactory(),
    }


def _client_for(who, request):
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["anonymous", "plain_user", "staff_without_perms"])
def test_writes_are_refused_without_staff_model_permission(request, write_objects, write, who):
    make, _ = WRITES[write]
    method, url, payload = make(write_objects)
    response = getattr(_client_for(who, request), method)(url, payload, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("write", WRITES)
def test_staff_with_the_model_permission_can_write(request, write_objects, write):
    make, expected = WRITES[write]
    method, url, payload = make(write_objects)
    response = getattr(_client_for("staff_user", request), method)(url, payload, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    "url", ["/api/v1/tracks/", "/api/v1/levels/", "/api/v1/certifications/", "/api/v1/abilities/"]
)
def test_read_only_resources_cannot_be_written_even_by_staff(db, staff_client, url):
    assert staff_client.post(url, {"name": "x"}).status_code == 405


def test_token_client_can_write(db, staff_user):
    """A token from `manage.py drf_create_token` (or the admin) authenticates writes."""
    token = Token.objects.create(user=staff_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/courses/", {"code": "TOK1", "title": "Token course"})
    assert response.status_code == 201, response.content


def test_drf_create_token_command_makes_a_working_token(db, staff_user, capsys):
    call_command("drf_create_token", staff_user.username)
    assert Token.objects.filter(user=staff_user).exists()


def test_session_writes_need_the_csrf_token(db, staff_user):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="staff", password="staff-pass-123")
    response = client.post("/api/v1/courses/", {"code": "CS1", "title": "No CSRF"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_reads_are_public_by_default(db, api_client, settings):
    settings.API_REQUIRE_AUTH = False
    assert api_client.get("/api/v1/courses/").status_code == 200


def test_api_require_auth_keeps_anonymous_clients_out(db, api_client, plain_user, settings):
    settings.API_REQUIRE_AUTH = True
    assert api_client.get("/api/v1/courses/").status_code in (401, 403)
    api_client.force_authenticate(plain_user)
    assert api_client.get("/api/v1/courses/").status_code == 200


def test_anonymous_clients_are_throttled_but_staff_tokens_are_not(db, staff_user, monkeypatch):
    monkeypatch.setattr(AnonRateThrottleExceptStaff, "THROTTLE_RATES", {"anon": "3/minute"})
    anonymous = APIClient()
    statuses = [anonymous.get("/api/v1/levels/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]

    token = Token.objects.create(user=staff_user)
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert {staff.get("/api/v1/levels/").status_code for _ in range(6)} == {200}


def test_openapi_schema_of_the_router_has_no_warnings(db, tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "competency_site.tests.api_v1_urlconf",
        "--file",
        str(tmp_path / "schema.yaml"),
    )
    assert "/api/v1/course-abilities/" in (tmp_path / "schema.yaml").read_text()


def test_decimal_credits_round_trip(db, staff_client):
    response = staff_client.post(
        "/api/v1/courses/", {"code": "DEC1", "title": "Credits", "credits": "2.5"}
    )
    assert response.status_code == 201
    assert Decimal(response.json()["credits"]) == Decimal("2.5")
