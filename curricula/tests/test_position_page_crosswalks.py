"""The position page counts crosswalks as the programme map and the stored report do: a
requirement reached only through an exact match is covered in a programme's column (and its cell
panel says through what) iff the programme's rule set counts exact matches, and a programme that
reaches the position's requirements only through a crosswalk it counts is one of the page's
columns. The page's queries do not grow with the number of programmes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.tests.factories import CertificationFactory
from curricula.coverage.selectors import coverage_report_detail
from curricula.models import CrosswalkChildren
from curricula.selectors import positions as position_selectors
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

pytestmark = pytest.mark.django_db

VIA_TEXT = "covered via C1 → ESCO ‘manage online marketing’ (exact match), at M"  # noqa: RUF001


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Marketer requires CBE.7 at M, which no course builds itself: C1 builds its exact match
    S1.2 at M. Three programmes teach C1: `counting` (the default rule set, exact matches count)
    and `direct_only` (no crosswalk counts) target Marketer; `elsewhere` counts exact matches
    and targets nothing. All under one certification and track: programmes sort by their
    certification's name before their own, and each factory-made one's ("Certification 99",
    "Certification 100") sorted by the factory's count, not by the programmes' order."""
    with django_capture_on_commit_callbacks(execute=True):
        shared = {"certification": CertificationFactory(), "track": TrackFactory()}
        cbe, esco = FrameworkFactory(name="CBE"), FrameworkFactory(name="ESCO")
        required = AbilityFactory(framework=cbe, code="CBE.7", text="Run online promotions")
        other = AbilityFactory(framework=esco, code="S1.2", text="manage online marketing")
        AbilityRelation.objects.create(
            framework=cbe, source=required, target=other, relation_type=RelationType.EXACT_MATCH_OF
        )
        position = PositionFactory(name="Marketer")
        RequirementFactory(position=position, ability=required, min_level=level("M"))
        course = CourseFactory(code="C1", title="Digital marketing")
        CourseAbilityFactory(course=course, ability=other, level=level("M"))
        counting = ProgrammeFactory(
            name="A counting", order=1, courses=[course], targets=[position], **shared
        )
        direct_only = ProgrammeFactory(
            name="B direct only",
            order=2,
            courses=[course],
            targets=[position],
            crosswalk_exact_match=False,
            **shared,
        )
        elsewhere = ProgrammeFactory(name="C elsewhere", order=3, courses=[course], **shared)
    return {
        "position": position,
        "required": required,
        "other": other,
        "counting": counting,
        "direct_only": direct_only,
        "elsewhere": elsewhere,
    }


def _stored_status(programme, position) -> str:
    report = coverage_report_detail(programme=programme)
    (block,) = [p for p in report["positions"] if p["position"]["id"] == position.pk]
    (row,) = block["requirements"]
    return row["status"]


def _cells(html: str) -> dict[str, str]:
    """Programme name: the class and content of its cell in the page's one requirement row."""
    names = re.findall(r'data-course="\d+">\s*<a href="/programs/\d+/">([^<]+)</a>', html)
    row = html[html.index('class="map-row"') :]
    cells = re.findall(r'<td class="(level-cell[^"]*)"[^>]*>(.*?)</td>', row, flags=re.S)
    return dict(zip(names, [f"{css} {content}" for css, content in cells], strict=True))


def _panel(client, world, programme) -> str:
    url = reverse("positions:cell", args=[world["position"].pk, programme.pk, world["required"].pk])
    return client.get(url, headers={"X-Map-Editor": "1"}).content.decode()


def test_the_stored_reports_follow_each_programmes_rule_set(world):
    assert _stored_status(world["counting"], world["position"]) == "covered"
    assert _stored_status(world["direct_only"], world["position"]) == "missing"


def test_the_position_page_counts_an_exact_match_iff_the_programme_does(client, world):
    html = client.get(world["position"].get_absolute_url()).content.decode()
    cells = _cells(html)
    # As the stored reports: covered at M where exact matches count, nothing where they do not.
    assert "level-cell--meets" in cells["A counting"]
    assert "shade-3" in cells["A counting"]
    assert ">M</abbr>" in cells["A counting"]
    assert "level-cell--via" in cells["A counting"]
    assert "through a crosswalk" in cells["A counting"]
    assert "shade-0" in cells["B direct only"]
    assert "not taught" in cells["B direct only"]
    assert "Reached through a crosswalk the programme counts" in html


def test_a_programme_reaching_the_position_only_through_a_crosswalk_is_a_column(client, world):
    html = client.get(world["position"].get_absolute_url()).content.decode()
    cells = _cells(html)
    assert list(cells) == ["A counting", "B direct only", "C elsewhere"]
    assert "level-cell--meets" in cells["C elsewhere"]


def test_a_programme_building_only_a_crosswalk_it_does_not_count_is_no_column(client, world):
    world["elsewhere"].crosswalk_exact_match = False
    world["elsewhere"].save()
    html = client.get(world["position"].get_absolute_url()).content.decode()
    assert "C elsewhere" not in _cells(html)


def test_the_cell_panel_explains_the_crosswalk_as_the_map_does(client, world):
    counting = _panel(client, world, world["counting"])
    assert "status-pill--covered" in counting
    assert VIA_TEXT in counting
    assert "The programme reaches Mastered." in counting
    assert "No course of the programme builds it." not in counting
    # The programme map's own row page says the same.
    row = client.get(
        reverse("curricula:programme-ability", args=[world["counting"].pk, world["required"].pk]),
        headers={"X-Map-Editor": "1"},
    ).content.decode()
    assert VIA_TEXT in row
    assert "status-pill--covered" in row

    direct_only = _panel(client, world, world["direct_only"])
    assert "status-pill--missing" in direct_only
    assert "covered via" not in direct_only
    assert "No course of the programme builds it." in direct_only


def test_the_cell_page_without_javascript_agrees(client, world):
    url = reverse(
        "positions:cell", args=[world["position"].pk, world["counting"].pk, world["required"].pk]
    )
    html = client.get(url).content.decode()
    assert "status-pill--covered" in html
    assert VIA_TEXT in html


def test_a_programme_not_targeting_the_position_is_judged_against_its_minimum(client, world):
    html = _panel(client, world, world["elsewhere"])
    assert "status-pill--covered" in html
    assert VIA_TEXT in html


def test_children_count_for_a_programme_with_the_children_rule(client, world):
    """A tree child of the required ability, built at R: under `any` the requirement is reached
    at R (partial against M); without the children rule, only the exact match counts."""
    child = AbilityFactory(parent=world["required"], code="CBE.7.1", text="Plan a promotion")
    course = CourseFactory(code="C2", title="Promotions")
    CourseAbilityFactory(course=course, ability=child, level=level("R"))
    ProgrammeFactory(
        name="D children",
        order=4,
        courses=[course],
        crosswalk_children=CrosswalkChildren.ANY,
    )
    ProgrammeFactory(name="E no children", order=5, courses=[course])
    cells = _cells(client.get(world["position"].get_absolute_url()).content.decode())
    assert "shade-2" in cells["D children"]
    assert "level-cell--meets" not in cells["D children"]
    assert "E no children" not in cells


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def _crosswalked_programmes(world, count: int, prefix: str) -> None:
    """`count` more programmes each reaching the requirement only through the exact match, half
    of them counting it, each with courses of its own."""
    for i in range(count):
        course = CourseFactory(code=f"{prefix}{i}")
        CourseAbilityFactory(course=course, ability=world["other"], level=level("R"))
        ProgrammeFactory(
            name=f"{prefix} {i:02d}",
            order=10 + i,
            courses=[course, CourseFactory()],
            targets=[world["position"]] if i % 2 else [],
            crosswalk_exact_match=bool(i % 2),
            crosswalk_related=i % 3 == 0,
        )


def test_the_position_page_queries_do_not_grow_with_programmes(
    client, world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(position_selectors, "POSITION_PAGE_COLUMNS", 4)
    url = world["position"].get_absolute_url()
    few = [_count(client, url), _count(client, url, {"cols": "all"})]
    _crosswalked_programmes(world, 12, "More")
    many = [_count(client, url), _count(client, url, {"cols": "all"})]
    assert many == few
    # The position's three queries, levels, the rule sets and their crosswalks, the columns'
    # count and page, their courses and links (one more for a children rule in use), and the
    # footer's: whether the paper is loaded.
    with django_assert_max_num_queries(11):
        client.get(url, {"cols": "all"})
    assert "More 11" in client.get(url, {"cols": "all"}).content.decode()


def test_the_cell_panel_queries_do_not_grow_with_programmes(client, world):
    url = reverse(
        "positions:cell", args=[world["position"].pk, world["counting"].pk, world["required"].pk]
    )
    few = _count(client, url)
    _crosswalked_programmes(world, 6, "More")
    assert _count(client, url) == few
