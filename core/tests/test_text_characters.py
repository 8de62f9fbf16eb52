"""What a name (one line) and prose (a description, a note) may hold: core.models' validators and
the tidying a publisher's framework import applies instead of refusing."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from core.models import (
    XML_ILLEGAL,
    TextKind,
    illegal_characters,
    text_without_illegal,
    validate_code_characters,
    validate_name_characters,
    validate_prose_characters,
    validate_uri,
)

REFUSED_EVERYWHERE = ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ud800"]
REFUSED_EVERYWHERE += ["\udfff", "\ufffe", "\uffff"]
WRITTEN_TEXT = "跨境电商 Ünïcødé — «quoted» 🚢 e\u0301 zero\u200bwidth"


@pytest.mark.parametrize("character", REFUSED_EVERYWHERE)
def test_names_and_prose_refuse_control_characters_and_what_xml_cannot_carry(character):
    for validate in (validate_name_characters, validate_prose_characters):
        with pytest.raises(ValidationError) as error:
            validate(f"a{character}b")
        assert f"U+{ord(character):04X}" in error.value.messages[0]


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_prose_keeps_tabs_and_line_breaks_a_name_does_not(character):
    validate_prose_characters(f"a{character}b")
    with pytest.raises(ValidationError):
        validate_name_characters(f"a{character}b")


def test_written_text_of_any_script_is_taken():
    validate_name_characters(WRITTEN_TEXT)
    validate_prose_characters(WRITTEN_TEXT)


def test_what_a_name_refuses_covers_what_xml_cannot_carry():
    """The chart served alone strips XML_ILLEGAL from rows stored before names refused it: every
    character it strips is one a name and prose refuse."""
    for code in [*range(0x20), 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF]:
        character = chr(code)
        if XML_ILLEGAL.match(character):
            with pytest.raises(ValidationError):
                validate_prose_characters(character)


def test_tidying_makes_a_name_one_line_and_leaves_the_rest_out():
    assert (
        text_without_illegal("Two\nlines\tand\x1b[0m\x85", kind=TextKind.NAME) == "Two lines and[0m"
    )
    assert (
        text_without_illegal("Two\nlines\tand\x1b[0m\x85", kind=TextKind.PROSE)
        == "Two\nlines\tand[0m"
    )
    assert text_without_illegal(WRITTEN_TEXT, kind=TextKind.NAME) == WRITTEN_TEXT


def test_codes_refuse_every_invisible_format_character_python_knows():
    """The refused characters are a regular expression the database runs too, so the format
    characters (Cf) are listed in it: each one this Python's unicodedata names is in the list."""
    for code in range(0x110000):
        character = chr(code)
        if unicodedata.category(character) == "Cf":
            assert illegal_characters(f"A{character}1", kind=TextKind.CODE), f"U+{code:04X}"


def test_a_code_takes_an_ordinary_space_and_letters_of_any_script():
    validate_code_characters("CCSS.Math 1.A")
    validate_code_characters("数据-1 ü")


def test_tidying_a_publishers_code_spaces_what_broke_a_line_and_drops_the_invisible():
    assert text_without_illegal("A\t1\n2\u0085x\u200b\ufffe\x1b ", kind=TextKind.CODE) == (
        "A 1 2 x"
    )


def test_tidying_a_publishers_uri_percent_encodes_spaces_and_drops_the_invisible():
    tidied = text_without_illegal(' https://e.org/a b\u200b\x1b"c\u3000d ', kind=TextKind.URI)
    assert tidied == "https://e.org/a%20b%22c%E3%80%80d"
    validate_uri(tidied)
