"""Observed: a course's description and outcomes, a position's description and an ability's
description have no length limit, and the engine read each whole at every suggestion refresh
and in each request ranking one course: a megabyte of English took seconds to analyse, one of
Chinese without punctuation 18 to 40 s (mostly jieba), so one staff user or one imported row
held a worker for minutes. Each field is read for its first READ_FIELD_CHARS characters, cut
at a line break, sentence end or space near the limit: far more than any real text (the ESCO
pool's longest field is 1,512 characters, a 20-page syllabus about 60,000). Nothing past that
part is matched, quoted, or read for a level or an importance; the stored text stays whole."""

from types import SimpleNamespace

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index, semantic
from suggestions.engine.text import READ_FIELD_CHARS, read_part
from suggestions.levels import descriptions_segments
from suggestions.services import outcome_lines

LEXICAL = Settings(semantic_model=None)
needs_model = pytest.mark.skipif(
    semantic.load_encoder(semantic.WORDLLAMA) is None, reason="wordllama is not installed"
)
PAD = "zzz " * (READ_FIELD_CHARS // 4)  # READ_FIELD_CHARS characters naming nothing in the pool
POOL = [
    Candidate(1, {"label": "execute software tests", "description": "Run tests on software."}),
    Candidate(4, {"label": "bake bread", "description": "Knead and bake dough."}),
]


def test_a_field_is_read_whole_up_to_the_limit_and_cut_near_it_past_that():
    assert read_part("Bake bread. Knead dough.") == "Bake bread. Knead dough."
    assert read_part(PAD[:-1]) == PAD[:-1]
    exactly = "x" * (READ_FIELD_CHARS - 100) + ". " + "y" * 98  # a sentence end near the limit
    assert read_part(exactly) == exactly
    # Past the limit: at the last sentence end near it, else the last space, else the limit.
    text = "x" * (READ_FIELD_CHARS - 100) + ". Knead dough " + "y" * 200
    assert read_part(text) == "x" * (READ_FIELD_CHARS - 100) + "."
    assert read_part(PAD + "knead") == PAD
    assert read_part("x" * (READ_FIELD_CHARS + 5)) == "x" * READ_FIELD_CHARS


def test_a_query_term_only_past_the_limit_does_not_match_one_before_it_does():
    index = build_index(POOL, settings=LEXICAL)
    past = index.rank(Query({"title": "Course", "description": PAD + "knead dough"}))
    before = index.rank(Query({"title": "Course", "description": "knead dough " + PAD}))
    assert [hit.id for hit in past] == []
    assert [hit.id for hit in before] == [4]


def test_a_candidate_term_only_past_the_limit_does_not_match():
    pool = [*POOL, Candidate(7, {"label": "prove", "description": PAD + "sourdough"})]
    index = build_index(pool, settings=LEXICAL)
    assert [hit.id for hit in index.rank(Query({"title": "sourdough"}))] == []
    pool = [*POOL, Candidate(7, {"label": "prove", "description": "sourdough " + PAD})]
    index = build_index(pool, settings=LEXICAL)
    assert [hit.id for hit in index.rank(Query({"title": "sourdough"}))] == [7]


@needs_model
def test_no_reason_quotes_a_sentence_past_the_limit():
    """The model read every sentence, and named the closest one, wherever it stood."""
    index = build_index(POOL)
    lines = "Students take part in the zzz seminar.\n" * (READ_FIELD_CHARS // 38)
    description = lines + "Knead the dough and bake the bread every morning."
    hits = index.rank(Query({"title": "Course", "description": description}))
    read = read_part(description)
    for hit in hits:
        for match in hit.explanation:
            assert match.term_or_phrase.rstrip("…") in read
            assert "morning" not in match.term_or_phrase


def test_a_level_or_an_importance_is_read_only_from_the_read_part():
    outcomes = "Describe zzz\n" * (READ_FIELD_CHARS // 13 + 1) + "Design web databases"
    course = SimpleNamespace(outcomes=outcomes, description="")
    assert "Design web databases" not in outcome_lines(course)
    assert "Describe zzz" in outcome_lines(course)
    described = SimpleNamespace(outcomes="", description=PAD + ". Design web databases.")
    assert not any("Design" in line for line in outcome_lines(described))
    segments = descriptions_segments(PAD + "\nMust have:\nSQL databases.", "")
    assert not any("SQL" in sentence for sentence, _, _ in segments)
