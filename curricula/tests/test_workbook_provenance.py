"""The workbook's Provenance sheet says where each link came from; a link accepted from a
suggestion and then edited on the map keeps its note, and the sheet says what it was before."""

import io

import openpyxl
import pytest
from django.urls import reverse

from curricula import services
from curricula.coverage.services import coverage_recompute
from curricula.selectors.maps import CellInput
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

NOTE = "Accepted suggestion (matched: medicines, administration)."


@pytest.fixture
def accepted(django_capture_on_commit_callbacks):
    """NUR201 builds P4.1 at R, accepted from a suggestion; NUR101 builds P1.1 at I (staff)."""
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory(name="Registered nurse")
        medicines = AbilityFactory(code="P4.1", text="Administer medicines safely")
        assess = AbilityFactory(code="P1.1", text="Assess patients")
        for ability in (medicines, assess):
            RequirementFactory(position=position, ability=ability)
        nur201 = CourseFactory(code="NUR201", title="Medicines management")
        nur101 = CourseFactory(code="NUR101", title="Foundations of nursing")
        CourseAbilityFactory(
            course=nur201, ability=medicines, level=level("R"), provenance="suggested", note=NOTE
        )
        CourseAbilityFactory(course=nur101, ability=assess, level=level("I"), provenance="edit")
        programme = ProgrammeFactory(courses=[nur101, nur201], targets=[position])
        coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, nur201, medicines


def _provenance(client, programme) -> dict[str, dict]:
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Provenance"]
    rows = list(sheet.iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_a_suggested_link_pasted_to_another_level_says_what_it_was_accepted_as(client, accepted):
    """Observed (a nursing programme): NUR201 and P4.1, accepted from a suggestion at R and then
    pasted to M on the map, was listed at M, "Edited by staff", beside its note "Accepted
    suggestion (matched: …)": read together, the suggestion seemed to have proposed M, or the
    note to be wrong. The note stays (it says why the link exists); the sheet says the link was
    an accepted suggestion at R before staff edited it."""
    programme, nur201, medicines = accepted
    services.programme_map_change(
        programme=programme, cells=[CellInput(nur201.pk, medicines.pk, "M")]
    )
    rows = _provenance(client, programme)
    row = rows["NUR201"]
    assert row["Level"] == "M"
    assert row["Note"] == NOTE
    assert row["Provenance"] == "Edited by staff"
    assert row["Before the staff edit"] == "Accepted suggestion, at R"
    # A link staff made has nothing before.
    assert rows["NUR101"]["Before the staff edit"] is None


def test_a_link_not_edited_since_it_was_accepted_has_nothing_before(client, accepted):
    programme, _nur201, _medicines = accepted
    row = _provenance(client, programme)["NUR201"]
    assert (row["Level"], row["Provenance"]) == ("R", "Accepted suggestion")
    assert row["Before the staff edit"] is None
