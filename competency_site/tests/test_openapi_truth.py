"""The OpenAPI schema tells the truth about answers: a field that can be null says so, and every
write documents its 400 (generated clients are built from it, and refuse what it does not say)."""

from collections.abc import Iterator

import pytest

from core.tests import openapi
from curricula.models import Suggestion
from curricula.tests.factories import ProgrammeFactory
from positions.models import ImportJob, ImportStatus
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("POST", "PUT", "PATCH")


@pytest.fixture(scope="module")
def generated():
    return openapi.generate()


def test_every_response_field_a_null_model_field_fills_is_nullable(generated):
    """Observed: Suggestion.decided_by, Suggestion.proposed_level and ImportJob.created_by were
    declared read-only fields over null columns, documented as never null, and answered null."""
    schema, generator = generated
    assert openapi.nullable_fields_not_marked(schema, generator) == []


def test_every_write_documents_its_400(generated):
    """Observed: POST /suggestions/{id}/reject/ and /skip/ answer 400 with a field message on a
    pair settled elsewhere (and /programs/{id}/recompute/ takes a request too), yet only
    operations with a body or query parameters listed 400."""
    schema, _generator = generated
    missing = [
        f"{method} {path}"
        for path, method, operation in openapi.operations(schema)
        if method in WRITE_METHODS and "400" not in operation["responses"]
    ]
    assert missing == []


def test_an_undecided_suggestion_answers_the_nulls_its_schema_allows(generated, staff_client):
    """The check above, on a real answer: the nulls a pending suggestion holds are allowed."""
    schema, _generator = generated
    properties = schema["components"]["schemas"]["Suggestion"]["properties"]
    suggestion = SuggestionFactory(proposed_level=None)
    assert suggestion.decided_by is None
    body = staff_client.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    nulls = [name for name, value in body.items() if value is None]
    assert {"decided_by", "proposed_level", "position"} <= set(nulls)
    assert [name for name in nulls if not openapi.allows_null(properties[name])] == []
    assert ImportJob._meta.get_field("created_by").null
    assert Suggestion._meta.get_field("decided_by").null


# Words the schema once used that present every record of a resource as the paper's: a
# university describing its own positions, certifications and programmes read them as untrue.
PAPER_ONLY_WORDS = (
    "Position types (career directions) of Table I",
    "The ability areas of Section III",
    "Table III: certifications with their directions",
    "Table III: each certification",
    "for its track (Table III)",
    "The title exactly as Table III prints it",
    "The title Table I uses",
    "a Table I title contains",
    "Positions with their Table I placements",
)


def _texts(node):
    """Every string of the schema, keys aside."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def test_no_description_presents_every_record_as_the_papers(generated):
    """Observed: the tags, the certifications' and positions' descriptions, the readiness
    operation, the search filter and two fields called every track, area, certification,
    course list and placement the paper's (Table I, Section III, Table III), which a
    university's own are not. They say what the records are; the paper is the example."""
    schema, _generator = generated
    texts = " ".join(" ".join(_texts(schema)).split())
    assert [words for words in PAPER_ONLY_WORDS if words in texts] == []
    # Nothing opens by naming the paper's table as the resource.
    assert [text for text in _texts(schema) if text.startswith(("Table I", "Section I"))] == []


def _formats(schema: dict) -> set[str]:
    """The formats a property's schema names, through an anyOf (a blank string beside a URI)."""
    branches = [*schema.get("oneOf", []), *schema.get("anyOf", [])]
    return {schema.get("format")} | {f for part in branches for f in _formats(part)}


def test_every_uri_field_is_documented_as_a_uri(generated):
    """A URI column (a web address or a URN) is `format: uri` in every response component that
    answers it: when the columns stopped being URLFields the schema called them plain strings,
    and a generated client lost the type."""
    from core.models import URIField

    schema, generator = generated
    components = schema["components"]["schemas"]
    checked = []
    for name, serializer in openapi.response_serializers(generator):
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None:
            continue
        for field_name, field in serializer.fields.items():
            prop = components.get(name, {}).get("properties", {}).get(field_name)
            try:
                column = model._meta.get_field(field.source)
            except Exception:  # a method or a dotted source: no column of this model
                continue
            if prop is not None and isinstance(column, URIField):
                checked.append(f"{name}.{field_name}")
                assert "uri" in _formats(prop), (name, field_name, prop)
    assert len(checked) >= 3, checked


def test_a_blank_answer_fits_exactly_one_branch_of_its_fields_schema(generated, paper, api_client):
    """A blank `uri` (an ability, position or framework without one) fits the schema as a plain
    JSON Schema validator reads it, where `format` is an annotation, not a check. Observed: the
    field was `oneOf` a `format: uri` string and an empty string, and "" is both, so every
    paper ability failed validation ("is valid under each of")."""
    from jsonschema import Draft202012Validator

    schema, _generator = generated
    for path in ("/api/v1/abilities/", "/api/v1/positions/", "/api/v1/frameworks/"):
        body = api_client.get(path, {"page_size": 1}).json()
        assert body["results"][0]["uri"] == ""
        declared = schema["paths"][path]["get"]["responses"]["200"]["content"]
        validator = Draft202012Validator({**declared["application/json"]["schema"], **schema})
        assert [error.message for error in validator.iter_errors(body)] == [], path


# Parameters described by their name and enum alone: a download's file format, CASE's direction.
SELF_DESCRIBED = {"format", "orderBy"}


def test_every_query_filter_is_described(generated):
    """Observed: the id filters (`?framework=`, `?area=` with its `none`, `?course=`, ...) and
    the link list's `?level=` had labels in their filter sets, but the schema carried none of
    them: a filter whose schema is given in code lost its label, so ReDoc and a generated
    client showed `area` without saying what `none` means."""
    schema, _generator = generated
    bare = [
        f"{method} {path} ?{parameter['name']}"
        for path, method, operation in openapi.operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        and parameter["name"] not in SELF_DESCRIBED
        and not parameter.get("description")
    ]
    assert bare == []


def test_every_read_answering_304_documents_the_etag_it_compares(generated, paper, api_client):
    """Observed: lists answer an ETag on every page (README: "lists are tagged too"), and their
    operations took If-None-Match and documented a 304, yet their 200 named no ETag header;
    only single objects did, so a generated client had no typed ETag to poll a list with."""
    schema, _generator = generated
    untagged = [
        f"{method} {path}"
        for path, method, operation in openapi.operations(schema)
        if "304" in operation["responses"]
        and "ETag" not in operation["responses"]["200"].get("headers", {})
    ]
    assert untagged == []
    for path in ("/api/v1/courses/", "/ims/case/v1p1/CFDocuments"):
        answer = api_client.get(path)
        assert answer.status_code == 200
        assert answer.has_header("ETag"), path
        again = api_client.get(path, HTTP_IF_NONE_MATCH=answer["ETag"])
        assert again.status_code == 304, path


def test_a_request_body_whose_schema_requires_a_field_is_itself_required(generated):
    """Observed: the uploads (`courses/import/`, `course-abilities/import/`,
    `requirements/import/`, `programs/{id}/map/import/`) require `file` in their form's schema,
    but the body itself was optional, so a generated client let the whole form be left out (a
    400 naming `file`)."""
    schema, _generator = generated
    optional = []
    for path, method, operation in openapi.operations(schema):
        body = operation.get("requestBody")
        if body is None or body.get("required"):
            continue
        for media_type, content in body["content"].items():
            if openapi.resolve(schema, content["schema"]).get("required"):
                optional.append(f"{method} {path} ({media_type})")
    assert optional == []


REQUIRED_MESSAGE = "This field is required."


def test_a_create_asked_with_an_empty_body_asks_only_for_what_its_schema_requires(
    generated, staff_client
):
    """Observed: POST /programs/ answers `{"name": ["This field is required."]}` to a body
    without a name, yet its request schema (shared with PUT, which keeps a programme's name when
    it is left out) required nothing, so a generated client let a programme be created nameless.
    Each collection's POST taking JSON is sent `{}`: every field the answer says is required is
    required by the schema of that POST's body."""
    schema, _generator = generated
    asked = []
    for path, method, operation in openapi.operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        if method != "POST" or "{" in path or "application/json" not in content:
            continue
        response = staff_client.post(path, {}, format="json")
        if response.status_code != 400:
            continue
        required = set(
            openapi.resolve(schema, content["application/json"]["schema"]).get("required", [])
        )
        asked += [
            f"{path} {field}"
            for field, messages in response.json().items()
            if REQUIRED_MESSAGE in messages and field not in required
        ]
    assert asked == []


def test_a_programme_sent_back_without_its_name_keeps_it(generated, staff_client):
    """The create's body requires a name; the PUT's does not, as the server keeps the name."""
    schema, _generator = generated
    put = schema["paths"]["/api/v1/programs/{id}/"]["put"]["requestBody"]["content"]
    assert "name" not in openapi.resolve(schema, put["application/json"]["schema"]).get(
        "required", []
    )
    programme = ProgrammeFactory(name="Kept")

    response = staff_client.put(f"/api/v1/programs/{programme.pk}/", {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Kept"


OBJECT_KEYWORDS = ("properties", "additionalProperties", "patternProperties")
COMBINERS = ("$ref", "oneOf", "anyOf", "allOf")


def _bare_objects(node, where: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        kinds = node.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "object" in kinds and not any(key in node for key in OBJECT_KEYWORDS + COMBINERS):
            yield where
        for key, value in node.items():
            yield from _bare_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _bare_objects(value, f"{where}/{index}")


def test_every_object_says_what_its_keys_hold(generated):
    """Observed with openapi-typescript (its default reading, as `tsc --strict` then checks it):
    an object schema naming neither properties nor additionalProperties is an empty object,
    `Record<string, never>`, so an import job's `changes` (`added`, `retired`, ...) and a nested
    field's errors in the Error body could not be read. openapi-python-client kept them untyped.
    Each object names its properties, or says its keys hold anything (`additionalProperties`)."""
    schema, _generator = generated
    assert list(_bare_objects(schema)) == []


def test_an_import_jobs_changes_are_typed(generated, staff_client):
    """The changes a job reports (abilities added, removed, ...; counts) are a component whose
    fields the answer holds and no other."""
    schema, _generator = generated
    job = ImportJob.objects.create(
        format="links",
        source_name="links.csv",
        path="/srv/imports/links.csv",
        status=ImportStatus.SUCCEEDED,
        report={"ok": True, "changes": CHANGES},
    )

    body = staff_client.get(f"/api/v1/imports/{job.pk}/").json()

    assert body["changes"] == CHANGES
    declared = schema["components"]["schemas"]["ImportJob"]
    assert openapi.undeclared_keys(schema, declared, body) == []


CHANGES = {
    "frameworks": [1],
    "added": {"count": 1, "items": [{"id": 7, "code": "A1", "text": "Ability"}]},
    "removed": {"count": 0, "items": []},
    "reworded": {"count": 0, "items": []},
    "moved": {"count": 0, "items": []},
    "restored": {"count": 0, "items": []},
    "requirements": {"count": 0, "items": []},
    "links": {"count": 0, "items": []},
    "programmes": {"count": 0, "items": []},
    "retired": 0,
    "flagged_for_review": 0,
}


@pytest.mark.parametrize(
    "path", ["/api/v1/courses/{id}/", "/api/v1/programs/{id}/", "/api/v1/positions/{id}/"]
)
def test_a_delete_taking_records_with_it_documents_its_409(generated, path):
    """Observed: a DELETE that takes other records with it (a course its links, a programme its
    places, a position its requirements and placements) answers 409 with the Error body when a
    record was added to one of them meanwhile (core.services.record_delete), as the README says,
    but no DELETE listed a 409, so a generated client had no type for it (parsed None)."""
    schema, _generator = generated
    responses = schema["paths"][path]["delete"]["responses"]
    assert "409" in responses
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
