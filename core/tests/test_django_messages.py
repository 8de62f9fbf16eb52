"""Every message Django's admin and login templates translate has a Chinese translation: in
Django's own catalogue, or else in the project's, which Django reads first. One that has
neither is English on a Chinese page (or in the password-reset email). A message only the
project can translate is marked in core.django_messages, so `makemessages` brings it into the
project's catalogue; this test fails when a Django upgrade adds one untranslated."""

import gettext
import re
from pathlib import Path

import django

from core.django_messages import MESSAGES

DJANGO = Path(django.__file__).parent
CATALOGUES = [
    DJANGO / "contrib" / "admin" / "locale",
    DJANGO / "contrib" / "auth" / "locale",
    DJANGO / "conf" / "locale",
]
TEMPLATES = DJANGO / "contrib" / "admin" / "templates"
TRANSLATE = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(?P<message>.+?)\1"""
    r"""(?:\s+context\s+(["'])(?P<context>.+?)\3)?"""
)


def _chinese_keys(locale: Path) -> set[str]:
    path = locale / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as catalogue:
        return {key for key, value in gettext.GNUTranslations(catalogue)._catalog.items() if value}


def untranslated(templates: Path) -> set[str]:
    """The messages of Django's templates under `templates` Django's Chinese catalogues lack."""
    translated = set().union(*(_chinese_keys(locale) for locale in CATALOGUES))
    found = set()
    for template in templates.rglob("*.html"):
        for match in TRANSLATE.finditer(template.read_text(encoding="utf-8")):
            context, message = match["context"], match["message"]
            key = f"{context}\x04{message}" if context else message
            if key not in translated:
                found.add(key)
    return found


def test_the_check_finds_a_message_no_catalogue_translates(tmp_path):
    """Tried on a template of its own, not on Django's: Django 6.0's catalogue translates every
    message of its admin templates (5.2's lacked "Model name", which this test once looked
    for), and the check must still be seen to find one."""
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "page.html").write_text(
        "{% translate 'A heading no catalogue has' %} {% translate 'Log in' %}"
        ' {% translate "Model name" context "a message under a context" %}',
        encoding="utf-8",
    )
    assert untranslated(tmp_path) == {
        "A heading no catalogue has",
        "a message under a context\x04Model name",
    }  # Django's catalogue has "Log in"


def test_each_message_django_leaves_untranslated_is_marked_for_the_projects_catalogue():
    assert untranslated(TEMPLATES) - set(MESSAGES) == set()
