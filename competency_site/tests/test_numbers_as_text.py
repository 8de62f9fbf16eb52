"""A text field takes text: a JSON number, true or false, a list or an object given for one is a
400 naming the field, on every writable text field of every API serializer. DRF's CharField
took numbers, and orjson reads an integer past 64 bits as a float, so
`POST /api/v1/programs/ {"name": 123456789012345678901234567890}` stored the name
"1.2345678901234568e+29". Numbers stay numbers: an integer field given one past 64 bits (or one
past a double's range) is a 400 too, and a numeric field given its number as a string still
takes it, as clients send them."""

import pytest
from rest_framework import serializers

from core.api.fields import StrictCharField
from core.tests.openapi import generate
from curricula.models import Course, Programme
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, TrackFactory

pytestmark = pytest.mark.django_db

HUGE = "123456789012345678901234567890"
# Bodies are written as JSON text: a client's number past 64 bits cannot be written by json.dumps
# of a float, and is by any language's big integers.
NOT_TEXT = {
    "past 64 bits": HUGE,
    "a number": "5",
    "a float": "1.5",
    "true": "true",
    "a list": '["a"]',
    "an object": '{"a": "b"}',
}


def _send(client, method: str, path: str, body: str):
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize("value", NOT_TEXT.values(), ids=NOT_TEXT.keys())
def test_a_new_programme_named_by_a_number_is_a_400_naming_the_field(staff_client, value):
    response = _send(
        staff_client,
        "post",
        "/api/v1/programs/",
        f'{{"name": {value}, "own_degree_level": "bachelor"}}',
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["name"]
    assert not Programme.objects.exists()


@pytest.mark.parametrize("value", NOT_TEXT.values(), ids=NOT_TEXT.keys())
def test_a_programme_renamed_to_a_number_is_a_400_and_keeps_its_name(staff_client, value):
    programme = ProgrammeFactory(name="Software Engineering")

    response = _send(
        staff_client, "patch", f"/api/v1/programs/{programme.pk}/", f'{{"name": {value}}}'
    )

    assert response.status_code == 400, response.content
    assert "name" in response.json()
    programme.refresh_from_db()
    assert programme.name == "Software Engineering"


def test_a_course_code_given_as_a_number_is_a_400_naming_the_field(staff_client):
    body = '{"code": 101, "title": "Databases"}'

    response = _send(staff_client, "post", "/api/v1/courses/", body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["code"]
    assert not Course.objects.exists()


def test_a_what_if_level_given_as_a_number_is_a_400(staff_client):
    """Even where a level's code is a number's digits (a scale of 1 to 5): its code is text."""
    Level.objects.create(code="3", name="Level 3", rank=99)
    course = CourseFactory()
    ability = AbilityFactory()
    programme = ProgrammeFactory()
    body = f'{{"links": [{{"course": {course.pk}, "ability": {ability.pk}, "level": 3}}]}}'

    response = _send(staff_client, "post", f"/api/v1/programs/{programme.pk}/what-if/", body)

    assert response.status_code == 400, response.content
    assert "level" in str(response.json()["links"])
    assert "JSON string" in str(response.json()["links"])


def _request_serializers() -> dict[str, serializers.Serializer]:
    """Every serializer a request body of the API is read with, by its schema component."""
    _schema, generator = generate()
    found = {}
    for (name, _kind), component in generator.registry._components.items():
        serializer = component.object
        if name.endswith("Request") and isinstance(serializer, serializers.BaseSerializer | type):
            found[name] = serializer() if isinstance(serializer, type) else serializer
    return found


def _writable_text_fields(serializer, path: str):
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        where = f"{path}.{name}"
        while isinstance(field, serializers.ListField | serializers.DictField):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _writable_text_fields(field, where)
        elif isinstance(field, serializers.CharField):
            yield where, field


def test_every_writable_text_field_of_the_api_takes_only_text():
    """Every request body's serializer, found from the OpenAPI schema's request components, so
    that a new one is held to it the day it is written: a writable DRF CharField (or one of its
    kind: slug, email, URL) that is not a StrictCharField took 5 as "5" and a 30-digit number
    as "1.2345678901234568e+29"."""
    request_serializers = _request_serializers()
    assert {"ProgrammeRequest", "LinkChangeRequest", "PlacementRequest"} <= set(request_serializers)
    text_fields = [
        (where, field)
        for name, serializer in request_serializers.items()
        for where, field in _writable_text_fields(serializer, name)
    ]
    lenient = [where for where, field in text_fields if not isinstance(field, StrictCharField)]

    assert len(text_fields) > 20
    assert lenient == [], lenient


# Integer fields: past 64 bits orjson reads a float (refused as no whole number), past a double's
# range the parser refuses the body.
@pytest.mark.parametrize("number", [str(2**64 + 1), str(2**64 - 1), HUGE, "1e309"])
def test_an_integer_past_64_bits_is_a_400_not_a_500_nor_cut(staff_client, number):
    programme = ProgrammeFactory()
    course = CourseFactory()
    path = f"/api/v1/programs/{programme.pk}/"
    bodies = [
        f'{{"courses": [{number}]}}',
        f'{{"courses": [{course.pk}], "terms": [{{"course": {course.pk}, "term": {number}}}]}}',
        f'{{"track": {number}}}',
    ]
    for body in bodies:
        response = _send(staff_client, "patch", path, body)
        assert response.status_code == 400, (body, response.content)
    response = _send(
        staff_client, "post", "/api/v1/courses/", f'{{"code": "C1", "credits": {number}}}'
    )
    assert response.status_code == 400, response.content
    assert not Course.objects.filter(code="C1").exists()
    assert not programme.programme_courses.exists()


def test_numbers_sent_as_strings_are_still_read_as_numbers(staff_client):
    """Clients that write every value in quotes (form encoders, some generated clients) keep
    working for numeric fields: only text fields refuse the other way round."""
    programme = ProgrammeFactory()
    course = CourseFactory()
    body = f'{{"courses": ["{course.pk}"], "terms": [{{"course": "{course.pk}", "term": "3"}}]}}'

    response = _send(staff_client, "patch", f"/api/v1/programs/{programme.pk}/", body)

    assert response.status_code == 200, response.content
    assert response.json()["courses"] == [course.pk]
    response = _send(
        staff_client, "post", "/api/v1/courses/", '{"code": "C2", "title": "T", "credits": "2.5"}'
    )
    assert response.status_code == 201, response.content
    assert response.json()["credits"] == 2.5


@pytest.mark.parametrize("number", [str(2**63), str(2**64 - 1), str(2**64 + 1), HUGE])
def test_an_order_past_the_column_is_a_400(staff_client, number):
    """A model's integer column without a bound of its own (a placement's order): Django's
    range for the column refuses it on the field, on SQLite as on PostgreSQL."""
    position = PositionFactory()
    track = TrackFactory()
    body = (
        f'{{"placements": [{{"track": {track.pk}, "degree_level": "bachelor", '
        f'"order": {number}}}]}}'
    )

    response = _send(staff_client, "patch", f"/api/v1/positions/{position.pk}/", body)

    assert response.status_code == 400, response.content
    assert "placements" in response.json()
    assert not position.placements.exists()
