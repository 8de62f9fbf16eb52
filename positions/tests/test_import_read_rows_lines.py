"""`read_rows` names the line of a cell longer than csv's own bound on a cell. Observed: the
line before it ("line 2" for a cell on line 3), as csv's reader counts only the lines it has
finished when its error is raised."""

import csv
import io

import pytest

from positions.importers.base import ImportFailed, read_rows


@pytest.fixture
def small_cell_bound():
    before = csv.field_size_limit(50)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("small_cell_bound")
@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the long cell on a line of its own
        ("code,title\nC1,first\nC2," + "x" * 60 + "\nC3,third\n", 3),
        # the first line of a file past its header
        ("code,title\nC1," + "x" * 60 + "\n", 2),
        # a quoted cell over several lines, too long on its third
        ('code,title\nC1,first\nC2,"a\nb\n' + "x" * 60 + '"\n', 5),
    ],
)
def test_a_cell_past_csvs_bound_is_refused_at_its_own_line(text, line):
    with pytest.raises(ImportFailed) as raised:
        list(read_rows(io.StringIO(text), name="skills.csv"))
    assert raised.value.where == f"skills.csv line {line}"


def test_a_header_naming_a_column_twice_is_refused_naming_both():
    """Observed: read, the later column's values took the earlier's place, unsaid (an ESCO
    file's preferredLabel from whichever column came last)."""
    text = "conceptUri,preferredLabel,preferredLabel\nhttp://x/1,First,Second\n"
    with pytest.raises(ImportFailed) as raised:
        list(read_rows(io.StringIO(text), name="skills_en.csv"))
    assert raised.value.where == "skills_en.csv line 1"
    assert "“preferredLabel”" in raised.value.message
    assert "columns 2 and 3" in raised.value.message
