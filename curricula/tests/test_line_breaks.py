"""Descriptions typed or imported with line breaks (a course's, a position's advert, an
ability's, a programme's) read as the paragraphs they were written in on the public pages,
escaped: not as one run-on paragraph."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

TEXT = "First paragraph <b>bold?</b>\n\nSecond paragraph\nits second line"
PARAGRAPHS = (
    "<p>First paragraph &lt;b&gt;bold?&lt;/b&gt;</p>\n\n<p>Second paragraph<br>its second line</p>"
)


@pytest.fixture
def pages():
    ability = AbilityFactory(code="A.1", text="Analyse sales", description=TEXT)
    position = PositionFactory(name="Data analyst", description=TEXT)
    RequirementFactory(position=position, ability=ability)
    course = CourseFactory(code="C1", description=TEXT)
    CourseAbilityFactory(course=course, ability=ability, note="Labs\nand a project")
    programme = ProgrammeFactory(
        description=TEXT, courses=[course], targets=[position], certification__description=TEXT
    )
    return {
        "course": reverse("courses:detail", args=[course.pk]),
        "position": reverse("positions:detail", args=[position.pk]),
        "ability": reverse("curricula:programme-ability", args=[programme.pk, ability.pk]),
        "cell": reverse("positions:cell", args=[position.pk, programme.pk, ability.pk]),
        "programme": reverse("curricula:programme-detail", args=[programme.pk]),
        "certifications": reverse("certifications:list"),
    }


@pytest.mark.parametrize(
    "page", ["course", "position", "ability", "cell", "programme", "certifications"]
)
def test_a_description_keeps_its_paragraphs_and_line_breaks_escaped(client, pages, page):
    response = client.get(pages[page])
    assert response.status_code == 200
    html = response.content.decode()
    assert PARAGRAPHS in html
    assert "<b>bold?</b>" not in html


def test_a_link_note_keeps_its_line_breaks_on_the_course_page(client, pages):
    html = client.get(pages["course"]).content.decode()
    assert "Labs<br>and a project" in html
