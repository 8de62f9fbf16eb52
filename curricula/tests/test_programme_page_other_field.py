"""A nursing programme as a designer from another field builds it: its courses in no module, no
certification recorded (nurses sit a licensing exam the product does not record), and at first
no courses or no target positions. Its page draws no "No module" header over every column, does
not claim the graduates obtain no certificate, and offers no action that can do nothing."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from curricula.models import Module
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level


def _nursing(*, courses=None, targets=None, modules: bool = False):
    assessment = AbilityFactory(code="NUR.A.1", text="Perform a patient assessment")
    nurse = PositionFactory(name="Registered nurse")
    RequirementFactory(position=nurse, ability=assessment, min_level=level("M"))
    if courses is None:
        module = Module.objects.create(code="CL", name="Clinical module") if modules else None
        courses = [
            CourseFactory(code="NUR102", title="Health Assessment", module=module),
            CourseFactory(code="NUR210", title="Adult Nursing", module=None),
        ]
        CourseAbilityFactory(course=courses[0], ability=assessment, level=level("I"))
    return ProgrammeFactory(
        name="Bachelor of Nursing",
        certification=None,
        own_degree_level="bachelor",
        courses=courses,
        targets=[nurse] if targets is None else targets,
    )


def _thead(html: str) -> str:
    return re.search(r'<table class="map[^"]*" id="curriculum-map".*?</thead>', html, re.S)[0]


@pytest.mark.django_db
def test_a_map_whose_courses_have_no_module_draws_no_module_header_row(client):
    """Observed: every column of a programme without modules stood under one "No module"
    header, a row saying nothing but that the product has modules. The map's header is one row
    (no rowspan, no module colgroups), and its text does not promise columns grouped by
    module."""
    programme = _nursing()
    html = client.get(programme.get_absolute_url()).content.decode()

    head = _thead(html)
    assert "No module" not in head
    assert "module-head" not in head
    assert "rowspan" not in head
    assert head.count("<tr") == 1
    # The fixed heads and the courses' heads share that one row.
    row = re.search(r"<tr[^>]*>(.*?)</tr>", head, re.S)[1]
    assert re.findall(r'data-course="\d+"', row)
    assert "map__corner" in row
    assert head.count("<colgroup") == 0
    assert "grouped by module" not in html


@pytest.mark.django_db
def test_a_map_with_some_courses_in_a_module_keeps_its_module_header_row(client):
    programme = _nursing(modules=True)
    html = client.get(programme.get_absolute_url()).content.decode()

    head = _thead(html)
    heads = re.findall(r'class="module-head"><span class="module-head__label">([^<]*)<', head)
    assert heads == ["Clinical module", "No module"]
    assert head.count('rowspan="2"') == 3
    assert head.count("<tr") == 2
    assert "grouped by module" in html


@pytest.mark.django_db
def test_a_programme_without_a_certification_is_not_said_to_lead_to_none(client):
    """Observed: "Bachelor · no professional certificate" on a nursing programme whose graduates
    sit a licensing exam the product does not record read as a false claim. The page, the
    printed report and the workbook say only that none is recorded."""
    programme = _nursing()

    page = client.get(programme.get_absolute_url()).content.decode()
    assert "<li>Bachelor · no certification recorded</li>" in page
    report = client.get(reverse("curricula:programme-report", args=[programme.pk]))
    assert "<li>no certification recorded · Bachelor</li>" in report.content.decode()
    for html in (page, report.content.decode()):
        assert "no professional certificate" not in html

    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    summary = openpyxl.load_workbook(io.BytesIO(response.content))["Summary"]
    rows = dict(summary.iter_rows(values_only=True))
    assert rows["Certification"] == "none recorded"


def _actions(html: str) -> dict[str, bool]:
    return {
        "review": 'id="gap-review-link"' in html,
        "import map": "/map/import/" in html,
    }


@pytest.mark.django_db
def test_a_programme_without_courses_offers_no_review_of_suggested_links_nor_a_map_import(
    client, staff_user
):
    """Observed: a programme with no courses offered *Review suggested links*, whose page
    then said there was nothing to review, and *Import map*, which refuses every course a file
    names. Neither is offered until it has courses; its page says to add them."""
    programme = _nursing(courses=[])
    client.force_login(staff_user)
    html = client.get(programme.get_absolute_url()).content.decode()

    assert _actions(html) == {"review": False, "import map": False}
    assert "This programme has no courses yet." in html


@pytest.mark.django_db
def test_a_programme_without_target_positions_offers_no_map_import(client, staff_user):
    """A programme without target positions has no required abilities, the map's rows: a file
    imported would have every ability refused. Its suggested links can still be reviewed (all
    of its courses' suggestions)."""
    programme = _nursing(targets=[])
    client.force_login(staff_user)
    html = client.get(programme.get_absolute_url()).content.decode()

    assert _actions(html) == {"review": True, "import map": False}


@pytest.mark.django_db
def test_a_programme_with_courses_and_targets_offers_both(client, staff_user):
    programme = _nursing()
    client.force_login(staff_user)
    html = client.get(programme.get_absolute_url()).content.decode()

    assert _actions(html) == {"review": True, "import map": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("made", "said"),
    [
        (
            {"courses": []},
            "This programme has no courses yet, so a map file has no cells to fill: "
            "each course it names would be refused.",
        ),
        (
            {"targets": []},
            "No target positions yet, so no required abilities to map.",
        ),
    ],
)
def test_the_map_import_page_of_a_programme_without_courses_or_targets_says_why(
    client, staff_user, made, said
):
    """The map import, reached by its address, of a programme without courses or target
    positions said nothing until a file was sent, then refused each course or ability it
    named. It says up front why a file can fill nothing, and links to where to add them."""
    programme = _nursing(**made)
    client.force_login(staff_user)
    url = reverse("curricula:programme-map-import", args=[programme.pk])
    html = " ".join(client.get(url).content.decode().split())

    assert said in html
    assert reverse("admin:curricula_programme_change", args=[programme.pk]) in html


@pytest.mark.django_db
def test_the_map_import_page_of_a_programme_with_courses_and_targets_warns_of_nothing(
    client, staff_user
):
    programme = _nursing()
    client.force_login(staff_user)
    html = client.get(reverse("curricula:programme-map-import", args=[programme.pk]))
    assert 'class="notice map-import-empty"' not in html.content.decode()
