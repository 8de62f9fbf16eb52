"""Observed: the -our rules of `one_spelling` (and `both_spellings`, run backwards) read a word
in time growing with the square of its length, so a run of letters pasted without a space took
the suggestion engine 1.5 s to read at 16,000 letters, 23 s at 64,000, and a line of the
megabyte an import allows a worker's hours; "a'a'a'…" the same (its apostrophes are dropped
first). A word longer than LONGEST_WORD, far longer than any English word, is read as written.
Plain Python: run with `-p no:django` too."""

from core.english import LONGEST_WORD, both_spellings, one_spelling


def test_a_word_up_to_the_limit_is_read_in_its_one_spelling():
    word = "a" * (LONGEST_WORD - len("behaviour")) + "behaviour"
    assert len(word) == LONGEST_WORD
    assert one_spelling(word) == word.removesuffix("behaviour") + "behavior"
    assert both_spellings(word) == (word, one_spelling(word))


def test_a_word_past_the_limit_is_read_as_written():
    word = "a" * (LONGEST_WORD + 1 - len("behaviour")) + "behaviour"
    assert one_spelling(word) == word
    assert both_spellings(word) == (word,)
