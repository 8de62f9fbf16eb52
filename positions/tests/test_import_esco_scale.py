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


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    django.setup()
    write_esco_trio(Path(sys.argv[1]), occupations=3000, skills=13900, relations=129000)
