"""Observed (trying the catalogue import as a new administrator): the import page's "This
importer will import the following fields" never listed `term`, though its form offers "Into
the programme", which reads the term column. It is listed now, saying it is read only into a
programme; not to who may not import into one (the form does not offer it)."""

import html

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

NOTE = "read only when the catalogue is imported into a programme (Into the programme)"


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


def _page(client, language: str) -> str:
    response = client.get(reverse("admin:curricula_course_import"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_english_list_names_term_and_when_it_is_read(admin_client):
    page = _page(admin_client, "en")

    listed = page.split("<code>", 1)[1].split("</code>", 1)[0].split(", ")
    assert listed[-1] == "term", listed
    assert f"<code>term</code>: {NOTE}" in page


def test_the_chinese_list_names_term_with_its_chinese_headers(admin_client):
    page = _page(admin_client, "zh-hans")
    start = page.index('<div class="import-columns"')
    columns = page[start : page.index("</div>", start)]

    assert "<code>term</code>" in columns
    assert "开课学期" in columns
    with translation.override("zh-hans"):
        assert translation.gettext(NOTE) in columns


def test_who_may_not_import_into_a_programme_is_not_told_of_term(client, django_user_model):
    user = django_user_model.objects.create_user("importer", password="pw-12345-xyz", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="curricula",
            codename__in=["view_course", "add_course", "change_course"],
        )
    )
    client.force_login(user)

    page = _page(client, "en")

    assert "Into the programme" not in page
    assert "term" not in page.split("<code>", 1)[1].split("</code>", 1)[0].split(", ")
    assert NOTE not in page
