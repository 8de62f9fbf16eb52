"""suggestions.engine.text.cut_short: a quote longer than its limit is cut after a whole word and
ends with "…", never past the limit. No Django: run with `-p no:django`."""

import pytest

from suggestions.engine.text import cut_short


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("overseas", 8, "overseas"),  # fits exactly: not cut
        ("overseas warehouse", 9, "overseas…"),  # the cut falls at the end of a word
        ("overseas warehouse", 15, "overseas…"),  # not "overseas wareh…"
        ("overseas warehouse", 10, "overseas…"),  # the space before the cut is dropped
        ("a verylongword", 8, "a…"),
        ("abcdefghij", 5, "abcd…"),  # one word from the start: cut where it falls
        ("x" * 50, 10, "x" * 9 + "…"),  # longer than a word backs off: cut where it falls
        ("cross-border e-commerce", 17, "cross-border…"),  # a hyphen is inside a word
        ("a don't", 6, "a…"),  # and so is an apostrophe
        ("跨境电子商务运营", 5, "跨境电子…"),  # Chinese is cut anywhere
        ("manage 跨境电商", 9, "manage 跨…"),
    ],
)
def test_a_text_past_its_limit_is_cut_after_a_whole_word(text, limit, cut):
    assert cut_short(text, limit) == cut
    assert len(cut_short(text, limit)) <= limit
