"""Bad input gets a clear 4xx or an import report, and nothing is written: very long strings,
Chinese text (accepted and shown as written), HTML and script in every text field (shown as text
on every page), negative and huge ids, wrong content types, malformed JSON, broken import files.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certifications.tests.factories import CertificationFactory
from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Ability, Framework, ImportStatus, Position
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HUGE_ID = "9" * 30


def _history_rows() -> int:
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


# --- text fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/courses/", {"code": "X" * 5000, "title": "ok"}),
        ("/api/v1/courses/", {"code": "OK1", "title": "t" * 100_000}),
        ("/api/v1/positions/", {"name": "n" * 100_000}),
    ],
)
def test_overlong_strings_are_a_400_naming_the_field(staff_client, path, body):
    before = _history_rows()
    response = staff_client.post(path, body, format="json")
    assert response.status_code == 400, response.content[:300]
    (field,) = [name for name, value in body.items() if len(value) > 1000]
    assert field in response.json()
    assert _history_rows() == before


def test_a_very_long_note_on_a_link_is_kept_or_refused_never_a_500(staff_client):
    link = CourseAbilityFactory()
    response = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"note": "长" * 200_000}, format="json"
    )
    assert response.status_code in (200, 400)


def test_chinese_text_is_accepted_and_comes_back_as_written(staff_client):
    title = "跨境电子商务运营实务(第二版)"
    response = staff_client.post(
        "/api/v1/courses/", {"code": "跨境-101", "title": title}, format="json"
    )
    assert response.status_code == 201, response.content
    course = Course.objects.get(code="跨境-101")
    assert course.title == title
    assert staff_client.get(f"/api/v1/courses/{course.pk}/").json()["title"] == title
    position = PositionFactory(name="跨境电商运营专员")
    page = Client().get(f"/positions/{position.pk}/")
    assert "跨境电商运营专员" in page.content.decode()


@pytest.fixture
def scripted():
    """One of everything, with HTML and script in every text field a page shows."""
    area = CompetencyAreaFactory(name=f"Area {SCRIPT}", code=f"A{SCRIPT[:8]}")
    framework = FrameworkFactory(name=f"Framework {SCRIPT}")
    ability = AbilityFactory(
        framework=framework, area=area, text=f"Ability {SCRIPT}", short_name=SCRIPT[:60]
    )
    track = TrackFactory(name=f"Track {SCRIPT}"[:100])
    position = PositionFactory(name=f"Position {SCRIPT}", description=SCRIPT)
    PlacementFactory(position=position, track=track, title=f"Title {SCRIPT}")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    course = CourseFactory(code="S-1", title=f"Course {SCRIPT}", description=SCRIPT)
    CourseAbilityFactory(course=course, ability=ability, level=level("R"), note=SCRIPT)
    certification = CertificationFactory(name=f"Certification {SCRIPT}")
    programme = ProgrammeFactory(
        name=f"Programme {SCRIPT}",
        description=SCRIPT,
        certification=certification,
        track=track,
        courses=[course],
        targets=[position],
    )
    return {"programme": programme, "position": position}


def _pages(objects) -> list[str]:
    p, pos = objects["programme"].pk, objects["position"].pk
    return [
        "/",
        "/positions/",
        f"/positions/{pos}/",
        "/certifications/",
        "/programs/",
        f"/programs/{p}/",
        f"/programs/{p}/gaps/",
        f"/programs/{p}/decide/",
        f"/programs/{p}/chart.svg",
    ]


def test_html_and_script_are_shown_as_text_on_every_page(scripted, client, staff_user):
    for who in (None, staff_user):
        if who is not None:
            client.force_login(who)
        for url in _pages(scripted):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "<script>alert" not in body, url
            assert "<img src=x" not in body, url
    # The text itself is there, escaped.
    for url in (f"/positions/{scripted['position'].pk}/", f"/programs/{scripted['programme'].pk}/"):
        assert "&lt;script&gt;alert" in client.get(url).content.decode(), url


def test_html_in_the_api_and_csv_is_data_not_markup(scripted, api_client):
    programme = scripted["programme"]
    body = api_client.get(f"/api/v1/programs/{programme.pk}/").json()
    assert body["name"] == f"Programme {SCRIPT}"
    # JSON carries the text as it is, and says it is JSON, not HTML.
    response = api_client.get(f"/api/v1/programs/{programme.pk}/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    csv = Client().get(f"/programs/{programme.pk}/map.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["X-Content-Type-Options"] == "nosniff"


def test_a_formula_in_a_course_title_is_quoted_in_the_csv(client):
    course = CourseFactory(code="F-1", title='=HYPERLINK("http://evil.example","x")')
    programme = ProgrammeFactory(courses=[course])
    text = client.get(f"/programs/{programme.pk}/map.csv").content.decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses/-1/",
        f"/api/v1/courses/{HUGE_ID}/",
        "/api/v1/courses/1.5/",
        f"/api/v1/programs/{HUGE_ID}/coverage/",
        f"/api/v1/programs/{HUGE_ID}/map.csv",
        f"/api/v1/frameworks/{HUGE_ID}/moodle.csv",
        f"/api/v1/history/course/{HUGE_ID}/",
        f"/programs/{HUGE_ID}/",
        f"/programs/{HUGE_ID}/map.csv",
        f"/positions/{HUGE_ID}/",
        f"/positions/{HUGE_ID}/cells/1/1/",
        f"/positions/1/cells/1/{HUGE_ID}/",
        "/programs/-5/",
        "/ims/case/v1p1/CFItems/not-a-uuid",
        f"/ims/case/v1p1/CFItems/{HUGE_ID}",
    ],
)
def test_negative_malformed_and_huge_ids_are_404(staff_client, path):
    assert staff_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/course-abilities/?course=-1",
        f"/api/v1/course-abilities/?course={HUGE_ID}",
        "/api/v1/course-abilities/?course=abc",
        "/api/v1/abilities/?root=maybe",
        "/api/v1/courses/?page_size=abc",
        "/api/v1/courses/?page_size=-3",
        f"/api/v1/history/?model=course&object_id={HUGE_ID}",
    ],
)
def test_malformed_filters_are_400(staff_client, query):
    response = staff_client.get(query)
    assert response.status_code == 400, response.content
    assert response.json()


@pytest.mark.parametrize("bad_id", [-1, 0, 10**30, "abc", None, [1], {"id": 1}])
def test_bad_ids_in_a_body_are_400_and_nothing_is_written(staff_client, bad_id):
    ability = AbilityFactory()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": bad_id, "ability": ability.pk, "level": "M"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "course" in response.json()
    assert not CourseAbility.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"course": 1, "ability": 1},
        {"level": "Q"},
        {"level": ["M"]},
        {"note": {"html": SCRIPT}},
    ],
)
def test_missing_and_wrongly_typed_fields_are_400(staff_client, body):
    course, ability = CourseFactory(), AbilityFactory()
    full = {"course": course.pk, "ability": ability.pk, "level": "M", **body}
    if "level" not in body and body.get("course") == 1:
        full.pop("level")
    response = staff_client.post("/api/v1/course-abilities/", full, format="json")
    assert response.status_code == 400, response.content
    assert not CourseAbility.objects.exists()


@pytest.mark.parametrize("code", ["x" * 50_001, "R\x00", "\x00"])
def test_a_level_no_code_could_be_is_a_400_naming_it(staff_client, code):
    """A 50,000-character level was a 500 on SQLite (its LIKE refused the pattern), and "R" with
    a NUL was taken for R there (and would fail in PostgreSQL)."""
    course, ability = CourseFactory(), AbilityFactory()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": course.pk, "ability": ability.pk, "level": code},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "level" in response.json()
    assert not CourseAbility.objects.exists()


# --- content types and JSON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        ("application/xml", b"<course><code>X</code></course>"),
        ("text/plain", b"code=X"),
        ("application/yaml", b"code: X"),
    ],
)
def test_wrong_content_types_are_415(staff_client, content_type, payload):
    response = staff_client.generic("POST", "/api/v1/courses/", payload, content_type)
    assert response.status_code == 415
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        b'{"code": "X", "title": ',
        b"{'code': 'X'}",
        b'{"code": "X", "title": "t"}}',
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b'"just a string"',
        b"1e999999",
    ],
)
def test_malformed_json_is_400(staff_client, payload):
    response = staff_client.generic("POST", "/api/v1/courses/", payload, "application/json")
    assert response.status_code == 400, response.content
    assert not Course.objects.exists()


def test_malformed_json_on_every_write_endpoint_is_a_400(staff_client):
    programme = ProgrammeFactory()
    link = CourseAbilityFactory()
    for method, path in [
        ("POST", "/api/v1/course-abilities/"),
        ("PATCH", f"/api/v1/course-abilities/{link.pk}/"),
        ("PATCH", f"/api/v1/programs/{programme.pk}/"),
        ("POST", "/api/v1/requirements/"),
        ("POST", "/api/v1/positions/"),
        ("POST", f"/api/v1/programs/{programme.pk}/what-if/"),
    ]:
        response = staff_client.generic(method, path, b'{"broken": ', "application/json")
        assert response.status_code == 400, (method, path, response.status_code)


# --- import files ------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    """The same bytes on every call: the members carry a fixed date, not the clock's (the
    bytes are in the test ids, which every pytest-xdist worker must collect alike)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("format_", "name", "content"),
    [
        ("case", "empty.json", b""),
        ("case", "binary.json", bytes(range(256)) * 4),
        ("case", "wrong-shape.json", b'{"CFDocument": "not an object", "CFItems": 3}'),
        ("case", "deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("moodle", "gbk.csv", "父级ID,ID,名称\n,1,跨境\n".encode("gbk")),
        ("moodle", "no-header.csv", b"just,some,cells\n1,2,3\n"),
        ("esco", "truncated.zip", _zip({"skills_en.csv": b"conceptUri\n"})[:40]),
        ("esco", "empty.zip", _zip({})),
        ("esco", "unrelated.zip", _zip({"readme.txt": b"hello"})),
        ("onet", "garbage.zip", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_broken_import_files_get_a_failed_report_and_write_nothing(
    staff_client, settings, tmp_path, django_capture_on_commit_callbacks, format_, name, content
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile(name, content), "format": format_},
            format="multipart",
        )
    assert response.status_code in (202, 400), response.content
    if response.status_code == 202:
        job = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
        assert job["status"] == ImportStatus.FAILED, job
        assert job["report"]["error"]["message"]
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()
    assert not Position.objects.exists()


CATALOGUE = b"code,title\nTWICE1,One\n"


@pytest.mark.parametrize(
    ("path", "form", "named"),
    [
        (
            "/api/v1/courses/import/",
            {"file": [("a.csv", CATALOGUE), ("b.csv", b"code,title\nTWICE2,Two\n")]},
            "file",
        ),
        (
            "/api/v1/course-abilities/import/",
            {"file": [("a.csv", b"course,ability,level\n"), ("b.csv", b"x\n")]},
            "file",
        ),
        (
            "/api/v1/ability-relations/import-csv/",
            {"file": [("a.csv", b"source,target\n"), ("b.csv", b"x\n")]},
            "file",
        ),
        (
            "/api/v1/imports/",
            {"file": [("a.json", b"{}"), ("b.json", b"{}")], "format": "case"},
            "file",
        ),
        ("/api/v1/imports/", {"file": [("a.json", b"{}")], "format": ["case", "moodle"]}, "format"),
        (
            "/api/v1/imports/",
            {"file": [("a.json", b"{}")], "format": "case", "min_level": ["M", "I"]},
            "min_level",
        ),
    ],
    ids=["catalogue-file", "links-file", "crosswalk-file", "job-file", "job-format", "job-level"],
)
def test_an_upload_form_giving_a_part_twice_is_a_400_naming_it(
    staff_client, settings, tmp_path, path, form, named
):
    """Observed: two `file` parts imported one of them and dropped the other without a word;
    `format=case&format=moodle` started a Moodle import. A part given twice is a 400 naming it,
    as `dry_run` given both ways was."""
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    data = {
        key: (
            [SimpleUploadedFile(name, content) for name, content in value]
            if key == "file"
            else value
        )
        for key, value in form.items()
    }
    response = staff_client.post(path, data, format="multipart")
    assert response.status_code == 400, response.content
    assert "once" in str(response.json()[named])
    assert not Course.objects.exists()
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses/import/",
        "/api/v1/course-abilities/import/",
        "/api/v1/ability-relations/import-csv/",
        "/api/v1/imports/",
    ],
)
def test_an_upload_without_a_body_is_a_400(staff_client, path):
    """DRF reads a request without a body as a plain dict, not a form: the check for parts
    given twice must not take it for one (it was a 500 while it did)."""
    response = staff_client.generic("POST", path, b"", "application/octet-stream")
    assert response.status_code in (400, 415), response.content
    assert "file" in response.json() or "detail" in response.json()


@pytest.mark.parametrize("shift", [0.5, 0.25])
def test_an_id_that_is_not_a_whole_number_is_400_not_read_as_another_record(staff_client, shift):
    """An integer column reads 1.5 as 1: a link to course 1.5 was a link to course 1."""
    course, ability = CourseFactory(), AbilityFactory()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": course.pk + shift, "ability": ability.pk, "level": "M"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "course" in response.json()
    assert not CourseAbility.objects.exists()
