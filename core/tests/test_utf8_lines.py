"""core.csv.Utf8Lines: an uploaded file read as UTF-8 one line at a time, so that a byte that is
not UTF-8 is reported on its own line, however far into the file it is."""

import csv
import io

import pytest

from core.csv import NotUtf8Text, Utf8Lines


def _lines(data: bytes, size: int = -1) -> list[str]:
    reader = Utf8Lines(io.BytesIO(data))
    return list(iter(lambda: reader.readline(size), ""))


def test_lines_keep_their_endings_and_a_byte_order_mark_is_dropped():
    data = "\ufeffcode,title\r\nA1,Données\nB2,电子商务\rC3,end".encode()
    assert _lines(data) == ["code,title\r\n", "A1,Données\n", "B2,电子商务\r", "C3,end"]


def test_a_bad_byte_far_past_the_first_block_names_its_own_line():
    good = "".join(f"{n},a line of ordinary text that fills the block\n" for n in range(1, 500))
    data = good.encode() + "500,caf\u00e9\n".encode("latin-1") + b"501,more\n"
    reader = Utf8Lines(io.BytesIO(data))
    with pytest.raises(NotUtf8Text) as raised:
        for _line in reader:
            pass
    assert raised.value.line == 500


@pytest.mark.parametrize("data", [b"ok\r\xe9\n", b"ok\n\xe4\xb8"])
def test_a_bad_byte_after_a_lone_cr_or_a_cut_character_at_the_end_names_line_two(data):
    with pytest.raises(NotUtf8Text) as raised:
        _lines(data)
    assert raised.value.line == 2


def test_a_size_limited_read_counts_characters_and_never_cuts_one_in_two():
    data = "中文字符很长\nx\n".encode()
    assert _lines(data, size=4) == ["中文字符", "很长\n", "x\n"]
    assert _lines(data, size=1)[:3] == ["中", "文", "字"]


def test_csv_reads_quoted_line_breaks_through_it_as_through_a_text_file():
    data = b'a,"two\r\nlines"\r\nb,"lone\rcr"\r\n'
    expected = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert list(csv.reader(Utf8Lines(io.BytesIO(data)))) == expected
    assert expected == [["a", "two\r\nlines"], ["b", "lone\rcr"]]


def test_read_returns_the_rest_and_close_closes_the_underlying_stream():
    raw = io.BytesIO(b'{"a":\n 1}')
    reader = Utf8Lines(raw)
    assert reader.readline() == '{"a":\n'
    assert reader.read() == " 1}"
    reader.close()
    assert raw.closed
