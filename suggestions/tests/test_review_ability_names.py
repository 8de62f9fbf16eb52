"""The review pages name a suggested ability by its short name (Ability.display_label: compact
in a list of cards, as the review tests expect), and give its full statement beneath when the
short name differs, since the map, the gap report and search name it by its statement
(display_text) and a reviewer judges the match on what the ability says."""

import re

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

STATEMENT = "Assess the physical, psychological and social needs of patients and their families"


def _card(html: str, suggestion) -> str:
    start = html.index(f'id="suggestion-{suggestion.pk}"')
    return html[start : html.index("</li>", start)]


def test_the_review_gives_the_statement_beside_the_short_name(client, staff_user):
    """Observed: the review page read "NC1.1 Assess patients" where the map, the gap report and
    search read the full statement, so the two could not be matched up."""
    course = CourseFactory(code="NUR101")
    named = SuggestionFactory(
        course=course,
        ability=AbilityFactory(code="NC1.1", short_name="Assess patients", text=STATEMENT),
    )
    plain = SuggestionFactory(
        course=course, ability=AbilityFactory(code="NC2.1", short_name="", text="Plan care")
    )
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    card = _card(html, named)
    assert "Assess patients" in card
    assert STATEMENT in card
    # An ability without a short name is named by its statement once, not twice.
    assert len(re.findall("Plan care", _card(html, plain))) == 1
