"""Abilities an import brought without a competency area are put in one from the ability list,
many at a time ("Set competency area…", an admin action with a page choosing the area), as
staff would one ability form at a time: with history, marked as edited by staff, and with the
coverage of the programmes that use them marked stale."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import Provenance
from core.tests.admin_forms import change_form_data
from curricula.models import CoverageState, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions import services
from positions.models import Ability
from positions.signals import abilities_bulk_changed
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:positions_ability_changelist"
ACTION = "set_competency_area"


def _state(programme) -> str:
    return ProgrammeCoverage.objects.get(programme=programme).state


def _ask(client, abilities):
    """The changelist's action form, as the browser sends it, with these abilities ticked."""
    data = {"action": ACTION, "index": 0, ACTION_CHECKBOX_NAME: [a.pk for a in abilities]}
    return client.post(reverse(CHANGELIST), data)


def _apply(client, abilities, area):
    """The action's page, as the browser submits it with `area` chosen (no `index`: it is not
    the changelist's form)."""
    data = {"action": ACTION, ACTION_CHECKBOX_NAME: [a.pk for a in abilities], "apply": "1"}
    return client.post(reverse(CHANGELIST), {**data, "area": area.pk if area else ""})


@pytest.fixture
def nursing(staff_user):
    """A Moodle import's framework: abilities without an area."""
    framework = FrameworkFactory(name="Nursing competencies")
    abilities = [
        AbilityFactory(framework=framework, area=None, code=f"NUR.{n}", provenance="import")
        for n in range(1, 4)
    ]
    area = CompetencyAreaFactory(code="CARE", name="Patient care")
    return {"framework": framework, "abilities": abilities, "area": area}


def test_the_action_asks_for_the_area_before_writing_anything(client, staff_user, nursing):
    client.force_login(staff_user)
    first, second, _third = nursing["abilities"]

    page = _ask(client, [first, second])

    assert page.status_code == 200
    html = page.content.decode()
    assert "Set competency area" in html
    assert "Patient care" in html
    assert "NUR.1" in html
    assert "NUR.2" in html
    assert "NUR.3" not in html
    assert not Ability.objects.filter(area__isnull=False).exists()


def test_the_chosen_area_is_set_on_the_selected_abilities_with_history(client, staff_user, nursing):
    client.force_login(staff_user)
    first, second, third = nursing["abilities"]
    area = nursing["area"]

    response = _apply(client, [first, second], area)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(CHANGELIST))
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.area == second.area == area
    assert third.area is None
    assert first.provenance == second.provenance == Provenance.EDIT
    latest = first.history.latest()
    assert latest.area_id == area.pk
    assert latest.history_user == staff_user
    assert third.history.count() == 1
    listing = client.get(response["Location"]).content.decode()
    assert "2 abilities put in the competency area “Patient care”." in listing


def test_abilities_already_in_the_area_are_left_alone(client, staff_user, nursing):
    client.force_login(staff_user)
    first, second, _third = nursing["abilities"]
    area = nursing["area"]
    Ability.objects.filter(pk=first.pk).update(area=area)
    history_before = first.history.count()

    response = _apply(client, [first, second], area)

    first.refresh_from_db()
    assert first.history.count() == history_before
    assert first.provenance == Provenance.IMPORT
    listing = client.get(response["Location"]).content.decode()
    assert "1 ability put in the competency area “Patient care”. 1 was in it already." in listing


def test_in_chinese_the_count_already_in_follows_with_no_space(client, staff_user, nursing):
    """Chinese writes no space after 。, as the message wrote between its two sentences."""
    from django.utils import translation

    client.force_login(staff_user)
    first, second, _third = nursing["abilities"]
    area = nursing["area"]
    Ability.objects.filter(pk=first.pk).update(area=area)
    data = {"action": ACTION, ACTION_CHECKBOX_NAME: [first.pk, second.pk], "apply": "1"}
    response = client.post(
        reverse(CHANGELIST), {**data, "area": area.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    message = str(next(iter(response.wsgi_request._messages)))
    with translation.override("zh-hans"):
        already = translation.ngettext(
            "%(count)d was in it already.", "%(count)d were in it already.", 1
        ) % {"count": 1}
    assert already != "1 was in it already."
    assert message.endswith("。" + already), message


def test_select_all_sets_the_area_on_every_ability_the_list_shows(client, staff_user, nursing):
    """“Select all N abilities” of a list filtered to the framework: the others stay as they
    were."""
    client.force_login(staff_user)
    elsewhere = AbilityFactory(area=None)
    framework = nursing["framework"]
    url = reverse(CHANGELIST) + f"?framework__id__exact={framework.pk}"
    base = {"action": ACTION, "select_across": "1"}
    ticked = {ACTION_CHECKBOX_NAME: [nursing["abilities"][0].pk]}

    page = client.post(url, {**base, **ticked, "index": 0})
    assert page.status_code == 200
    assert "3 abilities" in page.content.decode()
    response = client.post(url, {**base, **ticked, "area": nursing["area"].pk, "apply": "1"})

    assert response.status_code == 302
    assert set(Ability.objects.filter(area=nursing["area"])) == set(nursing["abilities"])
    elsewhere.refresh_from_db()
    assert elsewhere.area is None


def test_no_area_chosen_is_asked_again_and_writes_nothing(client, staff_user, nursing):
    client.force_login(staff_user)

    page = _apply(client, nursing["abilities"], None)

    assert page.status_code == 200
    assert "This field is required." in page.content.decode()
    assert not Ability.objects.filter(area__isnull=False).exists()


def test_staff_who_may_only_view_abilities_cannot_set_areas(client, django_user_model, nursing):
    viewer = django_user_model.objects.create_user(
        username="viewer", password="viewer-pass-123", is_staff=True
    )
    viewer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="positions",
            codename__in=["view_ability", "view_competencyarea"],
        )
    )
    client.force_login(viewer)

    listing = client.get(reverse(CHANGELIST))
    _apply(client, nursing["abilities"], nursing["area"])

    assert listing.status_code == 200
    assert ACTION not in listing.content.decode()
    assert not Ability.objects.filter(area__isnull=False).exists()


def test_the_action_marks_stale_the_programmes_a_single_area_edit_marks(
    client, staff_user, nursing, django_capture_on_commit_callbacks
):
    """A programme targeting a position that requires a moved ability, and one teaching a course
    that builds it, have their reports marked stale; a programme using none of them keeps its
    fresh report. The same three, edited one ability form at a time, end the same way."""
    client.force_login(staff_user)
    moved, single, _untouched = nursing["abilities"]
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        RequirementFactory(position=position, ability=moved, min_level=level("M"))
        builder = CourseFactory()
        CourseAbilityFactory(course=builder, ability=moved, level=level("I"))
        requiring = ProgrammeFactory(targets=[position])
        building = ProgrammeFactory(courses=[builder])
        other_position = PositionFactory()
        RequirementFactory(position=other_position, ability=AbilityFactory())
        unrelated = ProgrammeFactory(targets=[other_position])
        single_position = PositionFactory()
        RequirementFactory(position=single_position, ability=single, min_level=level("M"))
        edited_singly = ProgrammeFactory(targets=[single_position])
    programmes = (requiring, building, unrelated, edited_singly)
    assert {_state(p) for p in programmes} == {CoverageState.FRESH}

    _apply(client, [moved], nursing["area"])
    change = reverse("admin:positions_ability_change", args=[single.pk])
    data = change_form_data(client.get(change))
    data["area"] = nursing["area"].pk
    assert client.post(change, data).status_code == 302

    assert _state(requiring) == CoverageState.STALE
    assert _state(building) == CoverageState.STALE
    assert _state(edited_singly) == CoverageState.STALE
    assert _state(unrelated) == CoverageState.FRESH


def test_the_abilities_are_set_in_one_transaction(nursing, staff_user):
    """A failure after the writes (here a receiver of the bulk signal) leaves every ability as
    it was."""

    def fail(**kwargs):
        raise RuntimeError("simulated failure after the writes")

    abilities_bulk_changed.connect(fail, dispatch_uid="test_area_action_fails")
    try:
        with pytest.raises(RuntimeError):
            services.abilities_area_set(
                ability_ids=[a.pk for a in nursing["abilities"]],
                area=nursing["area"],
                history_user=staff_user,
            )
    finally:
        abilities_bulk_changed.disconnect(dispatch_uid="test_area_action_fails")

    assert not Ability.objects.filter(area__isnull=False).exists()
    assert all(a.history.count() == 1 for a in nursing["abilities"])


def test_without_any_area_the_page_says_to_add_one_first(client, staff_user, nursing):
    client.force_login(staff_user)
    nursing["area"].delete()

    page = _ask(client, nursing["abilities"])

    html = page.content.decode()
    assert "No competency area exists yet: add one first" in html
    assert reverse("admin:positions_competencyarea_add") in html
    assert 'name="apply"' not in html
