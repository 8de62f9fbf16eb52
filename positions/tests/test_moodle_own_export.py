"""A framework that did not come from Moodle (imported from CASE, made by hand), exported as
Moodle CSV, edited in a spreadsheet and imported back through the Moodle importer, is the same
framework updated in place: found by the ID number the export gave it, its abilities by theirs
(digest-suffixed ones included). Observed: every such file made a second framework."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import Provenance
from positions.importers import framework_import
from positions.importers.moodle import CURRENT_HEADERS, framework_moodle_csv, moodle_idnumbers
from positions.models import Ability, AbilityRelation, Framework, ImportJob, RelationType
from positions.tests.factories import AbilityFactory, FrameworkFactory

FIXTURES = Path(__file__).parent / "fixtures"
CASE_PACKAGE = FIXTURES / "case" / "package_1_1.json"
# The package's items (their identifiers are the ID numbers the export writes).
DOMAIN = "11111111-aaaa-4aaa-8aaa-000000000010"
ENQUIRIES = "11111111-aaaa-4aaa-8aaa-000000000012"
LISTINGS = "11111111-aaaa-4aaa-8aaa-000000000013"
CUSTOMS = "11111111-aaaa-4aaa-8aaa-000000000020"


def _export(framework: Framework, tmp_path, name: str = "export.csv") -> Path:
    path = tmp_path / name
    call_command("export_framework", framework.pk, format="moodle", output=str(path))
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _save(path: Path, rows: list[dict[str, str]]) -> Path:
    """The rows as a spreadsheet saves them again: every column, in the header's order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CURRENT_HEADERS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _import(path: Path) -> dict:
    """Through the command, as an integrator would: the JSON report it prints."""
    out = io.StringIO()
    call_command("import_framework", str(path), format="moodle", as_json=True, stdout=out)
    return json.loads(out.getvalue())


def _counts(created: int, updated: int, unchanged: int, conflict: int) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged, "conflict": conflict}


def _history_rows() -> int:
    return sum(
        model.history.model.objects.count() for model in (Framework, Ability, AbilityRelation)
    )


def _held(framework: Framework) -> dict[int, dict]:
    fields = (
        "identifier",
        "code",
        "text",
        "short_name",
        "item_type",
        "external_id",
        "order",
        "parent_id",
        "extra",
        "retired",
        "updated_at",
    )
    return {a["id"]: a for a in framework.abilities.values("id", *fields)}


@pytest.fixture
def case_framework(db) -> Framework:
    """A framework imported from a CASE package: a domain with two competencies (one preceding
    the other), a second domain matching and related to nodes elsewhere."""
    report = framework_import(path=CASE_PACKAGE, format="case")
    assert report.ok, report.error
    return Framework.objects.get()


def test_a_case_framework_exported_and_imported_back_unchanged_changes_nothing(
    case_framework, tmp_path
):
    before = (_held(case_framework), list(Framework.objects.values()), _history_rows())
    relations = list(AbilityRelation.objects.values())

    report = _import(_export(case_framework, tmp_path))

    assert report["ok"], report["error"]
    assert report["frameworks"] == [case_framework.pk]
    assert report["counts"]["framework"] == _counts(0, 0, 1, 0)
    assert report["counts"]["ability"] == _counts(0, 0, 4, 0)
    assert report["changes"]["added"]["count"] == 0
    assert report["changes"]["retired"] == 0
    assert (_held(case_framework), list(Framework.objects.values()), _history_rows()) == before
    assert list(AbilityRelation.objects.values()) == relations


@pytest.mark.parametrize(
    ("source", "format"), [("esco_v12", "esco"), ("onet", "onet"), ("opensalt_2017.json", "case")]
)
def test_an_esco_onet_or_older_case_framework_handed_back_changes_nothing(
    db, tmp_path, source, format
):
    """What those importers keep (ESCO's labels and status, O*NET's element IDs, an older CASE
    dialect's URLs) is not in a Moodle file, and not news in one either."""
    path = FIXTURES / ("case" if format == "case" else "") / source
    assert framework_import(path=path, format=format).ok
    before = [
        (_held(framework), list(Framework.objects.values()), _history_rows())
        for framework in Framework.objects.order_by("pk")
    ]

    for framework in Framework.objects.order_by("pk"):
        report = _import(_export(framework, tmp_path, f"{framework.pk}.csv"))

        assert report["frameworks"] == [framework.pk]
        assert report["counts"]["ability"]["created"] == 0
        assert report["counts"]["ability"]["updated"] == 0
    assert [
        (_held(framework), list(Framework.objects.values()), _history_rows())
        for framework in Framework.objects.order_by("pk")
    ] == before


def test_an_edited_description_and_short_name_update_the_same_abilities_in_place(
    case_framework, tmp_path
):
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    by_idnumber = {row["ID number"]: row for row in rows}
    by_idnumber[ENQUIRIES]["Description"] = "Answer customer enquiries by e-mail, chat and phone."
    by_idnumber[LISTINGS]["Short name"] = "Listings"
    enquiries = Ability.objects.get(external_id=ENQUIRIES)
    listings = Ability.objects.get(external_id=LISTINGS)

    report = _import(_save(path, rows))

    assert report["ok"], report["error"]
    assert report["counts"]["framework"]["unchanged"] == 1
    assert report["counts"]["ability"] == _counts(0, 2, 2, 0)
    assert Framework.objects.count() == 1
    enquiries.refresh_from_db()
    listings_after = Ability.objects.get(pk=listings.pk)
    assert enquiries.text == "Answer customer enquiries by e-mail, chat and phone."
    assert listings_after.short_name == "Listings"
    assert listings_after.text == listings.text
    # What the file does not carry stays: the CASE identifiers, codes, item types and extras.
    for before, after in ((enquiries, enquiries), (listings, listings_after)):
        assert after.framework_id == case_framework.pk
        assert after.external_id == before.external_id
        assert after.code in ("CBE.1.1", "CBE.1.2")
        assert after.item_type == "Competency"
    assert [item["id"] for item in report["changes"]["reworded"]["items"]] == [enquiries.pk]
    # Exported again, the edits are there and nothing else moved.
    again = _import(_export(case_framework, tmp_path, "again.csv"))
    assert again["counts"]["ability"]["unchanged"] == 4


def test_a_new_row_is_added_to_the_same_framework_under_its_parent(case_framework, tmp_path):
    """Moodle's "Parent ID number" names the parent by the ID number the export gave it."""
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    domain = Ability.objects.get(external_id=DOMAIN)
    rows.append(
        {
            **dict.fromkeys(CURRENT_HEADERS, ""),
            "Parent ID number": DOMAIN,
            "ID number": "CBE.1.3",
            "Short name": "Returns",
            "Description": "Handle returns and refunds across borders.",
        }
    )
    orders = set(case_framework.abilities.values_list("order", flat=True))

    report = _import(_save(path, rows))

    assert report["ok"], report["error"]
    assert report["frameworks"] == [case_framework.pk]
    assert report["counts"]["ability"] == _counts(1, 0, 4, 0)
    assert Framework.objects.count() == 1
    added = Ability.objects.get(external_id="CBE.1.3")
    assert added.framework_id == case_framework.pk
    assert added.parent_id == domain.pk
    assert added.text == "Handle returns and refunds across borders."
    assert added.short_name == "Returns"
    assert added.order > max(orders)  # after the abilities the framework had
    assert [item["id"] for item in report["changes"]["added"]["items"]] == [added.pk]
    # Its own export holds it by that ID number: imported back, nothing changes.
    again = _import(_export(case_framework, tmp_path, "again.csv"))
    assert again["counts"]["ability"] == _counts(0, 0, 5, 0)


def test_parents_and_cross_references_are_kept_and_a_move_is_made_in_place(
    case_framework, tmp_path
):
    domain = Ability.objects.get(external_id=DOMAIN)
    customs = Ability.objects.get(external_id=CUSTOMS)
    listings = Ability.objects.get(external_id=LISTINGS)
    enquiries = Ability.objects.get(external_id=ENQUIRIES)
    AbilityRelation.objects.create(
        framework=case_framework,
        source=listings,
        target=customs,
        relation_type=RelationType.IS_RELATED_TO,
    )
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    by_idnumber = {row["ID number"]: row for row in rows}
    assert by_idnumber[ENQUIRIES]["Parent ID number"] == DOMAIN
    assert by_idnumber[LISTINGS]["Cross-referenced competency ID numbers"] == CUSTOMS
    by_idnumber[ENQUIRIES]["Parent ID number"] = CUSTOMS
    by_idnumber[CUSTOMS]["Cross-referenced competency ID numbers"] += "," + ENQUIRIES
    relations = set(AbilityRelation.objects.values_list("pk", flat=True))

    report = _import(_save(path, rows))

    assert report["ok"], report["error"]
    enquiries.refresh_from_db()
    assert enquiries.parent_id == customs.pk
    assert Ability.objects.get(pk=listings.pk).parent_id == domain.pk
    assert [item["id"] for item in report["changes"]["moved"]["items"]] == [enquiries.pk]
    # The cross reference staff made is the one the file lists, not a second one; the new one
    # is made; the package's own relations stay.
    assert report["counts"]["relation"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "conflict": 0,
        "removed": 0,
    }
    assert relations < set(AbilityRelation.objects.values_list("pk", flat=True))
    made = AbilityRelation.objects.exclude(pk__in=relations).get()
    assert {made.source_id, made.target_id} == {customs.pk, enquiries.pk}
    assert made.relation_type == RelationType.IS_RELATED_TO


def test_a_row_left_out_retires_its_ability_as_for_a_moodle_framework(case_framework, tmp_path):
    """As a Moodle framework's new version: an ability the file no longer lists is retired
    (kept, for what links to it), never deleted; listed again, it is back."""
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    listings = Ability.objects.get(external_id=LISTINGS)

    report = _import(
        _save(tmp_path / "without.csv", [r for r in rows if r["ID number"] != LISTINGS])
    )

    assert report["ok"], report["error"]
    assert report["changes"]["retired"] == 1
    listings.refresh_from_db()
    assert listings.retired
    assert Framework.objects.count() == 1

    again = _import(_save(tmp_path / "with.csv", rows))

    assert again["changes"]["restored"]["count"] == 1
    assert not Ability.objects.get(pk=listings.pk).retired
    assert Ability.objects.count() == 4


def test_a_bad_row_fails_with_its_line_and_writes_nothing(case_framework, tmp_path):
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    rows[1]["Description"] = "An edit in the same file"
    rows.append(
        {
            **dict.fromkeys(CURRENT_HEADERS, ""),
            "Parent ID number": "NOWHERE",
            "ID number": "NEW",
            "Short name": "New",
        }
    )
    before = (_held(case_framework), _history_rows())

    with pytest.raises(CommandError, match=r"line 7.*NOWHERE"):
        _import(_save(path, rows))

    assert ImportJob.objects.get().report["error"]["where"] == "line 7"
    assert (_held(case_framework), _history_rows()) == before
    assert Framework.objects.count() == 1


def test_a_new_row_with_an_id_number_another_ability_holds_fails_with_its_line(
    case_framework, tmp_path
):
    """A new competency whose ID number is another's identifier here (not the one the export
    gave that one) cannot be told apart from it: refused at its line, not a database error."""
    AbilityFactory(framework=case_framework, code="X1", external_id="HELD")
    AbilityFactory(framework=case_framework, code="HELD")  # both hold "HELD": the export salts
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    assert "HELD" not in {row["ID number"] for row in rows}
    rows.append({**dict.fromkeys(CURRENT_HEADERS, ""), "ID number": "HELD", "Short name": "New"})
    # Written before the row is reached: undone with the rest.
    rows[0]["Description"] = "An edit of the framework in the same file"
    before = (_held(case_framework), list(Framework.objects.values()), _history_rows())

    report = framework_import(path=_save(path, rows), format="moodle")

    assert not report.ok
    assert report.error["where"] == f"line {len(rows) + 1}"
    assert "HELD" in report.error["message"]
    assert (_held(case_framework), list(Framework.objects.values()), _history_rows()) == before


def test_a_new_row_s_id_number_problem_is_listed_with_the_other_lines_problems(
    case_framework, tmp_path
):
    """Found while writing (another ability's identifier) or while reading (an unknown parent),
    a hand-edited export's problems are refused together, each at its line."""
    AbilityFactory(framework=case_framework, code="X1", external_id="HELD")
    AbilityFactory(framework=case_framework, code="HELD")
    path = _export(case_framework, tmp_path)
    rows = _rows(path)
    rows.append({**dict.fromkeys(CURRENT_HEADERS, ""), "ID number": "HELD", "Short name": "New"})
    rows.append(
        {
            **dict.fromkeys(CURRENT_HEADERS, ""),
            "Parent ID number": "NOWHERE",
            "ID number": "NEW",
            "Short name": "New",
        }
    )
    before = (_held(case_framework), list(Framework.objects.values()), _history_rows())

    report = framework_import(path=_save(path, rows), format="moodle")

    assert not report.ok
    problems = report.error["problems"]
    assert [p["where"] for p in problems] == [f"line {len(rows)}", f"line {len(rows) + 1}"]
    assert "HELD" in problems[0]["message"]
    assert "NOWHERE" in problems[1]["message"]
    assert (_held(case_framework), list(Framework.objects.values()), _history_rows()) == before


@pytest.fixture
def made_by_hand(db) -> Framework:
    """A framework staff made here: no external ID, abilities known by their codes, one under
    another."""
    framework = FrameworkFactory(name="Hand-made", description="Made here")
    parent = AbilityFactory(framework=framework, code="H1", text="Plan a campaign", order=1)
    AbilityFactory(framework=framework, code="H1.1", text="Budget it", parent=parent, order=2)
    AbilityFactory(framework=framework, code="H2", text="Report on it", order=3)
    return framework


def test_a_hand_made_framework_imported_back_is_the_same_one(made_by_hand, tmp_path):
    """Staff's records are never overwritten by an import: an edit in the file of an ability
    staff made is reported as a conflict (the staff value kept), as any import's is; a new row
    joins the same framework."""
    path = _export(made_by_hand, tmp_path)
    rows = _rows(path)
    assert rows[0]["ID number"] == str(made_by_hand.identifier)
    before = (_held(made_by_hand), list(Framework.objects.values()), _history_rows())

    unchanged = _import(path)

    assert unchanged["counts"]["framework"]["unchanged"] == 1
    assert unchanged["counts"]["ability"]["unchanged"] == 3
    assert (_held(made_by_hand), list(Framework.objects.values()), _history_rows()) == before

    rows[2]["Description"] = "Budget it and keep to it"
    rows.append(
        {
            **dict.fromkeys(CURRENT_HEADERS, ""),
            "Parent ID number": "H1",
            "ID number": "H1.2",
            "Short name": "Staff it",
            "Description": "Staff it",
        }
    )

    edited = _import(_save(tmp_path / "edited.csv", rows))

    assert edited["ok"], edited["error"]
    assert Framework.objects.count() == 1
    assert edited["counts"]["ability"] == _counts(1, 0, 2, 1)
    assert edited["conflicts"][0]["where"] == "line 4"
    assert Ability.objects.get(code="H1.1").text == "Budget it"
    added = Ability.objects.get(code="H1.2")
    assert added.framework_id == made_by_hand.pk
    assert added.parent == Ability.objects.get(code="H1")


def test_salted_and_long_id_numbers_find_the_same_abilities(db, tmp_path):
    """ID numbers the export had to make: a digest of an external ID past Moodle's 100
    characters, and a salted one where two abilities would have had the same."""
    base = "https://standards.example.org/frameworks/digital-competence/2024/areas/information/"
    first, second = base + "competences/browse/level-1", base + "competences/browse/level-2"
    assert len(first) > 100
    assert first[:100] == second[:100]
    framework = FrameworkFactory(external_id=base + "framework/" + "x" * 40)
    imported = {"framework": framework, "provenance": Provenance.IMPORT}
    long_first = AbilityFactory(**imported, external_id=first, text="Browse")
    long_second = AbilityFactory(**imported, external_id=second, text="Filter", parent=long_first)
    held = AbilityFactory(**imported, code="A1", external_id="SAME", text="One")
    coded = AbilityFactory(**imported, code="SAME", text="Two")
    written = moodle_idnumbers([long_first, long_second, held, coded])
    assert len({*written.values()}) == 4
    assert all(len(idnumber) <= 100 for idnumber in written.values())
    assert written[held.pk] != "SAME"

    path = tmp_path / "export.csv"
    path.write_text(framework_moodle_csv(framework=framework), encoding="utf-8")
    rows = _rows(path)
    assert len(rows[0]["ID number"]) == 100
    for row in rows[1:]:
        row["Description"] += " (edited)"
    before = _history_rows()

    unchanged = framework_import(path=path, format="moodle")

    assert unchanged.ok, unchanged.error
    assert unchanged.as_dict()["counts"]["ability"]["unchanged"] == 4
    assert _history_rows() == before

    edited = framework_import(path=_save(tmp_path / "edited.csv", rows), format="moodle")

    assert edited.ok, edited.error
    assert edited.as_dict()["counts"]["ability"]["updated"] == 4
    assert Framework.objects.count() == 1
    assert set(Ability.objects.values_list("pk", "text")) == {
        (long_first.pk, "Browse (edited)"),
        (long_second.pk, "Filter (edited)"),
        (held.pk, "One (edited)"),
        (coded.pk, "Two (edited)"),
    }
    assert Ability.objects.get(pk=long_second.pk).parent_id == long_first.pk


def test_a_moodle_file_from_elsewhere_still_makes_its_own_framework(case_framework):
    """A framework file from another Moodle site names none of ours: as before, a Moodle
    framework of its own, keyed by its own ID numbers."""
    report = framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle")

    assert report.ok, report.error
    moodle = Framework.objects.get(source="Moodle")
    assert moodle.pk != case_framework.pk
    assert moodle.external_id == "CBE-FW"
    assert moodle.abilities.count() == 5
    assert case_framework.abilities.count() == 4


def test_the_export_of_a_case_framework_read_into_an_empty_database_is_a_moodle_framework(
    case_framework, tmp_path
):
    text = framework_moodle_csv(framework=case_framework)
    Framework.objects.all().delete()
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    framework = Framework.objects.get()
    assert framework.source == "Moodle"
    assert Ability.objects.get(external_id=ENQUIRIES).parent.external_id == DOMAIN


def test_an_id_number_two_frameworks_here_answer_to_is_refused_rather_than_guessed(
    made_by_hand, tmp_path
):
    """Frameworks' external IDs need not be unique: a file whose framework ID number is that of
    two of them cannot say which it updates, and makes neither a third."""
    Framework.objects.filter(pk=made_by_hand.pk).update(external_id="CAMPAIGNS")
    FrameworkFactory(name="Another", external_id="CAMPAIGNS")
    path = _export(Framework.objects.get(pk=made_by_hand.pk), tmp_path)
    before = (_held(made_by_hand), list(Framework.objects.values()), _history_rows())

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 2"
    assert "CAMPAIGNS" in report.error["message"]
    assert (_held(made_by_hand), list(Framework.objects.values()), _history_rows()) == before


def test_a_pair_held_by_several_relations_keeps_them_all_when_handed_back(case_framework, tmp_path):
    """Observed on the Smarter Balanced claim 2 CASE package: 12 isRelatedTo associations
    between its items, 4 of them a second association of a pair another holds (two identifiers,
    the same ends). Moodle's cross references are one per pair, so the export lists the pair
    once; handed back unchanged, the import removed the 4 (12 became 8, and the CASE package
    served after lacked them). So too a pair related both ways."""
    listings = Ability.objects.get(external_id=LISTINGS)
    customs = Ability.objects.get(external_id=CUSTOMS)
    enquiries = Ability.objects.get(external_id=ENQUIRIES)
    # The pair listings-customs related twice the same way, customs-enquiries both ways.
    twice = [(listings, customs), (listings, customs)]
    both_ways = [(customs, enquiries), (enquiries, customs)]
    for source, target in twice + both_ways:
        AbilityRelation.objects.create(
            framework=case_framework,
            source=source,
            target=target,
            relation_type=RelationType.IS_RELATED_TO,
            provenance=Provenance.IMPORT,
        )
    relations = list(AbilityRelation.objects.order_by("pk").values())

    report = _import(_export(case_framework, tmp_path))

    assert report["ok"], report["error"]
    assert report["counts"]["relation"]["removed"] == 0
    assert list(AbilityRelation.objects.order_by("pk").values()) == relations
    # A pair the file no longer lists loses every relation it held; the other pair stays.
    path = _export(case_framework, tmp_path, "dropped.csv")
    rows = _rows(path)
    for row in rows:
        if row["ID number"] == LISTINGS:
            row["Cross-referenced competency ID numbers"] = ""
        if row["ID number"] == CUSTOMS:
            row["Cross-referenced competency ID numbers"] = ENQUIRIES
    dropped = _import(_save(path, rows))
    assert dropped["ok"], dropped["error"]
    assert dropped["counts"]["relation"]["removed"] == 2
    ends = (listings, customs, enquiries)
    assert sorted(
        AbilityRelation.objects.filter(
            source__in=ends, target__in=ends, relation_type=RelationType.IS_RELATED_TO
        ).values_list("source__external_id", "target__external_id")
    ) == sorted([(CUSTOMS, ENQUIRIES), (ENQUIRIES, CUSTOMS)])
