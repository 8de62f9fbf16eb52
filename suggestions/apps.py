from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suggestions"
    verbose_name = _("Link suggestions")

    def ready(self) -> None:
        # Registers the checks of the settings against the database, and connects the
        # receivers that refresh suggestions when course text or a framework changes.
        from suggestions import checks, signals  # noqa: F401
