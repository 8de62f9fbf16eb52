"""Names, prose, codes, identifiers, source references and URIs stored with characters their
field refuses (core.models.text_fields): written
before the fields refused them, in a database upgraded from an earlier release, or by a door that
skips validation (a bulk update). Until tidied, such a record cannot be edited by any door (the
admin, the API, a catalogue re-import refuse the stored text with whatever field was changed).
`manage.py tidy_text` lists them (stored_illegal_text) and tidies them (stored_text_tidy).

Reached through the model registry, not by naming the apps' models: the core knows no app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import groupby
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Model, Q
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from core.models import (
    illegal_characters,
    illegal_characters_regex,
    text_fields,
    text_without_illegal,
)


def models_with_text_fields() -> list[tuple[type[Model], list[tuple[Field, str]]]]:
    """Every installed model with a field whose characters are checked (text_fields: names,
    prose, codes, identifiers, source references, URIs), found by walking the models' fields.
    Not a proxy (its table is another model's) nor a history model: a history record keeps
    what was written then, as it does for every change."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or issubclass(model, HistoricalChanges):
            continue
        if fields := text_fields(model):
            found.append((model, fields))
    return found


@dataclass(frozen=True)
class StoredIllegalText:
    """A checked text field's value (text_fields) stored with characters the field refuses:
    written before it refused them (a database upgraded from an earlier release), or by a door
    that skips validation (a bulk update)."""

    model: type[Model]
    pk: Any
    field: str
    value: str
    kind: str

    @property
    def characters(self) -> list[str]:
        """The refused characters, each once, in the order they first appear."""
        return list(dict.fromkeys(illegal_characters(self.value, kind=self.kind)))

    @property
    def tidied(self) -> str:
        """The value as a framework import tidies someone else's text (text_without_illegal)."""
        return text_without_illegal(self.value, kind=self.kind)

    def excerpt(self, width: int = 60) -> str:
        """Up to `width` characters from a little before the first refused one, each refused
        character shown by its code point (⟨U+001B⟩) and a kept tab or line break as a space:
        printed as stored, an escape would reach the reader's terminal and a line break would
        split the listing."""
        refused = re.compile(illegal_characters_regex(kind=self.kind))
        first = refused.search(self.value)
        start = max(0, (first.start() if first else 0) - width // 3)
        piece = self.value[start : start + width]
        shown = refused.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", piece)
        shown = re.sub(r"[\t\n\r]", " ", shown)
        return ("…" if start else "") + shown + ("…" if start + width < len(self.value) else "")


def stored_illegal_text(*, chunk_size: int = 1000) -> Iterator[StoredIllegalText]:
    """Every stored checked text value (text_fields) holding characters its field refuses, model
    by model (models_with_text_fields), in primary key order, a record's fields together. The
    database picks the rows (a `__regex` lookup per field, illegal_characters_regex), read
    `chunk_size` at a time by primary key with only the key and the text fields: no table is
    loaded whole, and rows written meanwhile (a fix as it goes) do not shift the chunks."""
    for model, fields in models_with_text_fields():
        condition = Q()
        for field, kind in fields:
            condition |= Q(**{f"{field.name}__regex": illegal_characters_regex(kind=kind)})
        rows = (
            model._base_manager.filter(condition)
            .order_by("pk")
            .values_list("pk", *(field.name for field, _kind in fields))
        )
        after = None
        while True:
            chunk = list((rows if after is None else rows.filter(pk__gt=after))[:chunk_size])
            for pk, *values in chunk:
                for (field, kind), value in zip(fields, values, strict=True):
                    # The database's pick is checked again: a row matches for any of its fields.
                    if value and illegal_characters(value, kind=kind):
                        yield StoredIllegalText(model, pk, field.name, value, kind)
            if len(chunk) < chunk_size:
                break
            after = chunk[-1][0]


# The history's change reason for a value tidied by stored_text_tidy (manage.py tidy_text).
TEXT_TIDY_REASON = "tidy_text: refused characters removed"


@dataclass
class TextTidyResult:
    """What stored_text_tidy did, value by value: the values tidied, and those left as they are
    with the reasons (their record's tidied values break a rule of its model)."""

    tidied: list[StoredIllegalText] = dataclass_field(default_factory=list)
    left: list[tuple[StoredIllegalText, list[str]]] = dataclass_field(default_factory=list)


@transaction.atomic
def stored_text_tidy(
    *, chunk_size: int = 1000, reason: str = TEXT_TIDY_REASON, history_user: Any = None
) -> TextTidyResult:
    """Rewrite every stored checked text value holding characters its field refuses
    (stored_illegal_text) as a framework import tidies someone else's text: in a name, each tab
    or line break a space; in a code, each control character that spaces words a space; in a
    URI, a space percent-encoded; every other refused character left out (text_without_illegal).

    All or nothing, one record at a time through its model's save() with only the tidied
    fields and its auto_now stamps (`updated_at`: what is dated by it, an ETag, sees the
    change): a historical model gets a history record with `reason` (and `history_user`), and
    every app's post_save receivers react as to an edit (suggestions made from a course's or a
    position's text are refreshed after commit; a level's or an area's programmes' coverage is
    marked stale). The provenance is kept: a tidied record is no staff edit, and importers still
    update it. A record whose tidied values break a rule of its model (a required name left
    empty, a unique name another record holds) is left as it is and returned in `left`."""
    result = TextTidyResult()
    entries = stored_illegal_text(chunk_size=chunk_size)
    for (model, pk), found in groupby(entries, key=lambda entry: (entry.model, entry.pk)):
        found = list(found)
        instance = model._base_manager.select_for_update().filter(pk=pk).first()
        if instance is None:
            continue
        changed = []
        for entry in found:
            value = getattr(instance, entry.field)
            tidied = text_without_illegal(value, kind=entry.kind)
            if tidied != value:
                setattr(instance, entry.field, tidied)
                changed.append(entry.field)
        if not changed:
            continue
        try:
            # The tidied fields' own rules, and every uniqueness rule and constraint: one that
            # spans a tidied field and another (a name unique within its framework) counts too.
            instance.clean_fields(
                exclude=[f.name for f in model._meta.fields if f.name not in changed]
            )
            instance.validate_unique()
            instance.validate_constraints()
            instance._change_reason = reason
            if history_user is not None:
                instance._history_user = history_user
            stamps = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            with transaction.atomic():
                instance.save(update_fields=[*changed, *stamps])
        except (ValidationError, IntegrityError) as error:
            messages = (
                error.messages
                if isinstance(error, ValidationError)
                else [str(_("This change conflicts with existing data."))]
            )
            result.left.extend((entry, messages) for entry in found)
            continue
        result.tidied.extend(entry for entry in found if entry.field in changed)
    return result
