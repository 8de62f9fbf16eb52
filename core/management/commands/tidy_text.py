"""manage.py tidy_text [--dry-run | --fix [--user USERNAME]] [--json]: find the text (names, prose,
codes, identifiers, source references, URIs) stored with characters its field refuses (a database
upgraded from a release before the fields of core.models refused them), and with --fix tidy it as a
framework import does.

Until then such a record cannot be edited by any door (the admin, the API, a catalogue
re-import): the stored text is refused with whatever field was changed. Exits with
FOUND_EXIT_CODE while refused characters remain, so that a deployment can be stopped on it.
"""

import json
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.i18n import join_list
from core.management.base import LanguageCommand
from core.models import characters_named
from core.stored_text import StoredIllegalText, stored_illegal_text, stored_text_tidy

# The exit status while stored values hold refused characters (1 is any other failure).
FOUND_EXIT_CODE = 3


def _item(entry: StoredIllegalText) -> dict:
    return {
        "model": entry.model._meta.label,
        "id": entry.pk,
        "field": entry.field,
        "characters": [f"U+{ord(c):04X}" for c in entry.characters],
        "excerpt": entry.excerpt(),
    }


def _records(entries: list[StoredIllegalText]) -> int:
    return len({(entry.model, entry.pk) for entry in entries})


def _by_model(entries: list[StoredIllegalText]) -> dict[str, int]:
    return dict(sorted(Counter(entry.model._meta.label for entry in entries).items()))


class Command(LanguageCommand):
    help = _(
        "Find the text (names, prose, codes, identifiers, source references, URIs) stored with "
        "characters its field refuses (control characters, from a release before they were "
        "refused) and, with --fix, tidy it as a framework import does. Exits with 3 while such "
        "characters remain."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help=_("List the values and change nothing (the default)."),
        )
        mode.add_argument(
            "--fix",
            action="store_true",
            help=_(
                "Tidy the values, in one transaction, with a history record for each: in a "
                "name or a code, a tab or line break becomes a space; in a URI, a space is "
                "percent-encoded; other refused characters are left out."
            ),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=_(
                "With --fix: the account (its username) recorded as the user of each history "
                "record, so that the tidying is told apart from an import. An unknown name "
                "stops the command before anything is written."
            ),
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help=_("Print one JSON object.")
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, fix=False, as_json=False, batch_size=1000, user=None, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size must be positive."))
        history_user = self._user(user) if user is not None else None
        if fix:
            result = stored_text_tidy(chunk_size=batch_size, history_user=history_user)
            tidied, left = result.tidied, result.left
        else:
            tidied, left = [], [(entry, []) for entry in stored_illegal_text(chunk_size=batch_size)]
        found = tidied + [entry for entry, _reasons in left]
        remaining = [entry for entry, _reasons in left]

        if as_json:
            items = [{**_item(entry), **({"status": "tidied"} if fix else {})} for entry in tidied]
            items += [
                {**_item(entry), **({"status": "left", "reasons": reasons} if fix else {})}
                for entry, reasons in left
            ]
            self.stdout.write(
                json.dumps(
                    {
                        "fixed": fix,
                        "found": len(found),
                        "records": _records(found),
                        "by_model": _by_model(found),
                        "tidied": len(tidied),
                        "left": len(remaining),
                        "values": items,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif options.get("verbosity", 1):
            self._write_text(tidied, left, fix=fix)
        if remaining:
            raise CommandError(
                self._remaining_summary(remaining, fix=fix), returncode=FOUND_EXIT_CODE
            )

    @staticmethod
    def _user(username: str):
        model = get_user_model()
        try:
            return model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(
                _("No account has the username “%(username)s”: nothing was changed.")
                % {"username": username}
            ) from None

    def _write_text(self, tidied, left, *, fix: bool) -> None:
        for entry in tidied:
            self.stdout.write(self._line(entry, _("tidied")))
        for entry, reasons in left:
            status = _("left as it is: %(reasons)s") % {"reasons": " ".join(reasons)} if fix else ""
            self.stdout.write(self._line(entry, status))
        if tidied:
            self.stdout.write(
                _(
                    "Tidied: %(values)d values in %(records)d records (%(models)s), with a "
                    "history record where the model keeps history."
                )
                % {
                    "values": len(tidied),
                    "records": _records(tidied),
                    "models": self._models(tidied),
                }
            )
        elif not left:
            self.stdout.write(_("No stored text holds a character its field refuses."))

    @staticmethod
    def _line(entry: StoredIllegalText, status: str) -> str:
        line = f"{entry.model._meta.label} {entry.pk} {entry.field}: "
        line += f"{characters_named(entry.characters)} “{entry.excerpt()}”"
        return f"{line} ({status})" if status else line

    @staticmethod
    def _models(entries: list[StoredIllegalText]) -> str:
        return join_list(f"{label}: {count}" for label, count in _by_model(entries).items())

    def _remaining_summary(self, remaining: list[StoredIllegalText], *, fix: bool) -> str:
        counts = {
            "values": len(remaining),
            "records": _records(remaining),
            "models": self._models(remaining),
        }
        if fix:
            return (
                _(
                    "Left as they are: %(values)d values in %(records)d records (%(models)s), "
                    "whose tidied text would break a rule of their model (named above). Correct "
                    "them by hand, in the admin or the API."
                )
                % counts
            )
        return (
            _(
                "Values holding characters their field refuses: %(values)d in %(records)d "
                "records (%(models)s). Until they are tidied, these records cannot be edited. "
                "Tidy them with: manage.py tidy_text --fix"
            )
            % counts
        )
