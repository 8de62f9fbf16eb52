# ruff: noqa: RUF001, RUF002  (Django's messages write a typographic apostrophe)
"""Messages of Django's own admin and login pages that Django's Chinese catalogue does not
translate (Django 5.2's zh_Hans lacks them): marked here so that `manage.py makemessages` puts
them in the project's catalogue, which Django reads before its own (LOCALE_PATHS). Without them
a Chinese admin showed "Error:" before a page's title when its form had errors, "Forgotten your
login credentials?" on the admin's login, the admin index's table headers read aloud ("Model
name", "Add link", "Change or view list link"), "After you’ve created a user, …" on adding a
user, and "In case you’ve forgotten, you are:" in the password-reset email.
core/tests/test_django_messages.py finds such messages again after a Django upgrade."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("In case you’ve forgotten, you are:"),
)
