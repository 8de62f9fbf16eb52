from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes as it is, named in the admin in the page's language: its own config has no
    verbose_name, so the admin index headed its section "Axes" (its label) in every language.
    Its models' and fields' names are translated by the project's catalogue (core.axes_messages)."""

    verbose_name = _("Login attempts")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site (admin.site) is the project's: core.admin_site."""

    default = False  # "core" in INSTALLED_APPS is CoreConfig
    default_site = "core.admin_site.AdminSite"


class CoreConfig(AppConfig):
    """The shared kernel: what every app needs and no app owns (provenance, degree levels, the
    service and API plumbing). It imports no other app of the project."""

    # The config of "core" in INSTALLED_APPS, among this module's others (AxesConfig).
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.backends.signals import connection_created
        from django.db.models import CharField, TextField
        from django.db.models.signals import post_save, pre_save
        from simple_history.signals import (
            post_create_historical_record,
            pre_create_historical_record,
        )

        import core.checks  # noqa: F401  (registers the deployment checks)
        from core.api.authentication import revoke_tokens_on_password_change
        from core.history import forget_history_context, record_history_fields
        from core.logins import (
            forget_login_failures,
            note_password_disabled,
            record_login_failure,
            remember_login,
        )
        from core.search import FoldedContains, register_fold

        pre_save.connect(
            note_password_disabled,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.note_password_disabled",
        )
        post_save.connect(
            revoke_tokens_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.revoke_tokens_on_password_change",
        )
        post_save.connect(
            forget_login_failures,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.forget_login_failures",
        )
        # The search's fold (core.search.Folded) as a SQL function on SQLite, and its lookup.
        connection_created.connect(register_fold, dispatch_uid="core.register_fold")
        CharField.register_lookup(FoldedContains)
        TextField.register_lookup(FoldedContains)
        user_login_failed.connect(record_login_failure, dispatch_uid="core.record_login_failure")
        user_logged_in.connect(remember_login, dispatch_uid="core.remember_login")
        pre_create_historical_record.connect(
            record_history_fields, dispatch_uid="core.record_history_fields"
        )
        # A history user, reason or history fields set on an instance are for its next save only.
        post_create_historical_record.connect(
            forget_history_context, dispatch_uid="core.forget_history_context"
        )
