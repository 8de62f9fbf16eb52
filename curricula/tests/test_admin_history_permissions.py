"""Observed (an administrator's pass over History, Revert and *Deleted records*):

- a version's page (simple_history's revert form) saved whatever was posted to it for whoever
  may view the history: staff allowed only to view links changed one;
- for a record deleted since, the revert's update found no row and inserted one: staff allowed
  to change links but not to add them brought one back;
- a version's address with a word for an id was a 500;
- *Restore…* needed only the permission to add, where the history API's revert of a deletion
  needs add and change (and the message saying to restore a parent first assumed so);
- *Restore…* from a page left open in another tab, once the record had been restored, edited and
  deleted again, brought it back as it was at the first deletion, the edits lost.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, level

pytestmark = pytest.mark.django_db

LINKS_DELETED = reverse("admin:curricula_courseability_deleted")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def link():
    course = CourseFactory(code="WEB101")
    return CourseAbilityFactory(course=course, ability=AbilityFactory(), level=level("R"))


def _staff(django_user_model, client, *codenames: str):
    user = django_user_model.objects.create_user("curator", password="pw-123456", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def _version_url(link_id: int, version) -> str:
    return reverse(
        "admin:curricula_courseability_simple_history", args=[link_id, version.history_id]
    )


def _revert_form(client, url: str) -> dict:
    """What the version's form posts: its fields as shown."""
    form = client.get(url).context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_staff_allowed_only_to_view_links_cannot_revert_one_by_posting_its_version(
    client, django_user_model, link
):
    version = link.history.get(history_type="+")
    link.level = level("M")
    link.save()
    # The revert form an editor would post.
    editor = django_user_model.objects.create_superuser("editor", password="pw-123456")
    client.force_login(editor)
    data = _revert_form(client, _version_url(link.pk, version))
    _staff(django_user_model, client, "view_courseability")
    page = client.get(_version_url(link.pk, version))
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert client.post(_version_url(link.pk, version), data).status_code == 403
    link.refresh_from_db()
    assert link.level.code == "M"


def test_staff_allowed_to_change_links_but_not_add_them_cannot_bring_one_back_by_reverting(
    client, django_user_model, link
):
    version = link.history.get(history_type="+")
    link_id = link.pk
    user = _staff(django_user_model, client, "view_courseability", "change_courseability")
    data = _revert_form(client, _version_url(link_id, version))
    link.delete()
    page = client.get(_version_url(link_id, version))
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert client.post(_version_url(link_id, version), data).status_code == 403
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    assert CourseAbility.history.filter(id=link_id).count() == 2  # its creation, its deletion
    # Who may restore it (add and change) may bring it back from a version, as from *Restore…*.
    user.user_permissions.add(Permission.objects.get(codename="add_courseability"))
    page = client.get(_version_url(link_id, version))
    assert 'value="Revert"' in page.content.decode()
    assert client.post(_version_url(link_id, version), data).status_code == 302
    assert CourseAbility.objects.filter(pk=link_id).exists()


def test_an_editor_still_reverts_a_link_to_a_version(admin_client, link):
    version = link.history.get(history_type="+")
    link.level = level("M")
    link.save()
    data = _revert_form(admin_client, _version_url(link.pk, version))
    assert admin_client.post(_version_url(link.pk, version), data).status_code == 302
    link.refresh_from_db()
    assert link.level.code == "R"


def test_a_version_address_naming_no_record_is_a_404(admin_client, link):
    for url in (
        f"/admin/curricula/courseability/word/history/{link.history.get().history_id}/",
        f"/admin/curricula/courseability/{link.pk}/history/word/",
    ):
        assert admin_client.get(url).status_code == 404, url
        assert admin_client.post(url, {}).status_code == 404, url


def _deletion_url(link_id: int) -> str:
    deletion = CourseAbility.history.filter(id=link_id, history_type="-").latest("history_date")
    return reverse("admin:curricula_courseability_restore", args=[deletion.history_id])


def test_who_may_add_links_but_not_change_them_may_not_restore_one(client, django_user_model, link):
    link_id = link.pk
    link.delete()
    user = _staff(django_user_model, client, "view_courseability", "add_courseability")
    url = _deletion_url(link_id)
    assert url not in client.get(LINKS_DELETED).content.decode()
    page = client.get(url).content.decode()
    assert 'value="Restore"' not in page
    assert client.post(url, {}).status_code == 403
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    user.user_permissions.add(Permission.objects.get(codename="change_courseability"))
    assert url in client.get(LINKS_DELETED).content.decode()
    assert client.post(url, {}).status_code == 302
    assert CourseAbility.objects.filter(pk=link_id).exists()


def test_a_deletion_followed_by_another_is_not_restored_from(admin_client, link):
    link_id = link.pk
    link.delete()
    first = _deletion_url(link_id)  # a tab left open on it
    assert admin_client.post(first, {}).status_code == 302
    restored = CourseAbility.objects.get(pk=link_id)
    restored.level = level("M")
    restored.save()
    restored.delete()
    page = admin_client.get(first)
    assert 'value="Restore"' not in page.content.decode()
    assert any("restore it from its latest deletion" in text for text in _messages(page))
    response = admin_client.post(first, {})
    assert response.status_code == 302
    assert response["Location"] == LINKS_DELETED
    assert any("restore it from its latest deletion" in text for text in _messages(response))
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    # Its latest deletion brings it back as it last was.
    assert admin_client.post(_deletion_url(link_id), {}).status_code == 302
    assert CourseAbility.objects.get(pk=link_id).level.code == "M"
