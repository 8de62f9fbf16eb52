"""Django's loaddata, then each loaded model's ids kept past those of its deleted records
(core.ids): Django moves a sequence past the highest id loaded only, so after a move to another
database the next record took the id of one deleted last, whose history, restore and sync
record then named two records."""

from django.core.management.commands import loaddata

from core.ids import ids_reserve


class Command(loaddata.Command):
    def reset_sequences(self, connection, models):
        super().reset_sequences(connection, models)
        ids_reserve(models=models, using=self.using)
