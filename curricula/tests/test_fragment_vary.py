"""Observed (a hostile pass): a map row's address answers the whole row page, or only the cell's
panel when the map's script asks (X-Map-Editor, or htmx's HX-Request), and the decide page
answers htmx's previews without the redirect and the 400 a plain request gets. Neither said
so in Vary: a browser's back button or a shared cache could give a reader the bare panel (or
the preview's answer) for the page. The review pages already vary on HX-Request."""

import pytest
from django.urls import reverse
from django.utils.cache import cc_delim_re

from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _vary(response) -> set[str]:
    return {value.casefold() for value in cc_delim_re.split(response.get("Vary", ""))}


@pytest.fixture
def mapped():
    position = PositionFactory()
    requirement = RequirementFactory(position=position)
    link = CourseAbilityFactory(ability=requirement.ability)
    programme = ProgrammeFactory(courses=[link.course], targets=[position])
    return programme, link


@pytest.mark.parametrize("headers", [{}, {"X-Map-Editor": "1"}, {"HX-Request": "true"}])
def test_a_map_row_says_it_varies_on_the_script_s_headers(client, mapped, headers):
    programme, link = mapped
    url = reverse("curricula:programme-ability", args=[programme.pk, link.ability_id])
    response = client.get(url, {"course": link.course_id}, headers=headers)

    assert response.status_code == 200
    assert {"x-map-editor", "hx-request"} <= _vary(response)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
@pytest.mark.parametrize("query", ["", "?course_q=", "?budget=x"])
def test_the_decide_page_says_it_varies_on_hx_request(client, mapped, headers, query):
    programme, _link = mapped
    url = reverse("curricula:programme-decide", args=[programme.pk]) + query
    response = client.get(url, headers=headers)

    assert response.status_code in (200, 302, 400)
    assert "hx-request" in _vary(response)


def test_the_decide_page_says_it_varies_on_the_target_htmx_names(client, mapped):
    """Observed: the what-if's catalogue search (htmx, HX-Target: what-if-catalogue) is answered
    without the recommendations and the preview, at the same address and with the same
    HX-Request as the form's preview, which gets them: only `Vary: HX-Request` was said, so a
    cache could give the preview the bare catalogue answer. The answer now varies on HX-Target
    too."""
    programme, _link = mapped
    url = reverse("curricula:programme-decide", args=[programme.pk])
    headers = {"HX-Request": "true", "HX-Target": "what-if-catalogue"}
    searched = client.get(url, {"course_q": "x"}, headers=headers)
    previewed = client.get(url, {"course_q": "x"}, headers={"HX-Request": "true"})

    assert searched.status_code == previewed.status_code == 200
    assert searched.context["recommendations"] is None
    assert previewed.context["recommendations"] is not None
    assert {"hx-request", "hx-target"} <= _vary(searched)
    assert {"hx-request", "hx-target"} <= _vary(previewed)
