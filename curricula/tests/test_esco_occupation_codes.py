"""Two ESCO occupations of one ISCO group are two positions, never one code between them:
observed, the ESCO importer gave an occupation its ISCO group (`5321`) as its position's code
when the file had no `code` column (an older download, or one cut down by hand, as the test
fixtures are), so a healthcare assistant and a maternity support worker both became position
`5321`; the requirement import, which finds a position by its code first, then refused `5321` as
naming several positions, and a requirement export of both did not import back. ESCO gives each
occupation its own code (`5321.1`, the `code` column of the v1.1 and v1.2 downloads): that is
the position's code; without it the code is left empty (the position is named by its name), and
the ISCO group is kept in the position's extra data, as before."""

import csv
import shutil
from pathlib import Path

import pytest

from curricula.services import requirement_import
from positions.importers import framework_import
from positions.models import Position, Requirement

FIXTURE = Path(__file__).parents[2] / "positions" / "tests" / "fixtures" / "esco_shared_isco_group"
HCA = "http://data.europa.eu/esco/occupation/test-occ-hca"
MSW = "http://data.europa.eu/esco/occupation/test-occ-msw"

pytestmark = pytest.mark.django_db


def _codes() -> dict[str, str]:
    return dict(Position.objects.values_list("external_id", "code"))


def test_each_occupation_takes_its_own_esco_code_not_its_isco_group():
    report = framework_import(path=FIXTURE, format="esco")

    assert report.ok, report.error
    assert _codes() == {HCA: "5321.1", MSW: "5321.2"}
    assert {p.extra["iscoGroup"] for p in Position.objects.all()} == {"5321"}


def test_a_requirement_file_names_each_occupation_by_its_code():
    assert framework_import(path=FIXTURE, format="esco").ok
    Requirement.objects.all().delete()
    skill = "http://data.europa.eu/esco/skill/test-skill-vitals"
    content = (
        "position,framework,ability,importance,min_level\n"
        f"5321.1,,{skill},essential,R\n5321.2,,{skill},optional,R\n"
    )

    report = requirement_import(content=content.encode(), file_name="requirements.csv")

    assert report.ok, report.errors
    assert set(Requirement.objects.values_list("position__external_id", "importance")) == {
        (HCA, "essential"),
        (MSW, "optional"),
    }


def _without_the_code_column(tmp_path) -> Path:
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURE, folder)
    path = folder / "occupations_en.csv"
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=[k for k in rows[0] if k != "code"])
        writer.writeheader()
        writer.writerows({k: v for k, v in row.items() if k != "code"} for row in rows)
    return folder


def test_without_the_code_column_an_occupation_has_no_code_rather_than_a_shared_one(tmp_path):
    report = framework_import(path=_without_the_code_column(tmp_path), format="esco")

    assert report.ok, report.error
    assert _codes() == {HCA: "", MSW: ""}
    assert Position.objects.count() == 2


def test_reimporting_drops_the_shared_isco_group_an_earlier_import_gave_as_code(tmp_path):
    folder = _without_the_code_column(tmp_path)
    assert framework_import(path=folder, format="esco").ok
    Position.objects.update(code="5321")  # as the earlier importer wrote them

    assert framework_import(path=folder, format="esco").ok

    assert _codes() == {HCA: "", MSW: ""}
    assert framework_import(path=FIXTURE, format="esco").ok
    assert _codes() == {HCA: "5321.1", MSW: "5321.2"}


def test_without_codes_a_requirement_file_names_each_occupation_by_its_name(tmp_path):
    assert framework_import(path=_without_the_code_column(tmp_path), format="esco").ok
    Requirement.objects.all().delete()
    skill = "http://data.europa.eu/esco/skill/test-skill-vitals"
    content = (
        "position,framework,ability,importance,min_level\n"
        f"healthcare assistant,,{skill},essential,R\nmaternity support worker,,{skill},optional,R\n"
    )

    report = requirement_import(content=content.encode(), file_name="requirements.csv")

    assert report.ok, report.errors
    assert Requirement.objects.count() == 2
