"""O*NET's own release files, as the National Center for O*NET Development publishes them: each
fixture here is written in the release's real format (the columns, flags and "n/a" values of
the O*NET Data Dictionary), not in the shape of this project's other fixtures."""

from decimal import Decimal
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Importance, Requirement

# The thirteen tab-delimited columns of Knowledge.txt, Skills.txt and Abilities.txt, from
# O*NET 5.1 to 30.1 ("File Structure Changes: 6.0 - 28.1 No structure changes ... 28.3 - 30.1 No
# structure changes"; O*NET 30.1 Data Dictionary, Skills, www.onetcenter.org/dictionary/30.1/text/).
RATING_HEADER = (
    "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData Value\tN\tStandard Error\t"
    "Lower CI Bound\tUpper CI Bound\tRecommend Suppress\tNot Relevant\tDate\tDomain Source\n"
)
OCCUPATIONS = (
    "O*NET-SOC Code\tTitle\tDescription\n"
    "15-1252.00\tSoftware Developers\tResearch, design, and develop computer and network "
    "software or specialized utility programs.\n"
)


def _release(folder: Path, skills: str) -> Path:
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text(OCCUPATIONS, encoding="utf-8")
    (folder / "Skills.txt").write_text(RATING_HEADER + skills, encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_onet_a_score_o_net_recommends_suppressing_is_not_imported(tmp_path):
    """The Data Dictionary: "Recommend Suppress  Character(1)  Low precision indicator (Y=yes,
    N=no)", and Appendix 1: "Estimates with standard errors exceeding .51 are flagged for
    caution, as the upper and lower bounds of the confidence interval are more than 1 scale point
    away from the observed mean." Such a score was read as any other: a requirement made
    essential, or Mastered, on a number its publisher says not to use. A suppressed score is
    left out (the rating then stands on the other score, or on none) and the report says so."""
    folder = _release(
        tmp_path / "db_29_1_text",
        # A sound rating, as the dictionary's data example gives them (IM's Not Relevant "n/a").
        "15-1252.00\t2.A.1.a\tReading Comprehension\tIM\t4.00\t8\t0.0000\t4.0000\t4.0000\tN\tn/a"
        "\t08/2025\tAnalyst\n"
        "15-1252.00\t2.A.1.a\tReading Comprehension\tLV\t4.50\t8\t0.1890\t4.1296\t4.8704\tN\tN"
        "\t08/2025\tAnalyst\n"
        # Both scores flagged: no requirement at all.
        "15-1252.00\t2.A.2.a\tCritical Thinking\tIM\t3.62\t8\t0.5957\t2.4547\t4.7953\tY\tn/a"
        "\t08/2025\tAnalyst\n"
        "15-1252.00\t2.A.2.a\tCritical Thinking\tLV\t5.12\t8\t0.6105\t3.9234\t6.3166\tY\tN"
        "\t08/2025\tAnalyst\n"
        # Only the level flagged: importance stands, the level is the import's default.
        "15-1252.00\t2.B.3.a\tOperations Analysis\tIM\t3.25\t8\t0.1637\t2.9292\t3.5708\tN\tn/a"
        "\t08/2025\tAnalyst\n"
        "15-1252.00\t2.B.3.a\tOperations Analysis\tLV\t5.62\t8\t0.5325\t4.5763\t6.6637\tY\tN"
        "\t08/2025\tAnalyst\n",
    )

    report = framework_import(path=folder, format="onet", options={"min_level": "R"})

    assert report.ok, report.error
    reading = Requirement.objects.get(ability__code="2.A.1.a")
    assert (reading.importance_score, reading.level_score) == (Decimal("4.00"), Decimal("4.50"))
    assert not Requirement.objects.filter(ability__code="2.A.2.a").exists()
    analysis = Requirement.objects.get(ability__code="2.B.3.a")
    assert analysis.importance == Importance.ESSENTIAL
    assert (analysis.importance_score, analysis.level_score) == (Decimal("3.25"), None)
    assert analysis.min_level.code == "R"
    assert report.skipped_by_reason == {"score O*NET recommends suppressing (low precision)": 3}
    assert {item["where"] for item in report.skipped} == {
        "Skills.txt line 4",
        "Skills.txt line 5",
        "Skills.txt line 7",
    }


# The Excel release of the same database (db_28_2_excel.zip, "For documentation on the contents
# and structure of these files, please visit: https://www.onetcenter.org/dictionary/28.2/excel/",
# its Read Me.txt): one workbook a file, named as the text files are, whose rating sheets also
# carry Title and Scale Name, numbers as numbers, and an empty Not Relevant cell on an IM row
# (the text release's "n/a"), as in a released Skills.xlsx (github.com/Akshay-A-Kulkarni/
# ONET-Analytical-Nature-Prediction-and-Classification-of-occupations, Skills.xlsx).
EXCEL_RATING_HEADER = [
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Scale Name",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
]


def _workbook(path: Path, title: str, rows: list[list]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)


@pytest.mark.django_db
def test_onet_excel_release_imports_as_the_text_release_does(tmp_path):
    """An administrator given O*NET's Excel download (db_28_2_excel.zip) was told there was
    "no Occupation Data.txt in the source": the release holds Occupation Data.xlsx. It is read
    as the text release is, cell by cell."""
    import zipfile

    folder = tmp_path / "db_28_2_excel"
    folder.mkdir()
    code, dev = "15-1252.00", "Software Developers"
    # Data Value, N, Standard Error, CI bounds, Recommend Suppress, Not Relevant, Date, Source
    reading_im = [4, 8, 0, 4, 4, "N", None, "08/2023", "Analyst"]
    reading_lv = [4.62, 8, 0.18, 4.27, 4.98, "N", "N", "08/2023", "Analyst"]
    service_im = [1.25, 8, 0.16, 0.94, 1.56, "N", None, "08/2023", "Analyst"]
    service_lv = [0, 8, 0, 0, 0, "N", "Y", "08/2023", "Analyst"]
    _workbook(
        folder / "Occupation Data.xlsx",
        "Occupation Data",
        [
            ["O*NET-SOC Code", "Title", "Description"],
            ["15-1252.00", dev, "Research, design, and develop computer and network software."],
        ],
    )
    _workbook(
        folder / "Skills.xlsx",
        "Skills",
        [
            EXCEL_RATING_HEADER,
            [code, dev, "2.A.1.a", "Reading Comprehension", "IM", "Importance", *reading_im],
            [code, dev, "2.A.1.a", "Reading Comprehension", "LV", "Level", *reading_lv],
            [code, dev, "2.B.1.f", "Service Orientation", "IM", "Importance", *service_im],
            [code, dev, "2.B.1.f", "Service Orientation", "LV", "Level", *service_lv],
        ],
    )
    (folder / "Read Me.txt").write_text("O*NET 28.2 Database\n", encoding="utf-8")
    archive = tmp_path / "db_28_2_excel.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"db_28_2_excel/{file.name}")

    report = framework_import(path=archive, format="onet")

    assert report.ok, report.error
    reading = Requirement.objects.get(position__code="15-1252.00", ability__code="2.A.1.a")
    assert (reading.importance_score, reading.level_score) == (Decimal("4.00"), Decimal("4.62"))
    assert (reading.importance, reading.min_level.code) == (Importance.ESSENTIAL, "R")
    assert reading.ability.item_type == "Skill"
    assert not Requirement.objects.filter(ability__code="2.B.1.f").exists()
    assert report.skipped_by_reason == {"rating marked not relevant": 1}
    assert report.skipped[0]["where"] == "db_28_2_excel/Skills.xlsx line 4"


@pytest.mark.django_db
def test_onet_without_occupations_names_both_forms_the_release_gives_them_in(tmp_path):
    """A source without the occupations was refused naming only "Occupation Data.txt", though
    the Excel release's "Occupation Data.xlsx" is read as well: an administrator holding the
    Excel download was told to find a file it never has."""
    folder = tmp_path / "db_28_2_excel"
    folder.mkdir()
    (folder / "Skills.txt").write_text(RATING_HEADER, encoding="utf-8")

    report = framework_import(path=folder, format="onet")

    assert not report.ok
    assert "Occupation Data.txt" in report.error["message"]
    assert "Occupation Data.xlsx" in report.error["message"]
