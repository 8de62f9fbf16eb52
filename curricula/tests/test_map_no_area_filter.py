"""The map's area filter offers the abilities of no competency area, as the comparison's does:
Moodle, CASE and O*NET frameworks arrive without areas, so in a university's own programme they
may be most of the map's rows."""

import csv
import io

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.selectors.maps import MapFilters
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    area = CompetencyAreaFactory(name="Audit and assurance")
    in_area = AbilityFactory(code="GA3.1", text="Plan an audit engagement", area=area)
    no_area = AbilityFactory(code="Z2.1", text="能够计算增值税并完成纳税申报", area=None)
    position = PositionFactory(name="Tax specialist")
    RequirementFactory(position=position, ability=in_area)
    RequirementFactory(position=position, ability=no_area)
    course = CourseFactory(code="ACC330", title="Tax Law")
    CourseAbilityFactory(course=course, ability=no_area, level=level("R"))
    programme = ProgrammeFactory(
        certification=None, own_degree_level="bachelor", courses=[course], targets=[position]
    )
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def test_the_area_filter_lists_no_competency_area_and_keeps_those_rows(client, programme):
    """Observed: a programme whose 16 required abilities held 7 of no area (a CASE framework's)
    offered every area but that one; the comparison page offers it (`area=0`)."""
    url = reverse("curricula:programme-detail", args=[programme.pk])
    page = client.get(url).content.decode()
    assert '<option value="0">No competency area</option>' in page
    filtered = client.get(url, {"area": "0"}).content.decode()
    assert '<option value="0" selected>No competency area</option>' in filtered
    assert "Showing 1 of 2 required abilities" in filtered
    assert "Z2.1" in filtered
    assert "Plan an audit engagement" not in filtered


def test_the_downloads_follow_the_no_area_filter(client, programme):
    body = client.get(
        reverse("curricula:programme-map-csv", args=[programme.pk]), {"area": "0"}
    ).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header[2:] == ["Z2.1 能够计算增值税并完成纳税申报"]


def test_area_zero_is_a_filter_kept_in_the_address():
    filters = MapFilters.from_query({"area": "0"})
    assert filters.area_id == 0
    assert filters.active
    assert filters.narrows_rows_or_columns
    assert ("area", "0") in filters.params()
    assert MapFilters.from_query({"area": "-1"}).area_id is None


def test_the_api_workbook_takes_area_zero_as_the_comparison_does(client, programme):
    """`area=0` was a 400 ("Ensure this value is greater than or equal to 1.") on the API's
    workbook, while the comparison's API and now the page take it."""
    import openpyxl

    response = client.get(f"/api/v1/programs/{programme.pk}/workbook.xlsx", {"area": "0"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = " ".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v
    )
    assert "Z2.1" in text
    assert "Plan an audit engagement" not in text
    assert "No competency area" in text  # the Summary's filters, in words
