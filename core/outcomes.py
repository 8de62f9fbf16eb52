"""A course's learning outcomes as people read them: one a line, without the bullet a syllabus
writes before each. Plain Python (no Django): the course page lists them so, and the mapping
assistant, its engine included, quotes them so, that a reviewer reads the line the page shows."""

import re

# A bullet or a number a syllabus writes before each outcome, which the page's own list would
# show twice: a bullet glyph; a hyphen, asterisk or dash followed by a space ("-5 °C", "*NIX"
# stay); a number or a letter closed by a bracket, a number by 、 ("1) ", "a) ", "1、"), or by a
# full stop followed by a space or a Chinese character ("2. ", not "1.5 m"); one in brackets
# ("(1)", and full-width), or circled ("①") or parenthesised as one character ("⑴", "⒈"); a
# Chinese numeral as syllabi number their parts, closed by 、 or a full stop followed by a space
# or a Chinese character ("一、", "二．"), or in brackets ("（一）"): "一次性" and "一.5" stay.  # noqa: RUF003
_BULLET = re.compile(
    r"^(?:[•·▪▫●○◦‣⁃■□◆◇➢➤►✓✔]\s*"  # noqa: RUF001
    r"|[-*–—+]\s+"  # noqa: RUF001
    r"|\d{1,2}[)）、]\s*|[a-hA-H][)）]\s*"  # noqa: RUF001
    r"|\d{1,2}[.．](?=\s|[\u4e00-\u9fff])\s*"  # noqa: RUF001
    r"|[（(](?:\d{1,2}|[a-hA-H]|[一二三四五六七八九十]{1,3})[）)]\s*"  # noqa: RUF001
    r"|[一二三四五六七八九十]{1,3}(?:、|[.．](?=\s|[\u4e00-\u9fff]))\s*"  # noqa: RUF001
    r"|[①-⑳⑴-⒇⒈-⒛]\s*)"
)

# Outcomes written on one line, separated by semicolons (as Chinese syllabi often do): the
# import documents them so, and each is read apart.
_OUTCOME_SEPARATOR = re.compile(r"\s*[;；]\s*")  # noqa: RUF001


def without_bullet(line: str) -> str:
    """`line` without surrounding space and the one bullet or number it starts with."""
    return _BULLET.sub("", line.strip(), count=1).strip()


def outcome_items(outcomes: str) -> list[str]:
    """Outcomes as a list: one a line (a line's outcomes separated by semicolons each apart),
    blank ones left out, each without its bullet (the stored text stays as written)."""
    items = (
        without_bullet(part)
        for line in outcomes.splitlines()
        for part in _OUTCOME_SEPARATOR.split(line.strip())
    )
    return [item for item in items if item]
