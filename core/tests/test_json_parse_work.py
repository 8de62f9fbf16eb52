"""The API's JSON parser checks a body's depth and its repeated keys without visiting its values
in Python: a valid 2.5 MB body of 830,000 empty arrays took 1.8 to 3.9 s of CPU to read (walked
once for the depth, read again by json for the keys, and Python's collector set off by each
array orjson made), 0.1 to 0.3 s now (benchmarks/bench_json_bodies.py)"""

import gc
import io
import json
import os
import sys
from pathlib import Path

import pytest
from rest_framework.exceptions import ParseError

from core.api.parsers import MAX_DEPTH, JSONParser


def _parse(body: bytes):
    return JSONParser().parse(io.BytesIO(body), parser_context={"encoding": "utf-8"})


# Where a reader's own Python runs: the project's code (the parser, core.limits) and the standard
# library's json package.
_READERS = (str(Path(__file__).resolve().parents[2]) + os.sep, os.path.dirname(json.__file__))
_NOT_READERS = str(Path(__file__).resolve().parents[2] / ".venv")


def _reads(filename: str) -> bool:
    return filename.startswith(_READERS) and not filename.startswith(_NOT_READERS)


def _python_calls(body: bytes) -> int:
    """How many Python functions (and generator steps) of a reader's own code reading `body`
    runs. Only the project's and json's code is counted, with the collector held off after a
    collection: in a worker that had run other tests, CI counted 14 and 30 calls where a fresh
    process counts 12 and 13, Python run during the read for something else (likely the
    finalizers and weakref callbacks of collections the objects of a large body set off)."""
    _parse(body)  # whatever a first read sets up once
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call" and _reads(frame.f_code.co_filename):
            calls += 1

    gc.collect()
    gc.disable()
    sys.setprofile(count)
    try:
        _parse(body)
    finally:
        sys.setprofile(None)
        gc.enable()
    return calls


@pytest.mark.parametrize(
    "value", [b"[]", b"{}", b'{"a": [1, "]"], "b": {"c": null}}', b'["\\"[{", [[[]]]]']
)
def test_the_work_in_python_does_not_grow_with_the_bodys_values(value):
    def body(count: int) -> bytes:
        return b'{"courses": [' + b",".join([value] * count) + b"]}"

    assert _python_calls(body(100_000)) == _python_calls(body(10))


def _nested(levels: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    return opener * levels + closer * levels


@pytest.mark.parametrize(
    "body",
    [
        _nested(MAX_DEPTH),
        b"[" + b",".join([_nested(MAX_DEPTH - 1)] * 1000) + b"]",
        b'{"a":' * (MAX_DEPTH - 1) + b"{}" + b"}" * (MAX_DEPTH - 1),
        # Brackets in strings are text, escaped quotes and backslashes included.
        b'["' + b"[" * 40 + b'\\"[[\\\\", ' + _nested(MAX_DEPTH - 1) + b', "\\\\"]',
    ],
)
def test_a_body_as_deep_as_the_bound_is_read(body):
    _parse(body)


@pytest.mark.parametrize(
    "body",
    [
        _nested(MAX_DEPTH + 1),
        b"[" + b",".join([b"[]"] * 1000 + [_nested(MAX_DEPTH)]) + b"]",
        b'{"a":' * MAX_DEPTH + b"[]" + b"}" * MAX_DEPTH,
        b'["\\\\", ' + _nested(MAX_DEPTH) + b"]",
    ],
)
def test_a_body_one_level_deeper_is_refused(body):
    with pytest.raises(ParseError) as refused:
        _parse(body)
    assert str(refused.value.detail) == ("JSON parse error - the body nests deeper than 32 levels.")


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b"[" + b'{"a": 1, "b": 2},' * 1000 + b'{"b": 1, "c": {"d": [], "d": 2}}]', "d"),
        # Equal once read: an escape spells the same key.
        (b'{"a": 1, "\\u0061": 2}', "a"),
        (b'{"x\\"y": 1, "z": {}, "x\\"y": 2}', 'x"y'),
    ],
)
def test_a_key_given_twice_is_still_refused_wherever_it_is(body, key):
    with pytest.raises(ParseError) as refused:
        _parse(body)
    assert str(refused.value.detail) == (
        f"JSON parse error - the key “{key}” is given twice in one object."
    )


@pytest.mark.parametrize(
    "body", [b'{"a": 1, "A": 2, "a ": 3}', b'[{"a": 1}, {"a": 2}]', b'{"a": {"a": {"a": 1}}}']
)
def test_keys_alike_in_different_objects_or_spellings_are_read(body):
    _parse(body)
