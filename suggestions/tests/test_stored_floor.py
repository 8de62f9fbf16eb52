"""A suggestion stored before the engine named a line close in meaning only at its floor
(`Settings.semantic_floor`) keeps, until regenerated, a match by meaning quoting the line
closest to the ability however far it was. Everything that reads stored matches for a person
reads them without such a line: the review pages do not call it close in meaning, the importance
proposed for a position's suggestion stored before importances were is not read from it, and the
accepted link's note does not name it. A line at the floor or above still is all of these. The
API gives the stored record as it is, each match by meaning with its similarity."""

import re

import pytest
from django.urls import reverse

from curricula.models import CourseAbility, Suggestion
from positions.models import Importance, Level, Requirement
from positions.tests.factories import PositionFactory
from suggestions import selectors, services
from suggestions.engine import Settings
from suggestions.tests.factories import SuggestionFactory, small_framework
from suggestions.tests.test_required_filter import build_programme_queue

pytestmark = pytest.mark.django_db

FAR, CLOSE = 0.1, 0.5
FLOOR = Settings().semantic_floor

# Under the floor, and at it or above: whether the line is shown and read as close in meaning.
SIMILARITIES = pytest.mark.parametrize(
    ("similarity", "close"), [(FAR, False), (CLOSE, True)], ids=["far", "close"]
)

LINE = "Keep data safe in tables"


def _explanation(similarity: float, line: str = LINE, term: str = "sql") -> dict:
    return {
        "matches": [
            {"query_field": "outcomes", "candidate_field": "label", "term": term, "weight": 0.3},
            {
                "query_field": "outcomes",
                "candidate_field": "description",
                "term": line,
                "weight": 0.1,
                "kind": "meaning",
                "similarity": similarity,
            },
        ],
        "level": {"code": "R"},
    }


def _item(html: str, suggestion: Suggestion) -> str:
    start = html.index(f'id="suggestion-{suggestion.pk}"')
    return html[start : html.index("</li>", start)]


def test_the_floor_is_between_the_far_and_the_close_similarity():
    assert FAR < FLOOR <= CLOSE


@SIMILARITIES
def test_a_course_s_review_page_calls_a_stored_line_close_in_meaning_only_at_the_floor(
    client, staff_user, similarity, close
):
    """Observed: a course suggestion stored before the floor still said "close in meaning to"
    the course's line closest to the ability, at a similarity of 0.11."""
    suggestion = SuggestionFactory(explanation=_explanation(similarity))
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[suggestion.course_id])
    item = _item(client.get(url).content.decode(), suggestion)
    assert '“sql” <span class="muted">(outcomes → label)' in item
    assert (f"close in meaning to “{LINE}”" in item) is close
    assert (LINE in item) is close


@SIMILARITIES
def test_a_programme_s_review_page_calls_a_stored_line_close_in_meaning_only_at_the_floor(
    client, staff_user, similarity, close
):
    programme, suggestion, _ability, _targets = build_programme_queue()
    Suggestion.objects.filter(pk=suggestion["A"].pk).update(explanation=_explanation(similarity))
    client.force_login(staff_user)
    url = reverse("suggestions:programme-review", args=[programme.pk])
    item = _item(client.get(url).content.decode(), suggestion["A"])
    assert "“sql”" in item
    assert (f"close in meaning to “{LINE}”" in item) is close


ADVERT = "We design relational databases for online shops.\nEvaluating our lunch menu is a plus."
CANTEEN = "Evaluating our lunch menu is a plus."


def _position_suggestion_stored_before_importances(similarity: float) -> Suggestion:
    """A position's suggestion as stored before importances were proposed (blank, no reason),
    matching "relational databases" on the advert's first line and quoting its second as the
    line closest in meaning: a cue ("a plus") that makes an ability optional."""
    _framework, abilities = small_framework()
    position = PositionFactory(name="Database developer", description=ADVERT)
    return SuggestionFactory(
        course=None,
        position=position,
        ability=abilities["DB"],
        proposed_importance="",
        explanation={
            "matches": _explanation(similarity, line=CANTEEN, term="relational databases")[
                "matches"
            ]
        },
    )


@SIMILARITIES
def test_a_position_s_stored_far_line_does_not_steer_its_proposed_importance(similarity, close):
    """Observed: a position's suggestion stored before importances were proposed read every
    stored term for its importance, the line far in meaning too, and proposed the ability
    optional for the advert's "a plus" about the canteen's menu."""
    suggestion = _position_suggestion_stored_before_importances(similarity)
    expected = Importance.OPTIONAL if close else Importance.ESSENTIAL
    assert selectors.proposed_importance(suggestion=suggestion) == expected
    (row,) = selectors.with_importance_proposals(
        [Suggestion.objects.select_related("position").get(pk=suggestion.pk)]
    )
    assert row.explanation["importance"]["rule"] == ("cue" if close else "default")
    services.suggestion_accept(suggestion=suggestion, user=None)
    assert Requirement.objects.get(position=suggestion.position).importance == expected


@SIMILARITIES
def test_a_position_s_review_page_neither_quotes_nor_reads_a_stored_far_line(
    client, staff_user, similarity, close
):
    suggestion = _position_suggestion_stored_before_importances(similarity)
    client.force_login(staff_user)
    url = reverse("suggestions:position-review", args=[suggestion.position_id])
    item = _item(client.get(url).content.decode(), suggestion)
    assert "“relational databases”" in item
    assert (f"close in meaning to “{CANTEEN}”" in item) is close
    assert ("the description says “a plus”" in item) is close
    preselected = re.search(r'<option value="(\w+)" selected>', item.split("data-importance")[1])
    assert preselected.group(1) == (Importance.OPTIONAL if close else Importance.ESSENTIAL)


@SIMILARITIES
def test_an_accepted_link_s_note_names_a_stored_line_close_in_meaning_only_at_the_floor(
    similarity, close
):
    suggestion = SuggestionFactory(explanation=_explanation(similarity))
    services.suggestion_accept(suggestion=suggestion, user=None, level=Level.objects.get(code="R"))
    note = CourseAbility.objects.get(course=suggestion.course, ability=suggestion.ability).note
    assert "matched: sql)" in note
    assert ("Close in meaning to" in note) is close
    assert (LINE in note) is close


@SIMILARITIES
def test_the_api_gives_the_stored_explanation_and_proposes_the_importance_without_a_far_line(
    staff_client, similarity, close
):
    """The API's `explanation` is the stored record, far line and its similarity included (a
    client reads the similarity; regenerating drops the line); its `proposed_importance` is
    what accepting makes, read as the pages read it."""
    suggestion = _position_suggestion_stored_before_importances(similarity)
    row = staff_client.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    meaning = [m for m in row["explanation"]["matches"] if m.get("kind") == "meaning"]
    assert [(m["term"], m["similarity"]) for m in meaning] == [(CANTEEN, similarity)]
    assert row["proposed_importance"] == (Importance.OPTIONAL if close else Importance.ESSENTIAL)


def test_the_api_schema_says_a_stored_match_by_meaning_below_the_floor_is_not_close(
    staff_client,
):
    """A client reading `explanation` learns from the schema what the pages do with a line far
    in meaning that an older suggestion still holds, and the floor's value."""
    schema = staff_client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["Suggestion"]["properties"]["explanation"]
    assert f"a similarity below {FLOOR} was stored before" in field["description"]
