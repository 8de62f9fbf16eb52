"""How strongly a suggestion is rated in a small English framework, ranked by words and by
meaning: two rankings both placing an ability in the first three of twenty happens by chance,
so there the band is also read from what the suggestion shares.

`fixtures/accounting_gold.json` holds a hand-made accounting framework and course texts, each
with the abilities a designer would link it to, chosen by reading them before looking at the
engine's output. No Django: run with `-p no:django`.
"""

import json
from pathlib import Path

import pytest

from suggestions.engine import Candidate, Query, build_index
from suggestions.engine.explain import agreement_depth, agreement_selective, strength
from suggestions.engine.types import GOOD, STRONG, WEAK

GOLD = json.loads((Path(__file__).parent / "fixtures" / "accounting_gold.json").read_text("utf-8"))
COURSES = {course["title"]: course for course in GOLD["courses"]}


def course_query(course: dict) -> Query:
    return Query(
        {
            "title": course["title"],
            "description": course["description"],
            "outcomes": course["outcomes"],
        }
    )


@pytest.fixture(scope="module")
def accounting():
    index = build_index(
        Candidate(a["code"], {"label": a["name"], "description": a["description"]})
        for a in GOLD["abilities"]
    )
    if not index.fused:
        pytest.skip("the static embedding model is not installed")
    return index


def bands(index, title: str, k: int = 20) -> dict[str, str]:
    return {hit.id: hit.strength for hit in index.rank(course_query(COURSES[title]), k=k)}


def test_the_gold_set_is_written_against_abilities_that_exist():
    codes = {a["code"] for a in GOLD["abilities"]}
    assert len(codes) == 20
    for course in GOLD["courses"]:
        assert set(course["relevant"]) <= codes, course["title"]


def test_an_unrelated_course_is_not_strongly_suggested_an_ability_on_one_shared_word(accounting):
    """Observed: College English (texts on "culture, society and ethics") was suggested the
    professional ethics ability as Strong, and Calculus ratio analysis as Strong on "analysis":
    both rankings placed them in their first three of twenty, which two rankings of a small
    framework do by chance."""
    english = bands(accounting, "College English")
    assert english.get("A16", WEAK) == WEAK
    assert english["A18"] == STRONG  # communication in writing and presentations: it teaches it
    calculus = bands(accounting, "Calculus")
    assert STRONG not in calculus.values()
    assert GOOD not in calculus.values()


def test_a_course_sharing_one_general_word_gets_no_strong_suggestion(accounting):
    """Observed: Statistics was suggested ratio analysis and budgeting on "analyse" alone, as
    Good or Strong; a thesis in accounting was suggested abilities on "accounting" and
    "analyse"."""
    statistics = bands(accounting, "Statistics")
    assert statistics["A19"] == STRONG
    assert statistics.get("A04", WEAK) == WEAK
    assert statistics.get("A06", WEAK) == WEAK
    thesis = bands(accounting, "Graduation Thesis")
    assert STRONG not in thesis.values()


def test_on_the_accounting_set_strong_means_a_designer_would_link_it(accounting):
    """Of all suggestions, nearly every Strong one is a link the course's designer chose, and
    the links chosen are still rated Strong or Good as often as before (17 of the 21 found)."""
    counts = {band: [0, 0] for band in (STRONG, GOOD, WEAK)}
    rated = 0
    for course in GOLD["courses"]:
        relevant = set(course["relevant"])
        for hit in accounting.rank(course_query(course), k=20, explain=False):
            counts[hit.strength][0] += hit.id in relevant
            counts[hit.strength][1] += 1
            rated += hit.id in relevant and hit.strength != WEAK
    found, strong = counts[STRONG]
    assert found / strong >= 0.85
    assert rated >= 17


def test_a_strong_suggestion_in_a_small_framework_says_what_it_shares(accounting):
    """The band is read from what it shares too, so the suggestion carries it, as one ranked on
    words alone does: the review page names it beside the two places."""
    hit = next(h for h in accounting.rank(course_query(COURSES["Auditing"])) if h.id == "A12")
    assert hit.strength == STRONG
    assert hit.terms >= 2
    assert hit.coverage >= 0.3


@pytest.mark.parametrize(
    ("depth", "ranked", "selective"),
    [(3, 19, False), (3, 29, False), (3, 30, True), (20, 199, False), (20, 389, True)],
)
def test_agreement_is_selective_only_within_a_tenth_of_what_shares_a_word(depth, ranked, selective):
    assert agreement_selective(depth, ranked) is selective


@pytest.mark.parametrize(
    ("pool", "depth"),
    # The first tenth of the pool; but the first three where that is at most a fifth of it (a
    # course builds a few of a small framework's abilities), at least the first, at most 20.
    [(4, 1), (5, 1), (10, 2), (14, 2), (15, 3), (29, 3), (40, 4), (90, 9), (1000, 20)],
)
def test_how_far_down_a_ranking_places_a_candidate_in_a_small_pool(pool, depth):
    assert agreement_depth(20, pool) == depth


@pytest.mark.parametrize(
    ("coverage", "terms", "band"),
    [
        (0.6, 1, GOOD),  # one term that is most of its text: an ESCO skill labelled "Python"
        (0.4, 1, WEAK),  # one word that is a small part of its statement
        (0.35, 2, STRONG),
        (0.15, 2, GOOD),
        (0.05, 3, WEAK),
    ],
)
def test_on_words_alone_the_band_is_at_most_what_the_suggestion_shares(coverage, terms, band):
    """Placed first (its place alone would say strong), a suggestion ranked on words alone is
    rated by what it shares of its own text."""
    rated = strength(
        lexical_rank=1,
        meaning_rank=None,
        lexical_share=1.0,
        two_rankings=False,
        depth=3,
        coverage=coverage,
        terms=terms,
    )
    assert rated == band


@pytest.mark.parametrize(
    ("lexical_share", "band"),
    [(1.0, STRONG), (0.5, STRONG), (0.3, GOOD), (0.25, GOOD), (0.2, WEAK)],
)
def test_on_words_alone_the_band_is_at_most_what_its_place_says(lexical_share, band):
    """Sharing most of its text, a suggestion ranked on words alone is rated by its score
    against the query's best: at least half strong, at least a quarter good, else weak."""
    rated = strength(
        lexical_rank=1,
        meaning_rank=None,
        lexical_share=lexical_share,
        two_rankings=False,
        depth=3,
        coverage=0.9,
        terms=3,
    )
    assert rated == band
