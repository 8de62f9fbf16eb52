"""A key a write's body does not take is a 400 naming it, on every write endpoint of /api/v1/
(found by walking the URL resolver, so a new one is checked the day it is added): a misspelt
field (`levle`) answered 2xx with the default, and the client never learned of its typo. The
fields an endpoint answers with and does not write (id, computed fields) are still read past,
so that a resource read with GET can be sent back changed with PUT."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from rest_framework.parsers import JSONParser
from rest_framework.test import APIClient

from competency_site.tests.records import one_record_of_each_kind
from core.tests.openapi import generate
from curricula.models import CourseAbility, Programme, Suggestion, SuggestionStatus
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, ImportJob, Position, Requirement
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    level,
)
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "zz_unknown"
WRITES = ("post", "put", "patch")
NO_BODY = "Unknown key: this request takes no body."
COLON = "\uff1a"  # a full-width colon, as Chinese text writes it


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, route


def _params(route: str) -> list[str]:
    names = re.findall(r"\(\?P<(\w+)>", route) + re.findall(r"<(?:\w+:)?(\w+)>", route)
    return list(dict.fromkeys(names))


def _methods(func) -> list[str]:
    actions = getattr(func, "actions", None)
    if actions is not None:
        return [method for method in WRITES if method in actions]
    view_class = getattr(func, "view_class", None) or getattr(func, "cls", None)
    return [method for method in WRITES if hasattr(view_class, method)]


def write_endpoints() -> list[tuple[str, str]]:
    """(URL name, method) of every write under /api/v1/."""
    found = []
    for name, route in _walk(get_resolver().url_patterns):
        if not route.lstrip("^").startswith("api/v1/") or "format" in route:
            continue
        func = resolve(reverse(name, kwargs={p: _SAMPLE.get(p, "1") for p in _params(route)})).func
        found.extend((name, method) for method in _methods(func))
    return sorted(set(found))


# Route parameters that are not record ids.
_SAMPLE = {"task_id": str(uuid.uuid4()), "model": "courseability"}


def _takes_json(func) -> bool:
    parsers = getattr(func, "initkwargs", {}).get("parser_classes")
    if parsers is None:
        view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
        parsers = view_class.parser_classes
    return any(issubclass(parser, JSONParser) for parser in parsers)


@pytest.fixture
def superuser_client():
    client = APIClient()
    client.force_authenticate(
        get_user_model().objects.create_superuser(username="root", password="root-pass-123")
    )
    return client


@pytest.fixture
def records():
    return one_record_of_each_kind()


def _path(name: str, records: dict) -> str:
    route = next(
        route
        for walked, route in _walk(get_resolver().url_patterns)
        if walked == name and "format" not in route
    )
    # The record the path names, by its first segment (the router writes ^ before it).
    segment = re.search(r"api/v1/\^?([^/]+)/", route).group(1)
    record = records.get(segment)
    return reverse(name, kwargs={p: _SAMPLE.get(p, record) for p in _params(route)})


def test_the_walk_finds_the_write_endpoints_of_every_kind():
    """So that the test below cannot pass by finding nothing."""
    walked = set(write_endpoints())
    assert {
        ("course-list", "post"),
        ("course-ability-detail", "put"),
        ("course-ability-detail", "patch"),
        ("program-detail", "patch"),
        ("position-detail", "put"),
        ("requirement-list", "post"),
        ("ability-relation-list", "post"),
        ("ability-relation-detail", "patch"),
        ("ability-relation-import-csv", "post"),
        ("import-job-list", "post"),
        ("course-import-catalogue", "post"),
        ("course-ability-import-links", "post"),
        ("suggestion-accept", "post"),
        ("suggestion-reject", "post"),
        ("suggestion-skip", "post"),
        ("suggestion-generate", "post"),
        ("program-recompute", "post"),
        ("program-what-if", "post"),
        ("program-what-if-apply", "post"),
        ("history-revert", "post"),
    } <= walked


@pytest.mark.parametrize(("name", "method"), write_endpoints())
def test_every_write_endpoint_refuses_a_key_it_does_not_take(
    superuser_client, records, name, method
):
    """Each write under /api/v1/, sent an extra key (as JSON, or in the form of an upload),
    answers 400 naming that key, and writes nothing."""
    path = _path(name, records)
    func = resolve(path).func
    counts = [
        model.objects.count()
        for model in (CourseAbility, Programme, Position, Requirement, AbilityRelation, ImportJob)
    ]
    statuses = list(Suggestion.objects.values_list("status", flat=True))
    if _takes_json(func):
        response = getattr(superuser_client, method)(path, {UNKNOWN: 1}, format="json")
    else:
        upload = SimpleUploadedFile("x.csv", b"code,title\n", content_type="text/csv")
        response = getattr(superuser_client, method)(
            path, {"file": upload, UNKNOWN: "1"}, format="multipart"
        )
    assert response.status_code == 400, (path, response.status_code, response.content[:300])
    assert list(response.json()) == [UNKNOWN], response.json()
    assert response.json()[UNKNOWN][0].startswith("Unknown key: this ")
    assert counts == [
        model.objects.count()
        for model in (CourseAbility, Programme, Position, Requirement, AbilityRelation, ImportJob)
    ]
    assert statuses == list(Suggestion.objects.values_list("status", flat=True))


def test_a_misspelt_level_in_a_link_write_is_a_400_and_changes_nothing(staff_client):
    """Observed: PATCH {"levle": "M"} on a link answered 200 and left the level as it was;
    a POST with it alongside the level made the link, the typo unnoticed."""
    link = CourseAbilityFactory()
    patched = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"levle": "M"}, format="json"
    )
    assert patched.status_code == 400, patched.content
    assert patched.json() == {
        "levle": ["Unknown key: this body takes course, ability, level, note, note_zh."]
    }
    link.refresh_from_db()
    assert link.level.code == "R"
    posted = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": link.course_id, "ability": AbilityFactory().pk, "level": "I", "levle": "M"},
        format="json",
    )
    assert posted.status_code == 400, posted.content
    assert list(posted.json()) == ["levle"]
    assert CourseAbility.objects.count() == 1


def test_a_misspelt_level_in_an_accept_is_a_400_and_decides_nothing(staff_client):
    """Observed: POST .../accept/ {"levl": "M"} accepted at the proposed level."""
    suggestion = SuggestionFactory()
    refused = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"levl": "M"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"levl": ["Unknown key: this body takes level, importance."]}
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_a_nested_items_unknown_key_is_named_in_its_place(staff_client):
    """A placement of a position, a term of a programme: the item's key, where it is."""
    position = PlacementFactory().position
    placement = position.placements.get()
    refused = staff_client.patch(
        f"/api/v1/positions/{position.pk}/",
        {"placements": [{"track": placement.track_id, "degree_level": "bachelor", "titel": "x"}]},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    # An item's errors are keyed by its index.
    assert list(refused.json()["placements"]["0"]) == ["titel"]
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    refused = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"terms": [{"course": course.pk, "trem": 2}]},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert "trem" in str(refused.json()["terms"])


def _round_trip(client, path: str, change: dict) -> dict:
    read = client.get(path)
    assert read.status_code == 200, read.content
    sent = {**read.json(), **change}
    written = client.put(path, sent, format="json")
    assert written.status_code == 200, written.content
    return written.json()


def test_a_resource_read_and_sent_back_changed_is_written(staff_client):
    """The integration pattern: GET a resource, change a field, PUT the whole answer back. Its
    id and computed fields (display_*, provenance, track_name, effective_term, coverage,
    requirements...) are read past, not refused."""
    course = CourseFactory()
    position = PositionFactory()
    PlacementFactory(position=position)
    RequirementFactory(position=position)
    link = CourseAbilityFactory(course=course)
    programme = ProgrammeFactory(courses=[course], targets=[position])

    answer = _round_trip(staff_client, f"/api/v1/courses/{course.pk}/", {"title": "Renamed"})
    assert answer["title"] == "Renamed"
    answer = _round_trip(staff_client, f"/api/v1/course-abilities/{link.pk}/", {"level": "M"})
    assert answer["level"] == "M"
    answer = _round_trip(staff_client, f"/api/v1/positions/{position.pk}/", {"name": "Analyst"})
    assert answer["name"] == "Analyst"
    assert len(answer["placements"]) == 1
    requirement = position.requirements.get()
    answer = _round_trip(
        staff_client, f"/api/v1/requirements/{requirement.pk}/", {"importance": "optional"}
    )
    assert answer["importance"] == "optional"
    answer = _round_trip(staff_client, f"/api/v1/programs/{programme.pk}/", {"name": "Renamed"})
    assert answer["name"] == "Renamed"
    assert answer["courses"] == [course.pk]
    assert CourseAbility.objects.get(pk=link.pk).level == level("M")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/suggestions/{suggestion}/reject/",
        "/api/v1/suggestions/{suggestion}/skip/",
        "/api/v1/programs/{programme}/recompute/",
        "/api/v1/history/courseability/{history}/revert/",
    ],
)
def test_an_action_without_a_body_refuses_any_key(staff_client, path):
    """reject, skip, recompute and a revert take no body: a key sent to one (a reason, a
    framework) was dropped and the action done as if it had been read."""
    link = CourseAbilityFactory()
    suggestion = SuggestionFactory()
    programme = ProgrammeFactory()
    path = path.format(
        suggestion=suggestion.pk,
        programme=programme.pk,
        history=link.history.first().history_id,
    )
    refused = staff_client.post(path, {"reason": "duplicate"}, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json() == {"reason": [NO_BODY]}
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert CourseAbility.objects.filter(pk=link.pk).exists()
    empty = staff_client.post(path, {}, format="json")
    assert empty.status_code != 400, empty.content


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/api/v1/courses/import/", {"dry_run": "true", "dryrun": "true"}),
        ("/api/v1/course-abilities/import/", {"dry_run": "true", "dryrun": "true"}),
        ("/api/v1/ability-relations/import-csv/", {"dryrun": "true"}),
        ("/api/v1/imports/", {"format": "moodle", "top_level_area": "true"}),
    ],
)
def test_an_upload_refuses_a_misspelt_form_field(staff_client, path, form):
    """`dryrun` for `dry_run` imported for real; a misspelt option was dropped."""
    upload = SimpleUploadedFile("catalogue.csv", b"code,title\nX1,Ex\n", content_type="text/csv")
    refused = staff_client.post(path, {"file": upload, **form}, format="multipart")
    assert refused.status_code == 400, refused.content
    misspelt = [key for key in form if key not in ("dry_run", "format")]
    assert list(refused.json()) == misspelt
    assert "file" in refused.json()[misspelt[0]][0]
    assert not ImportJob.objects.exists()


def test_an_upload_from_a_form_with_its_csrf_token_still_works(staff_user):
    """A multipart upload from a logged-in browser (the browsable API's form) carries
    csrfmiddlewaretoken: the request's, not an unknown field."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    client.get("/api/v1/courses/", HTTP_ACCEPT="text/html")
    token = client.cookies["csrftoken"].value
    upload = SimpleUploadedFile("catalogue.csv", b"code,title\nX1,Ex\n", content_type="text/csv")
    answer = client.post(
        "/api/v1/courses/import/",
        {"file": upload, "dry_run": "true", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["ok"] is True


def test_the_refusals_are_in_the_language_asked_for(staff_client, chinese_stand_in):
    """Both messages are translatable: the body's keys stay as the client must send them."""
    chinese_stand_in(None, NO_BODY)
    link = CourseAbilityFactory()
    refused = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/",
        {"levle": "M"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.json() == {
        "levle": [f"未知的键{COLON}此请求体接受 course、ability、level、note、note_zh。"]
    }
    suggestion = SuggestionFactory()
    refused = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/skip/",
        {"reason": "later"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    with translation.override("zh-hans"):
        no_body = translation.gettext(NO_BODY)
    assert no_body != NO_BODY
    assert refused.json() == {"reason": [no_body]}


def test_the_schema_says_so_and_no_component_is_described_by_the_plumbing():
    """The schema's description and its Error say an unknown key is a 400; a serializer with no
    docstring of its own is not described by a base's notes to developers (drf-spectacular took
    the nearest docstring up the bases: the core ModelSerializer's, KnownKeysMixin's)."""
    schema, _generator = generate()
    assert "Unknown key" in schema["info"]["description"]
    assert "Unknown key" in schema["components"]["schemas"]["Error"]["description"]
    plumbing = [
        (name, component["description"])
        for name, component in schema["components"]["schemas"].items()
        if "IdRelatedField" in component.get("description", "")
        or "DRF ignores them" in component.get("description", "")
    ]
    assert plumbing == []


def test_no_operation_is_described_by_the_view_plumbing():
    """A viewset with no docstring of its own was described by its first base that has one: the
    abilities, areas, frameworks and tracks operations read "For viewsets: the ETag of the
    single object GET answers…", a note to developers on core.api.conditional's mixins."""
    import inspect

    from core.api import conditional

    notes = [
        inspect.getdoc(cls)
        for _name, cls in inspect.getmembers(conditional, inspect.isclass)
        if cls.__module__ == conditional.__name__ and cls.__doc__
    ]
    schema, _generator = generate()
    described = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        and any(note in operation.get("description", "") for note in notes)
    ]
    assert described == []


@pytest.mark.django_db
def test_a_body_of_many_or_long_unknown_keys_is_answered_in_a_bounded_400(staff_client):
    """Observed: a 2 MB JSON body of 150,000 unknown keys was answered with a 19 MB 400 (each
    key named with the whole list of what the body takes), in 3 s. The first 20 unknown keys
    are named, each cut to 100 characters, as a list names unknown query parameters."""
    keys = [f"k{i:05d}{'x' * 300}" for i in range(2000)]
    response = staff_client.post("/api/v1/positions/", dict.fromkeys(keys, 0), format="json")

    assert response.status_code == 400
    body = response.json()
    assert len(body) == 20
    assert len(response.content) < 8_000
    assert all(len(key) <= 100 for key in body)
    assert not Position.objects.exists()
