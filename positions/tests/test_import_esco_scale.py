"""An ESCO-shaped trio of any size, for the batch logic here and for timing the full size by hand:

python -m positions.tests.test_import_esco_scale /tmp/esco-full   # 3,000 / 13,900 / 129,000
DATABASE_URL=postgres://... python manage.py import_framework /tmp/esco-full --format esco
"""

import random
import sys
from pathlib import Path

import pytest

OCC = "http://data.europa.eu/esco/occupation/gen-{}"
SKILL = "http://data.europa.eu/esco/skill/gen-{}"


def write_esco_trio(
    folder: Path, *, occupations: int, skills: int, relations: int, seed: int = 6
) -> None:
    """occupations_en.csv, skills_en.csv and a v1.2 occupationSkillRelations_en.csv."""
    from positions.importers.esco import esco_csv_write

    rng = random.Random(seed)
    per = max(1, relations // occupations)

    def relation_rows():
        written = 0
        for n in range(occupations):
            count = per if n < occupations - 1 else relations - written
            for s in rng.sample(range(skills), min(count, skills)):
                yield {
                    "occupationUri": OCC.format(n),
                    "occupationLabel": f"occupation {n}",
                    "relationType": "essential" if s % 2 else "optional",
                    "skillType": "skill/competence",
                    "skillUri": SKILL.format(s),
                    "skillLabel": f"skill {s}",
                }
                written += 1

    esco_csv_write(
        folder,
        occupations=(
            {
                "conceptType": "Occupation",
                "conceptUri": OCC.format(n),
                "iscoGroup": f"{2400 + n % 90}",
                "preferredLabel": f"occupation {n}",
                "altLabels": f"job {n}\nrole {n}",
                "status": "released",
                "description": f"Does the work of occupation {n}.",
            }
            for n in range(occupations)
        ),
        skills=(
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": SKILL.format(n),
                "skillType": "knowledge" if n % 3 == 0 else "skill/competence",
                "reuseLevel": "cross-sector",
                "preferredLabel": f"skill {n}",
                "altLabels": f"ability {n}",
                "status": "released",
                "description": f"Can do thing {n}.",
            }
            for n in range(skills)
        ),
        relations=relation_rows(),
    )


@pytest.mark.django_db
def test_esco_relations_streamed_in_small_batches_all_arrive(tmp_path):
    # Imported here so the file also runs as a plain script, without Django set up.
    from positions.importers import framework_import
    from positions.models import Requirement

    write_esco_trio(tmp_path, occupations=12, skills=40, relations=100)

    report = framework_import(path=tmp_path, format="esco", options={"batch_size": 7})

    assert report.ok, report.error
    assert Requirement.objects.count() == 100
    assert report.as_dict()["counts"]["requirement"]["created"] == 100
    again = framework_import(path=tmp_path, format="esco", options={"batch_size": 7})
    assert again.as_dict()["counts"]["requirement"]["unchanged"] == 100


@pytest.mark.django_db
def test_the_requirements_read_back_after_writing_are_planned_on_fresh_statistics(tmp_path):
    """Observed on PostgreSQL (make bench's growth step): an ESCO trio twice ESCO's size took
    537 s to import where ESCO's size took 20 s. The import writes every requirement and then
    reads its own back to find those a release dropped, in one transaction that autovacuum
    cannot see into: planned on the statistics of the empty tables, the read joined 252,000
    requirements to 27,800 abilities by a nested loop. The tables it reads are analysed first
    (44 s then)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from positions.importers import framework_import

    write_esco_trio(tmp_path, occupations=6, skills=20, relations=30)
    with CaptureQueriesContext(connection) as queries:
        report = framework_import(path=tmp_path, format="esco")
    assert report.ok, report.error

    statements = [q["sql"] for q in queries]
    analysed = [i for i, sql in enumerate(statements) if sql.startswith("ANALYZE")]
    if connection.vendor != "postgresql":
        assert analysed == []  # nothing to refresh: SQLite plans without such statistics
        return
    removal = next(
        i
        for i, sql in enumerate(statements)
        if 'SELECT "positions_requirement"."id" AS "pk"' in sql
        and 'JOIN "positions_ability"' in sql
    )
    before = [statements[i] for i in analysed if i < removal]
    assert any(
        '"positions_requirement"' in sql and '"positions_ability"' in sql for sql in before
    ), statements[removal]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    django.setup()
    write_esco_trio(Path(sys.argv[1]), occupations=3000, skills=13900, relations=129000)
