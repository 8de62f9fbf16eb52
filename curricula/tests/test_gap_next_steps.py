"""A gap no course is suggested for says what to do next, to those who may do it: add a link by
hand on the ability's row of the map, or generate suggestions on the programme's review page.
Observed: "interpret technical texts needs M" stood alone, with no hint of either."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

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
def world(django_capture_on_commit_callbacks):
    """EN101 builds TC1 to R where M is required (partial); TC2 no course builds (missing)."""
    with django_capture_on_commit_callbacks(execute=True):
        area = CompetencyAreaFactory(code="TC", name="Technical communication")
        write = AbilityFactory(area=area, code="TC1", text="write technical reports")
        interpret = AbilityFactory(area=area, code="TC2", text="interpret technical texts")
        position = PositionFactory(name="Technical writer")
        for ability in (write, interpret):
            RequirementFactory(position=position, ability=ability, min_level=level("M"))
        en101 = CourseFactory(code="EN101", title="Academic English")
        CourseAbilityFactory(course=en101, ability=write, level=level("R"))
        programme = ProgrammeFactory(courses=[en101], targets=[position])
    return {"programme": programme, "write": write, "interpret": interpret}


def _gap_item(client, programme, text: str) -> str:
    html = client.get(programme.get_absolute_url()).content.decode()
    report = re.search(r'<section id="gap-report".*?</section>', html, re.S)[0]
    return next(item for item in re.findall(r"<li>.*?</li>", report, re.S) if text in item)


def _row_url(world, ability) -> str:
    return reverse("curricula:programme-ability", args=[world["programme"].pk, ability.pk])


def test_a_missing_gap_without_suggestions_offers_staff_the_next_steps(client, staff_user, world):
    client.force_login(staff_user)
    item = _gap_item(client, world["programme"], "interpret technical texts")
    row = _row_url(world, world["interpret"])
    review = reverse("suggestions:programme-review", args=[world["programme"].pk]) + "?required=1"
    assert f'href="{row}"' in item
    assert "Add a link by hand" in item
    assert f'href="{review}"' in item
    assert "Generate suggestions" in item
    # Both are pages that work for this user, and the row page offers a level for each course.
    row_page = client.get(row)
    assert row_page.status_code == 200
    assert (
        'action="{}"'.format(reverse("curricula:programme-changes", args=[world["programme"].pk]))
        in row_page.content.decode()
    )
    review_page = client.get(review)
    assert review_page.status_code == 200
    assert 'action="{}"'.format(reverse("suggestions:generate")) in review_page.content.decode()


def test_a_partial_gap_without_suggestions_offers_the_row_too(client, staff_user, world):
    client.force_login(staff_user)
    item = _gap_item(client, world["programme"], "write technical reports")
    assert f'href="{_row_url(world, world["write"])}"' in item


@pytest.mark.parametrize("who", ["anonymous", "plain", "bare staff"])
def test_visitors_who_may_not_act_see_no_next_step(
    client, plain_user, staff_without_perms, world, who
):
    if who == "plain":
        client.force_login(plain_user)
    elif who == "bare staff":
        client.force_login(staff_without_perms)
    item = _gap_item(client, world["programme"], "interpret technical texts")
    assert "<a " not in item
    assert "Add a link by hand" not in item
    assert "Generate suggestions" not in item


def test_staff_who_may_review_but_not_edit_the_map_are_offered_only_to_generate(
    client, staff_without_perms, world
):
    """Adding links without the map's change permission would only be refused on the row page:
    such staff are offered the review page alone."""
    staff_without_perms.user_permissions.add(
        Permission.objects.get(codename="add_courseability", content_type__app_label="curricula")
    )
    client.force_login(staff_without_perms)
    item = _gap_item(client, world["programme"], "interpret technical texts")
    assert _row_url(world, world["interpret"]) not in item
    assert reverse("suggestions:programme-review", args=[world["programme"].pk]) in item
