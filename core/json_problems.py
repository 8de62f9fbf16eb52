"""What is wrong with a text that is not JSON, in the reader's language.

The JSON readers word their refusals in English of their own ("unexpected control character in
string", "Expecting property name enclosed in double quotes"), which reached a Chinese client
as they were, inside an otherwise Chinese message: the API's "JSON parse error - …" and a CASE
import's "malformed JSON: …". Each reader's messages are sorted here into the few problems a
writer of JSON makes, each said in words the catalogue translates; the line and column say
where.
"""

from django.utils.translation import gettext_lazy as _

# (a part of the message orjson or Python's json gives, the problem): the first that matches
# names it. orjson's messages are yyjson's; Python's json module's come from json.decoder.
_PROBLEMS = (
    ("byte order mark", "bom"),
    ("BOM", "bom"),
    ("not valid UTF-8", "utf8"),
    ("surrogate", "surrogate"),
    ("control character", "control"),
    ("escape", "escape"),
    ("trailing comma", "trailing_comma"),
    ("content after document", "extra"),
    ("Extra data", "extra"),
    ("string key", "key"),
    ("property name", "key"),
    ("expected ':'", "separator"),
    ("expected ','", "separator"),
    ("delimiter", "separator"),
    ("leading zero", "number"),
    ("end of data", "end"),
    ("empty", "end"),
    ("Unterminated string", "end"),
    ("expected a JSON value", "value"),
    ("Expecting value", "value"),
)


# What each problem is called; gettext_lazy, so each is said in the language active when read.
_WORDS = {
    "bom": _("a byte order mark before the JSON (save the file as UTF-8 without BOM)"),
    "utf8": _("bytes that are not UTF-8 text"),
    "surrogate": _("half of a UTF-16 pair (a lone surrogate), which is no character"),
    "control": _(
        "a control character (such as a line break or a tab) inside a string: "
        "write it as an escape (\\n, \\t)"
    ),
    "escape": _("a backslash escape JSON does not have"),
    "trailing_comma": _("a comma after the last item"),
    "extra": _("more text after the JSON value"),
    "key": _("a key that is not text in double quotes"),
    "separator": _("a comma or colon missing"),
    "number": _("a number starting with 0"),
    "end": _("the text ends before the JSON value does"),
    "value": _(
        "something that is not a JSON value (text goes in double quotes; true, false and "
        "null are lower case)"
    ),
}
NOT_JSON = _("text that is not JSON")


def json_problem(message: str) -> str:
    """The problem a JSON reader's `message` names, in the active language; "text that is not
    JSON" for a message of neither reader's."""
    problem = next((problem for part, problem in _PROBLEMS if part in message), None)
    return str(_WORDS[problem] if problem else NOT_JSON)
