"""Observed: accepting a suggestion with no level to take (none given, none proposed, no
SUGGESTIONS_REQUIREMENT_LEVEL to fall back on) was refused with "Choose a level: I, R or M.",
though levels are data staff may rename or add to (positions.models.Level): a site whose scale
is B, P and E was told to choose among codes it does not have. The message now names the
levels there are, by code and name, as the other messages about a level do."""

import pytest
from django.core.exceptions import ValidationError

from positions.models import Level
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def _renamed_scale() -> None:
    Level.objects.filter(code="I").update(code="B", name="Beginning")
    Level.objects.filter(code="R").update(code="P", name="Practising")
    Level.objects.filter(code="M").update(code="E", name="Expert")


def test_a_course_suggestion_without_a_level_names_the_levels_there_are(staff_user):
    _renamed_scale()
    suggestion = SuggestionFactory(proposed_level=None)

    with pytest.raises(ValidationError) as refused:
        services.suggestion_accept(suggestion=suggestion, user=staff_user)

    (message,) = refused.value.message_dict["level"]
    assert message == "Choose a level: B (Beginning), P (Practising), E (Expert)."


def test_a_position_suggestion_without_a_level_names_the_levels_there_are(staff_user, settings):
    _renamed_scale()
    # No default level to fall back on: the one the setting names is not there.
    settings.SUGGESTIONS_REQUIREMENT_LEVEL = "M"
    course_suggestion = SuggestionFactory(proposed_level=None)
    suggestion = SuggestionFactory(
        course=None,
        position=PositionFactory(),
        ability=course_suggestion.ability,
        proposed_level=None,
    )

    with pytest.raises(ValidationError) as refused:
        services.suggestion_accept(suggestion=suggestion, user=staff_user)

    (message,) = refused.value.message_dict["level"]
    assert "B (Beginning), P (Practising), E (Expert)" in message
    assert "I, R" not in message
