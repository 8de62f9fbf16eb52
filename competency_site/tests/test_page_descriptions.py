"""Every page says what it holds in a meta description, in the reader's language: the text a
search engine shows under the page's title (without one it makes up its own from whatever the
page begins with, here the header's menus). Lighthouse (`make lighthouse`) found none on any page
("Document does not have a meta description"). A programme's, a position's and a course's page
name what they are about."""

import re

import pytest

from curricula.models import Course, Programme
from positions.models import Position

pytestmark = pytest.mark.django_db

MESSAGES = [
    "Curriculum maps: which abilities each programme's courses build for the positions it "
    "prepares students for, where the gaps are and what would close them.",
    "%(name)s: how its courses build the abilities its target positions require, on a "
    "curriculum map with its gaps.",
]
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _descriptions(client, path: str, **headers) -> list[str]:
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return DESCRIPTION.findall(response.content.decode())


def test_each_page_has_one_description_naming_what_it_is_about(client, paper):
    programme = Programme.objects.order_by("pk").first()
    position = Position.objects.order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    named = {
        programme.get_absolute_url(): programme.display_name,
        f"/positions/{position.pk}/": position.display_name,
        f"/courses/{course.pk}/": course.display_title,
    }
    for path in ["/", "/programs/", "/positions/", "/certifications/", *named]:
        found = _descriptions(client, path)
        assert len(found) == 1, (path, found)
        assert len(found[0]) > 40, (path, found)
        if path in named:
            assert named[path].replace("'", "&#x27;") in found[0], (path, found)


def test_the_description_is_in_the_reader_s_language(client, paper, chinese_stand_in):
    for message in MESSAGES:
        chinese_stand_in(None, message)
    programme = Programme.objects.order_by("pk").first()
    for path in ["/", programme.get_absolute_url()]:
        english = _descriptions(client, path)
        chinese = _descriptions(client, path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert english != chinese, path
