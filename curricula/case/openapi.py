"""The CASE 1.1 payloads as OpenAPI components, so that a generated client gets typed CFPackages,
CFItems and imsx_StatusInfo errors rather than free-form objects.

The shapes are the ones `curricula.case.builders` writes (CASE 1.1's own, less what this
provider never sends); `add_case_components` (a SPECTACULAR_SETTINGS postprocessing hook) puts
them in the schema, and the views refer to them with `ref(name)`.
"""

ASSOCIATION_TYPES = [
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
]

STRING = {"type": "string"}
# CASE 1.1's vocabulary, or a publisher's own type (ext:isSkillOf), which the provider publishes
# as its package named it.
ASSOCIATION_TYPE = {
    "anyOf": [
        {"type": "string", "enum": ASSOCIATION_TYPES},
        {"type": "string", "pattern": "^ext:[a-zA-Z0-9.\\-_]+$"},
    ]
}
STRINGS = {"type": "array", "items": STRING}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
FREE_OBJECT = {"type": "object", "additionalProperties": True}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(description: str, properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
    }


COMPONENTS = {
    "LinkURI": _object(
        "A link to a CASE object: its title, identifier and URI. A node outside this provider's "
        "frameworks keeps the identifier and URI its own publisher gave it.",
        {"title": STRING, "identifier": STRING, "uri": STRING},
        ["title", "identifier", "uri"],
    ),
    "CFDocument": _object(
        "A framework (or the course catalogue) as a CASE CFDocument. A framework's Chinese name "
        'is in `extensions.translations["zh-Hans"].title`.',
        {
            "identifier": STRING,
            "uri": URI,
            "CFPackageURI": ref("LinkURI"),
            "caseVersion": STRING,
            "creator": STRING,
            "publisher": STRING,
            "title": STRING,
            "lastChangeDateTime": DATE_TIME,
            "officialSourceURL": URI,
            "description": STRING,
            "language": STRING,
            "version": STRING,
            "adoptionStatus": STRING,
            "frameworkType": STRING,
            "notes": STRING,
            "subject": STRINGS,
            "subjectURI": {"type": "array", "items": ref("LinkURI")},
            "licenseURI": ref("LinkURI"),
            "statusStartDate": DATE,
            "statusEndDate": DATE,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
    ),
    "CFItem": _object(
        "An ability (or a course of the catalogue) as a CASE CFItem. Its Chinese statement (a "
        "course's Chinese title) is in "
        '`extensions.translations["zh-Hans"].fullStatement`; a course\'s learning outcomes, one '
        "a string, in `extensions.learningOutcomes`; the Chinese names of its module and "
        'training stage in `extensions.translations["zh-Hans"]` as `module` and `trainingStage`.',
        {
            "identifier": STRING,
            "uri": URI,
            "fullStatement": STRING,
            "abbreviatedStatement": STRING,
            "alternativeLabel": STRING,
            "humanCodingScheme": STRING,
            "listEnumeration": STRING,
            "CFItemType": STRING,
            "CFItemTypeURI": ref("LinkURI"),
            "CFDocumentURI": ref("LinkURI"),
            "language": STRING,
            "notes": STRING,
            "conceptKeywords": STRINGS,
            "conceptKeywordsURI": ref("LinkURI"),
            "subject": STRINGS,
            "subjectURI": {"type": "array", "items": ref("LinkURI")},
            "educationLevel": STRINGS,
            "licenseURI": ref("LinkURI"),
            "statusStartDate": DATE,
            "statusEndDate": DATE,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "fullStatement", "lastChangeDateTime"],
    ),
    "CFAssociation": _object(
        "A typed link between two nodes: the tree (isChildOf), a relation between abilities or "
        "to a node elsewhere, or a course building an ability (isRelatedTo, with the level in "
        '`extensions`, and the Chinese note in `extensions.translations["zh-Hans"].notes`).',
        {
            "identifier": STRING,
            "uri": URI,
            "associationType": ASSOCIATION_TYPE,
            "originNodeURI": ref("LinkURI"),
            "destinationNodeURI": ref("LinkURI"),
            "sequenceNumber": {"type": "integer"},
            "notes": STRING,
            "CFAssociationGroupingURI": ref("LinkURI"),
            "CFDocumentURI": ref("LinkURI"),
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        [
            "identifier",
            "uri",
            "associationType",
            "originNodeURI",
            "destinationNodeURI",
            "lastChangeDateTime",
        ],
    ),
    "CFItemType": _object(
        "A kind of item: a competency area, an imported item type, or Course. A competency "
        "area's Chinese name and description are in "
        '`extensions.translations["zh-Hans"]` as `title` and `description`.',
        {
            "identifier": STRING,
            "uri": URI,
            "title": STRING,
            "description": STRING,
            "hierarchyCode": STRING,
            "typeCode": STRING,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"],
    ),
    "CFSubject": _object(
        "A subject the framework's publisher defined (served with its publisher's URI).",
        {
            "identifier": STRING,
            "uri": URI,
            "title": STRING,
            "hierarchyCode": STRING,
            "description": STRING,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"],
    ),
    "CFLicense": _object(
        "A licence the framework's publisher defined (served with its publisher's URI).",
        {
            "identifier": STRING,
            "uri": URI,
            "title": STRING,
            "description": STRING,
            "licenseText": STRING,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "title", "licenseText", "lastChangeDateTime"],
    ),
    "CFConcept": _object(
        "A concept the framework's publisher defined (served with its publisher's URI).",
        {
            "identifier": STRING,
            "uri": URI,
            "title": STRING,
            "keywords": STRING,
            "hierarchyCode": STRING,
            "description": STRING,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"],
    ),
    "CFAssociationGrouping": _object(
        "A set of associations its publisher labelled as a group, which they link to by "
        "`CFAssociationGroupingURI`: kept from the package a framework was imported from and "
        "served at this provider's `CFAssociationGroupings/{sourcedId}`.",
        {
            "identifier": STRING,
            "uri": URI,
            "title": STRING,
            "description": STRING,
            "lastChangeDateTime": DATE_TIME,
            "extensions": FREE_OBJECT,
        },
        ["identifier", "uri", "title", "lastChangeDateTime"],
    ),
    "CFDefinitions": _object(
        "The definitions a package's items use.",
        {
            "CFItemTypes": {"type": "array", "items": ref("CFItemType")},
            "CFConcepts": {"type": "array", "items": ref("CFConcept")},
            "CFSubjects": {"type": "array", "items": ref("CFSubject")},
            "CFLicenses": {"type": "array", "items": ref("CFLicense")},
            "CFAssociationGroupings": {"type": "array", "items": ref("CFAssociationGrouping")},
        },
        ["CFItemTypes", "CFConcepts", "CFSubjects", "CFLicenses", "CFAssociationGroupings"],
    ),
    "CFPackage": _object(
        "A whole framework: its document, items, associations and definitions.",
        {
            "CFDocument": ref("CFDocument"),
            "CFItems": {"type": "array", "items": ref("CFItem")},
            "CFAssociations": {"type": "array", "items": ref("CFAssociation")},
            "CFDefinitions": ref("CFDefinitions"),
        },
        ["CFDocument", "CFItems", "CFAssociations", "CFDefinitions"],
    ),
    "CFDocumentSet": _object(
        "One page of documents (X-Total-Count and Link headers tell the rest).",
        {"CFDocuments": {"type": "array", "items": ref("CFDocument")}},
        ["CFDocuments"],
    ),
    "CFItemTypeSet": _object(
        "An item type (this provider's item types have no children).",
        {"CFItemTypes": {"type": "array", "items": ref("CFItemType")}},
        ["CFItemTypes"],
    ),
    "CFAssociationSet": _object(
        "An item and every association it is an end of.",
        {
            "CFItem": ref("CFItem"),
            "CFAssociations": {"type": "array", "items": ref("CFAssociation")},
        },
        ["CFItem", "CFAssociations"],
    ),
    "imsx_CodeMinorField": _object(
        "One reason for a failure.",
        {"imsx_codeMinorFieldName": STRING, "imsx_codeMinorFieldValue": STRING},
        ["imsx_codeMinorFieldName", "imsx_codeMinorFieldValue"],
    ),
    "imsx_CodeMinor": _object(
        "The reasons for a failure.",
        {"imsx_codeMinorField": {"type": "array", "items": ref("imsx_CodeMinorField")}},
        ["imsx_codeMinorField"],
    ),
    "imsx_StatusInfo": _object(
        "CASE's error body.",
        {
            "imsx_codeMajor": {"type": "string", "enum": ["success", "processing", "failure"]},
            "imsx_severity": {"type": "string", "enum": ["status", "warning", "error"]},
            "imsx_description": STRING,
            "imsx_codeMinor": ref("imsx_CodeMinor"),
        },
        ["imsx_codeMajor", "imsx_severity", "imsx_codeMinor"],
    ),
}


def add_case_components(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: the components the CASE views refer to."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in COMPONENTS.items():
        schemas.setdefault(name, schema)
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
