# ruff: noqa: RUF001  (Chinese labels end in a full-width colon)
"""The framework import form's own fields are labelled in sentence case, as the admin writes the
model's (Format, Upload): observed "minimum level" and "top-level competencies as competency
areas" in lower case beside them."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _label(html: str, field: str) -> str:
    match = re.search(rf'<label[^>]*for="id_{field}"[^>]*>(.*?)</label>', html, re.S)
    assert match, field
    return re.sub(r"<[^>]+>", "", match.group(1)).strip().rstrip(":：").strip()


def test_the_import_form_labels_start_with_a_capital(admin_client):
    html = admin_client.get(reverse("admin:positions_importjob_add")).content.decode()
    assert _label(html, "format")[0].isupper()
    assert _label(html, "min_level") == "Minimum level"
    assert _label(html, "top_level_areas") == "Top-level competencies as competency areas"


def test_the_labels_are_translated(admin_client, chinese_stand_in):
    chinese_stand_in(None, "Top-level competencies as competency areas")
    html = admin_client.get(
        reverse("admin:positions_importjob_add"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert _label(html, "min_level") == "最低等级"
    assert _label(html, "top_level_areas") in (
        "顶层能力作为能力领域",
        "〈Top-level competencies as competency areas〉",
    )
