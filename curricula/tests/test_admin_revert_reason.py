"""A revert from the admin's history records why: it recorded the user and no reason, so the
history and the audit trail said who brought a version back but never why. The revert page asks
for an optional reason, prefilled with the version reverted to, stored as the history's change
reason."""

import pytest
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory
from positions.tests.factories import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    link = CourseAbilityFactory(level=level("I"))
    link.level = level("M")
    link.save()
    return link


def _revert_url(link) -> str:
    first = link.history.earliest("history_date")
    return reverse("admin:curricula_courseability_simple_history", args=[link.pk, first.history_id])


def test_the_revert_page_asks_for_a_reason_prefilled_with_the_version(admin_client, link):
    response = admin_client.get(_revert_url(link))
    html = response.content.decode()
    assert 'name="history_change_reason"' in html
    assert "Reverted to the version of 20" in html
    assert html.count('name="history_change_reason"') == 1


def test_the_reason_given_is_the_revert_s_change_reason(admin_client, admin_user, link):
    url = _revert_url(link)
    data = change_form_data(admin_client.get(url))
    data["history_change_reason"] = "The level was right the first time"
    assert admin_client.post(url, data).status_code == 302
    link.refresh_from_db()
    assert link.level.code == "I"
    latest = link.history.latest("history_date")
    assert latest.history_change_reason == "The level was right the first time"
    assert latest.history_user == admin_user
    # In the admin's history and the audit trail.
    history = reverse("admin:curricula_courseability_history", args=[link.pk])
    assert "The level was right the first time" in admin_client.get(history).content.decode()
    api = admin_client.get("/api/v1/history/", {"model": "courseability", "object_id": link.pk})
    assert api.json()["results"][0]["reason"] == "The level was right the first time"


def test_the_prefilled_reason_is_recorded_when_left_as_it_is(admin_client, link):
    url = _revert_url(link)
    data = change_form_data(admin_client.get(url))
    assert data["history_change_reason"].startswith("Reverted to the version of ")
    assert admin_client.post(url, data).status_code == 302
    reason = link.history.latest("history_date").history_change_reason
    assert reason == data["history_change_reason"]


def test_a_reason_past_the_column_is_a_field_error_not_a_500(admin_client, link):
    url = _revert_url(link)
    data = change_form_data(admin_client.get(url))
    data["history_change_reason"] = "x" * 101
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "history_change_reason" in response.context["adminform"].form.errors
    assert CourseAbility.objects.get(pk=link.pk).level.code == "M"
    assert 'class="errorlist' in response.content.decode()
