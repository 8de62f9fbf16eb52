"""1EdTech CASE: a CFPackage (1.0 or 1.1, or an older OpenSALT dialect), or a JSON array of them.

CFDocument -> Framework, CFItems -> Ability, isChildOf -> Ability.parent, every other association ->
AbilityRelation (to an ability of the package or the database, else kept as an external URI), an
extension type (ext:isSkillOf) and the association's notes with it. What an association says
beyond its ends (notes, sequenceNumber, extensions, its CFAssociationGroupingURI) is kept, for
isChildOf in the child's `extra` (TREE_KEY); the package's CFDefinitions (item types, subjects,
licences, concepts, association groupings) in the framework's.
Identifiers: a UUID identifier is kept as is, any other (e.g. the ASN URLs of pre-1.0 files) becomes
uuid5(NAMESPACE_URL, identifier); the original always stays in `external_id`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from json.decoder import JSONObject
from json.scanner import py_make_scanner
from types import SimpleNamespace
from typing import Any, NamedTuple, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv import NotUtf8Text
from core.history import history_record_rows
from core.identifiers import stable_uuid
from core.json_problems import json_problem
from core.limits import (
    ImportLimits,
    check_json_depth,
    json_nested_too_deep,
    json_text_nests_deeper,
)
from core.models import language_tag_or_as_given, uri_runs_content, validate_uri
from core.spreadsheets import shown
from positions.case_identifiers import (
    CASE_SOURCE,
    FORMAT_SOURCES,
    SOURCE,
    SOURCE_IDENTIFIER,
    SOURCE_URI,
    TRANSLATIONS,
    TREE_KEY,
    area_item_type_identifier,
    case_identifier,
    case_link,
    child_of_identifier,
    chinese_translation,
    item_labels,
    label_item_type_identifier,
    own_case_root,
    published_keywords,
    site_publishers,
)
from positions.importers import TOP_LEVEL_AREAS, areas
from positions.importers.base import (
    Importer,
    ImportFailed,
    Problems,
    RecordSync,
    _refuse_unstorable,
    not_utf8,
    remove_dropped,
    tree_depths,
    validate_fields,
)
from positions.models import (
    EXTENSION_TYPE_LENGTH,
    EXTENSION_TYPE_RE,
    PAPER_FRAMEWORK_RULE,
    Ability,
    AbilityRelation,
    Framework,
    RelationType,
)

CHILD_OF = "isChildOf"
SIDES = ("source", "target")  # a relation's ends, as its columns name them
SIDE_NODES = ("origin", "destination")  # and as an association names them
# The CASE types a relation holds as its type; an extension (ext:...) is held whole apart.
RELATION_TYPES = {choice.value for choice in RelationType} - {RelationType.EXTENSION}
# Item keys that have a column of their own; everything else goes to Ability.extra.
ITEM_COLUMNS = {
    "identifier",
    "uri",
    "fullStatement",
    "abbreviatedStatement",
    "CFItemType",
    "CFDocumentURI",
    "CFItemAssociationURI",
}
DOCUMENT_COLUMNS = {"identifier", "uri", "title", "version", "description", "language"}
# Item keys the provider writes from the record itself: kept, they would make an unedited
# record differ from its own export.
ITEM_DERIVED = {"lastChangeDateTime"}
# What the provider writes into a CFDocument from the framework itself: in this site's own export
# (a package handed back) they say nothing new, and kept they would change on every round trip.
DOCUMENT_DERIVED = {"lastChangeDateTime", "caseVersion", "CFPackageURI", "officialSourceURL"}
OWN_EXTENSIONS = {"provenance", "sourceRef", SOURCE_IDENTIFIER, SOURCE_URI, SOURCE}
# What the provider adds to a CFItem's extensions: its source's identifier and URI.
OWN_ITEM_EXTENSIONS = {SOURCE_IDENTIFIER, SOURCE_URI}
MISSING = object()
_url = URLValidator(schemes=["http", "https"])


def _item_text_fields(item: dict, default_language: str) -> dict[str, str]:
    """What a reader (and the suggestion engine) learns about an item beyond its statement:
    notes as the description, the abbreviated statement and concept keywords as alternative
    labels (one per line), and the item's language, else its document's. The same keys stay in
    `extra` too, for the CASE provider to serve back unchanged."""
    return {
        "description": str(item.get("notes") or "").strip(),
        # CASE lists strings; anything else names no keyword (kept in extra)
        "alt_labels": item_labels(
            str(item.get("abbreviatedStatement") or ""), item.get("conceptKeywords") or []
        ),
        "language": str(item.get("language") or default_language or "")[:16],
    }


def _valid_url(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 500:
        return ""
    try:
        _url(value)
    except ValidationError:
        return ""
    return value


def _valid_uri(value: Any) -> str:
    """An item's URI as the ability's: any absolute URI its column takes, a URN included
    (kept in `extra` instead, it was neither shown nor published)."""
    if not isinstance(value, str) or not value or len(value) > 500:
        return ""
    try:
        validate_uri(value)
    except ValidationError:
        return ""
    return value


def _education_level_as_1_1(extra: dict) -> None:
    """Pre-1.0 exports (early OpenSALT, the Common Core sample) give an item's grades as
    `educationalLevel`, one string ("09", "KG, 01"): kept as CASE 1.1's `educationLevel` list,
    the property the provider publishes, so the grades are not lost on the way out."""
    if "educationLevel" in extra or "educationalLevel" not in extra:
        return
    value = extra["educationalLevel"]
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        del extra["educationalLevel"]
        if levels := [part for part in value if part.strip()]:
            extra["educationLevel"] = levels


def _subject_links_as_1_1(extra: dict) -> None:
    """Early OpenSALT exports (the Common Core sample) link a document's or an item's subjects
    as `subjectURL`: kept as CASE 1.1's `subjectURI`, which the provider publishes, so the links
    are not lost on the way out. One link alone is listed."""
    if "subjectURI" in extra or "subjectURL" not in extra:
        return
    value = extra["subjectURL"]
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        del extra["subjectURL"]
        extra["subjectURI"] = value


def _max_digits() -> int:
    """The most digits of an integer Python reads (0: no bound, read as 4,300, its default)."""
    return sys.get_int_max_str_digits() or 4300


def _sequence_number(value: Any) -> int | None:
    """An association's sequenceNumber as an integer: CASE writes one, early OpenSALT exports
    the same number as a string ("2"), which orders the siblings just as well. One beyond 64
    bits is none: no JSON encoder here could publish it again."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else None
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,10}", value.strip()):
        return int(value)
    return None


# Ability.order is a PositiveIntegerField: what PostgreSQL's integer holds from 0 up.
ORDER_MAX = 2**31 - 1


def _sequence_orders(sequence: dict[str, int]) -> dict[str, int]:
    """Each item's order from its sequenceNumber. CASE allows any integer, the order column
    does not: when a package has a number outside 0..ORDER_MAX (negative ones are real), every
    number becomes its rank among the package's numbers, which keeps the publisher's order of
    the siblings, and the same package always gives the same orders."""
    if all(0 <= number <= ORDER_MAX for number in sequence.values()):
        return dict(sequence)
    rank = {number: n for n, number in enumerate(sorted(set(sequence.values())))}
    return {ident: rank[number] for ident, number in sequence.items()}


def _node(assoc: dict, side: str) -> tuple[str, str, str]:
    """(identifier, uri, title) of an association end, whichever dialect wrote it."""
    ref = assoc.get(f"{side}NodeURI")
    identifier = assoc.get(f"{side}NodeIdentifier") or ""
    uri = title = ""
    if isinstance(ref, dict):
        identifier = identifier or ref.get("identifier") or ""
        uri = ref.get("uri") or ""
        title = ref.get("title") or ""
    elif isinstance(ref, str):
        uri = ref
    return str(identifier), str(uri), str(title)


class _Nodes:
    """The package's items by identifier and by URI, and the keys naming its document: older
    files refer to a node by either, so every association end is resolved through this."""

    def __init__(self, doc: dict, items: list[dict]) -> None:
        self._by_key: dict[str, str] = {}
        for item in items:
            self._by_key[item["identifier"]] = item["identifier"]
            if isinstance(item.get("uri"), str) and item["uri"]:
                self._by_key.setdefault(item["uri"], item["identifier"])
        self._doc_keys = {doc["identifier"]} | (
            {doc["uri"]} if isinstance(doc.get("uri"), str) else set()
        )

    def resolve(self, ident: str, uri: str) -> str | None:
        """The identifier of the package item an association end names, None when outside."""
        return self._by_key.get(ident) or self._by_key.get(uri)

    def is_document(self, ident: str, uri: str) -> bool:
        return ident in self._doc_keys or uri in self._doc_keys


class _Tree(NamedTuple):
    """What the isChildOf associations say, and the associations left for relations."""

    parent_of: dict[str, str | None]  # item identifier -> parent's, None under the document
    sequence: dict[str, int]  # item identifier -> its sequenceNumber among its siblings
    others: list[tuple[int, dict]]  # (index in CFAssociations, association), isChildOf aside
    # item identifier -> its isChildOf association's identifier; None when another association
    # of the package holds it (the provider derives one, child_of_identifier)
    edges: dict[str, str | None]
    # item identifier -> its isChildOf's notes, extensions and grouping (_edge_details)
    details: dict[str, dict]
    # index in CFAssociations -> (the relation's identifier, whether it is not the
    # association's own), None for an association listed again word for word
    relation_ids: dict[int, tuple[Any, bool] | None]


class _Codes(NamedTuple):
    """The codes (humanCodingScheme) an item may not take: those already used in the framework
    or by an earlier item, and those an ability of another item of the package holds."""

    used: set[str]
    held: dict[str, str]  # code -> identifier of the item whose ability already has it

    def taken(self, code: str, ident: str) -> bool:
        return code in self.used or self.held.get(code, ident) != ident


class _Abilities(NamedTuple):
    """The package's abilities as written, for the phases that link them."""

    sync: RecordSync
    uuids: dict[str, Any]  # item identifier -> Ability.identifier
    foreign: set[str]  # items skipped because another framework already has them


class PackageReader(Protocol):
    """Reads a CASE package that is not a competency framework (the course catalogue, read by
    curricula): another app registers one with `register_package_reader`, since this app may
    not import it."""

    def claims(self, package: dict, *, options: dict) -> bool:
        """Whether to read this checked package (`options["as"]` is what the user asked for)."""

    def check(self, package: dict, *, importer: CaseImporter) -> None:
        """Collect in importer.problems (each at its place: `line` its index, `file` the
        package's CFItems or CFAssociations) what cannot be written, before anything is; the
        package's own checks have run, and their problems are said with these."""

    def write(self, package: dict, *, importer: CaseImporter) -> None:
        """Write the package, inside the import's transaction; count in importer.report."""


PACKAGE_READERS: list[PackageReader] = []


def register_package_reader(reader: PackageReader) -> None:
    if not any(type(known) is type(reader) for known in PACKAGE_READERS):
        PACKAGE_READERS.append(reader)


class _DuplicateKey(Exception):
    """A key given twice in one JSON object (args: the key, or where the object opens)."""


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    """The object of `pairs`, as json reads it, unless a key is given twice: json keeps the
    last and drops the first without a word (the API's parser refuses it too)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


class _NotJsonNumber(Exception):
    """NaN, Infinity or a number past a double's range (1e400), which Python's json reads (as
    nan and inf) and JSON has not (args: the number as written)."""


def _refuse_constant(name: str) -> float:
    raise _NotJsonNumber(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotJsonNumber(text)
    return value


# JSON's strings, and the numbers and constants outside them.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN|-?[0-9][0-9.eE+-]*')


class CaseImporter(Importer):
    writes = (Framework, Ability, AbilityRelation)
    removes = (AbilityRelation,)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.packages: list[dict] = []
        # Framework -> identifiers of the relations its packages list (all packages of the
        # file: a framework's relations are removed only once all of them are written).
        self.listed_relations: dict[Any, set] = {}
        # Every item's and association's problems, said together (Problems), each package's
        # document, then items, then associations, in the file's order: an integrator mends a
        # package of thousands of items in one go, not one run a problem.
        self.problems = Problems()

    # --- reading and checking ---------------------------------------------------------------
    def _huge_number_at(self, name: str) -> str:
        """Where the first number of more digits than Python converts is in the file `name`
        ("line 3, column 12"), or the file's name."""
        huge = re.compile(rf"[0-9]{{{_max_digits() + 1}}}")
        with self.source.open_text(name) as stream:
            for number, line in enumerate(stream, start=1):
                found = huge.search(line)
                if found:
                    return _("line %(line)d, column %(column)d") % {
                        "line": number,
                        "column": found.start() + 1,
                    }
        return name

    def _number_at(self, name: str, number: str) -> str:
        """Where `number`, as written, first stands outside a string in the file `name`
        ("line 3, column 12"), or the file's name."""
        with self.source.open_text(name) as stream:
            text = stream.read()
        for token in _JSON_TOKEN.finditer(text):
            if token.group() == number:
                at = token.start()
                return _("line %(line)d, column %(column)d") % {
                    "line": text.count("\n", 0, at) + 1,
                    "column": at - text.rfind("\n", 0, at),
                }
        return name

    def _duplicate_key_at(self, name: str) -> str:
        """Where the first object holding a key twice opens in the file `name` ("line 3,
        column 12"), or the file's name: read again by json's Python scanner, which knows
        where each object starts (the C one, reading the file first, does not)."""
        with self.source.open_text(name) as stream:
            text = stream.read()
        decoder = json.JSONDecoder()

        def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
            pairs, end = JSONObject(s_and_end, strict, scan_once, None, list, memo)
            if len(dict(pairs)) != len(pairs):
                raise _DuplicateKey(s_and_end[1] - 1)
            return dict(pairs), end

        decoder.parse_object = parse_object
        decoder.scan_once = py_make_scanner(decoder)
        try:
            decoder.decode(text)
        except _DuplicateKey as found:
            at = found.args[0]
            return _("line %(line)d, column %(column)d") % {
                "line": text.count("\n", 0, at) + 1,
                "column": at - text.rfind("\n", 0, at),
            }
        except (ValueError, RecursionError):
            pass
        return name

    def validate(self) -> None:
        names = self.source.names()
        if len(names) != 1:
            raise ImportFailed(_("a CASE import reads one JSON file"))
        limits = ImportLimits.current()
        with self.source.open_text(names[0]) as stream:
            try:
                data = json.load(
                    stream,
                    object_pairs_hook=_refuse_duplicate_keys,
                    parse_constant=_refuse_constant,
                    parse_float=_finite_float,
                )
            except _NotJsonNumber as exc:
                raise ImportFailed(
                    _(
                        "%(number)s is not a number JSON carries (JSON has no NaN or Infinity, "
                        "and a double ends near 1.8e308)"
                    )
                    % {"number": shown(exc.args[0])},
                    where=self._number_at(names[0], exc.args[0]),
                ) from exc
            except _DuplicateKey as exc:
                raise ImportFailed(
                    _("the key “%(key)s” is given twice in one object")
                    % {"key": shown(exc.args[0])},
                    where=self._duplicate_key_at(names[0]),
                ) from exc
            except json.JSONDecodeError as exc:
                # Stopped past the depth bound (a file cut short or broken in its depths): the
                # bound is named, as for a deeper file, rather than what the reader met there.
                if json_text_nests_deeper(exc.doc[: exc.pos + 1], limits.json_depth):
                    raise json_nested_too_deep(name=names[0], limits=limits) from exc
                raise ImportFailed(
                    # The reader's own words are English: said in the import's language.
                    _("malformed JSON: %(msg)s") % {"msg": json_problem(exc.msg)},
                    where=_("line %(line)d, column %(column)d")
                    % {"line": exc.lineno, "column": exc.colno},
                ) from exc
            except NotUtf8Text as exc:
                raise not_utf8(exc, where=names[0]) from exc
            except ValueError as exc:
                # Not JSONDecodeError: an integer of more digits than Python converts
                # (sys.get_int_max_str_digits), which json lets through without a place.
                raise ImportFailed(
                    _("a number of more than %(limit)d digits, which no field of CASE holds")
                    % {"limit": _max_digits()},
                    where=self._huge_number_at(names[0]),
                ) from exc
            except RecursionError as exc:
                # Deeper than the parser's stack, so deeper than any bound.
                raise json_nested_too_deep(name=names[0], limits=limits) from exc
        check_json_depth(data, name=names[0], limits=limits)
        packages = data if isinstance(data, list) else [data]
        if not packages:
            raise ImportFailed(_("the JSON array holds no package"))
        problems = self.problems
        # The framework packages whose fields can be checked as `write` checks them, should
        # the file be refused: their document is sound.
        checkable: list[dict] = []
        for n, package in enumerate(packages):
            if isinstance(package, dict) and isinstance(package.get("CFPackage"), dict):
                package = package["CFPackage"]
            at = f"package {n + 1}: " if isinstance(data, list) else ""
            problems.files += [f"{at}CFDocument", f"{at}CFItems", f"{at}CFAssociations"]
            found = problems.total
            # A package that is no CFPackage, or whose items are no array, is not read further;
            # the next package is.
            with problems.gathered(file=f"{at}CFDocument"):
                checked = self._check_package(package, at)
                if not checked.pop("document_ok"):
                    continue
                checked["reader"] = self._reader_for(checked)
                if checked["reader"] is None:
                    self._check_parents(checked)
                    checkable.append(checked)
                else:
                    # Its problems (importer.problems) with the package's own, not after them.
                    checked["reader"].check(checked, importer=self)
                if problems.total == found:
                    self.packages.append(checked)
        if problems:
            # The items' field problems too (text no database stores, too long for its
            # column), with nothing written: every problem of the file in one refusal.
            for package in checkable:
                self._check_fields(package)
        # Every package's problems together, before anything is written.
        problems.raise_any()
        self.progress(0.3, "validated")

    def _check_fields(self, package: dict) -> None:
        """The package's document's and items' field problems collected (self.problems), as
        `_write_package` checks them, for a file refused already: nothing is written. What is
        refused already (an item without a statement, an association without a type or with
        an unknown parent, a cycle) is left out of this check, not said twice."""
        at, ref = package["at"], f"{self.source_name}"
        nodes = _Nodes(package["doc"], package["items"])
        tree = self._read_tree(package["assocs"], nodes, at, checking=True)
        try:
            self._check_cycles(tree.parent_of, at)
        except ImportFailed:
            # Refused already; the areas' and item types' walk up the parents would find no
            # top: checked as hanging from the document.
            tree = tree._replace(parent_of=dict.fromkeys(tree.parent_of))
        defs = package["defs"]
        if self.options.get(TOP_LEVEL_AREAS):
            defs = self._without_remade_area_types(package, tree.parent_of)
        framework = None
        with self.problems.gathered(file=at + "CFDocument"):
            _frameworks, framework = self._offer_framework(package["doc"], defs, at, ref)
        if framework is None:
            # The document refused: its items are checked as those of the framework it names.
            doc_uuid = stable_uuid(package["doc"]["identifier"])
            framework = Framework.objects.filter(identifier=doc_uuid).first() or Framework(
                identifier=doc_uuid, language=str(package["doc"].get("language") or "en")[:16]
            )
        self._offer_abilities(package, framework, tree, ref)
        self._check_relations(tree, nodes, at)

    def _reader_for(self, package: dict) -> PackageReader | None:
        read_as = self.options.get("as")
        if read_as == "framework":
            return None
        reader = next((r for r in PACKAGE_READERS if r.claims(package, options=self.options)), None)
        if reader is None and read_as:
            raise ImportFailed(
                _("no reader for a package read as %(as)s") % {"as": read_as},
                where=package["at"] + "CFDocument",
            )
        return reader

    def _check_package(self, package: Any, at: str) -> dict:
        """Everything a package must hold before anything is written, in the shape
        `_write_package` reads: a document, arrays of items and associations. A package that
        is none fails (ImportFailed); each problem of its document, items and associations is
        collected (self.problems)."""
        if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
            raise ImportFailed(_("not a CFPackage: no CFDocument object"), where=at + "top level")
        doc = package["CFDocument"]
        found = self.problems.total
        with self.problems.gathered(file=at + "CFDocument"):
            self._check_document(doc, at)
        # Without its identifier, the document is not one the items can be placed under.
        document_ok = self.problems.total == found
        items = package.get("CFItems") or []
        assocs = package.get("CFAssociations") or []
        if not isinstance(items, list) or not isinstance(assocs, list):
            raise ImportFailed(
                _("CFItems and CFAssociations must be arrays"), where=at + "top level"
            )
        kept, positions = self._kept_items(items, at)
        self._check_associations(assocs, at)
        defs = package.get("CFDefinitions")
        return {
            "doc": doc,
            "items": kept,
            "assocs": assocs,
            "at": at,
            "defs": defs,
            "index": positions,
            "document_ok": document_ok,
        }

    @staticmethod
    def _check_document(doc: dict, at: str) -> None:
        """The document becomes the framework: it needs an identifier and a name."""
        for key in ("identifier", "title"):
            if not isinstance(doc.get(key), str) or not doc[key].strip():
                raise ImportFailed(
                    _("CFDocument has no %(key)s") % {"key": key}, where=at + "CFDocument"
                )

    def _kept_items(self, items: list, at: str) -> tuple[list[dict], dict[str, int]]:
        """The items to write, each identifier once, and each one's index in the file (for
        reporting where it was). An item without identifier or statement is refused (a problem
        collected, self.problems)."""
        seen: set[str] = set()
        kept: list[dict] = []
        positions: dict[str, int] = {}
        for i, item in enumerate(items):
            where = f"{at}CFItems[{i}]"
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("identifier"), str)
                or not item["identifier"].strip()
            ):
                self.problems.add(
                    _("a CFItem needs an identifier"), where=where, line=i, file=at + "CFItems"
                )
                continue
            if not isinstance(item.get("fullStatement"), str) or not item["fullStatement"].strip():
                self.problems.add(
                    _("a CFItem needs a fullStatement"), where=where, line=i, file=at + "CFItems"
                )
            if item["identifier"] in seen:
                # Seen in real exports: the first occurrence wins, the later one is reported.
                self.report.skip(
                    where,
                    _("identifier %(id)s appears twice in the package; the first item is kept")
                    % {"id": item["identifier"]},
                    group=_("item identifier appears twice"),
                )
                continue
            seen.add(item["identifier"])
            kept.append(item)
            positions[item["identifier"]] = i
        return kept, positions

    def _check_associations(self, assocs: list, at: str) -> None:
        """Refuses an association without a type or with an end naming no node at all (a
        problem collected, self.problems)."""
        for i, assoc in enumerate(assocs):
            where, file = f"{at}CFAssociations[{i}]", at + "CFAssociations"
            if not isinstance(assoc, dict):
                self.problems.add(
                    _("a CFAssociation needs an associationType"), where=where, line=i, file=file
                )
                continue
            if not isinstance(assoc.get("associationType"), str):
                self.problems.add(
                    _("a CFAssociation needs an associationType"), where=where, line=i, file=file
                )
            for side in ("origin", "destination"):
                ref = assoc.get(f"{side}NodeURI")
                if isinstance(ref, dict) and any(
                    not isinstance(ref.get(key) or "", str) for key in ("identifier", "uri")
                ):
                    # Kept as text, a number or a list named a node no one could find again.
                    self.problems.add(
                        _("the %(side)s node's identifier and URI must be text") % {"side": side},
                        where=where,
                        line=i,
                        file=file,
                    )
                    continue
                ident, uri, _title = _node(assoc, side)
                if not ident and not uri:
                    self.problems.add(
                        _("the %(side)s node has neither identifier nor URI") % {"side": side},
                        where=where,
                        line=i,
                        file=file,
                    )

    def _check_parents(self, package: dict) -> None:
        """Each isChildOf's parent is an item of the package or its document, and the parents
        make a tree (a problem collected, self.problems, for each parent that is not, and for
        a cycle), before anything is written. The first parent of an item counts, as
        `_read_tree` reads them."""
        at = package["at"]
        nodes = _Nodes(package["doc"], package["items"])
        parent_of: dict[str, str | None] = {}
        for i, assoc in enumerate(package["assocs"]):
            # One without a type is refused already (_check_associations).
            if not isinstance(assoc, dict) or assoc.get("associationType") != CHILD_OF:
                continue
            link = None
            with self.problems.gathered(line=i, file=at + "CFAssociations"):
                link = self._child_and_parent(
                    assoc, nodes, f"{at}CFAssociations[{i}]", report=False
                )
            if link is not None:
                parent_of.setdefault(link[0], link[1])
        with self.problems.gathered(file=at + "CFAssociations"):
            self._check_cycles(parent_of, at)

    # --- writing ------------------------------------------------------------------------------
    def write(self) -> tuple[set[int], set[int]]:
        ability_ids: set[int] = set()
        for n, package in enumerate(self.packages):
            if package["reader"] is not None:
                package["reader"].write(package, importer=self)
            else:
                ability_ids |= self._write_package(package)
            self.progress(0.3 + 0.7 * (n + 1) / len(self.packages), "written")
        self._remove_dropped_relations()
        return ability_ids, set()

    def _remove_dropped_relations(self) -> None:
        """A package is its framework as the publisher now has it: an association an earlier
        version listed and this one does not is gone, and so is its relation (kept, it was
        published again and read by crosswalk-aware coverage). Only for a package listing
        items: one without (a document alone) says nothing of the framework's content."""
        for framework, listed in self.listed_relations.items():
            removed = remove_dropped(
                kind="relation",
                records=AbilityRelation.objects.filter(framework=framework),
                listed=listed,
                key=("identifier",),
                report=self.report,
                ends=("source_id", "target_id"),
            )
            for row in removed:
                self.report.relation_ends.update({row["source_id"], row["target_id"]} - {None})

    def _write_package(self, package: dict) -> set[int]:
        """One checked package, phase by phase; returns the abilities created or updated.

        The order matters: abilities point at the framework, parents at abilities written
        before them, relations at abilities of this package or already in the database.
        """
        at, ref = package["at"], f"{self.source_name}"
        nodes = _Nodes(package["doc"], package["items"])
        tree = self._read_tree(package["assocs"], nodes, at)
        self._check_cycles(tree.parent_of, at)
        defs = package["defs"]
        if self.options.get(TOP_LEVEL_AREAS):
            defs = self._without_remade_area_types(package, tree.parent_of)
        framework = self._write_framework(package["doc"], defs, at, ref)
        # Refused with the items' problems (_write_abilities says them all).
        self._check_relations(tree, nodes, at)
        abilities = self._write_abilities(package, framework, tree, ref)
        if self.options.get(TOP_LEVEL_AREAS):
            self._write_areas(package, abilities, tree.parent_of, framework)
        self._write_parents(abilities, tree.parent_of)
        self._link_waiting_ends(package["items"], abilities)
        self._write_relations(tree, abilities, nodes, framework, at, ref)
        if package["items"]:
            self.listed_relations.setdefault(framework.pk, set()).update(
                ids[0] for ids in tree.relation_ids.values() if ids is not None
            )
        return abilities.sync.changed_pks()

    def _write_framework(self, doc: dict, defs: Any, at: str, ref: str):
        """The CFDocument becomes the framework, written first: every ability points at it."""
        frameworks, framework = self._offer_framework(doc, defs, at, ref)
        frameworks.flush()
        frameworks.finish()
        self.report.frameworks.append(framework.pk)
        return framework

    def _offer_framework(self, doc: dict, defs: Any, at: str, ref: str) -> tuple[RecordSync, Any]:
        """The CFDocument's framework offered (nothing flushed) and its fields checked
        (ImportFailed)."""
        doc_uuid = stable_uuid(doc["identifier"])
        uri, extra = _valid_url(doc.get("uri")), self._document_extra(doc, defs)
        chinese = _take_translations(extra)
        external_id, source = doc["identifier"][:255], CASE_SOURCE
        if self._is_own_uri(uri):
            # This site's own export handed back: the URI is one the provider minted, the
            # publisher's is the officialSourceURL it named; the identifier is the UUID it made
            # of the publisher's (a pre-1.0 URL); what it derived is not news.
            official = _valid_url(doc.get("officialSourceURL"))
            extensions = doc.get("extensions")
            source_uri = extensions.get(SOURCE_URI) if isinstance(extensions, dict) else None
            named = _valid_url(source_uri)
            # The provider names the publisher's URI in the extensions where the
            # officialSourceURL is the publisher's own (a specification document), kept then.
            keeps_official = bool(named) and not self._is_own_uri(named)
            if not keeps_official:
                named = "" if self._is_own_uri(official) else official
            uri = named
            recorded = (
                Framework.objects.filter(identifier=doc_uuid)
                .values("extra", "external_id", "source", "provenance", "source_ref")
                .first()
            )
            if recorded is not None:
                # In place: the package carries what CASE can, not all the framework holds (a
                # Moodle scale, the ESCO source it came from); what it leaves out is kept.
                source, external_id = recorded["source"] or source, recorded["external_id"]
            else:
                # Another database reading our export: its source's identifier, as the
                # provider named it, is the framework's own again.
                extensions = doc.get("extensions")
                named = extensions.get(SOURCE_IDENTIFIER) if isinstance(extensions, dict) else None
                external_id = str(named or external_id)[:255]
            extra = _own_document_extra(
                extra,
                recorded["extra"] if recorded else None,
                source,
                keeps_official=keeps_official,
                papers=recorded is not None
                and PAPER_FRAMEWORK_RULE.holds(SimpleNamespace(**recorded)),
            )
            if (
                recorded is None
                and not named
                and source_uri
                and isinstance(source_uri, str)
                and not uri_runs_content(source_uri)
            ):
                # A publisher's URI that is no web address, kept as the first import kept it.
                extra["uri"] = source_uri
        framework_values = {
            "name": doc["title"].strip()[:255],
            "source": source,
            "uri": uri,
            "version": str(doc.get("version") or "")[:64],
            "description": str(doc.get("description") or ""),
            "language": str(doc.get("language") or "en")[:16],
            "external_id": external_id,
            "extra": extra,
        }
        if "title" in chinese:
            # Only a package that carries the Chinese name says what it is: one without it (a
            # publisher's, which has none) leaves the name given here alone.
            framework_values["name_zh"] = chinese["title"].strip()[:255]
        frameworks = self.framework_sync(doc_uuid, fields=list(framework_values), source_ref=ref)
        framework = frameworks.offer(
            doc_uuid, {"identifier": doc_uuid, **framework_values}, where=at + "CFDocument"
        )
        validate_fields(framework, where=at + "CFDocument")
        return frameworks, framework

    @staticmethod
    def _document_extra(doc: dict, defs: Any) -> dict:
        extra = {k: v for k, v in doc.items() if k not in DOCUMENT_COLUMNS}
        if isinstance(extra.get("subject"), str):
            # Pre-1.0 exports name one subject as a string; CASE 1.1 lists them.
            subject = extra.pop("subject").strip()
            if subject:
                extra["subject"] = [subject]
        _subject_links_as_1_1(extra)
        # A publisher's URI that is no web address (a URN), kept to publish again; a javascript:
        # one is dropped, as the framework's `uri` refuses it.
        if doc.get("uri") and not _valid_url(doc.get("uri")) and not uri_runs_content(doc["uri"]):
            extra["uri"] = doc["uri"]
        if defs:
            # Item types, subjects, licences: kept whole so an export can serve them again.
            extra["CFDefinitions"] = defs
        return extra

    def _read_tree(
        self, assocs: list[dict], nodes: _Nodes, at: str, *, checking: bool = False
    ) -> _Tree:
        """Parents and their sequence numbers come from isChildOf associations; the others are
        set aside for `_write_relations`. An ability has one parent: later ones are reported.
        `checking` a refused package (`_check_fields`), the associations refused already are
        left out."""
        parent_of: dict[str, str | None] = {}
        sequence: dict[str, int] = {}
        others: list[tuple[int, dict]] = []
        edges: dict[str, str | None] = {}
        edge_of: dict[str, str] = {}  # isChildOf identifier -> the item it is the edge of
        kept: dict[str, dict] = {}
        for i, assoc in enumerate(assocs):
            if checking and (
                not isinstance(assoc, dict) or not isinstance(assoc.get("associationType"), str)
            ):
                continue
            if assoc["associationType"] != CHILD_OF:
                others.append((i, assoc))
                continue
            where = f"{at}CFAssociations[{i}]"
            try:
                link = self._child_and_parent(assoc, nodes, where)
            except ImportFailed:
                if not checking:
                    raise
                continue
            if link is None:
                continue
            child, parent = link
            if child in parent_of and parent_of[child] != parent:
                self.report.skip(
                    where,
                    _("%(child)s already has a parent; an ability has one parent")
                    % {"child": child},
                    group=_("second parent of an item"),
                )
                continue
            parent_of[child] = parent
            identifier = str(_association_uuid(assoc))
            if edge_of.setdefault(identifier, child) == child:
                edges[child] = identifier
            else:
                # A package names each association once; this one's edge gets its own.
                self._warn_shared_identifier(where, assoc)
                edges[child] = None
            number = _sequence_number(assoc.get("sequenceNumber"))
            if number is not None:
                sequence[child] = number
            if details := _edge_details(assoc):
                kept[child] = details
        relation_ids = _relation_identifiers(others, reserved=set(edge_of))
        for i, assoc in others:
            if relation_ids[i] is not None and relation_ids[i][1]:
                self._warn_shared_identifier(f"{at}CFAssociations[{i}]", assoc)
        return _Tree(parent_of, sequence, others, edges, kept, relation_ids)

    def _warn_shared_identifier(self, where: str, assoc: dict) -> None:
        self.report.warn(
            where,
            _(
                "association %(id)s shares its identifier with another association of the "
                "package: this one is published under an identifier of its own"
            )
            % {"id": assoc.get("identifier")},
        )

    def _child_and_parent(
        self, assoc: dict, nodes: _Nodes, where: str, *, report: bool = True
    ) -> tuple[str, str | None] | None:
        """(child, parent) of an isChildOf, the parent None when it is the document. A child
        outside the package is skipped and reported (None; with `report` false, only checking,
        not reported); a parent that is neither in the package nor its document makes the
        package meaningless, so the import fails."""
        o_ident, o_uri, _t = _node(assoc, "origin")
        d_ident, d_uri, _t = _node(assoc, "destination")
        child = nodes.resolve(o_ident, o_uri)
        if child is None:
            if not report:
                return None
            self.report.skip(
                where,
                _("isChildOf from %(node)s, a node outside the package")
                % {"node": shown(o_ident or o_uri)},
                group=_("isChildOf from a node outside the package"),
            )
            return None
        if nodes.is_document(d_ident, d_uri):
            return child, None
        parent = nodes.resolve(d_ident, d_uri)
        if parent is None:
            raise ImportFailed(
                _(
                    "isChildOf points at %(node)s, which is neither in the package nor its "
                    "document (unknown reference)"
                )
                % {"node": shown(d_ident or d_uri)},
                where=where,
            )
        return child, parent

    def _check_cycles(self, parent_of: dict[str, str | None], at: str) -> None:
        """isChildOf associations must make a tree: a cycle has no top, so the import fails.
        One linear walk (tree_depths), not one walk to the root per item."""
        tree_depths(
            parent_of,
            cycle=lambda node: ImportFailed(
                _("isChildOf associations form a cycle through %(id)s") % {"id": shown(node)},
                where=at + "CFAssociations",
            ),
        )

    def _write_abilities(self, package: dict, framework, tree: _Tree, ref: str) -> _Abilities:
        """Items become abilities, matched by identifier across the whole database (identifiers
        are global): an item another framework already holds is skipped and reported, never
        moved. Parents are left to `_write_parents`, once every ability has a primary key."""
        abilities, foreign, existing, codes_before = self._offer_abilities(
            package, framework, tree, ref
        )
        # Every item's field problems together, before any is written.
        self.problems.raise_any()
        self._release_codes(existing, codes_before)
        abilities.flush()
        return _Abilities(abilities, _ability_uuids(package), foreign)

    def _offer_abilities(
        self, package: dict, framework, tree: _Tree, ref: str
    ) -> tuple[RecordSync, set[str], dict, dict]:
        """Each item's ability offered (nothing flushed) and its fields checked; an item's
        problem is collected (self.problems) and the next item checked. `framework` may be
        one not yet written (checking a refused package, `_check_fields`). Returns the
        abilities, the items another framework holds, the abilities already holding items
        and their codes before."""
        items, at = package["items"], package["at"]
        uuids = _ability_uuids(package)
        existing = {
            a.identifier: a
            for a in Ability.objects.filter(identifier__in=uuids.values()).select_related("area")
        }
        abilities = RecordSync(
            kind="ability",
            model=Ability,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=ref,
        )
        codes = _Codes(
            self._codes_taken(framework, uuids), self._codes_held(items, existing, framework)
        )
        codes_before = {key: ability.code for key, ability in existing.items()}
        orders = _sequence_orders(tree.sequence)
        keeps_orders = self._file_order_kept(items, orders, existing, uuids, framework)
        typed_by_area = (
            self._typed_by_area(package, tree.parent_of)
            if self.options.get(TOP_LEVEL_AREAS)
            else {}
        )
        foreign: set[str] = set()
        for position, item in enumerate(items):
            index = package["index"][item["identifier"]]
            where = f"{at}CFItems[{index}]"
            ident = item["identifier"]
            if not isinstance(item.get("fullStatement"), str) or not item["fullStatement"].strip():
                continue  # refused already (validate): no second problem of its own
            found = existing.get(uuids[ident])
            if found is not None and found.framework_id != framework.pk:
                foreign.add(ident)
                self.report.skip(
                    where,
                    _("item %(id)s already belongs to another framework (#%(fw)s)")
                    % {"id": ident, "fw": found.framework_id},
                    group=_("item belongs to another framework"),
                )
                continue
            # An item's field problem is collected (self.problems) and the next item checked.
            with self.problems.gathered(line=index, file=at + "CFItems"):
                values = self._ability_values(
                    item,
                    framework,
                    codes,
                    where,
                    found,
                    type_is_area=typed_by_area.get(ident) is True,
                    link_is_area=ident in typed_by_area,
                )
                values["order"] = self._ability_order(
                    item, orders.get(ident), position, found, keeps_order=keeps_orders
                )
                record = self._tree_record(
                    ident, tree, uuids, framework.identifier, values["order"]
                )
                if isinstance(record, dict):
                    self._publishers_grouping(record, framework)
                if record is not MISSING:
                    values["extra"][TREE_KEY] = record
                obj = abilities.offer(
                    uuids[ident], {"identifier": uuids[ident], **values}, where=where
                )
                validate_fields(obj, where=where, exclude=["framework", "parent", "area"])
        return abilities, foreign, existing, codes_before

    @staticmethod
    def _release_codes(existing: dict, codes_before: dict) -> None:
        """Clear, first, the codes of the abilities taking another one: a new version that
        renumbers (1.2 becomes 1.3, 1.3 becomes 1.4) or swaps two codes gives an ability a code
        another still holds until its own row is written, which the unique code per framework
        refused, failing the import. The abilities' new codes are written right after, in the
        same transaction; no history row records the blank in between."""
        moving = [
            ability.pk
            for key, ability in existing.items()
            if ability.pk is not None and codes_before[key] and ability.code != codes_before[key]
        ]
        if moving:
            Ability.objects.filter(pk__in=moving).update(code="")

    def _ability_order(
        self,
        item: dict,
        sequence: int | None,
        position: int,
        found: Ability | None,
        *,
        keeps_order: bool = False,
    ) -> int:
        """Its isChildOf's sequenceNumber, else its place in the file. In this site's own
        export handed back, that place comes from the order the ability already has, which it
        keeps: the provider lists the items by order and code, not as their publisher did.
        So does every ability where the file lists them in the order they have
        (`keeps_order`, `_file_order_kept`)."""
        if sequence is not None:
            return sequence
        if found is not None and (keeps_order or self._is_own_uri(_valid_url(item.get("uri")))):
            return found.order
        return position

    @staticmethod
    def _file_order_kept(
        items: list[dict], orders: dict, existing: dict, uuids: dict, framework
    ) -> bool:
        """Whether the items the file orders by their place (no sequenceNumber) are all
        abilities of this framework, listed in the order they already have. Then each keeps
        its order: a version that drops or rewords an item leaves the others unchanged rather
        than rewriting every one listed after it (a history row and a new lastChangeDateTime
        each). An item added or moved among them orders them all by their place again."""
        previous = None
        for item in items:
            ident = item.get("identifier") if isinstance(item, dict) else None
            if orders.get(ident) is not None:
                continue
            found = existing.get(uuids.get(ident))
            if found is None or found.framework_id != framework.pk:
                return False
            if previous is not None and found.order <= previous:
                return False
            previous = found.order
        return True

    @staticmethod
    def _tree_record(
        ident: str, tree: _Tree, uuids: dict[str, Any], document_uuid, order: int
    ) -> Any:
        """How the package placed the item, so that the provider publishes the same isChildOf
        association (its identifier, and a sequenceNumber only if it had one: the publisher's
        own when the order had to be made of it, with that order, which tells the provider
        whether it still holds; its notes, extensions and grouping) while the ability keeps
        that parent; None for an item the package hangs from nothing."""
        if ident not in tree.edges:
            return None
        parent = tree.parent_of[ident]
        parent_uuid = uuids[parent] if parent else document_uuid
        derived = str(child_of_identifier(uuids[ident], parent_uuid))
        record = {
            "association": tree.edges[ident] or derived,
            "parent": str(parent_uuid),
            "sequenceNumber": ident in tree.sequence,
            **tree.details.get(ident, {}),
        }
        if ident in tree.sequence and tree.sequence[ident] != order:
            record.update(number=tree.sequence[ident], order=order)
        if record.keys() == {"association", "parent", "sequenceNumber"} and (
            record["association"] == derived and record["sequenceNumber"]
        ):
            return MISSING  # what the provider derives anyway (e.g. our own export)
        return record

    @staticmethod
    def _codes_taken(framework, uuids: dict[str, Any]) -> set[str]:
        """Codes the framework's other abilities already use: an item may not take one."""
        if framework.pk is None:  # not written yet (checking): it has none
            return set()
        return set(
            Ability.objects.filter(framework=framework)
            .exclude(code="")
            .exclude(identifier__in=uuids.values())
            .values_list("code", flat=True)
        )

    @staticmethod
    def _codes_held(items: list[dict], existing: dict, framework) -> dict[str, str]:
        """Codes the package's items already hold, by item: where items share one
        humanCodingScheme (Smarter Balanced does), the one whose ability has it keeps it,
        whatever order the file lists them in (this site's own export lists the others
        first), rather than the first of them taking it from the others."""
        held = {}
        for item in items:
            found = existing.get(stable_uuid(item["identifier"]))
            if (
                found is not None
                and found.framework_id == framework.pk
                and found.code
                and found.code == item.get("humanCodingScheme")
            ):
                held[found.code] = item["identifier"]
        return held

    @staticmethod
    def _typed_by_area(package: dict, parent_of: dict[str, str | None]) -> dict[str, bool]:
        """The items (identifiers) whose CFItemTypeURI is the competency area this site's
        provider published them in, where that area is the one `top_level_areas` makes again
        here: the area of a top-level competency, named as it is. The provider gives an ability
        in an area its area's item type, one it mints from the area's code
        (case_identifiers.area_item_type_identifier, listed in CFDefinitions with the code as
        hierarchyCode), with the ability's own item type as CFItemType, else the area's name.
        True for an item whose CFItemType is only the area's (kept, it would make the area's
        name every ability's item type), False for one with an item type of its own (whose
        link to the area's item type is not its own either: the area is made again under a
        code, and so an item type, of its own)."""
        defs = package["defs"] if isinstance(package["defs"], dict) else {}
        minted = {
            str(kind.get("identifier")): kind.get("title")
            for kind in defs.get("CFItemTypes") or []
            if isinstance(kind, dict)
            and isinstance(kind.get("hierarchyCode"), str)
            and str(kind.get("identifier")) == str(area_item_type_identifier(kind["hierarchyCode"]))
        }
        if not minted:
            return {}
        by_id = {item["identifier"]: item for item in package["items"]}
        top_of = areas.top_ancestors(parent_of)
        typed: dict[str, bool] = {}
        for ident, item in by_id.items():
            top = by_id.get(top_of.get(ident))
            link = item.get("CFItemTypeURI")
            if top is None or not isinstance(link, dict):
                continue
            identifier = str(link.get("identifier"))
            if identifier not in minted:
                continue
            # Named as top_level_areas_write names the area.
            # An item without a statement is refused already (checking a refused package).
            name = str(top.get("abbreviatedStatement") or top.get("fullStatement") or "")
            name = name.strip()[:255]
            if item.get("CFItemType") in (None, "", name):
                typed[ident] = True
            elif isinstance(minted[identifier], str) and minted[identifier].strip() == name:
                typed[ident] = False
        return typed

    def _without_remade_area_types(self, package: dict, parent_of: dict[str, str | None]) -> Any:
        """The package's CFDefinitions without the item types this site's provider minted from
        the codes of the competency areas it published (listed with the code as hierarchyCode,
        `_typed_by_area`) that no item keeps a link to: `top_level_areas` makes those areas
        again under codes of their own, which the provider publishes as item types of their
        own, so kept they would be listed next to the new ones, and once more at every hop to
        another database. A publisher's own item types are kept as they are."""
        defs = package["defs"]
        kinds = defs.get("CFItemTypes") if isinstance(defs, dict) else None
        if not isinstance(kinds, list):
            return defs
        typed = self._typed_by_area(package, parent_of)
        linked = {
            case_identifier(link["identifier"])
            for item in package["items"]
            if item["identifier"] not in typed
            and isinstance(link := item.get("CFItemTypeURI"), dict)
            and isinstance(link.get("identifier"), str)
        }
        kept = [
            kind
            for kind in kinds
            if not (
                isinstance(kind, dict)
                and isinstance(kind.get("hierarchyCode"), str)
                and str(kind.get("identifier"))
                == str(area_item_type_identifier(kind["hierarchyCode"]))
                and case_identifier(kind["identifier"]) not in linked
            )
        ]
        return {**defs, "CFItemTypes": kept} if len(kept) < len(kinds) else defs

    @staticmethod
    def _area_texts(package: dict) -> dict[str, dict[str, str]]:
        """What this site's provider published of the competency area each item was in, by
        item identifier, where that area is the one `top_level_areas` makes of the item again
        (its item type is the area's, minted from its code, and named as the item): the area's
        description (the item type's, unless it is only the title, which the provider gives an
        area without one) and its Chinese name and description (`extensions.translations`,
        `title` and `description`). What the item type does not give is left out, so a package
        without it leaves the area's stored text alone."""
        defs = package["defs"] if isinstance(package["defs"], dict) else {}
        minted = {
            str(kind.get("identifier")): kind
            for kind in defs.get("CFItemTypes") or []
            if isinstance(kind, dict)
            and isinstance(kind.get("hierarchyCode"), str)
            and isinstance(kind.get("title"), str)
            and str(kind.get("identifier")) == str(area_item_type_identifier(kind["hierarchyCode"]))
        }
        texts: dict[str, dict[str, str]] = {}
        for item in package["items"] if minted else []:
            link = item.get("CFItemTypeURI")
            kind = minted.get(str(link.get("identifier"))) if isinstance(link, dict) else None
            # Named as top_level_areas_write names the area.
            name = str(item.get("abbreviatedStatement") or item["fullStatement"]).strip()[:255]
            if kind is None or kind["title"].strip() != name:
                continue
            values = {}
            description = kind.get("description")
            if isinstance(description, str) and description.strip() not in ("", name):
                values["description"] = description
            chinese = chinese_translation(kind.get("extensions"))
            if chinese.get("title", "").strip():
                values["name_zh"] = " ".join(chinese["title"].split())[:255]
            if chinese.get("description", "").strip():
                values["description_zh"] = chinese["description"]
            texts[item["identifier"]] = values
        return texts

    def _ability_values(
        self,
        item: dict,
        framework,
        codes: _Codes,
        where: str,
        found: Ability | None,
        *,
        type_is_area: bool = False,
        link_is_area: bool = False,
    ) -> dict:
        """An item's columns; what has no column of its own (or does not fit one) goes to
        `extra`, so an export can serve it again. `found` is the ability already holding the
        item, if any; `type_is_area` says the item's type is the area it is put in again
        (`_typed_by_area`), not an item type of its own; `link_is_area` that its CFItemTypeURI
        is that area's (an ability in place keeps the link it holds)."""
        extra = {k: v for k, v in item.items() if k not in ITEM_COLUMNS | ITEM_DERIVED}
        if isinstance(extra.get("language"), str):
            # Served again as the ability's language is stored, a tag ("Chinese" as zh).
            extra["language"] = language_tag_or_as_given(extra["language"])
        if link_is_area:
            extra.pop("CFItemTypeURI", None)
        chinese = _take_translations(extra)
        external_id = item["identifier"][:255]
        area_type = False
        _education_level_as_1_1(extra)
        _subject_links_as_1_1(extra)
        code = self._ability_code(item, extra, codes, where)
        uri = _valid_uri(item.get("uri"))
        if item.get("uri") and not uri and not uri_runs_content(item["uri"]):
            extra["uri"] = item["uri"]
        if self._is_own_uri(uri):
            # Our own export: the provider mints the item's URI, makes a UUID of a pre-1.0
            # identifier, and gives an item without a language its framework's. None of it is
            # news: the ability keeps its own URI and identifier (its publisher's) and its own
            # say on the language.
            recorded = found.extra if found is not None else None
            source = _own_extensions(extra, OWN_ITEM_EXTENSIONS)
            if found is not None:
                uri, external_id = found.uri, found.external_id
            else:
                # Another database reading our export: the publisher's identifier and URI, as
                # the provider named them, are the item's own again.
                external_id = str(source.get(SOURCE_IDENTIFIER) or external_id)[:255]
                uri = _valid_uri(source.get(SOURCE_URI))
                kept = str(source.get(SOURCE_URI) or "")
                if kept and not uri and not uri_runs_content(kept):
                    extra["uri"] = kept
            if extra.get("language") == framework.language:
                _keep_recorded(extra, {"language"}, recorded)
            if self._minted_type_link(extra.get("CFItemTypeURI"), recorded):
                _keep_recorded(extra, {"CFItemTypeURI"}, recorded)
            if found is not None:
                # The notes and keywords the provider published of the ability's description
                # and labels (builders._text_properties).
                if str(item.get("notes") or "").strip() == found.description:
                    _keep_recorded(extra, {"notes"}, recorded)
                keywords = item.get("conceptKeywords") or []
                if keywords == published_keywords(found.alt_labels, found.short_name):
                    _keep_recorded(extra, {"conceptKeywords"}, recorded)
            # An ability without an item type of its own is published with its area's (the
            # paper's, one made here): the area's name and link are not news either.
            area_type = self._area_type(item, found)
            if area_type:
                extra.pop("CFItemTypeURI", None)
            if isinstance(recorded, dict):
                # In place: what the ability holds that CASE does not carry (a Moodle rule,
                # ESCO's labels and status) is kept.
                extra = {**recorded, **extra}
        if type_is_area:
            area_type = True
            extra.pop("CFItemTypeURI", None)
        if self._derived_item_type(extra.get("CFItemTypeURI")):
            del extra["CFItemTypeURI"]
        short_name = str(item.get("abbreviatedStatement") or "")
        if len(short_name) > 255:
            extra["abbreviatedStatement"] = short_name
            short_name = short_name[:254] + "…"
        type_link = item.get("CFItemTypeURI")
        # Older exports write the link as a bare URI string, which names no title.
        type_title = type_link.get("title") if isinstance(type_link, dict) else ""
        item_type = "" if area_type else item.get("CFItemType") or type_title or ""
        values = {
            "framework_id": framework.pk,
            "code": code,
            "text": item["fullStatement"],
            "short_name": short_name,
            **self._text_fields(item, framework, found, short_name),
            "item_type": str(item_type)[:128],
            "uri": uri,
            "external_id": external_id,
            "extra": extra,
        }
        if "fullStatement" in chinese:
            # As the framework's Chinese name: only a package that carries it says what it is.
            values["text_zh"] = chinese["fullStatement"].strip()
        return values

    def _text_fields(self, item: dict, framework, found: Ability | None, short_name: str) -> dict:
        """`_item_text_fields`, except in this site's own export handed back in place, where
        what the provider made of the ability itself is not news: no notes leave the
        description as it is; the short name alone as abbreviatedStatement leaves the
        alternative labels; the framework's language leaves the ability's."""
        fields = _item_text_fields(item, framework.language)
        if found is None or not self._is_own_uri(_valid_url(item.get("uri"))):
            return fields
        if not str(item.get("notes") or "").strip():
            fields["description"] = found.description
        keywords = item.get("conceptKeywords") or []
        if short_name == found.short_name and (
            not keywords or keywords == published_keywords(found.alt_labels, found.short_name)
        ):
            # The labels as the provider published them: the order of the ability's stays.
            fields["alt_labels"] = found.alt_labels
        if fields["language"] == framework.language:
            fields["language"] = found.language
        return fields

    def _is_own_uri(self, uri: str) -> bool:
        if not hasattr(self, "_own_root"):
            self._own_root = own_case_root()
        return bool(uri and self._own_root and uri.startswith(self._own_root))

    def _publishers_grouping(self, details: dict, framework) -> None:
        """An association's grouping link as its publisher wrote it, in place in `details`.

        The provider links a grouping it serves at its own URI (CFAssociationGroupings/{id}), as
        it does an item type: in this site's own export handed back, that URI is not news. The
        link takes the URI of the grouping the framework keeps in its CFDefinitions (the
        publisher's, which an import in place leaves as they were) when there is one."""
        grouping = details.get(GROUPING_LINK)
        if not isinstance(grouping, dict) or not self._is_own_uri(grouping.get("uri") or ""):
            return
        definitions = framework.extra.get("CFDefinitions") if framework.extra else None
        kept = definitions.get("CFAssociationGroupings") if isinstance(definitions, dict) else None
        for definition in kept if isinstance(kept, list) else []:
            if (
                isinstance(definition, dict)
                and definition.get("identifier") == grouping["identifier"]
                and isinstance(definition.get("uri"), str)
                and definition["uri"]
            ):
                details[GROUPING_LINK] = {**grouping, "uri": definition["uri"]}
                return

    def _minted_type_link(self, link: Any, recorded: Any) -> bool:
        """Whether an item's CFItemTypeURI is the provider's link to the item type the ability
        already names: the same identifier, under this site's URI instead of its publisher's."""
        kept = recorded.get("CFItemTypeURI") if isinstance(recorded, dict) else None
        return (
            isinstance(link, dict)
            and isinstance(kept, dict)
            and isinstance(kept.get("identifier"), str)
            # published under the UUID made of the publisher's, where CASE refuses that one
            and link.get("identifier") == case_identifier(kept["identifier"])
            and self._is_own_uri(_valid_url(link.get("uri")))
        )

    @staticmethod
    def _area_type(item: dict, found: Ability | None) -> bool:
        """Whether an item's CFItemType and CFItemTypeURI are the ones the provider derives from
        the competency area of `found`, an ability without an item type of its own."""
        if found is None or found.area is None or found.item_type:
            return False
        link = item.get("CFItemTypeURI")
        return (
            isinstance(link, dict)
            and str(link.get("identifier")) == str(area_item_type_identifier(found.area.code))
            and item.get("CFItemType") in (None, "", found.area.name)
        )

    @staticmethod
    def _derived_item_type(link: Any) -> bool:
        """Whether an item's CFItemTypeURI names an item type the provider derives by itself
        (from the item type's label): then it need not be kept."""
        if not isinstance(link, dict) or not isinstance(link.get("title"), str):
            return False
        return str(link.get("identifier")) == str(label_item_type_identifier(link["title"]))

    def _ability_code(self, item: dict, extra: dict, codes: _Codes, where: str) -> str:
        """The humanCodingScheme as the ability's code, unique in its framework; one too long
        or already taken stays in `extra` only, with a warning. Records the code as taken."""
        code = str(item.get("humanCodingScheme") or "")
        if code and (len(code) > 64 or codes.taken(code, item["identifier"])):
            self.report.warn(
                where,
                _(
                    "humanCodingScheme %(code)s is kept in extra only: it is too long or another "
                    "item of the framework already has it"
                )
                % {"code": code},
            )
            return ""
        extra.pop("humanCodingScheme", None)
        if code:
            codes.used.add(code)
        return code

    def _write_areas(
        self, package: dict, abilities: _Abilities, parent_of: dict[str, str | None], framework
    ) -> None:
        """The items directly under the document (isChildOf it) become the framework's
        competency areas, and every item below one goes in its area (importers.areas); an item
        hanging from nothing, or below one, is in none."""
        sync, uuids, foreign = abilities
        kept = {
            uuids[ident]: uuids[parent] if parent else None
            for ident, parent in parent_of.items()
            if ident not in foreign and parent not in foreign
        }
        texts = self._area_texts(package)
        tops = [
            areas.TopLevel(
                uuids[ident],
                sync.objects[uuids[ident]].code,
                f"{package['at']}CFItems[{package['index'][ident]}]",
                texts.get(ident, {}),
            )
            for ident in uuids
            if ident not in foreign and kept.get(uuids[ident], MISSING) is None
        ]
        areas.top_level_areas_write(
            framework=framework,
            tops=tops,
            top_of=areas.top_ancestors(kept),
            abilities=sync,
            report=self.report,
            source_ref=self.source_name,
        )

    @staticmethod
    def _write_parents(abilities: _Abilities, parent_of: dict[str, str | None]) -> None:
        """Set each ability's parent, now that all have primary keys (a child may come before
        its parent in the file), and count the abilities' outcomes in the report."""
        sync, uuids, foreign = abilities
        for ident, parent in parent_of.items():
            if ident in foreign or (parent is not None and parent in foreign):
                continue
            parent_pk = sync.objects[uuids[parent]].pk if parent else None
            sync.offer(uuids[ident], {"parent_id": parent_pk})
        for ident in uuids:
            # Items without isChildOf hang from the document.
            if ident not in parent_of and ident not in foreign:
                sync.offer(uuids[ident], {"parent_id": None})
        sync.flush()
        sync.finish()

    def _check_relations(self, tree: _Tree, nodes: _Nodes, at: str) -> None:
        """Each association that becomes a relation checked as `_write_relations` makes it
        (text no database stores: a NUL in its notes, an end's title), its problem collected
        with the items' (self.problems), where it is: said together, before anything is
        written, where each refused the import alone as its relation was made. An end that is
        an item of the package or an ability in the database keeps none of its node's text."""
        ends = [_node(assoc, side) for _i, assoc in tree.others for side in SIDE_NODES]
        in_database = set(
            Ability.objects.filter(
                identifier__in={
                    stable_uuid(ident)
                    for ident, uri, _title in ends
                    if ident and nodes.resolve(ident, uri) is None
                }
            ).values_list("identifier", flat=True)
        )

        def end(ident: str, uri: str) -> int | None:
            # Not the ability's key (none yet): whether there is one.
            found = nodes.resolve(ident, uri) is not None or (
                bool(ident) and stable_uuid(ident) in in_database
            )
            return 1 if found else None

        for i, assoc in tree.others:
            values = _relation_columns(assoc, end)
            if values is None:
                continue  # left out, with a reason, when written
            with self.problems.gathered(line=i, file=at + "CFAssociations"):
                _refuse_unstorable(values, where=f"{at}CFAssociations[{i}]")

    def _write_relations(
        self,
        tree: _Tree,
        abilities: _Abilities,
        nodes: _Nodes,
        framework,
        at: str,
        ref: str,
    ) -> None:
        """Every association but isChildOf becomes an AbilityRelation listed by the package's
        framework. Each end is an ability of the package, else one already in the database,
        else a node outside, kept with its identifier, URI and title: the crosswalks to other
        publishers' frameworks come back out exactly as they came in."""
        others = tree.others
        assoc_uuids = {i: ids[0] for i, ids in tree.relation_ids.items() if ids is not None}
        existing = {
            r.identifier: r
            for r in AbilityRelation.objects.filter(identifier__in=assoc_uuids.values())
        }
        known = self._abilities_outside(others, abilities, nodes)
        relations = RecordSync(
            kind="relation",
            model=AbilityRelation,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=ref,
        )
        for i, assoc in others:
            where = f"{at}CFAssociations[{i}]"
            values = self._relation_values(assoc, abilities, nodes, known, where)
            if values is None:
                continue
            if i not in assoc_uuids or assoc_uuids[i] in relations.status:
                self.report.skip(
                    where,
                    _("association %(id)s appears twice") % {"id": _association_uuid(assoc)},
                    group=_("association appears twice"),
                )
                continue
            values["framework_id"] = framework.pk
            self._publishers_grouping(values["extra"], framework)
            relations.offer(assoc_uuids[i], {"identifier": assoc_uuids[i], **values}, where=where)
        relations.flush()
        relations.finish()

    def _link_waiting_ends(self, items: list[dict], abilities: _Abilities) -> None:
        """Relations other packages wrote to a node outside the database, which this package
        brings: each such end now is the ability, as it would have been had this package come
        first (a crosswalk to a framework imported later was a dead end for coverage, and was
        published with the other publisher's placeholder title until its own package came
        again). Matched as `known` matches ends: the node's identifier, or its URI."""
        pks: dict[str, int] = {}
        for item in items:
            obj = abilities.sync.objects.get(abilities.uuids[item["identifier"]])
            if obj is None or item["identifier"] in abilities.foreign:
                continue
            pks[item["identifier"]] = pks[str(abilities.uuids[item["identifier"]])] = obj.pk
            if isinstance(item.get("uri"), str) and item["uri"]:
                pks.setdefault(item["uri"], obj.pk)
        if not pks:
            return
        # Relations with an end outside the database are few (crosswalks to other publishers):
        # read them all and match here, rather than send every key of the package in a query.
        waiting = AbilityRelation.objects.filter(
            Q(source__isnull=True) | Q(target__isnull=True)
        ).values_list(
            "pk", *(f"{side}_{c}" for side in SIDES for c in ("id", "external_id", "uri"))
        )
        found: dict[int, dict[str, int]] = {}
        for pk, *ends in waiting.iterator(chunk_size=2000):
            for side, (end_id, external_id, uri) in zip(SIDES, (ends[:3], ends[3:]), strict=True):
                hit = (pks.get(external_id) or pks.get(uri)) if end_id is None else None
                if hit is not None:
                    found.setdefault(pk, {})[side] = hit
        if not found:
            return
        objs = list(AbilityRelation.objects.filter(pk__in=list(found)))
        now = timezone.now()
        for obj in objs:
            obj.updated_at = now
            for side, pk in found[obj.pk].items():
                setattr(obj, f"{side}_id", pk)
                for column in ("uri", "label", "external_id"):
                    setattr(obj, f"{side}_{column}", "")
        AbilityRelation.objects.bulk_update(
            objs,
            [f"{side}_{c}" for side in SIDES for c in ("id", "uri", "label", "external_id")]
            + ["updated_at"],
            batch_size=2000,
        )
        history_record_rows(
            model=AbilityRelation, objs=objs, history_type="~", reason="import: linked"
        )
        self.report.details["relations_linked"] = self.report.details.get(
            "relations_linked", 0
        ) + len(objs)
        for obj in objs:
            self.report.relation_ends.update({obj.source_id, obj.target_id} - {None})

    @staticmethod
    def _abilities_outside(
        others: list[tuple[int, dict]], abilities: _Abilities, nodes: _Nodes
    ) -> dict:
        """Ends that are not abilities written from the package may be abilities already in the
        database (another framework's, or an item another framework holds): their primary keys
        by identifier, in one query."""
        outside = set()
        for _i, assoc in others:
            for side in ("origin", "destination"):
                ident, uri, _title = _node(assoc, side)
                if ident and _package_ability(ident, uri, abilities, nodes) is None:
                    outside.add(stable_uuid(ident))
        return dict(Ability.objects.filter(identifier__in=outside).values_list("identifier", "pk"))

    def _relation_values(
        self, assoc: dict, abilities: _Abilities, nodes: _Nodes, known: dict, where: str
    ) -> dict | None:
        """An association's relation columns, or None (reported) when its type is not one we
        keep or neither of its ends is an ability. An extension type (ext:isSkillOf) is kept
        whole, as are the association's notes."""
        kind = assoc["associationType"]

        def end(ident: str, uri: str) -> int | None:
            pk = _package_ability(ident, uri, abilities, nodes)
            return known.get(stable_uuid(ident)) if pk is None and ident else pk

        values = _relation_columns(assoc, end)
        if values is None:
            self.report.skip(
                where,
                _("association type %(type)s is not supported") % {"type": kind},
                group=_("unsupported association type"),
            )
            return None
        if values["source_id"] is None and values["target_id"] is None:
            self.report.skip(
                where,
                _("%(type)s between two nodes outside the package and the database")
                % {"type": kind},
                group=_("association between two nodes outside the package"),
            )
            return None
        if values["source_id"] is not None and values["source_id"] == values["target_id"]:
            # As the API and a Moodle file's cross references refuse it (and the database):
            # an ability related to itself says nothing a crosswalk could follow. The rest of
            # the publisher's package is taken.
            self.report.warn(
                where,
                _(
                    "association %(id)s relates an item to itself (%(type)s): left out, as "
                    "an ability cannot be related to itself"
                )
                % {"id": shown(str(assoc.get("identifier") or "")), "type": kind},
            )
            return None
        return values


def _relation_columns(assoc: dict, end: Any) -> dict | None:
    """An association's relation columns, each end the ability `end(identifier, uri)` gives
    the primary key of, else the node outside (its URI, title and identifier); None for an
    association type not kept (neither CASE's nor an extension's)."""
    kind = assoc["associationType"]
    notes = assoc.get("notes")
    values = {
        "relation_type": kind,
        "extension_type": "",
        "notes": notes.strip() if isinstance(notes, str) else "",
        "extra": _relation_extra(assoc),
    }
    if kind not in RELATION_TYPES:
        if len(kind) > EXTENSION_TYPE_LENGTH or not re.fullmatch(EXTENSION_TYPE_RE, kind):
            return None
        values.update(relation_type=RelationType.EXTENSION, extension_type=kind)
    for side, column in (("origin", "source"), ("destination", "target")):
        ident, uri, title = _node(assoc, side)
        pk = end(ident, uri)
        values[f"{column}_id"] = pk
        values[f"{column}_uri"] = "" if pk else (uri or ident)[:500]
        values[f"{column}_label"] = "" if pk else title[:500]
        values[f"{column}_external_id"] = "" if pk else ident[:255]
    return values


def _own_extensions(extra: dict, keys: set[str]) -> dict:
    """Take out of an item's `extensions` (in `extra`) what the provider wrote there itself
    (`keys`), returning it; the publisher's own extensions stay, and none is left out of
    `extra` when there are no others."""
    extensions = extra.get("extensions")
    if not isinstance(extensions, dict):
        return {}
    ours = {key: extensions[key] for key in keys if key in extensions}
    rest = {key: value for key, value in extensions.items() if key not in keys}
    if rest:
        extra["extensions"] = rest
    else:
        del extra["extensions"]
    return ours


def _take_translations(extra: dict) -> dict[str, str]:
    """Take the Chinese text (`translations`, as the provider publishes the `_zh` fields) out
    of an item's or document's `extensions` (in `extra`), returning it by CASE property: it
    goes to the record's own fields, not to the publisher's extensions kept for the export."""
    extensions = extra.get("extensions")
    if not isinstance(extensions, dict) or TRANSLATIONS not in extensions:
        return {}
    chinese = chinese_translation(extensions)
    rest = {key: value for key, value in extensions.items() if key != TRANSLATIONS}
    if rest:
        extra["extensions"] = rest
    else:
        del extra["extensions"]
    return chinese


def _keep_recorded(extra: dict, keys: set[str], recorded: Any) -> dict:
    """Each of `keys` as the record already has it in its `extra` (or absent), whatever the
    file says: for values the provider derived from the record itself."""
    for key in keys:
        if isinstance(recorded, dict) and key in recorded:
            extra[key] = recorded[key]
        else:
            extra.pop(key, None)
    return extra


def _own_document_extra(
    extra: dict,
    recorded: dict | None,
    source: str,
    *,
    keeps_official: bool = False,
    papers: bool = False,
) -> dict:
    """The `extra` of a framework whose document is this site's own export: without what the
    provider derived (timestamps, its links and CASE version, its publisher when the framework
    had none of its own, i.e. its `source` or this site (case_publisher), its provenance
    extensions), which the record keeps
    as it was. In place (`recorded`, the framework's `extra`, is not None) the definitions are
    the provider's too (the item types it kept and those it made from the abilities' labels),
    and what the record holds that the package does not carry is kept. `keeps_official`: the
    officialSourceURL is the publisher's own (its URI named as `sourceURI`), kept as such.
    `papers`: the record is the paper's framework (PAPER_FRAMEWORK_RULE), whose creator,
    publisher and notes the provider derives (the authors, this site, what is editorial)."""
    derived = set(DOCUMENT_DERIVED)
    if papers:
        derived |= {"creator", "publisher", "notes"}
    if keeps_official:
        derived.discard("officialSourceURL")
    if recorded is not None:
        derived.add("CFDefinitions")
    # The provider's publisher: the source, or this site for a format's (case_publisher).
    published = {source} | (site_publishers() if source in FORMAT_SOURCES else set())
    extensions = extra.get("extensions")
    if (
        source in FORMAT_SOURCES
        and isinstance(extensions, dict)
        and extensions.get(SOURCE) == source
    ):
        # The provider names the format in the extensions exactly where it named this site as
        # the publisher: whichever name CASE_PUBLISHER gave it then (renamed or cleared since).
        derived |= {"publisher", "creator"}
    derived |= {key for key in ("publisher", "creator") if extra.get(key) in published}
    if isinstance(extensions, dict):
        extensions = {k: v for k, v in extensions.items() if k not in OWN_EXTENSIONS}
        extra["extensions"] = extensions
        if not extensions:
            derived.add("extensions")
    extra = _keep_recorded(extra, derived, recorded)
    return {**recorded, **extra} if isinstance(recorded, dict) else extra


# CASE integers are int32: a sequenceNumber beyond could not be published again.
INT32 = range(-(2**31), 2**31)


def _relation_extra(assoc: dict) -> dict:
    """What a relation keeps of its association beyond its ends, type and notes, for the
    provider to publish again: its sequenceNumber (CASE orders any association's siblings by
    it, not only isChildOf's), its extensions and its grouping."""
    extra: dict[str, Any] = {}
    number = _sequence_number(assoc.get("sequenceNumber"))
    if number is not None and number in INT32:
        extra["sequenceNumber"] = number
    details = _edge_details(assoc)
    details.pop("notes", None)  # a column of its own
    return {**extra, **details}


# An association's link to its CFAssociationGrouping, as CASE's packages name it; some writers
# use the information model's name, read as the same.
GROUPING_LINK = "CFAssociationGroupingURI"
GROUPING_LINK_NAMES = (GROUPING_LINK, "associationGroupingURI")


def _edge_details(assoc: dict) -> dict:
    """An association's notes, extensions and CFAssociationGroupingURI (the link to one of
    the package's CFAssociationGroupings, kept with its framework's CFDefinitions), as the
    provider publishes them again; each only when it has a value of CASE's shape."""
    details: dict[str, Any] = {}
    if isinstance(assoc.get("notes"), str) and assoc["notes"].strip():
        details["notes"] = assoc["notes"].strip()
    if isinstance(assoc.get("extensions"), dict) and assoc["extensions"]:
        details["extensions"] = assoc["extensions"]
    grouping = next((assoc[k] for k in GROUPING_LINK_NAMES if assoc.get(k) is not None), None)
    # One CASE could not publish (the Common Core sample's has no URI) is not kept: the package
    # this site publishes, handed back, would then change the record.
    if (link := case_link(grouping)) is not None:
        details[GROUPING_LINK] = link
    return details


def _relation_identifiers(
    others: list[tuple[int, dict]], *, reserved: set[str]
) -> dict[int, tuple[Any, bool] | None]:
    """Each relation's identifier, by the association's index: its own, unless an isChildOf
    (`reserved`) or an earlier association of other ends or type holds it; then one made of its
    ends and type, as for an association without one, so a re-import finds the same relation
    (True beside it says so). None for an association listed again word for word."""
    ids: dict[int, tuple[Any, bool] | None] = {}
    ends_of: dict[str, str] = {}  # identifier -> the ends and type of the association holding it
    for i, assoc in others:
        identifier, ends = _association_uuid(assoc), _association_ends(assoc)
        held = ends_of.get(str(identifier))
        renamed = str(identifier) in reserved or (held is not None and held != ends)
        if renamed:
            identifier = stable_uuid(ends)
        if str(identifier) in ends_of:
            ids[i] = None
            continue
        ends_of[str(identifier)] = ends
        ids[i] = (identifier, renamed)
    return ids


def _association_ends(assoc: dict) -> str:
    o_ident, o_uri, _t = _node(assoc, "origin")
    d_ident, d_uri, _t = _node(assoc, "destination")
    return f"{o_ident or o_uri}|{assoc['associationType']}|{d_ident or d_uri}"


def _association_uuid(assoc: dict):
    """The relation's identifier: the association's own, else one made of its ends and type,
    so a re-import finds the same relation."""
    return stable_uuid(str(assoc.get("identifier") or _association_ends(assoc)))


def _ability_uuids(package: dict) -> dict[str, Any]:
    """Each item's identifier -> the identifier of its ability."""
    return {item["identifier"]: stable_uuid(item["identifier"]) for item in package["items"]}


def _package_ability(ident: str, uri: str, abilities: _Abilities, nodes: _Nodes) -> int | None:
    """The primary key of the ability written from the package item an end names, if any."""
    item = nodes.resolve(ident, uri)
    if item is None:
        return None
    ability = abilities.sync.objects.get(abilities.uuids[item])
    return ability.pk if ability is not None else None
