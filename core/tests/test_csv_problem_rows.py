"""Observed: a CSV record's problem found while reading the file (a quote never closed, a cell
too long, text after a closing quote, a value in a column the header does not name) said "Line
9 ..." only, though the reader knew the row a spreadsheet shows the record on: in a file whose
quoted cells span lines before it, row 5, which the problems found after reading (at_line) name
beside the line. They now say it too where it differs; a line that is its row reads as before."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.csv import LineProblem, csv_dataset

# Two records of three lines each (rows 2 and 3), a blank line (row 4): line 9 is row 5.
SPANNING = (
    "code,title,outcomes\n"
    'C1,Databases,"Design a schema\nWrite queries\nTune indexes"\n'
    'C2,Networks,"Route packets\nSecure a LAN\nTrace a fault"\n'
    "\n"
)


def _problem(text: str) -> str:
    with pytest.raises(LineProblem) as refused:
        csv_dataset(text)
    return refused.value.message


def test_a_quote_never_closed_names_its_row_beside_its_line():
    message = _problem(SPANNING + 'C3,Broken,"never closed\nmore\n')
    assert message.startswith("Line 9 (row 5 of the sheet) opens a quote that is never closed")


def test_text_after_a_closing_quote_names_its_row_beside_its_line():
    message = _problem(SPANNING + 'C3,"Broken"x,y\n')
    assert message.startswith("Line 9 (row 5 of the sheet) has text after the closing quote")


def test_a_cell_too_long_names_its_row_beside_its_line(settings):
    settings.IMPORT_MAX_LINE_CHARS = 200_000
    message = _problem(SPANNING + "C3,Broken," + "x" * 200_001 + "\n")
    assert message.startswith("Line 9 (row 5 of the sheet) has a cell longer than")


def test_a_value_in_an_unnamed_column_names_its_row_beside_its_line():
    # Past the rows below the header that may be wider (HEADER_SEARCH_ROWS).
    text = SPANNING + "".join(f"C{n},T{n},\n" for n in range(3, 15)) + "C15,T15,,extra\n"
    message = _problem(text)
    assert message.startswith("Line 21 (row 17 of the sheet) has a value in column 4")


def test_a_line_that_is_its_row_says_no_row():
    message = _problem('code,title\nC1,"never closed\n')
    assert message.startswith("Line 2 opens a quote")
    assert "row" not in message


@pytest.mark.django_db
def test_a_record_given_twice_names_the_first_ones_row_beside_its_line(tmp_path):
    """ "Line %(first)d already gives this course" named the first record by its line alone."""
    path = tmp_path / "courses.csv"
    # C1 first on line 5, row 3 of the sheet (a record of three lines before it); again on 6.
    path.write_text(
        "code,title,outcomes\n"
        'C0,Databases,"Design a schema\nWrite queries\nTune indexes"\n'
        "C1,Networks,\n"
        "C1,Networks again,\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_courses", str(path), stderr=err)
    assert "Line 5 (row 3 of the sheet) already gives this" in err.getvalue()
