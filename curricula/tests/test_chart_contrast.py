"""The coverage chart's bars can be told apart by anyone who can see them (WCAG 2.1 1.4.11,
non-text contrast: 3:1 for the parts of a graphic needed to understand it). Observed: the
partial segment (#d9a23d) was 2.29:1 on the white page and 2.18:1 beside the covered green, and
the missing part of a bar (#d8dde6) 1.36:1, so a bar's length and its missing share were hard to
see. The covered and partial fills now reach 3:1 on white and are parted by a white line, and
each bar's track is outlined at 3:1, on the page, in the SVG download and in the legend alike."""

import re

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import Programme

pytestmark = pytest.mark.django_db

WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#d9a23d", WHITE) == pytest.approx(2.29, abs=0.01)
    assert contrast("#d8dde6", WHITE) == pytest.approx(1.36, abs=0.01)


def _style(svg: str) -> dict[str, dict[str, str]]:
    [css] = re.findall(r"<style>(.*?)</style>", svg, re.S)
    return {
        name: dict(part.split(":") for part in body.split(";") if part)
        for name, body in re.findall(r"\.(\w+)\{([^}]*)\}", css)
    }


@pytest.fixture
def chart(client, paper):
    coverage_recompute(force=True)
    programme = Programme.objects.order_by("order").first()
    return client.get(reverse("curricula:programme-chart", args=[programme.pk])).content.decode()


def test_each_segment_of_a_bar_reaches_three_to_one_on_the_page(chart):
    style = _style(chart)
    for segment in ("c", "p"):  # covered, partial
        # Partial is painted with its hatching, its colour the fallback after it (and the
        # hatching's ground): "url(#chart-partial-1) #b5740f".
        colour = style[segment]["fill"].split()[-1]
        assert contrast(colour, WHITE) >= 3, style[segment]
        assert style[segment]["stroke"] == WHITE  # a white line parts it from its neighbour
    track = style["m"]  # missing: the bar's whole length
    assert contrast(track["stroke"], WHITE) >= 3, track
    assert contrast(track["stroke"], track["fill"]) >= 3, track


def test_the_bars_and_the_legend_use_the_styled_classes(chart):
    bars = re.findall(r'<rect class="(\w)"', chart)
    assert {"c", "p", "m"} <= set(bars)
    assert "fill=" not in "".join(re.findall(r'<rect class="\w"[^>]*>', chart))
