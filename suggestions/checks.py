"""System checks of the suggestions' settings against the database (run by migrate and by
`manage.py check --database default`; the levels are data, so the settings cannot be read
against them at start-up, when the database may not be reachable yet)."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from core.i18n import bracketed, join_list
from positions.models import Level
from suggestions.selectors import default_requirement_level


def _names(level: Level) -> str:
    # Either name is read (levels_written), so the hint gives the site's levels by both.
    return " / ".join(name for name in (level.name, level.name_zh) if name)


@checks.register(checks.Tags.database)
def requirement_level_check(app_configs, databases=None, **kwargs):
    """SUGGESTIONS_REQUIREMENT_LEVEL must name one level, as any level is written (its code in
    any case, or its name): else every accept of a position's suggestion proposing no level is
    refused with "Choose a level", and the review page preselects none. A warning, not an
    error: the levels are data staff may rename, and a deploy's migrate should not stop for it."""
    if not databases:
        return []
    try:
        levels = list(Level.objects.order_by("rank"))
    except DatabaseError:  # not migrated yet: migrate runs the checks before it migrates
        return []
    if not levels or default_requirement_level(levels=levels) is not None:
        return []
    written = getattr(settings, "SUGGESTIONS_REQUIREMENT_LEVEL", "M")
    return [
        checks.Warning(
            f"SUGGESTIONS_REQUIREMENT_LEVEL={written!r} names no one level, so accepting a "
            "position's suggestion that proposes no level is refused.",
            hint="Give a level's code or name; the levels are "
            f"{join_list(bracketed(level.code, _names(level)) for level in levels)}.",
            id="suggestions.W001",
        )
    ]
