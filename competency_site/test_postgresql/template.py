"""One migrated test database per run, copied for each pytest-xdist worker.

Each worker made its own test database by running every migration: 38 s of CPU on the CI
machine, twice (one per worker), at the same moment as both workers were collecting the suite.
Under xdist the controlling process, which runs no test, now starts one process that migrates a
template database while the workers collect; each worker then copies it (CREATE DATABASE ...
TEMPLATE, a second) instead of migrating. The copy is the migrated database itself: the same
schema, migration records, seeded level scale, content types and permissions. Without xdist, with
--reuse-db, or when the template could not be made, each database is made by migrating as before.

The controller passes the template's name, the file its builder writes when done ("ready", or
"failed: why") and the builder's process id to the workers in the environment they inherit.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

TEMPLATE = "TEST_DATABASE_TEMPLATE"
TEMPLATE_DONE = "TEST_DATABASE_TEMPLATE_DONE"
TEMPLATE_BUILDER = "TEST_DATABASE_TEMPLATE_BUILDER"
TEMPLATE_VARIABLES = (TEMPLATE, TEMPLATE_DONE, TEMPLATE_BUILDER)

# Longer than any migration of the project takes on a loaded machine.
WAIT_SECONDS = 900

BASE_DIR = Path(__file__).resolve().parents[2]


def start(name: str, done: Path) -> subprocess.Popen:
    """Start the process making the template `name` (dropped first if it is there); it writes
    `done` when it ends. Tells the processes started from here afterwards (the workers) where
    to find it."""
    done.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "competency_site.test_postgresql.template", name, str(done)],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in TEMPLATE_VARIABLES},
            "DJANGO_SETTINGS_MODULE": "competency_site.test_settings",
        },
    )
    os.environ.update(
        {TEMPLATE: name, TEMPLATE_DONE: str(done), TEMPLATE_BUILDER: str(process.pid)}
    )
    return process


def ready_template() -> str | None:
    """The template's name once its builder has made it; None without one, or if it failed
    (then the caller migrates its own database, as without a template)."""
    name, done = os.environ.get(TEMPLATE), os.environ.get(TEMPLATE_DONE)
    if not name or not done:
        return None
    done = Path(done)
    builder = int(os.environ.get(TEMPLATE_BUILDER, "0"))
    deadline = time.monotonic() + WAIT_SECONDS
    while not done.exists():
        if not _alive(builder) and not done.exists():
            return None
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)
    return name if done.read_text() == "ready" else None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - alive, another user's
        return True
    return True


def drop(name: str) -> None:
    """Drop the template (at the end of the run, by the controller)."""
    from django.db import connection

    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def build(name: str, done: Path) -> None:
    """Make the template as a test database is made (Django's create_test_db: an empty
    database, then every migration), leave it with no connection open, and say so in `done`."""
    import django

    outcome = "failed: the builder stopped"
    try:
        django.setup()
        from django.db import connection

        connection.settings_dict["TEST"]["NAME"] = name
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
        outcome = "ready"
    except BaseException as error:
        outcome = f"failed: {error!r}"
        raise
    finally:
        partial = done.with_name(done.name + ".partial")
        partial.write_text(outcome)
        partial.replace(done)  # whole or absent: a worker never reads half of it


if __name__ == "__main__":
    build(sys.argv[1], Path(sys.argv[2]))
