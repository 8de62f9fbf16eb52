"""A download's file name, as every download of the site and the API names it: readable in any
language, and safe whatever the record it is named after is called."""

import re
import unicodedata
from urllib.parse import quote

from django.utils.text import slugify

# Most characters of a record's name kept in a file name (the suffix comes on top): enough to
# tell programmes apart, short of every file system's limit (255 bytes; a CJK character is 3).
MAX_LABEL_CHARS = 60

# What our own parts of a name are written in: a fallback starts with a letter or digit.
_FALLBACK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SUFFIX = re.compile(r"[A-Za-z0-9._-]*")


def content_disposition(
    *, label: str = "", suffix: str, fallback: str, inline: bool = False
) -> str:
    """The Content-Disposition header of a download named after a record: `label` (the
    record's name, as its owner typed it) then `suffix` (ours: "-map.csv"), say
    `attachment; filename="programme-7-map.csv"; filename*=UTF-8''%E8%BD%AF…-map.csv`.

    The label is slugified keeping its letters in every script (so no quote, semicolon, slash,
    backslash, percent sign, control or format character, line break or leading dot comes
    through) and cut to MAX_LABEL_CHARS. The ASCII filename= is the label's ASCII slug when
    the label is Latin (accents dropped), else `fallback` (ASCII, ours: "programme-7"), which
    also names the file when the label has nothing to show. filename*= (RFC 6266, RFC 5987's
    UTF-8 percent-encoding) is added when the readable name differs from it: every current
    browser takes it over filename=."""
    if not _SUFFIX.fullmatch(suffix) or not _FALLBACK.fullmatch(fallback):
        raise ValueError("A suffix and a fallback are ASCII letters, digits, '.', '-' and '_'.")
    readable = _slug(slugify(label, allow_unicode=True))
    if not readable:
        ascii_label = fallback
    elif _latin(readable):
        ascii_label = _slug(slugify(readable)) or fallback
    else:
        ascii_label = fallback
    ascii_name = f"{ascii_label}{suffix}"
    header = f'{"inline" if inline else "attachment"}; filename="{ascii_name}"'
    readable_name = f"{readable or fallback}{suffix}"
    if readable_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(readable_name, safe='')}"
    return header


def _slug(slug: str) -> str:
    # Django's slug keeps underscores and may end at the cut with a hyphen.
    return slug[:MAX_LABEL_CHARS].strip("-_")


def _latin(text: str) -> bool:
    """Whether `text` is ASCII once its accents are taken off ("génie"), so that its ASCII slug
    says the same."""
    return all(
        char.isascii() or unicodedata.combining(char)
        for char in unicodedata.normalize("NFKD", text)
    )
