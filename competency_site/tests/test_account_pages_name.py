"""The account pages outside the admin (resetting a password, and the pages after) name the
site, not Django. They are Django's templates on the admin's base, which takes the site's name
from the admin's context; these views have none, so a Chinese reader saw "密码重设 | Django
站点管理员" in the title and "Django 管理" as the page's heading (in English, "Django site
admin" and "Django administration")."""

import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SITE = "Competency-to-curriculum mapping"
PAGES = ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_account_pages_name_the_site(client, path, language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override(language):
        site = translation.gettext(SITE)
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    assert title.strip().endswith(f"| {site}"), title
    assert "Django" not in page
    assert f">{site}</a>" in page
