"""Observed: a file in old Mac line ends (each line ending in a lone "\\r") comes in one read,
split into its lines, and each line taken from the front of a list shifted every line after
it: 256 kB took 1.5 s to read, 1 MB 20 s, 10 MB half an hour of a worker. The lines waiting
are now taken from a deque, each in constant time."""

import io
from collections import deque

from core.csv import Utf8Lines


def test_the_lines_of_one_read_wait_in_a_deque():
    reader = Utf8Lines(io.BytesIO(b"a\rb\rc\r"))
    assert reader.readline() == "a\r"
    # Taken from the front without shifting the rest (a list's pop(0) moves every one).
    assert isinstance(reader._pending, deque)
    assert list(reader._pending) == [b"b\r", b"c\r"]


def test_every_line_of_a_file_of_lone_carriage_returns_is_read_and_counted():
    n = 100_000
    reader = Utf8Lines(io.BytesIO("é,1\r".encode() * n + b"last"))
    lines = list(iter(reader.readline, ""))
    assert len(lines) == n + 1
    assert set(lines[:-1]) == {"é,1\r"}
    assert lines[-1] == "last"
    assert reader.line == n
