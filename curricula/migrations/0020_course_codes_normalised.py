"""Course codes as core.models.CodeField stores them from 0021 on: NFKC, no surrounding
whitespace. A stored code that would become another course's code (CS101 beside a full-width
ＣＳ１０１) is left as it is and named on the console: the two are one course to merge by hand,
not a reason for the migration to fail or to pick one. Such a row can still be read and deleted;
saving it again is refused as a duplicate code until its code is changed."""

import unicodedata

from django.db import migrations


def _normalized(code: str) -> str:
    # core.models.normalized_code as of this migration (migrations keep their own copy).
    return unicodedata.normalize("NFKC", code).strip()


def normalise_codes(apps, schema_editor):
    Course = apps.get_model("curricula", "Course")
    rows = list(Course.objects.order_by("pk").values_list("pk", "code"))
    taken = {code: pk for pk, code in rows}
    for pk, code in rows:
        normal = _normalized(code)
        if normal == code:
            continue
        holder = taken.get(normal)
        if holder is not None and holder != pk:
            print(
                f"\n  Course {pk} keeps its code {code!r}: written as stored ({normal!r}) it is "
                f"course {holder}'s. Merge the two, or change one's code."
            )
            continue
        Course.objects.filter(pk=pk).update(code=normal)
        taken.pop(code, None)
        taken[normal] = pk


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0019_history_deletion_indexes"),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
    ]
