"""Observed: the level reading's work grew with the square of a line's length (each verb's
context was read from the line's start), so a course description pasted as one line of 64,000
characters took 5 to 12 s for each of its twenty suggestions' levels, and one of a megabyte a
worker's whole time. A line, and a clause, is read for its first READ_CHARS characters: far
more than any outcome, requirement or sentence of a description (the ESCO pool's longest line
is 1,512), so what is read is bounded."""

from suggestions.engine.outcomes import READ_CHARS, bloom_verbs, leading_verb, subject_text
from suggestions.levels import propose_level

PAD = "data " * (READ_CHARS // 5)  # READ_CHARS characters naming no verb


def test_a_verb_past_the_read_limit_of_a_line_is_not_read():
    assert bloom_verbs("xx " + PAD + "design") == ()
    assert bloom_verbs("xx data design") == (("design", "M"),)


def test_a_clause_is_read_up_to_the_limit_and_the_next_clause_afresh():
    assert leading_verb("Describe " + "data and " * (READ_CHARS // 9) + "design").level == "I"
    assert leading_verb("Describe data and design").level == "M"
    # A clause after a long one still leads with its verb.
    assert leading_verb(PAD + "data. Design data").level == "M"


def test_the_subject_of_a_huge_clause_keeps_its_length_and_its_words():
    text = "Design " + PAD * 50
    subject = subject_text(text)
    assert len(subject) == len(text)
    assert subject.startswith(" " * len("Design "))
    assert subject.rstrip().endswith("data")


def test_a_level_is_proposed_from_the_start_of_a_megabyte_line():
    # Every word a Bloom verb: before, the 64,000 characters of such a line took 12 s to read.
    line = "Describe web databases and " + "design and " * 100_000
    proposal = propose_level(outcomes=[line], matched_terms=["web databases"])
    assert (proposal.code, proposal.verb) == ("M", "design")
