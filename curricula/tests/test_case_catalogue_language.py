"""A course read from a CASE package (the course catalogue, or any package imported with
`--as courses`) has its language stored as every other door stores it (Course.clean_language):
a language's name as its tag, a bad one reported at its item and nothing written. Observed:
the catalogue import checked the course's fields alone, so an item's "language": "Klingon" or
"双语" was stored as it was, and "Chinese" was not made zh; its notes kept "\\r\\n" too."""

import json

import pytest
from django.core.management import call_command

from curricula.models import Course
from curricula.tests.case_packages import written_package
from positions.importers import framework_import

pytestmark = pytest.mark.django_db


def _package(tmp_path, **languages: str):
    items = [
        {
            "identifier": f"c0ffee00-0000-4000-8000-00000000010{n}",
            "fullStatement": f"Course {code}",
            "humanCodingScheme": code,
            "language": language,
            "notes": "First line \r\nSecond line",
        }
        for n, (code, language) in enumerate(languages.items())
    ]
    package = {
        "CFDocument": {"identifier": "c0ffee00-0000-4000-8000-000000000001", "title": "Syllabus"},
        "CFItems": items,
        "CFAssociations": [],
    }
    return written_package(tmp_path, "syllabus.json", package)


def _import(path):
    return framework_import(path=path, format="case", options={"as": "courses"})


def test_a_languages_name_is_stored_as_its_tag(tmp_path):
    report = _import(_package(tmp_path, LOG101="Chinese", LOG102="zh-Hans"))
    assert report.ok, report.error
    assert dict(Course.objects.values_list("code", "language")) == {
        "LOG101": "zh",
        "LOG102": "zh-Hans",
    }
    assert Course.objects.get(code="LOG101").description == "First line\nSecond line"
    again = _import(_package(tmp_path, LOG101="中文", LOG102="zh-Hans"))
    assert again.ok, again.error
    assert dict(again.counts["course"]) == {"unchanged": 2}


def test_a_bad_language_is_reported_at_its_item_and_nothing_is_written(tmp_path):
    report = _import(_package(tmp_path, LOG101="en", LOG102="Klingon"))
    assert not report.ok
    said = json.dumps(report.error, ensure_ascii=False)
    assert "CFItems[1]" in said
    assert "“Klingon” is not a language" in said
    assert not Course.objects.exists()


def test_the_command_reports_two_languages_without_a_traceback(tmp_path, capsys):
    with pytest.raises(Exception) as failed:  # noqa: PT011 (CommandError or SystemExit)
        call_command(
            "import_framework",
            str(_package(tmp_path, LOG101="双语")),
            "--format",
            "case",
            "--as",
            "courses",
        )
    said = str(failed.value) + capsys.readouterr().err
    assert "mainly taught in" in said
    assert not Course.objects.exists()
