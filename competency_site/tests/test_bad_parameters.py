"""Every query and path parameter of every API operation refuses what it cannot parse with a 4xx,
never a 500: a deterministic sweep over the served schema with the values a fuzzer found (a
superscript digit, which `str.isdigit()` accepts and `int()` refuses), NUL, an id past 64 bits,
invalid UTF-8 and the like, as anonymous and as staff. (The schemathesis run explores; this one
pins what it found, in every operation at once.)
"""

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import resolve
from rest_framework.authtoken.models import Token

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

HOSTILE = ["²", "\x00", "9" * 30, "-1", "x" * 300]
# Raw query strings, for what a str cannot carry: bytes that are not UTF-8.
HOSTILE_RAW = ["%ff", "%ed%a0%80"]
PATH_HOSTILE = ["99999999999999999999999", "0", "²", "%00", "%ff"]


@pytest.fixture
def some_data(db):
    course = CourseFactory()
    position = PositionFactory()
    RequirementFactory(position=position)
    link = CourseAbilityFactory(course=course)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    # The path ids of the records made: on PostgreSQL the sequences run on from earlier tests,
    # so an id of 1 names nothing there (a 404 before any parameter is read).
    return {
        "course_pk": course.pk,
        "position_pk": position.pk,
        "/api/v1/frameworks/": link.ability.framework_id,
        "/api/v1/programs/": programme.pk,
    }


def _operations(client) -> list[tuple[str, dict]]:
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    return [
        (path, operation["get"])
        for path, operation in schema["paths"].items()
        if "get" in operation and not path.startswith("/api/schema")
    ]


def _concrete(path: str, operation: dict, override: tuple[str, str] | None = None) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        name = parameter["name"]
        value = "1" if parameter["schema"].get("type") == "integer" else "x"
        if override and override[0] == name:
            value = override[1]
        path = path.replace("{" + name + "}", value)
    return path


def _sweep(client, headers: dict) -> list[str]:
    failures = []

    def check(url: str, **extra) -> None:
        try:
            resolve(url.split("?")[0])
        except Exception:
            return  # a path Django does not route at all is a 404 before any view runs
        cache.clear()  # anonymous requests are throttled; each starts with a fresh allowance
        response = client.get(url, **extra, **headers)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} GET {url} {extra}")

    for path, operation in _operations(client):
        parameters = operation.get("parameters", [])
        base = _concrete(path, operation)
        for parameter in parameters:
            if parameter["in"] == "query":
                for value in HOSTILE:
                    cache.clear()
                    response = client.get(base, {parameter["name"]: value}, **headers)
                    if response.status_code >= 500:
                        failures.append(
                            f"{response.status_code} GET {base} {parameter['name']}={value!r}"
                        )
                for raw in HOSTILE_RAW:
                    check(base, QUERY_STRING=f"{parameter['name']}={raw}")
            elif parameter["in"] == "path":
                for value in PATH_HOSTILE:
                    check(_concrete(path, operation, (parameter["name"], value)))
    return failures


@pytest.mark.django_db
def test_no_parameter_value_gives_a_server_error_to_anonymous(client, some_data):
    assert _sweep(client, {}) == []


@pytest.mark.django_db
def test_no_parameter_value_gives_a_server_error_to_staff(client, some_data, staff_user):
    token, _ = Token.objects.get_or_create(user=staff_user)
    assert _sweep(client, {"HTTP_AUTHORIZATION": f"Token {token.key}"}) == []


# Besides the arrays (`ordering`, the workbook's `status`): DRF's `format` (the renderer, not a
# query of the data), and `page` and `page_size`, refused twice already in their own words.
REPEATABLE = {"format", "page", "page_size"}


# What an operation needs beside the parameter repeated, so the answer is about that one.
def _needs(path: str, ids: dict) -> dict:
    return {
        "/api/v1/history/": {"model": "course"},
        "/api/v1/suggestions/": {"programme": str(ids["/api/v1/programs/"])},
    }.get(path, {})


def _with_ids(path: str, ids: dict) -> str:
    for name in ("course_pk", "position_pk"):
        path = path.replace("{" + name + "}", str(ids[name]))
    for collection in ("/api/v1/frameworks/", "/api/v1/programs/"):
        if path.startswith(collection + "{id}"):
            path = path.replace("{id}", str(ids[collection]), 1)
    return path


def _two_values(schema: dict) -> list[str]:
    if schema.get("enum"):
        return [str(value) for value in schema["enum"]][:2] * (2 if len(schema["enum"]) < 2 else 1)
    if schema.get("type") == "boolean":
        return ["true", "false"]
    return ["1", "2"]


@pytest.mark.django_db
def test_a_parameter_given_twice_is_a_400_naming_it_not_the_last_value_taken(
    client, some_data, staff_user
):
    """`?course=1&course=2` answered with course 2's links alone: a client meaning either course
    (or sending a filter twice by mistake) got a list it did not ask for, without a word. Every
    one-valued parameter given twice is a 400 naming it, as `page` and `page_size` were."""
    token, _ = Token.objects.get_or_create(user=staff_user)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    taken = []
    for path, operation in _operations(client):
        if not path.startswith("/api/v1/"):
            continue
        base = _concrete(_with_ids(path, some_data), operation)
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] != "query" or name in REPEATABLE:
                continue
            if parameter["schema"].get("type") == "array":
                continue
            query = [(key, value) for key, value in _needs(path, some_data).items() if key != name]
            query += [(name, value) for value in _two_values(parameter["schema"])]
            response = client.get(base + "?" + urlencode(query), **headers)
            messages = (
                response.json().get(name, [])
                if response.get("Content-Type") == "application/json"
                else []
            )
            if response.status_code != 400 or not any("once" in str(m) for m in messages):
                taken.append(f"{response.status_code} {base}?{urlencode(query)}")
    assert taken == []
