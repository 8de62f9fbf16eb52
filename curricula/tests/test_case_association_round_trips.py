"""CASE associations on a round trip: extension types (ext:...), notes, and items sharing one
humanCodingScheme, through this site's own export into the same and into a fresh database."""

import pytest

from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation, Framework, RelationType

ROOT = "/ims/case/v1p1/"
DOCUMENT = "7c1e0f2a-1b2c-4d3e-8f40-000000000001"
SKILL = "7c1e0f2a-1b2c-4d3e-8f40-0000000000a1"
TASK = "7c1e0f2a-1b2c-4d3e-8f40-0000000000a2"
OUTSIDE = "9e9e9e9e-1b2c-4d3e-8f40-0000000000ff"


def _node(identifier: str, title: str = "x") -> dict:
    return {"identifier": identifier, "uri": f"https://p.example.org/{identifier}", "title": title}


def _association(n: int, kind: str, origin: str, destination: str, **more) -> dict:
    return {
        "identifier": f"7c1e0f2a-1b2c-4d3e-8f40-00000000e{n:03d}",
        "associationType": kind,
        "uri": f"https://p.example.org/assoc/{n}",
        "originNodeURI": _node(origin),
        "destinationNodeURI": _node(destination),
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        **more,
    }


def _publishers_package() -> dict:
    """Two items; an extension association between them and one to a node outside; notes on a
    standard association and on an extension one."""
    return {
        "CFDocument": {
            "identifier": DOCUMENT,
            "uri": f"https://p.example.org/{DOCUMENT}",
            "creator": "Publisher",
            "title": "Skills",
            "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        },
        "CFItems": [
            {"identifier": SKILL, "fullStatement": "Write SQL", "humanCodingScheme": "S1"},
            {"identifier": TASK, "fullStatement": "Query a database", "humanCodingScheme": "T1"},
        ],
        "CFAssociations": [
            _association(1, "isChildOf", SKILL, DOCUMENT),
            _association(2, "isChildOf", TASK, DOCUMENT),
            _association(3, "ext:isSkillOf", SKILL, TASK, notes="Needed for every query"),
            _association(4, "ext:hasCredential", TASK, OUTSIDE),
            _association(5, "isRelatedTo", TASK, SKILL, notes="Related, loosely"),
        ],
    }


def _relations(package: dict) -> set[tuple]:
    return {
        (
            a["identifier"],
            a["associationType"],
            a["originNodeURI"]["identifier"],
            a["destinationNodeURI"]["identifier"],
            a.get("notes"),
        )
        for a in package["CFAssociations"]
        if a["associationType"] != "isChildOf"
    }


@pytest.mark.django_db
def test_extension_associations_and_notes_are_kept_and_published_back_unchanged(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """CASE 1.1 lets a publisher name its own association types (ext:...) and write notes on
    any association: both are stored (an extension as a relation of type "ext" that keeps its
    name, out of every crosswalk rule), published again as they came, and a re-import of the
    package this site published changes nothing."""
    source = _publishers_package()

    report = framework_import(path=written_package(tmp_path, "skills.json", source), format="case")

    assert report.ok, report.error
    assert report.skipped_by_reason == {}
    assert AbilityRelation.objects.count() == 3
    extension = AbilityRelation.objects.get(identifier=source["CFAssociations"][2]["identifier"])
    assert (extension.relation_type, extension.extension_type, extension.notes) == (
        RelationType.EXTENSION,
        "ext:isSkillOf",
        "Needed for every query",
    )
    exported = published_package(api_client, DOCUMENT)
    assert_valid_package(package_validator, exported)
    assert _relations(exported) == _relations(source)
    single = api_client.get(f"{ROOT}CFAssociations/{extension.identifier}").json()
    assert (single["associationType"], single["notes"]) == ("ext:isSkillOf", extension.notes)

    again = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )

    assert again.ok, again.error
    assert again.as_dict()["counts"]["relation"]["unchanged"] == 3, again.counts
    assert _relations(published_package(api_client, DOCUMENT)) == _relations(source)

    # Into a fresh database, from this site's export: the same relations again.
    Framework.objects.all().delete()
    fresh = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert fresh.ok, fresh.error
    assert _relations(published_package(api_client, DOCUMENT)) == _relations(source)


@pytest.mark.django_db
def test_notes_dropped_by_the_publisher_are_dropped_here(api_client, tmp_path):
    source = _publishers_package()
    assert framework_import(path=written_package(tmp_path, "v1.json", source), format="case").ok
    for association in source["CFAssociations"]:
        association.pop("notes", None)

    report = framework_import(path=written_package(tmp_path, "v2.json", source), format="case")

    assert report.ok, report.error
    assert set(AbilityRelation.objects.values_list("notes", flat=True)) == {""}
    assert all("notes" not in a for a in published_package(api_client, DOCUMENT)["CFAssociations"])


@pytest.mark.django_db
def test_an_association_type_neither_case_nor_an_extension_is_still_skipped(tmp_path):
    """Only the CASE vocabulary and ext: names as CASE 1.1 writes them (letters, digits, '.',
    '-', '_') are kept: anything else would make the published package invalid."""
    source = _publishers_package()
    source["CFAssociations"][2]["associationType"] = "isSkillOf"
    source["CFAssociations"][3]["associationType"] = "ext:has credential"

    report = framework_import(path=written_package(tmp_path, "skills.json", source), format="case")

    assert report.ok, report.error
    assert report.skipped_by_reason == {"unsupported association type": 2}
    assert list(AbilityRelation.objects.values_list("relation_type", flat=True)) == [
        RelationType.IS_RELATED_TO
    ]


@pytest.mark.django_db
def test_items_sharing_a_human_coding_scheme_keep_which_one_holds_it_in_a_fresh_database(
    api_client, tmp_path
):
    """Smarter Balanced gives several siblings one humanCodingScheme; the first item in the
    publisher's file holds it as its code. This site's package lists the others first (by
    order, then code, and theirs is empty): imported into a fresh database, the code must stay
    with the item that held it, not go to whichever item the export happens to list first."""
    document = "6b1d1c3e-f08c-11e7-a604-000000000001"
    root = "6b1d1c3e-f08c-11e7-a604-000000000002"
    shared = ["6b1d1c3e-f08c-11e7-a604-0000000000a1", "6b1d1c3e-f08c-11e7-a604-0000000000a2"]

    def edge(n, child, parent):
        return _association(n, "isChildOf", child, parent, sequenceNumber=1)

    package = {
        "CFDocument": {"identifier": document, "title": "ELA Grade 3"},
        "CFItems": [
            {"identifier": root, "fullStatement": "Claim 2", "humanCodingScheme": "C2"},
            *(
                {"identifier": i, "fullStatement": f"Target {n}", "humanCodingScheme": "T1a"}
                for n, i in enumerate(shared)
            ),
        ],
        "CFAssociations": [
            edge(0, root, document),
            *(edge(n + 1, i, root) for n, i in enumerate(shared)),
        ],
    }
    assert framework_import(path=written_package(tmp_path, "ela.json", package), format="case").ok
    assert str(Ability.objects.get(code="T1a").identifier) == shared[0]
    exported = published_package(api_client, document)
    Framework.objects.all().delete()

    fresh = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )

    assert fresh.ok, fresh.error
    assert str(Ability.objects.get(code="T1a").identifier) == shared[0]
    assert Ability.objects.get(identifier=shared[1]).extra.get("humanCodingScheme") == "T1a"
    # And the package published from the fresh database says the same as the first one.
    again = published_package(api_client, document)
    assert [(i["identifier"], i.get("humanCodingScheme")) for i in again["CFItems"]] == [
        (i["identifier"], i.get("humanCodingScheme")) for i in exported["CFItems"]
    ]


# --- Staff's doors -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_make_an_extension_relation_with_notes_through_the_api_and_it_is_published(
    staff_client, api_client
):
    from positions.tests.factories import AbilityFactory

    source, target = AbilityFactory(), AbilityFactory()
    url = "/api/v1/ability-relations/"
    body = {"source": source.pk, "target": target.pk, "notes": "Seen in practice"}

    unnamed = staff_client.post(url, {**body, "relation_type": "ext"}, format="json")
    malformed = staff_client.post(
        url, {**body, "relation_type": "ext", "extension_type": "ext:is skill"}, format="json"
    )
    named_but_not_ext = staff_client.post(
        url,
        {**body, "relation_type": "isRelatedTo", "extension_type": "ext:isSkillOf"},
        format="json",
    )
    made = staff_client.post(
        url, {**body, "relation_type": "ext", "extension_type": "ext:isSkillOf"}, format="json"
    )

    assert [r.status_code for r in (unnamed, malformed, named_but_not_ext)] == [400, 400, 400]
    assert "extension_type" in malformed.json()
    assert made.status_code == 201, made.content
    assert (made.json()["extension_type"], made.json()["notes"]) == (
        "ext:isSkillOf",
        "Seen in practice",
    )
    relation = AbilityRelation.objects.get()
    published = api_client.get(f"{ROOT}CFAssociations/{relation.identifier}").json()
    assert (published["associationType"], published["notes"]) == (
        "ext:isSkillOf",
        "Seen in practice",
    )


@pytest.mark.django_db
def test_a_crosswalk_csv_naming_the_extension_type_is_refused_by_line_not_a_500(staff_client):
    """The CSV's columns give no extension name: "ext" there is an unknown type, named by its
    line, as before there was one (it reached the database's constraint, a 500)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from positions.tests.factories import AbilityFactory, FrameworkFactory

    AbilityFactory(framework=FrameworkFactory(name="A"), code="A1")
    AbilityFactory(framework=FrameworkFactory(name="B"), code="B1")
    text = "source_framework,source,relation_type,target_framework,target\nA,A1,ext,B,B1\n"

    response = staff_client.post(
        "/api/v1/ability-relations/import-csv/",
        {"file": SimpleUploadedFile("x.csv", text.encode(), content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 400
    [entry] = response.json()["errors"]
    assert entry["line"] == 2
    (problem,) = entry["errors"]["__all__"]
    assert problem.startswith("unknown relation type 'ext'")
    assert "ext," not in problem
    assert not AbilityRelation.objects.exists()


@pytest.mark.django_db
def test_an_associations_sequence_number_and_extensions_are_published_back(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """CASE orders any association's siblings by sequenceNumber (exemplars, precedes), not
    only isChildOf's, and lets a publisher extend an association: both were dropped, so the
    package this site published lost them. A number CASE cannot hold (beyond int32) is not
    kept."""
    source = _publishers_package()
    source["CFAssociations"][4].update(sequenceNumber=3, extensions={"weight": 2, "by": "x"})
    source["CFAssociations"][2].update(sequenceNumber=2**40)

    assert framework_import(path=written_package(tmp_path, "skills.json", source), format="case").ok
    exported = published_package(api_client, DOCUMENT)

    assert_valid_package(package_validator, exported)
    published = {a["identifier"]: a for a in exported["CFAssociations"]}
    related = published[source["CFAssociations"][4]["identifier"]]
    assert (related["sequenceNumber"], related["extensions"]) == (3, {"weight": 2, "by": "x"})
    assert "sequenceNumber" not in published[source["CFAssociations"][2]["identifier"]]
    again = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert again.ok, again.error
    assert again.as_dict()["counts"]["relation"]["unchanged"] == 3


# --- Course catalogues read from CASE ----------------------------------------------------------

CATALOGUE = "5e5e5e5e-1b2c-4d3e-8f40-000000000001"


def _course(n: int, code: str) -> dict:
    return {
        "identifier": f"5e5e5e5e-1b2c-4d3e-8f40-0000000000c{n}",
        "fullStatement": f"Course {n}",
        "humanCodingScheme": code,
    }


def _catalogue(tmp_path, *courses: dict):
    package = {"CFDocument": {"identifier": CATALOGUE, "title": "Syllabus"}, "CFItems": courses}
    return framework_import(
        path=written_package(tmp_path, "catalogue.json", package),
        format="case",
        options={"as": "courses"},
    )


def _course_codes() -> dict[str, str]:
    from curricula.models import Course

    return {str(i): code for i, code in Course.objects.values_list("identifier", "code")}


@pytest.mark.django_db
def test_courses_trading_codes_in_a_new_catalogue_keep_their_identifiers(tmp_path):
    """A course is its identifier; its code is matched only for an item whose identifier is new
    and whose code no other item of the catalogue claims. Two courses trading codes failed the
    import on the unique code; a new course taking the code of one that takes another code took
    over that course (its title, links and identifier lost)."""
    assert _catalogue(tmp_path, _course(1, "C1"), _course(2, "C2")).ok

    swapped = _catalogue(tmp_path, _course(1, "C2"), _course(2, "C1"))

    assert swapped.ok, swapped.error
    assert _course_codes() == {
        _course(1, "")["identifier"]: "C2",
        _course(2, "")["identifier"]: "C1",
    }

    moved = _catalogue(tmp_path, _course(3, "C2"), _course(1, "C3"), _course(2, "C1"))

    assert moved.ok, moved.error
    assert _course_codes() == {
        _course(1, "")["identifier"]: "C3",
        _course(2, "")["identifier"]: "C1",
        _course(3, "")["identifier"]: "C2",
    }


@pytest.mark.django_db
def test_a_course_renamed_under_a_new_identifier_is_still_found_by_its_code(tmp_path):
    from curricula.models import Course

    assert _catalogue(tmp_path, _course(1, "C1")).ok
    report = _catalogue(tmp_path, {**_course(9, "C1"), "fullStatement": "Renamed"})

    assert report.ok, report.error
    assert list(Course.objects.values_list("identifier", "title")) == [
        (__import__("uuid").UUID(_course(1, "")["identifier"]), "Renamed")
    ]


@pytest.mark.django_db
def test_a_catalogue_giving_two_courses_one_code_is_refused_naming_the_item(tmp_path):
    report = _catalogue(tmp_path, _course(1, "C1"), _course(2, " C1"))

    assert not report.ok
    assert report.error["where"] == "CFItems[1]"
    assert "C1" in report.error["message"]
