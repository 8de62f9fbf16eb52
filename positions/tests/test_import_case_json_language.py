"""A CASE package that is not JSON is refused in the language the import was asked in.

Observed: a Chinese import job's report ended its message (JSON 格式错误) with "Expecting value"
or "Expecting property name enclosed in double quotes": Python's JSON reader's English inside
the Chinese message. The problem is said in the project's words (core.json_problems), which the
catalogue translates; the line and column say where, as before.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.json_problems import json_problem
from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "reader_message", "where"),
    [
        ('{"CFDocument": {"title": "T",}}', "Expecting property name enclosed", (1, 30)),
        ("not json at all", "Expecting value", (1, 1)),
        ('{"CFDocument": {}} {}', "Extra data", (1, 20)),
    ],
    ids=["trailing-comma", "not-json", "extra"],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_case_file_that_is_not_json_is_refused_in_the_imports_language(
    tmp_path, text, reader_message, where, language
):
    path = tmp_path / "package.json"
    path.write_text(text, encoding="utf-8")

    with translation.override(language):
        report = framework_import(path=path, format="case")
        expected = gettext("malformed JSON: %(msg)s") % {"msg": json_problem(reader_message)}
        expected_where = gettext("line %(line)d, column %(column)d") % {
            "line": where[0],
            "column": where[1],
        }

    assert not report.ok
    assert report.error["message"] == expected
    assert reader_message not in report.error["message"]
    assert report.error["where"] == expected_where
    assert not Framework.objects.exists()
