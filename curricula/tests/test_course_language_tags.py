# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""A course's language is stored as a language tag, as CASE's `language` is one: a language's
well-known name (English, 英文, Chinese, 中文, in any case) as its tag, a value shaped as a tag as
given, anything else refused naming what is taken, at every door (the admin's form, the
catalogue import, the API). A course taught in two languages gives the main one."""

import html
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.i18n import language_tag
from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "tag"),
    [
        ("English", "en"),
        ("english", "en"),
        (" ENGLISH ", "en"),
        ("英文", "en"),
        ("英语", "en"),
        ("Chinese", "zh"),
        ("中文", "zh"),
        ("汉语", "zh"),
        ("Ｃｈｉｎｅｓｅ", "zh"),
        ("Japanese", "ja"),
        ("en", "en"),
        ("zh-Hans", "zh-Hans"),
        ("en-GB", "en-GB"),
        ("es-419", "es-419"),
        ("", ""),
    ],
)
def test_a_languages_name_is_its_tag_and_a_tag_is_kept(given, tag):
    assert language_tag(given) == tag


@pytest.mark.parametrize("given", ["双语", "Bilingual", "zh, en", "中英文", "English/Chinese"])
def test_two_languages_are_refused_asking_for_the_main_one(given):
    with pytest.raises(ValidationError) as refused:
        language_tag(given)
    assert "mainly taught in" in refused.value.messages[0]


@pytest.mark.parametrize("given", ["Klingon", "普通", "e n", "english language"])
def test_anything_else_is_refused_naming_what_is_taken(given):
    with pytest.raises(ValidationError) as refused:
        language_tag(given)
    assert "en, zh" in refused.value.messages[0]
    assert given in refused.value.messages[0]


# --- the API ---------------------------------------------------------------------------------
def test_the_api_stores_a_languages_name_as_its_tag(staff_client):
    """Observed: `"language": "中文"` was stored and exported to CASE as 中文."""
    response = staff_client.post(
        "/api/v1/courses/", {"code": "C1", "title": "Databases", "language": "中文"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "zh"
    assert Course.objects.get().language == "zh"


def test_the_api_refuses_bilingual_on_language(staff_client):
    response = staff_client.post(
        "/api/v1/courses/", {"code": "C1", "title": "Databases", "language": "双语"}, format="json"
    )
    assert response.status_code == 400
    assert "mainly taught in" in response.json()["language"][0]
    assert not Course.objects.exists()


def test_the_api_normalises_an_update_too(staff_client):
    course = CourseFactory(code="C1")
    response = staff_client.patch(
        f"/api/v1/courses/{course.pk}/", {"language": "English"}, format="json"
    )
    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.language == "en"


# --- the catalogue import --------------------------------------------------------------------
def test_the_import_stores_names_as_tags_and_refuses_others_by_line(staff_user):
    content = b"code,title,language\nC1,Databases,Chinese\nC2,Web,English\n"
    report = course_catalogue_import(content=content, file_name="c.csv", user=staff_user)
    assert report.ok, report.as_dict()
    assert dict(Course.objects.values_list("code", "language")) == {"C1": "zh", "C2": "en"}

    content = "code,title,language\nC3,Networks,zh\nC4,Algorithms,双语\n".encode()
    report = course_catalogue_import(content=content, file_name="c.csv", user=staff_user)
    assert not report.ok
    [problem] = report.as_dict()["errors"]
    assert problem["line"] == 3
    assert "mainly taught in" in problem["errors"]["language"][0]
    assert not Course.objects.filter(code__in=["C3", "C4"]).exists()


def test_import_courses_names_the_line_and_the_column(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text("code,title,language\nC1,Databases,Klingon\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_courses", str(path), stderr=err, stdout=StringIO())
    said = err.getvalue()
    assert "line 2" in said.lower()
    assert "“Klingon” is not a language" in said


# --- the admin's form ------------------------------------------------------------------------
def _admin_add(admin_client, language: str):
    return admin_client.post(
        reverse("admin:curricula_course_add"),
        {
            "code": "C1",
            "title": "Databases",
            "language": language,
            "provenance": "edit",
            "ability_links-TOTAL_FORMS": "0",
            "ability_links-INITIAL_FORMS": "0",
        },
    )


def test_the_admin_form_stores_a_languages_name_as_its_tag(admin_client):
    response = _admin_add(admin_client, "英文")
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    assert Course.objects.get().language == "en"


def test_the_admin_form_refuses_bilingual_on_the_field(admin_client):
    response = _admin_add(admin_client, "双语")
    assert response.status_code == 200
    assert "mainly taught in" in html.unescape(response.content.decode())
    assert not Course.objects.exists()
