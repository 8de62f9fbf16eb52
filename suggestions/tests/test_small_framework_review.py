"""In a small English framework, ranked by words and by meaning, a suggestion's band is read
from what it shares too: stored with it, served by the API and named on the review page beside
its two places, so a designer sees why an ability placed first by both readings is Weak."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions import services
from suggestions.engine.semantic import WORDLLAMA, load_encoder

pytestmark = pytest.mark.django_db

GOLD = json.loads((Path(__file__).parent / "fixtures" / "accounting_gold.json").read_text("utf-8"))


@pytest.fixture
def accounting():
    if load_encoder(WORDLLAMA) is None:
        pytest.skip("the static embedding model is not installed")
    framework = FrameworkFactory(name="Accounting (Moodle)")
    for ability in GOLD["abilities"]:
        AbilityFactory(
            framework=framework,
            code=ability["code"],
            short_name=ability["name"],
            text=ability["name"],
            description=ability["description"],
        )
    return framework


def test_a_course_sharing_one_word_with_a_small_framework_s_ability_is_shown_as_weak(
    accounting, client, staff_user, staff_client
):
    """Observed: College English, whose reading texts are on "culture, society and ethics", was
    suggested the accounting framework's professional ethics ability as Strong, both rankings
    placing it second of twenty, on "ethics" alone."""
    english = next(c for c in GOLD["courses"] if c["title"] == "College English")
    course = CourseFactory(
        code="EN101",
        title=english["title"],
        description=english["description"],
        outcomes=english["outcomes"],
    )
    services.suggestions_generate(course_ids=[course.pk], framework=accounting)
    stored = {s.ability.code: s.explanation["strength"] for s in Suggestion.objects.all()}
    ethics = stored["A16"]
    assert ethics["lexical_rank"] <= 3
    assert ethics["meaning_rank"] <= 3
    assert (ethics["band"], ethics["terms"]) == ("weak", 1)
    assert stored["A18"]["band"] == "strong"

    rows = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/").json()["results"]
    api = {row["ability"]["code"]: row["strength"] for row in rows}
    assert api["A16"]["band"] == "weak"
    assert api["A16"]["coverage"] == pytest.approx(ethics["coverage"])

    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    share = round(100 * ethics["coverage"])
    assert (
        f"place {ethics['lexical_rank']} by shared words, {ethics['meaning_rank']} by meaning; "
        f"1 shared term, {share}% of its text"
    ) in html
