"""A catalogue just imported is put in a programme from the course list, many courses at a time
("Add to a programme…", an admin action with a page choosing the programme), instead of one
autocomplete row per course on the programme's form: the programme keeps its courses and their
order, the new ones go after them, and its coverage is marked stale as after any edit."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import Provenance
from curricula.models import CoverageState, ProgrammeCourse, ProgrammeCoverage
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:curricula_course_changelist"
ACTION = "add_to_programme"


def _ask(client, courses):
    """The changelist's action form, as the browser sends it, with these courses ticked."""
    data = {"action": ACTION, "index": 0, ACTION_CHECKBOX_NAME: [c.pk for c in courses]}
    return client.post(reverse(CHANGELIST), data)


def _apply(client, courses, programme):
    """The action's page as the browser submits it, with `programme` chosen."""
    data = {"action": ACTION, ACTION_CHECKBOX_NAME: [c.pk for c in courses], "apply": "1"}
    return client.post(reverse(CHANGELIST), {**data, "programme": programme.pk})


def _codes(programme) -> list[str]:
    return list(
        ProgrammeCourse.objects.filter(programme=programme)
        .order_by("order", "pk")
        .values_list("course__code", flat=True)
    )


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks):
    """A programme teaching one course, its report fresh, and three courses a catalogue import
    just created (written and committed before the test's requests, as they would be)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _catalogue()


def _catalogue():
    programme = ProgrammeFactory(
        name="Civil Engineering (BEng)", certification=None, track=None, own_degree_level="bachelor"
    )
    taught = CourseFactory(code="MATH101", title="Advanced Mathematics")
    ProgrammeCourse.objects.create(programme=programme, course=taught, order=0)
    new = [
        CourseFactory(code="MECH202", title="Structural Mechanics"),
        CourseFactory(code="RC301", title="Design of Reinforced Concrete Structures"),
        CourseFactory(code="SURV201", title="Engineering Surveying"),
    ]
    return {"programme": programme, "taught": taught, "new": new}


def test_the_action_asks_for_the_programme_before_writing_anything(client, staff_user, catalogue):
    client.force_login(staff_user)
    first, second, _third = catalogue["new"]

    page = _ask(client, [first, second])

    assert page.status_code == 200
    html = page.content.decode()
    assert "Civil Engineering (BEng)" in html
    assert "MECH202" in html
    assert "RC301" in html
    assert "SURV201" not in html
    assert _codes(catalogue["programme"]) == ["MATH101"]


def test_the_selected_courses_join_the_programme_after_its_own(client, staff_user, catalogue):
    client.force_login(staff_user)
    programme = catalogue["programme"]
    assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.FRESH

    response = _apply(client, [*reversed(catalogue["new"]), catalogue["taught"]], programme)

    assert response.status_code == 302
    # The programme's own course keeps its place; the new ones follow in the list's order.
    assert _codes(programme) == ["MATH101", "MECH202", "RC301", "SURV201"]
    added = ProgrammeCourse.objects.filter(programme=programme).exclude(course__code="MATH101")
    assert {entry.provenance for entry in added} == {Provenance.EDIT}
    assert ProgrammeCoverage.objects.get(programme=programme).state != CoverageState.FRESH
    message = str(next(iter(response.wsgi_request._messages)))
    assert "3 courses added to the programme “Civil Engineering (BEng)”" in message
    assert "1 was in it already" in message


def test_courses_all_in_the_programme_already_change_nothing_and_say_so(
    client, staff_user, catalogue
):
    client.force_login(staff_user)

    response = _apply(client, [catalogue["taught"]], catalogue["programme"])

    assert response.status_code == 302
    assert _codes(catalogue["programme"]) == ["MATH101"]
    message = str(next(iter(response.wsgi_request._messages)))
    assert "already" in message


def test_the_action_is_offered_only_to_who_may_change_programmes(
    client, django_user_model, catalogue
):
    user = django_user_model.objects.create_user(
        username="catalogue-editor", password="x-long-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="curricula", codename__in=["view_course", "change_course"]
        )
    )
    client.force_login(user)

    listing = client.get(reverse(CHANGELIST))
    assert ACTION not in listing.content.decode()

    _apply(client, catalogue["new"], catalogue["programme"])
    assert _codes(catalogue["programme"]) == ["MATH101"]


def test_the_action_takes_the_permission_to_add_a_programmes_courses(
    client, django_user_model, catalogue
):
    """Observed: an account that may change programmes but not add their courses (the API
    refuses it a programme's new courses: "it lacks curricula.add_programmecourse", and the
    programme's form offers it no course row to add) was offered the action and put courses in
    a programme with it. The action takes the permission each course row it adds needs."""
    user = django_user_model.objects.create_user(
        username="programme-editor", password="x-long-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="curricula",
            codename__in=["view_course", "view_programme", "change_programme"],
        )
    )
    client.force_login(user)

    listing = client.get(reverse(CHANGELIST))
    assert ACTION not in listing.content.decode()

    _apply(client, catalogue["new"], catalogue["programme"])
    assert _codes(catalogue["programme"]) == ["MATH101"]

    user.user_permissions.add(Permission.objects.get(codename="add_programmecourse"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached on the instance
    client.force_login(user)
    assert ACTION in client.get(reverse(CHANGELIST)).content.decode()
    _apply(client, catalogue["new"], catalogue["programme"])
    assert _codes(catalogue["programme"]) == ["MATH101", "MECH202", "RC301", "SURV201"]


def test_with_no_programme_yet_the_page_says_where_to_add_one(client, staff_user):
    client.force_login(staff_user)
    course = CourseFactory(code="GEO201")

    page = _ask(client, [course])

    assert page.status_code == 200
    html = page.content.decode()
    assert "No programme exists yet" in html
    assert reverse("admin:curricula_programme_add") in html


def test_the_next_step_after_an_import_names_the_action_only_to_who_may_use_it(
    rf, django_user_model, catalogue
):
    """The message after a catalogue import told an account that may change programmes but not
    add their courses to choose "Add to a programme…", which its course list does not offer."""
    from curricula.admin import _programme_next_step

    user = django_user_model.objects.create_user(
        username="importer", password="x-long-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="curricula",
            codename__in=["view_course", "add_course", "change_course", "change_programme"],
        )
    )
    request = rf.get("/")
    request.user = user
    assert "Add to a programme" not in _programme_next_step(request)

    user.user_permissions.add(Permission.objects.get(codename="add_programmecourse"))
    request.user = django_user_model.objects.get(pk=user.pk)
    assert "Add to a programme" in _programme_next_step(request)


def test_in_chinese_the_count_already_in_follows_with_no_space(client, staff_user, catalogue):
    """Chinese writes no space after 。: the message read "已将 3 门课程加入培养方案“…”。 1 门
    已在其中。"."""
    from django.utils import translation

    client.force_login(staff_user)
    programme = catalogue["programme"]
    courses = [*catalogue["new"], catalogue["taught"]]
    data = {"action": ACTION, ACTION_CHECKBOX_NAME: [c.pk for c in courses], "apply": "1"}
    response = client.post(
        reverse(CHANGELIST), {**data, "programme": programme.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    message = str(next(iter(response.wsgi_request._messages)))
    with translation.override("zh-hans"):
        already = translation.ngettext(
            "%(count)d was in it already.", "%(count)d were in it already.", 1
        ) % {"count": 1}
    assert already != "1 was in it already."
    assert message.endswith("。" + already), message
