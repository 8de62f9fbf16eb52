"""An uploaded CSV is read in the encoding its uploader chooses (core.csv.reading_encoding):
UTF-8 by default (UTF-16 by its byte order mark, as before), GB18030 (which reads GBK and
GB2312: Excel's and WPS's plain "CSV" on Chinese Windows), Big5, Windows-1252. Never guessed:
a file that is not UTF-8 is refused naming its line, and told that it reads as GB18030 only
where it reads so into Chinese; a file that does not read in the encoding chosen is refused
naming its line, which stays the file's own line past cells spanning lines."""

import codecs

import pytest
from django.core.exceptions import ValidationError

from core.csv import (
    CSV_ENCODING_NAMES,
    NotInEncoding,
    NotUtf8Text,
    csv_dataset,
    csv_encoding,
    decoded_text,
    reading_encoding,
    utf8_text,
)

CHINESE = 'code,title\nC1,高等数学\nC2,"数据结构\n与算法"\nC3,线性代数\n'
EUROPEAN = 'code,title\nC1,Économie générale\nC2,"Crème\nbrûlée"\nC3,Straße\n'


def _refusal(content: bytes, encoding: str | None = None, **kwargs) -> str:
    with reading_encoding(encoding), pytest.raises(ValidationError) as raised:
        utf8_text(content, **kwargs)
    [message] = raised.value.message_dict["file"]
    return message


def test_the_encodings_offered():
    assert CSV_ENCODING_NAMES == ("utf-8", "gb18030", "big5", "windows-1252")
    assert csv_encoding() == "utf-8"


@pytest.mark.parametrize("saved_in", ["gb18030", "gbk", "gb2312"])
def test_chinese_windows_csv_reads_as_gb18030_when_chosen(saved_in):
    with reading_encoding("gb18030"):
        assert utf8_text(CHINESE.encode(saved_in)) == CHINESE


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("windows-1252", EUROPEAN), ("big5", "code,title\nC1,資料結構\n"), ("utf-8", CHINESE)],
)
def test_each_encoding_reads_its_own_bytes(encoding, text):
    with reading_encoding(encoding):
        assert utf8_text(text.encode(encoding)) == text
    assert decoded_text(text.encode(encoding), encoding=encoding) == text


def test_the_encoding_is_named_in_any_case_and_reset_after_the_block():
    with reading_encoding("GB18030"):
        assert csv_encoding() == "gb18030"
    assert csv_encoding() == "utf-8"


def test_an_encoding_not_offered_is_refused_on_the_encoding_field():
    with pytest.raises(ValidationError) as raised, reading_encoding("latin-1"):
        pass
    [message] = raised.value.message_dict["encoding"]
    assert "latin-1" in message
    assert "gb18030" in message


def test_by_default_a_gb18030_file_is_refused_naming_its_line_and_what_it_reads_as():
    """Observed: "Line 2 is not UTF-8 text. Save the file ... as CSV UTF-8", though the file
    reads as GB18030 into Chinese: the uploader was not told the encoding to choose."""
    message = _refusal(CHINESE.encode("gb18030"))

    assert message.startswith("Line 2 is not UTF-8 text")
    assert "it reads as GB18030 (Chinese Windows): choose that encoding" in message
    assert "CSV UTF-8" in message
    assert ".xlsx" in message
    assert ".xlsx" not in _refusal(CHINESE.encode("gb18030"), workbooks=False)


@pytest.mark.parametrize(
    "text",
    [EUROPEAN, "code,title\nC1,Café résumé naïve\n", "a,b\nC1,Ça été élevé à côté\n"],
)
def test_windows_1252_bytes_are_not_said_to_read_as_gb18030(text):
    """They mostly decode as GB18030 too, into nonsense ("Économie" as "蒫onomie"): the file
    is not said to be Chinese, and nothing is guessed."""
    message = _refusal(text.encode("windows-1252"))

    assert message.startswith("Line 2 is not UTF-8 text.")
    assert "GB18030" not in message


def test_big5_bytes_are_not_said_to_read_as_gb18030():
    """Big5 (Taiwan, Hong Kong) reads as GB18030 too, into nonsense, some of it of GB2312's
    common characters ("高等數學" as "蔼单计厩"): not said to be GB18030, which would import it
    as that nonsense."""
    text = "code,title\nC1,高等數學\nC2,計算機概論,程式設計\n"

    message = _refusal(text.encode("big5"))

    assert message.startswith("Line 2 is not UTF-8 text.")
    assert "GB18030" not in message
    with reading_encoding("big5"):
        assert utf8_text(text.encode("big5")) == text


def test_an_encoding_that_does_not_fit_is_refused_naming_the_files_own_line():
    """A euro sign (0x80 in Windows-1252) is no GB18030: refused on line 5, the cell spanning
    lines 3 and 4 above it counted as the two lines it is."""
    content = (EUROPEAN + "C4,5 €\n").encode("windows-1252")

    message = _refusal(content, "gb18030")

    assert message.startswith("Line 6 is not GB18030 text.")
    assert "Choose the encoding the file was saved in" in message
    with pytest.raises(NotInEncoding) as raised:
        decoded_text(content, encoding="gb18030")
    assert (raised.value.line, raised.value.encoding) == (6, "gb18030")


def test_lines_of_a_chosen_encoding_stay_the_files_lines_in_the_dataset():
    with reading_encoding("gb18030"):
        dataset = csv_dataset(utf8_text(CHINESE.encode("gb18030")))

    assert dataset.line_numbers == [2, 3, 5]
    assert dataset["title"] == ["高等数学", "数据结构\n与算法", "线性代数"]


def test_a_byte_order_mark_says_what_a_file_is_whatever_was_chosen():
    with reading_encoding("gb18030"):
        assert utf8_text(codecs.BOM_UTF8 + CHINESE.encode()) == CHINESE
        assert utf8_text(CHINESE.encode("utf-16")) == CHINESE


def test_a_not_utf8_stream_error_is_unchanged_without_the_finding():
    assert NotUtf8Text(3).reads_as_gb18030 is False
