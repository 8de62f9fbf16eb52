"""An ESCO-shaped trio of any size, for the batch logic here and for timing the full size by hand:

python positions/tests/test_import_esco_scale.py /tmp/esco-full   # 3,000 / 13,900 / 129,000
DATABASE_URL=postgres://... python manage.py import_framework /tmp/esco-full --format esco
"""

import csv
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
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with open(folder / "occupations_en.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "conceptType",
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "status",
                "description",
            ]
        )
        for n in range(occupations):
            writer.writerow(
                [
                    "Occupation",
                    OCC.format(n),
                    f"{2400 + n % 90}",
                    f"occupation {n}",
                    f"job {n}\nrole {n}",
                    "released",
                    f"Does the work of occupation {n}.",
                ]
            )
    with open(folder / "skills_en.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "conceptType",
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "status",
                "description",
            ]
        )
        for n in range(skills):
            writer.writerow(
                [
                    "KnowledgeSkillCompetence",
                    SKILL.format(n),
                    "knowledge" if n % 3 == 0 else "skill/competence",
                    "cross-sector",
                    f"skill {n}",
                    f"ability {n}",
                    "released",
                    f"Can do thing {n}.",
                ]
            )
    per = max(1, relations // occupations)
    with open(folder / "occupationSkillRelations_en.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "occupationUri",
                "occupationLabel",
                "relationType",
                "skillType",
                "skillUri",
                "skillLabel",
            ]
        )
        written = 0
        for n in range(occupations):
            count = per if n < occupations - 1 else relations - written
            for s in rng.sample(range(skills), min(count, skills)):
                writer.writerow(
                    [
                        OCC.format(n),
                        f"occupation {n}",
                        "essential" if s % 2 else "optional",
                        "skill/competence",
                        SKILL.format(s),
                        f"skill {s}",
                    ]
                )
                written += 1


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
    write_esco_trio(Path(sys.argv[1]), occupations=3000, skills=13900, relations=129000)
