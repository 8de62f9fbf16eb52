"""Stable CASE identifiers for what the models give none: item types and the isChildOf tree
edges. Name-based (uuid5), so the same data always publishes the same identifiers; shared by the
CASE importer here and the provider in curricula.case, which must agree on them."""

import re
import uuid
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.identifiers import stable_uuid
from core.models import uri_runs_content

# Where Ability.extra keeps the isChildOf association an imported item came with.
TREE_KEY = "caseTree"

# A CASE LinkURI: its keys, and the identifier CASE 1.1's schema takes (a UUID of RFC 4122's
# variant).
LINK_KEYS = ("title", "identifier", "uri")
LINK_IDENTIFIER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def case_link(value: Any) -> dict[str, str] | None:
    """`value` as a CASE LinkURI (title, UUID identifier, URI, nothing else) when it is one,
    else None: what the importer keeps of a link and the provider publishes agree."""
    if not isinstance(value, dict) or not all(
        isinstance(value.get(key), str) and value[key] for key in LINK_KEYS
    ):
        return None
    if not LINK_IDENTIFIER.fullmatch(value["identifier"]):
        return None
    if uri_runs_content(value["uri"]):
        # A javascript: link is no link to a publisher's object: a reader would run it.
        return None
    return {key: value[key] for key in LINK_KEYS}


def case_identifier(value: Any) -> str:
    """The identifier this site publishes for one a package gave: the same when CASE 1.1's
    schema takes it, else the UUID the importer made of it (stable_uuid), so that what an
    import kept as its publisher wrote it (item types, isChildOf edges, nodes elsewhere) is
    published under the identifier the importer reads back as the same thing."""
    return str(stable_uuid(str(value)))


# Who publishes what this site holds as its own: its frameworks and course catalogue, and a
# framework brought in a format that names no author (case_publisher).
PUBLISHER = gettext_lazy("Competency-to-curriculum mapping")
# Framework sources naming the format a framework was brought in, not who wrote it: a school's
# framework written in Moodle is the school's. The provider publishes it as this site's, the
# source said in the document's `extensions` (SOURCE) and kept on the framework.
FORMAT_SOURCES = frozenset({"Moodle"})
SOURCE = "source"
# The source of a framework read from a CASE package: the package names its own creator and
# publisher (kept with the framework), so the format's name is never published as either
# where the package named none.
CASE_SOURCE = "CASE"


def site_publisher() -> str:
    """Who this site's own CASE documents name as creator and publisher: the organisation the
    deployment names (settings.CASE_PUBLISHER, a university's name), else PUBLISHER in the
    request's language."""
    return settings.CASE_PUBLISHER or str(PUBLISHER)


def case_publisher(source: str) -> str:
    """The creator and publisher a CFDocument names for a framework of `source`: the source
    when it names its publisher (ESCO, O*NET), this site (site_publisher) when it names none or
    only a format (FORMAT_SOURCES)."""
    return source if source and source not in FORMAT_SOURCES else site_publisher()


def site_publishers() -> set[str]:
    """What an export of this site may name as a framework's publisher, whichever language it
    was read in: the configured organisation, and PUBLISHER in each of the site's languages
    (what it named before one was configured)."""
    names = {settings.CASE_PUBLISHER} if settings.CASE_PUBLISHER else set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(PUBLISHER))
    return names


# What the provider says of a record's source in a CFItem's or CFDocument's `extensions`:
# the identifier and URI its publisher gave it, where they are not the ones published.
SOURCE_IDENTIFIER = "sourceIdentifier"
SOURCE_URI = "sourceURI"
# CASE carries one language per item: the provider publishes a record's Chinese text (the
# `_zh` fields) in `extensions` as {"translations": {"zh-Hans": {CASE property: text}}}, and an
# import reads it back into those fields.
TRANSLATIONS = "translations"
CHINESE_TAG = "zh-Hans"


def chinese_translation(extensions: Any) -> dict[str, str]:
    """The Chinese text an object's `extensions` carries (`TRANSLATIONS`), by CASE property;
    the tag read in any case, `zh` as `zh-Hans`. Only strings count."""
    if not isinstance(extensions, dict) or not isinstance(extensions.get(TRANSLATIONS), dict):
        return {}
    for tag, texts in extensions[TRANSLATIONS].items():
        if isinstance(tag, str) and tag.lower() in ("zh-hans", "zh") and isinstance(texts, dict):
            return {key: value for key, value in texts.items() if isinstance(value, str)}
    return {}


# Fixed for all time: changing it would change every derived identifier a consumer has stored.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:competency-site:case:v1p1")


def area_item_type_identifier(area_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"item-type:area:{area_code}")


def label_item_type_identifier(label: str) -> uuid.UUID:
    """An item type known only by its label (an ability's item_type without an area, "Course")."""
    return uuid.uuid5(NAMESPACE, f"item-type:label:{label}")


def child_of_identifier(child: uuid.UUID, parent: uuid.UUID) -> uuid.UUID:
    """The isChildOf edge from an item to its parent item or to its document."""
    return uuid.uuid5(NAMESPACE, f"isChildOf:{child}:{parent}")


def own_case_root() -> str:
    """The root of this site's CASE URIs (CASE_BASE_URL + the provider's path), '' if the
    provider is not mounted: an imported URI under it is one of ours, not the source's."""
    try:
        documents = reverse("case:cfdocument-list")
    except NoReverseMatch:
        return ""
    return settings.CASE_BASE_URL.rstrip("/") + documents.removesuffix("CFDocuments")


def item_labels(short_name: str, keywords: Any) -> str:
    """An item's alternative labels, one per line, as the importer reads them: its abbreviated
    statement, then its conceptKeywords (a string names one; what is not a string, none)."""
    if isinstance(keywords, str):
        keywords = [keywords]
    elif not isinstance(keywords, list):
        keywords = []
    labels = [short_name, *(k for k in keywords if isinstance(k, str))]
    return "\n".join(dict.fromkeys(x.strip() for x in labels if x.strip()))


def published_keywords(alt_labels: str, short_name: str) -> list[str]:
    """The conceptKeywords the provider publishes for an ability: its alternative labels but
    the one its abbreviatedStatement (the short name) already gives."""
    short = short_name.strip()
    labels = (x.strip() for x in alt_labels.splitlines())
    return [x for x in dict.fromkeys(labels) if x and x != short]
