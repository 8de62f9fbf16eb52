"""HTTP as API clients expect it: 401 with a challenge, JSON 404s, CORS, optimistic locking with
ETags, rate-limit and caching headers, compression, documentation served offline, and an
OpenAPI schema a client generator can use."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.throttling import AnonRateThrottleExceptStaff
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, TrackFactory, level
from suggestions.tests.factories import SuggestionFactory

# --- Authentication: 401 with a challenge, 403 only when authenticated -------------------------


def test_a_write_without_credentials_is_401_with_a_challenge(db, api_client):
    response = api_client.post("/api/v1/courses/", {"code": "X1", "title": "x"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_invalid_token_is_401_even_on_a_public_read(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/courses/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_authenticated_user_without_permission_is_403(db, staff_without_perms):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_without_perms)}")
    response = client.post("/api/v1/courses/", {"code": "X1", "title": "x"})
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response


# --- JSON 404s ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/courses/abc/",
        "/api/v2/",
        "/api/v1/courses/1/x/",
        "/api/v1/frameworks/1000000000000000000/moodle.csv",
        "/api/v1/nothing",
    ],
)
def test_unknown_routes_and_malformed_ids_under_api_are_json_404s(db, api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/ims/case/v1p1/CFRubrics/x", "/ims/case/v1p1/CFDocuments/", "/ims/case/v1p0/x"]
)
def test_unknown_routes_under_ims_case_are_case_status_info(db, api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == (
        "unknownobject"
    )


def test_a_path_without_its_slash_is_still_redirected(db, api_client):
    assert api_client.get("/api/v1/courses").status_code == 301


# --- CORS -----------------------------------------------------------------------------------


def test_no_origin_is_allowed_by_default(db, api_client):
    response = api_client.get("/api/v1/levels/", HTTP_ORIGIN="https://app.example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_configured_origins_may_read_the_api_and_case_and_see_the_etag(db, api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    for path in ("/api/v1/levels/", "/ims/case/v1p1/CFDocuments"):
        response = api_client.get(path, HTTP_ORIGIN="https://app.example.org")
        assert response["Access-Control-Allow-Origin"] == "https://app.example.org"
        assert "ETag" in response["Access-Control-Expose-Headers"]
    other = api_client.get("/api/v1/levels/", HTTP_ORIGIN="https://evil.example.org")
    assert "Access-Control-Allow-Origin" not in other
    page = api_client.get("/", HTTP_ORIGIN="https://app.example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_a_preflight_allows_if_match_for_a_configured_origin(db, api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    response = api_client.options(
        "/api/v1/course-abilities/1/",
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )
    assert response.status_code == 200
    assert "if-match" in response["Access-Control-Allow-Headers"]
    assert "PATCH" in response["Access-Control-Allow-Methods"]


def test_a_preflight_allows_the_conditional_reads_case_documents(db, api_client, settings):
    """Observed: CASE reads answer `If-Modified-Since` (README, *CASE 1.1 provider*), yet a
    browser application on a configured origin could not send it: the preflight's allowed
    headers named `if-none-match` and left it out, so the browser refused the request."""
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    for path in ("/ims/case/v1p1/CFDocuments", "/api/v1/levels/"):
        response = api_client.options(
            path,
            HTTP_ORIGIN="https://app.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-modified-since, if-none-match",
        )
        assert response.status_code == 200
        allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
        assert {"if-modified-since", "if-none-match"} <= allowed


# --- Optimistic locking -----------------------------------------------------------------------


@pytest.fixture
def link(db):
    return CourseAbilityFactory(level=level("I"), note="first")


def test_a_single_object_get_has_an_etag_and_a_304_for_it(api_client, link):
    url = f"/api/v1/course-abilities/{link.pk}/"
    first = api_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""


def test_a_stale_if_match_is_412_and_writes_nothing(staff_client, link):
    url = f"/api/v1/course-abilities/{link.pk}/"
    etag = staff_client.get(url)["ETag"]
    assert staff_client.patch(url, {"note": "second"}, HTTP_IF_MATCH=etag).status_code == 200

    stale = staff_client.patch(url, {"level": "M"}, HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert stale.json()["detail"]
    assert stale["ETag"] == staff_client.get(url)["ETag"] != etag
    link.refresh_from_db()
    assert (link.level.code, link.note) == ("I", "second")
    assert (
        staff_client.put(
            url,
            {"course": link.course_id, "ability": link.ability_id, "level": "M"},
            HTTP_IF_MATCH=etag,
        ).status_code
        == 412
    )
    assert staff_client.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert CourseAbility.objects.filter(pk=link.pk).exists()


def test_a_current_if_match_writes_and_answers_the_new_etag(staff_client, link):
    url = f"/api/v1/course-abilities/{link.pk}/"
    etag = staff_client.get(url)["ETag"]

    response = staff_client.patch(url, {"level": "M"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] == staff_client.get(url)["ETag"] != etag
    # The W/ that compression adds, and a wildcard, match too.
    weak = staff_client.patch(url, {"note": "w"}, HTTP_IF_MATCH=f"W/{response['ETag']}")
    assert weak.status_code == 200
    assert staff_client.delete(url, HTTP_IF_MATCH="*").status_code == 204


@pytest.mark.parametrize("value", ["", "   ", " , "])
def test_an_empty_if_match_is_a_400_naming_the_header_and_writes_nothing(staff_client, link, value):
    """If-Match is "*" or entity tags (RFC 9110, 13.1.1): one present but naming none is a
    client's mistake (an unset variable), not a version that has changed, so it is refused as
    malformed, not answered 412 as if someone else had edited the object."""
    url = f"/api/v1/course-abilities/{link.pk}/"
    full = {"course": link.course_id, "ability": link.ability_id, "level": "M"}

    for response in (
        staff_client.patch(url, {"note": "second"}, HTTP_IF_MATCH=value),
        staff_client.put(url, full, HTTP_IF_MATCH=value),
        staff_client.delete(url, HTTP_IF_MATCH=value),
    ):
        assert response.status_code == 400, response.content
        assert "If-Match" in response.json()["detail"]

    link.refresh_from_db()
    assert (link.level.code, link.note) == ("I", "first")


@pytest.mark.parametrize("kind", ["course", "programme", "ability relation", "requirement"])
def test_a_create_answers_the_etag_the_schema_promises_and_the_object_then_has(
    staff_client, schema, kind
):
    """An integrator creates an object and edits it at once with If-Match: the 201 carries the
    ETag (as the schema documents for every create), the one a GET then answers."""
    if kind == "course":
        path, body = "/api/v1/courses/", {"code": "NEW1", "title": "New"}
    elif kind == "programme":
        path = "/api/v1/programs/"
        body = {"name": "New", "track": TrackFactory().pk, "own_degree_level": "master"}
    elif kind == "ability relation":
        path = "/api/v1/ability-relations/"
        first, second = AbilityFactory(), AbilityFactory()
        body = {"source": first.pk, "target": second.pk, "relation_type": "exactMatchOf"}
    else:
        path = "/api/v1/requirements/"
        body = {"position": PositionFactory().pk, "ability": AbilityFactory().pk, "min_level": "M"}
    assert "ETag" in schema["paths"][path]["post"]["responses"]["201"]["headers"]

    created = staff_client.post(path, body, format="json")

    assert created.status_code == 201, created.json()
    assert created["ETag"] == staff_client.get(f"{path}{created.json()['id']}/")["ETag"]


def _create_request(kind: str) -> tuple[str, dict]:
    if kind == "course":
        return "/api/v1/courses/", {"code": "NEW1", "title": "New"}
    if kind == "course-ability link":
        return "/api/v1/course-abilities/", {
            "course": CourseFactory().pk,
            "ability": AbilityFactory().pk,
            "level": "M",
        }
    if kind == "position":
        return "/api/v1/positions/", {"name": "New position"}
    if kind == "programme":
        body = {"name": "New", "track": TrackFactory().pk, "own_degree_level": "master"}
        return "/api/v1/programs/", body
    if kind == "ability relation":
        first, second = AbilityFactory(), AbilityFactory()
        body = {"source": first.pk, "target": second.pk, "relation_type": "exactMatchOf"}
        return "/api/v1/ability-relations/", body
    body = {"position": PositionFactory().pk, "ability": AbilityFactory().pk, "min_level": "M"}
    return "/api/v1/requirements/", body


@pytest.mark.parametrize(
    "kind",
    [
        "course",
        "course-ability link",
        "position",
        "programme",
        "ability relation",
        "requirement",
    ],
)
def test_a_create_names_the_new_object_in_location(staff_client, schema, kind):
    """A 201 names what it created in Location (RFC 9110, 15.3.2: without it the created
    resource is the request's target, the collection), the absolute URL a GET then answers
    with the same body and ETag. Observed: no create answered a Location."""
    path, body = _create_request(kind)
    assert "Location" in schema["paths"][path]["post"]["responses"]["201"]["headers"]

    created = staff_client.post(path, body, format="json")

    assert created.status_code == 201, created.json()
    assert created["Location"] == f"http://testserver{path}{created.json()['id']}/"
    read = staff_client.get(created["Location"])
    assert (read.json(), read["ETag"]) == (created.json(), created["ETag"])


@pytest.mark.parametrize(
    ("subject", "collection", "made"),
    [
        ("course", "/api/v1/course-abilities/", "link"),
        ("position", "/api/v1/requirements/", "requirement"),
    ],
)
def test_accepting_a_suggestion_names_what_it_made_in_location_with_its_etag(
    staff_client, schema, subject, collection, made
):
    """Observed: accepting a suggestion answered 201 with neither Location nor ETag, and its
    schema's 201 declared no headers and said nothing, though it makes a link (or a
    requirement) as a POST to that collection does."""
    answer = schema["paths"]["/api/v1/suggestions/{id}/accept/"]["post"]["responses"]["201"]
    assert {"Location", "ETag"} <= set(answer.get("headers", {}))
    assert answer["description"]
    if subject == "course":
        suggestion = SuggestionFactory()
    else:
        suggestion = SuggestionFactory(course=None, position=PositionFactory())

    accepted = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "M"}, format="json"
    )

    assert accepted.status_code == 201, accepted.content
    assert accepted["Location"] == f"http://testserver{collection}{accepted.json()[made]}/"
    read = staff_client.get(accepted["Location"])
    assert read.status_code == 200, read.content
    assert accepted["ETag"] == read["ETag"]


@pytest.mark.parametrize("door", ["import", "recompute", "suggestions"])
def test_every_202_names_its_status_url_in_location_as_the_schema_says(
    staff_client, schema, settings, door
):
    """A job started through the API answers 202 with a Location header, the absolute URL to
    poll (RFC 9110), whichever door started it: a background catalogue import always did; a
    framework import, a coverage recompute and a suggestion run did not."""
    if door == "import":
        path = "/api/v1/imports/"
        moodle = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "moodle"
        upload = SimpleUploadedFile("current.csv", (moodle / "current.csv").read_bytes())
        response = staff_client.post(path, {"format": "moodle", "file": upload}, format="multipart")
        expected = f"/api/v1/imports/{response.json()['id']}/"
    elif door == "recompute":
        path = "/api/v1/programs/{id}/recompute/"
        response = staff_client.post(path.format(id=ProgrammeFactory().pk))
        expected = f"/api/v1/tasks/{response.json()['task_id']}/"
    else:
        path = "/api/v1/suggestions/generate/"
        response = staff_client.post(path, {"courses": [CourseFactory().pk]}, format="json")
        expected = f"/api/v1/tasks/{response.json()['task_id']}/"

    assert response.status_code == 202, response.content
    assert response["Location"] == f"http://testserver{expected}"
    assert staff_client.get(response["Location"]).status_code == 200
    assert "Location" in schema["paths"][path]["post"]["responses"]["202"]["headers"]


@pytest.mark.parametrize("door", ["recompute", "suggestions"])
def test_a_202s_status_url_is_the_absolute_url_its_location_names(staff_client, door):
    """`status_url` in a 202's body was a path ("/api/v1/tasks/…/") while `Location` was an
    absolute URL: a REST client follows the body's link as it is, so both are the absolute URL."""
    if door == "recompute":
        response = staff_client.post(f"/api/v1/programs/{ProgrammeFactory().pk}/recompute/")
    else:
        response = staff_client.post(
            "/api/v1/suggestions/generate/", {"courses": [CourseFactory().pk]}, format="json"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    expected = f"http://testserver/api/v1/tasks/{body['task_id']}/"
    assert body["status_url"] == expected
    assert response["Location"] == expected
    assert staff_client.get(body["status_url"]).status_code == 200


def test_without_if_match_two_edits_of_different_fields_both_survive_with_their_authors(
    link, staff_user, django_user_model
):
    """The lost update of the hardening report: one staff changes the note, another the level
    from a copy read before; neither overwrites the other, and history blames each for their
    own change."""
    other = django_user_model.objects.create_user(username="other", is_staff=True)
    other.user_permissions.set(staff_user.user_permissions.all())
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user)}")
    second.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other)}")
    url = f"/api/v1/course-abilities/{link.pk}/"
    first.get(url), second.get(url)

    assert first.patch(url, {"note": "from first"}).status_code == 200
    assert second.patch(url, {"level": "M"}).status_code == 200

    link.refresh_from_db()
    assert (link.level.code, link.note) == ("M", "from first")
    latest, previous = link.history.order_by("-history_id")[:2]
    assert (latest.history_user, latest.level.code, latest.note) == (other, "M", "from first")
    assert (previous.history_user, previous.level.code, previous.note) == (
        staff_user,
        "I",
        "from first",
    )


def test_programmes_and_positions_honour_if_match_too(staff_client, db):
    from curricula.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory()
    url = f"/api/v1/programs/{programme.pk}/"
    etag = staff_client.get(url)["ETag"]
    course = CourseFactory()
    assert staff_client.patch(url, {"courses": [course.pk]}, HTTP_IF_MATCH=etag).status_code == 200
    assert staff_client.patch(url, {"courses": []}, HTTP_IF_MATCH=etag).status_code == 412


# --- Rate limits, caching, compression ------------------------------------------------------------


def test_anonymous_answers_carry_rate_limit_headers_and_a_429_says_when(db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottleExceptStaff, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    client = APIClient()
    first = client.get("/api/v1/levels/")
    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"]) == ("2", "1")
    assert first["RateLimit-Policy"] == "2;w=60"
    assert 0 < int(first["RateLimit-Reset"]) <= 60
    client.get("/api/v1/levels/")
    throttled = client.get("/api/v1/levels/")
    assert throttled.status_code == 429
    assert throttled["RateLimit-Remaining"] == "0"
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_public_reads_may_be_cached_and_revalidated_private_ones_not(db, api_client, staff_client):
    public = api_client.get("/api/v1/levels/")
    assert "public" in public["Cache-Control"]
    assert "must-revalidate" in public["Cache-Control"]
    assert "private" in staff_client.get("/api/v1/levels/")["Cache-Control"]
    write = staff_client.post("/api/v1/courses/", {"code": "C1", "title": "x"})
    assert "no-store" in write["Cache-Control"]


def test_large_json_is_gzipped_small_json_and_pages_are_not(db, api_client):
    for n in range(40):
        CourseFactory(title=f"A course with a long enough title {n}")
    large = api_client.get("/api/v1/courses/?page_size=40", HTTP_ACCEPT_ENCODING="gzip")
    assert large["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(large.content))["results"]) == 40
    small = api_client.get("/api/v1/levels/M/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in small
    page = api_client.get("/positions/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in page


# --- Documentation, offline ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_documentation_is_served_from_local_pinned_files(db, client, path):
    html = client.get(path).content.decode()
    assert "cdn.jsdelivr" not in html
    assert "unpkg" not in html
    assert "fonts.googleapis" not in html
    assert "/static/drf_spectacular_sidecar/" in html
    for asset in ("swagger-ui-dist/swagger-ui-bundle.js", "redoc/bundles/redoc.standalone.js"):
        assert finders.find(f"drf_spectacular_sidecar/{asset}")


REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_drops_its_makers_logo_the_one_image_it_asks_another_site_for(db, client):
    """ReDoc's footer showed its maker's logo from their CDN, which the Content-Security-Policy
    refused (img-src 'self' data:): a violation and a console error on every visit. The page
    runs static/js/redoc-logo.js before ReDoc, which drops that address; the bundle asks for no
    other off-site image (a new ReDoc with another, or this one moved, fails here)."""
    bundle = Path(finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"))
    assert set(re.findall(r'src:"(https?://[^"]*)"', bundle.read_text())) == {REDOC_LOGO}
    shim = Path(finders.find("js/redoc-logo.js")).read_text()
    assert f'var LOGO = "{REDOC_LOGO}";' in shim
    html = client.get("/api/redoc/").content.decode()
    scripts = re.findall(r'<script src="([^"]*)"', html)
    assert [Path(src).name for src in scripts] == ["redoc-logo.js", "redoc.standalone.js"]


def test_the_schema_names_no_logo_for_the_documentation(db, client):
    """ReDoc shows `info.x-logo` as an image: none, so none is asked for from another site."""
    info = client.get("/api/schema/", {"format": "json"}).json()["info"]
    assert "x-logo" not in info


# --- The schema ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/", {"format": "json"}).json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_has_a_summary_a_tag_and_its_error_responses(schema):
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("tags"), where
        assert operation["tags"] != ["api"], where
        responses = operation["responses"]
        assert {"401", "404"} <= set(responses), where
        for code in ("400", "401", "403", "404", "412", "429"):
            if code in responses:
                assert "content" in responses[code], (where, code)


def test_public_reads_declare_anonymous_access_and_writes_do_not(schema):
    courses = schema["paths"]["/api/v1/courses/"]
    assert courses["get"]["security"][0] == {}
    assert "429" in courses["get"]["responses"]
    assert {} not in courses["post"]["security"]
    assert "403" in courses["post"]["responses"]
    history = schema["paths"]["/api/v1/history/"]["get"]
    assert {} not in history["security"]


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_request_bodies_are_json_except_the_uploads(schema):
    """Multipart only where a file is uploaded (a binary property); every other body is JSON."""
    uploads = set()
    for path, method, operation in _operations(schema):
        if "requestBody" not in operation:
            continue
        content = operation["requestBody"]["content"]
        if "multipart/form-data" in content:
            assert set(content) == {"multipart/form-data"}, (method, path)
            body = _resolve(schema, content["multipart/form-data"]["schema"])
            formats = {_resolve(schema, p).get("format") for p in body["properties"].values()}
            assert "binary" in formats, (method, path)
            uploads.add(path)
        else:
            assert set(content) == {"application/json"}, (method, path)
    assert {
        "/api/v1/imports/",
        "/api/v1/courses/import/",
        "/api/v1/course-abilities/import/",
        "/api/v1/ability-relations/import-csv/",
    } <= uploads
    # Spreadsheets import all or nothing while the request waits: a report, or problems by line.
    for path in ("/api/v1/courses/import/", "/api/v1/course-abilities/import/"):
        assert {"200", "400"} <= set(schema["paths"][path]["post"]["responses"]), path
    # A framework import is a background job; a catalogue import answers with its report at once.
    assert "202" in schema["paths"]["/api/v1/imports/"]["post"]["responses"]


def test_single_objects_document_etags_if_match_and_412(schema):
    detail = schema["paths"]["/api/v1/course-abilities/{id}/"]
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch", "delete"):
        names = {p["name"] for p in detail[method]["parameters"]}
        assert "If-Match" in names
        assert "412" in detail[method]["responses"]
        # An empty If-Match is a 400, a DELETE's too.
        assert "400" in detail[method]["responses"]
    assert detail["get"]["parameters"][0]["schema"]["type"] == "integer"


def test_lists_document_paging_and_ordering(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/courses/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "default": 50,
    }
    assert "-title" in parameters["ordering"]["schema"]["items"]["enum"]
    assert {"module", "program", "search"} <= set(parameters)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/abilities/", "framework"),
        ("/api/v1/abilities/", "parent"),
        ("/api/v1/courses/", "program"),
        ("/api/v1/course-abilities/", "ability"),
        ("/api/v1/requirements/", "position"),
        ("/api/v1/suggestions/", "course"),
    ],
)
def test_id_filters_document_the_range_the_server_takes(staff_client, schema, path, name):
    """The schema's range of an id filter is the one the server takes: a client or fuzzer that
    sends 0 (which the schema allowed) was refused with a 400 it could not foresee."""
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert parameters[name]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert staff_client.get(path, {name: 1}).status_code == 200
    assert staff_client.get(path, {name: 2**63 - 1}).status_code == 200
    for outside in (0, 2**63):
        assert staff_client.get(path, {name: outside}).status_code == 400


def test_the_schema_names_its_servers_and_licence_and_types_case_answers(schema):
    assert schema["servers"]
    assert schema["info"]["license"]["name"]
    package = schema["paths"]["/ims/case/v1p1/CFPackages/{identifier}"]["get"]
    assert package["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CFPackage"
    }
    assert package["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/imsx_StatusInfo"
    }
    components = schema["components"]["schemas"]
    assert {"CFDocumentSet", "CFItem", "CFAssociation", "CFItemTypeSet"} <= set(components)
    assert set(components["CoverageSummary"]["required"]) == {"state", "computed_at", "percent"}
    assert set(components["FieldChange"]["required"]) == {"field", "before", "after"}
    assert "kind" in components["Bound"]["properties"]


# --- Ordering -----------------------------------------------------------------------------------


def test_lists_are_ordered_as_asked_and_unknown_fields_are_a_400(db, api_client):
    for code in ("B", "C", "A"):
        CourseFactory(code=code)
    codes = [c["code"] for c in api_client.get("/api/v1/courses/?ordering=-code").json()["results"]]
    assert codes == ["C", "B", "A"]
    response = api_client.get("/api/v1/courses/?ordering=colour")
    assert response.status_code == 400
    assert "code" in response.json()["ordering"][0]


def test_an_empty_ordering_is_the_default_order(db, api_client):
    """`?ordering=` (a form or client sending the parameter blank) asks for no particular order:
    the list's default."""
    for code in ("B", "C", "A"):
        CourseFactory(code=code)
    default = api_client.get("/api/v1/courses/").json()["results"]
    assert api_client.get("/api/v1/courses/?ordering=").json()["results"] == default
    # A blank term in a value names no field: refused like an unknown one.
    for query in ("ordering=,", "ordering=code,", "ordering=code,,-id"):
        assert api_client.get(f"/api/v1/courses/?{query}").status_code == 400, query


def test_an_ordering_naming_a_field_twice_is_a_400(db, api_client):
    """`?ordering=id,id,…` 20,000 times was accepted (2.8 s, and a `next` link of 120 KB
    repeating it): a field is ordered by once, so an ordering naming one twice (in either
    direction), and so more fields than the list offers, is refused as an unknown one is."""
    CourseFactory(code="A")
    for query in (
        "ordering=" + ",".join(["id"] * 20_000),
        "ordering=code,-code",
        "ordering=code&ordering=code",
    ):
        response = api_client.get(f"/api/v1/courses/?{query}")
        assert response.status_code == 400, query[:40]
        assert len(response.content) < 2_000, query[:40]
        assert "code" in response.json()["ordering"][0]
    assert api_client.get("/api/v1/courses/?ordering=code,-id").status_code == 200


def test_the_schema_says_which_query_parameters_take_an_empty_value(db, admin_client):
    """Every filter, search and ordering parameter reads an empty value as "not given" (as
    django-filter does) and the schema says so (allowEmptyValue, or plain text that "" fits);
    paging parameters refuse it with a 400 and the schema does not say it is allowed. Found by
    a longer schemathesis run: the schema declared enums and integers that the 200 answers to
    `?status=` or `?certification=` contradicted."""
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()
    checked = 0
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        # Required parameters (the history's `model`) are given, so that the empty one is what
        # the answer is about. One whose values name records (the comparison's `programs`) has
        # none in this empty database to give: its operation's tests check its parameters.
        needed = [
            parameter
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query" and parameter.get("required")
        ]
        if any("enum" not in parameter["schema"] for parameter in needed):
            continue
        required = {parameter["name"]: parameter["schema"]["enum"][0] for parameter in needed}
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in {"format", *required}:
                continue
            query = {**required, parameter["name"]: ""}
            status = admin_client.get(path, query).status_code
            assert status in (200, 400), (path, parameter["name"], status)
            declared = parameter.get("schema", {})
            plain_text = declared.get("type") == "string" and not (
                {"enum", "pattern", "minLength", "format"} & set(declared)
            )
            if parameter.get("allowEmptyValue"):
                assert status == 200, (path, parameter["name"])
            elif status == 200:
                assert plain_text, f"{path}?{parameter['name']}= is a 200 the schema refuses"
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    "query", ["page=", "page=0", "page=x", "page=1&page=2", "page_size=5&page_size=6"]
)
def test_a_malformed_or_repeated_page_parameter_is_a_400(db, api_client, query):
    response = api_client.get(f"/api/v1/courses/?{query}")
    assert response.status_code == 400
    assert set(response.json()) & {"page", "page_size"}


@pytest.mark.parametrize("door", ["import", "recompute"])
def test_a_polled_status_url_documents_its_etag_and_answers_304_while_unchanged(
    staff_client, schema, settings, door
):
    """Every other single object's GET documents the ETag it answers; a job's and a task's
    status did not, so a client generated from the schema had no reason to send it back."""
    if door == "import":
        moodle = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "moodle"
        upload = SimpleUploadedFile("current.csv", (moodle / "current.csv").read_bytes())
        response = staff_client.post(
            "/api/v1/imports/", {"format": "moodle", "file": upload}, format="multipart"
        )
        path = "/api/v1/imports/{id}/"
    else:
        response = staff_client.post(f"/api/v1/programs/{ProgrammeFactory().pk}/recompute/")
        path = "/api/v1/tasks/{task_id}/"
    assert response.status_code == 202, response.content
    assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]

    first = staff_client.get(response["Location"])
    assert first.status_code == 200
    again = staff_client.get(response["Location"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_tasks_etag_changes_with_its_state_and_progress(staff_client, monkeypatch):
    """A task's ETag is that of all it answers (state, progress, result, error), read from the
    result backend: a poll is answered 304 exactly while none of it changed."""
    import core.api.tasks

    status = {"id": "t", "state": "SENT", "progress": None, "result": None, "error": None}
    monkeypatch.setattr(core.api.tasks, "task_status_for", lambda *, task_id, user: dict(status))
    url = "/api/v1/tasks/5c8a2a52-7a0e-4d0a-9d8e-0d6a3f1c2b11/"

    etags = []
    for change in (
        {},
        {"state": "PROGRESS", "progress": {"done": 1, "total": 4}},
        {"progress": {"done": 2, "total": 4}},
        {"state": "SUCCESS", "progress": None, "result": {"n": 4}},
    ):
        status.update(change)
        previous = etags[-1] if etags else '"none"'
        response = staff_client.get(url, HTTP_IF_NONE_MATCH=previous)
        assert response.status_code == 200
        etags.append(response["ETag"])
        assert staff_client.get(url, HTTP_IF_NONE_MATCH=etags[-1]).status_code == 304
    assert len(set(etags)) == 4


def test_an_unchanged_workbook_keeps_its_etag_and_answers_304(db, api_client, monkeypatch):
    """The workbook's ETag is that of its bytes, and openpyxl stamped each file with the time
    it was written (its properties and every zip entry): the tag changed every second, so
    If-None-Match never matched. The same map now gives the same bytes."""
    import datetime
    import time
    import types

    import openpyxl.packaging.core
    import openpyxl.writer.excel

    programme = ProgrammeFactory()
    url = f"/api/v1/programs/{programme.pk}/workbook.xlsx"
    first = api_client.get(url)
    assert first.status_code == 200

    class AnHourLater(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(time.time() + 3600, tz)

    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # zip entries' dates
    # openpyxl's document properties, in its own modules only: patched for everyone, the
    # workbook's date cells (isinstance of datetime.datetime) would not be read as dates.
    an_hour_later = types.SimpleNamespace(datetime=AnHourLater, timezone=datetime.timezone)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", an_hour_later)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", an_hour_later)
    # And the site's clock: the Summary sheet said when it was exported, to the minute, so two
    # requests a minute apart (one in a few here, under load) gave two tags.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(hours=1))
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    monkeypatch.undo()
    programme.name = "Renamed"
    programme.save()
    assert api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
