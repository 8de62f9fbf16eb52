"""The admin lists each audited model's deleted records and restores one: once a link, a
requirement, a course, an ability or a programme was deleted (one by one or by the bulk action),
nothing in the admin found it again short of typing its history's address or the audit API's.
*Deleted records* on a changelist lists them (what each was, when, by whom, why), searchable and
paginated; *Restore…* brings one back through the project's revert rules (core.history), so a
record whose parent is gone says to restore the parent first."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Ability
from positions.tests.factories import AbilityFactory, level

pytestmark = pytest.mark.django_db

LINKS_DELETED = reverse("admin:curricula_courseability_deleted")
COURSES_DELETED = reverse("admin:curricula_course_deleted")


def _restore_url(model: str, history_id: int) -> str:
    return reverse(f"admin:curricula_{model}_restore", args=[history_id])


def _deletion(model, object_id):
    return model.history.filter(id=object_id, history_type="-").latest("history_date")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def link():
    course = CourseFactory(code="WEB101", title="Web design", title_zh="网页设计")
    ability = AbilityFactory(code="P01.1", text="Edit web pages", text_zh="编辑网页")
    return CourseAbilityFactory(course=course, ability=ability, level=level("R"))


def test_a_link_deleted_in_the_admin_is_listed_with_who_and_when(admin_client, admin_user, link):
    url = reverse("admin:curricula_courseability_delete", args=[link.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    html = admin_client.get(LINKS_DELETED).content.decode()
    assert "WEB101 → P01.1 Edit web pages [R]" in html
    assert admin_user.username in html
    history = reverse("admin:curricula_courseability_history", args=[link.pk])
    assert history in html
    assert _restore_url("courseability", _deletion(CourseAbility, link.pk).history_id) in html


def test_the_changelist_links_the_deleted_records(admin_client, link):
    html = admin_client.get(reverse("admin:curricula_courseability_changelist")).content.decode()
    assert f'href="{LINKS_DELETED}"' in html


def test_records_deleted_by_the_bulk_action_are_listed(admin_client):
    courses = [CourseFactory(code=f"BULK{n}") for n in range(3)]
    kept = CourseFactory(code="KEPT1")
    response = admin_client.post(
        reverse("admin:curricula_course_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in courses], "post": "yes"},
    )
    assert response.status_code == 302
    html = admin_client.get(COURSES_DELETED).content.decode()
    assert all(f"BULK{n}" in html for n in range(3))
    assert "KEPT1" not in html
    assert kept.code not in html
    assert "3 deleted records" in html


def test_the_list_is_searchable(admin_client):
    for code in ("WEB101", "NET202"):
        CourseFactory(code=code).delete()
    html = admin_client.get(COURSES_DELETED, {"q": "web"}).content.decode()
    assert "WEB101" in html
    assert "NET202" not in html
    html = admin_client.get(COURSES_DELETED, {"q": "nothing-like-it"}).content.decode()
    assert "No deleted record matches the search." in html


def test_restoring_brings_the_record_back_with_its_id_user_and_reason(admin_client, link):
    link_id = link.pk
    link.delete()
    deletion = _deletion(CourseAbility, link_id)
    page = admin_client.get(_restore_url("courseability", deletion.history_id))
    assert page.status_code == 200
    assert "Restored: deleted on" in page.content.decode()  # the reason, prefilled
    response = admin_client.post(
        _restore_url("courseability", deletion.history_id), {"reason": "Deleted by mistake"}
    )
    assert response.status_code == 302
    assert response["Location"] == LINKS_DELETED
    restored = CourseAbility.objects.get(pk=link_id)
    assert restored.level.code == "R"
    latest = restored.history.latest("history_date")
    assert latest.history_change_reason == "Deleted by mistake"
    assert latest.history_user.username == "admin"
    assert any("was restored" in text for text in _messages(response))
    # Back, it is no longer listed; the audit API shows the reason too.
    assert "No deleted records." in admin_client.get(LINKS_DELETED).content.decode()
    api = admin_client.get("/api/v1/history/", {"model": "courseability", "object_id": link_id})
    assert api.json()["results"][0]["reason"] == "Deleted by mistake"


def test_a_link_of_a_deleted_course_says_to_restore_the_course_first(admin_client, link):
    link_id, course_id = link.pk, link.course_id
    link.course.delete()  # takes the link with it
    deletion = _deletion(CourseAbility, link_id)
    response = admin_client.post(_restore_url("courseability", deletion.history_id), {})
    assert response.status_code == 200
    texts = _messages(response)
    assert any("restore the course first" in text for text in texts), texts
    assert any(f'<a href="{COURSES_DELETED}">Deleted courses</a>' in text for text in texts)
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    # The course first, then the link.
    course_deletion = _deletion(Course, course_id)
    response = admin_client.post(_restore_url("course", course_deletion.history_id), {})
    assert response.status_code == 302
    response = admin_client.post(_restore_url("courseability", deletion.history_id), {})
    assert response.status_code == 302
    assert CourseAbility.objects.filter(pk=link_id).exists()


def test_a_record_back_already_is_not_restored_twice(admin_client, link):
    link_id = link.pk
    link.delete()
    deletion = _deletion(CourseAbility, link_id)
    url = _restore_url("courseability", deletion.history_id)
    assert admin_client.post(url, {}).status_code == 302
    response = admin_client.post(url, {})
    assert response.status_code == 200
    assert any("exists again" in text for text in _messages(response))
    assert CourseAbility.objects.filter(pk=link_id).count() == 1


def test_restore_of_what_is_no_deletion_is_a_404(admin_client, link):
    created = link.history.get(history_type="+")
    assert admin_client.get(_restore_url("courseability", created.history_id)).status_code == 404
    assert admin_client.get(_restore_url("courseability", 10**17)).status_code == 404
    assert admin_client.get(LINKS_DELETED + "?p=nonsense").status_code == 200


def test_a_long_reason_is_refused_not_truncated_or_a_500(admin_client, link):
    link_id = link.pk
    link.delete()
    deletion = _deletion(CourseAbility, link_id)
    response = admin_client.post(
        _restore_url("courseability", deletion.history_id), {"reason": "x" * 101}
    )
    assert response.status_code == 200
    assert any("at most 100 characters" in text for text in _messages(response))
    assert not CourseAbility.objects.filter(pk=link_id).exists()


@pytest.fixture
def viewer(django_user_model, client):
    """Staff who may view links (and so their history), not add them."""
    user = django_user_model.objects.create_user("viewer", password="pw-123456", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_courseability"))
    client.force_login(user)
    return user


def test_who_may_view_the_history_lists_but_only_who_may_add_and_change_restores(
    client, viewer, link
):
    link_id = link.pk
    link.delete()
    deletion = _deletion(CourseAbility, link_id)
    html = client.get(LINKS_DELETED).content.decode()
    assert "WEB101 →" in html
    assert _restore_url("courseability", deletion.history_id) not in html
    url = _restore_url("courseability", deletion.history_id)
    assert client.post(url, {"reason": "no"}).status_code == 403
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    # Restoring needs the permissions to add links and to change them
    # (test_admin_history_permissions).
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_courseability", "change_courseability"])
    )
    assert client.post(url, {}).status_code == 302
    assert CourseAbility.objects.filter(pk=link_id).exists()


def test_staff_who_may_not_view_a_model_get_a_403(client, viewer):
    assert client.get(COURSES_DELETED).status_code == 403
    html = client.get(reverse("admin:curricula_courseability_changelist")).content.decode()
    assert LINKS_DELETED in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_reads_a_fixed_number_of_queries(admin_client):
    def delete_links(count):
        links = [
            CourseAbilityFactory(course=CourseFactory(), ability=AbilityFactory())
            for _ in range(count)
        ]
        for link in links[::2]:
            link.course.delete()  # a gone parent, named from its history
        for link in links[1::2]:
            link.delete()

    delete_links(3)
    small = _queries(admin_client, LINKS_DELETED)
    delete_links(30)
    assert _queries(admin_client, LINKS_DELETED) == small
    # Abilities named by their framework, area and parent: the same.
    Ability.objects.all().delete()
    assert _queries(admin_client, reverse("admin:positions_ability_deleted")) < 20


def test_the_deleted_list_reads_chinese_names_on_chinese_pages(admin_client, link):
    link.delete()
    html = admin_client.get(LINKS_DELETED, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "WEB101 → P01.1 编辑网页 [R]" in html


def test_every_history_admin_lists_and_searches_its_deleted_records(admin_client):
    """Every audited model's admin: its list and a search of it answer (each admin's search
    fields read on its history, a related one through a row that may be gone)."""
    from django.contrib import admin

    from core.admin import _lists_deleted

    listed = [
        model_admin for model_admin in admin.site._registry.values() if _lists_deleted(model_admin)
    ]
    assert {"courseability", "requirement", "course", "ability", "programme"} <= {
        model_admin.model._meta.model_name for model_admin in listed
    }
    for model_admin in listed:
        opts = model_admin.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")
        for query in ({}, {"q": 'web "two words" 12'}):
            response = admin_client.get(url, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 200, (url, query)
