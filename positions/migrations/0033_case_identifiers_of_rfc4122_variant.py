"""Identifiers of frameworks, abilities and relations that CASE 1.1's schema refuses (a UUID not
of RFC 4122's variant, as OpenSALT's d0000000-0000-0000-0000-000000000000) become the UUID
imports now make of them (core.identifiers.stable_uuid: uuid5 of the canonical form), so that a
re-import of the publisher's package, or of this site's export, finds the same records. The
publisher's identifier stays in `external_id` (abilities and frameworks), which the provider
publishes beside. A row whose new identifier another row already holds is left as it is, and
named."""

import uuid

from django.db import migrations

MODELS = ("Framework", "Ability", "AbilityRelation")


def _conforming(value: uuid.UUID) -> uuid.UUID:
    return value if value.variant == uuid.RFC_4122 else uuid.uuid5(uuid.NAMESPACE_URL, str(value))


def rekey(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("positions", name)
        for pk, identifier in model.objects.values_list("pk", "identifier").iterator():
            new = _conforming(identifier)
            if new == identifier:
                continue
            if model.objects.filter(identifier=new).exists():
                print(f"\n  {name} #{pk}: {identifier} left as it is, {new} is taken")
                continue
            model.objects.filter(pk=pk).update(identifier=new)


def restore(apps, schema_editor):
    """Back to the publisher's UUID where the record names it (external_id); a relation keeps
    its new identifier, which no column ties to its association's."""
    for name in ("Framework", "Ability"):
        model = apps.get_model("positions", name)
        for pk, identifier, external_id in model.objects.values_list(
            "pk", "identifier", "external_id"
        ).iterator():
            try:
                given = uuid.UUID(external_id)
            except ValueError:
                continue
            if given.variant != uuid.RFC_4122 and _conforming(given) == identifier:
                if not model.objects.filter(identifier=given).exists():
                    model.objects.filter(pk=pk).update(identifier=given)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0032_codes_identifiers_and_uris_refuse_control_characters"),
    ]

    operations = [
        migrations.RunPython(rekey, restore),
    ]
