"""The link and requirement exports name each ability by its code (the installation's own), and,
last, by its URI and external identifier, which every installation holding the framework shares:
a file exported here imports into another installation where the framework's abilities have
other codes (even each other's), by the URI, and the links and requirements come back on the
same abilities."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from tablib import Dataset

from curricula.models import CourseAbility
from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Ability, Framework, Requirement
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

URIS = {
    "A1": "http://data.europa.eu/esco/skill/0001",
    "A2": "http://data.europa.eu/esco/skill/0002",
}
EXTERNAL_IDS = {"A1": "S1.1", "A2": "S1.2"}
LINK_HEADER = "course,framework,ability,level,note,note_zh,ability_uri,ability_external_id"
REQUIREMENT_HEADER = (
    "position,position_name,position_name_zh,framework,ability,importance,min_level,"
    "ability_uri,ability_external_id"
)


@pytest.fixture
def here():
    """This installation: a framework of two abilities with URIs, two courses linked to them, a
    position requiring them."""
    framework = FrameworkFactory(name="ESCO skills")
    a1, a2 = (
        AbilityFactory(
            framework=framework, code=code, uri=URIS[code], external_id=EXTERNAL_IDS[code]
        )
        for code in ("A1", "A2")
    )
    c1, c2 = CourseFactory(code="C-101"), CourseFactory(code="C-102")
    CourseAbilityFactory(course=c1, ability=a1, level=level("I"), note="first")
    CourseAbilityFactory(course=c2, ability=a2, level=level("M"))
    position = PositionFactory(code="DEV", name="Developer")
    RequirementFactory(position=position, ability=a1, min_level=level("R"))
    RequirementFactory(position=position, ability=a2, min_level=level("M"))
    return framework


def _links() -> set:
    return set(
        CourseAbility.objects.values_list("course__code", "ability__uri", "level__code", "note")
    )


def _requirements() -> set:
    return set(Requirement.objects.values_list("position__code", "ability__uri", "min_level__code"))


def _elsewhere(framework: Framework, *, same_identifier: bool) -> None:
    """The database as another installation has it: the same framework (the same identifier, or
    the one it got there), its abilities under each other's codes (and other external ids),
    with the same URIs; no links or requirements yet."""
    CourseAbility.objects.all().delete()
    Requirement.objects.all().delete()
    Ability.objects.all().delete()
    if not same_identifier:
        framework.delete()
        framework = FrameworkFactory(name="ESCO skills")
    AbilityFactory(framework=framework, code="A2", uri=URIS["A1"])
    AbilityFactory(framework=framework, code="A1", uri=URIS["A2"])


def _api_export(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_the_api_exports_write_each_abilitys_uri_and_external_id_last(staff_client, here):
    links = _api_export(staff_client, "/api/v1/course-abilities/export/").splitlines()
    assert links[0] == LINK_HEADER
    assert f"C-101,{here.identifier},A1,I,first,,{URIS['A1']},S1.1" in links
    requirements = _api_export(staff_client, "/api/v1/requirements/export/").splitlines()
    assert requirements[0] == REQUIREMENT_HEADER
    assert f"DEV,Developer,,{here.identifier},A2,essential,M,{URIS['A2']},S1.2" in requirements


@pytest.mark.parametrize("same_identifier", [True, False])
def test_an_api_export_imports_into_an_installation_with_other_codes(
    staff_client, here, same_identifier
):
    links, requirements = _links(), _requirements()
    link_file = _api_export(staff_client, "/api/v1/course-abilities/export/")
    requirement_file = _api_export(staff_client, "/api/v1/requirements/export/")

    _elsewhere(here, same_identifier=same_identifier)
    result = course_ability_import(content=link_file.encode(), file_name="links.csv")
    assert result.errors == []
    result = requirement_import(content=requirement_file.encode(), file_name="requirements.csv")
    assert result.errors == []

    assert _links() == links
    assert _requirements() == requirements


def test_an_admin_xlsx_export_imports_into_an_installation_with_other_codes(admin_client, here):
    links, requirements = _links(), _requirements()
    files = {}
    for model, resource, header in (
        ("curricula_courseability", "courseabilityresource", LINK_HEADER),
        ("positions_requirement", "requirementresource", REQUIREMENT_HEADER),
    ):
        columns = header.split(",")
        response = admin_client.post(
            reverse(f"admin:{model}_export"),
            {"format": "1", **{f"{resource}_{column}": "on" for column in columns}},
        )
        assert response.status_code == 200, response.content[:500]
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == columns
        files[model] = response.content

    _elsewhere(here, same_identifier=True)
    result = course_ability_import(content=files["curricula_courseability"], file_name="l.xlsx")
    assert result.errors == []
    result = requirement_import(content=files["positions_requirement"], file_name="r.xlsx")
    assert result.errors == []

    assert _links() == links
    assert _requirements() == requirements


def test_a_file_without_the_new_columns_still_reads_the_ability_by_its_code(here):
    text = f"course,framework,ability,level\nC-101,{here.identifier},A2,R\n"
    assert course_ability_import(content=text.encode(), file_name="links.csv").errors == []
    assert CourseAbility.objects.get(course__code="C-101", ability__code="A2").level.code == "R"


def test_a_code_naming_an_ability_with_another_uri_is_refused_not_guessed(here):
    """The URI names no ability here, and the code names one whose URI is another: another
    installation's code, naming another ability here. The row is refused on its line."""
    text = f"{LINK_HEADER}\nC-102,{here.identifier},A1,M,,,http://data.europa.eu/esco/skill/9999,\n"
    result = course_ability_import(content=text.encode(), file_name="links.csv", dry_run=True)
    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert "http://data.europa.eu/esco/skill/9999" in message
    assert "ability_uri" in message


def test_the_admin_resource_round_trips_its_own_export_unchanged(here):
    from curricula.resources import CourseAbilityResource

    exported = CourseAbilityResource().export().csv
    assert exported.splitlines()[0] == LINK_HEADER
    unchanged = CourseAbilityResource().import_data(Dataset().load(exported, format="csv"))
    assert [row.import_type for row in unchanged.rows] == ["skip", "skip"]


@pytest.mark.parametrize("path", ["course-abilities", "requirements"])
def test_a_background_import_reads_the_uri_as_the_foreground_does(
    staff_client, here, path, django_capture_on_commit_callbacks
):
    """The background import's link resource looks its abilities up in bulk, by code: it finds
    them by URI as the admin's and the API's do."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from positions.models import ImportJob, ImportStatus

    state = _links if path == "course-abilities" else _requirements
    before = state()
    exported = _api_export(staff_client, f"/api/v1/{path}/export/")
    _elsewhere(here, same_identifier=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/api/v1/{path}/import/?background=true",
            {"file": SimpleUploadedFile("file.csv", exported.encode())},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert state() == before


def test_the_job_finds_abilities_by_uri_in_bulk(tmp_path):
    """A file of twelve links to twelve abilities, each row with its URI, has its abilities
    looked up in bulk, as a file of codes has (curricula.import_jobs._preload): not a query or
    two a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from positions.importers import framework_import
    from positions.models import ImportFormat

    framework = FrameworkFactory(name="ESCO skills")
    lines = [LINK_HEADER]
    for i in range(12):
        uri = f"http://data.europa.eu/esco/skill/{i:04d}"
        AbilityFactory(framework=framework, code=f"K{i}", uri=uri)
        CourseFactory(code=f"C-{i}")
        # Another installation's codes: each row's code is the next ability's here.
        lines.append(f"C-{i},{framework.identifier},K{(i + 1) % 12},M,,,{uri},")
    path = tmp_path / "links.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with CaptureQueriesContext(connection) as queries:
        report = framework_import(path=path, format=ImportFormat.LINKS)

    assert report.ok, report.error
    abilities = [q["sql"] for q in queries if 'FROM "positions_ability"' in q["sql"]]
    assert len(abilities) <= 2, abilities  # by code, then by URI
    assert set(CourseAbility.objects.values_list("course__code", "ability__code")) == {
        (f"C-{i}", f"K{i}") for i in range(12)
    }


def test_an_import_with_a_misspelt_query_parameter_is_refused_and_writes_nothing(
    staff_client, here
):
    """Observed: `POST .../course-abilities/import/?dryrun=1` (the parameter is dry_run, which
    the schema documents in the query string) imported the file for real, the misspelt
    parameter read past. A query parameter an import does not take is a 400 naming it and what
    it takes, as a list's is; `?dry_run=1` and `?format=json` still pass."""
    text = f"{LINK_HEADER}\nC-102,{here.identifier},A1,M,,,,\n"
    url = "/api/v1/course-abilities/import/"

    def post(query):
        upload = io.BytesIO(text.encode())
        upload.name = "links.csv"
        return staff_client.post(f"{url}?{query}", {"file": upload}, format="multipart")

    response = post("dryrun=1")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "dryrun": ["Unknown query parameter: this request takes background, dry_run."]
    }
    assert not CourseAbility.objects.filter(course__code="C-102", ability__code="A1").exists()

    assert post("dry_run=1&format=json").status_code == 200
    assert not CourseAbility.objects.filter(course__code="C-102", ability__code="A1").exists()
