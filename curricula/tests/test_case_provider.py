"""The CASE 1.1 provider under /ims/case/v1p1/: documents, packages, items, associations, item
types, CASE error bodies, schema validity of every package, and constant query counts."""

import json
import os
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from conftest import skip_or_fail
from core.models import normalized_lines
from curricula.case import identifiers
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Ability, AbilityRelation, Framework, RelationType
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    level,
)

ROOT = "/ims/case/v1p1/"
BASE = "https://case.example.edu"
SCHEMA_NAME = "case-v1p1-cfpackage-schema.json"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
RFC3339_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.fixture(autouse=True)
def _case_base_url(settings):
    settings.CASE_BASE_URL = BASE


# --- Schema ------------------------------------------------------------------------------------


def _schema_path() -> Path | None:
    """The third-party CFPackage schema: $CASE_SCHEMA_PATH, or ../shared/ beside the repository."""
    configured = os.environ.get("CASE_SCHEMA_PATH")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    folder = Path(settings.BASE_DIR).parent / "shared" / "samples" / "case" / "schema"
    return next(iter(sorted(folder.glob(f"*{SCHEMA_NAME}"))), None) if folder.is_dir() else None


def _format_checker() -> jsonschema.FormatChecker:
    """jsonschema's checker, plus 'uri' and 'date-time' when their optional packages are absent,
    so that those formats are still checked rather than silently passed."""
    checker = jsonschema.FormatChecker()
    if "uri" not in checker.checkers:

        @checker.checks("uri")
        def is_uri(value) -> bool:
            if not isinstance(value, str):
                return True
            parts = urlsplit(value)
            return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", parts.scheme)) and not re.search(
                r"\s", value
            )

    if "date-time" not in checker.checkers:

        @checker.checks("date-time", raises=ValueError)
        def is_date_time(value) -> bool:
            if not isinstance(value, str):
                return True
            if not RFC3339_RE.fullmatch(value):
                return False
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True

    return checker


@pytest.fixture(scope="module")
def package_validator():
    path = _schema_path()
    if path is None:
        skip_or_fail(
            f"the CASE 1.1 CFPackage schema ({SCHEMA_NAME}) was not found: set CASE_SCHEMA_PATH"
        )
    schema = json.loads(path.read_text(encoding="utf-8"))
    # The file says "http://json-schema.org/draft/2020-12/schema" (no "https", no "#"), which
    # jsonschema does not recognise by itself; take the draft from it rather than a guess.
    declared = schema.get("$schema", "")
    if "2020-12" in declared:
        cls = jsonschema.Draft202012Validator
    elif "draft-07" in declared:
        cls = jsonschema.Draft7Validator
    else:
        cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker())


def assert_valid_package(validator, package: dict) -> None:
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_format_checker_rejects_what_the_schema_means_to_reject(package_validator):
    """The validator is not toothless: a bad date-time, a relative URI and a non-UUID fail."""
    document = {
        "identifier": "not-a-uuid",
        "uri": "relative/path",
        "creator": "x",
        "title": "x",
        "lastChangeDateTime": "yesterday",
    }
    paths = {
        tuple(e.absolute_path) for e in package_validator.iter_errors({"CFDocument": document})
    }
    assert paths == {
        ("CFDocument", "identifier"),
        ("CFDocument", "uri"),
        ("CFDocument", "lastChangeDateTime"),
    }


# --- Data --------------------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    """A framework three levels deep (root > middle > leaf), a free-text item type, a relation
    inside the framework and one to an external URI."""
    framework = FrameworkFactory(name="Cross-border e-commerce abilities", uri="https://e.org/f")
    area = CompetencyAreaFactory(code="A", name="Basic abilities", description="Area A")
    root = AbilityFactory(framework=framework, area=area, code="A", text="Basic abilities")
    middle = AbilityFactory(framework=framework, area=area, parent=root, code="A.1", order=1)
    leaf = AbilityFactory(
        framework=framework, area=None, item_type="Skill", parent=middle, code="A.1.1", order=2
    )
    internal = AbilityRelation.objects.create(
        source=root, target=leaf, relation_type=RelationType.PRECEDES
    )
    external = AbilityRelation.objects.create(
        source=leaf,
        target_uri="http://data.europa.eu/esco/skill/abc",
        target_label="ESCO: sell online",
        relation_type=RelationType.EXACT_MATCH_OF,
    )
    return {
        "framework": framework,
        "area": area,
        "root": root,
        "middle": middle,
        "leaf": leaf,
        "internal": internal,
        "external": external,
    }


@pytest.fixture
def catalogue(tree):
    course = CourseFactory(code="CBEC101", title="Cross-border e-commerce", credits=4)
    link = CourseAbilityFactory(
        course=course, ability=tree["leaf"], level=level("M"), note="Project work"
    )
    other = CourseAbilityFactory(course=course, ability=tree["middle"], level=level("I"))
    return {"course": course, "link": link, "other": other}


def _get(api_client, path: str, **params):
    return api_client.get(ROOT + path, params)


def _assert_case_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] == "error"
    assert body["imsx_description"]
    fields = body["imsx_codeMinor"]["imsx_codeMinorField"]
    assert [field["imsx_codeMinorFieldValue"] for field in fields] == [code]
    return fields[0]


def _by_type(package: dict, association_type: str) -> list[dict]:
    return [a for a in package["CFAssociations"] if a["associationType"] == association_type]


# --- CFDocuments -------------------------------------------------------------------------------


def test_document_list_has_every_framework_and_the_course_catalogue(api_client, tree):
    FrameworkFactory(name="Another framework")

    response = _get(api_client, "CFDocuments")

    assert response.status_code == 200
    documents = response.json()["CFDocuments"]
    titles = [d["title"] for d in documents]
    assert titles == sorted(titles, key=str.casefold)  # default: by title, ascending
    assert set(titles) == {"Another framework", "Course catalogue", tree["framework"].name}
    paper = next(d for d in documents if d["identifier"] == str(tree["framework"].identifier))
    assert paper["uri"] == f"{BASE}{ROOT}CFDocuments/{tree['framework'].identifier}"
    assert paper["CFPackageURI"]["uri"].endswith(f"CFPackages/{tree['framework'].identifier}")
    assert paper["officialSourceURL"] == "https://e.org/f"
    assert paper["caseVersion"] == "1.1"
    catalogue = next(d for d in documents if d["title"] == "Course catalogue")
    assert catalogue["identifier"] == str(identifiers.course_catalogue_identifier())
    assert response["X-Total-Count"] == "3"


def test_document_list_pages_with_limit_and_offset(api_client, db):
    for name in ("Alpha", "Bravo", "Charlie", "Delta"):
        FrameworkFactory(name=name)
    everything = [d["title"] for d in _get(api_client, "CFDocuments").json()["CFDocuments"]]
    assert everything == ["Alpha", "Bravo", "Charlie", "Course catalogue", "Delta"]

    response = _get(api_client, "CFDocuments", limit=2, offset=2)

    assert [d["title"] for d in response.json()["CFDocuments"]] == ["Charlie", "Course catalogue"]
    assert response["X-Total-Count"] == "5"
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response["Link"])}
    assert set(links) == {"first", "last", "next", "prev"}
    assert "offset=4" in links["next"]
    assert "limit=2" in links["next"]
    assert "offset=0" in links["prev"]
    assert "offset=4" in links["last"]
    beyond = _get(api_client, "CFDocuments", limit=2, offset=10)
    assert beyond.status_code == 200
    assert beyond.json()["CFDocuments"] == []


def test_document_list_sorts_by_the_requested_property_and_direction(api_client, db):
    FrameworkFactory(name="Alpha", version="3")
    FrameworkFactory(name="Bravo", version="1")

    by_title = _get(api_client, "CFDocuments", sort="title", orderBy="desc").json()["CFDocuments"]
    by_version = _get(api_client, "CFDocuments", sort="version").json()["CFDocuments"]

    assert [d["title"] for d in by_title] == ["Course catalogue", "Bravo", "Alpha"]
    # The catalogue has no version: documents without the property come last.
    assert [d["title"] for d in by_version] == ["Bravo", "Alpha", "Course catalogue"]
    by_version_desc = _get(api_client, "CFDocuments", sort="version", orderBy="desc").json()
    assert [d["title"] for d in by_version_desc["CFDocuments"]] == [
        "Alpha",
        "Bravo",
        "Course catalogue",
    ]


def test_document_list_returns_only_the_selected_fields(api_client, tree):
    response = _get(api_client, "CFDocuments", fields="identifier,title")

    assert response.status_code == 200
    assert all(set(d) == {"identifier", "title"} for d in response.json()["CFDocuments"])


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"limit": "0"}, "limit", "invalid_selection_field"),
        ({"limit": "ten"}, "limit", "invalid_selection_field"),
        ({"offset": "-1"}, "offset", "invalid_selection_field"),
        ({"offset": "1.5"}, "offset", "invalid_selection_field"),
        ({"sort": "colour"}, "sort", "invalid_sort_field"),
        ({"orderBy": "up"}, "orderBy", "invalid_selection_field"),
        ({"fields": "identifier,colour"}, "fields", "invalid_selection_field"),
        ({"filter": "title='x'"}, "filter", "invalid_filter_field"),
    ],
)
def test_document_list_refuses_invalid_parameters_with_a_case_400(
    api_client, db, params, field, code
):
    response = api_client.get(ROOT + "CFDocuments", params)

    minor = _assert_case_error(response, 400, code)
    assert minor["imsx_codeMinorFieldName"] == field


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "x" * 60_000}, "sort"),
        ({"fields": ",".join(f"p{i}" for i in range(10_000))}, "fields"),
    ],
)
def test_document_list_names_what_it_refuses_by_its_start_not_echoed_whole(
    api_client, db, params, field
):
    """`?sort=` of 60,000 characters was echoed whole in the 400 (60 kB), and `?fields=` of
    10,000 unknown names listed every one: the refusal names the first few, each cut short,
    as the API's refusals of unknown parameters do."""
    response = api_client.get(ROOT + "CFDocuments", params)

    assert len(response.content) < 3_000
    code = "invalid_sort_field" if field == "sort" else "invalid_selection_field"
    minor = _assert_case_error(response, 400, code)
    assert minor["imsx_codeMinorFieldName"] == field
    assert "…" in response.json()["imsx_description"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=5&limit=500", "limit"),
        ("offset=0&offset=2", "offset"),
        ("sort=title&sort=version", "sort"),
        ("orderBy=asc&orderBy=desc", "orderBy"),
        ("fields=identifier&fields=title", "fields"),
        # The last one empty: read field by field, the filter went unrefused.
        ("filter=title%3D'x'&filter=", "filter"),
    ],
)
def test_document_list_refuses_a_repeated_parameter_with_a_case_400_naming_it(
    api_client, db, query, field
):
    """Of `?limit=5&limit=500` the last value was taken without a word."""
    response = api_client.get(f"{ROOT}CFDocuments?{query}")

    minor = _assert_case_error(response, 400, "invalid_selection_field")
    assert minor["imsx_codeMinorFieldName"] == field
    assert field in response.json()["imsx_description"]


@pytest.mark.parametrize("query", ["orderby=desc", "limt=1", "Limit=1&ofset=2", "sort_by=title"])
def test_document_list_refuses_an_unknown_parameter_with_a_case_400_naming_it(
    api_client, db, query
):
    """Observed: `?orderby=desc` (CASE spells it orderBy) answered in ascending order and
    `?limt=1` a full page, each misspelt parameter read past without a word."""
    response = api_client.get(f"{ROOT}CFDocuments?{query}")

    assert response.status_code == 400
    body = response.json()
    minors = body["imsx_codeMinor"]["imsx_codeMinorField"]
    names = [pair.split("=")[0] for pair in query.split("&")]
    assert sorted(m["imsx_codeMinorFieldName"] for m in minors) == sorted(names)
    assert {m["imsx_codeMinorFieldValue"] for m in minors} == {"invalid_selection_field"}
    assert "orderBy" in body["imsx_description"]
    assert body["imsx_description"].count("Unknown parameter") == 1


def test_document_list_takes_its_own_parameters_and_format(api_client, db):
    query = "limit=1&offset=0&sort=title&orderBy=asc&fields=title&filter=&format=json"
    assert api_client.get(f"{ROOT}CFDocuments?{query}").status_code == 200


def test_document_list_names_every_repeated_parameter(api_client, db):
    response = api_client.get(f"{ROOT}CFDocuments?limit=1&limit=2&offset=0&offset=1")

    assert response.status_code == 400
    minors = response.json()["imsx_codeMinor"]["imsx_codeMinorField"]
    assert {m["imsx_codeMinorFieldName"] for m in minors} == {"limit", "offset"}
    assert {m["imsx_codeMinorFieldValue"] for m in minors} == {"invalid_selection_field"}


def test_document_detail_is_the_document_with_its_package_uri(api_client, tree):
    framework = tree["framework"]

    response = _get(api_client, f"CFDocuments/{framework.identifier}")

    assert response.status_code == 200
    document = response.json()
    assert document["identifier"] == str(framework.identifier)
    assert document["title"] == framework.name
    assert document["CFPackageURI"]["identifier"] == str(framework.identifier)
    # The framework's real last change: its own row's or any of its abilities' or relations'.
    latest = max(
        [framework.updated_at]
        + [a.updated_at for a in framework.abilities.all()]
        + [r.updated_at for r in framework.relations.all()]
    )
    assert datetime.fromisoformat(document["lastChangeDateTime"]) == latest.replace(microsecond=0)
    catalogue = _get(api_client, f"CFDocuments/{identifiers.course_catalogue_identifier()}")
    assert catalogue.status_code == 200
    assert catalogue.json()["title"] == "Course catalogue"


# --- CFPackages --------------------------------------------------------------------------------


def test_framework_package_publishes_a_three_level_tree_and_an_external_relation(
    api_client, tree, package_validator
):
    framework, root, middle, leaf = (tree[k] for k in ("framework", "root", "middle", "leaf"))

    response = _get(api_client, f"CFPackages/{framework.identifier}")

    assert response.status_code == 200
    package = response.json()
    assert_valid_package(package_validator, package)
    assert package["CFDocument"]["identifier"] == str(framework.identifier)
    assert "CFPackageURI" not in package["CFDocument"]  # not a property of a package's document
    items = {item["identifier"]: item for item in package["CFItems"]}
    assert set(items) == {str(root.identifier), str(middle.identifier), str(leaf.identifier)}
    assert items[str(leaf.identifier)]["fullStatement"] == leaf.text
    assert items[str(leaf.identifier)]["humanCodingScheme"] == "A.1.1"

    parent_of = {
        a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"]
        for a in _by_type(package, "isChildOf")
    }
    assert parent_of == {
        str(root.identifier): str(framework.identifier),
        str(middle.identifier): str(root.identifier),
        str(leaf.identifier): str(middle.identifier),
    }
    edge_to_document = next(
        a
        for a in _by_type(package, "isChildOf")
        if a["originNodeURI"]["identifier"] == str(root.identifier)
    )
    assert edge_to_document["destinationNodeURI"]["uri"].endswith(
        f"CFDocuments/{framework.identifier}"
    )

    (precedes,) = _by_type(package, "precedes")
    assert precedes["identifier"] == str(tree["internal"].identifier)
    assert precedes["destinationNodeURI"]["uri"].endswith(f"CFItems/{leaf.identifier}")
    (exact,) = _by_type(package, "exactMatchOf")
    assert exact["identifier"] == str(tree["external"].identifier)
    assert exact["originNodeURI"]["identifier"] == str(leaf.identifier)
    assert exact["destinationNodeURI"] == {
        "title": "ESCO: sell online",
        "identifier": "http://data.europa.eu/esco/skill/abc",
        "uri": "http://data.europa.eu/esco/skill/abc",
    }


def test_framework_package_defines_the_item_types_its_items_use(api_client, tree):
    package = _get(api_client, f"CFPackages/{tree['framework'].identifier}").json()

    item_types = {t["title"]: t for t in package["CFDefinitions"]["CFItemTypes"]}
    assert set(item_types) == {"Basic abilities", "Skill"}
    area_type = item_types["Basic abilities"]
    assert area_type["identifier"] == str(identifiers.area_item_type_identifier("A"))
    assert area_type["hierarchyCode"] == "A"
    items = {item["humanCodingScheme"]: item for item in package["CFItems"]}
    assert items["A"]["CFItemType"] == "Basic abilities"
    assert items["A"]["CFItemTypeURI"]["identifier"] == area_type["identifier"]
    assert items["A.1.1"]["CFItemType"] == "Skill"
    assert items["A.1.1"]["CFItemTypeURI"]["identifier"] == item_types["Skill"]["identifier"]
    assert set(package["CFDefinitions"]) == {
        "CFItemTypes",
        "CFConcepts",
        "CFSubjects",
        "CFLicenses",
        "CFAssociationGroupings",
    }


def test_case_properties_kept_by_an_import_are_published_again_when_well_formed(
    api_client, db, package_validator
):
    """What the CASE importer keeps in `extra` round-trips; a value of the wrong shape (another
    dialect's) is left out rather than making the package invalid."""
    framework = FrameworkFactory(
        extra={"creator": "State Board", "adoptionStatus": "Adopted", "subject": ["Commerce"]}
    )
    ability = AbilityFactory(
        framework=framework,
        extra={
            "educationLevel": ["09", "10"],
            "listEnumeration": "3",
            "conceptKeywords": "not a list",
            "subject": [{"title": "not a string"}],
            "extensions": {"source": {"id": 7}},
        },
    )

    package = _get(api_client, f"CFPackages/{framework.identifier}").json()

    assert_valid_package(package_validator, package)
    document = package["CFDocument"]
    assert document["creator"] == "State Board"
    assert document["adoptionStatus"] == "Adopted"
    assert document["subject"] == ["Commerce"]
    (item,) = package["CFItems"]
    assert item["identifier"] == str(ability.identifier)
    assert item["educationLevel"] == ["09", "10"]
    assert item["listEnumeration"] == "3"
    assert item["extensions"] == {"source": {"id": 7}}
    assert "conceptKeywords" not in item
    assert "subject" not in item


def test_package_identifiers_are_stable_across_requests(api_client, tree):
    path = f"CFPackages/{tree['framework'].identifier}"

    first = _get(api_client, path).json()
    second = _get(api_client, path).json()

    assert [a["identifier"] for a in first["CFAssociations"]] == [
        a["identifier"] for a in second["CFAssociations"]
    ]
    assert all(UUID_RE.fullmatch(a["identifier"]) for a in first["CFAssociations"])


def test_course_catalogue_package_links_courses_to_abilities_with_their_level(
    api_client, catalogue, tree, package_validator
):
    course = catalogue["course"]

    response = _get(api_client, f"CFPackages/{identifiers.course_catalogue_identifier()}")

    assert response.status_code == 200
    package = response.json()
    assert_valid_package(package_validator, package)
    assert package["CFDocument"]["title"] == "Course catalogue"
    (item,) = package["CFItems"]
    assert item["identifier"] == str(course.identifier)
    assert item["CFItemType"] == "Course"
    assert item["humanCodingScheme"] == "CBEC101"
    assert item["extensions"]["credits"] == 4.0
    (child_of,) = _by_type(package, "isChildOf")
    assert child_of["destinationNodeURI"]["identifier"] == package["CFDocument"]["identifier"]
    related = {a["destinationNodeURI"]["identifier"]: a for a in _by_type(package, "isRelatedTo")}
    assert set(related) == {str(tree["leaf"].identifier), str(tree["middle"].identifier)}
    mastered = related[str(tree["leaf"].identifier)]
    assert mastered["originNodeURI"]["identifier"] == str(course.identifier)
    assert mastered["destinationNodeURI"]["uri"] == (
        f"{BASE}{ROOT}CFItems/{tree['leaf'].identifier}"
    )
    assert mastered["extensions"] == {
        "level": "M",
        "levelName": level("M").name,
        "levelRank": level("M").rank,
        "note": "Project work",
        "translations": {"zh-Hans": {"levelName": "熟练掌握"}},
    }
    assert mastered["notes"] == "Project work"
    assert related[str(tree["middle"].identifier)]["extensions"]["level"] == "I"
    (course_type,) = package["CFDefinitions"]["CFItemTypes"]
    assert course_type["identifier"] == item["CFItemTypeURI"]["identifier"]


def test_an_empty_course_catalogue_is_still_a_valid_package(api_client, db, package_validator):
    response = _get(api_client, f"CFPackages/{identifiers.course_catalogue_identifier()}")

    assert response.status_code == 200
    package = response.json()
    assert_valid_package(package_validator, package)
    assert package["CFItems"] == []
    assert package["CFAssociations"] == []


def test_the_papers_framework_packages_validate(api_client, db, package_validator, request):
    """Every framework `load_paper` creates, and the catalogue, validate against the schema."""
    if "load_paper" not in get_commands():
        pytest.skip("the load_paper command does not exist yet")
    request.getfixturevalue("paper")
    frameworks = list(Framework.objects.values_list("identifier", flat=True))
    assert frameworks, "load_paper created no framework"

    for identifier in [*frameworks, identifiers.course_catalogue_identifier()]:
        response = _get(api_client, f"CFPackages/{identifier}")
        assert response.status_code == 200
        package = response.json()
        assert_valid_package(package_validator, package)
        if identifier in frameworks:
            assert package["CFItems"], f"framework {identifier} has no items"


@pytest.mark.parametrize(
    "sample",
    [
        "opensalt__core_docs_sample-files__opensalt-framework-20c5134f.json",
        "opensalt__sample-files__test_framework_case.json",
        "opensalt__core_tests__data__Ordering.json",
    ],
)
def test_an_imported_case_framework_is_republished_as_a_valid_package(
    api_client, db, package_validator, sample
):
    """Real CASE files, imported by the CASE importer, come back out valid and item for item."""
    from positions.importers import framework_import

    path = Path(settings.BASE_DIR).parent / "shared" / "samples" / "case" / sample
    if not path.is_file():
        skip_or_fail(f"the CASE sample {sample} was not found beside the repository")
    source = json.loads(path.read_text(encoding="utf-8"))
    source = source.get("CFPackage", source)

    framework_import(path=path, format="case")

    framework = Framework.objects.get()
    package = _get(api_client, f"CFPackages/{framework.identifier}").json()
    assert_valid_package(package_validator, package)
    assert len(package["CFItems"]) == len(source["CFItems"])
    statements = sorted(item["fullStatement"] for item in package["CFItems"])
    # As prose is stored at every door, a line at a time (normalized_lines).
    assert statements == sorted(
        normalized_lines(item["fullStatement"]) for item in source["CFItems"]
    )


# --- CFItems, CFAssociations, CFItemTypes ------------------------------------------------------


def test_item_detail_is_an_ability_with_its_document(api_client, tree):
    leaf, framework = tree["leaf"], tree["framework"]

    response = _get(api_client, f"CFItems/{leaf.identifier}")

    assert response.status_code == 200
    item = response.json()
    assert item["identifier"] == str(leaf.identifier)
    assert item["fullStatement"] == leaf.text
    assert item["CFDocumentURI"] == {
        "title": framework.name,
        "identifier": str(framework.identifier),
        "uri": f"{BASE}{ROOT}CFDocuments/{framework.identifier}",
    }


def test_item_detail_of_a_course_points_at_the_catalogue(api_client, catalogue):
    response = _get(api_client, f"CFItems/{catalogue['course'].identifier}")

    assert response.status_code == 200
    item = response.json()
    assert item["CFItemType"] == "Course"
    assert item["CFDocumentURI"]["identifier"] == str(identifiers.course_catalogue_identifier())


def test_every_association_of_a_package_can_be_fetched_on_its_own(api_client, catalogue, tree):
    """Stored relations, derived tree edges and derived course links all resolve by identifier
    to the same association as in the package, plus the URI of its document."""
    documents = [tree["framework"].identifier, identifiers.course_catalogue_identifier()]
    for document in documents:
        package = _get(api_client, f"CFPackages/{document}").json()
        assert package["CFAssociations"]
        for association in package["CFAssociations"]:
            fetched = _get(api_client, f"CFAssociations/{association['identifier']}")
            assert fetched.status_code == 200, association
            body = fetched.json()
            assert body.pop("CFDocumentURI")["identifier"] == str(document)
            assert body == association


def test_item_type_detail_is_a_set_holding_the_item_type(api_client, catalogue, tree):
    area = _get(api_client, f"CFItemTypes/{identifiers.area_item_type_identifier('A')}")
    label = _get(api_client, f"CFItemTypes/{identifiers.label_item_type_identifier('Skill')}")
    course = _get(api_client, f"CFItemTypes/{identifiers.label_item_type_identifier('Course')}")

    assert area.status_code == label.status_code == course.status_code == 200
    (area_type,) = area.json()["CFItemTypes"]
    assert area_type["title"] == "Basic abilities"
    assert area_type["description"] == "Area A"
    assert [t["title"] for t in label.json()["CFItemTypes"]] == ["Skill"]
    assert [t["title"] for t in course.json()["CFItemTypes"]] == ["Course"]


# --- Errors and permissions --------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemTypes"]
)
def test_an_unknown_identifier_is_a_case_404(api_client, tree, endpoint):
    response = _get(api_client, f"{endpoint}/{uuid.uuid4()}")

    minor = _assert_case_error(response, 404, "unknownobject")
    assert minor["imsx_codeMinorFieldName"] == "sourcedId"


@pytest.mark.parametrize("identifier", ["not-a-uuid", "1234", "a/b", "%00", "' OR 1=1 --"])
@pytest.mark.parametrize("endpoint", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations"])
def test_a_malformed_identifier_is_a_case_404_not_a_crash(api_client, db, endpoint, identifier):
    response = api_client.get(f"{ROOT}{endpoint}/{identifier}")

    _assert_case_error(response, 404, "invalid_uuid")


def test_writes_are_refused_with_a_case_body(staff_client, tree):
    response = staff_client.post(ROOT + "CFDocuments", {"title": "x"}, format="json")

    _assert_case_error(response, 405, "unsupported")


def test_reads_follow_api_require_auth(api_client, plain_user, tree, settings):
    settings.API_REQUIRE_AUTH = True
    path = f"CFPackages/{tree['framework'].identifier}"

    anonymous = _get(api_client, path)
    assert anonymous.status_code in (401, 403)
    _assert_case_error(anonymous, anonymous.status_code, "unauthorised_request")
    api_client.force_authenticate(plain_user)
    assert _get(api_client, path).status_code == 200


def test_reads_are_public_by_default(api_client, tree):
    assert _get(api_client, f"CFItems/{tree['root'].identifier}").status_code == 200


# --- Query counts ------------------------------------------------------------------------------


def _grow_framework(framework, n: int) -> None:
    """n more abilities under the framework's first ability, each with an external relation."""
    parent = framework.abilities.order_by("id").first()
    for _ in range(n):
        child = AbilityFactory(framework=framework, parent=parent)
        AbilityRelation.objects.create(
            source=child, target_uri="https://example.org/x", relation_type="isRelatedTo"
        )
        parent = child


def _count_queries(api_client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _get(api_client, path)
    assert response.status_code == 200
    return len(queries)


def test_package_query_count_does_not_grow_with_the_framework(api_client, tree):
    path = f"CFPackages/{tree['framework'].identifier}"
    small = _count_queries(api_client, path)

    _grow_framework(tree["framework"], 40)
    large = _count_queries(api_client, path)

    # The version (framework with its change stamps, abilities and areas overall), then the
    # package: abilities (streamed), relations, areas.
    assert small == large == 6
    assert len(_get(api_client, path).json()["CFItems"]) == 43


def test_catalogue_query_count_does_not_grow_with_courses(api_client, catalogue, tree):
    path = f"CFPackages/{identifiers.course_catalogue_identifier()}"
    small = _count_queries(api_client, path)

    for _ in range(15):
        CourseAbilityFactory(course=CourseFactory(), ability=tree["root"])
    large = _count_queries(api_client, path)

    # The version (courses with their modules and stages, links, the latest deletions of each,
    # levels, abilities, areas), then courses twice (items, then their edges: streamed, not
    # held) and the links.
    assert small == large == 10


def test_document_list_query_count_does_not_grow_with_frameworks(api_client, tree):
    small = _count_queries(api_client, "CFDocuments")

    for _ in range(10):
        FrameworkFactory()
    large = _count_queries(api_client, "CFDocuments")

    # Frameworks, the latest course and link changes, the latest course, link and framework
    # deletions.
    assert small == large == 6


def _node_id(node) -> str:
    return node["identifier"] if isinstance(node, dict) else node


def test_case_round_trip_returns_the_same_items_statements_and_associations(
    api_client, db, tmp_path
):
    """A package imported and exported through the provider keeps every item, statement and
    association, with the same identifiers; an association from a node outside the package
    comes back with that node as it was. Importing the export again creates nothing."""
    from positions.importers import framework_import

    fixture = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case"
    source = json.loads((fixture / "package_1_1.json").read_text(encoding="utf-8"))
    first = framework_import(path=fixture / "package_1_1.json", format="case")
    assert first.ok
    assert first.skipped_total == 0

    exported = _get(api_client, f"CFPackages/{source['CFDocument']['identifier']}").json()

    def items(package):
        return {
            (i["identifier"], i["fullStatement"], i.get("humanCodingScheme", ""))
            for i in package["CFItems"]
        }

    def associations(package):
        return {
            (
                a["identifier"],
                a["associationType"],
                _node_id(a["originNodeURI"]),
                _node_id(a["destinationNodeURI"]),
            )
            for a in package["CFAssociations"]
        }

    assert exported["CFDocument"]["identifier"] == source["CFDocument"]["identifier"]
    assert items(exported) == items(source)
    assert associations(exported) == associations(source)
    outside = "99999999-cccc-4ccc-8ccc-000000000002"
    (incoming,) = [
        a for a in exported["CFAssociations"] if a["originNodeURI"]["identifier"] == outside
    ]
    (original,) = [
        a for a in source["CFAssociations"] if a["originNodeURI"]["identifier"] == outside
    ]
    assert incoming["originNodeURI"] == original["originNodeURI"]

    again = tmp_path / "exported.json"
    again.write_text(json.dumps(exported), encoding="utf-8")
    report = framework_import(path=again, format="case")
    assert report.ok
    # The export names our own URIs where the source had its own, so records may update; none
    # may be duplicated.
    assert all(not outcomes.get("created") for outcomes in report.counts.values()), report.counts
    assert Framework.objects.count() == 1
    assert Ability.objects.count() == len(source["CFItems"])


def test_last_change_moves_when_an_ability_changes(api_client, tree):
    path = f"CFDocuments/{tree['framework'].identifier}"
    before = _get(api_client, path).json()["lastChangeDateTime"]
    leaf = tree["leaf"]
    leaf.updated_at = datetime.fromisoformat("2100-01-01T00:00:00+00:00")
    Ability.objects.filter(pk=leaf.pk).update(updated_at=leaf.updated_at)

    after = _get(api_client, path).json()["lastChangeDateTime"]

    assert before != after == "2100-01-01T00:00:00+00:00"


def test_uris_come_from_case_base_url_never_from_the_request(api_client, tree, settings):
    settings.ALLOWED_HOSTS = ["*"]
    path = f"CFPackages/{tree['framework'].identifier}"
    response = api_client.get(
        ROOT + path, HTTP_HOST="evil.example.org", HTTP_X_FORWARDED_PROTO="https"
    )
    body = response.content.decode()
    assert "evil.example.org" not in body
    assert response.json()["CFDocument"]["uri"].startswith(f"{BASE}{ROOT}CFDocuments/")
    documents = api_client.get(ROOT + "CFDocuments", {"limit": 1}, HTTP_HOST="evil.example.org")
    assert "evil.example.org" not in documents["Link"]


def test_item_associations_list_every_association_of_the_item(api_client, catalogue, tree):
    middle = tree["middle"]
    response = _get(api_client, f"CFItemAssociations/{middle.identifier}")

    assert response.status_code == 200
    body = response.json()
    assert body["CFItem"]["identifier"] == str(middle.identifier)
    kinds = {
        (a["associationType"], a["originNodeURI"]["identifier"]) for a in body["CFAssociations"]
    }
    assert ("isChildOf", str(middle.identifier)) in kinds  # to its parent
    assert ("isChildOf", str(tree["leaf"].identifier)) in kinds  # from its child
    course = _get(api_client, f"CFItemAssociations/{catalogue['course'].identifier}").json()
    assert {a["associationType"] for a in course["CFAssociations"]} == {
        "isChildOf",
        "isRelatedTo",
    }
    missing = _get(api_client, f"CFItemAssociations/{uuid.uuid4()}")
    _assert_case_error(missing, 404, "unknownobject")


def test_no_two_documents_share_an_identifier(api_client, db):
    FrameworkFactory(identifier=identifiers.course_catalogue_identifier(), name="Imported")
    documents = _get(api_client, "CFDocuments").json()["CFDocuments"]
    ids = [d["identifier"] for d in documents]
    assert len(ids) == len(set(ids))


def test_renaming_what_the_course_catalogue_shows_of_a_course_or_link_gives_a_new_version(
    api_client, catalogue
):
    """The catalogue package shows each course's module and training stage and each link's
    level by name: renaming one changes the package, so its ETag changes too, and a client
    holding the old one is sent the new package rather than a 304."""
    from certifications.models import TrainingStage
    from curricula.models import Module

    course = catalogue["course"]
    course.module = Module.objects.create(code="M1", name="Foundations")
    course.stage = TrainingStage.objects.create(code="S1", name="Theory", order=1)
    course.save()
    path = f"CFPackages/{identifiers.course_catalogue_identifier()}"
    renames = [
        (course.module, "module", "Foundations of trade"),
        (course.stage, "trainingStage", "Theory and practice"),
    ]
    for record, extension, name in renames:
        etag = _get(api_client, path)["ETag"]
        record.name = name
        record.save()

        response = api_client.get(ROOT + path, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 200, extension
        (item,) = response.json()["CFItems"]
        assert item["extensions"][extension] == name
    etag = _get(api_client, path)["ETag"]
    mastered = catalogue["link"].level
    mastered.name = "Mastery"
    mastered.save()

    response = api_client.get(ROOT + path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Mastery" in {
        a.get("extensions", {}).get("levelName") for a in response.json()["CFAssociations"]
    }


# --- Last-Modified and If-Modified-Since -------------------------------------------------------


def _http_date(when: datetime) -> str:
    from django.utils.http import http_date

    return http_date(when.timestamp())


def _seconds_later(seconds: float):
    """The server's clock moved on: a Last-Modified date is given once the second of the last
    change is over (core.api.conditional.settled_last_modified)."""
    from unittest import mock

    from django.utils import timezone

    now = timezone.now
    return mock.patch.object(
        timezone, "now", side_effect=lambda: now() + timedelta(seconds=seconds)
    )


def test_a_package_is_last_modified_at_its_latest_change_and_answers_if_modified_since(
    api_client, tree
):
    """A package's Last-Modified is the latest change to what it shows (here an ability's, the
    document's lastChangeDateTime); If-Modified-Since at or after it is a 304 that costs the
    version's queries only, before it a 200."""
    framework, leaf = tree["framework"], tree["leaf"]
    _all_stamps_long_ago()
    Ability.objects.filter(pk=leaf.pk).update(
        updated_at=datetime.fromisoformat("2009-05-01T10:00:00+00:00")
    )
    path = ROOT + f"CFPackages/{framework.identifier}"

    response = api_client.get(path)

    assert response["Last-Modified"] == "Fri, 01 May 2009 10:00:00 GMT"
    assert response.json()["CFDocument"]["lastChangeDateTime"] == "2009-05-01T10:00:00+00:00"
    with CaptureQueriesContext(connection) as queries:
        unchanged = api_client.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 01 May 2009 10:00:00 GMT")
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == response["ETag"]
    assert unchanged["Last-Modified"] == response["Last-Modified"]
    assert len(queries) <= 3
    older = api_client.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 01 May 2009 09:59:59 GMT")
    assert older.status_code == 200
    assert api_client.get(path, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200


def test_the_etag_takes_precedence_over_if_modified_since(api_client, tree):
    """RFC 9110 13.2.2: with If-None-Match, If-Modified-Since is not looked at."""
    path = ROOT + f"CFPackages/{tree['framework'].identifier}"
    first = api_client.get(path)
    future = "Fri, 01 Jan 2199 00:00:00 GMT"
    past = "Thu, 01 Jan 1998 00:00:00 GMT"

    stale_tag = api_client.get(path, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=future)
    same_tag = api_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=past)

    assert stale_tag.status_code == 200
    assert same_tag.status_code == 304


def test_the_course_catalogue_package_is_last_modified_at_its_latest_course_or_link(
    api_client, catalogue
):
    link = catalogue["link"]
    CourseAbility = type(link)
    _all_stamps_long_ago(type(catalogue["course"]), CourseAbility)
    CourseAbility.objects.filter(pk=link.pk).update(
        updated_at=datetime.fromisoformat("2009-06-02T08:30:00+00:00")
    )
    path = ROOT + f"CFPackages/{identifiers.course_catalogue_identifier()}"

    response = api_client.get(path)

    assert response["Last-Modified"] == "Tue, 02 Jun 2009 08:30:00 GMT"
    again = api_client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_documents_and_items_carry_last_modified_and_answer_if_modified_since(api_client, tree):
    """A single CFDocument, CFItem or CFAssociation is last modified at its lastChangeDateTime;
    the document list at its latest document's."""
    framework, leaf = tree["framework"], tree["leaf"]
    _all_stamps_long_ago()
    later = datetime.fromisoformat("2009-07-03T12:00:00+00:00")
    Ability.objects.filter(pk=leaf.pk).update(updated_at=later)
    Framework.objects.filter(pk=framework.pk).update(updated_at=later)
    expected = _http_date(later)

    for path in (
        f"CFDocuments/{framework.identifier}",
        f"CFItems/{leaf.identifier}",
        f"CFAssociations/{tree['external'].identifier}",
        "CFDocuments",
    ):
        response = _get(api_client, path)
        if path.startswith("CFAssociations"):
            changed = datetime.fromisoformat(response.json()["lastChangeDateTime"])
            assert response["Last-Modified"] == _http_date(changed), path
        else:
            assert response["Last-Modified"] == expected, path
        again = api_client.get(ROOT + path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304, path
        assert again["ETag"] == response["ETag"], path


def test_an_if_modified_since_in_the_future_is_ignored(api_client, tree):
    """Observed: If-Modified-Since in the year 9999 was answered 304. RFC 9110 13.1.3: a
    recipient must ignore the date when it is later than its own clock (a client's broken
    clock, a date made up), so the read is answered 200 with its body, a package (compared
    before it is built) and every other read (compared by ConditionalGetMiddleware), a HEAD
    too."""
    framework, leaf = tree["framework"], tree["leaf"]
    _all_stamps_long_ago()
    future = "Fri, 31 Dec 9999 23:59:59 GMT"
    soon = http_date((timezone.now() + timedelta(hours=1)).timestamp())

    for path in (
        f"CFPackages/{framework.identifier}",
        f"CFDocuments/{framework.identifier}",
        f"CFItems/{leaf.identifier}",
        "CFDocuments",
    ):
        for date in (future, soon):
            response = api_client.get(ROOT + path, HTTP_IF_MODIFIED_SINCE=date)
            assert response.status_code == 200, (path, date)
            assert response.content, path
            head = api_client.head(ROOT + path, HTTP_IF_MODIFIED_SINCE=date)
            assert head.status_code == 200, (path, date, "HEAD")
        # A date up to now still revalidates.
        now = http_date(timezone.now().timestamp())
        assert api_client.get(ROOT + path, HTTP_IF_MODIFIED_SINCE=now).status_code == 304, path


LONG_AGO = datetime.fromisoformat("2000-01-01T00:00:00+00:00")


def _all_stamps_long_ago(*models) -> None:
    from positions.models import CompetencyArea

    for model in (Framework, CompetencyArea, Ability, AbilityRelation, *models):
        model.objects.update(updated_at=LONG_AGO)


@pytest.mark.parametrize("deleted", ["external", "internal", "leaf"])
def test_a_deletion_in_a_framework_moves_its_package_s_last_modified(api_client, tree, deleted):
    """A relation or an ability deleted leaves no row to carry a change stamp; the package's
    Last-Modified and its document's lastChangeDateTime see it through the history, so a client
    revalidating with If-Modified-Since alone is not told nothing changed."""
    _all_stamps_long_ago()
    path = ROOT + f"CFPackages/{tree['framework'].identifier}"
    before = api_client.get(path)
    assert before["Last-Modified"] == _http_date(LONG_AGO)

    tree[deleted].delete()

    with _seconds_later(2):
        after = api_client.get(path, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
        document = _get(api_client, f"CFDocuments/{tree['framework'].identifier}")
    assert after.status_code == 200
    assert after["Last-Modified"] != before["Last-Modified"]
    stamp = datetime.fromisoformat(after.json()["CFDocument"]["lastChangeDateTime"])
    assert stamp > LONG_AGO
    assert after["Last-Modified"] == _http_date(stamp)
    assert datetime.fromisoformat(document.json()["lastChangeDateTime"]) == stamp


@pytest.mark.parametrize("deleted", ["other", "course"])
def test_a_deletion_in_the_course_catalogue_moves_its_package_s_last_modified(
    api_client, catalogue, deleted
):
    CourseAbility = type(catalogue["link"])
    Course = type(catalogue["course"])
    _all_stamps_long_ago(Course, CourseAbility)
    path = ROOT + f"CFPackages/{identifiers.course_catalogue_identifier()}"
    before = api_client.get(path)
    assert before["Last-Modified"] == _http_date(LONG_AGO)

    catalogue[deleted].delete()

    with _seconds_later(2):
        after = api_client.get(path, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after["Last-Modified"] != before["Last-Modified"]


def test_a_framework_deleted_moves_the_document_list_s_last_modified(api_client, tree):
    gone = FrameworkFactory(name="Retired framework")
    _all_stamps_long_ago()
    before = _get(api_client, "CFDocuments")
    assert before["Last-Modified"] == _http_date(LONG_AGO)

    gone.delete()

    with _seconds_later(2):
        after = api_client.get(ROOT + "CFDocuments", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after["Last-Modified"] != before["Last-Modified"]


@pytest.mark.parametrize("path", ["package", "item"])
def test_a_change_in_the_second_of_the_last_read_is_never_answered_304_by_date(
    api_client, tree, path
):
    """Observed: an ability changed at 00:00:00.2 and read at 00:00:00.4 was answered with
    Last-Modified 00:00:00 (HTTP dates are whole seconds); reworded at 00:00:00.7, the package,
    revalidated with that If-Modified-Since, was a 304: the client kept the old statement. A
    date is given once the second of the last change is over, and a 304 by date only then."""
    from unittest import mock

    from django.utils import timezone

    framework, leaf = tree["framework"], tree["leaf"]
    _all_stamps_long_ago()
    path = {
        "package": f"CFPackages/{framework.identifier}",
        "item": f"CFItems/{leaf.identifier}",
    }[path]
    second = datetime.fromisoformat("2001-02-03T04:05:06+00:00")

    def at(offset: float):
        return mock.patch.object(
            timezone, "now", side_effect=lambda: second + timedelta(seconds=offset)
        )

    Ability.objects.filter(pk=leaf.pk).update(updated_at=second + timedelta(seconds=0.2))
    with at(0.4):
        first = api_client.get(ROOT + path)
    assert first.status_code == 200
    Ability.objects.filter(pk=leaf.pk).update(
        text="Reworded later in the same second",
        updated_at=second + timedelta(seconds=0.7),
    )
    held = first.get("Last-Modified") or _http_date(second)  # or the Date a client kept
    with at(0.9):
        again = api_client.get(ROOT + path, HTTP_IF_MODIFIED_SINCE=held)
    assert again.status_code == 200, path
    assert again["ETag"] != first["ETag"]

    # Once the second is over, the date is given and a 304 by date answered.
    with at(1.5):
        settled = api_client.get(ROOT + path)
        unchanged = api_client.get(ROOT + path, HTTP_IF_MODIFIED_SINCE=settled["Last-Modified"])
    assert settled["Last-Modified"] == _http_date(second)
    assert unchanged.status_code == 304, path
