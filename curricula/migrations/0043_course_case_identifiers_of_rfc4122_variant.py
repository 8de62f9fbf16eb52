"""Courses an earlier release imported from a CASE course catalogue under an identifier CASE
1.1's schema refuses (a UUID not of RFC 4122's variant, as OpenSALT's
d0000000-0000-0000-0000-000000000000) take the UUID imports now make of it
(core.identifiers.stable_uuid: uuid5 of the canonical form), as positions 0033 did for
frameworks, abilities and relations: the *Course catalogue* published them as they were, so it
failed the schema, and a re-import found them only by their code. Their change stamp moves, so
a cached catalogue package is rebuilt. A course whose new identifier another already holds is
left as it is, and named."""

import uuid

from django.db import migrations
from django.utils import timezone


def _conforming(value: uuid.UUID) -> uuid.UUID:
    return value if value.variant == uuid.RFC_4122 else uuid.uuid5(uuid.NAMESPACE_URL, str(value))


def rekey(apps, schema_editor):
    Course = apps.get_model("curricula", "Course")
    now = timezone.now()
    for pk, identifier in Course.objects.values_list("pk", "identifier").iterator():
        new = _conforming(identifier)
        if new == identifier:
            continue
        if Course.objects.filter(identifier=new).exists():
            print(f"\n  Course #{pk}: {identifier} left as it is, {new} is taken")
            continue
        Course.objects.filter(pk=pk).update(identifier=new, updated_at=now)


def restore(apps, schema_editor):
    """Nothing to undo: a course keeps no column with the publisher's identifier (uuid5 cannot
    be read back), and an earlier release re-importing the publisher's catalogue finds it by its
    code, as it found it before."""


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0042_degree_levels_isced_tertiary"),
    ]

    operations = [
        migrations.RunPython(rekey, restore),
    ]
