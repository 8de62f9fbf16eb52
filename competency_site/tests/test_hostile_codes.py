"""Codes, identifiers, source references and URIs are refused control and invisible characters
at every door, as names are (core.models.IdentifierField, CodeField, SourceRefField, URIField):
before, an ability's or a position's code, an external identifier, a source reference or a URI
was stored as sent, escapes and line breaks and all. A URI is any absolute URI (a URN, a
urn:uuid as CASE publishes them), not only a web address."""

import json

import pytest

from core.tests.admin_forms import change_form_data
from curricula.models import Course
from positions.models import Ability, Framework, Position
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

# Each stored as sent before: an escape, a line break, U+0085, a tab and U+FFFE (which XML
# cannot carry: a CASE export or the chart served alone is refused whole by a reader at one).
HOSTILE = {
    "escape": "A\u001b[31m1",
    "line break": "A\n1",
    "NEL": "A\u00851",
    "tab": "A\t1",
    "U+FFFE": "A\ufffe1",
    "zero-width space": "A\u200b1",
    "line separator": "A\u20281",
}


def _send(client, method: str, path: str, body: dict):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def _admin_change(admin_client, record, **changes):
    opts = record._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update(changes)
    return admin_client.post(url, data)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_ability_code_is_refused_by_the_admin(admin_client, value):
    ability = AbilityFactory(code="A1")

    response = _admin_change(admin_client, ability, code=value)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["code"]
    assert Ability.objects.get(pk=ability.pk).code == "A1"


@pytest.mark.parametrize("field", ["code", "external_id"])
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_position_code_or_identifier_is_a_400(staff_client, field, value):
    response = _send(staff_client, "post", "/api/v1/positions/", {"name": "Analyst", field: value})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not Position.objects.exists()


@pytest.mark.parametrize("value", ["Z\ufffe1", "Z\u20281"])
def test_a_course_code_refuses_what_xml_cannot_carry_and_a_line_separator(staff_client, value):
    response = _send(staff_client, "post", "/api/v1/courses/", {"code": value, "title": "Z"})

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["code"]
    assert not Course.objects.exists()


@pytest.mark.parametrize("value", ["Table\u001b[2J 3", "p.\u0085 12", "p. 12\ufffe"])
def test_a_hostile_source_reference_is_refused_by_the_admin(admin_client, value):
    ability = AbilityFactory(source_ref="Table 3")

    response = _admin_change(admin_client, ability, source_ref=value)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["source_ref"]
    assert Ability.objects.get(pk=ability.pk).source_ref == "Table 3"


def test_a_code_may_hold_an_ordinary_space(staff_client):
    """Catalogues write "CS 101" and CASE's human coding schemes "CCSS.Math 1.A": a space
    inside a code is kept, as Moodle's ID numbers and CASE keep it (reverse() and the CSV
    writer quote it where a URL or a cell needs it)."""
    response = _send(staff_client, "post", "/api/v1/positions/", {"name": "P", "code": "DA 2"})

    assert response.status_code == 201, response.content
    assert Position.objects.get().code == "DA 2"


GOOD_URIS = [
    "https://example.org/ability/1",
    "urn:uuid:6f1c1a0e-1b7a-4c3e-9a8f-0d2b1c3e4f50",
    "urn:isbn:0451450523",
    "http://data.europa.eu/esco/skill/1b2c%20d",
    "https://例子.测试/能力",
]
BAD_URIS = [
    "https://example.org/\u001b[31m",
    "https://example.org/a\u0085b",
    "https://example.org/a\ufffe",
    "https://example.org/a b",
    "https://example.org/a\u200bb",
    "no-scheme/relative",
    "https://",
    "https://example.org/%zz",
    "javascript:alert(1)",
    "urn:",
]


@pytest.mark.parametrize("uri", GOOD_URIS)
def test_any_absolute_uri_is_taken(staff_client, uri):
    """Observed: a URI was a URLField, so a URN (CASE identifies by urn:uuid) was refused."""
    response = _send(staff_client, "post", "/api/v1/positions/", {"name": "P", "uri": uri})

    assert response.status_code == 201, response.content
    assert Position.objects.get().uri == uri


@pytest.mark.parametrize("uri", BAD_URIS)
def test_a_uri_that_is_not_an_absolute_uri_is_a_400(staff_client, uri):
    response = _send(staff_client, "post", "/api/v1/positions/", {"name": "P", "uri": uri})

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["uri"]
    assert not Position.objects.exists()


@pytest.mark.parametrize("uri", BAD_URIS[:5])
def test_the_admin_refuses_a_control_character_in_a_framework_uri(admin_client, uri):
    framework = FrameworkFactory(uri="https://example.org/f")

    response = _admin_change(admin_client, framework, uri=uri)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["uri"]
    assert Framework.objects.get(pk=framework.pk).uri == "https://example.org/f"


def test_the_admin_saves_an_ability_whose_uri_is_a_urn(admin_client):
    """Observed: an ability an import wrote with CASE's urn:uuid URI could not be saved in the
    admin ("Enter a valid URL."), whatever was changed."""
    ability = AbilityFactory(uri="urn:uuid:6f1c1a0e-1b7a-4c3e-9a8f-0d2b1c3e4f50")

    response = _admin_change(admin_client, ability, text="Changed")

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Ability.objects.get(pk=ability.pk).text == "Changed"


@pytest.mark.parametrize("value", ["en\u001b", "z\nh", "e\u200bn"])
def test_a_hostile_course_language_tag_is_a_400(staff_client, value):
    """A language is a code (en, zh-Hans): it was stored as sent."""
    body = {"code": "Z1", "title": "Z", "language": value}

    response = _send(staff_client, "post", "/api/v1/courses/", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]
    assert not Course.objects.exists()


def test_the_admin_refuses_a_control_character_in_an_item_type(admin_client):
    ability = AbilityFactory(item_type="Competency")

    response = _admin_change(admin_client, ability, item_type="Compe\u001btency")

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["item_type"]
