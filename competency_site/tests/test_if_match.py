"""If-Match on every unsafe request of /api/v1/ (RFC 9110, 13.1.1: an origin server MUST
evaluate it before performing the method), found by walking the OpenAPI schema, so an operation
added tomorrow is checked the day it is added.

- On one object (PUT, PATCH, DELETE, and a POST action such as accept or recompute), If-Match is
  compared with the ETag the object's GET answers: another tag is a 412 in the usual error body,
  with the current ETag, and nothing is written; `*` and the current tag go through.
- On a collection (a create, an import, a generation job) there is no current representation to
  compare with: any If-Match, `*` too, is a 412 and nothing is written (as Django's own
  condition() answers a write whose target has no ETag).
- Without If-Match nothing changes (the rest of the suite)."""

import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from competency_site.tests.records import one_record_of_each_kind
from core.tests import openapi
from curricula.models import CourseAbility, Programme, ProgrammeCoverage, Suggestion
from curricula.tests.factories import CourseAbilityFactory
from positions.models import AbilityRelation, ImportJob, Position, Requirement
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
STALE = '"0123456789abcdef0123456789abcdef"'
WATCHED = (CourseAbility, Programme, Position, Requirement, AbilityRelation, ImportJob)


def _unsafe_operations() -> list[tuple[str, str]]:
    schema, _generator = openapi.generate()
    return [(method, path) for path, method, _op in openapi.operations(schema) if method in UNSAFE]


UNSAFE_OPERATIONS = _unsafe_operations()


def _object_path(schema_path: str, schema_paths) -> str | None:
    """The path of the one object an operation acts on, GET-able: the operation's own path for
    PUT/PATCH/DELETE, the detail path an action hangs from (`/suggestions/{id}/`), or None for
    a collection."""
    candidates = [
        path
        for path in schema_paths
        if path.endswith("}/") and schema_path.startswith(path) and "get" in schema_paths[path]
    ]
    return max(candidates, key=len) if candidates else None


@pytest.fixture(scope="module")
def schema_paths():
    schema, _generator = openapi.generate()
    return schema["paths"]


@pytest.fixture
def client():
    client = APIClient()
    client.force_authenticate(
        get_user_model().objects.create_superuser(username="root", password="root-pass-123")
    )
    return client


@pytest.fixture
def records():
    return one_record_of_each_kind()


def _url(schema_path: str, records: dict) -> str:
    resource = schema_path.removeprefix("/api/v1/").split("/", 1)[0]

    def value(match):
        name = match.group(1)
        if name == "model":
            return "courseability"
        return str(records[resource])

    return re.sub(r"\{(\w+)\}", value, schema_path)


def _state() -> tuple:
    """What any of the writes would change."""
    return (
        [model.objects.count() for model in WATCHED],
        sorted(CourseAbility.objects.values_list("pk", "level_id", "note")),
        sorted(Suggestion.objects.values_list("pk", "status", "skipped_at")),
        sorted(ProgrammeCoverage.objects.values_list("programme_id", "state", "stale_since")),
        sorted(
            AbilityRelation.objects.values_list("pk", "source_id", "target_id", "relation_type")
        ),
        CourseAbility.history.count(),
    )


def _send(client, method: str, url: str, if_match: str):
    return getattr(client, method.lower())(url, HTTP_IF_MATCH=if_match)


def test_the_walk_finds_every_kind_of_unsafe_operation():
    """So that the tests below cannot pass by finding nothing."""
    assert {
        ("POST", "/api/v1/courses/"),
        ("PATCH", "/api/v1/courses/{id}/"),
        ("DELETE", "/api/v1/programs/{id}/"),
        ("DELETE", "/api/v1/ability-relations/{id}/"),
        ("POST", "/api/v1/suggestions/{id}/accept/"),
        ("POST", "/api/v1/suggestions/{id}/reject/"),
        ("POST", "/api/v1/suggestions/{id}/skip/"),
        ("POST", "/api/v1/suggestions/generate/"),
        ("POST", "/api/v1/programs/{id}/recompute/"),
        ("POST", "/api/v1/programs/{id}/what-if/"),
        ("POST", "/api/v1/programs/{id}/what-if/apply/"),
        ("POST", "/api/v1/history/{model}/{history_id}/revert/"),
        ("POST", "/api/v1/imports/"),
        ("POST", "/api/v1/courses/import/"),
    } <= set(UNSAFE_OPERATIONS)


@pytest.mark.parametrize(("method", "path"), UNSAFE_OPERATIONS)
def test_a_stale_if_match_is_a_412_and_writes_nothing(client, records, schema_paths, method, path):
    """Observed: POST /suggestions/{id}/accept/ (reject, skip, recompute, what-if/apply, a
    revert, every create) with an If-Match naming a version the object never had did what it
    was asked, the header read past."""
    url = _url(path, records)
    before = _state()
    response = _send(client, method, url, STALE)
    assert response.status_code == 412, (method, url, response.status_code, response.content[:300])
    assert set(response.json()) == {"detail"}
    assert _state() == before
    object_path = _object_path(path, schema_paths)
    if object_path is not None:
        # The current version, so that the client can read it again and retry.
        current = client.get(_url(object_path, records))
        assert response["ETag"] == current["ETag"]


@pytest.mark.parametrize(("method", "path"), UNSAFE_OPERATIONS)
def test_on_one_object_the_current_etag_and_star_pass_on_a_collection_nothing_does(
    client, records, schema_paths, method, path
):
    """The tag the object's GET answers (weak or strong) and `*` are the object's current
    version: the request is carried out as without the header (whatever it then answers, not
    412). A collection has none: `*` is a 412 too, and nothing is written."""
    url = _url(path, records)
    object_path = _object_path(path, schema_paths)
    if object_path is None:
        before = _state()
        response = _send(client, method, url, "*")
        assert response.status_code == 412, (method, url, response.content[:300])
        assert "detail" in response.json()
        assert _state() == before
        return
    current = client.get(_url(object_path, records))
    assert current.status_code == 200, current.content
    response = _send(client, method, url, f"{STALE}, W/{current['ETag']}")
    assert response.status_code not in (412, 500), (method, url, response.content[:300])
    if response.status_code < 300 and method != "DELETE":
        # Still there (a revert may have undone the creation: then * finds nothing).
        assert client.get(_url(object_path, records)).status_code in (200, 404)
    response = _send(client, method, url, "*")
    assert response.status_code not in (412, 500), (method, url, response.content[:300])


@pytest.mark.parametrize(("method", "path"), UNSAFE_OPERATIONS)
def test_an_empty_if_match_is_a_400_naming_the_header(client, records, method, path):
    """A header naming no tag at all is malformed (an unset variable), on every unsafe request
    alike, not a version someone else has changed."""
    url = _url(path, records)
    before = _state()
    response = _send(client, method, url, " ")
    assert response.status_code == 400, (method, url, response.content[:300])
    assert "If-Match" in response.json()["detail"]
    assert _state() == before


def test_the_schema_documents_if_match_and_412_on_every_unsafe_operation(schema_paths):
    """On one object If-Match is a parameter with its 412; on a collection the 412 says that
    no If-Match can match there."""
    undocumented = []
    for method, path in UNSAFE_OPERATIONS:
        operation = schema_paths[path][method.lower()]
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        one_object = _object_path(path, schema_paths) is not None
        if "412" not in operation["responses"] or ("If-Match" in names) != one_object:
            undocumented.append(f"{method} {path}")
        elif not one_object:
            assert "collection" in operation["responses"]["412"]["description"], path
    assert undocumented == []
    revert = schema_paths["/api/v1/history/{model}/{history_id}/"]["get"]
    assert "ETag" in revert["responses"]["200"]["headers"]
    suggestion = schema_paths["/api/v1/suggestions/{id}/"]["get"]
    assert "ETag" in suggestion["responses"]["200"]["headers"]


def test_a_reviewer_decides_a_suggestion_only_as_they_read_it(client):
    """The case the header is for: two reviewers read the same suggestion; one skips it (it goes
    to the end of the queue), the other accepts it with the ETag read before. The accept is a
    412 with the new ETag, and accepting with that one makes the link."""
    suggestion = SuggestionFactory()
    url = f"/api/v1/suggestions/{suggestion.pk}/"
    read = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304
    assert client.post(f"{url}skip/", HTTP_IF_MATCH=read["ETag"]).status_code == 200
    stale = client.post(f"{url}accept/", {}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    assert stale["ETag"] == client.get(url)["ETag"] != read["ETag"]
    assert not CourseAbility.objects.filter(course=suggestion.course).exists()
    accepted = client.post(
        f"{url}accept/", {"level": "M"}, format="json", HTTP_IF_MATCH=stale["ETag"]
    )
    assert accepted.status_code == 201, accepted.content
    assert CourseAbility.objects.filter(
        course=suggestion.course, ability=suggestion.ability
    ).exists()


def test_a_change_is_reverted_with_the_etag_its_get_answers(client):
    link = CourseAbilityFactory(note="first")
    link.note = "second"
    link.save()
    change = link.history.first()
    url = f"/api/v1/history/courseability/{change.history_id}/"
    read = client.get(url)
    assert read.status_code == 200
    reverted = client.post(f"{url}revert/", HTTP_IF_MATCH=read["ETag"])
    assert reverted.status_code == 200, reverted.content
    link.refresh_from_db()
    assert link.note == "first"
