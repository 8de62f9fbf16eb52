"""Moodle competency framework CSV: both layouts, forward references, cross references, export."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from positions.importers import framework_import
from positions.importers.moodle import CURRENT_HEADERS, framework_moodle_csv
from positions.models import Ability, AbilityRelation, Framework, RelationType

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"


@pytest.mark.django_db
def test_moodle_current_layout_with_parents_after_children():
    report = framework_import(path=FIXTURES / "current.csv", format="moodle")

    assert report.ok, report.error
    assert report.details["header"] == "current (14 columns)"
    framework = Framework.objects.get()
    assert framework.external_id == "CBE-FW"
    assert framework.extra["moodle"]["scalevalues"] == "Not yet competent,Competent"
    assert framework.extra["moodle"]["taxonomies"] == "domain,competency"
    child = Ability.objects.get(code="CBE.1.1")
    assert child.parent.code == "CBE.1"
    assert child.item_type == "competency"
    assert child.parent.item_type == "domain"
    assert Ability.objects.get(code="CBE.1").extra["moodle"]["ruletype"] == (
        "core_competency\\competency_rule_all"
    )
    # No description: the short name stands in, and the export knows to leave it empty.
    compliance = Ability.objects.get(code="CBE.2")
    assert compliance.text == "Compliance"
    assert compliance.extra["moodle"]["no_description"] is True


@pytest.mark.django_db
def test_moodle_cross_references_become_one_is_related_to_per_pair():
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    pairs = {
        frozenset((r.source.code, r.target.code))
        for r in AbilityRelation.objects.filter(relation_type=RelationType.IS_RELATED_TO)
    }
    assert pairs == {frozenset(("CBE.1.1", "CBE.2.1")), frozenset(("CBE.1.2", "CBE.2.1"))}
    assert AbilityRelation.objects.count() == 2


@pytest.mark.django_db
def test_moodle_older_12_column_layout():
    report = framework_import(path=FIXTURES / "older.csv", format="moodle")

    assert report.ok, report.error
    assert report.details["header"] == "older (12 columns)"
    assert Ability.objects.get(code="T.1.1").parent.code == "T.1"
    # Older files give the taxonomy as a JSON object by level.
    assert Ability.objects.get(code="T.1").item_type == "domain"


@pytest.mark.django_db
def test_moodle_unknown_parent_fails_with_line_and_writes_nothing():
    report = framework_import(path=FIXTURES / "unknown_parent.csv", format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    assert "MISSING" in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_moodle_file_without_framework_row_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(",".join(f'"{h}"' for h in CURRENT_HEADERS) + "\n,A,A,,1,,,,0,null,,1,,\n")

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert "framework row" in report.error["message"]


@pytest.mark.django_db
def test_moodle_export_round_trip_changes_nothing(tmp_path):
    framework_import(path=FIXTURES / "current.csv", format="moodle")
    framework = Framework.objects.get()
    exported = tmp_path / "export.csv"
    call_command("export_framework", framework.pk, format="moodle", output=str(exported))

    text = exported.read_text()
    assert text.splitlines()[0].split(",")[:2] == ["Parent ID number", "ID number"]
    assert len(text.splitlines()[0].split(",")) == 14
    again = framework_import(path=exported, format="moodle")

    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 5, "conflict": 0}
    assert counts["relation"]["unchanged"] == 2
    assert counts["framework"]["unchanged"] == 1


@pytest.mark.django_db
def test_moodle_export_of_older_file_is_current_layout_with_cross_references(tmp_path):
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    rows = framework_moodle_csv(framework=Framework.objects.get()).splitlines()

    header, framework_row = rows[0], rows[1]
    assert header.startswith("Parent ID number,ID number,Short name")
    assert framework_row.split(",")[1] == "CBE-FW"
    customs = next(r for r in rows if r.startswith("CBE.2,CBE.2.1"))
    assert '"CBE.1.1,CBE.1.2"' in customs


def _moodle_rows(path, rows: list[tuple[str, str]]) -> None:
    lines = [",".join(f'"{h}"' for h in CURRENT_HEADERS), ",FW,Framework,,1,,,,,,,,1,domain"]
    lines += [f"{parent},{idnumber},{idnumber},,1,,,,0,null,,,," for parent, idnumber in rows]
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.django_db
def test_moodle_parent_chain_thousands_deep_imports_with_every_depth(tmp_path):
    """A chain as deep as the file is long (issue #15: depth checks were quadratic in it)."""
    deep = 2000
    path = tmp_path / "chain.csv"
    # Children first, so every parent is a forward reference.
    _moodle_rows(path, [(f"c{i - 1}" if i else "", f"c{i}") for i in reversed(range(deep))])

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert report.counts["ability"]["created"] == deep
    leaf = Ability.objects.get(code=f"c{deep - 1}")
    assert leaf.parent.code == f"c{deep - 2}"
    # One history row per ability, saying where it was created.
    assert leaf.history.get().parent_id == leaf.parent_id
    assert Ability.objects.filter(parent__isnull=True).get().code == "c0"
    # The framework's taxonomy names only the first level; deeper ones have none.
    assert Ability.objects.get(code="c0").item_type == "domain"
    assert leaf.item_type == ""


def test_tree_depths_look_each_parent_up_once_per_node():
    """Linear: a 5,000-deep chain, whatever the order, costs one parent lookup per node, where
    walking every node to its root cost n²/2 (the Moodle and CASE checks both use it)."""
    from positions.importers.base import tree_depths

    class Counting(dict):
        lookups = 0

        def get(self, key, default=None):
            Counting.lookups += 1
            return super().get(key, default)

    n = 5000
    parents = Counting({f"c{i}": (f"c{i - 1}" if i else None) for i in reversed(range(n))})

    depths = tree_depths(parents, cycle=ValueError)

    assert depths["c0"] == 1
    assert depths[f"c{n - 1}"] == n
    assert Counting.lookups <= 2 * n


@pytest.mark.django_db
def test_moodle_cycle_deep_in_a_chain_is_refused_with_its_line(tmp_path):
    path = tmp_path / "cycle.csv"
    rows = [(f"c{i - 1}" if i else "c999", f"c{i}") for i in range(1000)]
    _moodle_rows(path, rows)

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert "cycle" in report.error["message"]
    assert report.error["where"].startswith("line ")
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_moodle_flat_file_writes_each_ability_once(tmp_path):
    """Rows without parents are not written a second time to set an empty parent (half of a
    flat file's import time went there), so each has one history row."""
    path = tmp_path / "flat.csv"
    _moodle_rows(path, [("", f"f{i}") for i in range(50)])

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert Ability.history.count() == 50


def _edited(tmp_path, name: str, edit) -> Path:
    """current.csv with `edit` applied to its lines."""
    path = tmp_path / name
    lines = (FIXTURES / "current.csv").read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    return path


@pytest.mark.django_db
def test_moodle_export_leaves_out_competencies_the_latest_import_dropped(tmp_path):
    """A new version of the framework no longer lists CBE.1.2: it is retired, and the export
    (which an LMS imports as the framework) listed it still, as a live competency with its
    cross reference."""
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    def drop_product_listings(lines):
        kept = [line for line in lines if not line.startswith("CBE.1,CBE.1.2,")]
        return [line.replace('"CBE.1.1,CBE.1.2"', "CBE.1.1") for line in kept]

    report = framework_import(
        path=_edited(tmp_path, "v2.csv", drop_product_listings), format="moodle"
    )
    assert report.ok, report.error
    assert Ability.objects.get(code="CBE.1.2").retired

    rows = framework_moodle_csv(framework=Framework.objects.get()).splitlines()

    assert not any(",CBE.1.2," in row for row in rows)
    customs = next(r for r in rows if r.startswith("CBE.2,CBE.2.1"))
    assert customs.split(",")[10] == "CBE.1.1"


@pytest.mark.django_db
def test_moodle_cross_references_a_new_version_drops_are_removed(tmp_path):
    """A new version no longer cross-references CBE.1.1 and CBE.2.1: the relation stayed, so
    the export wrote the cross reference again and coverage kept reading it."""
    framework_import(path=FIXTURES / "current.csv", format="moodle")
    assert AbilityRelation.objects.count() == 2

    def drop_cross_reference(lines):
        lines = [line.replace(',"CBE.2.1",11,', ",,11,") for line in lines]
        return [line.replace('"CBE.1.1,CBE.1.2"', "CBE.1.2") for line in lines]

    report = framework_import(
        path=_edited(tmp_path, "v2.csv", drop_cross_reference), format="moodle"
    )

    assert report.ok, report.error
    assert report.as_dict()["counts"]["relation"]["removed"] == 1
    assert list(
        AbilityRelation.objects.values_list("source__code", "target__code", "relation_type")
    ) == [("CBE.1.2", "CBE.2.1", RelationType.IS_RELATED_TO)]


@pytest.mark.django_db
def test_moodle_file_in_the_older_layout_keeps_the_cross_references_it_cannot_name(tmp_path):
    """The older 12-column layout has no cross-reference column: a framework imported again
    from such a file says nothing of its cross references, and must not lose them."""
    framework_import(path=FIXTURES / "current.csv", format="moodle")
    older = tmp_path / "older.csv"
    with open(FIXTURES / "current.csv", newline="") as source, open(older, "w", newline="") as out:
        csv.writer(out).writerows(row[:10] + row[12:] for row in csv.reader(source))

    report = framework_import(path=older, format="moodle")

    assert report.ok, report.error
    assert report.details["header"] == "older (12 columns)"
    assert AbilityRelation.objects.count() == 2


POINTS_RULE = (
    '{"base":{"points":2},"competencies":[{"id":502,"points":1,"required":1},'
    '{"id":503,"points":1,"required":0}]}'
)


def _points_rule_file(tmp_path) -> Path:
    rows = [
        CURRENT_HEADERS,
        [
            "",
            "FW",
            "Framework",
            "",
            "1",
            "No,Yes",
            '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]',
            "",
            "",
            "",
            "",
            "",
            "1",
            "",
        ],
        [
            "",
            "A",
            "Top",
            "",
            "1",
            "",
            "",
            "core_competency\\competency_rule_points",
            "1",
            POINTS_RULE,
            "",
            "501",
            "",
            "",
        ],
        ["A", "B", "First", "", "1", "", "", "", "0", "null", "", "502", "", ""],
        ["A", "C", "Second", "", "1", "", "", "", "0", "null", "", "503", "", ""],
    ]
    path = tmp_path / "points.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.django_db
def test_moodle_points_rule_names_the_competencies_by_the_ids_the_export_gives_them(tmp_path):
    """A points rule names its competencies by Exported ID, which Moodle's importer maps
    through the file's Exported ID column (migrate_config throws on an id no row has). The
    export wrote our own ids in that column and the source site's ids in the rule, so Moodle
    refused the whole file; the rule now names the ids the export writes."""
    assert framework_import(path=_points_rule_file(tmp_path), format="moodle").ok

    exported = list(
        csv.DictReader(io.StringIO(framework_moodle_csv(framework=Framework.objects.get())))
    )

    by_export_id = {row["Exported ID (optional)"]: row["ID number"] for row in exported}
    top = next(row for row in exported if row["ID number"] == "A")
    rule = json.loads(top["Rule config (optional)"])
    assert [
        (by_export_id[str(c["id"])], c["points"], c["required"]) for c in rule["competencies"]
    ] == [
        ("B", 1, 1),
        ("C", 1, 0),
    ]
    assert rule["base"] == {"points": 2}
    assert top["Rule type (optional)"] == "core_competency\\competency_rule_points"


@pytest.mark.django_db
def test_moodle_points_rule_export_imported_back_in_place_is_unchanged(tmp_path):
    assert framework_import(path=_points_rule_file(tmp_path), format="moodle").ok
    exported = tmp_path / "export.csv"
    exported.write_text(framework_moodle_csv(framework=Framework.objects.get()))

    again = framework_import(path=exported, format="moodle")

    assert again.ok, again.error
    assert again.as_dict()["counts"]["ability"]["unchanged"] == 3


@pytest.mark.django_db
def test_moodle_points_rule_naming_an_id_no_row_has_is_kept_as_written_with_a_warning(tmp_path):
    path = _points_rule_file(tmp_path)
    path.write_text(path.read_text().replace('""id"":503', '""id"":999'))

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert report.warnings[0]["where"] == "line 3"
    assert "999" in report.warnings[0]["message"]
    top = Ability.objects.get(code="A")
    assert '"id":999' in top.extra["moodle"]["ruleconfig"]


# Moodle's taxonomies (core_competency\competency_framework::get_taxonomies_list).
MOODLE_TAXONOMIES = {
    "behaviour",
    "competency",
    "concept",
    "domain",
    "indicator",
    "level",
    "outcome",
    "practice",
    "proficiency",
    "skill",
    "value",
}


def _moodle_refusals(text: str) -> list[str]:
    """What tool_lpimportcsv (by column position) and core_competency's validation refuse in a
    file: the framework's scale (values, and a configuration naming a default and a proficient
    value, which the importer reads as a JSON list), its taxonomies (comma-separated names), and
    competencies without an ID number or short name, or with a parent no row has."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    (framework,) = [row for row in rows if row[12]]
    problems = []
    if not framework[5].strip():
        problems.append("framework without scale values")
    try:
        config = json.loads(framework[6])
    except ValueError:
        config = None
    entries = config[1:] if isinstance(config, list) and config else []
    if not (
        isinstance(config, list)
        and config
        and isinstance(config[0], dict)
        and "scaleid" in config[0]
        and all(isinstance(c, dict) for c in entries)
        and any(c.get("scaledefault") for c in entries)
        and any(c.get("proficient") for c in entries)
    ):
        problems.append(f"scale configuration {framework[6]!r}")
    problems += [
        f"taxonomy {term!r}"
        for term in framework[13].split(",")
        if term and term not in MOODLE_TAXONOMIES
    ]
    idnumbers = {row[1] for row in rows if not row[12]}
    for row in rows:
        if not row[12] and not (row[1] and row[2]):
            problems.append(f"competency without ID number or short name: {row}")
        if not row[12] and row[0] and row[0] not in idnumbers:
            problems.append(f"parent {row[0]!r} of {row[1]!r}")
    return problems


@pytest.mark.django_db
def test_moodle_export_of_an_older_file_gives_the_taxonomies_as_moodle_reads_them(tmp_path):
    """Older files give the taxonomies as a JSON object by level; Moodle's importer splits the
    cell on commas and refuses each piece that is not a taxonomy, so the export writes them as
    its own exporter does (and the import keeps them so: the round trip changes nothing)."""
    framework_import(path=FIXTURES / "older.csv", format="moodle")
    framework = Framework.objects.get()

    text = framework_moodle_csv(framework=framework)

    assert _moodle_refusals(text) == []
    assert list(csv.reader(io.StringIO(text)))[1][13] == "domain,competency"
    exported = tmp_path / "export.csv"
    exported.write_text(text)
    again = framework_import(path=exported, format="moodle")
    assert again.ok, again.error
    assert again.as_dict()["counts"]["framework"]["unchanged"] == 1


@pytest.mark.django_db
def test_moodle_export_of_a_framework_from_elsewhere_has_a_scale_moodle_accepts():
    """Moodle's importer fails on a framework row without a scale (it reads the configuration
    as a JSON list): a framework imported from CASE, ESCO or O*NET, which has none, is exported
    with Moodle's default competence scale."""
    from positions.tests.factories import AbilityFactory, FrameworkFactory

    framework = FrameworkFactory(name="Imported from CASE", extra={})
    root = AbilityFactory(framework=framework, code="A", short_name="")
    AbilityFactory(framework=framework, code="A.1", parent=root)

    text = framework_moodle_csv(framework=framework)

    assert _moodle_refusals(text) == []
    assert list(csv.reader(io.StringIO(text)))[1][5] == "Not yet competent,Competent"


@pytest.mark.django_db
def test_moodle_export_of_a_moodle_framework_keeps_its_own_scale():
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    text = framework_moodle_csv(framework=Framework.objects.get())

    assert _moodle_refusals(text) == []
    assert list(csv.reader(io.StringIO(text)))[1][5:7] == [
        "Not yet competent,Competent",
        '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},'
        '{"id":2,"scaledefault":0,"proficient":1}]',
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "deep"),
    [(2, 9, "[" * 5_000), (2, 9, '{"competencies":' * 5_000), (1, 13, '{"1":' * 5_000)],
    ids=["rule-config-array", "rule-config-object", "taxonomies"],
)
def test_a_json_cell_nested_past_the_parser_is_read_as_unreadable_json(tmp_path, row, column, deep):
    """Observed: a rule config (or an older file's taxonomies) nested deeper than Python's JSON
    parser goes failed the whole import with "the file could not be imported
    (RecursionError)", naming no line. It is unreadable JSON like any other: a rule config is
    kept as written, taxonomies are none."""
    rows = [
        CURRENT_HEADERS,
        [
            "",
            "FW",
            "Framework",
            "",
            "1",
            "No,Yes",
            '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]',
            "",
            "",
            "",
            "",
            "",
            "1",
        ],
        ["", "A", "Top", "", "1", "", "", "", "0", "null", "", "501", "", ""],
    ]
    rows[1].append("")
    rows[row][column] = deep
    path = tmp_path / "deep.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.as_dict()["error"]
    assert Ability.objects.filter(code="A").exists()


@pytest.mark.django_db
def test_a_competency_whose_parent_is_the_framework_row_is_told_to_leave_its_parent_empty(
    tmp_path,
):
    """Observed: a designer's first framework named the framework's own ID number as the parent
    of its top-level competencies, and was told that ID number "is not in the file" though its
    line 2 holds it. Moodle's file leaves a top-level competency's parent empty: say so."""
    path = tmp_path / "framework.csv"
    _moodle_rows(path, [("FW", "GA1"), ("GA1", "GA1.1")])

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 3"
    message = report.error["message"]
    assert "not in the file" not in message
    assert "FW is the framework's own ID number (line 2)" in message
    assert "leave its parent ID number empty" in message
    assert not Framework.objects.exists()


def _rule_config_file(tmp_path, rule_type: str, config: str) -> Path:
    path = _points_rule_file(tmp_path)
    rows = list(csv.reader(path.open(newline="")))
    rows[3][7], rows[3][9] = rule_type, config
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.django_db
def test_moodle_rule_config_not_json_under_a_rule_type_is_refused_with_its_line(tmp_path):
    """Observed: a rule config "GA4.2" was imported and exported back without a word. Moodle's
    importer hands it to the rule, whose validation refuses it (the import stops); here the
    file is refused naming the line, nothing written."""
    path = _rule_config_file(tmp_path, "core_competency\\competency_rule_all", "GA4.2")

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    assert "GA4.2" in report.error["message"]
    assert "JSON" in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_moodle_rule_config_not_json_without_a_rule_type_is_kept_with_a_warning(tmp_path):
    """Moodle's importer reads a rule config only under a rule type: without one it is
    ignored, so it is imported (and exported back as written), but the report says so."""
    path = _rule_config_file(tmp_path, "", "GA4.2")

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert [w["where"] for w in report.warnings] == ["line 4"]
    assert "GA4.2" in report.warnings[0]["message"]
    assert Ability.objects.get(code="B").extra["moodle"]["ruleconfig"] == "GA4.2"
