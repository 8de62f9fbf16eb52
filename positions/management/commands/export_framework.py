"""manage.py export_framework ID --format moodle [--output FILE]"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.management.base import LanguageCommand
from positions.importers.moodle import framework_moodle_csv
from positions.models import Framework


class Command(LanguageCommand):
    help = _(
        "Export a framework as a Moodle competency framework CSV (tool_lpimportcsv, 14 columns). "
        "CASE packages are served by the CASE provider at /ims/case/v1p1/CFPackages/<id>."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework_id", type=int)
        parser.add_argument("--format", required=True, choices=["moodle"], dest="format")
        parser.add_argument("--output", "-o", help=_("File to write; standard output if absent."))

    def handle(self, *args, framework_id, format, output=None, **options):
        framework = Framework.objects.filter(pk=framework_id).first()
        if framework is None:
            raise CommandError(_("No framework with id %(id)s.") % {"id": framework_id})
        text = framework_moodle_csv(framework=framework)
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as error:  # no such folder, a folder, no permission, disk full
                raise CommandError(
                    _("%(path)s cannot be written: %(reason)s.")
                    % {"path": output, "reason": error.strerror or error}
                ) from None
        else:
            self.stdout.write(text, ending="")
