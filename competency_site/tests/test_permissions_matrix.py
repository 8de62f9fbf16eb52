"""Who may do what, over every URL the project serves (found by walking the URL resolver, so a
new endpoint is in the matrix the day it is added): anonymous users, authenticated non-staff,
staff without the model permission and staff with it. Reads are public except the staff-only
ones; only the last role can write; session writes need the CSRF token; the admin is staff-only.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.html import escape
from django.utils.translation import gettext

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
# Not part of the matrix: Django's own login/password views and language switch, and the time
# zone page (public by design: a reader's own preference, kept in a cookie; tested in
# curricula/tests/test_reader_time_zone.py), the admin (tested on its own below), static files.
SKIPPED_PREFIXES = ("accounts/", "i18n/", "time-zone/", "admin/", "static/")
# Reads that are for staff only.
STAFF_ONLY_READS = ("/api/v1/imports/", "/api/v1/history/", "/api/v1/tasks/")
# Suggestions are a reviewer's working material, at /api/v1/suggestions/ and nested under
# courses and positions (/api/v1/courses/{id}/suggestions/).
STAFF_ONLY_API_PARTS = ("/suggestions/",)
# POSTs that ask a question and write nothing (a what-if preview): open to every reader.
QUESTIONS = ("/what-if/",)
DENIED = {401, 403}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith(("/api/", "/ims/"))


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, route


def supports(endpoint: Endpoint, method: str) -> bool:
    """Whether the view behind the URL has a handler for the method (None: cannot tell, a
    function view)."""
    func = resolve(endpoint.path).func
    actions = getattr(func, "actions", None)
    if actions is not None:
        return method in actions
    view_class = getattr(func, "view_class", None) or getattr(func, "cls", None)
    if view_class is not None:
        return hasattr(view_class, method)
    return None


def _value(name: str, ids: dict[str, int]) -> str:
    if name in ("task_id", "identifier"):
        return str(uuid.uuid4())
    if name == "model":
        return "courseability"
    return str(ids.get(name, ids["pk"]))


def endpoints(ids: dict[str, int]) -> list[Endpoint]:
    """Every named URL outside SKIPPED_PREFIXES, with its parameters filled in."""
    found = {}
    for name, route in _walk(get_resolver().url_patterns):
        clean = route.lstrip("^")
        if clean.startswith(SKIPPED_PREFIXES) or "format" in route:
            continue
        params = _params(route)
        path = reverse(name, kwargs={p: _value(p, ids) for p in params})
        found[path] = Endpoint(name, path)
    return sorted(found.values(), key=lambda e: e.path)


def _params(route: str) -> list[str]:
    names = re.findall(r"\(\?P<(\w+)>", route) + re.findall(r"<(?:\w+:)?(\w+)>", route)
    return list(dict.fromkeys(names))


@pytest.fixture
def ids():
    course = CourseFactory()
    position = PositionFactory()
    requirement = RequirementFactory(position=position)
    link = CourseAbilityFactory(course=course)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    # One id that exists for most resources is not possible across tables; the matrix is about
    # permissions, which are checked before the object is looked up. These make the programme
    # pages (which need their object to render) answer 200.
    return {"pk": programme.pk, "history_id": link.pk, "id": requirement.pk}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _call(client: Client, method: str, endpoint: Endpoint):
    if method == "get":
        return client.get(endpoint.path)
    return getattr(client, method)(endpoint.path, data="{}", content_type="application/json")


def _history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def test_the_walk_finds_the_api_the_pages_and_case(ids):
    paths = {e.path for e in endpoints(ids)}
    assert "/api/v1/course-abilities/" in paths
    assert "/api/v1/history/" in paths
    assert "/ims/case/v1p1/CFDocuments" in paths
    assert "/" in paths
    assert f"/programs/{ids['pk']}/cells/" in paths


def test_anonymous_reads_are_public_except_staff_only_ones(ids, client):
    problems = []
    for endpoint in endpoints(ids):
        status = client.get(endpoint.path).status_code
        staff_only = endpoint.path.startswith(STAFF_ONLY_READS) or (
            endpoint.path.startswith("/api/v1/")
            and any(part in endpoint.path for part in STAFF_ONLY_API_PARTS)
        )
        if status >= 500 or (staff_only and status not in DENIED):
            problems.append((endpoint.path, status))
        # A POST-only staff action may refuse a GET before saying it has none.
        if not staff_only and status in DENIED and supports(endpoint, "get") is not False:
            problems.append((endpoint.path, status))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("role", ["anonymous", "plain_user", "staff_without_perms"])
def test_only_staff_with_the_model_permission_can_write(ids, role, request):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = _client(user)
    before = _history_rows()
    problems = []
    for endpoint in endpoints(ids):
        for method in UNSAFE:
            response = _call(client, method, endpoint)
            status = response.status_code
            # Pages send anonymous users to the login page; 405 is "no such write here".
            to_login = status == 302 and "/login" in response.get("Location", "")
            question = method == "post" and endpoint.path.endswith(QUESTIONS)
            if not (status in DENIED or status == 405 or to_login or question):
                problems.append((method, endpoint.path, status))
    assert problems == [], "\n".join(map(str, problems))
    assert _history_rows() == before, "a refused write still changed something"


def test_staff_with_the_model_permission_are_never_refused(ids, staff_user):
    client = _client(staff_user)
    problems = []
    for endpoint in endpoints(ids):
        for method in ("get", *UNSAFE):
            status = _call(client, method, endpoint).status_code
            refused = status in DENIED and supports(endpoint, method) is not False
            if refused or status >= 500:
                problems.append((method, endpoint.path, status))
    assert problems == [], "\n".join(map(str, problems))


def _refused_for_csrf(response) -> bool:
    """The API's refusal ("CSRF Failed: …"), or a page's: the site's own (competency_site.csrf)."""
    return b"CSRF" in response.content or escape(gettext("Form not sent")).encode() in (
        response.content
    )


def test_session_writes_need_the_csrf_token(ids, staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    with_token = _client(staff_user)
    problems = []
    for endpoint in endpoints(ids):
        for method in UNSAFE:
            if supports(endpoint, method) is False or endpoint.path.endswith(QUESTIONS):
                continue
            response = _call(client, method, endpoint)
            if response.status_code == 405:
                continue
            if response.status_code != 403 or not _refused_for_csrf(response):
                problems.append((method, endpoint.path, response.status_code))
    assert problems == [], "\n".join(map(str, problems))
    # And the same staff user with the token is let through (e.g. a link edit).
    link = CourseAbilityFactory()
    assert with_token.delete(f"/api/v1/course-abilities/{link.pk}/").status_code == 204


def _admin_urls() -> list[str]:
    urls = ["/admin/"]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return urls


def test_the_admin_is_staff_only(client, plain_user):
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    client.force_login(plain_user)
    for url in _admin_urls():
        assert client.get(url).status_code == 302, url


def test_staff_without_the_permission_cannot_open_model_admins(staff_without_perms):
    client = _client(staff_without_perms)
    assert client.get("/admin/").status_code == 200
    for url in _admin_urls()[1:]:
        assert client.get(url).status_code == 403, url
        assert client.post(url + "add/", {}).status_code == 403, url


def test_staff_with_the_permission_open_every_project_model_admin(staff_user):
    client = _client(staff_user)
    project_apps = {"positions", "certifications", "curricula"}
    for model in admin.site._registry:
        if model._meta.app_label not in project_apps:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.fixture
def staff_who_may_only_view(django_user_model):
    """Staff holding every view permission and nothing else."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def test_staff_who_may_only_view_cannot_write(ids, staff_who_may_only_view):
    client = _client(staff_who_may_only_view)
    before = _history_rows()
    problems = []
    for endpoint in endpoints(ids):
        for method in UNSAFE:
            status = _call(client, method, endpoint).status_code
            question = method == "post" and endpoint.path.endswith(QUESTIONS)
            if not (status in DENIED or status == 405 or question):
                problems.append((method, endpoint.path, status))
    assert problems == [], "\n".join(map(str, problems))
    assert _history_rows() == before, "a refused write still changed something"


@pytest.mark.parametrize("role", ["anonymous", "admin_user"])
def test_options_answers_every_url_without_a_server_error(ids, role, request):
    """OPTIONS says what a URL allows, or is a 405: never a 500, for anonymous users or a
    superuser. (OPTIONS of the Swagger UI page was a 500: it rendered the page's template
    without the page's data.)"""
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = _client(user)
    problems = []
    for endpoint in endpoints(ids):
        try:
            status = client.options(endpoint.path).status_code
        except Exception as error:  # the test client re-raises what a view raised
            status = f"{type(error).__name__}: {error}"
        if not isinstance(status, int) or status >= 500:
            problems.append((endpoint.path, status))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("role", ["anonymous", "admin_user"])
def test_head_answers_as_get_without_a_body(ids, role, request):
    """HEAD is GET without the body (link checkers and uptime monitors send it): the same
    status on every URL. (Every page was a 405: the views took GET alone.)"""
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = _client(user)
    problems = []
    for endpoint in endpoints(ids):
        get = client.get(endpoint.path).status_code
        head = client.head(endpoint.path)
        body = b"".join(head.streaming_content) if head.streaming else head.content
        if head.status_code != get or body:
            problems.append((endpoint.path, head.status_code, get))
    assert problems == [], "\n".join(map(str, problems))
