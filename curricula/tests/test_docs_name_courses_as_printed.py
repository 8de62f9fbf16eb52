"""The documents name the paper's courses as the pages do: Table III's titles as it first prints
them ("E-commerce law", "Business data analysis"), or as one of its lists prints them (a
readiness report's "e-commerce law"), not the title case the loader once gave them ("E-commerce
Law", "Business Data Analysis"), which a reader of the paper or of the site does not find."""

import re
from pathlib import Path

from curricula.paper import data

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_course_a_document_names_by_code_is_titled_as_table_iii_prints_it():
    titles = {code: title for code, title, *_rest in data.COURSES}
    codes = {title.casefold(): code for code, title in titles.items()}
    printed = {code: {title} for code, title in titles.items()}
    for _certification, _direction, listed in data.PROGRAMMES:
        for text in listed:
            printed[codes[text.casefold()]].add(text)
    misnamed = []
    for doc in sorted(DOCS.glob("*.md")):
        text = re.sub(r"\s+", " ", doc.read_text())
        for match in re.finditer(r"\b(CBE1[0-9]{2})\**[ ]+\**", text):
            code = match.group(1)
            title = titles.get(code)
            written = text[match.end() : match.end() + len(title or "")]
            if title and written.casefold() == title.casefold() and written not in printed[code]:
                misnamed.append(f"{doc.name}: {code} {written!r}, not {title!r}")
    assert misnamed == []
