"""ESCO's CSV download in a language other than English. ESCO publishes its classification in
28 languages, each download one language's files named by its code ("skills_de.csv",
"occupations_fr.csv", "occupationSkillRelations_de.csv"), the concepts' URIs the same in every
language (the ESCO portal's download page, esco.ec.europa.eu/en/use-esco/download; the v1.2
header variant as in /work/shared/samples/esco-dev)."""

from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework, Position, Requirement

FIXTURES = Path(__file__).parent / "fixtures"
OCCUPATION = "http://data.europa.eu/esco/occupation/test-occ-1"
SKILL = "http://data.europa.eu/esco/skill/test-skill-1"


def _german(folder: Path) -> Path:
    """The esco_v12 fixture's concepts as ESCO's German download labels them."""
    folder.mkdir()
    (folder / "occupations_de.csv").write_text(
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,"
        "modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description\n"
        f'Occupation,{OCCUPATION},2431,E-Commerce-Manager/E-Commerce-Managerin,"Onlinehändler\n'
        'Onlinehändlerin",,released,2023-01-01,,,,'
        "http://data.europa.eu/esco/concept-scheme/occupations,"
        '"E-Commerce-Manager/E-Commerce-Managerinnen führen Online-Vertriebskanäle."\n',
        encoding="utf-8",
    )
    (folder / "skills_de.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,"
        "status,modifiedDate,scopeNote,definition,inScheme,description\n"
        f"KnowledgeSkillCompetence,{SKILL},skill/competence,cross-sector,Onlineshops verwalten,"
        '"Webshops betreiben",,released,2023-01-01,,,'
        "http://data.europa.eu/esco/concept-scheme/skills,"
        '"Den täglichen Betrieb eines Onlineshops führen."\n',
        encoding="utf-8",
    )
    (folder / "occupationSkillRelations_de.csv").write_text(
        "occupationUri,occupationLabel,relationType,skillType,skillUri,skillLabel\n"
        f"{OCCUPATION},E-Commerce-Manager/E-Commerce-Managerin,essential,skill/competence,"
        f"{SKILL},Onlineshops verwalten\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.django_db
def test_esco_german_download_after_the_english_one_is_refused_saying_why(tmp_path):
    """A site holding ESCO's English skills, given the German download: its abilities (one
    identifier a concept URI, whatever the language) met the English ones in the database and
    the import failed as "database error: UNIQUE constraint failed: positions_ability.identifier".
    Had it gone on, each occupation would have required every skill twice (the English ability
    and the German one) and been renamed in German. Refused before anything is read further,
    naming the framework that holds the skills and what to do."""
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok
    names = set(Position.objects.values_list("name", flat=True))
    requirements = Requirement.objects.count()

    report = framework_import(path=_german(tmp_path / "esco-de"), format="esco")

    assert not report.ok
    message = report.error["message"]
    assert "database error" not in message
    assert "ESCO skills (en)" in message
    assert report.error["where"] == "skills_de.csv"
    assert list(Framework.objects.values_list("language", flat=True)) == ["en"]
    assert set(Position.objects.values_list("name", flat=True)) == names
    assert Requirement.objects.count() == requirements


@pytest.mark.django_db
def test_esco_german_download_imports_with_its_own_characters(tmp_path):
    """ESCO's German labels (ä, ö, ü, ß, the slash of its gendered titles) come in whole."""
    report = framework_import(path=_german(tmp_path / "esco-de"), format="esco")

    assert report.ok, report.error
    skill = Ability.objects.get(external_id=SKILL)
    assert (skill.text, skill.language) == ("Onlineshops verwalten", "de")
    assert skill.framework.name == "ESCO skills (de)"
    position = Position.objects.get(external_id=OCCUPATION)
    assert position.name == "E-Commerce-Manager/E-Commerce-Managerin"
    assert position.extra["altLabels"] == ["Onlinehändler", "Onlinehändlerin"]
