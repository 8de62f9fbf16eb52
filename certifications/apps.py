from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certifications"
    # The admin heads the app's section with this, in the reader's language.
    verbose_name = _("Certifications")
