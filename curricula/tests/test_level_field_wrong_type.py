"""Observed: a level given as something other than a code or an id (a JSON list, an object,
true) was refused with "Give a level code such as I, R or M.", whatever the site's scale: levels
are data staff may rename or add to (positions.models.Level), so a site whose scale is B, P and E
was pointed at codes it does not have. The refusal names the levels there are, as the field's
other refusals do."""

import pytest

from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Level

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", [["M"], {"code": "E"}, True, 1.5])
def test_a_level_that_is_no_code_or_id_is_refused_naming_the_sites_levels(staff_client, level):
    link = CourseAbilityFactory()
    course = CourseFactory()
    Level.objects.filter(code="I").update(code="B", name="Beginning")
    Level.objects.filter(code="R").update(code="P", name="Practising")
    Level.objects.filter(code="M").update(code="E", name="Expert")

    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": course.pk, "ability": link.ability_id, "level": level},
        format="json",
    )

    assert response.status_code == 400, response.content
    (message,) = response.json()["level"]
    assert message == "Give a level's code: B (Beginning), P (Practising), E (Expert)."
