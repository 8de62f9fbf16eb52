"""The position list in the admin links the requirements import, which creates positions and
their requirements from a CSV or XLSX file: a staff user adding positions looks for it there, not
under Requirements. Shown only to who may import (the import's own permissions)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:positions_requirement_import"


def _position_list(client, user):
    client.force_login(user)
    answer = client.get(reverse("admin:positions_position_changelist"))
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_position_list_links_the_requirements_import(client, staff_user):
    page = _position_list(client, staff_user)
    assert f'href="{reverse(IMPORT_URL)}"' in page
    assert "Import positions and requirements" in page


def test_the_link_is_left_out_for_who_may_not_import(client, django_user_model):
    user = django_user_model.objects.create_user(username="viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="positions",
            codename__in=["view_position", "change_position", "view_requirement"],
        )
    )
    page = _position_list(client, user)
    assert reverse(IMPORT_URL) not in page
