"""The course catalogue import is bounded like every import (core.limits, issue #15): a CSV with
too many rows and an XLSX (a zip) unpacking past the bound are refused, naming the bound."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from curricula.models import Course
from curricula.services import course_catalogue_import


@pytest.fixture
def low_bounds(settings):
    settings.IMPORT_MAX_FILE_MB = 1
    settings.IMPORT_MAX_ROWS = 100
    return settings


@pytest.mark.django_db
def test_a_course_catalogue_past_the_row_bound_is_refused(low_bounds):
    content = ("code,title\n" + "".join(f"C{n},Course {n}\n" for n in range(150))).encode()

    with pytest.raises(ValidationError) as caught:
        course_catalogue_import(content=content, file_name="courses.csv")

    assert "IMPORT_MAX_ROWS" in str(caught.value)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_catalogue_bomb_is_refused_before_unpacking(low_bounds):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", " " * (3 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        course_catalogue_import(content=buffer.getvalue(), file_name="courses.xlsx")

    assert "IMPORT_MAX_FILE_MB" in str(caught.value)
