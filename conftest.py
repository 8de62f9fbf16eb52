"""Fixtures shared by every app's tests.

Django is imported inside the fixtures, not here: this file is loaded for every test run, and
the suggestion engine's tests run without Django (`-p no:django`).
"""

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI says every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache: throttle counters and task progress do not leak."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield  # a run without pytest-django (-p no:django) has no Django cache to clear
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def paper(db):
    """The paper's data, loaded exactly as `manage.py load_paper` loads it."""
    from django.core.management import call_command

    call_command("load_paper", verbosity=0)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def staff_user(django_user_model):
    """A staff user holding every model permission of the project's apps."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="staff", password="staff-pass-123", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["positions", "certifications", "curricula"]
        )
    )
    return user


@pytest.fixture
def staff_without_perms(django_user_model):
    return django_user_model.objects.create_user(
        username="bare-staff", password="staff-pass-123", is_staff=True
    )


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="reader-pass-123")


@pytest.fixture
def staff_client(staff_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff_user)
    return client
