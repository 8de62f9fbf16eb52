"""What a web process sets on its database connections that other processes do not."""

from django.conf import settings
from django.db import connections


def web_statement_timeout() -> None:
    """Give this process's PostgreSQL connections the web's statement timeout
    (DATABASE_STATEMENT_TIMEOUT, as libpq's `-c statement_timeout`, sent as each connects: no
    query of its own). Called by competency_site.wsgi and .asgi once Django is set up, before the
    first request; Celery workers and management commands never call it. The settings module
    cannot tell which process loads it: importing the application's package (its Celery app)
    already loads the settings, before the WSGI module says it is one."""
    timeout = settings.DATABASE_STATEMENT_TIMEOUT
    if not timeout:
        return
    for connection in connections.all(initialized_only=False):
        if connection.vendor != "postgresql":
            continue
        # The settings' own dict (settings.DATABASES), read at each connection.
        options = connection.settings_dict.setdefault("OPTIONS", {})
        given = options.get("options", "")
        if "statement_timeout=" not in given:
            options["options"] = f"{given} -c statement_timeout={timeout}".strip()
        # One opened while the application loaded is opened again, with the timeout.
        connection.close()
