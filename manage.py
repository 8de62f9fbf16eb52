#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    # The deployment's own mistakes (a variable missing or unreadable, the database out of
    # reach) end in one line saying what to fix, as a CommandError does, not in a traceback
    # through Django's start-up; --traceback still shows it.
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        if "--traceback" in sys.argv:
            raise
        sys.exit(f"Configuration error: {error}")
    except DatabaseError as error:
        from core.errors import database_unavailable
        from core.logs import without_credentials

        if "--traceback" in sys.argv or not database_unavailable(error):
            raise
        reason = without_credentials(" ".join(str(error).split()))
        sys.exit(f"The database cannot be reached (DATABASE_URL): {reason}")


if __name__ == "__main__":
    main()
