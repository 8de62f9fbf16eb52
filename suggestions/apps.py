from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suggestions"
    verbose_name = _("Link suggestions")

    def ready(self) -> None:
        # Connects the receivers that refresh suggestions when course text or a framework
        # changes, and lends the gap report the courses suggested for each gap.
        from curricula.selectors.programmes import gap_report_annotators
        from suggestions import selectors, signals  # noqa: F401

        gap_report_annotators.append(selectors.annotate_gap_report)
