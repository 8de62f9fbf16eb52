"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import django_in_a_fresh_process

ROOT = Path(__file__).resolve().parents[2]


DEFAULT_PRINT = (
    "settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER"
)


def _django_setup(
    printed: str = DEFAULT_PRINT, **env_overrides: str
) -> subprocess.CompletedProcess:
    """Start Django in a fresh interpreter with the given environment and print some settings."""
    return django_in_a_fresh_process(printed, **env_overrides)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _django_setup(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = _django_setup(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_embedded_default_is_sqlite_with_inline_tasks():
    env = {"DATABASE_URL": "", "CELERY_BROKER_URL": ""}
    result = _django_setup(**env)
    assert result.returncode == 0, result.stderr
    _debug, engine, eager = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"


def test_broker_url_switches_tasks_to_workers():
    result = _django_setup(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2] == "False"


@pytest.mark.parametrize("hosts", ["example.org", "a.example.org,b.example.org"])
def test_allowed_hosts_come_from_the_environment(hosts):
    result = _django_setup("settings.ALLOWED_HOSTS", DJANGO_ALLOWED_HOSTS=hosts)
    assert result.returncode == 0, result.stderr
    for host in hosts.split(","):
        assert host in result.stdout


@pytest.mark.parametrize("hosts", ["", " , "])
def test_allowed_hosts_set_but_empty_are_the_default(hosts):
    """Observed by an operator: `DJANGO_ALLOWED_HOSTS=` (a compose file's ${VAR} of nothing)
    allowed no host at all, every request a 400, with only an indirect warning (core.W005).
    Set but empty, it is read as unset, as a switch is."""
    result = _django_setup("settings.ALLOWED_HOSTS", DJANGO_ALLOWED_HOSTS=hosts)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', 'localhost', 'testserver']"


def test_celery_app_is_loaded_with_django():
    from competency_site import celery_app

    assert celery_app.main == "competency_site"
    assert celery_app.conf.task_acks_late is True


def test_inline_tasks_without_a_broker_log_no_warning():
    """`make run` has no broker: enqueuing a task (which runs inline) must not make kombu warn
    "No hostname was supplied" about a broker that does not exist."""
    code = (
        "import django; django.setup()\n"
        "from competency_site.celery import app\n"
        "@app.task(name='probe', shared=False)\n"
        "def probe():\n"
        "    return 7\n"
        "print(probe.delay().get())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "competency_site.settings", "LOG_LEVEL": "INFO"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7"
    assert "No hostname" not in result.stderr
    assert "WARNING" not in result.stderr


SERVED_AT = "settings.CASE_BASE_URL, settings.SPECTACULAR_SETTINGS['SERVERS'][0]['url']"


def test_the_address_the_site_is_served_at_names_its_case_uris_and_schema_server():
    """`PORT=8080 make run` serves on 8080: CASE URIs (a package's CFPackageURI) and the OpenAPI
    schema's server (Swagger UI's *Try it out*) must name 8080 too, not the default 8000.
    Observed: on 8031 every CFDocument's CFPackageURI named http://127.0.0.1:8000/."""
    result = _django_setup(
        SERVED_AT, SITE_URL="http://127.0.0.1:8080/", CASE_BASE_URL="", API_SERVER_URL=""
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8080", "http://127.0.0.1:8080"]


def test_case_base_url_and_api_server_url_still_win_over_the_site_url():
    result = _django_setup(
        SERVED_AT,
        SITE_URL="http://127.0.0.1:8080",
        CASE_BASE_URL="https://curricula.example.edu/case",
        API_SERVER_URL="https://curricula.example.edu",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "https://curricula.example.edu/case",
        "https://curricula.example.edu",
    ]


def test_without_a_site_url_both_default_to_the_embedded_setups_address():
    result = _django_setup(SERVED_AT, SITE_URL="", CASE_BASE_URL="", API_SERVER_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000", "http://127.0.0.1:8000"]


# --- A value the settings cannot read stops the start, naming its variable ---------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_TRUSTED_PROXIES", "one"),
        ("DJANGO_SECURE_HSTS_SECONDS", "1y"),
        ("AXES_COOLOFF_MINUTES", "x"),
        ("CELERY_BROKER_TRANSPORT_OPTIONS", "{bad"),
        # A typo in a protection's switch must not turn the protection off.
        ("DJANGO_SECURE_SSL_REDIRECT", "ture"),
        ("DJANGO_SECURE_COOKIES", "yes please"),
        ("DJANGO_DEBUG", "flase"),
        # Read only by the first throttled request, which then answered 500 (every one of them).
        ("API_ANON_THROTTLE_RATE", "lots"),
        ("API_AUTH_FAILURE_RATE", "20"),
        ("PASSWORD_RESET_RATE", "5/fortnight"),
        ("API_ANON_THROTTLE_RATE", "x/minute"),
        # Was "ValueError: Unable to configure root logger", naming no variable.
        ("LOG_LEVEL", "verbose"),
        # Observed by an operator: a traceback ("Incorrect timezone setting: Mars/Base"), the
        # worker and beat not starting.
        ("DJANGO_TIME_ZONE", "Mars/Base"),
        # JSON, but no object: "TypeError: 'list' object is not a mapping" in a traceback.
        ("CELERY_BROKER_TRANSPORT_OPTIONS", "[1]"),
        # Read as 30 minutes and as 1.5: django-environ dropped what was no digit.
        ("AXES_COOLOFF_MINUTES", "30s"),
        ("AXES_COOLOFF_MINUTES", "1,5"),
        # Accepted, then every `manage.py suggest` failed blaming its --k.
        ("SUGGESTIONS_PER_SUBJECT", "0"),
        # "Invalid cache schema foo", "Invalid email schema ": no variable named.
        ("CACHE_URL", "foo://bar"),
        ("EMAIL_URL", "nope"),
        # Accepted, then the first query failed: "Error loading MySQLdb module".
        ("DATABASE_URL", "mysql://root@127.0.0.1/x"),
    ],
)
def test_a_value_that_cannot_be_read_is_refused_at_start_naming_its_variable(variable, value):
    result = _django_setup(**{variable: value, "DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), last_line
    assert variable in last_line


def test_a_number_refused_is_quoted_as_given():
    """Observed: `AXES_COOLOFF_MINUTES=abc` was refused "could not convert string to float: ''",
    quoting what was left once every character that is no digit had been dropped."""
    result = _django_setup(AXES_COOLOFF_MINUTES="abc")
    last_line = result.stderr.strip().splitlines()[-1]
    assert "AXES_COOLOFF_MINUTES='abc'" in last_line
    assert "''" not in last_line


@pytest.mark.parametrize(
    ("variable", "value", "printed", "expected"),
    [
        ("AXES_COOLOFF_MINUTES", " 2.5 ", "settings.AXES_COOLOFF_TIME", "0:02:30"),
        ("DJANGO_TIME_ZONE", "Asia/Shanghai", "settings.TIME_ZONE", "Asia/Shanghai"),
        ("SUGGESTIONS_PER_SUBJECT", "1", "settings.SUGGESTIONS_PER_SUBJECT", "1"),
    ],
)
def test_good_values_of_the_checked_variables_are_read(variable, value, printed, expected):
    result = _django_setup(printed, **{variable: value})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", "True"), ("False", "False"), ("1", "True"), ("off", "False"), ("yes", "True")],
)
def test_the_usual_spellings_of_a_switch_are_read(value, expected):
    result = _django_setup("settings.SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("rate", ["600/minute", "5/hour", "20/m", "1/s", "100/day"])
def test_rates_in_drfs_notation_are_read(rate):
    result = _django_setup(
        "settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon']", API_ANON_THROTTLE_RATE=rate
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == rate


@pytest.mark.parametrize(("value", "expected"), [("debug", "DEBUG"), (" Warning ", "WARNING")])
def test_a_log_level_is_read_in_any_case(value, expected):
    """`LOG_LEVEL=debug` stopped every start with "Unable to configure root logger": Python's
    logging takes only the upper-case names."""
    result = _django_setup("settings.LOGGING['root']['level']", LOG_LEVEL=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
