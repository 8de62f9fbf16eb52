"""Observed: a link or requirement file whose header names the ability by `ability_uri` and/or
`ability_external_id` but has no `ability` column at all was refused as lacking the column
"ability", although a row whose ability cell is blank is read by those columns
(test_import_ability_by_portable_columns_only.py): the header check was stricter than the row's.
A header naming the ability by any of ability, ability_uri and ability_external_id is now read,
at every door (the service, the API, the admin's preview and confirm, import_links /
import_requirements); a header naming it by none is refused, saying which columns name it. No
framework column is needed: a URI is unique whatever the framework; an external identifier two
frameworks share is refused where the row names no framework, never guessed."""

import csv
import html
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Requirement
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

URI_1 = "http://example.org/skill/1"
URI_2 = "http://example.org/skill/2"
NAMING_COLUMNS = ("ability", "ability_uri", "ability_external_id")


@pytest.fixture
def abilities(db):
    framework = FrameworkFactory(name="Skills")
    CourseFactory(code="C1")
    PositionFactory(code="P1", name="Nurse")
    return (
        AbilityFactory(framework=framework, code="A1", uri=URI_1, external_id="X1"),
        AbilityFactory(framework=framework, code="A2", uri=URI_2, external_id="X2"),
    )


LINK_FILES = [
    "course,level,ability_uri\nC1,I,http://example.org/skill/2\n",
    "course,level,ability_external_id\nC1,I,X2\n",
    "course,framework,level,ability_external_id\nC1,Skills,I,X2\n",
    "course,level,ability_uri,ability_external_id\nC1,I,http://example.org/skill/2,X2\n",
    "课程,等级,能力URI\nC1,I,http://example.org/skill/2\n",
]
REQUIREMENT_FILES = [
    "position,min_level,ability_uri\nP1,R,http://example.org/skill/2\n",
    "position,framework,min_level,ability_external_id\nP1,Skills,R,X2\n",
]


@pytest.mark.parametrize("text", LINK_FILES)
def test_a_link_file_naming_the_ability_by_its_portable_columns_only_imports(abilities, text):
    report = course_ability_import(content=text.encode(), file_name="l.csv")

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == abilities[1].pk


@pytest.mark.parametrize("text", REQUIREMENT_FILES)
def test_a_requirement_file_naming_the_ability_by_its_portable_columns_only_imports(
    abilities, text
):
    report = requirement_import(content=text.encode(), file_name="r.csv")

    assert report.ok, report.errors
    assert Requirement.objects.get().ability_id == abilities[1].pk


def _refusal(service, text: str) -> str:
    with pytest.raises(ValidationError) as raised:
        service(content=text.encode(), file_name="f.csv")
    return " ".join(raised.value.messages)


@pytest.mark.parametrize(
    ("service", "text"),
    [
        (course_ability_import, "course,framework,level,note\nC1,Skills,I,\n"),
        (requirement_import, "position,framework,min_level\nP1,Skills,R\n"),
    ],
)
def test_a_file_naming_the_ability_by_no_column_is_refused_saying_which_would(
    abilities, service, text
):
    message = _refusal(service, text)

    assert "lacks the column(s)" in message
    for column in NAMING_COLUMNS:
        assert column in message
    assert "ability, ability_uri or ability_external_id" in message


def test_a_row_of_a_uri_only_file_with_a_blank_uri_is_told_what_to_give(abilities):
    report = course_ability_import(content=b"course,level,ability_uri\nC1,I,\n", file_name="l.csv")

    assert report.errors == [
        {
            "line": 2,
            "errors": {
                "ability": ["Give the ability (its code, external identifier, URI or identifier)."]
            },
        }
    ]


# --- the framework -------------------------------------------------------------------------


@pytest.fixture
def shared_external_id(abilities):
    """A second framework holding an ability under the external identifier X2 too."""
    other = FrameworkFactory(name="Other skills")
    return AbilityFactory(
        framework=other, code="B2", uri="http://example.org/b/2", external_id="X2"
    )


def test_a_uri_needs_no_framework_even_where_an_external_id_is_shared(
    abilities, shared_external_id
):
    report = course_ability_import(
        content=b"course,level,ability_uri\nC1,I,http://example.org/b/2\n", file_name="l.csv"
    )

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == shared_external_id.pk


def test_an_external_id_two_frameworks_share_is_refused_without_a_framework(
    abilities, shared_external_id
):
    report = course_ability_import(
        content=b"course,level,ability_external_id\nC1,I,X2\n", file_name="l.csv"
    )

    [problem] = report.errors
    [message] = problem["errors"]["ability"]
    assert message == (
        "The ability_external_id column gives “X2”, an external identifier abilities of several "
        "frameworks have (“Other skills”, “Skills”): give the row's framework in the framework "
        "column, or the ability's URI."
    )
    assert CourseAbility.objects.count() == 0


def test_an_external_id_two_frameworks_share_is_read_in_the_row_s_framework(
    abilities, shared_external_id
):
    report = course_ability_import(
        content=b"course,framework,level,ability_external_id\nC1,Other skills,I,X2\n",
        file_name="l.csv",
    )

    assert report.ok, report.errors
    assert CourseAbility.objects.get().ability_id == shared_external_id.pk


# --- an export kept to its URIs imports back ----------------------------------------------------


def _without(exported: str, columns: set[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    keep = [index for index, name in enumerate(rows[0]) if name not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([row[index] for index in keep])
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("export_url", "import_url", "model"),
    [
        ("/api/v1/course-abilities/export/", "/api/v1/course-abilities/import/", CourseAbility),
        ("/api/v1/requirements/export/", "/api/v1/requirements/import/", Requirement),
    ],
)
def test_an_export_kept_to_its_uris_imports_back(
    abilities, staff_client, export_url, import_url, model
):
    CourseAbilityFactory(course=CourseFactory(code="C2"), ability=abilities[0], level=level("R"))
    RequirementFactory(
        position=PositionFactory(code="P2", name="Medic"),
        ability=abilities[1],
        min_level=level("M"),
    )
    before = set(model.objects.values_list(*_key(model)))
    exported = b"".join(staff_client.get(export_url).streaming_content).decode()
    model.objects.all().delete()

    trimmed = _without(exported, {"framework", "ability", "ability_external_id"})
    assert b"ability_uri" in trimmed.splitlines()[0]
    response = staff_client.post(
        import_url, {"file": SimpleUploadedFile("f.csv", trimmed)}, format="multipart"
    )

    assert response.status_code in (200, 201), response.content
    assert set(model.objects.values_list(*_key(model))) == before


def _key(model) -> tuple[str, ...]:
    if model is CourseAbility:
        return ("course__code", "ability__uri", "level__code")
    return ("position__code", "ability__uri", "min_level__code")


# --- every door ---------------------------------------------------------------------------------


def test_the_api_reads_it_and_refuses_a_file_naming_no_ability(abilities, staff_client):
    for url, text in (
        ("/api/v1/course-abilities/import/", LINK_FILES[0]),
        ("/api/v1/requirements/import/", REQUIREMENT_FILES[0]),
    ):
        response = staff_client.post(
            url, {"file": SimpleUploadedFile("f.csv", text.encode())}, format="multipart"
        )
        assert response.status_code in (200, 201), response.content

    assert CourseAbility.objects.get().ability_id == abilities[1].pk
    assert Requirement.objects.get().ability_id == abilities[1].pk

    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("f.csv", b"course,level\nC1,I\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "ability, ability_uri or ability_external_id" in response.content.decode()


@pytest.mark.parametrize(
    ("admin_url", "text", "model"),
    [
        ("admin:curricula_courseability", LINK_FILES[0], CourseAbility),
        ("admin:positions_requirement", REQUIREMENT_FILES[0], Requirement),
    ],
)
def test_the_admin_previews_and_confirms_it(abilities, admin_client, admin_url, text, model):
    upload = SimpleUploadedFile("f.csv", text.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse(f"{admin_url}_import"), {"format": "0", "import_file": upload}
    )

    assert preview.status_code == 200
    assert "lacks the column" not in html.unescape(preview.content.decode())
    confirm = admin_client.post(
        reverse(f"{admin_url}_process_import"), preview.context["confirm_form"].initial
    )
    assert confirm.status_code == 302
    assert model.objects.get().ability_id == abilities[1].pk


def test_the_admin_refuses_a_file_naming_no_ability_saying_which_columns_would(
    abilities, admin_client
):
    upload = SimpleUploadedFile("f.csv", b"course,level\nC1,I\n", content_type="text/csv")
    response = admin_client.post(
        reverse("admin:curricula_courseability_import"), {"format": "0", "import_file": upload}
    )

    page = html.unescape(response.content.decode())
    assert "lacks the column(s)" in page
    assert "ability, ability_uri or ability_external_id" in page


@pytest.mark.parametrize(
    ("command", "text", "model"),
    [
        ("import_links", LINK_FILES[1], CourseAbility),
        ("import_requirements", REQUIREMENT_FILES[0], Requirement),
    ],
)
def test_the_commands_read_it(abilities, tmp_path, command, text, model):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")

    call_command(command, str(path), stdout=StringIO(), stderr=StringIO())

    assert model.objects.get().ability_id == abilities[1].pk


def test_a_command_refuses_a_file_naming_no_ability_saying_which_columns_would(abilities, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("position,min_level\nP1,R\n", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_requirements", str(path), stdout=StringIO(), stderr=StringIO())

    assert "ability, ability_uri or ability_external_id" in str(raised.value)
