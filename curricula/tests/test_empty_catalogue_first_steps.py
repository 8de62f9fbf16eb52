"""A new curriculum designer's first page on an empty catalogue. Observed in the walkthrough:
logged in with every right, the overview said only "No programmes yet. Staff add them in the
administration (Programmes, Add), or through the API.", linking nowhere, and said nothing of the
course catalogue, which the README's workflow imports first (a programme is made of courses)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:curricula_course_import")
ADD = reverse("admin:curricula_programme_add")


@pytest.mark.parametrize("path", ["/", "/programs/"])
def test_a_designer_is_led_to_import_courses_then_add_a_programme(client, staff_user, path):
    client.force_login(staff_user)
    html = client.get(path).content.decode()
    assert f'<a href="{IMPORT}">Import the course catalogue</a>' in html
    assert f'<a href="{ADD}">Add a programme</a>' in html
    assert html.index(IMPORT) < html.index(ADD)  # in the order the workflow takes them


def test_in_chinese_the_steps_are_in_chinese(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<a href="{ADD}">添加培养方案</a>' in html
    # ("Import the course catalogue" is a new message: its Chinese comes with the catalogue.)


def test_each_step_is_offered_only_to_who_may_take_it(client, django_user_model):
    user = django_user_model.objects.create_user(username="adder", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="add_programme"))
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'href="{ADD}"' in html
    assert IMPORT not in html


def test_a_reader_is_told_as_before(client):
    html = client.get("/").content.decode()
    assert "No programmes yet. Staff add them in the administration" in html
    assert ADD not in html
    assert IMPORT not in html
