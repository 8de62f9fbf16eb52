from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from positions.levels import DEFAULT_LEVELS


def ensure_level_scale(sender, using="default", **kwargs) -> None:
    """Give an install with no depth scale the default one (I < R < M).

    The data migration seeds it once; this also restores it after a database flush (which empties
    every table and then sends post_migrate), and never touches a scale that has levels.
    """
    from positions.models import Level

    if Level.objects.using(using).exists():
        return
    Level.objects.using(using).bulk_create(
        Level(code=code, name=name, rank=rank, description=description)
        for code, name, rank, description in DEFAULT_LEVELS
    )


class PositionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "positions"
    # The admin heads the app's section with this, in the reader's language.
    verbose_name = _("Positions")

    def ready(self):
        post_migrate.connect(ensure_level_scale, sender=self, dispatch_uid="positions-level-scale")
