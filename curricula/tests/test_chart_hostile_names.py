"""The coverage chart served alone (/programs/{id}/chart.svg) is an XML document: a name holding
a character XML cannot carry (a control character pasted into the admin or read from an import,
a noncharacter) must not make it unreadable. Browsers refuse the whole image at the first such
character; the name shows without it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"])
def test_a_name_holding_a_character_xml_cannot_carry_leaves_the_chart_readable(client, character):
    position = PositionFactory()
    requirement = RequirementFactory(position=position)
    area = requirement.ability.area
    area.name = f"Research{character} ability"
    area.save()
    course = CourseFactory()
    CourseAbilityFactory(course=course, ability=requirement.ability)
    programme = ProgrammeFactory(
        courses=[course], targets=[position], name=f"Software{character} engineering"
    )
    coverage_recompute(programme_ids=[programme.pk], force=True)

    response = client.get(reverse("curricula:programme-chart", args=[programme.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # raises on a character XML refuses
    assert "Software engineering" in root.find(f"{SVG}title").text
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Research ability" in labels


def test_the_chart_keeps_the_characters_xml_allows(client):
    """Tabs, line breaks and text beyond the Basic Multilingual Plane are XML's own."""
    position = PositionFactory()
    programme = ProgrammeFactory(targets=[position], name="软件\t工程 𠮷")
    coverage_recompute(programme_ids=[programme.pk], force=True)

    response = client.get(reverse("curricula:programme-chart", args=[programme.pk]))

    assert "软件\t工程 𠮷" in ET.fromstring(response.content).find(f"{SVG}title").text
