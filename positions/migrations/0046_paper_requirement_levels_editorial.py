"""The paper's requirements say their importance and level are editorial, in databases loaded
before.

Table II numbers each position's "Professional ability requirements" and ranks none above
another nor names a depth; the loader makes every one essential and required at M, but cited
"Table II, position 4, statement 2" alone, so the paper seemed to ask for mastery. The loader now
writes "...; importance and level editorial (Table II gives neither)", as an ability's reference
says its area is editorial. `load_paper --if-empty`, which deployments run, leaves a loaded
database alone, so an upgraded site kept the old references. Only records the loader wrote and
staff have not edited (provenance "paper", the old reference) change; the reverse puts the old
references back on the same terms.

update() writes no history row, as the earlier paper migrations do: this corrects the seed's
wording. The change stamp moves, so syncs see it.
"""

import re

from django.db import migrations
from django.utils import timezone

SUFFIX = "; importance and level editorial (Table II gives neither)"
OLD = re.compile(r"Table II, position [0-9]+, statement [0-9]+")


def _restate(apps, *, forward: bool) -> None:
    requirement = apps.get_model("positions", "Requirement")
    now = timezone.now()
    rows = requirement.objects.filter(
        provenance="paper", source_ref__startswith="Table II, position "
    ).values_list("pk", "source_ref")
    for pk, ref in list(rows):
        if forward and OLD.fullmatch(ref):
            new = ref + SUFFIX
        elif not forward and ref.endswith(SUFFIX) and OLD.fullmatch(ref[: -len(SUFFIX)]):
            new = ref[: -len(SUFFIX)]
        else:
            continue
        requirement.objects.filter(pk=pk, source_ref=ref).update(source_ref=new, updated_at=now)


def forwards(apps, schema_editor):
    _restate(apps, forward=True)


def backwards(apps, schema_editor):
    _restate(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("positions", "0045_history_deletion_indexes_restored")]

    operations = [migrations.RunPython(forwards, backwards)]
