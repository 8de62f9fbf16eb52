"""CASE round trips on fixtures the project ships: a trimmed copy of the Smarter Balanced math
package (with crosswalks to other publishers' items) and this site's own course catalogue, in
place and into a fresh database."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from certifications.models import TrainingStage
from core.models import normalized_lines
from curricula.case import identifiers
from curricula.models import Course, CourseAbility, Module
from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation, CompetencyArea, Framework

FIXTURES = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case"
SBAC = FIXTURES / "sbac_math_trimmed.json"
ROOT = "/ims/case/v1p1/"


def _association(a: dict) -> tuple:
    return (
        a["identifier"],
        a["associationType"],
        a["originNodeURI"]["identifier"],
        a["destinationNodeURI"]["identifier"],
        a.get("sequenceNumber"),
    )


@pytest.mark.django_db
def test_smarter_balanced_round_trips_with_every_association_and_item(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    source = json.loads(SBAC.read_text(encoding="utf-8"))
    item_ids = {item["identifier"] for item in source["CFItems"]}
    document_id = source["CFDocument"]["identifier"]

    report = framework_import(path=SBAC, format="case")
    exported = published_package(api_client, document_id)

    assert report.ok, report.error
    # The file lists one association twice, word for word: one relation, reported.
    assert report.skipped_by_reason == {"association appears twice": 1}
    assert_valid_package(package_validator, exported)
    # Each statement as prose is stored at every door, a line at a time (normalized_lines: one
    # of Smarter Balanced's ends with a space).
    assert {(i["identifier"], i["fullStatement"]) for i in exported["CFItems"]} == {
        (i["identifier"], normalized_lines(i["fullStatement"])) for i in source["CFItems"]
    }
    assert {_association(a) for a in exported["CFAssociations"]} == {
        _association(a) for a in source["CFAssociations"]
    }
    assert len(exported["CFAssociations"]) == len(source["CFAssociations"]) - 1
    # Nodes outside the package come back as their publisher named them.
    outside = {
        a["identifier"]: (a["originNodeURI"], a["destinationNodeURI"])
        for a in source["CFAssociations"]
        if not {a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]}
        <= item_ids | {document_id}
    }
    assert {"exactMatchOf"} <= {
        a["associationType"] for a in source["CFAssociations"] if a["identifier"] in outside
    }
    for association in exported["CFAssociations"]:
        if association["identifier"] in outside:
            origin, destination = outside[association["identifier"]]
            for end, original in (
                (association["originNodeURI"], origin),
                (association["destinationNodeURI"], destination),
            ):
                if original["identifier"] not in item_ids:
                    assert end == original
    # The item types keep their identifiers and fields, and the items point at them.
    kept = {t["identifier"]: t for t in source["CFDefinitions"]["CFItemTypes"]}
    published = {t["identifier"]: t for t in exported["CFDefinitions"]["CFItemTypes"]}
    assert set(kept) <= set(published)
    for identifier, item_type in kept.items():
        for field in ("title", "typeCode", "hierarchyCode", "lastChangeDateTime"):
            assert published[identifier].get(field) == item_type.get(field)
    source_types = {
        i["identifier"]: i.get("CFItemTypeURI", {}).get("identifier") for i in source["CFItems"]
    }
    assert {
        i["identifier"]: i.get("CFItemTypeURI", {}).get("identifier") for i in exported["CFItems"]
    } == source_types
    kept_type = next(iter(kept))
    item_type = api_client.get(f"{ROOT}CFItemTypes/{kept_type}").json()
    assert item_type["CFItemTypes"][0]["title"] == kept[kept_type]["title"]

    again = tmp_path / "exported.json"
    again.write_text(json.dumps(exported), encoding="utf-8")
    report = framework_import(path=again, format="case")
    assert report.ok
    assert all(not counts.get("created") for counts in report.counts.values()), report.counts
    assert Ability.objects.count() == len(source["CFItems"])
    assert AbilityRelation.objects.count() == len(exported["CFAssociations"]) - sum(
        1 for a in exported["CFAssociations"] if a["associationType"] == "isChildOf"
    )


def _catalogue_state() -> tuple[set, set]:
    courses = set(
        Course.objects.values_list(
            "identifier", "code", "title", "description", "credits", "module__code", "stage__code"
        )
    )
    links = set(
        CourseAbility.objects.values_list(
            "course__code", "ability__identifier", "level__code", "note"
        )
    )
    return courses, links


def test_the_course_catalogue_imports_back_in_place_without_conflicts(paper, api_client, tmp_path):
    before = _catalogue_state()
    catalogue = published_package(api_client, identifiers.course_catalogue_identifier())

    report = framework_import(
        path=written_package(tmp_path, "catalogue.json", catalogue), format="case"
    )

    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["course"] == {"created": 0, "updated": 0, "unchanged": 31, "conflict": 0}
    assert counts["link"] == {"created": 0, "updated": 0, "unchanged": 95, "conflict": 0}
    assert report.conflicts == []
    assert "framework" not in counts
    assert _catalogue_state() == before
    assert not Framework.objects.filter(identifier=identifiers.course_catalogue_identifier())


def test_the_papers_framework_handed_back_as_case_in_place_is_unchanged(
    paper, api_client, tmp_path
):
    """An LMS reads the paper's framework through the CASE provider and imports the package
    back in place: the provider names each ability's type by its competency area (CFItemType
    and CFItemTypeURI), which is not news, so nothing is updated or reported as a conflict."""
    framework = Framework.objects.get()
    fields = ("code", "text", "item_type", "extra", "area_id", "uri", "external_id")
    before = list(Ability.objects.order_by("pk").values(*fields))
    assert any(row["area_id"] for row in before)
    exported = published_package(api_client, framework.identifier)

    report = framework_import(path=written_package(tmp_path, "paper.json", exported), format="case")

    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["framework"] == {"created": 0, "updated": 0, "unchanged": 1, "conflict": 0}
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 47, "conflict": 0}
    assert report.conflicts == []
    assert list(Ability.objects.order_by("pk").values(*fields)) == before
    assert published_package(api_client, framework.identifier)["CFItems"] == exported["CFItems"]


def test_the_course_catalogue_imports_into_a_fresh_database_with_levels_and_notes(
    paper, api_client, tmp_path
):
    CourseAbility.objects.filter(pk=CourseAbility.objects.order_by("pk").first().pk).update(
        note="A note to keep"
    )
    Course.objects.filter(code=Course.objects.order_by("code").first().code).update(credits=4)
    before = _catalogue_state()
    frameworks = [
        written_package(
            tmp_path, f"framework-{n}.json", published_package(api_client, framework.identifier)
        )
        for n, framework in enumerate(Framework.objects.all())
    ]
    catalogue = written_package(
        tmp_path,
        "catalogue.json",
        published_package(api_client, identifiers.course_catalogue_identifier()),
    )
    # A fresh database: only the level scale a migration gives every install.
    for model in (Course, Module, TrainingStage, Framework, CompetencyArea):
        model.objects.all().delete()

    for path in frameworks:
        assert framework_import(path=path, format="case").ok
    report = framework_import(path=catalogue, format="case")

    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["course"]["created"] == 31
    assert counts["link"]["created"] == 95
    assert _catalogue_state() == before


def test_any_package_can_be_read_as_courses_and_the_catalogue_as_a_framework_refused(
    db, tmp_path, capsys
):
    from positions.tests.factories import AbilityFactory, level

    ability = AbilityFactory()
    level("R")
    package = {
        "CFDocument": {"identifier": "c0ffee00-0000-4000-8000-000000000001", "title": "Syllabus"},
        "CFItems": [
            {
                "identifier": "c0ffee00-0000-4000-8000-000000000002",
                "fullStatement": "Logistics",
                "humanCodingScheme": "LOG101",
            },
        ],
        "CFAssociations": [
            {
                "identifier": "c0ffee00-0000-4000-8000-000000000003",
                "associationType": "isRelatedTo",
                "originNodeURI": {
                    "identifier": "c0ffee00-0000-4000-8000-000000000002",
                    "uri": "x",
                    "title": "LOG101",
                },
                "destinationNodeURI": {
                    "identifier": str(ability.identifier),
                    "uri": "y",
                    "title": "z",
                },
                "extensions": {"level": "R"},
            }
        ],
    }
    path = written_package(tmp_path, "syllabus.json", package)

    call_command("import_framework", str(path), "--format", "case", "--as", "courses")

    link = CourseAbility.objects.select_related("course", "level").get()
    assert (link.course.code, link.ability_id, link.level.code) == ("LOG101", ability.pk, "R")
    assert not Framework.objects.filter(name="Syllabus").exists()


OPENSALT = FIXTURES / "opensalt_2017.json"


@pytest.mark.django_db
def test_a_publishers_package_exported_and_imported_back_in_place_changes_nothing(
    api_client, tmp_path
):
    """An LMS hands back the package this site published: the framework and its abilities are
    reported unchanged, again and again, and keep the publisher's URIs, which the document
    goes on naming as its officialSourceURL (rather than this site's own address)."""
    source = json.loads(OPENSALT.read_text(encoding="utf-8"))
    framework_import(path=OPENSALT, format="case")
    framework = Framework.objects.get()
    before = (
        Framework.objects.values("uri", "extra").get(),
        list(Ability.objects.order_by("code").values("code", "uri", "extra", "order")),
    )

    for cycle in range(2):
        exported = published_package(api_client, framework.identifier)
        path = written_package(tmp_path, f"exported-{cycle}.json", exported)
        report = framework_import(path=path, format="case")

        assert report.ok, report.error
        counts = report.as_dict()["counts"]
        assert counts["framework"] == {"created": 0, "updated": 0, "unchanged": 1, "conflict": 0}
        assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 3, "conflict": 0}
        assert (
            Framework.objects.values("uri", "extra").get(),
            list(Ability.objects.order_by("code").values("code", "uri", "extra", "order")),
        ) == before
    assert exported["CFDocument"]["officialSourceURL"] == source["CFDocument"]["uri"]
    # The string sequence numbers come back as the integers CASE 1.1 writes.
    assert sorted(
        (a["identifier"], a.get("sequenceNumber"))
        for a in exported["CFAssociations"]
        if a["associationType"] == "isChildOf"
    ) == sorted(
        (a["identifier"], int(a["sequenceNumber"]) if "sequenceNumber" in a else None)
        for a in source["CFAssociations"]
    )


@pytest.mark.django_db
def test_a_human_coding_scheme_no_ability_code_can_hold_is_published_as_the_file_gave_it(
    api_client, tmp_path
):
    """Smarter Balanced's grade 3 writing package gives two items the same humanCodingScheme;
    the second (and one too long for a code) is kept in extra only, and the package this site
    publishes still gives every item its humanCodingScheme, so nothing is lost on the way out
    and a re-import in place changes nothing."""
    document = "6b1d1c3e-f08c-11e7-a604-654871858e0d"
    long_code = "E.G3.C2WN.T1a.W.3.3b." + "x" * 60
    items = [
        ("3a4d0c1e-f08d-11e7-be11-5f6cd7bca675", "E.G3.C2WN.T1a.W.3.3b", "Use dialogue."),
        ("5152d3d0-f08d-11e7-bfe5-63ac45648bb7", "E.G3.C2WN.T1a.W.3.3b", "Use description."),
        ("52f1b53a-f08d-11e7-b237-fb540880e56f", long_code, "Use temporal words."),
    ]
    package = {
        "CFDocument": {"identifier": document, "title": "ELA Grade 3, Claim 2"},
        "CFItems": [
            {"identifier": i, "humanCodingScheme": code, "fullStatement": text}
            for i, code, text in items
        ],
    }
    report = framework_import(path=written_package(tmp_path, "ela.json", package), format="case")
    assert report.ok, report.error
    assert len(report.warnings) == 2

    exported = published_package(api_client, document)

    assert {(i["identifier"], i.get("humanCodingScheme")) for i in exported["CFItems"]} == {
        (i, code) for i, code, _text in items
    }
    again = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert again.as_dict()["counts"]["ability"]["unchanged"] == 3


PRE_1_0 = FIXTURES / "pre_1_0.json"


@pytest.mark.django_db
def test_pre_1_0_grade_levels_and_subject_are_published_as_case_1_1_writes_them(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """Early OpenSALT exports (the Common Core math sample among them) give an item's grades as
    `educationalLevel`, one string ("09", or "12, 13"), and the document's subject as a string:
    the package this site publishes gives them as CASE 1.1's `educationLevel` and `subject`
    lists, rather than leaving them out, and a re-import in place changes nothing."""
    framework_import(path=PRE_1_0, format="case")
    framework = Framework.objects.get()

    exported = published_package(api_client, framework.identifier)

    assert_valid_package(package_validator, exported)
    assert exported["CFDocument"]["subject"] == ["Mathematics"]
    assert {i["fullStatement"]: i.get("educationLevel") for i in exported["CFItems"]} == {
        "Convert prices between currencies.": ["13"],
        "Numbers in trade": ["12", "13"],
    }
    again = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    counts = again.as_dict()["counts"]
    assert counts["framework"]["unchanged"] == 1
    assert counts["ability"]["unchanged"] == 2


@pytest.mark.django_db
def test_a_documents_subject_links_are_published_as_its_publisher_gave_them(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """Smarter Balanced's packages name their subject by a link to the publisher's CFSubject
    (`subjectURI`): published again as given, rather than dropped, while a link CASE 1.1 would
    not accept (an identifier that is no UUID) is left out."""
    subject = {
        "title": "Math",
        "identifier": "d41fb0f6-b390-11e7-9a98-233b080813ce",
        "uri": "https://case.example.org/ims/case/v1p0/CFSubjects/d41fb0f6-b390-11e7-9a98-233b080813ce",
    }
    package = {
        "CFDocument": {
            "identifier": "cba081b2-b59d-11e7-a02a-eb18540295b7",
            "title": "Math High School, Claim 2",
            "subject": ["Math"],
            "subjectURI": [subject],
        },
        "CFItems": [
            {
                "identifier": "0fd4e2ae-b59f-11e7-8c27-0d2d1f1d4b3f",
                "fullStatement": "Problem solving",
                "subjectURI": [{**subject, "identifier": "math"}],
            },
        ],
    }
    framework_import(path=written_package(tmp_path, "claim2.json", package), format="case")

    exported = published_package(api_client, package["CFDocument"]["identifier"])

    assert_valid_package(package_validator, exported)
    assert exported["CFDocument"]["subjectURI"] == [subject]
    assert "subjectURI" not in exported["CFItems"][0]
    again = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert again.as_dict()["counts"]["framework"]["unchanged"] == 1


def _moodle_csv(client, framework) -> bytes:
    response = client.get(f"/api/v1/frameworks/{framework.pk}/moodle.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_moodle_or_esco_framework_handed_back_as_case_keeps_what_case_does_not_carry(
    api_client, tmp_path
):
    """An LMS reads a framework imported from Moodle (or ESCO) through the CASE provider and
    hands the package back: nothing changes. The Moodle scale, taxonomy and rules, ESCO's
    descriptions, labels and status, and where each framework came from are kept, though CASE
    carries none of them, and the Moodle export stays the same."""
    moodle_fixtures = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures"
    assert framework_import(path=moodle_fixtures / "moodle" / "current.csv", format="moodle").ok
    assert framework_import(path=moodle_fixtures / "esco_v12", format="esco").ok
    moodle = Framework.objects.get(source="Moodle")
    moodle_csv = _moodle_csv(api_client, moodle)
    before = (
        list(Framework.objects.order_by("pk").values("source", "extra", "uri")),
        list(
            Ability.objects.order_by("pk").values(
                "extra", "description", "alt_labels", "language", "uri", "external_id"
            )
        ),
    )

    for framework in Framework.objects.order_by("pk"):
        exported = published_package(api_client, framework.identifier)
        path = written_package(tmp_path, f"{framework.pk}.json", exported)
        report = framework_import(path=path, format="case")

        assert report.ok, report.error
        counts = report.as_dict()["counts"]
        assert counts["framework"]["unchanged"] == 1, framework.source
        assert counts["ability"]["updated"] == 0, framework.source
    assert _moodle_csv(api_client, moodle) == moodle_csv
    assert (
        list(Framework.objects.order_by("pk").values("source", "extra", "uri")),
        list(
            Ability.objects.order_by("pk").values(
                "extra", "description", "alt_labels", "language", "uri", "external_id"
            )
        ),
    ) == before


@pytest.mark.django_db
def test_negative_and_huge_sequence_numbers_are_published_as_the_publisher_wrote_them(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """The order of abilities cannot hold a negative sequenceNumber (nor one beyond int32):
    the import orders the siblings by them all the same, and the package this site publishes
    gives each isChildOf the number its publisher wrote, so a re-import in place changes
    nothing. Once staff reorder an ability, its edge publishes its new order instead."""
    from positions.tests.test_import_case import SIGNED_NUMBERS, _sequenced_package

    source = _sequenced_package(SIGNED_NUMBERS)
    assert framework_import(path=written_package(tmp_path, "signed.json", source), format="case").ok

    exported = published_package(api_client, source["CFDocument"]["identifier"])

    assert_valid_package(package_validator, exported)
    assert {_association(a) for a in exported["CFAssociations"]} == {
        _association(a) for a in source["CFAssociations"]
    }
    for cycle in range(2):
        path = written_package(tmp_path, f"exported-{cycle}.json", exported)
        again = framework_import(path=path, format="case")
        assert again.ok, again.error
        counts = again.as_dict()["counts"]
        assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 6, "conflict": 0}
        exported = published_package(api_client, source["CFDocument"]["identifier"])
    moved = Ability.objects.get(code="A")
    moved.order = 40
    moved.save()
    edges = published_package(api_client, source["CFDocument"]["identifier"])["CFAssociations"]
    (edge,) = [a for a in edges if a["originNodeURI"]["identifier"] == str(moved.identifier)]
    assert edge["sequenceNumber"] == 40


LICENSE = {
    "title": "CC BY 4.0",
    "identifier": "a1c3e7f0-0000-4000-8000-00000000000c",
    "uri": "https://publisher.example.org/CFLicenses/a1c3e7f0-0000-4000-8000-00000000000c",
}
SUBJECT = {
    "title": "Math",
    "identifier": "d41fb0f6-b390-11e7-9a98-233b080813ce",
    "uri": "https://publisher.example.org/CFSubjects/d41fb0f6-b390-11e7-9a98-233b080813ce",
}
CONCEPT = {
    "title": "Ratios",
    "identifier": "a1c3e7f0-0000-4000-8000-0000000000c0",
    "uri": "https://publisher.example.org/CFConcepts/a1c3e7f0-0000-4000-8000-0000000000c0",
}


def _licensed_package() -> dict:
    """A publisher's package with a licence, status dates, subjects and a concept, in the
    document, an item and the definitions, as CASE 1.1 writes them (and one subject without
    its lastChangeDateTime, as the Common Core sample gives it)."""
    document = "a1c3e7f0-0000-4000-8000-000000000001"
    item = "a1c3e7f0-0000-4000-8000-000000000002"
    return {
        "CFDocument": {
            "identifier": document,
            "uri": f"https://publisher.example.org/CFDocuments/{document}",
            "creator": "State Board",
            "title": "Licensed framework",
            "subject": ["Math"],
            "subjectURI": [SUBJECT],
            "licenseURI": LICENSE,
            "statusStartDate": "2017-09-01",
            "statusEndDate": "2030-06-30",
        },
        "CFItems": [
            {
                "identifier": item,
                "uri": f"https://publisher.example.org/CFItems/{item}",
                "fullStatement": "Use ratio reasoning.",
                "humanCodingScheme": "6.RP",
                "conceptKeywords": ["ratio"],
                "conceptKeywordsURI": CONCEPT,
                "licenseURI": LICENSE,
                "statusStartDate": "2018-01-01",
                "statusEndDate": "not a date",
                "subjectURI": [SUBJECT],
            }
        ],
        "CFAssociations": [],
        "CFDefinitions": {
            "CFSubjects": [
                {
                    **SUBJECT,
                    "hierarchyCode": "1",
                    "lastChangeDateTime": "2017-10-17T23:13:47+00:00",
                },
                {
                    "title": "English",
                    "identifier": "a1c3e7f0-0000-4000-8000-0000000000e0",
                    "uri": "https://publisher.example.org/CFSubjects/english",
                    "hierarchyCode": "2",
                },
            ],
            "CFLicenses": [
                {
                    **LICENSE,
                    "description": "Attribution",
                    "licenseText": "You may share and adapt, giving credit.",
                    "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
                }
            ],
            "CFConcepts": [
                {
                    **CONCEPT,
                    "keywords": "ratio",
                    "hierarchyCode": "RP",
                    "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
                }
            ],
            "CFItemTypes": [],
            "CFAssociationGroupings": [],
        },
    }


def _licence_and_subjects(package: dict) -> dict:
    document, (item,) = package["CFDocument"], package["CFItems"]
    definitions = package["CFDefinitions"]
    return {
        "document": {
            key: document.get(key)
            for key in ("licenseURI", "statusStartDate", "statusEndDate", "subjectURI")
        },
        "item": {
            key: item.get(key)
            for key in (
                "licenseURI",
                "statusStartDate",
                "statusEndDate",
                "conceptKeywordsURI",
                "subjectURI",
            )
        },
        "subjects": {s["identifier"]: (s["title"], s["uri"]) for s in definitions["CFSubjects"]},
        "licenses": [(x["identifier"], x["licenseText"]) for x in definitions["CFLicenses"]],
        "concepts": [(c["identifier"], c.get("keywords")) for c in definitions["CFConcepts"]],
    }


@pytest.mark.django_db
def test_a_packages_licence_status_dates_subjects_and_concepts_are_published_again(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """What a publisher's package says of its licence, the dates of its status, its subjects
    and concepts (in the document, the items and CFDefinitions) is published again, valid,
    so that the package read from this site, imported anywhere (here too, in place or into a
    fresh database), still carries it; a date that is no date is left out."""
    source = _licensed_package()
    document = source["CFDocument"]["identifier"]
    assert framework_import(
        path=written_package(tmp_path, "licensed.json", source), format="case"
    ).ok

    exported = published_package(api_client, document)

    assert_valid_package(package_validator, exported)
    published = _licence_and_subjects(exported)
    assert published["document"] == {
        "licenseURI": LICENSE,
        "statusStartDate": "2017-09-01",
        "statusEndDate": "2030-06-30",
        "subjectURI": [SUBJECT],
    }
    assert published["item"] == {
        "licenseURI": LICENSE,
        "statusStartDate": "2018-01-01",
        "statusEndDate": None,
        "conceptKeywordsURI": CONCEPT,
        "subjectURI": [SUBJECT],
    }
    assert published["subjects"] == {
        SUBJECT["identifier"]: ("Math", SUBJECT["uri"]),
        "a1c3e7f0-0000-4000-8000-0000000000e0": (
            "English",
            "https://publisher.example.org/CFSubjects/english",
        ),
    }
    assert published["licenses"] == [
        (LICENSE["identifier"], "You may share and adapt, giving credit.")
    ]
    assert published["concepts"] == [(CONCEPT["identifier"], "ratio")]
    item = api_client.get(f"{ROOT}CFItems/{source['CFItems'][0]['identifier']}").json()
    assert item["licenseURI"] == LICENSE
    assert item["conceptKeywordsURI"] == CONCEPT
    assert api_client.get(f"{ROOT}CFDocuments/{document}").json()["licenseURI"] == LICENSE

    in_place = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert in_place.as_dict()["counts"]["framework"]["unchanged"] == 1
    assert in_place.as_dict()["counts"]["ability"]["unchanged"] == 1
    Framework.objects.all().delete()
    fresh = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    assert fresh.ok, fresh.error
    again = published_package(api_client, document)
    assert_valid_package(package_validator, again)
    assert _licence_and_subjects(again) == published


@pytest.mark.django_db
def test_items_sharing_a_human_coding_scheme_keep_which_one_holds_it_on_a_round_trip(
    api_client, tmp_path
):
    """Smarter Balanced gives several siblings (same sequenceNumber too) one humanCodingScheme:
    the first item in the file holds it as its code. The package this site publishes lists the
    holder first; handed back with the others first (as a tool that sorts items by code may),
    every item is matched by its identifier before the codes are shared out, so none takes
    another's code."""
    document = "6b1d1c3e-f08c-11e7-a604-000000000001"
    root = "6b1d1c3e-f08c-11e7-a604-000000000002"
    shared = ["6b1d1c3e-f08c-11e7-a604-0000000000a1", "6b1d1c3e-f08c-11e7-a604-0000000000a2"]

    def edge(n, child, parent, title):
        return {
            "identifier": f"6b1d1c3e-f08c-11e7-a604-0000000000e{n}",
            "associationType": "isChildOf",
            "sequenceNumber": 1,
            "originNodeURI": {
                "identifier": child,
                "uri": f"https://p.example.org/{child}",
                "title": "x",
            },
            "destinationNodeURI": {
                "identifier": parent,
                "uri": f"https://p.example.org/{parent}",
                "title": title,
            },
        }

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
            edge(0, root, document, "ELA Grade 3"),
            *(edge(n + 1, i, root, "C2") for n, i in enumerate(shared)),
        ],
    }
    assert framework_import(path=written_package(tmp_path, "ela.json", package), format="case").ok
    holder = Ability.objects.get(code="T1a").identifier
    assert str(holder) == shared[0]
    exported = published_package(api_client, document)
    listed = [i["identifier"] for i in exported["CFItems"] if i["identifier"] in shared]
    assert listed == shared
    exported["CFItems"].reverse()  # the one without a code first

    for name, source in (("exported.json", exported), ("ela-again.json", package)):
        again = framework_import(path=written_package(tmp_path, name, source), format="case")

        assert again.ok, again.error
        assert again.as_dict()["counts"]["ability"]["unchanged"] == 3, name
        assert Ability.objects.get(code="T1a").identifier == holder, name


@pytest.mark.django_db
def test_a_sequence_number_beyond_64_bits_is_read_as_none_rather_than_breaking_the_package(
    api_client, tmp_path
):
    """No JSON encoder here writes an integer beyond 64 bits: such a sequenceNumber orders
    nothing (the item keeps its place in the file) and is not published, so the package can
    still be served."""
    from positions.tests.test_import_case import _sequenced_package

    source = _sequenced_package({"A": 1, "B": 2**70})
    report = framework_import(path=written_package(tmp_path, "beyond.json", source), format="case")
    assert report.ok, report.error

    edges = published_package(api_client, source["CFDocument"]["identifier"])["CFAssociations"]

    assert {a["originNodeURI"]["title"]: a.get("sequenceNumber") for a in edges} == {
        "R": -7,
        "A": 1,
        "B": None,
    }


@pytest.mark.django_db
def test_an_integer_beyond_64_bits_in_a_publishers_extensions_is_published_as_written(
    api_client, tmp_path
):
    """Extensions are the publisher's own JSON, kept as read: an integer there beyond 64 bits
    (which orjson cannot write) made every answer holding the item a 500."""
    from positions.tests.test_import_case import _sequenced_package

    source = _sequenced_package({"A": 1})
    source["CFItems"][1]["extensions"] = {"catalogueNumber": 2**70}
    report = framework_import(path=written_package(tmp_path, "big.json", source), format="case")
    assert report.ok, report.error

    items = published_package(api_client, source["CFDocument"]["identifier"])["CFItems"]

    assert {i["humanCodingScheme"]: i.get("extensions") for i in items}["A"] == {
        "catalogueNumber": 2**70
    }
    item = api_client.get(f"{ROOT}CFItems/{source['CFItems'][1]['identifier']}")
    assert item.status_code == 200
    assert item.json()["extensions"] == {"catalogueNumber": 2**70}
