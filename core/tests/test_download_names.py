"""A download's file name (core.downloads.content_disposition): readable in any language, as
RFC 6266's filename*=UTF-8''… with an ASCII filename= beside it for clients that read only
that, and nothing of the record's name that could break the header or the file system."""

import re
from urllib.parse import unquote

import pytest

from core.downloads import MAX_LABEL_CHARS, content_disposition

CHINESE = "软件工程"


def _names(header: str) -> tuple[str, str | None]:
    ascii_name = re.search(r'filename="([^"]*)"', header)[1]
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header)
    return ascii_name, unquote(encoded[1]) if encoded else None


def test_a_chinese_name_is_given_whole_with_an_ascii_fallback():
    header = content_disposition(label=CHINESE, suffix="-map.csv", fallback="programme-7")

    assert header.startswith("attachment; ")
    assert _names(header) == ("programme-7-map.csv", f"{CHINESE}-map.csv")
    assert header.isascii()


def test_an_ascii_name_needs_no_encoded_form():
    header = content_disposition(label="Web Design", suffix="-map.csv", fallback="programme-7")

    assert header == 'attachment; filename="web-design-map.csv"'


def test_accents_fold_into_the_ascii_name():
    header = content_disposition(label="Génie logiciel", suffix=".xlsx", fallback="programme-7")

    assert _names(header) == ("genie-logiciel.xlsx", "génie-logiciel.xlsx")


@pytest.mark.parametrize(
    "label",
    [
        'a"; filename="evil.exe',
        "a\r\nSet-Cookie: x=1",
        "../../etc/passwd",
        "a\\b/c",
        "a\x00b\x1b[31m\x7f\u202eexe.csv",
        "a;b,c'd%20e",
    ],
)
def test_nothing_of_the_name_can_break_the_header_or_a_path(label):
    header = content_disposition(label=label, suffix=".csv", fallback="programme-7")

    assert header.isascii()
    assert header.isprintable()
    assert header.count('"') == 2
    assert header.count(";") in (1, 2)
    for name in _names(header):
        if name is None:
            continue
        assert name.endswith(".csv")
        assert not set(name) & set('/\\"\r\n;%\x00\x1b\x7f\u202e')
        assert name.isprintable()
        assert not name.startswith((".", "-"))


def test_a_long_name_is_cut():
    header = content_disposition(label=CHINESE * 100, suffix="-map.csv", fallback="programme-7")

    _ascii, readable = _names(header)
    assert readable == CHINESE * (MAX_LABEL_CHARS // len(CHINESE)) + "-map.csv"
    assert len(header) < 1000


@pytest.mark.parametrize("label", ["", "   ", "!!!", "\x00"])
def test_a_name_with_nothing_to_show_gives_the_fallback(label):
    header = content_disposition(label=label, suffix="-map.csv", fallback="programme-7")

    assert header == 'attachment; filename="programme-7-map.csv"'


def test_an_inline_file_says_so():
    header = content_disposition(
        label=CHINESE, suffix="-coverage.svg", fallback="programme-7", inline=True
    )

    assert header.startswith("inline; ")
