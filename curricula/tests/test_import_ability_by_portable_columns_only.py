"""Observed: a link or requirement row whose ability cell is blank was refused with "Give the
ability (its code, external identifier, URI or identifier)." even where its ability_uri or
ability_external_id column names the ability, the blank check running before those columns
were read. A row naming its ability by any of the three columns now imports, at every door (the
service, the API, the admin's preview, import_links / import_requirements); a row with all three
blank is told what to give; a row whose URI and external identifier name two abilities is
refused naming both, never read as either."""

import html
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseFactory
from positions.models import Requirement
from positions.tests.factories import AbilityFactory, FrameworkFactory, PositionFactory

pytestmark = pytest.mark.django_db

URI_1 = "http://example.org/skill/1"
URI_2 = "http://example.org/skill/2"
GIVE_ABILITY = "Give the ability (its code, external identifier, URI or identifier)."

LINK_HEADER = "course,framework,ability,level,ability_uri,ability_external_id\n"
REQUIREMENT_HEADER = "position,framework,ability,min_level,ability_uri,ability_external_id\n"


@pytest.fixture
def abilities(db):
    framework = FrameworkFactory(name="Skills")
    CourseFactory(code="C1")
    PositionFactory(code="P1", name="Nurse")
    return (
        AbilityFactory(framework=framework, code="A1", uri=URI_1, external_id="X1"),
        AbilityFactory(framework=framework, code="A2", uri=URI_2, external_id="X2"),
    )


def _links(rows: str):
    return course_ability_import(content=(LINK_HEADER + rows).encode(), file_name="l.csv")


def _requirements(rows: str):
    return requirement_import(content=(REQUIREMENT_HEADER + rows).encode(), file_name="r.csv")


@pytest.mark.parametrize("framework", ["Skills", ""])
@pytest.mark.parametrize(("uri", "external_id"), [(URI_1, ""), ("", "X1"), (URI_1, "X1")])
def test_a_link_with_a_blank_ability_cell_is_read_by_its_uri_or_external_id(
    abilities, framework, uri, external_id
):
    report = _links(f"C1,{framework},,I,{uri},{external_id}\n")

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == abilities[0].pk


@pytest.mark.parametrize(("uri", "external_id"), [(URI_2, ""), ("", "X2")])
def test_a_requirement_with_a_blank_ability_cell_is_read_by_its_uri_or_external_id(
    abilities, uri, external_id
):
    report = _requirements(f"P1,Skills,,R,{uri},{external_id}\n")

    assert report.ok, report.errors
    assert Requirement.objects.get().ability_id == abilities[1].pk


def test_a_row_with_every_ability_column_blank_is_told_what_to_give(abilities):
    assert _links("C1,Skills,,I,,\n").errors == [{"line": 2, "errors": {"ability": [GIVE_ABILITY]}}]
    assert _requirements("P1,Skills,  ,R, ,\n").errors == [
        {"line": 2, "errors": {"ability": [GIVE_ABILITY]}}
    ]


def test_a_blank_ability_cell_whose_uri_names_no_ability_says_what_the_uri_gave(abilities):
    report = _links("C1,Skills,,I,http://example.org/skill/none,\n")

    [problem] = report.errors
    [message] = problem["errors"]["ability"]
    assert "http://example.org/skill/none" in message
    assert "ability_uri" in message


@pytest.mark.parametrize("ability", ["", "A1"])
def test_a_uri_and_an_external_id_naming_two_abilities_are_refused_naming_both(abilities, ability):
    report = _links(f"C1,Skills,{ability},I,{URI_1},X2\n")

    assert not report.ok
    [problem] = report.errors
    [message] = problem["errors"]["ability"]
    assert "A1" in message
    assert "A2" in message
    assert CourseAbility.objects.count() == 0


def test_the_api_reads_it(abilities, staff_client):
    for url, text in (
        ("/api/v1/course-abilities/import/", LINK_HEADER + f"C1,Skills,,I,{URI_1},\n"),
        ("/api/v1/requirements/import/", REQUIREMENT_HEADER + "P1,Skills,,R,,X1\n"),
    ):
        response = staff_client.post(
            url, {"file": SimpleUploadedFile("f.csv", text.encode())}, format="multipart"
        )
        assert response.status_code in (200, 201), response.content

    assert CourseAbility.objects.get().ability_id == abilities[0].pk
    assert Requirement.objects.get().ability_id == abilities[0].pk


@pytest.mark.parametrize(
    ("admin_url", "text"),
    [
        ("admin:curricula_courseability_import", LINK_HEADER + f"C1,Skills,,I,{URI_1},\n"),
        ("admin:positions_requirement_import", REQUIREMENT_HEADER + "P1,Skills,,R,,X1\n"),
    ],
)
def test_the_admin_preview_reads_it(abilities, admin_client, admin_url, text):
    upload = SimpleUploadedFile("f.csv", text.encode(), content_type="text/csv")
    response = admin_client.post(reverse(admin_url), {"format": "0", "import_file": upload})
    page = html.unescape(response.content.decode())

    assert response.status_code == 200
    assert GIVE_ABILITY not in page
    assert "confirm" in page.lower()


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("import_links", LINK_HEADER + f"C1,Skills,,I,{URI_1},\n"),
        ("import_requirements", REQUIREMENT_HEADER + "P1,Skills,,R,,X1\n"),
    ],
)
def test_the_commands_read_it(abilities, tmp_path, command, text):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")

    call_command(command, str(path), stdout=StringIO(), stderr=StringIO())

    assert (CourseAbility.objects.count(), Requirement.objects.count()) in ((1, 0), (0, 1))


def test_a_command_refuses_a_row_with_every_ability_column_blank(abilities, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(LINK_HEADER + "C1,Skills,,I,,\n", encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_links", str(path), stdout=StringIO(), stderr=err)

    assert f"line 2: ability: {GIVE_ABILITY}" in err.getvalue()
