"""Django's loaddata, then each loaded model's ids kept past those of its deleted records
(core.ids): Django moves a sequence past the highest id loaded only, so after a move to another
database the next record took the id of one deleted last, whose history, restore and sync
record then named two records.

A file it cannot read (a .json.gz cut short or no gzip at all, JSON cut short, a model this site
has not, a row the database refuses) is one line naming the file, as a missing one is, where it
ended in a traceback; loaddata's transaction has then loaded nothing of it."""

from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from core.ids import ids_reserve


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        try:
            return super().handle(*fixture_labels, **options)
        except (DeserializationError, IntegrityError, OSError, EOFError, ValueError) as error:
            if options.get("traceback"):
                raise
            # Django's own message names the file ("Problem installing fixture '…': …").
            raise CommandError(str(error).strip()) from error

    def reset_sequences(self, connection, models):
        super().reset_sequences(connection, models)
        ids_reserve(models=models, using=self.using)
