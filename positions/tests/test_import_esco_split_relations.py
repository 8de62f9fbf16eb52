"""ESCO v1.0 and v1.1 as ESCO publishes them: each language's concepts in one download
(occupations_en.csv, skills_en.csv) and the occupation-skill relations, the same for every
language, in another (occupationSkillRelations.csv, no language in its name). The official
v1.1.1 relations list 67 relations of an occupation its occupations_en.csv does not have
(fixtures/esco_v111_split, real rows of both downloads)."""

import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Importance, Position, Requirement

FIXTURES = Path(__file__).parent / "fixtures"
DIRECTOR = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
ABSENT = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"


@pytest.mark.django_db
def test_esco_relations_published_apart_skip_concepts_the_language_files_lack():
    """ESCO's own v1.1.1 download was refused whole ("occupation … is not in the occupations
    file (unknown reference)", 67 times), so no site could import it. The language-independent
    relations file is published apart from the language's concepts: its rows naming a concept
    the language's files lack are skipped and reported, each at its line, and the others
    imported."""
    report = framework_import(path=FIXTURES / "esco_v111_split", format="esco")

    assert report.ok, report.error
    director = Position.objects.get(external_id=DIRECTOR)
    assert director.name == "technical director"
    assert set(
        Requirement.objects.filter(position=director).values_list("ability__text", "importance")
    ) == {
        ("theatre techniques", Importance.ESSENTIAL),
        ("organise rehearsals", Importance.ESSENTIAL),
    }
    assert not Position.objects.filter(external_id=ABSENT).exists()
    skipped = report.as_dict()["skipped"]
    assert [item["where"] for item in skipped] == [
        "occupationSkillRelations.csv line 4",
        "occupationSkillRelations.csv line 5",
    ], skipped
    assert ABSENT in skipped[0]["reason"]


@pytest.mark.django_db
def test_esco_relations_of_a_language_s_own_download_still_refuse_an_unknown_concept(tmp_path):
    """A relations file named for its language (v1.2's occupationSkillRelations_en.csv) comes
    in one download with the concepts it names: an unknown concept there is a broken file, and
    the import is refused as before, nothing written."""
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v111_split", folder)
    (folder / "occupationSkillRelations.csv").rename(folder / "occupationSkillRelations_en.csv")

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    assert "unknown reference" in report.error["message"] + str(report.error.get("problems"))
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_esco_new_version_adding_a_skill_updates_only_the_skills_it_changed(tmp_path):
    """ESCO lists its skills by URI, so a release adding skills moves every skill after them
    down the file. From v1.1.0 to v1.1.1 (five skills added, 944 changed) the import reported
    10,512 abilities updated, wrote each one's history and announced each one changed, for
    their place in the file alone. A skill's place in ESCO's file is no news; a new skill's is
    its order."""
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v111_split", folder)
    assert framework_import(path=folder, format="esco").ok
    skills = folder / "skills_en.csv"
    header, *rows = skills.read_text(encoding="utf-8").split("\nKnowledgeSkillCompetence,")
    added = (
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/0000aaaa-0000-4000-8000-"
        "000000000001,skill/competence,sector-specific,stage rehearsals,,,released,,,,,"
        "Stage the rehearsals of a performance."
    )
    skills.write_text(
        "\n".join([header, added, *("KnowledgeSkillCompetence," + row for row in rows)]),
        encoding="utf-8",
    )

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    counts = report.as_dict()["counts"]["ability"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (1, 0, 3), counts


@pytest.mark.django_db
def test_esco_language_download_without_the_relations_says_where_they_are(tmp_path):
    """ESCO v1.1.1's English zip holds no relations file: they come in ESCO's download without
    a language. Given that zip, the refusal asked for "ESCO's CSV download (a zip or a folder),
    in any of its languages", which is what it had been given; it now says where the relations
    are and what to give."""
    folder = tmp_path / "ESCO dataset - v1.1.1 - classification - en - csv"
    shutil.copytree(FIXTURES / "esco_v111_split", folder)
    (folder / "occupationSkillRelations.csv").unlink()

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    message = report.error["message"]
    assert "occupationSkillRelations.csv" in message, message
    assert "without a language" in message, message
    assert not Position.objects.exists()
