"""A programme staff have just created, with no courses or no target positions yet, is a page
they can go on from: its map and gap report said "This programme has no courses yet." and "no
target positions yet" with no way to add them (the suggestion review already linked to the
programme's admin page). Staff who may change the programme get that link; a reader does not."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def _page(client, programme) -> str:
    return client.get(reverse("curricula:programme-detail", args=[programme.pk])).content.decode()


def _admin_url(programme) -> str:
    return reverse("admin:curricula_programme_change", args=[programme.pk])


def test_staff_are_led_from_an_empty_programme_to_adding_its_courses_and_targets(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory(name="MSc Advanced Nursing Practice")
    html = _page(staff, programme)
    assert "This programme has no courses yet." in html
    assert f'<a href="{_admin_url(programme)}">Add its courses</a>' in html
    assert f'<a href="{_admin_url(programme)}">Add its target positions</a>' in html


def test_staff_are_led_from_a_programme_without_targets_to_adding_them(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory(courses=[CourseFactory(code="NUR101")])
    html = _page(staff, programme)
    assert "No target positions yet, so no required abilities to map." in html
    assert "This programme has no target positions yet." in html
    # Beside the map's empty state and the gap report's.
    assert html.count(f'<a href="{_admin_url(programme)}">Add its target positions</a>') == 2
    assert "Add its courses" not in html


def test_a_programme_with_courses_and_targets_offers_no_such_link(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        RequirementFactory(position=position, ability=AbilityFactory())
        programme = ProgrammeFactory(courses=[CourseFactory()], targets=[position])
    html = _page(staff, programme)
    assert "Add its courses" not in html
    assert "Add its target positions" not in html


def test_readers_get_the_empty_states_without_the_admin_links(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory()
    html = _page(client, programme)
    assert "This programme has no courses yet." in html
    assert "This programme has no target positions yet." in html
    assert _admin_url(programme) not in html


def test_in_chinese_the_link_follows_its_sentence_with_no_space(
    staff, django_capture_on_commit_callbacks
):
    """Chinese writes no space after 。: the page read "本培养方案还没有课程。 添加其课程"."""
    from django.utils import translation

    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory()
    url = reverse("curricula:programme-detail", args=[programme.pk])
    html = staff.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    with translation.override("zh-hans"):
        _ = translation.gettext
        for sentence, link in (
            ("This programme has no courses yet.", "Add its courses"),
            ("This programme has no target positions yet.", "Add its target positions"),
        ):
            assert f'{_(sentence)}<a href="{_admin_url(programme)}">{_(link)}</a>' in html
    # English keeps its space, as the tests above read it.
    assert f'yet. <a href="{_admin_url(programme)}">Add its courses</a>' in _page(staff, programme)
