"""Fill the new ability columns from what earlier imports kept in `extra`: ESCO altLabels, CASE
notes and conceptKeywords; the language from the ability's framework.
Reversing clears nothing the schema migration's reverse would not drop anyway."""

from django.db import migrations


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def fill(apps, schema_editor):
    Ability = apps.get_model("positions", "Ability")
    batch = []
    rows = Ability.objects.select_related("framework").only(
        "id", "extra", "description", "alt_labels", "language", "framework__language"
    )
    for ability in rows.iterator(chunk_size=2000):
        extra = ability.extra if isinstance(ability.extra, dict) else {}
        labels = _lines(extra.get("altLabels")) + _lines(extra.get("conceptKeywords"))
        alt_labels = "\n".join(dict.fromkeys(labels))
        description = str(extra.get("notes") or "").strip()
        language = str(extra.get("language") or ability.framework.language or "")[:16]
        changed = False
        for name, value in (
            ("alt_labels", alt_labels),
            ("description", description),
            ("language", language),
        ):
            if value and not getattr(ability, name):
                setattr(ability, name, value)
                changed = True
        if changed:
            batch.append(ability)
        if len(batch) >= 2000:
            Ability.objects.bulk_update(batch, ["alt_labels", "description", "language"])
            batch = []
    if batch:
        Ability.objects.bulk_update(batch, ["alt_labels", "description", "language"])


class Migration(migrations.Migration):
    dependencies = [("positions", "0005_ability_description_alt_labels_language")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
