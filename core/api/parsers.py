"""The API's JSON parser: every body it cannot read is a 400, never a server error."""

import codecs
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from core.api.filters import excerpt
from core.json_problems import json_problem
from core.limits import json_outline, json_outline_nests_deeper, json_text_nests_deeper

# No request of this API nests deeper than a handful of levels; a deep body is an attack on the
# recursion of whatever reads it next (serializers, JSONField's encoder, error rendering).
MAX_DEPTH = 32


class DuplicateKeyError(ValueError):
    pass


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return found


def without_byte_order_mark(raw: bytes | str) -> bytes | str:
    """`raw` without one leading byte order mark, which RFC 8259 (8.1) lets a reader ignore and
    Windows tools write (PowerShell's UTF8, Notepad's "UTF-8 with BOM"): orjson refuses it. A
    second is text before the JSON, refused as such; the file imports drop one alike
    (core.csv.Utf8Lines)."""
    if isinstance(raw, bytes):
        return raw.removeprefix(codecs.BOM_UTF8)
    return raw.removeprefix("\ufeff")


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a body is read into objects: each
    container a reader makes counts toward the next collection, so the 830,000 arrays of a
    2.5 MB body set off collections of every object the process holds, 0.8 s of the 0.9 s
    orjson took in a worker (0.06 s without). Nothing read is garbage until the request
    ends; a collector paused by someone else stays paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _not_json(exc: json.JSONDecodeError) -> ParseError:
    # The reader's own words are English whatever the request's language: said in the
    # project's, with the place.
    return ParseError(
        _("JSON parse error - %(problem)s (line %(line)d, column %(column)d).")
        % {"problem": json_problem(exc.msg), "line": exc.lineno, "column": exc.colno}
    )


def _too_deep() -> ParseError:
    return ParseError(
        _("JSON parse error - the body nests deeper than %(limit)d levels.") % {"limit": MAX_DEPTH}
    )


class JSONParser(DRFJSONParser):
    """DRF's JSON parser on orjson, reading past one leading byte order mark, with the failures
    DRF lets through turned into 400s: a body nested past MAX_DEPTH (json's recursion gave a
    RecursionError, a 500), bytes that are not in the request's charset, NaN and Infinity (not
    JSON), and a key given twice in one object (read, it took the last value and dropped the
    first without a word)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                raw = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("JSON parse error - the body is not %(charset)s text.")
                % {"charset": excerpt(encoding)}
            ) from exc
        except LookupError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        raw = without_byte_order_mark(raw)
        try:
            # orjson reads UTF-8 only, refuses NaN and Infinity, and stops at 1024 levels
            # with a JSONDecodeError instead of exhausting the stack.
            with _collection_paused():
                data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            # A body orjson stopped reading past MAX_DEPTH (at its own bound, 1,024 levels, or
            # for a body cut short there) is refused as a shallower deep one is, in this
            # parser's words, not in orjson's ("depth limit exceeded: line 1 column 1026").
            # Told by measuring the text up to where orjson stopped, not by its words, which
            # differ for the same fault ("failed to allocate memory" for 1,100 unclosed "[").
            read = exc.doc[: exc.pos + 1] if isinstance(exc.doc, str) else ""
            if json_text_nests_deeper(read, MAX_DEPTH):
                raise _too_deep() from exc
            raise _not_json(exc) from exc
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        if not isinstance(data, dict | list):
            return data
        # Both checks read the text's outline, in bytes operations: walking what orjson
        # returned in Python, and reading the body again with json's pairs, took seconds for a
        # 2.5 MB body of 830,000 empty arrays.
        outline = json_outline(raw)
        if json_outline_nests_deeper(outline, MAX_DEPTH):
            raise _too_deep()
        # orjson keeps the last of two equal keys and cannot be asked otherwise; written back,
        # each object has one member a key, so fewer members than the body wrote is a key given
        # twice, then found by reading the body once more with json's pairs in hand.
        written = outline.count(b":")
        if written > 1 and json_outline(orjson.dumps(data)).count(b":") != written:
            try:
                with _collection_paused():
                    json.loads(raw, object_pairs_hook=_refuse_duplicate_keys)
            except DuplicateKeyError as exc:
                raise ParseError(
                    _("JSON parse error - the key “%(key)s” is given twice in one object.")
                    % {"key": excerpt(exc.args[0])}
                ) from exc
        return data
