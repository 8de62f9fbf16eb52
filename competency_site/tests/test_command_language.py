"""The project's management commands take `--language CODE` and run in it: from the shell Django
runs a command in LANGUAGE_CODE, so the README's "prints … in the active language" could never be
Chinese there. Observed: `manage.py purge_import_uploads --language zh-hans` was refused
("unrecognized arguments"), and no other way switched the output.

The catalogue may not hold a message yet: `chinese_stand_in` gives it a stand-in translation
(〈msgid〉) for the test, and the expected text is computed through the catalogue."""

from io import StringIO

import pytest
from django.core import management
from django.core.management import (
    CommandError,
    call_command,
    find_commands,
    get_commands,
    load_command_class,
)
from django.utils import translation

from core.management.base import LanguageCommand
from curricula.models import Course

PROJECT_APPS = {"positions", "certifications", "curricula", "suggestions", "audit"}
PURGED = "Deleted %(n)d uploaded file(s)."
UNKNOWN = "Unknown language “%(language)s”: choose one of %(choices)s."

pytestmark = pytest.mark.django_db


def _project_commands() -> list[tuple[str, str]]:
    """The project's own commands; not Django's that core overrides (makemessages, loaddata),
    which keep Django's options."""
    djangos = set(find_commands(management.__path__[0]))
    return sorted(
        (name, app)
        for name, app in get_commands().items()
        if app in PROJECT_APPS or (app == "core" and name not in djangos)
    )


def test_every_project_command_takes_the_language_option():
    commands = _project_commands()
    assert len(commands) >= 10, commands
    for name, app in commands:
        command = load_command_class(app, name)
        assert isinstance(command, LanguageCommand), name
        parser = command.create_parser("manage.py", name)
        assert "--language CODE" in parser.format_help(), name


@pytest.mark.parametrize("given", ["zh-hans", "zh_Hans", "zh-Hans", "zh", "zh-cn"])
def test_a_command_writes_in_the_language_it_is_given(chinese_stand_in, given):
    chinese_stand_in(None, PURGED)
    out = StringIO()
    with translation.override("en"):
        call_command("purge_import_uploads", "--language", given, stdout=out)
        assert translation.get_language() == "en"
    with translation.override("zh-hans"):
        expected = translation.gettext(PURGED) % {"n": 0}
    assert expected != PURGED % {"n": 0}
    assert out.getvalue().strip() == expected


def test_a_command_refuses_in_the_language_it_is_given(chinese_stand_in):
    message = "--days cannot be negative."
    chinese_stand_in(None, message)
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("purge_import_uploads", "--days", "-1", "--language", "zh-hans")
    with translation.override("zh-hans"):
        assert str(raised.value) == translation.gettext(message)


def test_english_can_be_asked_for_under_another_active_language():
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("purge_import_uploads", "--language", "en", stdout=out)
    assert out.getvalue().strip() == PURGED % {"n": 0}


def test_without_the_option_the_active_language_stays(chinese_stand_in):
    chinese_stand_in(None, PURGED)
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("purge_import_uploads", stdout=out)
        expected = translation.gettext(PURGED) % {"n": 0}
    assert out.getvalue().strip() == expected


@pytest.mark.parametrize("given", ["fr", "zh-hant", "", "  "])
def test_an_unknown_language_is_refused_naming_the_choices_and_nothing_is_done(tmp_path, given):
    path = tmp_path / "courses.csv"
    path.write_text("code,title,credits\nC1,Course one,3\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_courses", str(path), "--language", given, stdout=StringIO())
    assert str(raised.value) == UNKNOWN % {
        "language": given,
        "choices": "en (English), zh-hans (简体中文)",
    }
    assert not Course.objects.filter(code="C1").exists()
