"""The two positions only Table I lists (E-commerce system architect, Data modeler) described as the
loader now describes them, in databases loaded before.

Their old descriptions repeated Table I's track, degree and title ('Listed in Table I (Research
and development, Master) as "e-commerce system architect"'; 表一（研发类，硕士）…), words the
suggestion engine's level reader takes for Bloom verbs: every requirement suggested for them was
proposed at M (the data modeler's Chinese one at R). `load_paper --if-empty`, which deployments
run, leaves a loaded database alone, so an upgraded site kept them. Only records the loader wrote
and staff have not edited (provenance "paper", the old text, each language apart) change; the
reverse puts the old texts back on the same terms. The texts are written out here: the loader's
may change again.

update() writes no history row, as the earlier paper migrations do: this corrects the seed's
wording. The change stamp moves, so syncs and cached pages see it; suggestions already made for
the two positions are redone by `manage.py suggest --refresh` (their text changed).
"""

from django.db import migrations
from django.utils import timezone

OLD_EN = {
    "E-commerce system architect": (
        'Listed in Table I (Research and development, Master) as "e-commerce system architect". '
        "Table II gives no ability profile for it, so it has no requirements defined."
    ),
    "Data modeler": (
        'Listed in Table I (Data analysis, Master) as "data modeler". Table II gives no ability '
        "profile for it, so it has no requirements defined."
    ),
}
OLD_ZH = {
    "E-commerce system architect": (
        "表一（研发类，硕士）列有“e-commerce system architect”（电子商务系统架构师）。表二未给出"
        "该职位的能力要求，因此没有定义任何要求。"
    ),
    "Data modeler": (
        "表一（数据分析类，硕士）列有“data modeler”（数据建模师）。表二未给出该职位的能力要求，"
        "因此没有定义任何要求。"
    ),
}
NEW_EN = (
    "In Table I only: Table II gives no ability profile for this position, so it has no "
    "requirements yet (its track and degree are its placements)."
)
NEW_ZH = "仅见于表一：表二未给出该职位的能力要求，因此尚无任何要求（其方向与学历层次见其归类）。"


def _restate(apps, *, forward: bool) -> None:
    position = apps.get_model("positions", "Position")
    now = timezone.now()
    texts = (("description", OLD_EN, NEW_EN), ("description_zh", OLD_ZH, NEW_ZH))
    for field, old_texts, new in texts:
        for name, old in old_texts.items():
            before, after = (old, new) if forward else (new, old)
            position.objects.filter(name=name, provenance="paper", **{field: before}).update(
                **{field: after, "updated_at": now}
            )


def forwards(apps, schema_editor):
    _restate(apps, forward=True)


def backwards(apps, schema_editor):
    _restate(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0050_course_credits_minus_zero_and_refusal"),
        ("positions", "0043_import_job_format_relations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
