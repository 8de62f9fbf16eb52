"""Moodle competency frameworks as CSV (admin tool tool_lpimportcsv), in and out.

Two layouts exist: the current 14 columns (with "Cross-referenced competency ID numbers" and
"Exported ID (optional)") and the older 12. Columns are found by header name, or by position when
the header is in another language. One row is the framework ("Is framework" set); every other row
is a competency whose parent may come later in the file. Scale values, scale configuration, rules
and taxonomies are kept in `extra["moodle"]` so the export gives them back.

A Moodle framework is keyed by its ID numbers (`framework_uuid`, `ability_uuid`). This site's
export of a framework from elsewhere, handed back (edited in a spreadsheet, or through a Moodle
site), updates that framework in place: it is found by the ID numbers the export wrote.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from core.csv import csv_separator, safe_row, unescape_cell
from core.i18n import bracketed, join_list, join_long_items, text_language
from core.limits import SheetLine, at_line, bounded_lines
from core.number_codes import NumberReadings, with_number_hint
from core.spreadsheets import shown
from positions.importers import TOP_LEVEL_AREAS, areas
from positions.importers.base import (
    Importer,
    ImportFailed,
    Problems,
    RecordSync,
    read_header,
    remove_dropped,
    tree_depths,
    validate_fields,
)
from positions.models import Ability, AbilityRelation, Framework, RelationType
from positions.selectors import ability_code_readings

CURRENT_HEADERS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
CURRENT_KEYS = [
    "parentidnumber",
    "idnumber",
    "shortname",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomies",
]
OLD_KEYS = [k for k in CURRENT_KEYS if k not in ("relatedidnumbers", "exportid")]
HEADER_NAMES = {
    "parent id number": "parentidnumber",
    "id number": "idnumber",
    "short name": "shortname",
    "shortname": "shortname",
    "description": "description",
    "description format": "descriptionformat",
    "scale values": "scalevalues",
    "scale configuration": "scaleconfiguration",
    "rule type": "ruletype",
    "rule outcome": "ruleoutcome",
    "rule config": "ruleconfig",
    "cross-referenced competency id numbers": "relatedidnumbers",
    "exported id": "exportid",
    "is framework": "isframework",
    "taxonomy": "taxonomies",
}
# Per-competency columns kept verbatim for the export.
KEPT = ["descriptionformat", "scalevalues", "scaleconfiguration", "ruletype", "ruleoutcome"]
KEPT_FRAMEWORK = ["descriptionformat", "scalevalues", "scaleconfiguration", "taxonomies"]
# Moodle's importer needs a framework's scale (it fails on a framework row without one): a
# framework from elsewhere (CASE, ESCO, O*NET) is exported with the scale Moodle installs as its
# default competence scale, so the importer reuses it rather than making another. Its
# configuration marks a default value and a proficient one, as Moodle requires; the importer
# replaces the scaleid with its own scale's.
DEFAULT_SCALE_VALUES = "Not yet competent,Competent"
DEFAULT_SCALE_CONFIGURATION = (
    '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},'
    '{"id":2,"scaledefault":0,"proficient":1}]'
)
# Moodle's description formats are 0 MOODLE, 1 HTML, 2 PLAIN, 4 MARKDOWN. A description written
# here (or imported from CASE, ESCO, O*NET) is plain text: written as HTML, Moodle read its "<" as
# a tag, its "&" as an entity and ran its lines together. tool_lpimportcsv stores the text raw
# with the format given, and Moodle shows PLAIN escaped with its line breaks (format_text), so
# the text goes out as it is, and comes back as it went. A Moodle framework's descriptions keep
# the format they came in (extra["moodle"]).
PLAIN_FORMAT = "2"
# Every format Moodle has (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN; 3 was
# FORMAT_WIKI, long gone): another value is refused at its line, and the export writes none.
MOODLE_FORMATS = ("0", "1", "2", "4")
# What releases before PLAIN_FORMAT wrote for text of their own: handed back, not news.
EARLIER_EXPORTED_FORMAT = "1"
# What the export writes in the Moodle columns of a framework and a competency that hold none
# (no `extra["moodle"]`): handed back unchanged, they are not news.
EXPORTED_FRAMEWORK_DEFAULTS = {
    "descriptionformat": PLAIN_FORMAT,
    "scalevalues": DEFAULT_SCALE_VALUES,
    "scaleconfiguration": DEFAULT_SCALE_CONFIGURATION,
    "taxonomies": "",
}
EXPORTED_ABILITY_DEFAULTS = {
    "descriptionformat": PLAIN_FORMAT,
    "scalevalues": "",
    "scaleconfiguration": "",
    "ruletype": "",
    "ruleoutcome": "0",
    "ruleconfig": "null",
}


def _normalise(header: str) -> str:
    return header.lower().replace("(optional)", "").strip()


def _is_json(text: str) -> bool:
    """Whether `text` reads as JSON, as Moodle's importer decodes a configuration."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _php_truthy(value: Any) -> bool:
    """Whether PHP takes a value json_decode gave as true: an object even when empty, a text
    other than "" and "0"."""
    if isinstance(value, dict):
        return True
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


def moodle_takes_scale_configuration(text: str) -> bool:
    """Whether Moodle imports `text` as a scale's configuration: tool_lpimportcsv gives the
    first item of a JSON list the id of the scale it made (get_scale_configuration fails on an
    empty list, an object, a first item that is no object), and core_competency's
    validate_scaleconfiguration wants a value after it marked `scaledefault` and one marked
    `proficient` (errorscaleconfiguration), which may be the same."""
    try:
        config = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(config, list) or not config or not isinstance(config[0], dict):
        return False
    values = [value for value in config[1:] if isinstance(value, dict)]
    return any(_php_truthy(value.get("scaledefault")) for value in values) and any(
        _php_truthy(value.get("proficient")) for value in values
    )


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "y"}


def framework_uuid(idnumber: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"moodle-framework:{idnumber}")


def ability_uuid(framework_idnumber: str, idnumber: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"moodle-competency:{framework_idnumber}:{idnumber}")


# Moodle holds an ID number in 100 characters (competency.idnumber and
# competency_framework.idnumber), unique in its framework. An export shortens a longer one to its
# start, "~" and this many hex digits of a digest of the whole.
IDNUMBER_LENGTH = 100
DIGEST_LENGTH = 16
_HEAD_LENGTH = IDNUMBER_LENGTH - DIGEST_LENGTH - 1


def moodle_idnumber(value: str, *, salt: str = "") -> str:
    """An ID number Moodle can hold: `value` itself when it fits in IDNUMBER_LENGTH, else its
    start and a digest of the whole, so two long values sharing their start stay two, and the
    same value always gives the same ID number. With `salt` (an ability's identifier), the
    digest is of both: for a value that two abilities share."""
    if len(value) <= IDNUMBER_LENGTH and not salt:
        return value
    digest = hashlib.sha256(f"{value}\n{salt}".encode()).hexdigest()[:DIGEST_LENGTH]
    return f"{value[:_HEAD_LENGTH]}~{digest}"


# Moodle holds a short name in 100 characters too (competency.shortname,
# competency_framework.shortname), and refuses a row with a longer one.
SHORTNAME_LENGTH = 100
ELLIPSIS = "…"
# Moodle's importer reads a short name as text with HTML (clean_param PARAM_TEXT): PHP's
# strip_tags takes a "<" not followed by whitespace for a tag's start, and drops it with all up to
# the next ">" or the end ("ab<sup>ct</sup>" became "abct", "x<5 and y" became "x"). Written
# "&lt;", it is shown as "<" (format_string). PARAM_TEXT keeps tags only in a text whose every tag
# is a multilang one, each opened and closed in turn (moodle/moodle lib/classes/param.php,
# clean_param_value_text): such a text, which a Moodle site's own short names hold, stays as it
# is; in any other, a span or lang tag is stripped too (checked with PHP 8.2), so it is written
# "&lt;" like any tag.
_OPENS_TAG = re.compile(r"<(?![ \t\n\r\x0b\x0c])")
_TAG = re.compile(r"<.*?>", re.S)
_MULTILANG_OPEN = {
    "</lang>": re.compile(r'<lang lang="[a-zA-Z0-9_-]+"\s*>'),
    "</span>": re.compile(r'<span(\s+lang="[a-zA-Z0-9_-]+"|\s+class="multilang"){2}\s*>'),
}
# The end of a cut through a "&lt;" just written.
_CUT_ENTITY = re.compile(r"&(?:lt?)?$")


def _multilang(value: str) -> bool:
    """Whether Moodle's clean_param(PARAM_TEXT) keeps the tags of `value`: it holds a closing
    lang tag (else a closing span tag), and each of its tags opens or closes such a multilang
    span in turn, the last closed; no other "<" starts a tag."""
    close = "</lang>" if "</lang>" in value else "</span>" if "</span>" in value else None
    if close is None:
        return False
    tags = _TAG.findall(value)
    if len(_OPENS_TAG.findall(value)) != len(tags) or len(tags) % 2:
        return False
    return all(
        tag == close if i % 2 else bool(_MULTILANG_OPEN[close].fullmatch(tag))
        for i, tag in enumerate(tags)
    )


def _moodle_text(value: str) -> str:
    return value if _multilang(value) else _OPENS_TAG.sub("&lt;", value)


def moodle_shortname(value: str) -> str:
    """A short name Moodle can hold: `value` itself (stripped) when it fits in SHORTNAME_LENGTH,
    else its start cut between two words (in the middle of a word only when the first half has
    no space) with an ellipsis; a "<" Moodle would take for a tag's start written "&lt;"
    (_OPENS_TAG). The same value always gives the same short name."""
    value = _moodle_text(value.strip())
    if len(value) <= SHORTNAME_LENGTH:
        return value
    words = " ".join(value.split())
    if len(words) <= SHORTNAME_LENGTH:
        return words
    head = words[: SHORTNAME_LENGTH - len(ELLIPSIS) + 1]
    space = head.rfind(" ")
    head = head[:space] if space >= SHORTNAME_LENGTH // 2 else head[:-1]
    return _CUT_ENTITY.sub("", head).rstrip(" ,;:-") + ELLIPSIS


# The end of an ID number `moodle_idnumber` shortened or salted.
_SALTED = re.compile(rf"~[0-9a-f]{{{DIGEST_LENGTH}}}\Z")


def _shortened(value: str) -> bool:
    """Whether `value` has the shape of an ID number `moodle_idnumber` shortened."""
    return len(value) == IDNUMBER_LENGTH and value[_HEAD_LENGTH] == "~"


def _collated(idnumber: str) -> str:
    """An ID number as Moodle on MySQL compares two (its utf8mb4 collations ignore case,
    accents and trailing spaces): there, "A1" beside "a1" is "ID number already taken", and
    Moodle's import stops half done."""
    decomposed = unicodedata.normalize("NFKD", idnumber)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().rstrip(" ")


# A numeric string as PHP 8 reads one (leading and trailing whitespace allowed).
_PHP_NUMERIC = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*"
)


def _php_equal(idnumber: str) -> str | float:
    """An ID number as Moodle's importer compares two when it builds the tree
    (moodle/moodle admin/tool/lpimportcsv/classes/framework_importer.php, add_children:
    `if ($competency->parentidnumber == $parentidnumber)`): PHP 8's `==` compares two numeric
    strings as numbers, so "1.1" == "1.10" and "2" == "2.0", and each competency went under
    every parent that equals its own, created twice (and "ID number already taken")."""
    return float(idnumber) if _PHP_NUMERIC.fullmatch(idnumber) else idnumber


# The one non-empty ID number Moodle's importer takes for none: it creates a competency only
# `if (!empty($competency->idnumber) && !empty($competency->shortname))`
# (moodle/moodle admin/tool/lpimportcsv/classes/framework_importer.php, create_competency), and
# PHP's empty("0") is true, so competency "0" and all under it were left out without a word.
_PHP_EMPTY = "0"


def _tag_safe_idnumber(value: str, salt: str) -> str:
    """`moodle_idnumber` of an ID number Moodle's importer keeps as it is. It reads the ID
    number and the parent ID number with clean_param(PARAM_TEXT) (moodle/moodle
    admin/tool/lpimportcsv/classes/framework_importer.php), whose strip_tags drops a "<" and
    all up to a ">" or the end: "<x>" became "" (the competency and all under it left out) and
    "A<1" beside "A<2" became "A" twice. Such a "<" is written "&lt;", which strip_tags leaves,
    and the ID number salted, so that it stays unique and reads back (_SALTED)."""
    safe = _moodle_text(value)
    return moodle_idnumber(safe, salt=salt if safe != value else "")


def moodle_idnumbers(abilities: Iterable[Ability], *, collated: bool = True) -> dict[int, str]:
    """Each ability's ID number in an export, by primary key: the one it holds (its external
    ID, else its code, else its identifier) through `moodle_idnumber`. Unique: abilities whose
    ID numbers would be the same (two holding one external ID), the same to Moodle's importer
    (_php_equal: codes "1.1" and "1.10"), or with `collated` the same to Moodle on MySQL
    (_collated: codes "a1" and "A1"), each get one salted with its identifier instead, as does
    "0", which Moodle's importer takes for none (_PHP_EMPTY). A Moodle framework's own ID numbers
    are not `collated`: its site took them (but its importer, which builds the tree with PHP's
    `==`, cannot take "1.1" beside "1.10" from any file)."""
    held = {a.pk: (held_idnumber(a), str(a.identifier)) for a in abilities}
    given = {pk: _tag_safe_idnumber(value, salt) for pk, (value, salt) in held.items()}

    def key(idnumber: str) -> str | float:
        return _php_equal(_collated(idnumber) if collated else idnumber)

    counts = Counter(key(value) for value in given.values())
    for pk, (value, salt) in held.items():
        if counts[key(given[pk])] > 1 or given[pk] == _PHP_EMPTY:
            given[pk] = moodle_idnumber(_moodle_text(value), salt=salt)
    return given


def held_idnumber(item: Ability | Framework) -> str:
    """The ID number a framework or ability holds: its external ID (the ID number a Moodle file
    gave it, a CASE identifier, an ESCO URI), else its code, else its identifier."""
    return item.external_id or getattr(item, "code", "") or str(item.identifier)


# How many of a header's names that are not Moodle's an unread header's refusal names.
UNREAD_COLUMNS_NAMED = 10


class MoodleImporter(Importer):
    writes = (Framework, Ability, AbilityRelation)
    removes = (AbilityRelation,)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.framework_row: dict[str, str] | None = None
        self.framework_line = 0
        self.lists_cross_references = True
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.depths: dict[str, int] = {}
        # Each line's problems, said together (Problems): a hand-written file is mended in one
        # go rather than one line an upload. Checked through the write's field checks, which
        # raise them all before anything is flushed.
        self.problems = Problems()
        # The framework's stored ID numbers by the number a spreadsheet reads each as, read once
        # a new competency's is written as a number (_new_code_warned).
        self.readings: NumberReadings | None = None

    def validate(self) -> None:
        names = self.source.names()
        if len(names) != 1:
            raise ImportFailed(_("a Moodle import reads one CSV file"))
        name = names[0]
        # Read whole (the rows are), in either encoding a spreadsheet saves a CSV in.
        text = self.source.read_text(name)
        text = "".join(bounded_lines(io.StringIO(text, newline=""), name=name))
        # Moodle writes commas; a spreadsheet a semicolon (where the decimal mark is a comma)
        # or, as "Unicode Text", a tab.
        delimiter = csv_separator(text)
        # newline="", as the csv module asks: a line may end with a CR alone (Excel's "CSV
        # (Macintosh)"), which a plain StringIO left inside one long line.
        header = read_header(io.StringIO(text, newline=""), name=name, delimiter=delimiter)
        keys = self._column_keys(header)
        # The older layout has no cross-reference column: such a file says nothing of them.
        self.lists_cross_references = "relatedidnumbers" in keys
        reader = _FgetcsvReader(text, delimiter=delimiter)
        next(reader)
        problems = self.problems
        try:
            for row in reader:
                line = SheetLine(reader.line_start, row=reader.records)
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(keys):
                    problems.add(
                        _("more fields than the header has"), where=at_line(line), line=line
                    )
                    continue
                row = [unescape_cell(_unstored(cell)) for cell in row]
                values = dict(zip(keys, row + [""] * (len(keys) - len(row)), strict=True))
                values = {k: values.get(k, "") for k in CURRENT_KEYS}
                # A number: the spaces a spreadsheet leaves around it are not kept.
                values["descriptionformat"] = values["descriptionformat"].strip()
                if _truthy(values["isframework"]):
                    if self.framework_row is not None:
                        problems.add(_("a second framework row"), where=at_line(line), line=line)
                        continue
                    self.framework_row = values
                    self.framework_line = line
                    self._check_description_format(line, values)
                    self._check_scale_configuration(line, values)
                    if not values["idnumber"].strip() or not values["shortname"].strip():
                        problems.add(
                            _("the framework row needs an ID number and a short name"),
                            where=at_line(line),
                            line=line,
                        )
                    continue
                self.rows.append((line, values))
        except csv.Error as exc:
            # The rest of the file cannot be read: refused with what was found before it.
            problems.add(str(exc), where=at_line(reader.line_num), line=reader.line_num)
            problems.raise_any()
        if self.framework_row is None:
            problems.add(_("no framework row (a row with 'Is framework' set)"))
        else:
            self._restore_idnumbers()
        self._check_references()
        self.progress(0.3, "validated")

    def _restore_idnumbers(self) -> None:
        """This site's export shortens an ID number past Moodle's 100 characters
        (`moodle_idnumber`), and salts a Moodle framework's that Moodle's importer takes for one
        (`moodle_idnumbers`): imported back, each such ID number is the one its framework or
        ability holds, so that the file finds them (their identifiers are made of it) rather
        than making new ones. One matching nothing held, or two held, stays as written."""
        row = self.framework_row
        given = row["idnumber"].strip()
        if _shortened(given):
            held = Framework.objects.annotate(length=Length("external_id")).filter(
                length__gt=IDNUMBER_LENGTH, external_id__startswith=given[:_HEAD_LENGTH]
            )
            row["idnumber"] = next(
                (
                    f.external_id
                    for f in held
                    if moodle_idnumber(f.external_id) == given
                    and f.identifier == framework_uuid(f.external_id)
                ),
                given,
            )
        if not any(
            _SALTED.search(value)
            for _line, r in self.rows
            for value in (r["idnumber"].strip(), r["parentidnumber"].strip(), *self._related(r))
        ):
            return
        forms = Counter()
        restored: dict[str, str] = {}
        held_by_moodle = Ability.objects.filter(
            framework__identifier=framework_uuid(row["idnumber"].strip())
        )
        # Only an external ID can be past the limit: a code holds 64 characters.
        for external_id in (
            held_by_moodle.annotate(length=Length("external_id"))
            .filter(length__gt=IDNUMBER_LENGTH)
            .values_list("external_id", flat=True)
        ):
            form = moodle_idnumber(external_id)
            forms[form] += 1
            restored[form] = external_id
        # The export salts a Moodle framework's ID numbers Moodle's importer takes for one
        # ("1.1" beside "1.10", moodle_idnumbers): each comes back as the one its site gave.
        listed = {a.pk: a for a in held_by_moodle.filter(retired=False)}
        for pk, form in moodle_idnumbers(listed.values(), collated=False).items():
            if form not in restored and form != held_idnumber(listed[pk]):
                forms[form] += 1
                restored[form] = held_idnumber(listed[pk])

        def held(value: str) -> str:
            value = value.strip()
            return restored[value] if forms[value] == 1 else value

        for _line, r in self.rows:
            r["idnumber"] = held(r["idnumber"])
            r["parentidnumber"] = held(r["parentidnumber"])
            r["relatedidnumbers"] = ",".join(
                held(related).replace(",", "%2C") for related in self._related(r)
            )

    def _column_keys(self, header: list[str]) -> list[str]:
        by_name = [HEADER_NAMES.get(_normalise(h)) for h in header]
        first: dict[str, int] = {}
        for column, key in enumerate(by_name, start=1):
            if key is not None and first.setdefault(key, column) != column:
                # Read by name, the second column's values took the first's place, unsaid.
                raise ImportFailed(
                    _(
                        "the header names the column “%(name)s” twice (columns %(a)d and "
                        "%(b)d): keep one"
                    )
                    % {"name": header[column - 1], "a": first[key], "b": column},
                    where=at_line(1),
                )
        if all(by_name) and {"idnumber", "parentidnumber", "isframework"} <= set(by_name):
            self.report.details["header"] = (
                "current (14 columns)" if "relatedidnumbers" in by_name else "older (12 columns)"
            )
            return by_name
        # Moodle itself maps columns by position, so a translated header is still readable.
        if len(header) == len(CURRENT_KEYS):
            self.report.details["header"] = "current (14 columns, by position)"
            return CURRENT_KEYS
        if len(header) == len(OLD_KEYS):
            self.report.details["header"] = "older (12 columns, by position)"
            return OLD_KEYS
        message = _("unrecognised header: expected the 14 (or older 12) tool_lpimportcsv columns")
        # What is wrong with it, so a hand-written file can be mended: a column the import
        # needs that it lacks, and a header that names no column of Moodle's (a misspelling).
        problems = []
        missing = [
            CURRENT_HEADERS[CURRENT_KEYS.index(key)]
            for key in ("parentidnumber", "idnumber", "isframework")
            if key not in by_name
        ]
        if missing:
            problems.append(
                _("no column %(columns)s") % {"columns": join_list(f"“{name}”" for name in missing)}
            )
        # Each name once, the first few: a header of 100,000 columns made a message of 900 kB.
        unread = list(dict.fromkeys(n for n, key in zip(header, by_name, strict=True) if not key))
        if unread:
            named = [f"“{name}”" for name in unread[:UNREAD_COLUMNS_NAMED]]
            if len(unread) > UNREAD_COLUMNS_NAMED:
                named.append("…")
            problems.append(
                _("%(columns)s not a column of Moodle's") % {"columns": join_list(named)}
            )
        if problems:
            message = bracketed(message, join_long_items(problems))
        raise ImportFailed(message, where=at_line(1))

    def _framework_idnumber(self) -> str:
        return (self.framework_row or {}).get("idnumber", "").strip()

    def _check_references(self) -> None:
        problems = self.problems
        kept: list[tuple[int, dict[str, str]]] = []
        seen: dict[str, int] = {}
        for line, row in self.rows:
            idnumber = row["idnumber"].strip()
            if not idnumber or not row["shortname"].strip():
                # Moodle skips these too; say so instead of failing the whole file.
                self.report.skip(
                    at_line(line),
                    _("a competency needs an ID number and a short name"),
                    group=_("competency without ID number or short name"),
                )
                continue
            if idnumber in seen:
                problems.add(
                    _("ID number %(id)s already used on line %(other)d")
                    % {"id": shown(idnumber), "other": seen[idnumber]},
                    where=at_line(line),
                    line=line,
                )
                continue
            seen[idnumber] = line
            kept.append((line, row))
            self._check_description_format(line, row)
            self._check_rule_config(line, row)
            self._check_scale_configuration(line, row)
        self.rows = kept
        parents = {}
        for line, row in self.rows:
            parent = row["parentidnumber"].strip()
            if parent and parent not in seen and parent == self._framework_idnumber():
                # Moodle's own file leaves a top-level competency's parent empty; a hand-written
                # one often names the framework row there instead, which is in the file.
                problems.add(
                    _(
                        "parent ID number %(id)s is the framework's own ID number (line "
                        "%(line)d): leave its parent ID number empty to make it a top-level "
                        "competency"
                    )
                    % {"id": shown(parent), "line": self.framework_line},
                    where=at_line(line),
                    line=line,
                )
            elif parent and parent not in seen:
                problems.add(
                    _("parent ID number %(id)s is not in the file (unknown reference)")
                    % {"id": shown(parent)},
                    where=at_line(line),
                    line=line,
                )
            for related in self._related(row):
                if related == row["idnumber"].strip():
                    problems.add(
                        _("ID number %(id)s cross-references itself") % {"id": shown(related)},
                        where=at_line(line),
                        line=line,
                    )
                elif related not in seen:
                    problems.add(
                        _(
                            "cross-referenced ID number %(id)s is not in the file (unknown "
                            "reference)"
                        )
                        % {"id": shown(related)},
                        where=at_line(line),
                        line=line,
                    )
            parents[row["idnumber"].strip()] = parent or None
        # A cycle is told once, through one of its competencies (the walk stops there).
        through: list[str] = []

        def cycle(node: str) -> ImportFailed:
            through.append(node)
            return ImportFailed(
                _("parents form a cycle through %(id)s") % {"id": shown(node)},
                where=at_line(seen[node]),
            )

        try:
            self.depths = tree_depths(parents, cycle=cycle)
        except ImportFailed as failure:
            problems.add_failure(failure, line=seen[through[-1]])

    @staticmethod
    def _related(row: dict[str, str]) -> list[str]:
        raw = row.get("relatedidnumbers", "")
        return [p.replace("%2C", ",").strip() for p in raw.split(",") if p.strip()]

    def _exported_framework(self, idnumber: str) -> Framework | None:
        """The framework from elsewhere (CASE, ESCO, the paper, made here) whose Moodle export
        this file is, found by the ID number the export gave it (`held_idnumber` through
        `moodle_idnumber`): None for a Moodle framework, known by the identifier made of its ID
        number, and for a file naming no framework here. Two frameworks answering to the ID
        number cannot be told apart: the import fails rather than guess."""
        if Framework.objects.filter(identifier=framework_uuid(idnumber)).exists():
            return None
        query = Q(external_id=idnumber)
        with contextlib.suppress(ValueError):  # an ID number that is no UUID names none
            query |= Q(external_id="", identifier=uuid.UUID(idnumber))
        if _shortened(idnumber):
            query |= Q(external_id__startswith=idnumber[:_HEAD_LENGTH])
        found = [
            framework
            for framework in Framework.objects.filter(query)
            if moodle_idnumber(held_idnumber(framework)) == idnumber
        ]
        if len(found) > 1:
            raise ImportFailed(
                _(
                    "the framework ID number %(id)s is that of %(n)d frameworks here "
                    "(%(names)s): it cannot say which one the file updates"
                )
                % {
                    "id": idnumber,
                    "n": len(found),
                    "names": join_list(f"#{f.pk} {f.name}" for f in found),
                },
                where=at_line(self.framework_line),
            )
        return found[0] if found else None

    def _framework_values(self, own: Framework | None, fw_idnumber: str) -> dict[str, Any]:
        """The framework row's fields. A Moodle framework is keyed by its ID number; this
        site's export of another framework updates that framework in place, where the file
        says nothing of its source and identifiers, and the Moodle columns the export fills in
        for a framework holding none (the default scale) are not news."""
        fw = self.framework_row
        moodle = {
            **{k: fw[k] for k in KEPT_FRAMEWORK},
            "taxonomies": _current_taxonomies(fw["taxonomies"]),
        }
        identifier = own.identifier if own is not None else framework_uuid(fw_idnumber)
        held = list(Framework.objects.filter(identifier=identifier).values_list("name", flat=True))
        values = {
            "identifier": identifier,
            "name": _held_name(fw["shortname"], next(iter(held), None))[:255],
            "description": fw["description"],
        }
        if own is None and not held:
            # A Moodle file names no language: a framework it brings in written in Chinese is
            # Chinese, not the model's English (what the API and CASE publish it as). Once held,
            # its language is staff's to set, and a new import of the file leaves it.
            written = text_language(f"{fw['shortname']}\n{fw['description']}")
            values["language"] = "zh" if written.startswith("zh") else "en"
        if own is None:
            return {
                **values,
                "source": "Moodle",
                "external_id": fw_idnumber[:255],
                "extra": {"moodle": moodle},
            }
        return {**values, "extra": _in_place_extra(own.extra, moodle, EXPORTED_FRAMEWORK_DEFAULTS)}

    def write(self) -> tuple[set[int], set[int]]:
        problems = self.problems
        if self.framework_row is None:
            # Nothing can be written without it: the lines' problems with that one.
            problems.raise_any()
        fw = self.framework_row
        fw_idnumber = fw["idnumber"].strip()
        own = None
        with problems.gathered(line=self.framework_line):
            own = self._exported_framework(fw_idnumber)
        if _moodle_default_taxonomies(fw["taxonomies"], own or fw_idnumber):
            fw["taxonomies"] = ""
        values = self._framework_values(own, fw_idnumber)
        fw_uuid = values["identifier"]
        taxonomies = _taxonomy_levels(fw["taxonomies"]) or []
        frameworks = self.framework_sync(fw_uuid)
        with problems.gathered(line=self.framework_line):
            framework = frameworks.offer(fw_uuid, values, where="framework row")
            # A framework row without its ID number or short name is refused already (validate).
            if fw_idnumber and fw["shortname"].strip():
                validate_fields(framework, where="framework row")
        if problems:
            # The competencies' own field checks, with nothing written, then every problem.
            self._check_ability_fields(own, fw_idnumber, taxonomies)
            problems.raise_any()
        frameworks.flush()
        frameworks.finish()
        self.report.frameworks.append(framework.pk)

        abilities, uuids, in_place = self._offer_abilities(
            own, fw_idnumber, taxonomies, framework_id=framework.pk
        )
        # Every row's field problems together, before anything of theirs is written.
        problems.raise_any()
        abilities.flush(
            batch_size=int(self.options.get("batch_size") or 2000),
            progress=self.writing(0.35, 0.6, "writing abilities"),
        )
        self.progress(0.6, "abilities written")
        # Parents, now that every ability has its primary key; those created just now are
        # linked in bulk, the others through offer (staff edits kept, changes reported).
        created_links: dict[uuid.UUID, int] = {}
        for _line, row in self.rows:
            parent = row["parentidnumber"].strip()
            parent_pk = abilities.objects[uuids[parent]].pk if parent else None
            key = uuids[row["idnumber"].strip()]
            if abilities.status.get(key) == "created":
                if parent_pk is not None:
                    created_links[key] = parent_pk
            else:
                abilities.offer(key, {"parent_id": parent_pk})
        abilities.link_created("parent_id", created_links)
        if self.options.get(TOP_LEVEL_AREAS):
            self._write_areas(abilities, uuids, framework)
        abilities.flush()
        abilities.finish()
        self.progress(0.8, "parents linked")
        self._write_relations(
            abilities, uuids, fw_idnumber, framework.pk, in_place=in_place is not None
        )
        return abilities.changed_pks(), set()

    def _check_ability_fields(
        self, own: Framework | None, fw_idnumber: str, taxonomies: list[str]
    ) -> None:
        """Each row's field problems (Problems), for a file refused already: nothing written."""
        self._offer_abilities(own, fw_idnumber, taxonomies, framework_id=None)

    def _offer_abilities(
        self,
        own: Framework | None,
        fw_idnumber: str,
        taxonomies: list[str],
        *,
        framework_id: int | None,
    ) -> tuple[RecordSync, dict[str, uuid.UUID], _InPlace | None]:
        """Each row's ability offered (nothing flushed) and its fields checked; a row's problem
        is collected (self.problems) and the next row checked."""
        in_place = _InPlace.of(own) if own is not None else None
        if in_place is not None:
            self.report.details["own_export"] = True
        uuids = {}
        for _line, row in self.rows:
            idnumber = row["idnumber"].strip()
            held = in_place.abilities.get(idnumber) if in_place is not None else None
            uuids[idnumber] = (
                held.identifier if held is not None else ability_uuid(fw_idnumber, idnumber)
            )
        existing = {a.identifier: a for a in Ability.objects.filter(identifier__in=uuids.values())}
        abilities = RecordSync(
            kind="ability",
            model=Ability,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=self.source_name,
        )
        depth = self.depths
        by_export_id = {
            row["exportid"].strip(): row["idnumber"].strip()
            for _line, row in self.rows
            if row["exportid"].strip()
        }
        for order, (line, row) in enumerate(self.rows):
            idnumber = row["idnumber"].strip()
            with self.problems.gathered(line=line):
                self._offer_ability(
                    abilities,
                    order=order,
                    line=line,
                    row=row,
                    # A competency on a cycle (refused) has no depth.
                    level=depth.get(idnumber, 1),
                    found=existing.get(uuids[idnumber]),
                    uuid_=uuids[idnumber],
                    framework_id=framework_id,
                    by_export_id=by_export_id,
                    in_place=in_place,
                    taxonomies=taxonomies,
                )
        return abilities, uuids, in_place

    def _offer_ability(
        self,
        abilities: RecordSync,
        *,
        order: int,
        line: int,
        row: dict[str, str],
        level: int,
        found: Ability | None,
        uuid_: uuid.UUID,
        framework_id: int | None,
        by_export_id: dict[str, str],
        in_place: _InPlace | None,
        taxonomies: list[str],
    ) -> None:
        """One row's ability offered (nothing flushed), its fields checked (ImportFailed)."""
        idnumber = row["idnumber"].strip()
        moodle = {k: row[k] for k in KEPT}
        moodle.update(self._rule_config(row["ruleconfig"], by_export_id, at_line(line)))
        if not row["description"].strip() or _written_for_the_cut(row, found):
            moodle["no_description"] = True
        values = {
            "identifier": uuid_,
            "framework_id": framework_id,
            "code": idnumber if len(idnumber) <= 64 else "",
            "text": row["description"] if row["description"].strip() else row["shortname"],
            "short_name": _ability_short_name(row, found)[:255],
            "item_type": (taxonomies[level - 1] if level <= len(taxonomies) else "")[:128],
            "external_id": idnumber[:255],
            "order": order,
            "extra": {"moodle": moodle},
        }
        if in_place is not None:
            values = in_place.values(
                values, idnumber=idnumber, found=found, taxonomies=taxonomies, line=line
            )
        obj = abilities.offer(uuid_, values, where=at_line(line))
        validate_fields(obj, where=at_line(line), exclude=["framework", "parent", "area"])
        if found is None and framework_id is not None:
            self._new_code_warned(idnumber, framework_id=framework_id, line=line)

    def _new_code_warned(self, idnumber: str, *, framework_id: int, line: int) -> None:
        """Warn of a competency the file adds under an ID number a spreadsheet made a number
        (1.1) where the framework holds one of that number (1.10): most likely the file went
        through a spreadsheet. Not refused: the framework may mean a new one. The stored ID
        numbers are read once, and only once a new one is written as a number."""
        if self.readings is None:
            self.readings = ability_code_readings(framework_id=framework_id, csv_only=True)
        hint = self.readings.hint(idnumber)
        if hint:
            message = _(
                "No competency of the framework has the ID number “%(idnumber)s”: the import "
                "creates a new one."
            ) % {"idnumber": shown(idnumber)}
            self.report.warn(at_line(line), with_number_hint(message, hint))

    def _write_areas(self, abilities: RecordSync, uuids, framework: Framework) -> None:
        """The rows without a parent become the framework's competency areas, and every
        competency goes in its top-level ancestor's (importers.areas)."""
        parent_of = {
            uuids[row["idnumber"].strip()]: (
                uuids[row["parentidnumber"].strip()] if row["parentidnumber"].strip() else None
            )
            for _line, row in self.rows
        }
        tops = [
            areas.TopLevel(uuids[row["idnumber"].strip()], row["idnumber"].strip(), at_line(line))
            for line, row in self.rows
            if not row["parentidnumber"].strip()
        ]
        areas.top_level_areas_write(
            framework=framework,
            tops=tops,
            top_of=areas.top_ancestors(parent_of),
            abilities=abilities,
            report=self.report,
            source_ref=self.source_name,
        )

    def _check_description_format(self, line: int, row: dict[str, str]) -> None:
        """A Description format Moodle has no format for (`9`, `x`): Moodle's importer stores
        it unchecked, and the description is then shown by no format of Moodle's; the export
        here would hand it back. An empty cell is taken, as before (Moodle's default)."""
        value = row["descriptionformat"]
        if not value or value in MOODLE_FORMATS:
            return
        self.problems.add(
            _(
                "the Description format “%(format)s” is not one of Moodle's: give %(formats)s "
                "(Moodle, HTML, plain text, Markdown)"
            )
            % {"format": shown(value), "formats": join_list(MOODLE_FORMATS)},
            where=at_line(line),
            line=line,
        )

    def _check_scale_configuration(self, line: int, row: dict[str, str]) -> None:
        """A row with scale values whose scale configuration Moodle refuses (not JSON, or
        JSON not of a scale: moodle_takes_scale_configuration), which stops its import, and an
        export here would hand the same text back to it. Without scale values Moodle reads no
        configuration (a framework's export then writes Moodle's default scale)."""
        if not row["scalevalues"].strip():
            return
        raw = row["scaleconfiguration"].strip()
        if not _is_json(raw):
            message = _(
                "the scale configuration “%(config)s” is not JSON, which Moodle refuses: give "
                "the scale's JSON as Moodle exports it "
                '([{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}])'
            )
        elif not moodle_takes_scale_configuration(raw):
            # JSON Moodle stops on all the same (`[]`, `{}`, a scale without its default).
            message = _(
                "the scale configuration “%(config)s” is not one Moodle takes: give a JSON list "
                "of the scale's id and its values, one of them the default and one proficient, "
                'as Moodle exports it ([{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}])'
            )
        else:
            return
        self.problems.add(message % {"config": shown(raw)}, where=at_line(line), line=line)

    def _check_rule_config(self, line: int, row: dict[str, str]) -> None:
        """A rule config that is not JSON: Moodle's importer hands it to the row's rule, whose
        check refuses it (the import stops), so it is refused; without a rule type Moodle
        never reads it, so it is kept as written (an export gives it back), said in the report."""
        raw = row["ruleconfig"].strip()
        if not raw or _is_json(raw):
            return
        if row["ruletype"].strip():
            self.problems.add(
                _(
                    "the rule config %(config)s is not JSON, which Moodle refuses for the rule "
                    "%(rule)s: give the rule's JSON, or null"
                )
                % {"config": shown(raw), "rule": shown(row["ruletype"].strip())},
                where=at_line(line),
                line=line,
            )
        else:
            self.report.warn(
                at_line(line),
                _(
                    "the rule config %(config)s is not JSON; Moodle ignores a rule config "
                    "without a rule type: kept as written"
                )
                % {"config": shown(raw)},
            )

    def _rule_config(self, raw: str, by_export_id: dict[str, str], where: str) -> dict[str, str]:
        """A rule config as kept: a points rule names its competencies by their Exported ID,
        which is the source site's database id, not ours. Moodle maps those ids through the
        file's own Exported ID column, so the export must write them as the ids it exports:
        kept by ID number (`ruleconfig_ids`), which the export turns into its own. A config
        naming a competency not in the file (Moodle would refuse it too) is kept as written."""
        try:
            config = json.loads(raw) if raw.strip() else None
        except (ValueError, RecursionError):  # nested past the parser: as unreadable
            config = None
        competencies = config.get("competencies") if isinstance(config, dict) else None
        if not isinstance(competencies, list) or not competencies:
            return {"ruleconfig": raw}
        ids = [c.get("id") if isinstance(c, dict) else None for c in competencies]
        unknown = [str(i) for i in ids if str(i) not in by_export_id]
        if unknown:
            self.report.warn(
                where,
                _(
                    "the rule config names competencies by Exported IDs no row has (%(ids)s): "
                    "kept as written"
                )
                % {"ids": join_list(unknown)},
            )
            return {"ruleconfig": raw}
        for competency, identifier in zip(competencies, ids, strict=True):
            competency["id"] = by_export_id[str(identifier)]
        return {"ruleconfig": _json(config), "ruleconfig_ids": "idnumber"}

    def _write_relations(
        self,
        abilities: RecordSync,
        uuids,
        fw_idnumber: str,
        framework_id: int,
        *,
        in_place: bool = False,
    ) -> None:
        # Moodle's cross references are symmetric: one relation per pair, from the earlier row.
        position = {r["idnumber"].strip(): i for i, (_l, r) in enumerate(self.rows)}
        # This site's export of a framework from elsewhere lists the isRelatedTo relations
        # between its abilities, whoever made them: a pair the file lists is that relation, or
        # those relations (a CASE package may relate a pair both ways, or twice), each kept.
        held: dict[frozenset[int], list[AbilityRelation]] = {}
        if in_place:
            for relation in AbilityRelation.objects.filter(
                source__framework_id=framework_id,
                target__framework_id=framework_id,
                relation_type=RelationType.IS_RELATED_TO,
            ).order_by("pk"):
                held.setdefault(frozenset((relation.source_id, relation.target_id)), []).append(
                    relation
                )
        pairs: dict[uuid.UUID, tuple[str, str, int]] = {}
        kept: set[uuid.UUID] = set()
        # The pair's other relations, listed too (not removed below) but not offered again.
        also_kept: set[uuid.UUID] = set()
        for line, row in self.rows:
            me = row["idnumber"].strip()
            for other in self._related(row):
                a, b = sorted((me, other), key=position.__getitem__)
                ends = frozenset(abilities.objects[uuids[x]].pk for x in (a, b)) if held else None
                if ends in held:
                    first, *others = held[ends]
                    key = first.identifier
                    kept.add(key)
                    also_kept.update(other.identifier for other in others)
                else:
                    key = uuid.uuid5(uuid.NAMESPACE_URL, f"moodle-related:{fw_idnumber}:{a}|{b}")
                pairs.setdefault(key, (a, b, line))
        existing = {
            r.identifier: r for r in AbilityRelation.objects.filter(identifier__in=pairs.keys())
        }
        relations = RecordSync(
            kind="relation",
            model=AbilityRelation,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=self.source_name,
        )
        for key, (a, b, line) in pairs.items():
            if key in kept:
                relations.offer(key, {})  # as it is, whichever way it points
                continue
            relations.offer(
                key,
                {
                    "identifier": key,
                    "framework_id": abilities.objects[uuids[a]].framework_id,
                    "source_id": abilities.objects[uuids[a]].pk,
                    "target_id": abilities.objects[uuids[b]].pk,
                    "target_uri": "",
                    "target_label": "",
                    "relation_type": RelationType.IS_RELATED_TO,
                },
                where=at_line(line),
            )
        relations.flush()
        relations.finish()
        if not self.lists_cross_references:
            return
        # A cross reference this version no longer makes is gone (kept, it was exported and
        # read by coverage again): the isRelatedTo between two of the framework's competencies
        # that an import wrote, which is all a Moodle file can say.
        removed = remove_dropped(
            kind="relation",
            records=AbilityRelation.objects.filter(
                framework_id=framework_id,
                source__framework_id=framework_id,
                target__framework_id=framework_id,
                relation_type=RelationType.IS_RELATED_TO,
            ),
            listed=set(pairs) | also_kept,
            key=("identifier",),
            report=self.report,
            ends=("source_id", "target_id"),
        )
        for row in removed:
            self.report.relation_ends.update({row["source_id"], row["target_id"]})


@dataclass
class _InPlace:
    """This site's export of a framework from elsewhere (CASE, ESCO, O*NET, the paper, made
    here), handed back: its rows name the framework's abilities by the ID numbers the export
    gave them, and a row naming none is a new ability of that framework."""

    # The abilities by the ID numbers the export gives them (`moodle_idnumbers` of those it
    # lists, shortened and salted alike); a retired one, left out of the export, by the ID
    # number it holds, so that listed again it comes back rather than a new one.
    abilities: dict[str, Ability]
    external_ids: set[str]
    codes: set[str]
    next_order: int

    @classmethod
    def of(cls, framework: Framework) -> _InPlace:
        every = list(Ability.objects.filter(framework=framework))
        listed = [a for a in every if not a.retired]
        given = moodle_idnumbers(listed)
        abilities = {given[a.pk]: a for a in listed}
        # Another site's export of the same framework (one that read our CASE package) names
        # an ability by the code or identifier it held there, where ours holds the CASE
        # identifier as its external ID: those find it too, where no other ability holds them.
        aliases = [
            (alias, ability)
            for ability in listed
            for alias in {ability.code, str(ability.identifier)} - {"", ability.external_id}
        ]
        taken = Counter(alias for alias, _ability in aliases)
        taken.update(a.external_id for a in every if a.external_id)
        for alias, ability in aliases:
            if taken[alias] == 1:
                abilities.setdefault(alias, ability)
        for ability in every:
            if ability.retired:
                abilities.setdefault(moodle_idnumber(held_idnumber(ability)), ability)
        return cls(
            abilities=abilities,
            external_ids={a.external_id for a in every if a.external_id},
            codes={a.code for a in every if a.code},
            next_order=max((a.order for a in every), default=0) + 1,
        )

    def values(
        self,
        values: dict[str, Any],
        *,
        idnumber: str,
        found: Ability | None,
        taxonomies: list[str],
        line: int,
    ) -> dict[str, Any]:
        """A row's ability `values` as a Moodle framework's import makes them, for this
        framework. An ability of the export keeps its identifiers and its place, and what the
        file does not carry (an item type, without taxonomies; its other extras). A new one
        takes its ID number as its identifier (and code, unless another ability has that one)
        and comes after the framework's abilities, in the file's order."""
        values = dict(values)
        if idnumber in self.abilities and found is not None:
            for name in ("code", "external_id", "order"):
                del values[name]
            if not taxonomies:
                del values["item_type"]
            moodle = values["extra"]["moodle"]
            values["extra"] = _in_place_extra(found.extra, moodle, EXPORTED_ABILITY_DEFAULTS)
            return values
        if values["external_id"] in self.external_ids:
            raise ImportFailed(
                _(
                    "ID number %(id)s is the identifier of another competency of the framework, "
                    "which the export names otherwise: give the new competency an ID number of "
                    "its own"
                )
                % {"id": idnumber},
                where=at_line(line),
            )
        if values["code"] in self.codes:
            values["code"] = ""
        values["order"] = self.next_order
        self.next_order += 1
        return values


def _in_place_extra(
    extra: dict[str, Any] | None, moodle: dict[str, Any], exported: dict[str, str]
) -> dict[str, Any]:
    """The `extra` of a record from elsewhere that this site's export handed back: its own,
    with the Moodle columns as the file gives them, unless the record holds none and the file
    gives what the export writes for a record holding none (or wrote before PLAIN_FORMAT)."""
    extra = dict(extra or {})
    earlier = {**exported, "descriptionformat": EARLIER_EXPORTED_FORMAT}
    if "moodle" not in extra and _scales_read(moodle) in map(_scales_read, (exported, earlier)):
        return extra
    return {**extra, "moodle": moodle}


def _scales_read(moodle: dict[str, Any]) -> dict[str, Any]:
    """Moodle columns as Moodle's importer reads them: it gives the scale configuration the id
    of its own scale (framework_importer::get_scale_configuration), so the scale id a file
    holds ("2" as this site writes it, 2 or another site's id as Moodle's export does) is none."""
    raw = moodle.get("scaleconfiguration")
    try:
        config = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return moodle
    if not isinstance(config, list) or not config or not isinstance(config[0], dict):
        return moodle
    return {**moodle, "scaleconfiguration": [{**config[0], "scaleid": None}, *config[1:]]}


def _held_name(shortname: str, held: str | None) -> str:
    """A framework's name from its row's short name: the name it already has when this is
    what the export made of it (`moodle_shortname`), so a name cut for Moodle is not news."""
    shortname = shortname.strip()
    if held is not None and held != shortname and moodle_shortname(held) == shortname:
        return held
    return shortname


def _ability_short_name(row: dict[str, str], found: Ability | None) -> str:
    """An ability's short name from its row. What this site's export made of the ability
    (`moodle_shortname` of its short name, or of its statement when it has none) is not news:
    the ability keeps the short name it has. A short name that is only its description cut
    for Moodle is no name of its own: none (the ability is shown by its statement)."""
    shortname = row["shortname"].strip()
    if found is not None and moodle_shortname(found.short_name or found.text) == shortname:
        return found.short_name
    description = row["description"].strip()
    if shortname != description and shortname == moodle_shortname(description):
        return ""
    return shortname


def _written_for_the_cut(row: dict[str, str], found: Ability | None) -> bool:
    """Whether the row's description is only there because this site's export cut the
    statement of a competency that came without one for its short name (see the export)."""
    moodle = found.extra.get("moodle") if found is not None and found.extra else None
    return (
        isinstance(moodle, dict)
        and bool(moodle.get("no_description"))
        and row["description"] == found.text
        and row["shortname"].strip() != found.text.strip()
    )


def _taxonomy_levels(raw: str) -> list[str] | None:
    """The taxonomy of each level. The current exporter writes "domain,competency,..."; older
    files a JSON object by level. None for a JSON object that is not one by level."""
    if raw.strip().startswith("{"):
        try:
            by_level = json.loads(raw)
            return [str(by_level[k]) for k in sorted(by_level, key=int)]
        except (ValueError, TypeError, AttributeError, RecursionError):
            return None
    return [t for t in raw.split(",") if t]


def _moodle_default_taxonomies(raw: str, held: Framework | str) -> bool:
    """Whether the file's taxonomies are only the default Moodle gives each level of a framework
    that has none ("competency": competency_framework::get_taxonomies, which its export writes),
    for a framework held here (`held`, or the one keyed by that ID number) without taxonomies:
    a framework handed back through a Moodle site still has none."""
    levels = _taxonomy_levels(raw)
    if not levels or set(levels) != {"competency"}:
        return False
    if isinstance(held, str):
        held = Framework.objects.filter(identifier=framework_uuid(held)).first()
        if held is None:
            return False
    return not ((held.extra or {}).get("moodle") or {}).get("taxonomies")


def _current_taxonomies(raw: str) -> str:
    """The taxonomies as Moodle's importer reads them, one per level separated by commas: it
    refuses the older JSON object by level (each comma-separated piece must name a taxonomy).
    One that cannot be read is kept as written."""
    levels = _taxonomy_levels(raw)
    return raw if levels is None else ",".join(levels)


def _json(value: Any) -> str:
    """JSON as PHP's json_encode writes it (what Moodle's own export holds)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _exported_rule_config(moodle: dict[str, Any], export_ids: dict[str, int]) -> str:
    """The rule config with its competencies named by the Exported IDs this file gives them
    (what Moodle's importer maps); one no longer exported (retired) is left out of the rule."""
    raw = moodle.get("ruleconfig", "null")
    if moodle.get("ruleconfig_ids") != "idnumber":
        return raw
    config = json.loads(raw)
    config["competencies"] = [
        {**competency, "id": export_ids[competency["id"]]}
        for competency in config["competencies"]
        if competency["id"] in export_ids
    ]
    return _json(config)


# Moodle reads the file with PHP's fgetcsv (moodle/moodle lib/csvlib.class.php,
# csv_import_reader::load_csv_content: `fgetcsv($fp, 0, $csv_delimiter, $enclosure)`), whose escape
# character is PHP's default backslash: inside quotes a backslash keeps itself and the character
# after it, so a quote after one neither closes the cell nor pairs with the next quote, and what
# follows a closing quote, up to the separator, is part of the cell. Python's csv doubled that
# quote, and Moodle ended the cell there and refused the file (csvweirdcolumns). Written as PHP's
# fputcsv writes it (Moodle's own export, framework_exporter through csv_export_writer), and read
# as fgetcsv reads it (_FgetcsvReader), a cell means the same here and there.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _php_cell(value: Any) -> str:
    """A cell as PHP's fgetcsv reads it back: quoted where Python's csv quotes one, a quote
    doubled unless a backslash keeps it (fgetcsv would read the doubled one as the end), and a
    backslash the cell ends with, which would keep the closing quote, written after it."""
    value = str(value)
    if not _NEEDS_QUOTES.search(value):
        return value
    out: list[str] = []
    kept = False
    for ch in value:
        if kept:
            kept = False
        elif ch == "\\":
            kept = True
        elif ch == '"':
            out.append('"')
        out.append(ch)
    if kept:
        return '"' + "".join(out[:-1]) + '"\\'
    return '"' + "".join(out) + '"'


# Moodle's importer does not hand on the rows fgetcsv read from the file: csv_import_reader
# (moodle/moodle lib/csvlib.class.php) stores them with fputcsv (csv_export_writer::print_array)
# and reads that store with fgetcsv again. PHP's fputcsv quotes a cell holding a backslash and
# doubles no quote after a run of them, so the store's fgetcsv misreads a cell ending in an odd
# run of backslashes ("C:\", the closing quote taken as escaped) or holding an even run before a
# quote (`C:\\"x"`, the quote taken as the closing one): the row runs on, and Moodle refuses the
# whole file ("File format is invalid.", checked with its own code on PHP 8.2). No way of writing
# the file helps; a space after such a run does, and is taken off again here (_unstored).
# Spaces already after such a run get one more, so that taking one off gives the text back.
_STORE_BREAKS = re.compile(r'(?<!\\)((?:\\\\)*\\ *)\Z|(?<!\\)((?:\\\\)+ *)(?=")')
_STORE_SPACED = re.compile(r'(?<!\\)((?:\\\\)*\\ *) \Z|(?<!\\)((?:\\\\)+ *) (?=")')


def _stored(value: Any) -> Any:
    """A cell Moodle's csv store gives back as written: a space after a run of backslashes
    that ends it (odd) or stands before a quote (even), or after the spaces that follow one."""
    if not isinstance(value, str) or "\\" not in value:
        return value
    return _STORE_BREAKS.sub(lambda m: (m.group(1) or m.group(2)) + " ", value)


def _unstored(value: str) -> str:
    """The text `_stored` was given: the space it put after a run of backslashes taken off."""
    if "\\ " not in value:
        return value
    return _STORE_SPACED.sub(lambda m: m.group(1) or m.group(2), value)


class _MoodleWriter:
    """Rows as Moodle reads them (_php_cell) and stores them (_stored), a cell a spreadsheet
    would run as a formula written with core.csv's apostrophe, which this importer removes."""

    def __init__(self, out: io.StringIO):
        self.out = out

    def writerow(self, row: list[Any]) -> None:
        cells = (_php_cell(_stored(cell)) for cell in safe_row(row))
        self.out.write(",".join(cells) + "\n")


class _FgetcsvReader:
    """The rows of a CSV as PHP's fgetcsv reads them (see _php_cell), with `line_num` as
    csv.reader counts it (the line a row ends on). A quote left open at the end is a csv.Error,
    as csv.reader's is."""

    def __init__(self, text: str, *, delimiter: str):
        self.lines = io.StringIO(text, newline="")
        self.delimiter = delimiter
        self.line_num = 0
        # The line the last row starts on, and how many rows were read (a spreadsheet's row
        # number: blank lines count as rows, a row spanning lines as one).
        self.line_start = 0
        self.records = 0

    def __iter__(self) -> _FgetcsvReader:
        return self

    def _line(self) -> str:
        line = self.lines.readline()
        if line:
            self.line_num += 1
        return line

    def __next__(self) -> list[str]:
        line = self._line()
        if not line:
            raise StopIteration
        self.line_start = self.line_num
        self.records += 1
        row: list[str] = []
        cell: list[str] = []
        at, start, quoted = 0, True, False
        while True:
            if at == len(line):
                if not quoted:
                    return [*row, "".join(cell)]
                line, at = self._line(), 0
                if not line:
                    raise csv.Error("unexpected end of data")
                continue
            ch = line[at]
            at += 1
            if quoted:
                if ch == "\\" and at < len(line):
                    cell += [ch, line[at]]
                    at += 1
                elif ch == '"' and line[at : at + 1] == '"':
                    cell.append(ch)
                    at += 1
                elif ch == '"':
                    quoted = False
                else:
                    cell.append(ch)
            elif ch == self.delimiter:
                row.append("".join(cell))
                cell, start = [], True
            elif ch in "\r\n":
                return [*row, "".join(cell)]
            elif start and ch == '"':
                quoted, start = True, False
            elif start and ch in " \t" and line[at:].lstrip(" \t").startswith('"'):
                # fgetcsv skips the spaces before a quote that opens a cell.
                continue
            else:
                cell.append(ch)
                start = False


def _from_moodle(framework: Framework) -> bool:
    """Whether the framework is one a Moodle file made (keyed by its ID number)."""
    return bool(framework.external_id) and framework.identifier == framework_uuid(
        framework.external_id
    )


def _exported_format(moodle: dict[str, Any]) -> str:
    """The Description format written for a record's Moodle columns: the one it came with
    (empty stays empty), plain text for none, and plain text for one Moodle does not know,
    which an earlier release took unchecked (the stored text then shows as it is)."""
    value = str(moodle.get("descriptionformat", PLAIN_FORMAT)).strip()
    return value if not value or value in MOODLE_FORMATS else PLAIN_FORMAT


def _exported_scale(moodle: dict[str, Any]) -> tuple[str, str] | None:
    """A record's own scale as written (values, configuration), or None for none: none kept, or
    one whose configuration Moodle refuses, which an earlier release took (`[]`, `{}`)."""
    values = str(moodle.get("scalevalues", ""))
    config = str(moodle.get("scaleconfiguration", ""))
    if not values.strip() or not moodle_takes_scale_configuration(config):
        return None
    return values, config


def framework_moodle_csv(*, framework: Framework) -> str:
    """The framework as a current (14-column) tool_lpimportcsv file, in the stored order,
    without the abilities its latest import no longer listed (retired). Taxonomies in the
    current form; a framework without a Moodle scale (or with one Moodle refuses) gets Moodle's
    default competence scale, a competency the framework's."""
    abilities = list(
        Ability.objects.filter(framework=framework, retired=False).order_by("order", "code", "id")
    )
    idnumbers = moodle_idnumbers(abilities, collated=not _from_moodle(framework))
    # A points rule names its competencies by the ID numbers they hold (_rule_config).
    export_ids = {held_idnumber(a): a.pk for a in abilities}
    related: dict[int, list[int]] = {a.pk: [] for a in abilities}
    for source_id, target_id in AbilityRelation.objects.filter(
        source__framework=framework,
        target__framework=framework,
        source__retired=False,
        target__retired=False,
        relation_type=RelationType.IS_RELATED_TO,
    ).values_list("source_id", "target_id"):
        related[source_id].append(target_id)
        related[target_id].append(source_id)
    fw_moodle: dict[str, Any] = (framework.extra or {}).get("moodle", {})
    scale = _exported_scale(fw_moodle) or (DEFAULT_SCALE_VALUES, DEFAULT_SCALE_CONFIGURATION)
    out = io.StringIO()
    # Names, descriptions and ID numbers come from users and imported files: a cell a spreadsheet
    # would run as a formula is written with core.csv's apostrophe, which this importer removes.
    writer = _MoodleWriter(out)
    writer.writerow(CURRENT_HEADERS)
    writer.writerow(
        [
            "",
            moodle_idnumber(held_idnumber(framework)),
            moodle_shortname(framework.name),
            framework.description,
            _exported_format(fw_moodle),
            *scale,
            "",
            "",
            "",
            "",
            "",
            "1",
            _current_taxonomies(fw_moodle.get("taxonomies", "")),
        ]
    )
    # Stored order, as imported: Moodle builds the tree from parent ID numbers in any order.
    for ability in abilities:
        moodle: dict[str, Any] = (ability.extra or {}).get("moodle", {})
        related_ids = ",".join(
            idnumbers[pk].replace(",", "%2C") for pk in sorted(set(related[ability.pk]))
        )
        shortname = moodle_shortname(ability.short_name or ability.text)
        # A competency that came without a description is its short name, while that is its
        # whole statement; a statement cut for the short name is written whole as well.
        bare = moodle.get("no_description") and shortname == ability.text.strip()
        writer.writerow(
            [
                idnumbers.get(ability.parent_id, ""),
                idnumbers[ability.pk],
                shortname,
                "" if bare else ability.text,
                _exported_format(moodle),
                *(_exported_scale(moodle) or ("", "")),
                moodle.get("ruletype", ""),
                moodle.get("ruleoutcome", "0"),
                _exported_rule_config(moodle, export_ids),
                related_ids,
                str(ability.pk),
                "",
                "",
            ]
        )
    return out.getvalue()
