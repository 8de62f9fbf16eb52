"""The project's management commands, in the language their reader asks for.

Django runs a command in `settings.LANGUAGE_CODE` (nothing activates another: there is no
request), so a command's messages, counts and refusals could not be had in Chinese from the shell.
`LanguageCommand` gives each of the project's commands `--language CODE`, one of
`settings.LANGUAGES` (`zh-hans`; `zh`, `zh_Hans`, `zh-cn` name it too), which the whole
command runs in; without it the active language stays as it is (`LANGUAGE_CODE` from the shell,
the caller's under `translation.override`).
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from core.csv import CSV_ENCODING_NAMES, UTF_8
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


class _BarStream:
    """A command's stderr as tqdm writes to it: each write as given. The wrapper itself ends every
    write with a line break and, on a terminal, colours it as an error, which made each redraw of
    a bar a red line of its own instead of the line redrawn in place."""

    def __init__(self, wrapper: OutputWrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapper, name)


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

    def progress_bar(self, **kwargs: Any) -> tqdm:
        """A tqdm progress bar on the command's stderr, redrawn in place."""
        return tqdm(file=_BarStream(self.stderr), **kwargs)


def add_encoding_argument(parser) -> None:
    """`--encoding NAME`: the encoding a CSV file is read in (core.csv.CSV_ENCODING_NAMES, any
    case; UTF-8 by default), as the admin's select and the API's `encoding` choose it. Another
    name is refused by the parser, listing them."""
    parser.add_argument(
        "--encoding",
        type=str.lower,
        choices=CSV_ENCODING_NAMES,
        default=UTF_8,
        help=_(
            "The encoding a CSV file is read in: utf-8 (default; UTF-16 too by its byte order "
            "mark), gb18030 (also GBK and GB2312: Chinese Windows' plain CSV), big5 or "
            "windows-1252. Never guessed; an XLSX file ignores it."
        ),
    )
