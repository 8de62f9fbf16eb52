"""Accented Latin letters are read as their letters. The engine read only a-z, so "café résumé
naïve" was the terms caf, sum, na and ve (a word broken at each accent), a course writing
"résumé" never met an ability writing "resume", and has_unread_letters("café") said the text
held a script the engine cannot read. The site's search folds accents (core.search.fold); the
suggestions read words as it does. No Django: run with `-p no:django`."""

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.text import analyse, has_unread_letters

LEXICAL = Settings(semantic_model=None)


def words(text: str) -> list[str]:
    return [t.key for t in analyse(text, phrases=False)]


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        ("café", "cafe"),
        ("résumé writing", "resume writing"),
        ("naïve Bayes", "naive Bayes"),
        ("façade design", "facade design"),
        ("Søren Kierkegaard", "Soren Kierkegaard"),
        ("Łódź logistics", "Lodz logistics"),
        ("CAFÉ", "cafe"),
    ],
)
def test_an_accented_word_is_the_word_without_its_accents(accented, plain):
    assert words(accented) == words(plain)


def test_accented_latin_text_has_no_unread_letters():
    assert not has_unread_letters("café résumé naïve façade Łódź")
    assert has_unread_letters("Привет")  # Cyrillic is still a script the engine cannot read


def test_an_accented_course_text_finds_its_ability_and_the_explanation_quotes_it_as_written():
    index = build_index(
        [
            Candidate("resume", {"label": "write a resume"}),
            Candidate("warehouse", {"label": "manage a warehouse"}),
        ],
        settings=LEXICAL,
    )

    [best, *_] = index.rank(Query({"description": "Students write a résumé."}), k=2)

    assert best.id == "resume"
    assert "résumé" in [match.term_or_phrase for match in best.explanation]
