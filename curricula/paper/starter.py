"""The editorial starter mapping: which Table III course builds which Table II statement, how far.

This is NOT the paper's: the paper links courses to certifications and directions, never to
abilities. The links in starter_links.csv are a careful first reading of the course titles against
the statements, so that a fresh install shows real, explainable coverage and gaps; curriculum
designers are expected to revise them (a link staff edited is theirs, and the loader leaves it be).

Levels: I = the course introduces the ability, R = reinforces it with practice, M = brings it to
the mastery a position requires. A statement with no link from a programme's courses is a genuine
gap: e.g. no bachelor Technological development course teaches communicating with the front desk
architect, and no course at all teaches the teamwork and communication the data analyst needs.

The file has the columns of the admin's link import (course code, ability code, level code, note),
so a designer can read, diff and edit it as a spreadsheet, and a fifth, `note_zh`: the note in
Chinese, an editorial translation like `data_zh`'s, shown while the interface is Chinese (the
link import takes no such column and ignores it).
"""

import csv
from pathlib import Path
from typing import NamedTuple

STARTER_LINKS_CSV = Path(__file__).with_name("starter_links.csv")
LEVEL_CODES = frozenset({"I", "R", "M"})


class StarterLink(NamedTuple):
    course: str
    ability: str
    level: str
    note: str
    note_zh: str


def starter_links(path: Path = STARTER_LINKS_CSV) -> list[StarterLink]:
    """The starter links in file order; a malformed row raises ValueError naming its line."""
    links = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                link = StarterLink(
                    row["course"].strip(),
                    row["ability"].strip(),
                    row["level"].strip(),
                    row["note"].strip(),
                    (row.get("note_zh") or "").strip(),
                )
            except (KeyError, AttributeError) as error:
                raise ValueError(f"{path.name}, line {reader.line_num}: incomplete row") from error
            if not (link.course and link.ability and link.note) or link.level not in LEVEL_CODES:
                raise ValueError(f"{path.name}, line {reader.line_num}: {row}")
            links.append(link)
    return links
