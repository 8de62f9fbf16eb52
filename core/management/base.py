"""The project's management commands, in the language their reader asks for.

Django runs a command in `settings.LANGUAGE_CODE` (nothing activates another: there is no
request), so a command's messages, counts and refusals could not be had in Chinese from the shell.
`LanguageCommand` gives each of the project's commands `--language CODE`, one of
`settings.LANGUAGES` (`zh-hans`; `zh`, `zh_Hans`, `zh-cn` name it too), which the whole
command runs in; without it the active language stays as it is (`LANGUAGE_CODE` from the shell,
the caller's under `translation.override`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import join_list


def command_language(value: str) -> str:
    """The code in `settings.LANGUAGES` that `value` names ('zh_Hans', 'ZH-hans', 'zh-cn', 'zh'
    and 'en-us' name one too), or a CommandError listing the languages there are."""
    code = (value or "").strip().lower().replace("_", "-")
    if code:
        try:
            return translation.get_supported_language_variant(code, strict=True)
        except LookupError:
            # 'zh' names the one Chinese the interface has (Django knows only its variants).
            starting = [
                known for known, _name in settings.LANGUAGES if known.startswith(f"{code}-")
            ]
            if len(starting) == 1:
                return starting[0]
    choices = join_list(f"{code} ({name})" for code, name in settings.LANGUAGES)
    raise CommandError(
        _("Unknown language “%(language)s”: choose one of %(choices)s.")
        % {"language": value, "choices": choices}
    )


class LanguageCommand(BaseCommand):
    """A BaseCommand whose `--language` sets the language it runs in: its output, its refusals
    (CommandError) and what it writes in the active language (an import job's `language`)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        parser.add_argument(
            "--language",
            metavar="CODE",
            help=f"The language to write in: {codes} (default: LANGUAGE_CODE).",
        )
        return parser

    def execute(self, *args, **options):
        if options.get("language") is None:
            return super().execute(*args, **options)
        with translation.override(command_language(options["language"])):
            return super().execute(*args, **options)
