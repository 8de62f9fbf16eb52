"""Where the project keeps uploaded files."""

from pathlib import Path

from django.conf import settings


def media_root() -> Path:
    """settings.MEDIA_ROOT, or var/media in the repository when it is set blank; read at use, so
    tests and deployments can point it elsewhere. Nothing under it is served."""
    return Path(settings.MEDIA_ROOT or Path(settings.BASE_DIR) / "var" / "media")
