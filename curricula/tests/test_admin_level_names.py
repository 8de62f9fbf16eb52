# ruff: noqa: RUF001  (Chinese text takes full-width parentheses)
"""The admin names a level in the reader's language: a Chinese designer editing a position's
requirements, a course's links or a suggestion chose among "Introduced (I)", "Reinforced (R)"
and "Mastered (M)" (the level's __str__ wrote its stored English name), and the framework
import's minimum level listed the English names too, while every public page reads 初步接触,
巩固提高, 熟练掌握. A level staff named themselves reads as named."""

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ENGLISH_NAMES = ("Introduced", "Reinforced", "Mastered")


def test_a_level_reads_in_the_interface_language():
    with translation.override("zh-hans"):
        assert str(level("M")) == "熟练掌握（M）"
    with translation.override("en"):
        assert str(level("M")) == "Mastered (M)"


def test_a_level_staff_named_reads_as_named_in_either_language():
    own = Level.objects.create(code="E", name="Expert", rank=9)
    with translation.override("zh-hans"):
        assert str(own) == "Expert（E）"


def test_the_position_page_of_the_chinese_admin_lists_levels_in_chinese(admin_client):
    position = PositionFactory()
    RequirementFactory(position=position, ability=AbilityFactory(), min_level=level("R"))
    url = reverse("admin:positions_position_change", args=[position.pk])
    html = admin_client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "巩固提高（R）" in html
    assert [name for name in ENGLISH_NAMES if name in html] == []


def test_the_link_list_of_the_chinese_admin_names_levels_in_chinese(admin_client):
    CourseAbilityFactory(course=CourseFactory(), ability=AbilityFactory(), level=level("I"))
    url = reverse("admin:curricula_courseability_changelist")
    html = admin_client.get(url, **ZH).content.decode()
    assert "初步接触（I）" in html  # the level column and its filter
    assert [name for name in ENGLISH_NAMES if name in html] == []


def test_the_framework_import_offers_its_minimum_levels_in_chinese(admin_client):
    html = admin_client.get(reverse("admin:positions_importjob_add"), **ZH).content.decode()
    assert '<option value="M">熟练掌握（M）</option>' in html
    assert [name for name in ENGLISH_NAMES if name in html] == []
