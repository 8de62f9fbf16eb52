"""Every status a request can get is one its operation documents: a client generated from the
schema has no type for an answer the schema does not list (openapi-python-client returns None
for it, or raises with `raise_on_unexpected_status`), and schemathesis' status_code_conformance
check fails on it. Each test below makes the request a client or a fuzzer made, reads the status,
and looks it up in the schema."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.throttling import FailedAuthenticationThrottle
from core.tests import openapi
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return openapi.generate()[0]


def documented(schema: dict, method: str, path: str) -> list[str]:
    return sorted(schema["paths"][path][method.lower()]["responses"])


def _bodyless_writes():
    """(method, schema path, concrete path) of writes whose operation has no request body: the
    deletes and the actions that take none. Each still reads what is sent to refuse it."""
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    suggestion = SuggestionFactory(course=course)
    return [
        ("DELETE", "/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/"),
        ("DELETE", "/api/v1/programs/{id}/", f"/api/v1/programs/{programme.pk}/"),
        ("POST", "/api/v1/programs/{id}/recompute/", f"/api/v1/programs/{programme.pk}/recompute/"),
        ("POST", "/api/v1/suggestions/{id}/skip/", f"/api/v1/suggestions/{suggestion.pk}/skip/"),
        (
            "POST",
            "/api/v1/suggestions/{id}/reject/",
            f"/api/v1/suggestions/{suggestion.pk}/reject/",
        ),
    ]


def test_a_body_of_a_type_no_write_reads_is_a_documented_415_on_deletes_and_actions(
    schema, staff_client
):
    """Observed (schemathesis, then curl): `DELETE /api/v1/courses/{id}/` and `POST
    /api/v1/suggestions/{id}/skip/` with a `text/plain` body answered 415, which their
    operations did not list: only operations with a request body did."""
    answers = {}
    for method, path, url in _bodyless_writes():
        response = staff_client.generic(method, url, "hello", content_type="text/plain")
        answers[f"{method} {path}"] = (response.status_code, documented(schema, method, path))
    assert {key: status for key, (status, _codes) in answers.items()} == dict.fromkeys(answers, 415)
    assert [key for key, (status, codes) in answers.items() if str(status) not in codes] == []


def test_a_body_over_the_size_the_api_reads_is_a_documented_413(schema, staff_client, settings):
    """Observed: a 3 MB JSON body to `POST /api/v1/courses/` (or to any write, a DELETE's and a
    bodiless action's too) answered 413 with its JSON error, undocumented for every operation."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    course = CourseFactory()
    body = '{"code": "BIG1", "title": "Big", "description": "' + "a" * 300 + '"}'
    cases = [
        ("POST", "/api/v1/courses/", "/api/v1/courses/"),
        ("PATCH", "/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/"),
        ("DELETE", "/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/"),
    ]
    undocumented = []
    for method, path, url in cases:
        response = staff_client.generic(method, url, body, content_type="application/json")
        assert response.status_code == 413, (method, path, response.content)
        if "413" not in documented(schema, method, path):
            undocumented.append(f"{method} {path}")
    assert undocumented == []


def test_a_staff_token_from_an_address_locked_out_by_wrong_tokens_is_a_documented_429(
    schema, staff_user, monkeypatch
):
    """Observed: after API_AUTH_FAILURE_RATE wrong tokens from one address, a staff write with
    a valid token from that address (a colleague behind the same proxy) answered 429, which
    only public reads listed, as an anonymous client's throttle."""
    monkeypatch.setattr(
        FailedAuthenticationThrottle, "THROTTLE_RATES", {"auth_failure": "2/minute"}
    )
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert [guesser.get("/api/v1/levels/").status_code for _ in range(2)] == [401, 401]

    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    response = staff.post("/api/v1/courses/", {"code": "T429", "title": "Locked"}, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "429" in documented(schema, "POST", "/api/v1/courses/")
    assert "429" in documented(schema, "GET", "/api/v1/history/")


def test_an_accept_header_no_json_operation_answers_is_a_documented_406(schema, staff_client):
    """Observed: `Accept: application/xml` (or `application/json;q=0`) on a JSON read, a
    write or a CASE read answered 406 with its JSON error, documented on the downloads alone."""
    course = CourseFactory()
    cases = [
        ("GET", "/api/v1/tracks/", "/api/v1/tracks/", "application/xml"),
        ("GET", "/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/", "application/json;q=0"),
        ("POST", "/api/v1/courses/", "/api/v1/courses/", "application/xml"),
        ("DELETE", "/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/", "text/csv"),
        ("GET", "/ims/case/v1p1/CFDocuments", "/ims/case/v1p1/CFDocuments", "application/xml"),
    ]
    undocumented = []
    for method, path, url, accept in cases:
        response = staff_client.generic(method, url, HTTP_ACCEPT=accept)
        assert response.status_code == 406, (method, path, response.content)
        assert response["Content-Type"].startswith("application/json"), (method, path)
        if "406" not in documented(schema, method, path):
            undocumented.append(f"{method} {path}")
    assert undocumented == []
