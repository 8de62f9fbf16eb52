"""Every door that reads an uploaded CSV takes the encoding it was saved in, as Moodle's own
competency CSV import offers one: the admin's select, the API's `encoding`, the commands'
`--encoding`, and the background job each of them may start (its options carry it). Observed:
each door read UTF-8 (or UTF-16 by its mark) only, and refused Excel's plain "CSV" of Chinese
Windows (GB18030/GBK) with "Line N is not UTF-8 text", with no way to say what it is.

Doors: the course catalogue, the course-ability links and the requirements (API, admin,
commands, background jobs), a programme's map (API), the crosswalk CSV (API, admin, command,
background job) and the Moodle framework CSV (API and admin import jobs, import_framework)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from curricula.models import Course
from positions.models import Ability, AbilityRelation, Framework, ImportJob, ImportStatus
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

CATALOGUE = 'code,title,description\nC1,高等数学,"极限\n与导数"\nC2,线性代数,矩阵\n'
# Windows-1252 with a euro sign (0x80: no GB18030) on line 5, past a cell spanning lines 2-3.
EUROPEAN = 'code,title,description\nC1,Économie,"Crème\nbrûlée"\nC2,Straße,x\nC3,Prix,5 €\n'
MOODLE = Path(__file__).parents[2] / "positions" / "tests" / "fixtures" / "moodle" / "current.csv"
IMPORT_URLS = [
    "/api/v1/courses/import/",
    "/api/v1/course-abilities/import/",
    "/api/v1/requirements/import/",
]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _file(content: bytes, name: str = "catalogue.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _post(client, url: str, content: bytes, **data):
    return client.post(url, {"file": _file(content), **data}, format="multipart")


# --- The course catalogue, links and requirements: the API -------------------------------------


def test_the_api_imports_a_gb18030_catalogue_when_told_its_encoding(staff_client):
    response = _post(staff_client, IMPORT_URLS[0], CATALOGUE.encode("gb18030"), encoding="gb18030")

    assert response.status_code == 200, response.content
    assert dict(Course.objects.values_list("code", "title")) == {"C1": "高等数学", "C2": "线性代数"}
    assert Course.objects.get(code="C1").description == "极限\n与导数"


def test_the_api_reads_gbk_and_windows_1252_too(staff_client):
    gbk = _post(staff_client, IMPORT_URLS[0], CATALOGUE.encode("gbk"), encoding="gb18030")
    western = EUROPEAN.replace("5 €", "5 EUR").encode("windows-1252")
    european = _post(staff_client, IMPORT_URLS[0], western, encoding="windows-1252")

    assert (gbk.status_code, european.status_code) == (200, 200), european.content
    assert Course.objects.get(code="C2").title == "Straße"


@pytest.mark.parametrize("url", IMPORT_URLS)
def test_by_default_a_gb18030_file_is_refused_naming_the_line_and_the_encoding_to_choose(
    staff_client, url
):
    response = _post(staff_client, url, CATALOGUE.encode("gb18030"))

    assert response.status_code == 400, response.content
    [message] = response.json()["file"]
    assert message.startswith("Line 2 is not UTF-8 text; it reads as GB18030 (Chinese Windows)")
    assert not Course.objects.exists()


@pytest.mark.parametrize("url", IMPORT_URLS)
def test_an_encoding_that_does_not_fit_is_a_400_naming_the_line_and_nothing_is_written(
    staff_client, url
):
    response = _post(staff_client, url, EUROPEAN.encode("windows-1252"), encoding="gb18030")

    assert response.status_code == 400, response.content
    [message] = response.json()["file"]
    assert message.startswith("Line 5 is not GB18030 text.")
    assert not Course.objects.exists()


@pytest.mark.parametrize("url", IMPORT_URLS)
def test_an_unknown_encoding_is_a_400_on_the_encoding_field(staff_client, url):
    response = _post(staff_client, url, CATALOGUE.encode(), encoding="latin-1")

    assert response.status_code == 400, response.content
    assert "latin-1" in response.json()["encoding"][0]
    assert not Course.objects.exists()


def test_a_background_import_reads_the_encoding_chosen(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            staff_client,
            f"{IMPORT_URLS[0]}?background=true",
            CATALOGUE.encode("gb18030"),
            encoding="gb18030",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.options["encoding"] == "gb18030"
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Course.objects.get(code="C1").title == "高等数学"


def test_a_background_import_in_an_encoding_that_does_not_fit_fails_naming_the_line(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            staff_client,
            f"{IMPORT_URLS[0]}?background=true",
            EUROPEAN.encode("windows-1252"),
            encoding="gb18030",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "Line 5 is not GB18030 text." in job.report["error"]["message"]
    assert not Course.objects.exists()


# --- The commands ------------------------------------------------------------------------------


def test_import_courses_takes_an_encoding(tmp_path, capsys):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(CATALOGUE.encode("gb18030"))

    with pytest.raises(CommandError, match="it reads as GB18030"):
        call_command("import_courses", str(path))
    call_command("import_courses", str(path), "--encoding", "GB18030")

    assert Course.objects.get(code="C2").title == "线性代数"


@pytest.mark.parametrize("command", ["import_courses", "import_links", "import_requirements"])
def test_the_spreadsheet_commands_refuse_a_wrong_or_unknown_encoding(tmp_path, command):
    path = tmp_path / "file.csv"
    path.write_bytes(EUROPEAN.encode("windows-1252"))

    with pytest.raises(CommandError, match=r"Line 5 is not GB18030 text\."):
        call_command(command, str(path), "--encoding", "gb18030")
    with pytest.raises(CommandError, match="encoding"):
        call_command(command, str(path), "--encoding", "latin-1")
    assert not Course.objects.exists()


# --- The admin's catalogue import: preview, then confirm ---------------------------------------


def test_the_admin_previews_and_confirms_a_gb18030_catalogue_in_the_encoding_chosen(admin_client):
    url = reverse("admin:curricula_course_import")
    content = CATALOGUE.encode("gb18030")

    refused = admin_client.post(url, {"format": "0", "import_file": _file(content)})
    assert "it reads as GB18030 (Chinese Windows)" in refused.content.decode()

    preview = admin_client.post(
        url, {"format": "0", "import_file": _file(content), "encoding": "gb18030"}
    )
    confirm_form = preview.context["confirm_form"]
    assert confirm_form is not None, preview.content.decode()[:3000]
    assert "高等数学" in preview.content.decode()
    assert confirm_form.initial["encoding"] == "gb18030"
    response = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        {**confirm_form.initial, "resource": confirm_form.initial.get("resource") or "0"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Course.objects.get(code="C1").title == "高等数学"


def test_the_admin_refuses_an_encoding_that_does_not_fit_naming_the_line(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {
            "format": "0",
            "import_file": _file(EUROPEAN.encode("windows-1252")),
            "encoding": "gb18030",
        },
    )

    assert response.status_code == 200
    assert "Line 5 is not GB18030 text." in response.content.decode()
    assert not Course.objects.exists()


def test_the_admin_refuses_an_unknown_encoding(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": _file(CATALOGUE.encode()), "encoding": "latin-1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["encoding"]
    assert not Course.objects.exists()


def test_a_large_file_the_admin_hands_to_a_job_keeps_its_encoding(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {
                "format": "0",
                "import_file": _file(CATALOGUE.encode("gb18030")),
                "encoding": "gb18030",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert Course.objects.get(code="C2").title == "线性代数"


# --- The crosswalk CSV -------------------------------------------------------------------------

CROSSWALK = (
    "source_framework,source,relation_type,target_framework,target\n国标,G1,exactMatchOf,ESCO,S1\n"
)


@pytest.fixture
def frameworks():
    AbilityFactory(framework=FrameworkFactory(name="国标"), code="G1")
    AbilityFactory(framework=FrameworkFactory(name="ESCO"), code="S1")


def test_the_crosswalk_api_reads_the_encoding_chosen(staff_client, frameworks):
    url = "/api/v1/ability-relations/import-csv/"
    content = CROSSWALK.encode("gb18030")

    refused = _post(staff_client, url, content)
    unknown = _post(staff_client, url, content, encoding="latin-1")
    read = _post(staff_client, url, content, encoding="gb18030")

    assert refused.status_code == 400
    assert "it reads as GB18030 (Chinese Windows)" in refused.json()["file"][0]
    assert ".xlsx" not in refused.json()["file"][0]
    assert unknown.status_code == 400
    assert "encoding" in unknown.json()
    assert read.status_code == 200, read.content
    assert AbilityRelation.objects.count() == 1


def test_the_crosswalk_background_job_reads_the_encoding_chosen(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            staff_client,
            "/api/v1/ability-relations/import-csv/?background=true",
            CROSSWALK.encode("gb18030"),
            encoding="gb18030",
        )

    assert response.status_code == 202, response.content
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert AbilityRelation.objects.count() == 1


def test_the_crosswalk_admin_and_command_read_the_encoding_chosen(
    admin_client, frameworks, tmp_path
):
    url = reverse("admin:positions_abilityrelation_import_csv")
    wrong = EUROPEAN.encode("windows-1252")
    refused = admin_client.post(url, {"file": _file(wrong), "encoding": "gb18030"})
    assert "Line 5 is not GB18030 text." in refused.content.decode()

    read = admin_client.post(
        url, {"file": _file(CROSSWALK.encode("gb18030")), "encoding": "gb18030"}
    )
    assert read.status_code == 302, read.content.decode()[:2000]
    assert AbilityRelation.objects.count() == 1

    AbilityRelation.objects.all().delete()
    path = tmp_path / "crosswalk.csv"
    path.write_bytes(CROSSWALK.encode("gb18030"))
    with pytest.raises(CommandError, match="it reads as GB18030"):
        call_command("import_relations", str(path))
    call_command("import_relations", str(path), "--encoding", "gb18030")
    assert AbilityRelation.objects.count() == 1


# --- The Moodle framework CSV ------------------------------------------------------------------


def _moodle(encoding: str) -> bytes:
    text = MOODLE.read_text(encoding="utf-8").replace("Answer enquiries", "回复询盘")
    return text.encode(encoding)


def test_the_moodle_import_job_api_reads_the_encoding_chosen(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        default = staff_client.post(
            "/api/v1/imports/",
            {"file": _file(_moodle("gb18030"), "fw.csv"), "format": "moodle"},
            format="multipart",
        )
        chosen = staff_client.post(
            "/api/v1/imports/",
            {
                "file": _file(_moodle("gb18030"), "fw.csv"),
                "format": "moodle",
                "encoding": "gb18030",
            },
            format="multipart",
        )
    unknown = staff_client.post(
        "/api/v1/imports/",
        {"file": _file(_moodle("utf-8"), "fw.csv"), "format": "moodle", "encoding": "latin-1"},
        format="multipart",
    )
    not_csv = staff_client.post(
        "/api/v1/imports/",
        {"file": _file(b"{}", "fw.json"), "format": "case", "encoding": "gb18030"},
        format="multipart",
    )

    failed = ImportJob.objects.get(pk=default.json()["id"])
    assert failed.status == ImportStatus.FAILED
    assert "it reads as GB18030 (Chinese Windows)" in failed.report["error"]["message"]
    assert failed.report["error"]["where"].startswith("fw.csv line ")
    assert ImportJob.objects.get(pk=chosen.json()["id"]).status == ImportStatus.SUCCEEDED
    assert Ability.objects.filter(short_name="回复询盘").exists()
    assert unknown.status_code == 400
    assert "encoding" in unknown.json()
    assert not_csv.status_code == 400
    assert "encoding" in not_csv.json()


def test_the_moodle_import_job_admin_reads_the_encoding_chosen(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:positions_importjob_add"),
            {
                "format": "moodle",
                "upload": _file(_moodle("gb18030"), "fw.csv"),
                "encoding": "gb18030",
                "min_level": "",
            },
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.get()
    assert job.options["encoding"] == "gb18030"
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Ability.objects.filter(short_name="回复询盘").exists()


def test_import_framework_takes_an_encoding_for_a_moodle_csv(tmp_path):
    path = tmp_path / "fw.csv"
    path.write_bytes(_moodle("gb18030"))
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(EUROPEAN.encode("windows-1252"))

    with pytest.raises(CommandError, match="it reads as GB18030"):
        call_command("import_framework", str(path), "--format", "moodle")
    with pytest.raises(CommandError, match="Only a Moodle framework CSV"):
        call_command("import_framework", str(path), "--format", "esco", "--encoding", "gb18030")
    with pytest.raises(CommandError, match="encoding"):
        call_command("import_framework", str(path), "--format", "moodle", "--encoding", "latin-1")
    with pytest.raises(CommandError, match=r"wrong\.csv line 5"):
        call_command("import_framework", str(wrong), "--format", "moodle", "--encoding", "gb18030")
    assert not Framework.objects.exists()
    call_command("import_framework", str(path), "--format", "moodle", "--encoding", "gb18030")
    assert Ability.objects.filter(short_name="回复询盘").exists()


# --- A programme's map: the API and the page ---------------------------------------------------


def test_the_map_import_api_and_page_read_the_encoding_chosen(staff_client, client, staff_user):
    from curricula.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(courses=[], targets=[])
    api = f"/api/v1/programs/{programme.pk}/map/import/"
    page = reverse("curricula:programme-map-import", args=[programme.pk])
    wrong = EUROPEAN.encode("windows-1252")
    chinese = CATALOGUE.encode("gb18030")
    client.force_login(staff_user)

    assert "it reads as GB18030" in str(_post(staff_client, api, chinese).json()["file"])
    refused = _post(staff_client, api, wrong, encoding="gb18030")
    assert refused.status_code == 400, refused.content
    assert refused.json()["file"][0].startswith("Line 5 is not GB18030 text.")
    assert "encoding" in _post(staff_client, api, chinese, encoding="latin-1").json()
    shown = client.post(page, {"file": _file(wrong), "encoding": "gb18030"})
    assert "Line 5 is not GB18030 text." in shown.content.decode()
    assert 'option value="gb18030" selected' in shown.content.decode()
    read = client.post(page, {"file": _file(chinese), "encoding": "gb18030"})
    assert "not UTF-8" not in read.content.decode()
    assert "GB18030 text" not in read.content.decode()


# --- The schema --------------------------------------------------------------------------------


def test_the_openapi_schema_documents_the_encoding_of_every_csv_upload():
    from core.tests import openapi

    schema = openapi.generate()[0]
    components = schema["components"]["schemas"]

    def form(path: str) -> dict:
        body = schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
        node = body["schema"]
        if "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node["properties"]["encoding"]

    paths = [
        "/api/v1/courses/import/",
        "/api/v1/course-abilities/import/",
        "/api/v1/requirements/import/",
        "/api/v1/programs/{id}/map/import/",
        "/api/v1/ability-relations/import-csv/",
        "/api/v1/imports/",
    ]
    for path in paths:
        encoding = form(path)
        if "$ref" in encoding or "allOf" in encoding:
            ref = (encoding.get("allOf") or [encoding])[0]["$ref"]
            encoding = {**components[ref.rsplit("/", 1)[-1]], **encoding}
        assert set(encoding["enum"]) >= {"utf-8", "gb18030", "big5", "windows-1252"}, path
        assert "gb18030" in encoding["description"], path


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:curricula_course_import"),
        reverse("admin:curricula_courseability_import"),
        reverse("admin:positions_requirement_import"),
        reverse("admin:positions_abilityrelation_import_csv"),
        reverse("admin:positions_importjob_add"),
    ],
)
def test_each_admin_upload_form_offers_the_encodings(admin_client, url):
    page = admin_client.get(url).content.decode()

    assert 'name="encoding"' in page
    for value in ("utf-8", "gb18030", "big5", "windows-1252"):
        assert f'value="{value}"' in page
