"""A request body the API cannot read is refused in the reader's language, naming where.

Observed: a Chinese client sending `{"title": "<a tab>"}` was answered "JSON 解析错误 -
unexpected control character in string: line 1 column 39 (char 38)": the JSON reader's own
English inside the Chinese message. A body of JSON `null` was answered "No data provided" (DRF's
message, which DRF does not mark for translation) in every language. The problem is now said in
the project's words, which the catalogue translates, with the line and column.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.json_problems import json_problem
from curricula.models import Course

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _expected(language: str, problem_message: str, line: int, column: int) -> str:
    with translation.override(language):
        return gettext("JSON parse error - %(problem)s (line %(line)d, column %(column)d).") % {
            "problem": json_problem(problem_message),
            "line": line,
            "column": column,
        }


@pytest.mark.parametrize(
    ("body", "reader_message", "line", "column"),
    [
        # orjson's messages for each: the parser reads with orjson.
        (b'{"code": "C\x01", "title": "T"}', "unexpected control character in string", 1, 12),
        (b'{"code": "C1",\n "title": "T",}', "trailing comma is not allowed", 2, 14),
        (b'{code: "C1"}', "unexpected character, expected a string key", 1, 2),
        (b'{"code": "C1"', "unexpected end of data", 1, 14),
        (b'{"code": "\\q"}', "invalid escaped sequence in string", 1, 11),
        (b'{"code": "C1"} {}', "unexpected content after document", 1, 16),
    ],
    ids=["control", "trailing-comma", "bare-key", "cut-short", "escape", "extra"],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_body_that_is_not_json_is_refused_in_the_readers_language_with_its_place(
    staff_client, body, reader_message, line, column, language
):
    response = staff_client.generic(
        "POST",
        "/api/v1/courses/",
        body,
        "application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail == _expected(language, reader_message, line, column)
    # The reader's own English is not passed on.
    assert reader_message not in detail
    assert not Course.objects.exists()


def test_each_problem_of_the_reader_is_named_not_the_fallback():
    fallback = json_problem("")
    for message in (
        "unexpected control character in string",
        "trailing comma is not allowed",
        "unexpected character, expected a string key",
        "unexpected end of data",
        "invalid escaped sequence in string",
        "unexpected content after document",
        "unexpected character, expected ':' after key",
        "unexpected character, expected ',' or '}'",
        "unexpected character, expected a JSON value",
        "number with leading zero is not allowed",
        "str is not valid UTF-8: surrogates not allowed",
        "no low surrogate in string",
        "UTF-8 byte order mark (BOM) is not supported",
        "Input is a zero-length, empty document",
        # Python's json module, which the CASE import reads with.
        "Expecting value",
        "Expecting property name enclosed in double quotes",
        "Expecting ',' delimiter",
        "Invalid control character at",
        "Invalid \\escape",
        "Extra data",
        "Unterminated string starting at",
        "Unexpected UTF-8 BOM (decode using utf-8-sig)",
    ):
        assert json_problem(message) != fallback, message


def test_a_body_in_a_charset_it_is_not_written_in_is_refused_in_the_readers_language(
    staff_client,
):
    """Sent as UTF-16 while an odd number of bytes: Python's codec said "'utf-16-le' codec
    can't decode byte 0x7d in position 24: truncated data"."""
    response = staff_client.generic(
        "POST",
        "/api/v1/courses/",
        b'{"code":"X5","title":"T"}',
        "application/json; charset=utf-16",
        **ZH,
    )

    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = gettext("JSON parse error - the body is not %(charset)s text.") % {
            "charset": "utf-16"
        }
    assert response.json()["detail"] == expected


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_body_of_json_null_is_refused_in_the_readers_language(staff_client, method, language):
    from curricula.tests.factories import CourseFactory

    course = CourseFactory(code="N1")
    path = "/api/v1/courses/" if method == "POST" else f"/api/v1/courses/{course.pk}/"

    response = staff_client.generic(
        method, path, b"null", "application/json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    with translation.override(language):
        expected = gettext("Send a JSON object as the body, not null.")
    assert response.json() == {"non_field_errors": [expected]}
    assert "No data provided" not in response.content.decode()
