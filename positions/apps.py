from django.apps import AppConfig
from django.db.models.signals import post_migrate


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


# Kept in step with migration 0002_default_levels, which (as a migration) must not import this.
DEFAULT_LEVELS = [
    (
        "I",
        "Introduced",
        1,
        "The course introduces the ability: first exposure, basic terms and ideas.",
    ),
    (
        "R",
        "Reinforced",
        2,
        "The course reinforces the ability: practice with feedback, growing independence.",
    ),
    (
        "M",
        "Mastered",
        3,
        "The course brings the ability to mastery: independent use, assessed as such.",
    ),
]


class PositionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "positions"

    def ready(self):
        post_migrate.connect(ensure_level_scale, sender=self, dispatch_uid="positions-level-scale")
