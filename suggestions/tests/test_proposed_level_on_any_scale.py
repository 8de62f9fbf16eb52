"""The level a suggestion proposes is read on the site's own scale: the heuristic's three tiers
(Bloom's verbs, a Chinese syllabus's 了解 < 理解 < 掌握, the training stage) are the scale's
lowest, middle and highest levels by rank (positions.selectors.level_of_tier). Observed: on a
field's scale coded 1, 2, 3, or of four levels, every suggestion proposed no level, the
proposal being stored by the codes I, R and M only."""

import pytest

from curricula.models import Suggestion
from positions.models import Level
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

ADVERT = (
    "We are hiring a database developer for our online shops.\n"
    "Requirements:\n"
    "- Design relational databases with keys and SQL\n"
    "Nice to have:\n"
    "- Some awareness of web applications in JavaScript\n"
)
SCALES = {
    "1-2-3": (("1", "2", "3"), {"I": "1", "R": "2", "M": "3"}),
    "four": (("A", "B", "C", "D"), {"I": "A", "R": "C", "M": "D"}),
    "two": (("LO", "HI"), {"I": "LO", "R": None, "M": "HI"}),
}


def _scale(codes) -> None:
    Level.objects.all().delete()
    for rank, code in enumerate(codes, start=1):
        Level.objects.create(code=code, name=f"Step {code}", rank=rank)


@pytest.mark.parametrize("scale", list(SCALES))
def test_a_position_s_suggestion_proposes_the_level_of_its_tier_on_the_site_s_scale(scale):
    codes, tiers = SCALES[scale]
    _scale(codes)
    framework, _abilities = small_framework()
    position = PositionFactory(name="Database developer", description=ADVERT)
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    proposed = {
        s.ability.code: (s.explanation["level"]["code"], s.proposed_level and s.proposed_level.code)
        for s in Suggestion.objects.filter(position=position, ability__code__in=["DB", "WEB"])
    }
    assert proposed == {"DB": ("M", tiers["M"]), "WEB": ("I", tiers["I"])}


@pytest.mark.parametrize("scale", list(SCALES))
def test_a_course_s_suggestion_proposes_the_level_of_its_tier_on_the_site_s_scale(scale):
    codes, tiers = SCALES[scale]
    _scale(codes)
    framework, _abilities = small_framework()
    course = database_course(code="DB101")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestions = list(Suggestion.objects.filter(course=course).select_related("proposed_level"))
    read = {s.explanation["level"]["code"] for s in suggestions}
    assert {"I", "R", "M"} & read
    for suggestion in suggestions:
        tier = suggestion.explanation["level"]["code"]
        level = suggestion.proposed_level
        assert (level and level.code) == tiers[tier], (suggestion.ability.code, tier)


def test_on_the_default_scale_the_proposal_is_its_code_as_before():
    Level.objects.create(code="E", name="Expert", rank=4)
    framework, _abilities = small_framework()
    position = PositionFactory(name="Database developer", description=ADVERT)
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    db = Suggestion.objects.get(position=position, ability__code="DB")
    assert db.proposed_level.code == "M"
