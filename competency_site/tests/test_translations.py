"""The Chinese (zh_Hans) catalogue is complete: every message the templates and code mark for
translation has a translation, none is fuzzy, and every placeholder survives translation.
`manage.py makemessages -l zh_Hans` then `compilemessages` after changing marked text."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _entries() -> list[dict]:
    entries, entry, key = [], {}, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += line.strip()[1:-1]
        else:
            key, _, value = line.partition(" ")
            entry[key] = value.strip()[1:-1]
    return [e for e in entries if e.get("msgid")]  # not the header


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [
        e["msgid"] for e in entries if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    for entry in _entries():
        wanted = set(PLACEHOLDER.findall(entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert set(PLACEHOLDER.findall(value)) == wanted, entry["msgid"]
