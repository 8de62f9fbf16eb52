"""An ESCO concept's URI is checked as every `uri` is (core.models.validate_uri): the importer
stored `conceptUri` unchecked, so a file's `javascript:alert(1)` became an ability's and a
position's URI, which the API and the CASE provider (`sourceURI`) then published."""

import pytest

from positions.importers import framework_import
from positions.importers.esco import esco_csv_write
from positions.models import Ability, Position

pytestmark = pytest.mark.django_db

SKILL = "http://data.europa.eu/esco/skill/s1"
OCCUPATION = "http://data.europa.eu/esco/occupation/o1"


def _write(folder, *, occupation: str = OCCUPATION, skill: str = SKILL) -> None:
    esco_csv_write(
        folder,
        occupations=[
            {"conceptType": "Occupation", "conceptUri": occupation, "preferredLabel": "Seller"}
        ],
        skills=[
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": skill,
                "preferredLabel": "sell online",
            }
        ],
        relations=[{"occupationUri": occupation, "relationType": "essential", "skillUri": skill}],
    )


@pytest.mark.parametrize(
    ("kind", "uri"),
    [
        ("skill", "javascript:alert(1)"),
        ("occupation", "JavaScript:alert(1)"),
        ("skill", "data:text/html,<script>alert(1)</script>"),
    ],
)
def test_a_concept_uri_that_runs_script_is_refused_by_its_line(tmp_path, kind, uri):
    _write(tmp_path, **{kind: uri})

    report = framework_import(path=tmp_path, format="esco")

    assert not report.ok
    assert Ability.objects.count() == Position.objects.count() == 0
    assert "javascript:" not in {a.uri.lower() for a in Ability.objects.all()}


def test_esco_uris_are_still_taken(tmp_path):
    _write(tmp_path)

    assert framework_import(path=tmp_path, format="esco").ok

    assert Ability.objects.get().uri == SKILL
    assert Position.objects.get().uri == OCCUPATION
