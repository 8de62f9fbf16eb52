"""Helpers for tests of the OpenAPI schema, shared by every app's tests: generate it, walk it,
and tell what a response field of a model serializer can hold."""

import copy
from collections.abc import Iterator

from django.conf import UserSettingsHolder, settings
from django.db import models
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

OPERATION_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Schemas built in this process, by the language active and the URLconf. Building one takes
# drf-spectacular about half a second of CPU, and the tests of every app ask for it, about forty
# times a run; the same code, settings and language build the same schema.
_generated: dict[tuple[str | None, str], tuple[dict, SchemaGenerator]] = {}


def generate() -> tuple[dict, SchemaGenerator]:
    """The public schema as /api/schema/ serves it, and the generator (its component registry
    knows which serializer each component was made from).

    Built once per process for each language and URLconf, each caller getting its own copy of
    the schema to change; built afresh while a test overrides settings, which it may do to
    change the schema. The warnings drf-spectacular prints are printed at the first build only:
    the tests that check there are none run `manage.py spectacular --fail-on-warn`, which does
    not come here."""
    overridden = isinstance(settings._wrapped, UserSettingsHolder)
    key = (translation.get_language(), settings.ROOT_URLCONF)
    if overridden or key not in _generated:
        generator = SchemaGenerator()
        built = generator.get_schema(request=None, public=True), generator
        if overridden:
            return built
        _generated[key] = built
    schema, generator = _generated[key]
    return copy.deepcopy(schema), generator


def operations(schema: dict) -> Iterator[tuple[str, str, dict]]:
    """(path, METHOD, operation) of every operation."""
    for path, item in schema["paths"].items():
        for method in OPERATION_METHODS:
            if method in item:
                yield path, method.upper(), item[method]


def allows_null(property_schema: dict) -> bool:
    """Whether a property's schema lets it be null: OpenAPI 3.1's `type: [.., "null"]` or a
    `oneOf`/`anyOf` branch of type null, or 3.0's `nullable`."""
    if property_schema.get("nullable"):
        return True
    kind = property_schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(
        allows_null(branch) for key in ("oneOf", "anyOf") for branch in property_schema.get(key, [])
    )


def response_serializers(generator: SchemaGenerator) -> Iterator[tuple[str, object]]:
    """(component name, serializer instance) of every response body component."""
    for (name, kind), component in generator.registry._components.items():
        if kind != "schemas" or name.endswith("Request") or name.startswith("Patched"):
            continue
        if isinstance(component.object, serializers.BaseSerializer):
            yield name, component.object


def _model_field_can_be_null(model: type[models.Model], source: str) -> bool | None:
    """Whether the model attribute `source` (dotted, through relations) can be None: a null
    column, or a null relation on the way to it. None when `source` is no model field."""
    nullable = False
    for part in source.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:  # a property or method, not a field
            return None
        if not field.concrete and not field.one_to_one:
            return None  # a reverse or many-to-many relation: a list, never None
        nullable = nullable or bool(getattr(field, "null", False))
        model = field.related_model if field.is_relation else None
    return nullable


def nullable_fields_not_marked(schema: dict, generator: SchemaGenerator) -> list[str]:
    """`Component.field` of every response field read from a model field that can be null
    (directly or through a null relation) whose schema does not allow null."""
    components = schema["components"]["schemas"]
    missing = []
    for name, serializer in response_serializers(generator):
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        properties = components.get(name, {}).get("properties", {})
        if model is None or not properties:
            continue
        for field_name, field in serializer.fields.items():
            if field.write_only or field_name not in properties:
                continue
            source = field.source
            if source == "*" or _model_field_can_be_null(model, source) is not True:
                continue
            if not allows_null(properties[field_name]):
                missing.append(f"{name}.{field_name}")
    return sorted(set(missing))


def resolve(schema: dict, node: dict) -> dict:
    """A schema node with its `$ref` followed to the component."""
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = schema["components"][kind][name]
    return node


def _fits(schema: dict, node: dict, instance) -> bool:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({**node, **schema}).is_valid(instance)


def undeclared_keys(schema: dict, node: dict, instance, path: str = "") -> list[str]:
    """The keys of an answer its schema does not name, as a generated client sees them: a model
    keeps them aside (`additional_properties`), untyped. An object schema naming no property at
    all (a bare `{"type": "object"}`) leaves every key of the answer undeclared; one whose
    `additionalProperties` is a schema (a map: counts by kind, errors by column) names every key,
    as does one whose keys may hold anything (`additionalProperties: {}`) inside the answer, but
    not the answer's body itself, whose fields a client must be told. Of `oneOf`/`anyOf`
    branches, the one the instance fits is read; of `allOf`'s, all."""
    if node in ({}, True):
        return []
    node = resolve(schema, node)
    branches = node.get("oneOf") or node.get("anyOf")
    if branches:
        fitting = [branch for branch in branches if _fits(schema, branch, instance)]
        candidates = [
            undeclared_keys(schema, branch, instance, path) for branch in fitting or branches
        ]
        return min(candidates, key=len)
    if node.get("allOf"):
        # Each branch describes the same object: a key one of them names is declared.
        candidates = [undeclared_keys(schema, branch, instance, path) for branch in node["allOf"]]
        return [key for key in candidates[0] if all(key in other for other in candidates[1:])]
    if isinstance(instance, list):
        items = node.get("items")
        if not items:
            return []
        return [key for item in instance for key in undeclared_keys(schema, items, item, path)]
    if not isinstance(instance, dict):
        return []
    properties = node.get("properties", {})
    extra = node.get("additionalProperties")
    found = []
    for key, value in instance.items():
        if key in properties:
            found += undeclared_keys(schema, properties[key], value, f"{path}.{key}")
        elif (extra is True or isinstance(extra, dict)) and (extra not in ({}, True) or path):
            found += undeclared_keys(schema, extra, value, f"{path}.{key}")
        else:
            found.append(f"{path}.{key}")
    return found
