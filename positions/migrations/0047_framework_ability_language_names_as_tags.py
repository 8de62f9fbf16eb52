"""Frameworks' and abilities' languages stored as a language's name (Chinese, 中文, English,
英文), as imports, the admin and the API took them before Framework.clean and Ability.clean stored
tags, are given their tag, as curricula 0054 gave courses theirs; any other value is left as it is
(a person decides what "双语" should be). The reverse leaves the tags: they were right."""

import unicodedata

from django.db import migrations

# As core.i18n._LANGUAGE_NAMES when this was written (a migration keeps its own copy).
NAMES = {
    "en": ("english", "英文", "英语", "英語"),
    "zh": ("chinese", "mandarin", "中文", "汉语", "漢語", "华语", "華語", "普通话", "國語"),
    "ja": ("japanese", "日语", "日文", "日語"),
    "ko": ("korean", "韩语", "韩文", "韓語", "朝鲜语"),
    "fr": ("french", "法语", "法文", "法語"),
    "de": ("german", "德语", "德文", "德語"),
    "es": ("spanish", "西班牙语", "西班牙文", "西班牙語"),
    "ru": ("russian", "俄语", "俄文", "俄語"),
}
TAG_OF_NAME = {name: tag for tag, names in NAMES.items() for name in names}


def names_as_tags(apps, schema_editor):
    for name in ("Framework", "Ability"):
        model = apps.get_model("positions", name)
        stored = model.objects.exclude(language="").values_list("language", flat=True).distinct()
        for language in list(stored):
            key = "".join(unicodedata.normalize("NFKC", language).casefold().split())
            tag = TAG_OF_NAME.get(key)
            if tag is not None and tag != language:
                model.objects.filter(language=language).update(language=tag)


class Migration(migrations.Migration):
    dependencies = [("positions", "0046_paper_requirement_levels_editorial")]

    operations = [migrations.RunPython(names_as_tags, migrations.RunPython.noop)]
