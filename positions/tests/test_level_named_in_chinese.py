"""A level named in Chinese without a Chinese name: the admin says what English pages will show.

Observed: a designer adding a level in the Chinese admin typed 专家 as its name and left its
Chinese name blank; every English page then named the level 专家 among Introduced, Reinforced and
Mastered. Shown rather than not at all, as any record given only Chinese text is (a level has
no other English name to fall back on: its code is no name). The admin now says so on saving,
and says what to do, without refusing: a site working in Chinese alone may want just that.
"""

import pytest
from django.contrib.messages import WARNING
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from positions.models import Level

pytestmark = pytest.mark.django_db


def _warnings(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == WARNING]


def _expected(level: Level) -> str:
    return gettext(
        "“%(level)s” is named in Chinese and its Chinese name is blank: English pages show "
        "the Chinese. Put its English name in the name, and the Chinese in the Chinese name."
    ) % {"level": level}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_adding_a_level_named_in_chinese_without_a_chinese_name_warns(admin_client, language):
    response = admin_client.post(
        reverse("admin:positions_level_add"),
        {"code": "E", "name": "专家", "name_zh": "", "rank": 4, "description": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )

    level = Level.objects.get(code="E")
    assert level.name == "专家"
    with translation.override(language):
        assert _warnings(response) == [_expected(level)]


@pytest.mark.parametrize(
    ("name", "name_zh"), [("Expert", ""), ("Expert", "专家"), ("专家", "专家")]
)
def test_a_level_with_an_english_name_or_a_chinese_one_is_saved_without_a_warning(
    admin_client, name, name_zh
):
    response = admin_client.post(
        reverse("admin:positions_level_add"),
        {"code": "E", "name": name, "name_zh": name_zh, "rank": 4, "description": ""},
        follow=True,
    )

    assert Level.objects.filter(code="E", name=name).exists()
    assert _warnings(response) == []


def test_changing_such_a_level_warns_until_it_has_a_chinese_name(admin_client):
    level = Level.objects.create(code="E", name="专家", rank=4)
    url = reverse("admin:positions_level_change", args=[level.pk])
    data = {"code": "E", "name": "专家", "rank": 4, "description": ""}

    still = admin_client.post(url, {**data, "name_zh": ""}, follow=True)
    fixed = admin_client.post(url, {**data, "name": "Expert", "name_zh": "专家"}, follow=True)

    assert len(_warnings(still)) == 1
    assert _warnings(fixed) == []
