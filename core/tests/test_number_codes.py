"""What an unknown code may have been before a spreadsheet read it as a number
(core.number_codes): the known codes of its value, where it is written as a spreadsheet writes
numbers. The doors that say so are tested where they are (curricula, positions)."""

import pytest

from core.number_codes import NumberReadings, number_reading_hint, written_as_number


@pytest.mark.parametrize(
    ("unknown", "known", "expected"),
    [
        ("7", ["007", "07", "7A", "70"], ["07", "007"]),
        ("1.1", ["1.10", "1.100", "1.11", "11"], ["1.10", "1.100"]),
        ("1000", ["1E3", "1e3", "1000A"], ["1E3", "1e3"]),
        ("1E+03", ["1E3", "1000"], ["1E3", "1000"]),
        ("1.00E+03", ["1E3"], ["1E3"]),
        ("0.5", [".5", "0.50"], [".5", "0.50"]),
        # Not as a spreadsheet writes a number: the file's own code, not the spreadsheet's.
        ("007", ["7"], []),
        ("1.10", ["1.1"], []),
        ("C7", ["C007"], []),
        ("", ["0"], []),
    ],
)
def test_the_known_codes_an_unknown_one_may_have_been_are_those_of_its_value(
    unknown, known, expected
):
    assert sorted(NumberReadings(lambda: known).could_have_been(unknown)) == sorted(expected)


def test_the_known_codes_are_read_once_and_only_for_a_number_like_code():
    reads = []

    def codes():
        reads.append(1)
        return ["007"]

    readings = NumberReadings(codes)
    assert readings.hint("NOPE") == ""
    assert reads == []
    assert "“007”" in readings.hint("7")
    assert "“007”" in readings.hint("7")
    assert reads == [1]


def test_a_hint_names_up_to_three_codes_and_none_past_that():
    assert number_reading_hint([]) == ""
    assert "“007”, “07”, “0007”" in number_reading_hint(["007", "07", "0007"])
    assert number_reading_hint(["007", "07", "0007", "00007"]) == ""


def test_a_huge_exponent_is_not_a_number_to_compare():
    assert not written_as_number("1E999999999")
    assert NumberReadings(lambda: ["1E999999"]).could_have_been("1E999999999") == []


def test_a_refusal_names_all_three_codes_of_the_value_and_none_where_there_are_four():
    """Up to READINGS_LISTED known codes are named, shortest first; one more, and the guess says
    nothing, so no hint (the readings must keep that fourth code to know it)."""
    three = NumberReadings(lambda: ["0007", "007", "07"])
    assert three.hint("7") == (
        "Did you mean one of “07”, “007”, “0007”? A spreadsheet may have read the code as a "
        "number: set its column to Text when opening the CSV, or edit the XLSX download, which "
        "keeps codes as text."
    )
    assert NumberReadings(lambda: ["007"]).hint("7") == (
        "Did you mean “007”? A spreadsheet may have read the code as a number: set its column to "
        "Text when opening the CSV, or edit the XLSX download, which keeps codes as text."
    )
    four = NumberReadings(lambda: ["0007", "007", "07", "00007"])
    assert four.hint("7") == ""
