"""core.csv.csv_dataset: a CSV read as a spreadsheet shows it, each row knowing its line, or a
LineProblem naming the line that cannot be read as written."""

import csv

import pytest

from core.csv import LineProblem, csv_dataset, csv_separator


def test_rows_know_the_line_they_start_on_across_quoted_line_breaks():
    dataset = csv_dataset('code,title\nC1,"two\nlines"\n\nC2,x\n')
    assert dataset.line_numbers == [2, 5]
    assert dataset[0] == ("C1", "two\nlines")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('code,title\nC1,"open\nC2,x\nC3,y\n', 2),
        # A closed multi-line cell first: the quote left open is on the row's second line.
        ('code,title,notes\nC1,"two\nlines","open\nC2,x,y\n', 3),
        ('code,title\r\nC1,x\r\nC2,"open\r\nC3,y\r\n', 3),
        # Lines ended by a CR alone (Excel's "CSV (Macintosh)").
        ('code,title\rC1,"two\rlines"\rC2,"open\rC3,y\r', 4),
        ('code,title\nC1,"open', 2),
    ],
)
def test_a_quote_never_closed_names_the_line_it_opens_on(text, line):
    with pytest.raises(LineProblem) as raised:
        csv_dataset(text)
    assert raised.value.line == line
    # The sheet's row beside the line where they differ (test_csv_problem_rows).
    assert raised.value.message.startswith(f"Line {line} ")
    assert "opens a quote that is never closed" in raised.value.message


def test_text_after_a_closing_quote_names_the_line_of_the_quote():
    with pytest.raises(LineProblem) as raised:
        csv_dataset('code,title\nC1,"two\nlines" and more\n')
    assert raised.value.line == 3


def test_csvs_own_bound_on_a_cell_is_reported_as_the_imports_with_the_line(settings):
    """The process's csv bound may be above the import's (never lowered): a cell past both is
    refused by csv itself, and said the same way."""
    settings.IMPORT_MAX_LINE_CHARS = 100
    previous = csv.field_size_limit(150)
    try:
        with pytest.raises(LineProblem) as raised:
            csv_dataset("code,title\nC1,x\nC2," + "y" * 200 + "\n")
    finally:
        csv.field_size_limit(previous)
    assert raised.value.line == 3
    assert raised.value.message.startswith(
        "Line 3 has a cell longer than 100 characters (IMPORT_MAX_LINE_CHARS)"
    )


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("code,title\nC1,a;b\n", ","),
        ("code;title\nC1;a,b\n", ";"),
        ("code\ttitle\nC1\ta,b;c\n", "\t"),
        ('"code; the course\'s",title\n', ","),  # a separator inside a quoted name
        ("Course catalogue 2026\n\ncode;title\n", ";"),  # a title above the header
        ("Course catalogue 2026;;;\ncode;title\n", ";"),
        ("code\n", ","),
        ("", ","),
    ],
)
def test_the_separator_is_the_one_the_header_row_uses(text, separator):
    assert csv_separator(text) == separator


@pytest.fixture
def csv_default_cell_bound():
    """csv's bound on a cell as a fresh process has it (131,072 characters), whatever a test
    before raised it to."""
    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("csv_default_cell_bound")
def test_a_header_longer_than_csvs_own_cell_bound_is_read():
    """A first line past 131,072 characters (a header of 100,000 columns): its separator is
    found and the file read to the import's own bounds, which refuse it by name, where the
    separator's search failed with csv's "field larger than field limit" (an import said "the
    file could not be imported (Error)")."""
    text = ",".join(["c"] * 100_000) + "\n" + ",".join(["v"] * 100_000) + "\n"
    assert csv_separator(text) == ","
    with pytest.raises(LineProblem) as raised:
        csv_dataset(text)
    assert raised.value.line == 1
    assert "(IMPORT_MAX_COLUMNS)" in raised.value.message


def test_rows_know_the_row_a_spreadsheet_shows_them_on_beside_their_line():
    # A spreadsheet shows a record spanning lines as one row, a blank line as an empty row.
    dataset = csv_dataset('code,title\nC1,"two\nlines"\n\nC2,x\nC3,"a\nb"\nC4,y\n')
    assert dataset.line_numbers == [2, 5, 6, 8]
    assert dataset.sheet_rows == [2, 4, 5, 6]
    assert dataset.header_row == 1


def test_a_separator_line_is_no_row_of_the_sheet():
    # Excel reads "sep=;" and does not show it: the header is row 1, on line 2.
    dataset = csv_dataset("sep=;\ncode;title\nC1;x\n")
    assert dataset.line_numbers == [3]
    assert dataset.sheet_rows == [2]
    assert dataset.header_row == 1
