"""The overview names the abilities without an area as the programme's table and chart do:
observed "no area" (无领域) in its look-first sentences and its largest-gaps chips beside "No
competency area" (无能力领域) everywhere else, two wordings for one group."""

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def arealess_gap():
    """A programme missing one essential ability, of no area."""
    position = PositionFactory()
    RequirementFactory(position=position, ability=AbilityFactory(area=None))
    ProgrammeFactory(targets=[position])
    coverage_recompute(force=True)


def test_the_overview_says_no_competency_area_in_its_sentences_and_chips(client, arealess_gap):
    page = client.get(reverse("home")).text
    assert "1 essential ability missing in no competency area." in page
    assert '<span class="gap-chip">No competency area: 1 missing</span>' in page
    assert "no area" not in page.lower().replace("no competency area", "")


def test_the_chinese_overview_says_no_competency_area_in_its_sentences_and_chips(
    client, arealess_gap
):
    page = client.get(reverse("home"), **ZH).text
    assert '<span class="gap-chip">无能力领域：' in page  # noqa: RUF001
    # The look-first sentence too: 无能力领域 twice, the chip and the sentence.
    assert page.count("无能力领域") == 2
    assert "无领域" not in page
