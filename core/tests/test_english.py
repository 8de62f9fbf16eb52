"""British and American spellings (core.english), read as one by the suggestion engine and
the site search. Plain Python: run with `-p no:django` too."""

import pytest

from core.english import both_spellings, one_spelling


@pytest.mark.parametrize(
    ("word", "spelt"),
    [
        ("optimize", ("optimize", "optimise")),
        ("optimisation", ("optimisation", "optimization")),
        ("behavior", ("behavior", "behaviour")),
        ("favourite", ("favourite", "favorite")),
        ("centre", ("centre", "center")),
        ("centering", ("centering", "centring")),
        ("license", ("license", "licence")),
        ("cataloged", ("cataloged", "catalogued")),
        ("program", ("program", "programme")),
        ("fueled", ("fueled", "fuelled")),
        ("licensing", ("licensing", "licencing")),
        ("pediatric", ("pediatric", "paediatric")),
        ("anaesthetize", ("anaesthetize", "anesthetise", "anesthetize", "anaesthetise")),
        ("hemoglobin", ("hemoglobin", "haemoglobin")),
        ("maneuvering", ("maneuvering", "manoeuvring")),
        ("manoeuvering", ("manoeuvering", "maneuvering", "manoeuvring")),
        ("tires", ("tires", "tyres")),
        ("molding", ("molding", "moulding")),
        ("jewellery", ("jewellery", "jewelry")),
        ("practiced", ("practiced", "practised")),
        ("inquiries", ("inquiries", "enquiries")),
        ("judgment", ("judgment", "judgement")),
        # One spelling alone: left apart, as the engine leaves them (its tests), or no variant.
        ("analyze", ("analyze",)),
        ("analyse", ("analyse",)),
        ("size", ("size",)),
        ("hour", ("hour",)),
        ("string", ("string",)),
        ("science", ("science",)),
        ("tired", ("tired",)),
        ("moldova", ("moldova",)),
        ("practical", ("practical",)),
        ("fetch", ("fetch",)),
        ("hemp", ("hemp",)),
        ("anemometer", ("anemometer", "anemometre")),  # not "anaemometer"
        ("check", ("check",)),
        ("aesthetic", ("aesthetic",)),
    ],
)
def test_both_spellings_are_every_spelling_read_as_the_word(word, spelt):
    """A search cannot rewrite what it searches (PostgreSQL's vectors hold the words as
    written), so it asks for every spelling `one_spelling` reads as the word."""
    assert both_spellings(word) == spelt
    assert {one_spelling(form) for form in spelt} == {one_spelling(word)}
