"""A JSON body or file that starts with a UTF-8 byte order mark is read as the JSON after it.

Observed: `POST /api/v1/courses/` with a body saved by a Windows tool (PowerShell's
`Set-Content -Encoding UTF8`, Notepad before 2019) was refused "JSON parse error - a byte order
mark before the JSON … (line 1, column 1)", while a CASE package file with the same mark
imported. RFC 8259 §8.1 lets a parser ignore the mark: every door reading JSON from a client
now drops one leading mark, and refuses a second as it refuses any text before the JSON.
"""

import codecs
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.json_problems import json_problem
from curricula.models import Course
from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

BOM = codecs.BOM_UTF8
CASE_PACKAGE = Path(__file__).parents[2] / "positions/tests/fixtures/case/package_1_1.json"


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8"], ids=["bare", "utf-8"]
)
def test_an_api_body_starting_with_a_byte_order_mark_is_read(staff_client, content_type):
    response = staff_client.generic(
        "POST", "/api/v1/courses/", BOM + b'{"code": "BOM1", "title": "T"}', content_type
    )

    assert response.status_code == 201, response.content
    assert Course.objects.get().code == "BOM1"


def test_an_api_body_in_utf_16_le_keeping_its_mark_is_read(staff_client):
    """utf-16-le's codec keeps the mark as U+FEFF, which the body's text then starts with."""
    body = "\ufeff" + '{"code": "BOM2", "title": "T"}'

    response = staff_client.generic(
        "POST",
        "/api/v1/courses/",
        body.encode("utf-16-le"),
        "application/json; charset=utf-16-le",
    )

    assert response.status_code == 201, response.content
    assert Course.objects.get().code == "BOM2"


def test_an_api_patch_starting_with_a_byte_order_mark_is_read(staff_client):
    from curricula.tests.factories import CourseFactory

    course = CourseFactory(code="BOM3", title="Before")

    response = staff_client.generic(
        "PATCH", f"/api/v1/courses/{course.pk}/", BOM + b'{"title": "After"}', "application/json"
    )

    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.title == "After"


def test_a_second_byte_order_mark_is_still_refused_in_the_readers_language(staff_client):
    """One mark is the encoding's; a second is text before the JSON, refused naming where."""
    response = staff_client.generic(
        "POST",
        "/api/v1/courses/",
        BOM + BOM + b'{"code": "BOM4", "title": "T"}',
        "application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = gettext("JSON parse error - %(problem)s (line %(line)d, column %(column)d).") % {
            "problem": json_problem("UTF-8 byte order mark (BOM) is not supported"),
            "line": 1,
            "column": 1,
        }
    assert response.json()["detail"] == expected
    assert not Course.objects.exists()


def test_a_case_package_starting_with_a_byte_order_mark_imports_as_without(tmp_path):
    """The file doors read the same JSON as the API: the mark dropped, the rest unchanged."""
    path = tmp_path / "package.json"
    path.write_bytes(BOM + CASE_PACKAGE.read_bytes())

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert Framework.objects.get().name == "Cross-border e-commerce skills"
