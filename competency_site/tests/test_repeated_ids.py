"""A list of ids naming one record twice is refused, naming the field and the id.

Observed: PATCH /api/v1/programs/{id}/ with {"courses": [1, 1]} answered 200 and stored the
course once, and the other lists of ids (a programme's target positions, a generation's courses
and positions, a what-if's courses and targets) dropped a repeated id the same way: a client
whose list was built wrong (a course meant twice, or another course meant) heard nothing of it.
Each is now a 400 on the field, as a key given twice in a JSON body is, and nothing is written.
"""

import pytest
from django.urls import reverse

from core.tests import openapi
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def _refused(response, field: str, ids: str) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    several = ", " in ids
    message = (
        f"The ids {ids} are given more than once."
        if several
        else (f"The id {ids} is given more than once.")
    )
    assert response.json()[field] == [message]


@pytest.mark.parametrize("field", ["courses", "target_positions"])
def test_a_programme_write_naming_an_id_twice_is_a_400_and_changes_nothing(staff_client, field):
    course, other, target, other_target = (
        CourseFactory(),
        CourseFactory(),
        PositionFactory(),
        PositionFactory(),
    )
    programme = ProgrammeFactory(courses=[course], targets=[target])
    twice = (other if field == "courses" else other_target).pk
    url = f"/api/v1/programs/{programme.pk}/"

    response = staff_client.patch(url, {field: [twice, twice]}, format="json")

    _refused(response, field, str(twice))
    assert list(programme.programme_courses.values_list("course_id", flat=True)) == [course.pk]
    assert list(programme.targets.values_list("position_id", flat=True)) == [target.pk]
    created = staff_client.post(
        "/api/v1/programs/", {"name": "New", field: [twice, twice]}, format="json"
    )
    _refused(created, field, str(twice))


def test_several_repeated_ids_are_named_each_once(staff_client):
    a, b, c = CourseFactory.create_batch(3)
    programme = ProgrammeFactory(courses=[a])
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"courses": [b.pk, a.pk, b.pk, c.pk, a.pk, b.pk]},
        format="json",
    )
    _refused(response, "courses", f"{b.pk}, {a.pk}")


@pytest.mark.parametrize("field", ["courses", "positions"])
def test_a_generation_naming_an_id_twice_is_a_400(staff_client, field):
    subject = CourseFactory() if field == "courses" else PositionFactory()
    response = staff_client.post(
        "/api/v1/suggestions/generate/", {field: [subject.pk, subject.pk]}, format="json"
    )
    _refused(response, field, str(subject.pk))


@pytest.mark.parametrize(
    "field", ["add_courses", "remove_courses", "add_targets", "remove_targets"]
)
def test_a_what_if_naming_an_id_twice_is_a_400(api_client, field):
    course, target = CourseFactory(), PositionFactory()
    programme = ProgrammeFactory(courses=[course], targets=[target])
    twice = (course if field.endswith("courses") else target).pk
    response = api_client.post(
        f"/api/v1/programs/{programme.pk}/what-if/", {field: [twice, twice]}, format="json"
    )
    _refused(response, field, str(twice))


def test_the_schema_says_each_id_is_given_once():
    """uniqueItems, so that a generated client or a validator refuses the repeat first."""
    schema = openapi.generate()[0]
    components = schema["components"]["schemas"]
    for component, field in [
        ("PatchedProgrammeRequest", "courses"),
        ("PatchedProgrammeRequest", "target_positions"),
        ("GenerateRequest", "courses"),
        ("GenerateRequest", "positions"),
        ("ScenarioRequestRequest", "add_courses"),
        ("ScenarioRequestRequest", "remove_targets"),
    ]:
        assert components[component]["properties"][field].get("uniqueItems") is True, (
            component,
            field,
        )


def test_the_programme_pages_what_if_form_still_takes_a_course_added_twice(client):
    """A page is not the API: its "try these" links add ids to the query, which may repeat
    one, and the reader never typed an id. The form reads each once, as before."""
    course, added = CourseFactory(), CourseFactory(code="ADDED")
    programme = ProgrammeFactory(courses=[course])
    url = reverse("curricula:programme-decide", args=[programme.pk])
    response = client.get(url, {"add": [added.pk, added.pk]}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "more than once" not in html
    assert "ADDED" in html
