from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _

from positions.levels import DEFAULT_LEVEL_NAMES_ZH, DEFAULT_LEVELS


def ensure_level_scale(sender, using="default", apps=None, **kwargs) -> None:
    """Give an install with no depth scale the default one (I < R < M).

    The data migration seeds it once; this also restores it after a database flush (which empties
    every table and then sends post_migrate), and never touches a scale that has levels. It reads
    the models of the state `migrate` left (`apps`): after `migrate positions zero` there is no
    level table to look in.
    """
    if apps is None:
        from django.apps import apps
    try:
        Level = apps.get_model("positions", "Level")
    except LookupError:
        return
    if Level.objects.using(using).exists():
        return
    # A state migrated back before the levels had Chinese names has no such field.
    chinese = any(field.name == "name_zh" for field in Level._meta.get_fields())
    Level.objects.using(using).bulk_create(
        Level(
            code=code,
            name=name,
            rank=rank,
            description=description,
            **({"name_zh": DEFAULT_LEVEL_NAMES_ZH[code]} if chinese else {}),
        )
        for code, name, rank, description in DEFAULT_LEVELS
    )


def replace_seeded_level(sender, instance, raw: bool = False, using="default", **kwargs) -> None:
    """pre_save of a level: a fixture's level (loaddata's raw save, a dump loaded into a database
    just migrated) takes the place of a level holding its code or rank under another id that
    nothing uses, as the default scale `migrate` seeded: a dump of an install with its own scale
    failed on the rank's unique constraint. A level something points at stays (the load then
    fails as it did). Its history is no sign of use: the dump's history, loaded first, may
    describe another level of the same id, deleted where the dump was made. Removed without
    signals: the database records no deletion that nobody made."""
    if not raw:
        return
    from django.db.models import Q

    from positions.models import Level

    levels = Level._base_manager.using(using)
    clashing = levels.filter(Q(code=instance.code) | Q(rank=instance.rank)).exclude(pk=instance.pk)
    for pk in clashing.values_list("pk", flat=True):
        used = any(
            relation.related_model._base_manager.using(using)
            .filter(**{relation.field.attname: pk})
            .exists()
            for relation in Level._meta.related_objects
        )
        if not used:
            levels.filter(pk=pk)._raw_delete(using)


class PositionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "positions"
    # The admin heads the app's section with this, in the reader's language.
    verbose_name = _("Positions")

    def ready(self):
        post_migrate.connect(ensure_level_scale, sender=self, dispatch_uid="positions-level-scale")
        pre_save.connect(
            replace_seeded_level,
            sender="positions.Level",
            dispatch_uid="positions-replace-seeded-level",
        )
