"""Importing the map from a matrix file in a real browser (Debian's Chromium through Playwright,
as test_map_browser.py): from the programme page's *Import map*, a file is uploaded, previewed
cell by cell, saved as one change set, and the map's status offers Undo, which reverts it."""

import pytest
from playwright.sync_api import expect

from conftest import load_by, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_programme():
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import (
        AbilityFactory,
        PositionFactory,
        RequirementFactory,
        level,
    )

    position = PositionFactory(name="Import target")
    abilities = [AbilityFactory(code=f"A{i}", area=None) for i in range(2)]
    for ability in abilities:
        RequirementFactory(position=position, ability=ability)
    courses = [CourseFactory(code=f"K{i}") for i in range(2)]
    CourseAbilityFactory(course=courses[0], ability=abilities[0], level=level("R"))
    programme = ProgrammeFactory(courses=courses, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def _links() -> set:
    from curricula.models import CourseAbility

    return set(CourseAbility.objects.values_list("course__code", "ability__code", "level__code"))


def test_upload_preview_save_and_undo(open_page, small_programme, staff_user, tmp_path):
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(small_programme.get_absolute_url())
    page.get_by_role("link", name="Import map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the map")
    # Abilities as rows, courses as columns, as a 课程支撑矩阵 is kept.
    matrix = tmp_path / "matrix.csv"
    matrix.write_text("指标点,K0,K1\nA0,掌握,\nA1,,熟悉\n", encoding="utf-8")
    page.get_by_label("Map file (CSV or XLSX)").set_input_files(str(matrix))
    page.get_by_role("button", name="Preview the import").click()
    preview = page.locator(".map-import-preview")
    expect(preview).to_contain_text("Abilities as rows, courses as columns.")
    expect(preview).to_contain_text("1 new, 1 changed, 0 cleared")
    expect(preview.locator("table.map-import-changes tbody tr")).to_have_count(2)
    before = _links()
    assert before == {("K0", "A0", "R")}  # the preview wrote nothing
    # A plain form back to the map: the Undo below is for the map's script, once it has loaded.
    load_by(page, page.get_by_role("button", name="Save 2 changes").click)
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    assert _links() == {("K0", "A0", "M"), ("K1", "A1", "R")}
    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    assert _links() == before
    assert watch.problems == []
