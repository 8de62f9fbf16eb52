"""Which texts the engine reads as Chinese (`mostly_chinese`, `written_in_chinese`) and which
have letters it cannot read (`has_unread_letters`). No Django: run with `-p no:django`."""

import pytest

from suggestions.engine.text import has_unread_letters, mostly_chinese, written_in_chinese


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("数据分析", True),
        ("运用Excel和Python进行数据分析", True),  # a Chinese sentence naming its tools
        ("Data analysis with 数据", False),  # an English one naming a Chinese word
        ("plain English", False),
        ("", False),
    ],
)
def test_a_text_is_chinese_where_its_chinese_words_are_no_fewer_than_its_latin_ones(text, chinese):
    assert mostly_chinese(text) is chinese


def test_an_english_course_with_a_chinese_title_beside_its_english_one_is_not_chinese():
    assert not written_in_chinese("Data analysis", "数据分析", "")
    assert written_in_chinese("数据分析", "", "运用Excel进行数据分析")


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        ("Привет", True),  # Cyrillic
        ("データ", True),  # Japanese kana
        ("Data, 数据 123 😀 – ok!", False),  # noqa: RUF001 - an en dash is punctuation
    ],
)
def test_letters_in_a_script_the_engine_does_not_read_are_noticed(text, unread):
    assert has_unread_letters(text) is unread
