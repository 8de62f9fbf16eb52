"""A target's figures in the gap report count its essential requirements only, while its lists
show the optional ones too. Observed (a nursing programme, one target with an optional
requirement no course builds): the target read "2 covered · 2 partial · 0 missing" above a
*Missing* heading listing that requirement, and nothing said why."""

import pytest

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Importance
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


def _target_head(html: str, position) -> str:
    article = html.split(f'aria-labelledby="gaps-{position.pk}"')[1]
    return article.split("</header>")[0]


def _programme(django_capture_on_commit_callbacks, *, optional: int, suffix: str = ""):
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory(name="Registered nurse")
        taught = AbilityFactory(code=f"NC1.1{suffix}")
        RequirementFactory(position=position, ability=taught, min_level=level("R"))
        for index in range(optional):
            RequirementFactory(
                position=position,
                ability=AbilityFactory(code=f"NC2.{index + 1}{suffix}"),
                importance=Importance.OPTIONAL,
                min_level=level("R"),
            )
        course = CourseFactory(code=f"NUR101{suffix}")
        CourseAbilityFactory(course=course, ability=taught, level=level("R"))
        programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, position


def test_a_targets_figures_say_they_leave_its_optional_requirements_out(
    client, django_capture_on_commit_callbacks
):
    programme, position = _programme(django_capture_on_commit_callbacks, optional=1)
    html = client.get(programme.get_absolute_url()).content.decode()
    head = _target_head(html, position)
    assert "1 covered · 0 partial · 0 missing" in head
    assert "Essential requirements only: 1 optional requirement is listed but not counted." in head
    assert ">Missing</h4>" in html.split(f'aria-labelledby="gaps-{position.pk}"')[1]
    # The printable report says the same.
    report = client.get(f"/programs/{programme.pk}/report/").content.decode()
    assert "1 optional requirement is listed but not counted." in report

    programme, position = _programme(django_capture_on_commit_callbacks, optional=2, suffix="B")
    head = _target_head(client.get(programme.get_absolute_url()).content.decode(), position)
    assert "2 optional requirements are listed but not counted." in head


def test_a_target_without_optional_requirements_says_nothing_of_them(
    client, django_capture_on_commit_callbacks
):
    programme, position = _programme(django_capture_on_commit_callbacks, optional=0)
    head = _target_head(client.get(programme.get_absolute_url()).content.decode(), position)
    assert "1 covered · 0 partial · 0 missing" in head
    assert "optional" not in head
