"""Codes a spreadsheet read as numbers: what an unknown code may have been before.

LibreOffice Calc and Excel, opening a CSV with their default settings, read a code that looks
like a number as that number and save it as they write numbers: course 007 comes back as 7,
indicator 1.10 as 1.1, 1E3 as 1000 (or 1.00E+03). The import then finds no such code. Where the
unknown code is a number as a spreadsheet writes it, the known codes of the same value (007 and
07 for 7, 1.10 for 1.1, 1E3 for 1000) are what it most likely was, and the refusal says so.

The known codes are read once per import, and only once a code is unknown and number-like
(NumberReadings takes them lazily): an import whose codes are all found pays nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import ngettext

from core.i18n import join_list, join_sentences
from core.models import normalized_code

# Listed at most in a hint: more is not a guess any more.
READINGS_LISTED = 3
# A code a spreadsheet reads as a number: digits, a decimal part, an exponent (1E3). Written for
# both Python's re and PostgreSQL's regular expressions, so that a query may keep only these.
NUMBER_LIKE = r"^[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$"
_NUMBER_LIKE = re.compile(NUMBER_LIKE)
# A number as a spreadsheet writes it: no leading zero (but 0.5), no trailing zero after the
# point; or in scientific notation (1E+03, 1.00E+03, LibreOffice's 1E+003).
_AS_WRITTEN = re.compile(
    r"^(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?|[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+)$"
)
# Beyond this the value is not a code's: an exponent Decimal would take ages to compare.
_EXPONENT_MAX = 400


def number_value(text: str) -> Decimal | None:
    """The number a spreadsheet reads `text` (a normalised code) as, or None where it reads
    text."""
    if not _NUMBER_LIKE.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if abs(value.adjusted()) > _EXPONENT_MAX:
        return None
    return value.normalize()


def written_as_number(text: str) -> bool:
    """Whether `text` is a number as a spreadsheet writes one (7, 1.1, 1000, 1E+03): what a code
    that looked like a number comes back as."""
    return bool(_AS_WRITTEN.match(text)) and number_value(text) is not None


class NumberReadings:
    """The known codes by the number a spreadsheet would read each as. `codes` (a callable, read
    at most once, when a code first needs it) gives the codes as stored; `key` is how the import
    compares codes (normalized_code, in any case where it ignores case)."""

    def __init__(
        self,
        codes: Callable[[], Iterable[str]],
        key: Callable[[str], str] = normalized_code,
        *,
        csv_only: bool = False,
    ) -> None:
        self._codes = codes
        self._key = key
        self._csv_only = csv_only  # the import reads CSV alone: no XLSX download to point to
        self._by_value: dict[Decimal, list[str]] | None = None
        self._hints: dict[str, str] = {}  # a file repeats its codes: each said once

    def _index(self) -> dict[Decimal, list[str]]:
        if self._by_value is None:
            self._by_value = {}
            for code in self._codes():
                value = number_value(self._key(code))
                if value is not None:
                    self._by_value.setdefault(value, []).append(code)
        return self._by_value

    def could_have_been(self, text: str) -> list[str]:
        """The known codes `text` (an unknown code) may have been before a spreadsheet read it
        as a number (at most READINGS_LISTED+1, sorted): none unless `text` is written as a
        spreadsheet writes numbers."""
        key = self._key(str(text).strip())
        if not written_as_number(key):
            return []
        value = number_value(key)
        found = sorted(
            {code for code in self._index().get(value, ()) if self._key(code) != key},
            key=lambda code: (len(code), code),
        )
        return found[: READINGS_LISTED + 1]

    def hint(self, text: str) -> str:
        """The sentence to add to an unknown code's refusal ("" where there is none)."""
        if text not in self._hints:
            self._hints[text] = number_reading_hint(
                self.could_have_been(text), csv_only=self._csv_only
            )
        return self._hints[text]


def with_number_hint(message: str, hint: str) -> str:
    """A refusal of an unknown code, followed by its hint where it has one."""
    return join_sentences([message, hint]) if hint else message


def number_reading_hint(codes: list[str], *, csv_only: bool = False) -> str:
    """ "Did you mean “007”? …" for the known codes an unknown one may have been (up to
    READINGS_LISTED named; "" for none, or for more, where the guess says nothing). `csv_only`:
    the import reads CSV alone (the crosswalk's, Moodle's), so no XLSX download is offered."""
    if not codes or len(codes) > READINGS_LISTED:
        return ""
    if csv_only:
        return ngettext(
            "Did you mean %(codes)s? A spreadsheet may have read the code as a number: set its "
            "column to Text when opening the CSV.",
            "Did you mean one of %(codes)s? A spreadsheet may have read the code as a number: "
            "set its column to Text when opening the CSV.",
            len(codes),
        ) % {"codes": join_list(f"“{code}”" for code in codes)}
    return ngettext(
        "Did you mean %(codes)s? A spreadsheet may have read the code as a number: set its "
        "column to Text when opening the CSV, or edit the XLSX download, which keeps codes as "
        "text.",
        "Did you mean one of %(codes)s? A spreadsheet may have read the code as a number: set "
        "its column to Text when opening the CSV, or edit the XLSX download, which keeps codes "
        "as text.",
        len(codes),
    ) % {"codes": join_list(f"“{code}”" for code in codes)}
