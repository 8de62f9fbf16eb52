"""The export's last two columns, `ability_uri` and `ability_external_id`, read under Chinese
names as the other columns are (能力代码 for `ability`): a file exported here and headed in
Chinese by a Chinese office imports back onto the same abilities, by their URI or external
identifier, where the codes differ. Observed: 能力URI was no column, so the row fell back on
the code, another ability there."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.services import course_ability_import, requirement_import
from curricula.tests.test_portable_ability_exports import (
    _api_export,
    _elsewhere,
    _links,
    _requirements,
    here,  # noqa: F401 (a fixture)
)
from positions.models import Ability, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

LINK_HEADER_ZH = "课程,框架,能力代码,等级,备注,中文备注,能力URI,能力外部标识符"
REQUIREMENT_HEADER_ZH = (
    "职位,职位名称,职位中文名称,框架,能力代码,重要性,最低等级,能力URI,能力外部标识符"
)


def _in_chinese(exported: str, header: str) -> str:
    return "\n".join([header, *exported.splitlines()[1:]]) + "\n"


def _xlsx(text: str) -> bytes:
    book = openpyxl.Workbook()
    for line in text.splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("uri", ["能力URI", "能力 URI", "能力网址", "能力统一资源标识符"])
def test_a_chinese_headed_export_imports_onto_the_same_abilities_by_uri(
    staff_client,
    here,  # noqa: F811 (the fixture imported above)
    uri,
):
    links, requirements = _links(), _requirements()
    link_file = _in_chinese(
        _api_export(staff_client, "/api/v1/course-abilities/export/"),
        LINK_HEADER_ZH.replace("能力URI", uri),
    )
    requirement_file = _in_chinese(
        _api_export(staff_client, "/api/v1/requirements/export/"),
        REQUIREMENT_HEADER_ZH.replace("能力URI", uri),
    )

    _elsewhere(here, same_identifier=True)
    result = course_ability_import(content=link_file.encode(), file_name="links.csv")
    assert result.errors == []
    result = requirement_import(content=requirement_file.encode(), file_name="requirements.csv")
    assert result.errors == []

    assert _links() == links
    assert _requirements() == requirements


@pytest.mark.parametrize("external_id", ["能力外部标识符", "能力外部编号", "能力外部代码"])
def test_a_chinese_headed_external_identifier_names_the_ability(
    staff_client,
    here,  # noqa: F811
    external_id,
):
    """Without URIs there, the external identifier decides which ability."""
    links = _links()
    link_file = _in_chinese(
        _api_export(staff_client, "/api/v1/course-abilities/export/"),
        LINK_HEADER_ZH.replace("能力外部标识符", external_id),
    )
    _elsewhere(here, same_identifier=True)
    # There, the abilities have each other's codes and no URIs, but the publisher's ids.
    for ability in Ability.objects.all():
        ability.external_id = {"A2": "S1.1", "A1": "S1.2"}[ability.code]
        ability.uri = ""
        ability.save()
    uri_free = "\n".join(
        ",".join([*line.split(",")[:6], "", line.split(",")[7]])
        for line in link_file.splitlines()[1:]
    )
    header = LINK_HEADER_ZH.replace("能力外部标识符", external_id)
    result = course_ability_import(
        content=f"{header}\n{uri_free}\n".encode(), file_name="links.csv"
    )

    assert result.errors == []
    assert {(course, level, note) for course, _uri, level, note in _links()} == {
        (course, level, note) for course, _uri, level, note in links
    }
    from curricula.models import CourseAbility

    assert set(CourseAbility.objects.values_list("course__code", "ability__external_id")) == {
        ("C-101", "S1.1"),
        ("C-102", "S1.2"),
    }


@pytest.mark.parametrize("path", ["course-abilities", "requirements"])
def test_a_chinese_headed_workbook_imports_back_in_a_background_job(
    staff_client,
    here,  # noqa: F811
    path,
    django_capture_on_commit_callbacks,
):
    state = _links if path == "course-abilities" else _requirements
    header = LINK_HEADER_ZH if path == "course-abilities" else REQUIREMENT_HEADER_ZH
    before = state()
    exported = _in_chinese(_api_export(staff_client, f"/api/v1/{path}/export/"), header)
    _elsewhere(here, same_identifier=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/api/v1/{path}/import/?background=true",
            {"file": SimpleUploadedFile("file.xlsx", _xlsx(exported))},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert state() == before
