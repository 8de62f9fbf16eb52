"""GET /api/schema/ generated the whole OpenAPI schema on every request (drf-spectacular's view):
about half a second of CPU for 1 MB, which any client could ask for again and again, and which
each documentation page waited for. The schema view keeps what it generated, per language and API
version, for the life of the process: the schema depends on the code and the settings alone."""

from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

from core.api import views

pytestmark = pytest.mark.django_db


def _forget() -> None:
    views._schemas.clear()
    views._schemas_rendered.clear()


@pytest.fixture(autouse=True)
def _nothing_kept():
    _forget()
    yield
    _forget()


def _schema(client, params=None, **headers) -> bytes:
    response = client.get("/api/schema/", {"format": "json", **(params or {})}, **headers)
    assert response.status_code == 200, response.content[:300]
    return response.content


def _counted():
    return mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    )


def test_the_schema_is_generated_once_per_language(client):
    with _counted() as generated:
        first = _schema(client)
        again = _schema(client)
        chinese = _schema(client, {"lang": "zh-hans"})
        chinese_again = _schema(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
        english_after = _schema(client)

    assert generated.call_count == 2
    assert first == again == english_after
    assert chinese == chinese_again != first
    assert b'"title": "Competency-to-curriculum mapping API"' in first


def test_the_schema_is_the_same_whatever_the_database_holds_and_whoever_asks(
    client, django_user_model
):
    """What keeping it rests on: generated afresh each time, the schema of an empty database is
    the one of a database the paper is loaded into, asked by anyone."""
    from django.core.management import call_command

    with _counted() as generated:
        empty = _schema(client)
        _forget()
        call_command("load_paper", verbosity=0)
        loaded = _schema(client)
        _forget()
        client.force_login(
            django_user_model.objects.create_superuser("root", "r@example.edu", "pw")
        )
        superuser = _schema(client)

    assert generated.call_count == 3
    assert empty == loaded == superuser


def test_a_changed_setting_has_the_schema_generated_again(client):
    """A test's settings (and with them the schema) may change: whatever was kept is let go."""
    with _counted() as generated:
        _schema(client)
        with override_settings(API_CACHE_MAX_AGE=settings.API_CACHE_MAX_AGE + 1):
            _schema(client)
            _schema(client)
        _schema(client)

    assert generated.call_count == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        # Written into the title ("1.0.0 (zzz)") and kept as a schema of its own, any number.
        ({"version": "zzz"}, "version", "Unknown query parameter: this request takes lang."),
        # Served in English, and kept as a language of its own.
        ({"lang": "xx"}, "lang", "Unknown language: the schema is written in en, zh-hans."),
        ({"name": "x"}, "name", "Unknown query parameter: this request takes lang."),
    ],
)
def test_a_value_the_schema_cannot_take_is_a_400_in_json_and_nothing_is_kept(
    client, params, field, message
):
    response = client.get("/api/schema/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {field: [message]}
    assert views._schemas == {}


def test_a_language_asked_for_by_another_of_its_names_is_that_language(client):
    chinese = _schema(client, {"lang": "zh-hans"})

    assert _schema(client, {"lang": "zh-Hans"}) == _schema(client, {"lang": "zh-cn"}) == chinese
    assert list(views._schemas) == [("zh-hans", None)]


def test_an_unknown_format_is_a_404_in_json(client):
    """It was YAML, each message written out as `string:` and `code:`."""
    response = client.get("/api/schema/", {"format": "xml"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_each_rendering_is_kept_too_but_not_one_a_client_parameterised(client):
    """Rendering the YAML (the default) took 0.2 s a request. A media type with parameters
    (`; indent=2`, any number of them) is rendered for its request alone."""
    yaml_render = mock.patch.object(
        OpenApiYamlRenderer, "render", autospec=True, side_effect=OpenApiYamlRenderer.render
    )
    json_render = mock.patch.object(
        OpenApiJsonRenderer, "render", autospec=True, side_effect=OpenApiJsonRenderer.render
    )
    indented = "application/vnd.oai.openapi+json; indent=2"
    with yaml_render as yaml_rendered, json_render as json_rendered:
        yaml = client.get("/api/schema/")
        yaml_again = client.get("/api/schema/")
        json_indented = [client.get("/api/schema/", HTTP_ACCEPT=indented) for _ in range(2)]

    assert yaml_rendered.call_count == 1
    assert json_rendered.call_count == 2
    assert (
        yaml["Content-Type"]
        == yaml_again["Content-Type"]
        == "application/vnd.oai.openapi; charset=utf-8"
    )
    assert yaml.content == yaml_again.content
    assert yaml.content.startswith(b"openapi: 3.1.0\n")
    assert json_indented[0].content == json_indented[1].content
    assert json_indented[0].content.startswith(b'{\n  "openapi": "3.1.0"')
    assert list(views._schemas_rendered) == [(("en", None), "application/vnd.oai.openapi")]
