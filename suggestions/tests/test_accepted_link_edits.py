"""A link accepted from a suggestion, then changed by hand: the link says it was edited by staff
(provenance "edit"), whichever door the change came through, and its history keeps the
acceptance ("suggested", by the reviewer)."""

import pytest
from django.urls import reverse

from core.models import Provenance
from core.tests.admin_forms import change_form_data
from curricula import services as curricula_services
from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, RequirementFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def _accepted(user) -> CourseAbility:
    suggestion = SuggestionFactory(
        course=CourseFactory(), ability=AbilityFactory(), proposed_level=level("I")
    )
    link = services.suggestion_accept(suggestion=suggestion, user=user)
    assert link.provenance == Provenance.SUGGESTED
    return link


def _assert_edited_after_acceptance(link: CourseAbility, reviewer) -> None:
    link.refresh_from_db()
    assert link.level == level("M")
    assert link.provenance == Provenance.EDIT
    first = link.history.earliest("history_date")
    assert (first.provenance, first.history_user_id) == (Provenance.SUGGESTED, reviewer.pk)


def test_a_level_changed_through_the_api_marks_the_link_edited(staff_user, staff_client):
    link = _accepted(staff_user)
    answer = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"level": "M"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["provenance"] == Provenance.EDIT
    _assert_edited_after_acceptance(link, staff_user)


def test_a_level_changed_in_the_admin_marks_the_link_edited(admin_client, staff_user):
    link = _accepted(staff_user)
    url = reverse("admin:curricula_courseability_change", args=[link.pk])
    data = change_form_data(admin_client.get(url))
    data["level"] = level("M").pk
    assert admin_client.post(url, data).status_code == 302
    _assert_edited_after_acceptance(link, staff_user)


def test_a_level_changed_on_the_map_marks_the_link_edited(staff_user):
    link = _accepted(staff_user)
    target = RequirementFactory(ability=link.ability).position
    programme = ProgrammeFactory(courses=[link.course], targets=[target])
    curricula_services.programme_map_change(
        programme=programme,
        cells=[CellInput(course_id=link.course_id, ability_id=link.ability_id, code="M")],
        user=staff_user,
    )
    _assert_edited_after_acceptance(link, staff_user)


def test_a_requirement_accepted_then_changed_through_the_api_is_marked_edited(
    staff_user, staff_client
):
    from positions.tests.factories import PositionFactory

    suggestion = SuggestionFactory(
        course=None, position=PositionFactory(), ability=AbilityFactory(), proposed_level=level("I")
    )
    requirement = services.suggestion_accept(suggestion=suggestion, user=staff_user)
    assert requirement.provenance == Provenance.SUGGESTED
    answer = staff_client.patch(
        f"/api/v1/requirements/{requirement.pk}/", {"min_level": "M"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    requirement.refresh_from_db()
    assert (requirement.min_level, requirement.provenance) == (level("M"), Provenance.EDIT)
    first = requirement.history.earliest("history_date")
    assert (first.provenance, first.history_user_id) == (Provenance.SUGGESTED, staff_user.pk)
