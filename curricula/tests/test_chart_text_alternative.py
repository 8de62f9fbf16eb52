"""The coverage chart on the programme page has a text equivalent: its SVG is one image to a
screen reader (role="img", named by its title), so each area's figures the bars draw (essential,
covered, partial, missing) are also given as a table beside it, as the printed report gives them
(WCAG 1.1.1: a chart's text alternative conveys its data, not only its name)."""

import re

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import Programme

pytestmark = pytest.mark.django_db


def _figure(html: str) -> str:
    [figure] = re.findall(r'<figure class="chart-figure">.*?</figure>', html, re.S)
    return figure


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_programme_pages_chart_comes_with_each_areas_figures_as_a_table(
    client, paper, language
):
    coverage_recompute(force=True)
    programme = Programme.objects.order_by("order").first()
    page = client.get(
        reverse("curricula:programme-detail", args=[programme.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    report = page.context["report"]
    assert report.areas
    figure = _figure(page.content.decode())
    table = figure[figure.index("</svg>") :]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    assert len(rows) == len(report.areas)
    for (name, cells), area in zip(rows, report.areas, strict=True):
        assert name.strip() == area["name"]
        assert re.findall(r'<td class="num">([^<]*)</td>', cells)[:4] == [
            str(area["essential"]),
            str(area["covered"]),
            str(area["partial"]),
            str(area["missing"]),
        ]
