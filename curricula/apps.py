from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "curricula"
    verbose_name = _("Curricula")

    def ready(self) -> None:
        # Connects the receivers that mark coverage reports stale.
        from curricula import signals  # noqa: F401
