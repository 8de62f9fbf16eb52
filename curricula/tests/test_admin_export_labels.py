# ruff: noqa: RUF001  (Chinese text takes full-width parentheses)
"""The admin's export page names the fields to export as the rest of the admin names them, in
the reader's language, with the column each is written under: a Chinese designer exporting the
catalogue chose among "Code", "Title", "Title Zh", "Credits" (django-import-export makes its
labels from the column names, in English, and "Title Zh" says nothing in either language)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _labels(html: str) -> list[str]:
    """The labels of the fields' boxes (the Select all box's has no "for" of a field)."""
    found = re.findall(r'<label for="id_\w+resource_\w+"[^>]*>(.*?)</label>', html, flags=re.S)
    return [" ".join(label.split()) for label in found]


def test_the_catalogue_export_names_its_fields_in_chinese_with_their_columns(admin_client):
    html = admin_client.get(reverse("admin:curricula_course_export"), **ZH).content.decode()
    labels = _labels(html)
    assert "中文标题（title_zh）" in labels
    assert "学分（credits）" in labels
    assert "学习成果（outcomes）" in labels
    assert not [label for label in labels if re.search(r"[A-Z][a-z]", label)], labels


def test_the_link_export_names_its_fields_in_chinese(admin_client):
    url = reverse("admin:curricula_courseability_export")
    labels = _labels(admin_client.get(url, **ZH).content.decode())
    assert len(labels) == 8  # the ability's URI and external identifier last
    assert not [label for label in labels if re.search(r"[A-Z][a-z]", label)], labels


def test_in_english_a_field_named_as_its_column_is_not_named_twice(admin_client):
    labels = _labels(admin_client.get(reverse("admin:curricula_course_export")).content.decode())
    assert "Code" in labels
    assert "Credits" in labels
    assert "Chinese title (title_zh)" in labels
    assert "Title Zh" not in labels
