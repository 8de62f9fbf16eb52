"""The programme-ability page's title, for an ability with a code and one without."""

import re

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "expected"), [("A.1", "A.1 Analyse sales · "), ("", "Analyse sales · ")]
)
def test_the_title_starts_with_the_code_or_else_the_statement(client, code, expected):
    # An ability without a code (most ESCO and CASE items have one, a typed one may not) gave a
    # title starting with a space: " Analyse sales · ...".
    ability = AbilityFactory(code=code, text="Analyse sales")
    position = PositionFactory()
    RequirementFactory(position=position, ability=ability)
    programme = ProgrammeFactory(targets=[position])
    html = client.get(
        reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    ).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith(expected)
