"""What the product says the paper says, against the paper's words. Section IV A calls the
training plan progressive, "theory teaching---cognitive demonstration---simulation-actual
operation---certification assessment", and never speaks of levels: that a course introduces an
ability before another reinforces it, and reinforces it before one asks for mastery, is this
project's reading. Section IV C's double certification asks for the required courses, the
required credits, professional practice certified by both school and enterprise, and the
certificate itself: the readiness check looks at the courses alone."""

import pytest
from django.urls import reverse

from core.tests import openapi
from curricula.models import Programme
from curricula.progression import engine
from curricula.selectors import readiness
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

OUR_READING = "this project's reading"


def _text(client, url: str) -> str:
    return " ".join(client.get(url).content.decode().split())


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def _paper_programme() -> Programme:
    return Programme.objects.order_by("order").first()


@pytest.fixture(scope="module")
def schema():
    return openapi.generate()[0]


def test_the_progression_says_its_order_of_levels_is_the_projects_reading(client, paper):
    """Observed: the programme page and the printable report said "Section IV A's five-in-one
    plan is progressive: a course should introduce an ability before another reinforces it",
    as though the paper asked for I before R before M."""
    programme = _paper_programme()
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ):
        text = _section(_text(client, url), "progression")
        assert "from theory teaching to certification assessment" in text, url
        assert OUR_READING in text, url
        assert "Section IV A's five-in-one plan is progressive: a course should" not in text


@pytest.mark.usefixtures("paper")
def test_a_programme_not_the_papers_says_the_order_is_how_this_product_reads_a_plan(client):
    """Observed: the paper's programmes' progression said I before R before M is this project's
    reading, but a programme staff added was told "A progressive plan has a course introduce an
    ability before another reinforces it", a definition as though it were settled. It is this
    product's reading there too, said without the paper (which is not that programme's)."""
    programme = ProgrammeFactory(name="Drone logistics")
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ):
        text = _section(_text(client, url), "progression")
        assert "how this product reads a progressive plan" in text, url
        assert "A progressive plan has a course introduce" not in text, url
        assert "Section IV" not in text, url
        assert "paper" not in text, url


def test_the_progression_api_and_engine_say_the_order_is_the_projects_reading(schema):
    operation = schema["paths"]["/api/v1/programs/{id}/progression/"]["get"]
    assert OUR_READING in operation["description"]
    assert "Section IV A" in operation["description"]
    assert OUR_READING in engine.__doc__


QUOTED = (
    "obtain the required credits and have an experience of professional practice which is "
    "certificated by both schools and enterprises"
)


def test_readiness_says_it_checks_courses_alone_and_what_section_iv_c_also_asks(client, paper):
    """Observed: readiness was described as "Double certification (Section IV C)", yet it
    compares courses only; the credits, the practice certified by school and enterprise and the
    certificate the section also requires are not tracked. The page says so, in the paper's
    words."""
    programme = _paper_programme()
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ):
        text = _section(_text(client, url), "certification-readiness")
        assert "Only courses are checked" in text, url
        assert QUOTED in text, url
        assert "not tracked" in text, url


def test_readiness_api_and_selector_say_courses_alone(schema):
    operation = schema["paths"]["/api/v1/programs/{id}/certification-readiness/"]["get"]
    assert "Only courses are checked" in operation["description"]
    assert "not tracked" in operation["description"]
    assert not readiness.__doc__.startswith("Double certification (Section IV C)")
    assert "courses alone" in readiness.__doc__
