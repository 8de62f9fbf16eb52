"""A university mapping another field (nursing, civil engineering) without the paper's data sees
pages about its own records: no cross-border e-commerce, no Luan et al., no Table I/III or
Section IV A, and empty states that say how to add records rather than to load the paper. With
the paper loaded, the pages read as they always did."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

PAPER_WORDS = (
    "e-commerce",
    "E-commerce",
    "Luan et al.",
    "Table I",
    "Table II",
    "Table III",
    "Section IV",
    "five-in-one",
    "the study",
    "load_paper",
)


def _paper_words(html: str) -> list[str]:
    return [word for word in PAPER_WORDS if word in html]


@pytest.fixture
def nursing(db):
    """A nursing programme without a certification, made from nothing as a designer would."""
    assessment = AbilityFactory(code="NUR.A.1", text="Perform a patient assessment")
    position = PositionFactory(name="Registered nurse")
    RequirementFactory(position=position, ability=assessment, min_level=level("M"))
    course = CourseFactory(code="NUR102", title="Health Assessment")
    CourseAbilityFactory(course=course, ability=assessment, level=level("I"))
    programme = ProgrammeFactory(
        name="Bachelor of Nursing",
        certification=None,
        own_degree_level="bachelor",
        courses=[course],
        targets=[position],
    )
    return {"programme": programme, "position": position, "course": course}


def _pages(nursing) -> dict[str, str]:
    programme, position = nursing["programme"], nursing["position"]
    return {
        "overview": reverse("home"),
        "programmes": reverse("curricula:programme-list"),
        "programme": programme.get_absolute_url(),
        "report": reverse("curricula:programme-report", args=[programme.pk]),
        "positions": reverse("positions:list"),
        "position": position.get_absolute_url(),
        "certifications": reverse("certifications:list"),
        "course": reverse("courses:detail", args=[nursing["course"].pk]),
    }


def test_pages_of_another_field_say_nothing_of_the_paper(client, nursing):
    for name, url in _pages(nursing).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert _paper_words(response.content.decode()) == [], name


def test_a_position_of_another_field_without_requirements_is_not_said_to_come_from_the_study(
    client, db
):
    position = PositionFactory(name="Site engineer")
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No requirements defined yet." in html
    assert "Not listed in Table I" not in html
    assert "the study" not in html


def test_empty_pages_say_how_to_add_records_not_to_load_the_paper(client, db):
    """A university starting from its own catalogue (`make run PAPER=no`) is told where to add
    programmes, positions and certifications, not to load the study's tables: load_paper
    --if-empty loads nothing into a database that holds its records."""
    html = client.get(reverse("home")).content.decode()
    assert "load_paper" not in html
    assert "No programmes yet." in html
    assert "administration" in html
    html = client.get(reverse("certifications:list")).content.decode()
    assert "load_paper" not in html
    assert "No certifications yet." in html
    html = client.get(reverse("positions:list")).content.decode()
    assert "load_paper" not in html


def test_the_papers_pages_keep_their_wording(client, paper):
    html = client.get(reverse("home")).content.decode()
    assert "the study of cross-border e-commerce talent" in " ".join(html.split())
    assert "Luan et al." in html
    html = client.get(reverse("positions:list")).content.decode()
    assert "Table I: positions by track and degree" in html
    html = client.get(reverse("certifications:list")).content.decode()
    assert "Table III of the study" in " ".join(html.split())
    programme = ProgrammeFactory._meta.model.objects.filter(provenance="paper").first()
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Section IV A" in html


def test_with_the_paper_loaded_a_new_position_without_requirements_is_not_the_studys(client, paper):
    """The study's Table-I-only positions (Data modeler) are said to have no profile in the
    study; a position staff add beside them is not."""
    position = PositionFactory(name="Site engineer")
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No requirements defined yet." in html
    assert "the study names this position" not in html
    data_modeler = PositionFactory._meta.model.objects.get(name="Data modeler")
    html = client.get(data_modeler.get_absolute_url()).content.decode()
    assert "the study names this position" in html
