"""Pages and their downloads revalidated as RFC 9110 (13.2, 8.8.3) and RFC 9111 want, found by
REDbot (redbot 2.7.1, Mark Nottingham's HTTP linter) run over a served copy of the site.

Observed: every anonymous page answered an ETag that no revalidation could match ("An
If-None-Match conditional request returned the full content, but it had changed"): the page
holds a CSRF token (the language form), masked afresh on each render, so its bytes and their
tag change every time, and a browser's If-None-Match was answered in full, for ever. The page
said `Cache-Control: private` alone, leaving a browser to reuse it for as long as it guessed
(heuristic freshness). A page download's HEAD had no ETag, and its If-None-Match a 200, where
its GET had both; a page's 404 carried no Cache-Control at all."""

import pytest
from django.utils.cache import cc_delim_re

from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {d.strip().casefold() for d in cc_delim_re.split(response.get("Cache-Control", ""))}


@pytest.fixture
def programme():
    position = PositionFactory()
    requirement = RequirementFactory(position=position)
    link = CourseAbilityFactory(ability=requirement.ability)
    return ProgrammeFactory(courses=[link.course], targets=[position])


@pytest.mark.parametrize("path", ["/programs/{pk}/workbook.xlsx", "/programs/{pk}/chart.svg"])
def test_a_pages_head_answers_its_gets_etag_and_304(client, programme, path):
    path = path.format(pk=programme.pk)
    tag = client.get(path)["ETag"]

    head = client.head(path)
    revalidated = client.head(path, headers={"If-None-Match": tag})

    assert head.status_code == 200
    assert head["ETag"] == tag
    assert head.content == b""
    assert revalidated.status_code == 304
