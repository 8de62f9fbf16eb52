"""Abilities in a tree: a grouping (an ability with children in the pool, as GA1 "Engineering
knowledge" over GA1.1, GA1.2) is listed after the specific abilities. Observed on a
civil-engineering framework: the short, generic groupings matched "Engineering"/"工程" in almost
every course and position and were ranked first (EST401: GA4 and GA1 at ranks 1 and 2, the
precise GA5.1 at 5; for a position, GA4.3 matched 8 terms and ranked below GA1, matching one).
A grouping stays a candidate: under the default crosswalk rules a requirement on it is covered
only by a link to it, not by its children's. No Django here: run with `-p no:django`."""

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index, semantic

LEXICAL = Settings(semantic_model=None)
needs_model = pytest.mark.skipif(
    semantic.load_encoder(semantic.WORDLLAMA) is None, reason="wordllama is not installed"
)

ENGLISH_TREE = [
    Candidate("GA1", {"label": "Engineering knowledge"}),
    Candidate(
        "GA1.1",
        {"label": "Apply mathematics and natural science to civil engineering problems"},
        parent="GA1",
    ),
    Candidate("GA4", {"label": "Engineering research"}),
    Candidate(
        "GA4.3",
        {"label": "Analyse and interpret structural test data of concrete members"},
        parent="GA4",
    ),
    Candidate("GA5", {"label": "Modern tools"}),
    Candidate(
        "GA5.1",
        {"label": "Use structural analysis software to model concrete and steel structures"},
        parent="GA5",
    ),
]
COURSE = Query(
    {
        "title": "Structural Engineering Software",
        "description": "Engineering modelling of concrete and steel structures with analysis "
        "software; structural test data.",
    }
)

CHINESE_TREE = [
    Candidate("GA1", {"label": "工程知识"}),
    Candidate("GA1.1", {"label": "能够将数学与自然科学知识用于土木工程问题"}, parent="GA1"),
    Candidate("GA5", {"label": "使用现代工具"}),
    Candidate("GA5.1", {"label": "能够使用结构分析软件对混凝土结构建模"}, parent="GA5"),
]
CHINESE_COURSE = Query({"title": "工程软件", "description": "混凝土结构的建模"})


def _ids(hits):
    return [hit.id for hit in hits]


@pytest.mark.parametrize("settings", [LEXICAL, pytest.param(Settings(), marks=needs_model)])
def test_a_grouping_is_ranked_after_every_specific_ability(settings):
    hits = build_index(ENGLISH_TREE, settings=settings).rank(COURSE, k=10)
    ids = _ids(hits)
    groupings = [i for i, cid in enumerate(ids) if cid in {"GA1", "GA4", "GA5"}]
    specific = [i for i, cid in enumerate(ids) if cid not in {"GA1", "GA4", "GA5"}]
    assert ids[0] == "GA5.1"
    assert "GA4" in ids  # still suggested: a requirement may name it
    assert max(specific) < min(groupings)
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    if settings.semantic_model:
        # Scores (rank terms) say the same order, so a review queue ordering by score agrees.
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_in_chinese_a_grouping_matching_the_generic_word_is_ranked_after_the_precise_one():
    hits = build_index(CHINESE_TREE).rank(CHINESE_COURSE, k=10)
    ids = _ids(hits)
    assert ids[0] == "GA5.1"
    assert ids.index("GA1.1") < ids.index("GA1")
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_the_k_best_are_the_specific_ones_before_any_grouping():
    hits = build_index(ENGLISH_TREE, settings=LEXICAL).rank(COURSE, k=3)
    assert _ids(hits) == ["GA5.1", "GA4.3", "GA1.1"]


def test_an_ability_whose_children_are_not_in_the_pool_is_ranked_on_its_own_score():
    pool = [Candidate(c.id, c.fields) for c in ENGLISH_TREE]  # no parents given: a flat pool
    flat = build_index(pool, settings=LEXICAL).rank(COURSE, k=10)
    tree = build_index(ENGLISH_TREE, settings=LEXICAL).rank(COURSE, k=10)
    assert _ids(flat) != _ids(tree)
    assert sorted(_ids(flat)) == sorted(_ids(tree))
    assert [h.score for h in flat] == sorted((h.score for h in flat), reverse=True)
    assert {h.id: h.score for h in flat} == {h.id: h.score for h in tree}
