"""The Chinese admin names django-axes' section, models and fields in Chinese. Observed: the
admin index listed "Axes" with "Access attempts", "Access failures" and "Access logs", and their
lists' columns (IP Address, User Agent, Attempt Time, ...) in English: django-axes has no
Chinese catalogue, and its config no verbose_name. Its messages are marked in
core.axes_messages for the project's catalogue, and core.apps.AxesConfig names the app."""

from datetime import timedelta

import pytest
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin, IsLockedOutFilter
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from core.axes_messages import MESSAGES

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _axes_messages() -> set[str]:
    """Every lazy message of django-axes' models and admin, as the admin shows them."""
    found: list = []
    for model in (AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog):
        found += [model._meta.verbose_name, model._meta.verbose_name_plural]
        for field in model._meta.get_fields():
            found += [getattr(field, "verbose_name", None), getattr(field, "help_text", None)]
    for admin in (AccessAttemptAdmin, AccessLogAdmin, AccessFailureLogAdmin):
        found += [title for title, _options in admin.fieldsets]
    found += [
        IsLockedOutFilter.title,
        AccessAttemptAdmin.cleanup_expired_attempts.short_description,
    ]
    with translation.override(None):  # no catalogue: each message as written
        return {str(message) for message in found if isinstance(message, Promise)}


def test_each_message_of_django_axes_is_marked_for_the_projects_catalogue():
    messages = _axes_messages()
    assert {"access attempts", "IP Address", "Meta Data", "Locked Out"} <= messages
    assert messages - set(MESSAGES) == set()


def test_the_axes_app_is_named_by_a_translatable_name():
    name = apps.get_app_config("axes").verbose_name
    assert isinstance(name, Promise)
    assert str(name) == "Login attempts"


@pytest.mark.django_db
def test_the_chinese_admin_names_axes_and_its_lists_in_chinese(admin_client):
    """The section, its models and a list's columns read in Chinese (from the project's
    catalogue: the expected words are its translations, which must differ from the English)."""
    with translation.override("zh-hans"):
        expected = [
            str(apps.get_app_config("axes").verbose_name),
            str(AccessAttempt._meta.verbose_name_plural).capitalize(),
            str(AccessLog._meta.verbose_name_plural).capitalize(),
            str(AccessFailureLog._meta.verbose_name_plural).capitalize(),
        ]
        columns = [str(AccessAttempt._meta.get_field(f).verbose_name) for f in ("ip_address",)]
        columns += [str(AccessAttempt._meta.get_field("attempt_time").verbose_name)]
    assert expected[0] != "Login attempts"
    assert columns[0] != "IP Address"
    index = admin_client.get(reverse("admin:index"), **ZH).content.decode()
    for name in expected:
        assert name in index
    for english in ("Axes", "Login attempts", "Access attempts", "Access logs", "Access failures"):
        assert f">{english}<" not in index
    AccessAttempt.objects.create(
        user_agent="curl", ip_address="10.0.0.1", username="someone", http_accept="*/*",
        path_info="/login/", get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"), **ZH)
    html = changelist.content.decode()
    for column in columns:
        assert column in html
    assert "IP Address" not in html
    assert "Attempt Time" not in html
    assert ">状态<" in html  # the status column, named by no field (Django's "Status")
    assert ">Status<" not in html


@pytest.mark.django_db
def test_the_clean_up_action_removes_expired_attempts_and_says_so_in_the_pages_language(
    admin_client,
):
    """Observed: the admin's "Clean up expired attempts" answered a 500 (axes' handler reads the
    time of the request's login attempt, set only on a login); and its message, an f-string
    inside gettext, could not be translated."""
    url = reverse("admin:axes_accessattempt_changelist")

    def attempt(username, minutes_ago):
        made = AccessAttempt.objects.create(
            user_agent="curl", ip_address="10.0.0.1", username=username, http_accept="*/*",
            path_info="/login/", get_data="", post_data="", failures_since_start=1,
        )  # fmt: skip
        AccessAttempt.objects.filter(pk=made.pk).update(
            attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
        )
        return made

    old, recent = attempt("old", 60 * 24), attempt("recent", 1)
    data = {"action": "cleanup_expired_attempts", "_selected_action": [old.pk, recent.pk]}
    english = admin_client.post(url, data, follow=True)
    assert english.status_code == 200
    assert "Cleaned up 1 expired access attempt." in english.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]
    data["_selected_action"] = [recent.pk]
    chinese = admin_client.post(url, data, follow=True, **ZH).content.decode()
    assert "Cleaned up" not in chinese
    assert "清理了 0 条过期的登录尝试" in chinese
