"""The OpenAPI schema tells the truth about answers: a field that can be null says so, and every
write documents its 400 (generated clients are built from it, and refuse what it does not say)."""

import pytest

from core.tests import openapi
from curricula.models import Suggestion
from positions.models import ImportJob
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
