"""A designer on a programme's page, with courses and targets, had no way from it to the
programme's own record (its courses, targets, terms and crosswalk rules): only an empty programme
linked its admin page, and a course's page has had *Edit in the admin* all along. Staff who may
change programmes get the same link in the page's head; readers and staff who may not, do not."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        RequirementFactory(position=position, ability=AbilityFactory())
        return ProgrammeFactory(courses=[CourseFactory()], targets=[position])


def _page(client, programme) -> str:
    return client.get(reverse("curricula:programme-detail", args=[programme.pk])).content.decode()


def _edit_link(programme) -> str:
    url = reverse("admin:curricula_programme_change", args=[programme.pk])
    return f'<a class="button button--quiet button--small" href="{url}">Edit in the admin</a>'


def test_staff_who_may_change_the_programme_find_its_admin_page_in_the_head(
    client, staff_user, programme
):
    client.force_login(staff_user)
    html = _page(client, programme)
    assert _edit_link(programme) in html
    head = html.split('class="page-head"', 1)[1].split("</div>", 1)[0]
    assert 'aria-label="Staff actions"' in head
    assert _edit_link(programme) in head


def test_staff_who_may_not_change_programmes_and_readers_get_no_such_link(
    client, django_user_model, programme
):
    assert _edit_link(programme) not in _page(client, programme)
    viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_programme"))
    client.force_login(viewer)
    html = _page(client, programme)
    assert "Edit in the admin" not in html
    assert 'aria-label="Staff actions"' not in html


def test_a_position_s_page_links_its_admin_page_for_staff_who_may_change_positions(
    client, staff_user, django_user_model, programme
):
    """A target position's requirements (what the gap report measures against) and its Table I
    placements are edited in the admin; its page offered staff only the suggestion review."""
    position = programme.target_positions.first()
    url = reverse("admin:positions_position_change", args=[position.pk])
    link = f'<a class="button button--quiet button--small" href="{url}">Edit in the admin</a>'
    client.force_login(staff_user)
    html = client.get(position.get_absolute_url()).content.decode()
    head = html.split('class="page-head"', 1)[1].split("</div>", 1)[0]
    assert 'aria-label="Staff actions"' in head
    assert link in head
    assert reverse("suggestions:position-review", args=[position.pk]) in head
    client.logout()
    assert url not in client.get(position.get_absolute_url()).content.decode()
    reviewer = django_user_model.objects.create_user(username="reviewer", is_staff=True)
    reviewer.user_permissions.set(Permission.objects.filter(codename="add_requirement"))
    client.force_login(reviewer)
    html = client.get(position.get_absolute_url()).content.decode()
    assert url not in html
    assert reverse("suggestions:position-review", args=[position.pk]) in html
