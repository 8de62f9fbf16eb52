"""Every operation under /api/v1/ takes the query parameters its schema documents, and refuses any
other with a 400 naming it, as the lists did alone: `POST suggestions/generate/?framework=3` ran
for every framework, and `GET positions/1/?name=zzz` answered the position as if the name
matched (and `?track=` ran the list's filters on a single object's read, a 404)."""

import pytest

from core.tests import openapi
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "Unknown query parameter"


def _query_parameters(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def _reads_a_collection(path: str, method: str, operation: dict) -> bool:
    # A list, an export, or a read paging rows (the programmes' comparison).
    return method == "GET" and (
        operation["operationId"].endswith("_list")
        or path.endswith("/export/")
        or "page" in _query_parameters(operation)
    )


def _expected_refusal(path: str, method: str, operation: dict) -> str:
    takes = ", ".join(sorted(set(_query_parameters(operation)) - {"format"}))
    noun = "list" if _reads_a_collection(path, method, operation) else "request"
    return f"{UNKNOWN}: this {noun} takes {takes or 'none'}."


def _a_value(parameter: dict) -> str:
    """A value of the kind the parameter's schema names (whether the request then succeeds
    does not matter here: only that the parameter is not refused as unknown)."""
    schema = parameter.get("schema", {})
    items = schema.get("items", {})
    for branch in [schema, items, *schema.get("oneOf", [])]:
        if branch.get("enum"):
            return str(branch["enum"][0])
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    if schema.get("type") == "boolean":
        return "true"
    return "1"


@pytest.fixture
def urls_of_records():
    """Path parameters naming records that exist, so a read or a write gets past its lookup."""
    mastered = level("M")
    framework = FrameworkFactory()
    ability = AbilityFactory(framework=framework)
    course = CourseFactory()
    position = PositionFactory()
    link = CourseAbilityFactory(course=course, ability=ability, level=mastered)
    requirement = RequirementFactory(position=position, ability=ability)
    programme = ProgrammeFactory()
    track = TrackFactory()
    suggestion = SuggestionFactory(course=course, ability=ability)
    ids = {
        "abilities": ability.pk,
        "course-abilities": link.pk,
        "courses": course.pk,
        "frameworks": framework.pk,
        "positions": position.pk,
        "programs": programme.pk,
        "requirements": requirement.pk,
        "suggestions": suggestion.pk,
        "tracks": track.pk,
    }

    def url(path: str) -> str:
        resource = path.removeprefix("/api/v1/").split("/")[0]
        return (
            path.replace("{id}", str(ids.get(resource, 1)))
            .replace("{course_pk}", str(course.pk))
            .replace("{position_pk}", str(position.pk))
            .replace("{code}", mastered.code)
            .replace("{model}", "course")
            .replace("{history_id}", "1")
            .replace("{task_id}", "00000000-0000-0000-0000-000000000000")
        )

    return url


def test_every_operation_refuses_an_unknown_parameter_and_takes_those_its_schema_documents(
    staff_client, urls_of_records
):
    """Walks the schema: each operation (GET, POST, PUT, PATCH, DELETE) given `zz_unknown` is a
    400 naming it and listing what the operation documents, before anything is written; given
    each parameter it documents, none is refused as unknown. What is refused and what the
    schema documents cannot drift apart."""
    schema, _generator = openapi.generate()
    operations = [op for op in openapi.operations(schema) if op[0].startswith("/api/v1/")]
    assert len(operations) >= 70
    wrong = []
    # Reads and documented parameters first: the walk's DELETEs would otherwise remove what
    # they read (were a DELETE to go through).
    for path, method, operation in sorted(operations, key=lambda op: op[1] == "DELETE"):
        url = urls_of_records(path)
        call = getattr(staff_client, method.lower())
        documented = _query_parameters(operation)
        if documented:
            query = "&".join(f"{name}={_a_value(p)}" for name, p in documented.items())
            response = call(f"{url}?{query}")
            body = (
                response.json() if response["Content-Type"].startswith("application/json") else {}
            )
            refused = [
                name
                for name in documented
                if isinstance(body, dict)
                and any(UNKNOWN in str(message) for message in body.get(name) or [])
            ]
            if refused:
                wrong.append(f"{method} {path} refuses documented {refused}")
        response = call(f"{url}?zz_unknown=1")
        expected = {"zz_unknown": [_expected_refusal(path, method, operation)]}
        if response.status_code != 400 or response.json() != expected:
            wrong.append(f"{method} {path}: {response.status_code} {response.content[:200]!r}")
    assert wrong == []


def test_generating_suggestions_with_a_query_string_is_refused_and_starts_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: `?framework=3` (the body takes `framework`) ran the job for every framework."""
    course = CourseFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            "/api/v1/suggestions/generate/?framework=3", {"courses": [course.pk]}, format="json"
        )

    assert response.status_code == 400
    assert response.json() == {"framework": [f"{UNKNOWN}: this request takes none."]}
    assert callbacks == []


def test_one_objects_read_refuses_a_filter_or_an_unknown_parameter(api_client):
    """Observed: `positions/1/?name=zzz` answered the position; `?track=` ran the list's filter
    on it (a 404 for a position of another track). Its schema documents no parameter."""
    position = PositionFactory()
    url = f"/api/v1/positions/{position.pk}/"

    for query in ("name=zzz", f"track={TrackFactory().pk}"):
        response = api_client.get(f"{url}?{query}")
        assert response.status_code == 400
        name = query.split("=")[0]
        assert response.json() == {name: [f"{UNKNOWN}: this request takes none."]}


@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?_=1733390000000"])
def test_one_objects_read_still_takes_format_and_the_cache_buster(api_client, query):
    position = PositionFactory()

    assert api_client.get(f"/api/v1/positions/{position.pk}/{query}").status_code == 200


def test_head_is_checked_as_its_get_and_options_still_answers(api_client):
    """HEAD reads as GET does; OPTIONS (DRF's metadata, no operation of the schema) answers."""
    position = PositionFactory()
    url = f"/api/v1/positions/{position.pk}/"

    assert api_client.head(url).status_code == 200
    assert api_client.head(f"{url}?zz=1").status_code == 400
    assert api_client.head("/api/v1/positions/?page=1").status_code == 200
    assert api_client.options(url).status_code == 200
    assert api_client.options("/api/v1/positions/").status_code == 200


def test_a_download_by_its_suffix_checks_its_query_string_too(api_client):
    programme = ProgrammeFactory()

    response = api_client.get(f"/api/v1/programs/{programme.pk}/map.csv?zz=1")

    assert response.status_code == 400
    assert response.json() == {"zz": [f"{UNKNOWN}: this request takes none."]}
    assert api_client.get(f"/api/v1/programs/{programme.pk}/map.csv").status_code == 200


def test_a_write_refused_for_its_query_string_writes_nothing(staff_client):
    position = PositionFactory(name="Engineer")

    response = staff_client.patch(
        f"/api/v1/positions/{position.pk}/?notify=1", {"name": "Architect"}, format="json"
    )
    deleted = staff_client.delete(f"/api/v1/positions/{position.pk}/?force=1")

    assert response.status_code == 400
    assert deleted.status_code == 400
    position.refresh_from_db()
    assert position.name == "Engineer"


def test_many_or_long_unknown_parameters_of_a_write_are_named_in_a_bounded_answer(staff_client):
    query = "&".join(f"n{i:04d}{'x' * 200}=1" for i in range(300))

    response = staff_client.post(f"/api/v1/suggestions/generate/?{query}", {}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert len(body) == 20
    assert all(len(name) <= 100 for name in body)
