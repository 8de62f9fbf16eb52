"""What a number of credits written with its unit ("20 ECTS", "7.5 cr.", "4 学分") says to write
instead: the catalogue's credits column and the decide page's budget want the number alone."""

import re
import unicodedata

# One number (a decimal point or comma), then a unit of words: letters of any script, each
# perhaps abbreviated with a full stop ("cr.", "ECTS credits", "学分").
_WITH_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*[^\W\d_]+\.?(?:\s+[^\W\d_]+\.?)*")


def number_to_write(written: str) -> str | None:
    """The number to write for `written`, a number with its unit after it ("20 ECTS" → "20",
    "3,5 credits" → "3,5", full-width digits as ASCII); None when there is no one number to
    read (no number, two numbers, "3_5", a range)."""
    found = _WITH_UNIT.fullmatch(unicodedata.normalize("NFKC", written).strip())
    return found.group(1) if found else None
