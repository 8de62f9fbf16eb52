"""What the tests of English leaking into Chinese output share: the catalogue's stand-in for a
message not translated yet, what counts as an English word, and every text the database holds
(the data's own words, whatever their language, which output may quote)."""

import re

from django.apps import apps
from django.db import models

STAND_IN = re.compile(r"〈[^〈〉]*〉")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def data_texts() -> list[str]:
    """Every text value the database holds (names, statements, codes), longest first, and
    each of its lines."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value:
                    texts.add(value)
                    texts.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(texts, key=len, reverse=True)
