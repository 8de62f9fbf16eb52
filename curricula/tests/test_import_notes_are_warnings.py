"""Observed (trying the catalogue import as a new administrator): the preview's note of the
columns not read stood in Django's red error box (errornote), as if the file had failed; it is
imported all the same. The notes of what the import reads past or leaves out, and of what it
does that the file may not mean, are warnings: styled as the admin's warning messages are
(static/css/admin.css, .import-note), not as errors."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

TERM_COLUMN = (
    "code,title,credits,开课学期,Department\nTRY101,Web Development Basics,3,第三学期,IT\n"
)


def test_the_columns_not_read_are_noted_as_a_warning_not_an_error(admin_client):
    upload = SimpleUploadedFile("plan.csv", TERM_COLUMN.encode(), content_type="text/csv")
    page = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    ).content.decode()

    notes = re.findall(r'<p class="([^"]*)">([^<]*)', page)
    left_out = [kind for kind, text in notes if "These columns are not read" in text]
    about_terms = [kind for kind, text in notes if "terms are read only" in text]
    assert left_out == ["import-note"], notes
    assert about_terms == ["import-note"], notes
    assert "errornote" not in page


def test_the_admin_styles_the_notes_as_its_warnings():
    css = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")

    rule = re.search(r"\.import-note\s*\{([^}]*)\}", css)
    assert rule, "no .import-note rule"
    assert "--message-warning-bg" in rule.group(1)
    assert "icon-alert.svg" in rule.group(1)
