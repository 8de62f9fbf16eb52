"""manage.py purge_import_uploads [--days N]"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.management.base import LanguageCommand
from positions.services import import_uploads_purge


class Command(LanguageCommand):
    help = _(
        "Delete uploaded import files older than IMPORT_UPLOAD_RETENTION_DAYS (or --days), "
        "except those of jobs still running. Beat runs this daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help=_("Keep files younger than this many days."))

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError(_("--days cannot be negative."))
        removed = import_uploads_purge(days=days)
        self.stdout.write(_("Deleted %(n)d uploaded file(s).") % {"n": removed})
