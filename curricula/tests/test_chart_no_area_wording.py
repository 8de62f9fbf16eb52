"""The chart names abilities without an area as the table beside it does: observed "No area" in
the chart over "No competency area" in the programme's table, two wordings for one group."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from curricula.tests.test_area_order import programme  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _labels(response) -> list[tuple[str, str]]:
    root = ET.fromstring(response.content.decode())
    return [
        (group.find(f"{SVG}text").text, group.find(f"{SVG}title").text)
        for group in root.iter(f"{SVG}g")
        if group.find(f"{SVG}rect[@x='220']") is not None
    ]


@pytest.mark.parametrize(
    ("language", "wording"), [("en", "No competency area"), ("zh-hans", "无能力领域")]
)
def test_the_chart_and_the_table_name_the_arealess_group_alike(
    client,
    programme,  # noqa: F811
    language,
    wording,
):
    page = client.get(
        reverse("curricula:programme-detail", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert wording in page
    chart = client.get(
        reverse("curricula:programme-chart", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert _labels(chart)[-1] == (wording, wording)
