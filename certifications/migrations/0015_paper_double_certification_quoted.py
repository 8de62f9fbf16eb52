"""The bachelor certification cites Section IV C's double certification in the paper's words, in
databases loaded before.

The loader described it as 'Section IV C: all students must obtain the cross-border e-commerce
engineer qualification certificate or a recognized relevant professional qualification
certificate.', words the paper does not print ("the", "a"): a reader looking for the sentence
does not find it. The paper reads "all students must obtain cross-border e-commerce engineer
qualification certificate or recognized relevant professional qualification certificate."
`load_paper --if-empty`, which deployments run, leaves a loaded database alone, so an upgraded
site kept the old text. Only the record the loader wrote and staff have not edited (provenance
"paper", the old text) changes; the reverse puts the old text back on the same terms. The texts
are written out here: the loader's may change again. The Chinese description, an editorial
translation, says the same and is left as it is.

update() writes no history row, as the earlier paper migrations do: this corrects the seed's
wording. The change stamp moves, so syncs and cached pages see it.
"""

from django.db import migrations
from django.utils import timezone

NAME = "Cross-border e-commerce engineer"
OLD = (
    'Table III: "Cross-border e-commerce engineer (Bachelor)". Section IV C: all students must '
    "obtain the cross-border e-commerce engineer qualification certificate or a recognized "
    "relevant professional qualification certificate."
)
NEW = (
    'Table III: "Cross-border e-commerce engineer (Bachelor)". Section IV C: "all students '
    "must obtain cross-border e-commerce engineer qualification certificate or recognized "
    'relevant professional qualification certificate."'
)


def _requote(apps, *, forward: bool) -> None:
    certification = apps.get_model("certifications", "Certification")
    before, after = (OLD, NEW) if forward else (NEW, OLD)
    certification.objects.filter(name=NAME, provenance="paper", description=before).update(
        description=after, updated_at=timezone.now()
    )


def forwards(apps, schema_editor):
    _requote(apps, forward=True)


def backwards(apps, schema_editor):
    _requote(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("certifications", "0014_degree_levels_isced_tertiary")]

    operations = [migrations.RunPython(forwards, backwards)]
