"""1EdTech CASE: a CFPackage (1.0 or 1.1, or an older OpenSALT dialect), or a JSON array of them.

CFDocument -> Framework, CFItems -> Ability, isChildOf -> Ability.parent, every other association ->
AbilityRelation (to an ability of the package or the database, else kept as an external URI).
Identifiers: a UUID identifier is kept as is, any other (e.g. the ASN URLs of pre-1.0 files) becomes
uuid5(NAMESPACE_URL, identifier); the original always stays in `external_id`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from positions.importers.base import (
    Importer,
    ImportFailed,
    RecordSync,
    stable_uuid,
    validate_fields,
)
from positions.models import Ability, AbilityRelation, RelationType

CHILD_OF = "isChildOf"
RELATION_TYPES = {choice.value for choice in RelationType}
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
_url = URLValidator(schemes=["http", "https"])


def _item_text_fields(item: dict, default_language: str) -> dict[str, str]:
    """What a reader (and the suggestion engine) learns about an item beyond its statement:
    notes as the description, the abbreviated statement and concept keywords as alternative
    labels (one per line), and the item's language, else its document's. The same keys stay in
    `extra` too, for the CASE provider to serve back unchanged."""
    keywords = item.get("conceptKeywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    labels = [str(item.get("abbreviatedStatement") or ""), *(str(k) for k in keywords)]
    return {
        "description": str(item.get("notes") or "").strip(),
        "alt_labels": "\n".join(dict.fromkeys(x.strip() for x in labels if x.strip())),
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


class CaseImporter(Importer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.packages: list[dict] = []

    # --- reading and checking ---------------------------------------------------------------
    def validate(self) -> None:
        names = self.source.names()
        if len(names) != 1:
            raise ImportFailed(_("a CASE import reads one JSON file"))
        with self.source.open_text(names[0]) as stream:
            try:
                data = json.load(stream)
            except json.JSONDecodeError as exc:
                raise ImportFailed(
                    _("malformed JSON: %(msg)s") % {"msg": exc.msg},
                    where=f"line {exc.lineno} column {exc.colno}",
                ) from exc
            except UnicodeDecodeError as exc:
                raise ImportFailed(_("the file is not UTF-8 text")) from exc
        packages = data if isinstance(data, list) else [data]
        if not packages:
            raise ImportFailed(_("the JSON array holds no package"))
        for n, package in enumerate(packages):
            if isinstance(package, dict) and isinstance(package.get("CFPackage"), dict):
                package = package["CFPackage"]
            self.packages.append(
                self._check_package(package, n if isinstance(data, list) else None)
            )
        self.progress(0.3, "validated")

    def _check_package(self, package: Any, index: int | None) -> dict:
        at = f"package {index + 1}: " if index is not None else ""
        if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
            raise ImportFailed(_("not a CFPackage: no CFDocument object"), where=at + "top level")
        doc = package["CFDocument"]
        for key in ("identifier", "title"):
            if not isinstance(doc.get(key), str) or not doc[key].strip():
                raise ImportFailed(
                    _("CFDocument has no %(key)s") % {"key": key}, where=at + "CFDocument"
                )
        items = package.get("CFItems") or []
        assocs = package.get("CFAssociations") or []
        if not isinstance(items, list) or not isinstance(assocs, list):
            raise ImportFailed(
                _("CFItems and CFAssociations must be arrays"), where=at + "top level"
            )
        seen: set[str] = set()
        kept: list[dict] = []
        index: dict[str, int] = {}
        for i, item in enumerate(items):
            where = f"{at}CFItems[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("identifier"), str):
                raise ImportFailed(_("a CFItem needs an identifier"), where=where)
            if not isinstance(item.get("fullStatement"), str) or not item["fullStatement"].strip():
                raise ImportFailed(_("a CFItem needs a fullStatement"), where=where)
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
            index[item["identifier"]] = i
        for i, assoc in enumerate(assocs):
            where = f"{at}CFAssociations[{i}]"
            if not isinstance(assoc, dict) or not isinstance(assoc.get("associationType"), str):
                raise ImportFailed(_("a CFAssociation needs an associationType"), where=where)
            for side in ("origin", "destination"):
                ident, uri, _title = _node(assoc, side)
                if not ident and not uri:
                    raise ImportFailed(
                        _("the %(side)s node has neither identifier nor URI") % {"side": side},
                        where=where,
                    )
        defs = package.get("CFDefinitions")
        return {"doc": doc, "items": kept, "assocs": assocs, "at": at, "defs": defs, "index": index}

    # --- writing ------------------------------------------------------------------------------
    def write(self) -> tuple[set[int], set[int]]:
        ability_ids: set[int] = set()
        for n, package in enumerate(self.packages):
            ability_ids |= self._write_package(package)
            self.progress(0.3 + 0.7 * (n + 1) / len(self.packages), "written")
        return ability_ids, set()

    def _write_package(self, package: dict) -> set[int]:
        doc, items, assocs, at = package["doc"], package["items"], package["assocs"], package["at"]
        ref = f"{self.source_name}"
        doc_id = doc["identifier"]
        doc_uuid = stable_uuid(doc_id)

        framework_values = {
            "name": doc["title"].strip()[:255],
            "source": "CASE",
            "uri": _valid_url(doc.get("uri")),
            "version": str(doc.get("version") or "")[:64],
            "description": str(doc.get("description") or ""),
            "language": str(doc.get("language") or "en")[:16],
            "external_id": doc_id[:255],
            "extra": self._document_extra(doc, package["defs"]),
        }
        frameworks = self.framework_sync(doc_uuid, fields=list(framework_values), source_ref=ref)
        framework = frameworks.offer(
            doc_uuid, {"identifier": doc_uuid, **framework_values}, where=at + "CFDocument"
        )
        validate_fields(framework, where=at + "CFDocument")
        frameworks.flush()
        frameworks.finish()
        self.report.frameworks.append(framework.pk)

        # Index the package's nodes by identifier and by URI: older files refer by either.
        by_key: dict[str, str] = {}
        for item in items:
            by_key[item["identifier"]] = item["identifier"]
            if isinstance(item.get("uri"), str) and item["uri"]:
                by_key.setdefault(item["uri"], item["identifier"])
        doc_keys = {doc_id} | ({doc["uri"]} if isinstance(doc.get("uri"), str) else set())

        def resolve(ident: str, uri: str) -> str | None:
            return by_key.get(ident) or by_key.get(uri)

        # Parents and their sequence numbers come from isChildOf associations.
        parent_of: dict[str, str | None] = {}
        sequence: dict[str, int] = {}
        others: list[tuple[int, dict]] = []
        for i, assoc in enumerate(assocs):
            where = f"{at}CFAssociations[{i}]"
            kind = assoc["associationType"]
            o_ident, o_uri, _t = _node(assoc, "origin")
            d_ident, d_uri, _t = _node(assoc, "destination")
            if kind != CHILD_OF:
                others.append((i, assoc))
                continue
            child = resolve(o_ident, o_uri)
            if child is None:
                self.report.skip(
                    where,
                    _("isChildOf from %(node)s, a node outside the package")
                    % {"node": o_ident or o_uri},
                    group=_("isChildOf from a node outside the package"),
                )
                continue
            if d_ident in doc_keys or d_uri in doc_keys:
                parent = None
            else:
                parent = resolve(d_ident, d_uri)
                if parent is None:
                    raise ImportFailed(
                        _(
                            "isChildOf points at %(node)s, which is neither in the package nor its "
                            "document (unknown reference)"
                        )
                        % {"node": d_ident or d_uri},
                        where=where,
                    )
            if child in parent_of and parent_of[child] != parent:
                self.report.skip(
                    where,
                    _("%(child)s already has a parent; an ability has one parent")
                    % {"child": child},
                    group=_("second parent of an item"),
                )
                continue
            parent_of[child] = parent
            if isinstance(assoc.get("sequenceNumber"), int):
                sequence[child] = assoc["sequenceNumber"]
        self._check_cycles(parent_of, at)

        # Abilities: match by identifier across the whole database (identifiers are global).
        uuids = {item["identifier"]: stable_uuid(item["identifier"]) for item in items}
        existing = {a.identifier: a for a in Ability.objects.filter(identifier__in=uuids.values())}
        abilities = RecordSync(
            kind="ability",
            model=Ability,
            fields=[],
            existing=existing,
            report=self.report,
            source_ref=ref,
        )
        codes_used: set[str] = set(
            Ability.objects.filter(framework=framework)
            .exclude(code="")
            .exclude(identifier__in=uuids.values())
            .values_list("code", flat=True)
        )
        foreign: set[str] = set()
        for position, item in enumerate(items):
            where = f"{at}CFItems[{package['index'][item['identifier']]}]"
            ident = item["identifier"]
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
            values = self._ability_values(item, framework, codes_used, where)
            values["order"] = sequence.get(ident, position)
            obj = abilities.offer(uuids[ident], {"identifier": uuids[ident], **values}, where=where)
            validate_fields(obj, where=where, exclude=["framework", "parent", "area"])
        abilities.flush()
        for ident, parent in parent_of.items():
            if ident in foreign or (parent is not None and parent in foreign):
                continue
            parent_pk = abilities.objects[uuids[parent]].pk if parent else None
            abilities.offer(uuids[ident], {"parent_id": parent_pk})
        for ident in uuids:
            # Items without isChildOf hang from the document.
            if ident not in parent_of and ident not in foreign:
                abilities.offer(uuids[ident], {"parent_id": None})
        abilities.flush()
        abilities.finish()

        self._write_relations(others, abilities, uuids, resolve, at, ref)
        return abilities.changed_pks()

    @staticmethod
    def _document_extra(doc: dict, defs: Any) -> dict:
        extra = {k: v for k, v in doc.items() if k not in DOCUMENT_COLUMNS}
        if doc.get("uri") and not _valid_url(doc.get("uri")):
            extra["uri"] = doc["uri"]
        if defs:
            # Item types, subjects, licences: kept whole so an export can serve them again.
            extra["CFDefinitions"] = defs
        return extra

    def _ability_values(self, item: dict, framework, codes_used: set[str], where: str) -> dict:
        code = str(item.get("humanCodingScheme") or "")
        extra = {k: v for k, v in item.items() if k not in ITEM_COLUMNS}
        if code and (len(code) > 64 or code in codes_used):
            self.report.warn(
                where,
                _(
                    "humanCodingScheme %(code)s is kept in extra only: it is too long or another "
                    "item of the framework already has it"
                )
                % {"code": code},
            )
            code = ""
        else:
            extra.pop("humanCodingScheme", None)
        if code:
            codes_used.add(code)
        uri = _valid_url(item.get("uri"))
        if item.get("uri") and not uri:
            extra["uri"] = item["uri"]
        short_name = str(item.get("abbreviatedStatement") or "")
        if len(short_name) > 255:
            extra["abbreviatedStatement"] = short_name
            short_name = short_name[:254] + "…"
        item_type = item.get("CFItemType") or (item.get("CFItemTypeURI") or {}).get("title") or ""
        return {
            "framework_id": framework.pk,
            "code": code,
            "text": item["fullStatement"],
            "short_name": short_name,
            **_item_text_fields(item, framework.language),
            "item_type": str(item_type)[:128],
            "uri": uri,
            "external_id": item["identifier"][:255],
            "extra": extra,
        }

    def _check_cycles(self, parent_of: dict[str, str | None], at: str) -> None:
        for start in parent_of:
            seen, node = set(), start
            while node is not None:
                if node in seen:
                    raise ImportFailed(
                        _("isChildOf associations form a cycle through %(id)s") % {"id": node},
                        where=at + "CFAssociations",
                    )
                seen.add(node)
                node = parent_of.get(node)

    def _write_relations(self, others, abilities: RecordSync, uuids, resolve, at, ref) -> None:
        assoc_uuids = {}
        for i, assoc in others:
            o_ident, o_uri, _t = _node(assoc, "origin")
            d_ident, d_uri, _t = _node(assoc, "destination")
            key = (
                assoc.get("identifier")
                or f"{o_ident or o_uri}|{assoc['associationType']}|{d_ident or d_uri}"
            )
            assoc_uuids[i] = stable_uuid(str(key))
        existing = {
            r.identifier: r
            for r in AbilityRelation.objects.filter(identifier__in=assoc_uuids.values())
        }
        # Destinations outside the package may be abilities already in the database.
        outside = [
            stable_uuid(_node(a, "destination")[0])
            for _i, a in others
            if _node(a, "destination")[0] and resolve(*_node(a, "destination")[:2]) is None
        ]
        known = dict(Ability.objects.filter(identifier__in=outside).values_list("identifier", "pk"))
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
            kind = assoc["associationType"]
            o_ident, o_uri, _t = _node(assoc, "origin")
            d_ident, d_uri, d_title = _node(assoc, "destination")
            if kind not in RELATION_TYPES:
                self.report.skip(
                    where,
                    _("association type %(type)s is not supported") % {"type": kind},
                    group=_("unsupported association type"),
                )
                continue
            origin = resolve(o_ident, o_uri)
            source = abilities.objects.get(uuids[origin]) if origin else None
            if source is None or source.pk is None:
                self.report.skip(
                    where,
                    _("%(type)s from %(node)s, which is not an item of the package")
                    % {"type": kind, "node": o_ident or o_uri},
                    group=_("association from a node outside the package"),
                )
                continue
            destination = resolve(d_ident, d_uri)
            target_id = None
            if destination and uuids[destination] in abilities.objects:
                target_id = abilities.objects[uuids[destination]].pk
            elif d_ident and stable_uuid(d_ident) in known:
                target_id = known[stable_uuid(d_ident)]
            values = {
                "identifier": assoc_uuids[i],
                "source_id": source.pk,
                "target_id": target_id,
                "target_uri": "" if target_id else (d_uri or d_ident)[:500],
                "target_label": "" if target_id else d_title[:500],
                "relation_type": kind,
            }
            if assoc_uuids[i] in relations.status:
                self.report.skip(
                    where,
                    _("association %(id)s appears twice") % {"id": assoc_uuids[i]},
                    group=_("association appears twice"),
                )
                continue
            relations.offer(assoc_uuids[i], values, where=where)
        relations.flush()
        relations.finish()
