"""SUGGESTIONS_REQUIREMENT_LEVEL, the level a position's suggestion proposing none is accepted
at, is read as every other door reads a level (positions.selectors.levels_written: its code in
any case or width, or its name in English or Chinese). Observed: it was matched by exact code,
so `m` passed start-up silently, every accept relying on it failed with "Choose a level", and
the review page preselected no level (the browser then sent the first, I)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from curricula.models import Suggestion
from positions.models import Requirement
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.checks import requirement_level_check
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db


def _chinese(name: str) -> str:
    with translation.override("zh-hans"):
        return gettext(name)


@pytest.fixture
def unproposed():
    """A position's suggestion proposing no level (its description has no Bloom verb)."""
    framework, abilities = small_framework()
    position = PositionFactory(name="Clerk", description="Relational databases at our shops.")
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    suggestion = Suggestion.objects.get(position=position, ability=abilities["DB"])
    assert suggestion.proposed_level is None
    return suggestion


@pytest.mark.parametrize("written", ["m", " M ", "\uff2d", "Mastered", "mastered", "chinese"])
def test_accepting_without_a_level_reads_the_setting_as_any_level_is_read(
    unproposed, settings, written
):
    chinese = written == "chinese"
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = _chinese("Mastered") if chinese else written
    services.suggestion_accept(suggestion=unproposed, user=None)
    assert Requirement.objects.get(position=unproposed.position).min_level.code == "M"


def test_the_review_page_preselects_the_level_the_setting_names(unproposed, settings, client):
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = "reinforced"
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    page = reverse("suggestions:position-review", args=[unproposed.position_id])
    html = client.get(page).content.decode()
    select = re.search(rf'<select name="level-{unproposed.pk}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    assert re.findall(r'<option value="(\w+)" selected>', select.group(1)) == ["R"]


def test_a_setting_naming_no_level_is_a_warning_of_the_checks_naming_the_levels(settings):
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = "Expert"
    (warning,) = requirement_level_check(app_configs=None, databases=["default"])
    assert warning.id == "suggestions.W001"
    assert "SUGGESTIONS_REQUIREMENT_LEVEL='Expert'" in warning.msg
    assert (
        "I (Introduced / 初步接触), R (Reinforced / 巩固提高), M (Mastered / 熟练掌握)"
        in warning.hint
    )


def test_the_warning_lists_the_site_s_own_levels_in_both_languages(settings):
    """Observed: the hint listed the levels by their English names only, so a site whose staff
    named a level in Chinese alone (专家) or in both was told half of what it may write; any
    name is read (default_requirement_level), so the hint lists each level by code and names."""
    from positions.models import Level

    Level.objects.all().delete()
    Level.objects.create(code="1", name="Novice", name_zh="新手", rank=1)
    Level.objects.create(code="2", name="Expert", name_zh="专家", rank=2)
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = "M"
    (warning,) = requirement_level_check(app_configs=None, databases=["default"])
    assert "1 (Novice / 新手), 2 (Expert / 专家)" in warning.hint


@pytest.mark.parametrize("written", ["M", "m", "Mastered"])
def test_a_setting_naming_a_level_passes_the_checks(settings, written):
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = written
    assert requirement_level_check(app_configs=None, databases=["default"]) == []


def test_the_checks_read_no_database_unless_asked(settings, django_assert_num_queries):
    """runserver, the worker and `check` without --database run the checks with no database
    (it may not be reachable yet); migrate and `check --database default` pass one."""
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = "Expert"
    with django_assert_num_queries(0):
        assert requirement_level_check(app_configs=None, databases=None) == []
