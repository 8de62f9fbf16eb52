"""django-axes' own messages (its models', fields' and admin's names), which it translates in
no Chinese catalogue of its own: copied here exactly, so that `manage.py makemessages` puts
them in the project's catalogue. Django merges every catalogue of a language into one and looks
a message up by its text alone, so axes' lazy `gettext_lazy("access attempts")` finds the
project's translation. Without them the Chinese admin listed "Access attempts", "Access logs",
"Access failures" and their columns (IP Address, User Agent, Attempt Time, ...) in English.
core/tests/test_axes_messages.py finds any that an upgrade of django-axes adds."""

from django.utils.translation import gettext_noop

MESSAGES = (
    # axes.models: fields
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # axes.models: models
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # axes.admin: a filter, fieldsets, an action, cells
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)
