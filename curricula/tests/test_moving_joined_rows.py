"""A row that joins records (a link: a course and an ability; a requirement: a position and an
ability) is moved by changing which it joins: one cell of the map cleared, another filled. That
takes the permissions to add and to delete such rows, at every door, as the map editor asks of
a cell it fills or clears (core.joins).

Observed: staff allowed only to change links moved one to another course through the API
(PATCH {"course": …}) and through the admin's change form, where the map refuses them both
filling an empty cell and clearing one."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from core.joins import joined_fields
from core.tests.admin_forms import change_form_data
from curricula.models import CourseAbility, ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Placement, Requirement
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

REFUSED = "may not change the"


def _staff(django_user_model, username: str, *codenames: str):
    user = django_user_model.objects.create_user(username, password="pass-12345", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor(django_user_model):
    """May change links and requirements (and courses, for their page), no more."""
    return _staff(
        django_user_model,
        "editor",
        *(
            f"{action}_{model}"
            for action in ("view", "change")
            for model in ("courseability", "requirement", "course")
        ),
    )


@pytest.fixture
def mover(django_user_model):
    """May add, change and delete links and requirements: may move them."""
    return _staff(
        django_user_model,
        "mover",
        *(
            f"{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("courseability", "requirement")
        ),
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_rows_that_join_records_are_known_by_their_unique_pairs():
    assert joined_fields(CourseAbility) == ("course", "ability")
    assert joined_fields(Requirement) == ("position", "ability")
    assert joined_fields(ProgrammeCourse) == ("programme", "course")
    assert joined_fields(Placement) == ("track", "degree_level", "position")
    assert joined_fields(Permission) == ()  # one key (content_type, codename): joins nothing


@pytest.mark.parametrize("field", ["course", "ability"])
def test_an_editor_who_may_only_change_links_may_not_move_one_through_the_api(editor, field):
    link = CourseAbilityFactory(level=level("I"))
    elsewhere = CourseFactory() if field == "course" else AbilityFactory()

    response = _api(editor).patch(
        f"/api/v1/course-abilities/{link.pk}/", {field: elsewhere.pk}, format="json"
    )

    assert response.status_code == 403, response.content
    assert REFUSED in response.json()["detail"]
    link.refresh_from_db()
    assert getattr(link, f"{field}_id") != elsewhere.pk


def test_an_editor_who_may_only_change_links_still_changes_their_level_naming_the_same_pair(
    editor,
):
    link = CourseAbilityFactory(level=level("I"))
    body = {"course": link.course_id, "ability": link.ability_id, "level": "M"}

    response = _api(editor).put(f"/api/v1/course-abilities/{link.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.level == level("M")


def test_who_may_add_and_delete_links_moves_one_through_the_api(mover):
    link = CourseAbilityFactory(level=level("I"))
    elsewhere = CourseFactory()

    response = _api(mover).patch(
        f"/api/v1/course-abilities/{link.pk}/", {"course": elsewhere.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.course_id == elsewhere.pk


def test_a_requirement_is_moved_to_another_position_only_by_who_may_add_and_delete_them(
    editor, mover
):
    requirement = RequirementFactory()
    elsewhere = PositionFactory()
    url = f"/api/v1/requirements/{requirement.pk}/"

    refused = _api(editor).patch(url, {"position": elsewhere.pk}, format="json")
    assert refused.status_code == 403, refused.content
    requirement.refresh_from_db()
    assert requirement.position_id != elsewhere.pk

    moved = _api(mover).patch(url, {"position": elsewhere.pk}, format="json")
    assert moved.status_code == 200, moved.content
    requirement.refresh_from_db()
    assert requirement.position_id == elsewhere.pk


def test_an_editor_who_may_only_change_links_may_not_move_one_in_the_admin(client, editor):
    link = CourseAbilityFactory(level=level("I"))
    elsewhere = CourseFactory()
    url = f"/admin/curricula/courseability/{link.pk}/change/"
    client.force_login(editor)
    data = change_form_data(client.get(url))

    response = client.post(url, {**data, "course": elsewhere.pk})

    assert response.status_code == 200  # the form again, saying why
    assert REFUSED in str(response.context["adminform"].form.errors["course"])
    link.refresh_from_db()
    assert link.course_id != elsewhere.pk

    changed = client.post(url, {**data, "level": level("M").pk})
    assert changed.status_code == 302
    link.refresh_from_db()
    assert link.level == level("M")


def test_who_may_add_and_delete_links_moves_one_in_the_admin(client, mover):
    link = CourseAbilityFactory(level=level("I"))
    elsewhere = CourseFactory()
    url = f"/admin/curricula/courseability/{link.pk}/change/"
    client.force_login(mover)

    response = client.post(url, {**change_form_data(client.get(url)), "course": elsewhere.pk})

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.course_id == elsewhere.pk


def test_an_editor_may_not_move_a_link_in_the_inline_of_its_course(client, editor):
    link = CourseAbilityFactory(level=level("I"))
    elsewhere = AbilityFactory()
    url = f"/admin/curricula/course/{link.course_id}/change/"
    client.force_login(editor)
    page = client.get(url)
    data = change_form_data(page)
    (formset,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is CourseAbility
    ]
    (row,) = [form for form in formset.forms if form.instance.pk == link.pk]

    response = client.post(url, {**data, row.add_prefix("ability"): elsewhere.pk})

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    link.refresh_from_db()
    assert link.ability_id != elsewhere.pk


def test_an_editor_may_not_move_a_link_back_by_reverting_it_to_an_earlier_version(
    client, editor, mover
):
    link = CourseAbilityFactory(level=level("I"))
    first_course = link.course_id
    _api(mover).patch(
        f"/api/v1/course-abilities/{link.pk}/", {"course": CourseFactory().pk}, format="json"
    )
    earlier = CourseAbility.history.filter(id=link.pk).order_by("history_id").first()
    url = f"/admin/curricula/courseability/{link.pk}/history/{earlier.history_id}/"
    client.force_login(editor)

    response = client.post(url, change_form_data(client.get(url)))

    assert response.status_code == 200
    assert REFUSED in str(response.context["adminform"].form.errors["course"])
    link.refresh_from_db()
    assert link.course_id != first_course


def test_an_editor_may_not_undo_a_move_through_the_history_api(editor, mover):
    link = CourseAbilityFactory(level=level("I"))
    first_course = link.course_id
    _api(mover).patch(
        f"/api/v1/course-abilities/{link.pk}/", {"course": CourseFactory().pk}, format="json"
    )
    move = CourseAbility.history.filter(id=link.pk).order_by("-history_id").first()
    url = f"/api/v1/history/courseability/{move.history_id}/revert/"

    refused = _api(editor).post(url)
    assert refused.status_code == 403, refused.content
    assert REFUSED in refused.json()["detail"]
    link.refresh_from_db()
    assert link.course_id != first_course

    undone = _api(mover).post(url)
    assert undone.status_code == 200, undone.content
    link.refresh_from_db()
    assert link.course_id == first_course


def test_an_editor_still_undoes_a_change_of_level_through_the_history_api(editor):
    link = CourseAbilityFactory(level=level("I"))
    link.level = level("M")
    link.save()
    change = CourseAbility.history.filter(id=link.pk).order_by("-history_id").first()

    response = _api(editor).post(f"/api/v1/history/courseability/{change.history_id}/revert/")

    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.level == level("I")
