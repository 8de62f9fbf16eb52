"""Django's makemessages, also reading the SVG templates (the coverage chart,
templates/curricula/chart.svg): by default Django reads only .html, .txt and .py files, so the
chart's text would never reach the catalogue and would stay English in Chinese."""

from django.core.management.commands import makemessages

# Django's defaults for the "django" domain, plus the SVG templates.
DEFAULT_EXTENSIONS = ["html", "txt", "py", "svg"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        if options.get("domain", "django") == "django" and not options.get("extensions"):
            options["extensions"] = DEFAULT_EXTENSIONS
        return super().handle(*args, **options)
