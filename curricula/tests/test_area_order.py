"""Competency areas keep each framework's together wherever they are listed: the paper's (and any
other area of no framework) first, then each imported framework's, each by its order and code,
abilities without an area last. A framework's top-level areas are numbered 1, 2, ... as the paper's
are, so ordering by (order, code) alone interleaved them (F7-A1 between A and B)."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

EXPECTED = ["A", "B", "C", "F7-A1", "F7-A2"]


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """A programme whose one target needs abilities in three of the paper's areas, in both
    top-level areas of an imported framework, and one ability of no area."""
    with django_capture_on_commit_callbacks(execute=True):
        imported = FrameworkFactory(name="Imported skills")
        areas = {
            # Created out of order, so neither insertion order nor ids give the answer.
            "F7-A2": CompetencyAreaFactory(
                code="F7-A2", name="Imported second", order=2, framework=imported
            ),
            "B": CompetencyAreaFactory(code="B", name="Paper second", order=2),
            "F7-A1": CompetencyAreaFactory(
                code="F7-A1", name="Imported first", order=1, framework=imported
            ),
            "A": CompetencyAreaFactory(code="A", name="Paper first", order=1),
            "C": CompetencyAreaFactory(code="C", name="Paper third", order=3),
        }
        position = PositionFactory(name="Analyst")
        course = CourseFactory(code="C1", title="Everything")
        abilities = [
            AbilityFactory(code=f"X-{code}", text=f"ability of {code}", area=area)
            for code, area in areas.items()
        ]
        abilities.append(AbilityFactory(code="X-none", text="ability of no area", area=None))
        for ability in abilities:
            RequirementFactory(position=position, ability=ability, min_level=level("R"))
            CourseAbilityFactory(course=course, ability=ability, level=level("R"))
        programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk])
    return programme


def _in_order_of_first_mention(text: str, names: list[str]) -> list[str]:
    found = {name: text.find(name) for name in names}
    assert all(at >= 0 for at in found.values()), found
    return sorted(names, key=found.__getitem__)


NAMES = ["Paper first", "Paper second", "Paper third", "Imported first", "Imported second"]


def test_the_programme_page_lists_each_frameworks_areas_together(client, programme):
    page = client.get(reverse("curricula:programme-detail", args=[programme.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    labels = re.findall(r'class="group-row__label">([^<]+)<', html)
    assert labels == [*NAMES, "No competency area"]


def test_the_position_page_groups_requirements_in_the_same_order(client, programme):
    position = programme.targets.get().position
    page = client.get(reverse("positions:detail", args=[position.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert _in_order_of_first_mention(html, NAMES) == NAMES
    assert html.find("ability of no area") > html.find("ability of F7-A2")


def test_the_api_lists_areas_and_coverage_areas_framework_by_framework(api_client, programme):
    listed = api_client.get("/api/v1/competency-areas/").json()["results"]
    assert [area["code"] for area in listed] == EXPECTED

    report = api_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    assert [area["area"]["code"] if area["area"] else None for area in report["areas"]] == [
        *EXPECTED,
        None,
    ]


def test_the_workbook_lists_areas_framework_by_framework(client, programme):
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    areas = [row[0] for row in book["Areas"].iter_rows(min_row=2, values_only=True)]
    assert areas == [*NAMES, "No competency area", "Programme"]
    mapped = [row[2] for row in book["Map"].iter_rows(min_row=3, values_only=True)]
    assert mapped == [*NAMES, "No competency area"]


def test_a_stored_report_is_served_in_the_current_order(api_client, programme):
    """Renumbering an area leaves the report's inputs (and so its fingerprint) as they were, so
    the stored report is not rebuilt: the areas are put in order when served."""
    from positions.models import CompetencyArea

    CompetencyArea.objects.filter(code="C").update(order=0)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    report = api_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    assert [area["area"]["code"] if area["area"] else None for area in report["areas"]] == [
        "C",
        "A",
        "B",
        "F7-A1",
        "F7-A2",
        None,
    ]


def test_look_at_these_first_names_tied_areas_in_the_current_order(
    client, programme, django_capture_on_commit_callbacks
):
    """The home page's weakest areas: equally weak ones in the areas' order, even when the
    stored report was computed before an area was renumbered."""
    from curricula.models import CourseAbility
    from positions.models import CompetencyArea

    with django_capture_on_commit_callbacks(execute=True):
        CourseAbility.objects.all().delete()
    coverage_recompute(programme_ids=[programme.pk], force=True)
    html = client.get("/").content.decode()
    chips = re.findall(r'class="gap-chip">[^<]*?([A-Z][a-z]+ [a-z]+):', html)
    assert chips == ["Paper first", "Paper second", "Paper third"]

    CompetencyArea.objects.filter(code="F7-A1").update(framework=None, order=0)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    html = client.get("/").content.decode()
    chips = re.findall(r'class="gap-chip">[^<]*?([A-Z][a-z]+ [a-z]+):', html)
    assert chips == ["Imported first", "Paper first", "Paper second"]


def test_the_area_choices_of_the_map_and_the_decide_page_follow_the_same_order(
    client, programme, staff_client
):
    html = client.get(reverse("curricula:programme-detail", args=[programme.pk])).content.decode()
    select = html[html.index('id="area-filter"') :]
    select = select[: select.index("</select>")]
    assert re.findall(r'<option value="[1-9]\d*">([^<]+)<', select) == NAMES
    # Then the abilities of no area (`area=0`), as the comparison page offers them.
    assert re.findall(r'<option value="\d+">([^<]+)<', select)[-1] == "No competency area"

    html = staff_client.get(
        reverse("curricula:programme-decide", args=[programme.pk])
    ).content.decode()
    assert _in_order_of_first_mention(html, NAMES) == NAMES


def test_the_admin_lists_areas_and_offers_them_in_the_same_order(admin_client, programme):
    page = admin_client.get(reverse("admin:positions_competencyarea_changelist"))
    assert [area.code for area in page.context["cl"].result_list] == EXPECTED
    from positions.admin import AbilityAreaForm

    choices = [label for _pk, label in AbilityAreaForm().fields["area"].choices][1:]
    assert choices == NAMES


def test_a_case_package_defines_its_area_item_types_in_the_same_order(api_client, programme):
    """A framework's package defines an item type per area of its abilities: here two of the
    paper's (abilities moved there by an editor) and the framework's own two."""
    from positions.models import Ability, Framework

    imported = Framework.objects.get(name="Imported skills")
    Ability.objects.filter(area__isnull=False).update(framework=imported)
    package = api_client.get(f"/ims/case/v1p1/CFPackages/{imported.identifier}").json()
    types = [item["typeCode"] for item in package["CFDefinitions"]["CFItemTypes"]]
    assert [code for code in types if code in EXPECTED] == EXPECTED
