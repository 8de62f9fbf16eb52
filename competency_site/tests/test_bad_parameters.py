"""Every query and path parameter of every API operation refuses what it cannot parse with a 4xx,
never a 500: a deterministic sweep over the served schema with the values a fuzzer found (a
superscript digit, which `str.isdigit()` accepts and `int()` refuses), NUL, an id past 64 bits,
invalid UTF-8 and the like, as anonymous and as staff. (The schemathesis run explores; this one
pins what it found, in every operation at once.) The same for every HTML page, below: each query
parameter a page reads, and each id in its path, with the paper's records for the rest.
"""

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import resolve
from rest_framework.authtoken.models import Token

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

# "50%": sqlmap's probes of `?degree_level=` (…master%' AND 1=1…) were answered 500: a
# refusal quoting the value was %-formatted again by django-filter.
HOSTILE = ["²", "\x00", "9" * 30, "-1", "x" * 300, "50%"]
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


_SCHEMA_PATHS: list[dict] = []


def _operations(client) -> list[tuple[str, dict]]:
    """Every GET operation of the served schema (asked as anonymous; generated once per test
    process: drf-spectacular takes seconds to build it, the same each time)."""
    if not _SCHEMA_PATHS:
        response = client.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200, response.content[:300]
        _SCHEMA_PATHS.append(json.loads(response.content)["paths"])
    return [
        (path, operation["get"])
        for path, operation in _SCHEMA_PATHS[0].items()
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


# --- The HTML pages ------------------------------------------------------------------------------
# Every page of competency_site.web_urls answering a GET, with the paper's records for its path
# ids, asked each query parameter it reads with the values below, as anonymous and as staff,
# plain and as htmx asks (a designer, signed in without staff rights, reads the pages anonymous
# visitors read and is refused the staff ones before a parameter is read; test_permissions_matrix
# asks every write as one): a 4xx, a page that ignores the value, or a redirect, never a 500. The
# parameters a page reads are found by watching the query it is asked without any (every `get`,
# `getlist`, `[]` and `in`), so a parameter added to a page is probed without a word here.

PAGE_HOSTILE = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "",
    "²",
    "１",  # noqa: RUF001  (a full-width digit: isdigit() yes, ASCII no)
    "\x00",
    "中文 é",
    "x" * 5000,
]
PAGE_HOSTILE_RAW = ["%ff", "%ed%a0%80"]
# What anonymous visitors are asked: the pages read a parameter the same way for everyone, but
# staff see more of them (the map's editor, the review queues), so they are asked everything
# above, and as htmx asks too; anonymous visitors one value of each kind of fault a value has
# caused (not a number, past 64 bits, a character the database refuses): the two sweeps are
# among the suite's slowest tests, and staff's is the one that asks everything.
PAGE_HOSTILE_FEW = ["abc", "99999999999999999999", "\x00"]


def _web_routes() -> list[tuple[str, str]]:
    """(name, route) of every page of the site's web URLconf, names with their namespace."""
    from django.urls import URLPattern, URLResolver

    from competency_site import web_urls

    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((f"{namespace}{pattern.name}", prefix + str(pattern.pattern)))

    walk(web_urls.urlpatterns, "/", "")
    return found


# The path ids `page_ids` gives, by (page name or namespace, route part).
PAGE_ID_KEYS = {
    ("curricula", "pk"),
    ("curricula", "ability_id"),
    ("positions", "pk"),
    ("positions", "programme_id"),
    ("positions", "ability_id"),
    ("courses", "pk"),
    ("suggestions:course-review", "pk"),
    ("suggestions:programme-review", "pk"),
    ("suggestions:position-review", "pk"),
}


@pytest.fixture(scope="class")
def page_ids(django_db_setup, django_db_blocker, _paper_snapshot):
    """Path ids for each page, from the paper: a programme with targets and courses, a target
    of it and an ability the target requires, a course of it. The pages only read, so the paper
    and its coverage are written once for the class's tests, in a transaction each test's own
    nests in (a savepoint), rolled back after the last: not once per page and role."""
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            ids = _page_ids(_paper_snapshot)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield ids
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _page_ids(snapshot) -> dict:
    from curricula.coverage.services import coverage_recompute
    from curricula.models import Programme
    from positions.models import Requirement

    snapshot.restore()
    coverage_recompute(force=True)
    programme = (
        Programme.objects.filter(targets__isnull=False, programme_courses__isnull=False)
        .order_by("order", "pk")
        .first()
    )
    target = programme.targets.order_by("pk").first().position
    requirement = Requirement.objects.filter(position=target).order_by("pk").first()
    course = programme.programme_courses.order_by("pk").first().course
    ability = requirement.ability_id
    ids = {
        ("curricula", "pk"): programme.pk,
        ("curricula", "ability_id"): ability,
        ("positions", "pk"): target.pk,
        ("positions", "programme_id"): programme.pk,
        ("positions", "ability_id"): ability,
        ("courses", "pk"): course.pk,
        ("suggestions:course-review", "pk"): course.pk,
        ("suggestions:programme-review", "pk"): programme.pk,
        ("suggestions:position-review", "pk"): target.pk,
        "staff": _page_staff(),
    }
    assert ids.keys() - {"staff"} == PAGE_ID_KEYS
    return ids


def _page_url(name: str, route: str, ids: dict) -> str | None:
    """The route with the records' ids in it; None for a route with a path part no page of
    records names (a change set's token: its undo is a POST)."""
    import re

    def fill(match) -> str:
        key = match.group(2)
        for scope in (name, name.split(":")[0]):
            if (scope, key) in ids:
                return str(ids[scope, key])
        raise LookupError(key)

    try:
        return re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    except LookupError:
        return None


class _ReadKeys:
    """The query parameters a request's handling reads, by name."""

    def __init__(self, monkeypatch):
        from django.http import QueryDict

        self.keys: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)

            def watching(query, key, *args, _original=original, **kwargs):
                self.keys.add(key)
                return _original(query, key, *args, **kwargs)

            monkeypatch.setattr(QueryDict, method, watching)


def _page_staff():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    staff = get_user_model().objects.create_user(
        username="pages-staff", password="x-pass-123", is_staff=True
    )
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["positions", "certifications", "curricula"]
        )
    )
    return staff


def _parameters_read(client, url: str, ids: dict, monkeypatch) -> list[str] | None:
    """The query parameters the page at `url` reads, asked by staff without any (and by htmx,
    which some pages answer with a fragment reading others); None for a form's target (a 405 to
    a GET: not a page). Found once per page for the class's records (`ids`): the same pages,
    records and staff give the same answer to a role's test and the other's."""
    found = ids.setdefault("parameters read", {})
    if url not in found:
        found[url] = _parameters_read_now(client, url, ids["staff"], monkeypatch)
    return found[url]


def _parameters_read_now(client, url: str, staff, monkeypatch) -> list[str] | None:
    client.force_login(staff)
    with monkeypatch.context() as patch:
        watcher = _ReadKeys(patch)
        response = client.get(url)
        client.get(url, HTTP_HX_REQUEST="true")
        keys = set(watcher.keys)
    client.logout()
    if response.status_code == 405:
        return None
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return sorted(keys)


# Every route with a page of records for each part of its path (not a change set's token): one
# test each, so the sweep, among the suite's slowest work, is shared by the test workers.
PAGE_ROUTES = [
    (name, route)
    for name, route in _web_routes()
    if _page_url(name, route, dict.fromkeys(PAGE_ID_KEYS, 1)) is not None
]


@pytest.mark.django_db
class TestPages:
    def test_the_page_sweep_reaches_every_page_and_the_parameters_they_read(
        self, client, page_ids, monkeypatch
    ):
        """The sweep below is not empty: each page answers with its records, and the parameters
        pages read are found."""
        pages = []
        for name, route in PAGE_ROUTES:
            url = _page_url(name, route, page_ids)
            keys = _parameters_read(client, url, page_ids, monkeypatch)
            if keys is not None:
                pages.append((url, keys))
        assert len(pages) >= 12, pages  # every page found, each with its records
        assert sum(len(keys) for _url, keys in pages) >= 20, pages

    @pytest.mark.parametrize("role", ["anonymous", "staff"])
    @pytest.mark.parametrize(("name", "route"), PAGE_ROUTES, ids=[name for name, _ in PAGE_ROUTES])
    def test_no_page_gives_a_server_error_for_any_query_parameter_value(
        self, client, page_ids, monkeypatch, role, name, route
    ):
        url = _page_url(name, route, page_ids)
        keys = _parameters_read(client, url, page_ids, monkeypatch)
        staff = role == "staff"
        if staff:
            client.force_login(page_ids["staff"])
        failures = []

        def check(url, **extra) -> None:
            cache.clear()
            try:
                response = client.get(url, **extra)
            except Exception as error:  # raised through the test client: a 500 in production
                failures.append(f"GET {url} {extra}: {type(error).__name__}: {error}"[:300])
                return
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {url} {extra}"[:300])

        if keys is not None:
            for key in keys:
                for value in PAGE_HOSTILE if staff else PAGE_HOSTILE_FEW:
                    check(url, data={key: value})
                check(url, data={key: ["1", "abc", "2"]})
                if staff:
                    for raw in PAGE_HOSTILE_RAW:
                        check(url, QUERY_STRING=f"{key}={raw}")
                    for value in ("abc", "99999999999999999999", "\x00"):
                        check(url, data={key: value}, HTTP_HX_REQUEST="true")
            check(url, data=dict.fromkeys(keys, "abc"))
        # And each id in the path, out of range: the page's records are not there (a 404).
        for key in {key for scope, key in PAGE_ID_KEYS if scope in (name, name.split(":")[0])}:
            for value in ("0", "99999999999999999999"):
                check(_page_url(name, route, {**page_ids, (name, key): value}))
        assert failures == []
