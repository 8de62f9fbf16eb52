"""The coverage chart's bar labels fit their 220-pixel column: a name is cut by its display width,
a Chinese (full-width) character counting as two Latin letters, with an ellipsis, and the whole
name stays in the bar's tooltip (its <title>)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import Programme
from positions.models import CompetencyArea

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
LONG_CHINESE = "跨境电子商务平台运营与国际市场数字化营销推广综合管理能力"  # 28 characters
LONG_ENGLISH = "Cross-border platform operation and international digital marketing ability"


@pytest.fixture
def computed(paper):
    coverage_recompute(force=True)


def _bars(response) -> list[tuple[str, str]]:
    """Each bar's (label, tooltip)."""
    root = ET.fromstring(response.content.decode())
    return [
        (group.find(f"{SVG}text").text, getattr(group.find(f"{SVG}title"), "text", None))
        for group in root.iter(f"{SVG}g")
        if group.find(f"{SVG}rect[@x='220']") is not None
    ]


def _programme_with_area(name: str, name_zh: str) -> Programme:
    area = CompetencyArea.objects.get(name="Research and development ability")
    area.name, area.name_zh = name, name_zh
    area.save()
    return Programme.objects.order_by("order").first()


def test_a_long_chinese_area_name_is_cut_by_its_width(client, computed):
    programme = _programme_with_area("Research and development ability", LONG_CHINESE)
    chart = client.get(reverse("curricula:programme-chart", args=[programme.pk]), **ZH)
    [(label, title)] = [bar for bar in _bars(chart) if bar[0].startswith(LONG_CHINESE[:8])]
    # 34 Latin letters' width: 16 Chinese characters and the ellipsis (not 33 characters).
    assert label == LONG_CHINESE[:16] + "…"
    assert title == LONG_CHINESE


def test_a_long_english_area_name_is_cut_as_before_with_its_tooltip(client, computed):
    programme = _programme_with_area(LONG_ENGLISH, "")
    chart = client.get(reverse("curricula:programme-chart", args=[programme.pk]))
    [(label, title)] = [bar for bar in _bars(chart) if bar[0].startswith(LONG_ENGLISH[:8])]
    assert label == LONG_ENGLISH[:33] + "…"
    assert title == LONG_ENGLISH


def test_every_bar_has_its_whole_name_as_a_tooltip(client, computed):
    programme = Programme.objects.order_by("order").first()
    chart = client.get(reverse("curricula:programme-chart", args=[programme.pk]), **ZH)
    bars = _bars(chart)
    assert bars
    assert all(title == label for label, title in bars), bars
    assert "研发能力" in {label for label, _title in bars}


def test_cut_to_width_counts_wide_characters_twice():
    from core.i18n import cut_to_width, display_width

    assert display_width("abc") == 3
    assert display_width("能力") == 4
    assert display_width("\uff21\uff22") == 4  # full-width letters A and B
    assert cut_to_width("能力领域", 8) == "能力领域"
    assert cut_to_width("能力领域", 7) == "能力领…"
    assert cut_to_width("能力领域", 6) == "能力…"
    assert cut_to_width("abcdefgh", 5) == "abcd…"
    assert cut_to_width("ab能力", 4) == "ab…"
    assert cut_to_width("", 4) == ""
