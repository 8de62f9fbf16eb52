"""Source references in the reader's language.

The loader stores each record's `source_ref` in English ("Table II, position 4"), as it stores
the paper's words: exports, CASE and the history keep it as written. Pages show the references
the loader writes in the interface's language, and the line of a file an import wrote ("req.csv,
line 2", curricula.resources) as the import's reports name it (core.limits.at_line); any other
text (a framework importer's, staff's) as it is.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

from core.i18n import localized
from core.limits import at_line
from core.models import DegreeLevel
from curricula.paper import data_zh

STARTER = gettext_noop("Editorial starter mapping")

_DEGREES = {"Bachelor": DegreeLevel.BACHELOR, "Master": DegreeLevel.MASTER}

_PATTERNS = [
    (
        re.compile(
            r"Table II, position (?P<number>\d+), statement (?P<statement>\d+); "
            r"area editorial \(Table II gives no area\)"
        ),
        gettext_noop(
            "Table II, position %(number)s, statement %(statement)s; area editorial (Table II "
            "gives no area)"
        ),
    ),
    (
        re.compile(
            r"Table II, position (?P<number>\d+), statement (?P<statement>\d+); "
            r"importance and level editorial \(Table II gives neither\)"
        ),
        gettext_noop(
            "Table II, position %(number)s, statement %(statement)s; importance and level "
            "editorial (Table II gives neither)"
        ),
    ),
    (
        re.compile(r"Table II, position (?P<number>\d+), statement (?P<statement>\d+)"),
        gettext_noop("Table II, position %(number)s, statement %(statement)s"),
    ),
    (
        re.compile(r"Table II, position (?P<number>\d+)"),
        gettext_noop("Table II, position %(number)s"),
    ),
    (
        re.compile(
            r"Table I, (?P<track>[^,;]+), (?P<degree>Bachelor|Master); "
            r"Table II gives no profile"
        ),
        gettext_noop("Table I, %(track)s, %(degree)s; Table II gives no profile"),
    ),
    (
        re.compile(
            r"Table I, (?P<track>[^,;]+), (?P<degree>Bachelor|Master), title (?P<number>\d+)"
        ),
        gettext_noop("Table I, %(track)s, %(degree)s, title %(number)s"),
    ),
]


# What the catalogue, link and requirement imports store: the file and the line of the row.
_IMPORTED_LINE = re.compile(r"(?P<file>.+), line (?P<line>[1-9][0-9]*)")


def source_ref_label(text: str) -> str:
    """`text` in the interface's language when the loader or an import wrote it, else
    unchanged."""
    if text == STARTER:
        return gettext(STARTER)
    imported = _IMPORTED_LINE.fullmatch(text)
    if imported is not None:
        return at_line(int(imported["line"]), file=imported["file"])
    for pattern, message in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = match.groupdict()
        if "track" in values:
            values["track"] = localized(values["track"], data_zh.TRACKS.get(values["track"], ""))
        if "degree" in values:
            values["degree"] = str(_DEGREES[values["degree"]].label)
        return gettext(message) % values
    return text
