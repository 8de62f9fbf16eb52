"""Someone copying from ESCO has a skill's URI, and someone exporting from another system has its
external identifier: observed, the requirement import and the course-ability link import took an
ability's code or its UUID identifier only, refusing an ESCO skill's URI with "No framework has
an ability with the code “http://…”", which did not say what would work, while the crosswalk
import (ability-relations/import-csv/) already read URIs and external identifiers.

Both imports now read an ability's code, external identifier or URI (exact match; a code before
an external identifier before a URI, as the crosswalk import ranks them), unambiguous within the
framework given, else refused naming the frameworks; and the refusal of a value no ability has
says what the column takes."""

import pytest

from curricula.models import CourseAbility
from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseFactory
from positions.models import Requirement
from positions.tests.factories import AbilityFactory, FrameworkFactory, PositionFactory

pytestmark = pytest.mark.django_db

URI = "http://data.europa.eu/esco/skill/0a1b2c3d-aaaa-bbbb-cccc-000000000001"


@pytest.fixture
def esco():
    framework = FrameworkFactory(name="ESCO skills")
    return AbilityFactory(framework=framework, code="", uri=URI, external_id="S1.2.3")


def _links(rows: str):
    return course_ability_import(
        content=f"course,framework,ability,level\n{rows}".encode(), file_name="links.csv"
    )


@pytest.mark.parametrize("framework", ["ESCO skills", ""])
@pytest.mark.parametrize("value", [URI, "S1.2.3"])
def test_a_link_names_its_ability_by_uri_or_external_id(esco, framework, value):
    CourseFactory(code="C1")

    report = _links(f"C1,{framework},{value},I\n")

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == esco.pk


@pytest.mark.parametrize("value", [URI, "S1.2.3"])
def test_a_requirement_names_its_ability_by_uri_or_external_id(esco, value):
    PositionFactory(code="RN", name="Ward nurse")
    content = (
        f"position,framework,ability,importance,min_level\nRN,ESCO skills,{value},essential,R\n"
    )

    report = requirement_import(content=content.encode(), file_name="requirements.csv")

    assert report.ok, report.errors
    assert Requirement.objects.get().ability_id == esco.pk


def test_a_uri_two_frameworks_hold_is_refused_without_a_framework_naming_them(esco):
    AbilityFactory(framework=FrameworkFactory(name="ESCO skills 1.2"), code="", uri=URI)
    CourseFactory(code="C1")

    report = _links(f"C1,,{URI},I\n")

    assert not report.ok
    message = " ".join(report.errors[0]["errors"]["ability"])
    assert "several frameworks" in message
    assert "ESCO skills 1.2" in message
    assert "framework column" in message
    assert not CourseAbility.objects.exists()
    # With the framework given it is that framework's.
    assert _links(f"C1,ESCO skills,{URI},I\n").ok


def test_a_uri_two_abilities_of_one_framework_hold_is_refused_never_a_guess(esco):
    AbilityFactory(framework=esco.framework, code="X9", uri=URI)
    CourseFactory(code="C1")

    report = _links(f"C1,ESCO skills,{URI},I\n")

    assert not report.ok
    message = " ".join(report.errors[0]["errors"]["ability"])
    assert "Several abilities" in message
    assert "X9" in message
    assert not CourseAbility.objects.exists()


def test_a_code_is_read_before_another_abilitys_uri_in_the_same_framework(esco):
    """A value that is one ability's code and another's URI names the one with the code."""
    coded = AbilityFactory(framework=esco.framework, code="S1.2.3")
    CourseFactory(code="C1")

    report = _links("C1,ESCO skills,S1.2.3,I\n")

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == coded.pk


@pytest.mark.parametrize("framework", ["ESCO skills", ""])
def test_an_unknown_value_is_refused_saying_what_the_column_takes(esco, framework):
    CourseFactory(code="C1")

    report = _links(f"C1,{framework},http://data.europa.eu/esco/skill/unknown,I\n")

    assert not report.ok
    message = " ".join(report.errors[0]["errors"]["ability"])
    assert "http://data.europa.eu/esco/skill/unknown" in message
    for accepted in ("code", "external identifier", "URI", "identifier (UUID)"):
        assert accepted in message


def test_a_value_one_framework_codes_and_another_identifies_is_refused_without_a_framework(
    esco,
):
    """Observed (attacker's pass): with no framework column, a value that is one framework's
    ability code and another framework's external identifier or URI named the coded ability,
    silently, since the code came to be looked up first and alone; the crosswalk import's
    ranking, which this follows, ranks within a framework and refuses a value several
    frameworks hold."""
    own = FrameworkFactory(name="Ward skills")
    AbilityFactory(framework=own, code="S1.2.3")  # ESCO's ability's external identifier
    CourseFactory(code="C1")

    report = _links("C1,,S1.2.3,I\n")

    assert not report.ok
    message = " ".join(report.errors[0]["errors"]["ability"])
    assert "several frameworks" in message
    assert "ESCO skills" in message
    assert "Ward skills" in message
    assert not CourseAbility.objects.exists()
    # Each framework's, with its framework given: the code in its own, the other in ESCO's.
    assert _links("C1,Ward skills,S1.2.3,I\n").ok
    assert _links("C1,ESCO skills,S1.2.3,R\n").ok
    assert set(CourseAbility.objects.values_list("ability__framework__name", flat=True)) == {
        "Ward skills",
        "ESCO skills",
    }
