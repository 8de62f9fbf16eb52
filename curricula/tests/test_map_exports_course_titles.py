"""The map's downloads name each course as the page does: a programme of a university's own
catalogue lists its courses under no other title, so an English reader gets the course's own
title, a Chinese reader its Chinese title."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def programme():
    course = CourseFactory(code="ACC101", title="Principles of Accounting", title_zh="会计学原理")
    ability = AbilityFactory(code="GA1.2", text="Record business transactions")
    position = PositionFactory(name="Junior accountant")
    RequirementFactory(position=position, ability=ability)
    CourseAbilityFactory(course=course, ability=ability, level=level("R"))
    return ProgrammeFactory(
        certification=None, own_degree_level="bachelor", courses=[course], targets=[position]
    )


def _csv_rows(client, programme, **headers) -> list[list[str]]:
    response = client.get(reverse("curricula:programme-map-csv", args=[programme.pk]), **headers)
    body = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _map_sheet_text(client, programme, **headers) -> str:
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]), **headers)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[1]  # Summary, then the map
    return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_the_english_map_csv_gives_a_course_its_own_title_not_its_chinese_one(client, programme):
    """Observed: a catalogue imported with 课程名称 and 英文名称, put in a programme through the
    API, gave in the English *Map as CSV* `ACC101,会计学原理`, while the map above it read
    "Principles of Accounting"."""
    rows = _csv_rows(client, programme)
    assert rows[2][:2] == ["ACC101", "Principles of Accounting"]
    assert _csv_rows(client, programme, **ZH)[2][:2] == ["ACC101", "会计学原理"]


def test_the_english_workbook_map_gives_a_course_its_own_title(client, programme):
    """The workbook's map sheet heads its columns the same way."""
    english = _map_sheet_text(client, programme)
    assert "Principles of Accounting" in english
    assert "会计学原理" not in english
    assert "会计学原理" in _map_sheet_text(client, programme, **ZH)
