"""A CASE course catalogue is refused with every independent problem of its courses at once,
each at its CFItems index, at every door (the command, the admin's import job, the API's), as
a CSV or XLSX catalogue lists every line's problem. Observed: the catalogue reader stopped at
its first problem (a course without its code), so a catalogue with three was mended in three
runs; and an item refused by the package's own checks (no fullStatement) hid the courses'."""

import json
from html import unescape
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from curricula.case import identifiers
from curricula.models import Course
from positions.importers import framework_import
from positions.models import ImportStatus

pytestmark = pytest.mark.django_db


def _course(n: int, **values) -> dict:
    return {
        "identifier": f"c0000000-0000-4000-8000-00000000000{n}",
        "fullStatement": f"Course {n}",
        **values,
    }


CATALOGUE = {
    "CFDocument": {
        "identifier": str(identifiers.course_catalogue_identifier()),
        "title": "Course catalogue",
    },
    "CFItems": [
        _course(0, humanCodingScheme="K1"),
        _course(1),  # CFItems[1]: no code
        _course(2, humanCodingScheme="K" * 33),  # CFItems[2]: too long
        _course(3, humanCodingScheme="k1"),  # CFItems[3]: K1 again
        _course(4, humanCodingScheme="K4", fullStatement=""),  # CFItems[4]: no fullStatement
        _course(5, humanCodingScheme="  "),  # CFItems[5]: a blank code
    ],
}
EXPECTED = [
    ("CFItems[1]", "a course needs its code in humanCodingScheme"),
    ("CFItems[2]", f"the course code {'K' * 33} is longer than 32 characters"),
    ("CFItems[3]", "the course code k1 is given to two courses"),
    ("CFItems[4]", "a CFItem needs a fullStatement"),
    ("CFItems[5]", "a course needs its code in humanCodingScheme"),
]


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _content() -> bytes:
    return json.dumps(CATALOGUE).encode()


def _assert_every_problem(error: dict) -> None:
    assert [(p["where"], p["message"]) for p in error.get("problems") or []] == EXPECTED, error
    assert error["problems_total"] == len(EXPECTED)


def test_every_course_s_problem_is_reported_together_and_nothing_is_written(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(_content())
    report = framework_import(path=path, format="case")

    assert not report.ok
    _assert_every_problem(report.error)
    assert not Course.objects.exists()


def test_the_command_prints_every_course_s_problem(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(_content())
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_framework",
            str(path),
            format="case",
            read_as="courses",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    lines = [line.strip() for line in str(raised.value).splitlines()]
    for where, text in EXPECTED:
        assert f"{where}: {text}" in lines, (where, lines)
    assert not Course.objects.exists()


def test_the_api_job_s_report_lists_every_course_s_problem(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("catalogue.json", _content()), "format": "case"},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    detail = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()

    assert detail["status"] == ImportStatus.FAILED
    _assert_every_problem(detail["report"]["error"])
    assert not Course.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_every_course_s_problem(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:positions_importjob_add"),
        {
            "format": "case",
            "upload": SimpleUploadedFile("catalogue.json", _content()),
            "min_level": "",
        },
        follow=True,
    )
    [message] = [
        unescape(str(m)) for m in response.context["messages"] if "catalogue.json" in str(m)
    ]
    assert "has run and failed" in message
    for where, text in EXPECTED:
        assert f"{where}: {text}" in message, (where, message)
    assert not Course.objects.exists()


def test_courses_refused_as_written_come_with_those_refused_as_read(tmp_path):
    """Observed: a course the database cannot hold (a NUL in its title, credits past five
    digits) was refused only while writing, once the codes were mended, and the first alone."""
    catalogue = {
        "CFDocument": CATALOGUE["CFDocument"],
        "CFItems": [
            _course(0, humanCodingScheme="K1", fullStatement="Course\x00 0"),
            _course(1),  # CFItems[1]: no code
            _course(2, humanCodingScheme="K2", extensions={"credits": "123456"}),
            _course(3, humanCodingScheme="K" * 33, fullStatement="Long\x00"),
        ],
    }
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"][:24]) for p in report.error["problems"]] == [
        ("CFItems[0]", "title contains a NUL cha"),
        ("CFItems[1]", "a course needs its code "),
        ("CFItems[2]", "credits: Ensure that the"),
        ("CFItems[3]", "the course code KKKKKKKK"),
    ], report.error
    assert not Course.objects.exists()


def test_a_sound_catalogue_is_written_once_with_its_warnings_once(tmp_path):
    catalogue = {
        "CFDocument": CATALOGUE["CFDocument"],
        "CFItems": [
            _course(0, humanCodingScheme="K1", extensions={"credits": "lots", "module": "M1"}),
            _course(1, humanCodingScheme="K2", fullStatement="Two\x07"),
        ],
    }
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert [w["where"] for w in report.warnings] == ["CFItems[0]", "CFItems[1]"], report.warnings
    assert sorted(Course.objects.values_list("code", "title")) == [
        ("K1", "Course 0"),
        ("K2", "Two"),
    ]
