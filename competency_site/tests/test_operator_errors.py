"""What an operator following the README sees when the environment is wrong: `manage.py` (the
README's collectstatic, migrate, load_paper, createsuperuser, check --deploy) stops with one line
saying what to fix and a non-zero status, not a 50-line traceback ending in it; `--traceback`
still gives the traceback. The settings refuse a DATABASE_URL they cannot read by its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import django_in_a_fresh_process

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 60


def _manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_manage_py_in_production_without_a_secret_key_says_so_in_one_line():
    result = _manage("check", DJANGO_DEBUG="false")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false."
    ]


@pytest.mark.parametrize(
    ("variable", "value"), [("DJANGO_DEBUG", "flase"), ("API_ANON_THROTTLE_RATE", "lots")]
)
def test_manage_py_names_a_value_it_cannot_read_in_one_line(variable, value):
    result = _manage("migrate", "--noinput", DJANGO_SECRET_KEY=SECRET, **{variable: value})
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert variable in lines[0]


def test_manage_py_with_the_database_out_of_reach_says_so_without_its_password():
    """A wrong host or port in DATABASE_URL (nothing listens on port 1): migrate stops naming
    the variable and the driver's reason, with the URL's password left out."""
    result = _manage(
        "migrate",
        "--noinput",
        DATABASE_URL="postgres://app:s3cret-pw@127.0.0.1:1/competency",
        DJANGO_SECRET_KEY=SECRET,
    )
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("The database cannot be reached (DATABASE_URL): "), lines
    assert "127.0.0.1" in result.stderr
    assert "s3cret-pw" not in result.stderr


def test_manage_py_traceback_option_still_shows_the_traceback():
    result = _manage("check", "--traceback", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("url", ["not-a-url", "postgress://app@db:5432/competency"])
def test_a_database_url_the_settings_cannot_read_is_refused_naming_it(url):
    """It was a KeyError: 'ENGINE' from the settings module, naming neither the variable nor
    the schemes it takes."""
    result = django_in_a_fresh_process("settings.DATABASES", DATABASE_URL=url)
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), last_line
    assert "DATABASE_URL" in last_line
    assert "postgres://" in last_line
