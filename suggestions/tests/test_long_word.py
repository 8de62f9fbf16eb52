"""Observed: a run of letters pasted without a space took the engine 1.5 s to read at 16,000
letters and 23 s at 64,000 (the spelling families' -our rules, core.english); a word longer
than core.english.LONGEST_WORD is now read as written (core/tests/test_spelling_word_limit.py)."""

from suggestions.engine.text import analyse


def test_a_huge_run_of_letters_is_one_term_read_as_written():
    # Every rule's pattern would have matched its start at each of its letters.
    run = "a" * 100_000 + "our"
    assert [term.key for term in analyse(run)] == [run]
    assert [term.key for term in analyse("a'" * 50_000)] == ["a" * 50_000]
