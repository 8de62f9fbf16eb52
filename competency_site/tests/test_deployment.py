"""Deployment: the production configuration passes Django's deploy checks, sends the security
headers, takes its secrets only from the environment, has a valid OpenAPI schema, and `make prod`
runs the processes the README describes."""

import os
import re
import subprocess
import sys
from pathlib import Path

import openapi_spec_validator
import pytest
from django.core.management import call_command
from django.test import Client

from conftest import django_in_a_fresh_process

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-secret-from-the-environment" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "curricula.example.org",
    "SITE_URL": "https://curricula.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.edu:587",
}


def _run(args: list[str], **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


# The README's production table: a broker for the workers, a cache shared by every process.
SHARED_CACHE = {
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


# What `manage.py check` says, run once per settings variant (a fresh process each: the
# settings module reads the environment once, at start-up) and shared by the tests reading it.
# Each run costs a process start and, with --deploy, drf-spectacular's schema check (about 2 s of
# CPU together); fourteen runs were one per test, five variants hold the same cases: a check
# judges each entry of DJANGO_ALLOWED_HOSTS on its own (one warning per entry) and the checks
# do not depend on one another, so one run with every faulty value must name each of them, and
# a test still fails when the warning for its own value goes missing.
CLEAN_HOSTS = "curricula.example.org,10.0.0.5,[::1]"
NOT_HOST_NAMES = [
    "https://curricula.example.org",
    "curricula.example.org:443",
    "curricula.example.org/",
]
WILDCARDS = [
    ("*", "'*'"),
    (".example.org", "'.example.org'"),
    ("curricula.example.org,.example.org", "'.example.org'"),
]
CHECK_VARIANTS = {
    # Production as the README sets it up, with host names and addresses.
    "clean": (True, {**SHARED_CACHE, **PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": CLEAN_HOSTS}),
    # Production with everything the deploy checks warn of: no CACHE_URL, no broker, no mail
    # server, and every faulty allowed host.
    "faulty": (
        True,
        {
            **PRODUCTION_ENV,
            "CACHE_URL": "",
            "CELERY_BROKER_URL": "",
            "EMAIL_URL": "",
            "DJANGO_ALLOWED_HOSTS": ",".join(NOT_HOST_NAMES + [hosts for hosts, _ in WILDCARDS]),
        },
    ),
    "locmemcache://": (
        True,
        {**PRODUCTION_ENV, **SHARED_CACHE, "CACHE_URL": "locmemcache://"},
    ),
    "dummycache://": (
        True,
        {**PRODUCTION_ENV, **SHARED_CACHE, "CACHE_URL": "dummycache://"},
    ),
    # Production as the README's production table had it: SITE_URL left unset, its development
    # default (http://127.0.0.1:8000). Apart from "faulty", whose wildcard host matches it.
    "no SITE_URL": (True, {**PRODUCTION_ENV, **SHARED_CACHE, "SITE_URL": ""}),
    # `make prod` on one's own machine: plain HTTP on 127.0.0.1, served at its SITE_URL.
    "make prod": (
        True,
        {
            **PRODUCTION_ENV,
            **SHARED_CACHE,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1:8000",
        },
    ),
    # Production sending through a mail server of its own machine, named as EMAIL_URL.
    "local mail server": (
        True,
        {**PRODUCTION_ENV, **SHARED_CACHE, "EMAIL_URL": "smtp://localhost:25"},
    ),
    # Development (no DJANGO_* but the hosts): a wildcard host and no shared cache.
    "development": (False, {"DJANGO_ALLOWED_HOSTS": "*", "CACHE_URL": ""}),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """`checked(variant)`: the finished `manage.py check [--deploy] --fail-level WARNING` of
    CHECK_VARIANTS[variant], run the first time a test of this process asks for it."""
    runs: dict[str, subprocess.CompletedProcess] = {}

    def run(variant: str) -> subprocess.CompletedProcess:
        if variant not in runs:
            deploy, env = CHECK_VARIANTS[variant]
            database = tmp_path_factory.mktemp("check") / "check.sqlite3"
            runs[variant] = _run(
                [sys.executable, "manage.py", "check"]
                + (["--deploy"] if deploy else [])
                + ["--fail-level", "WARNING"],
                DATABASE_URL=f"sqlite:///{database}",
                **env,
            )
        return runs[variant]

    return run


def _warnings(output: str, check_id: str) -> list[str]:
    """The text of each warning `check_id` in a check's output, with its hint."""
    blocks = re.split(r"\n(?=\S)", output)
    return [block for block in blocks if f"({check_id})" in block]


def test_check_deploy_with_production_settings_is_clean(checked):
    result = checked("clean")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("cache_url", ["", "locmemcache://", "dummycache://"])
def test_check_deploy_warns_of_a_cache_each_process_keeps_apart(checked, cache_url):
    """Without CACHE_URL each gunicorn and Celery process has a cache of its own: throttles and
    login failure counts are kept per process (two workers let twice the failures through) and
    a worker's import progress never reaches the page showing it."""
    result = checked(cache_url or "faulty")
    assert result.returncode != 0, result.stdout + result.stderr
    (warning,) = _warnings(result.stderr, "core.W001")
    assert "CACHE_URL" in warning


def test_check_deploy_warns_when_production_runs_its_tasks_inside_requests(checked):
    """Without CELERY_BROKER_URL a background import, a sweep of every programme's coverage or
    a suggestion job runs inside the web request that asked, past gunicorn's timeout, and no
    beat sweeps what a killed request left."""
    result = checked("faulty")
    assert result.returncode != 0, result.stdout + result.stderr
    (warning,) = _warnings(result.stderr, "core.W002")
    assert "CELERY_BROKER_URL" in warning
    # With a broker (and a shared cache that is not local), no such warning.
    assert _warnings(checked("locmemcache://").stderr, "core.W002") == []


@pytest.mark.parametrize("hosts", NOT_HOST_NAMES)
def test_check_deploy_warns_of_an_allowed_host_that_is_no_host_name(checked, hosts):
    """An origin (as DJANGO_CSRF_TRUSTED_ORIGINS takes), a port or a path in
    DJANGO_ALLOWED_HOSTS matches no request: every request was answered 400 while check
    --deploy said "no issues"."""
    result = checked("faulty")
    assert result.returncode != 0, result.stdout + result.stderr
    (warning,) = [w for w in _warnings(result.stderr, "core.W003") if f"holds {hosts!r}" in w]
    assert "Give the host name alone: curricula.example.org." in warning


def test_check_deploy_takes_host_names_and_addresses(checked):
    result = checked("clean")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("hosts", "wildcard"), WILDCARDS)
def test_check_deploy_warns_of_a_wildcard_allowed_host(checked, hosts, wildcard):
    """A wildcard lets a request name a host the site does not own in its Host header, which
    Django then trusts for the links it builds (redirects, the API's next pages and Location
    headers): check --deploy said "no issues" for "*" and ".example.org"."""
    result = checked("faulty")
    assert result.returncode != 0, result.stdout + result.stderr
    warnings = [w for w in _warnings(result.stderr, "core.W004") if f"wildcard {wildcard}" in w]
    assert warnings, result.stderr
    assert all("Host header" in warning for warning in warnings)
    # The hosts beside the wildcard are no warning of their own.
    assert not any("'curricula.example.org'" in w for w in _warnings(result.stderr, "core.W004"))


def test_check_deploy_warns_of_a_site_url_the_site_is_not_served_at(checked):
    """SITE_URL left unset in production is http://127.0.0.1:8000: every password reset mail
    linked there, and the CASE URIs and the API schema's server were made from it (CASE_BASE_URL
    and API_SERVER_URL unset), while check --deploy said "no issues"."""
    result = checked("no SITE_URL")
    assert result.returncode != 0, result.stdout + result.stderr
    (warning,) = _warnings(result.stderr, "core.W005")
    assert "SITE_URL is 'http://127.0.0.1:8000'" in warning
    assert "password reset" in warning
    # A SITE_URL naming a host the site serves is no warning: production's, or `make prod`'s
    # on one's own machine.
    assert _warnings(checked("clean").stderr, "core.W005") == []
    assert _warnings(checked("make prod").stderr, "core.W005") == []


def test_check_deploy_warns_when_production_mail_has_no_server_named(checked):
    """EMAIL_URL left unset in production is smtp://localhost:25: with no mail server on the
    machine every password reset failed with only an ERROR line in the log, while check
    --deploy said "no issues"."""
    result = checked("faulty")
    assert result.returncode != 0, result.stdout + result.stderr
    (warning,) = _warnings(result.stderr, "core.W006")
    assert "EMAIL_URL is unset" in warning
    assert "password reset" in warning
    assert "smtp+tls://" in warning  # the hint: how to set it
    # Set (production's, or smtp://localhost:25 for a machine running its own server): no
    # warning.
    assert _warnings(checked("clean").stderr, "core.W006") == []
    assert _warnings(checked("local mail server").stderr, "core.W006") == []


def test_development_checks_leave_wildcard_hosts_alone(checked):
    """Only the deploy checks warn: a development machine may take any host."""
    result = checked("development")
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_needs_no_shared_cache(checked):
    result = checked("development")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_secret_key_comes_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)"
    )
    result = _run(
        [sys.executable, "-c", code],
        DJANGO_SETTINGS_MODULE="competency_site.settings",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [PRODUCTION_ENV["DJANGO_SECRET_KEY"], "True", "True"]


def test_no_secret_is_written_in_the_settings_or_committed():
    settings_text = (ROOT / "competency_site" / "settings.py").read_text()
    # The only literal key is the development one, refused when DEBUG is off.
    assert re.findall(r'^SECRET_KEY = "', settings_text, re.M) == []
    assert not re.search(r"://\w+:[^@/\s]+@", settings_text), "a password in a default URL"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


@pytest.fixture
def production_security(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def test_plain_http_is_redirected_to_https(db, production_security):
    response = Client().get("/api/v1/levels/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/levels/"


@pytest.mark.parametrize("path", ["/", "/api/v1/levels/", "/accounts/login/"])
def test_security_headers_on_pages_and_the_api(db, production_security, path):
    response = Client().get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_secure_and_the_session_cookie_is_http_only(
    db, production_security, staff_user
):
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/accounts/login/", secure=True)
    assert login_page.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {
            "username": "staff",
            "password": "staff-pass-123",
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        secure=True,
        # Over HTTPS, Django's CSRF check also wants a same-origin Referer.
        HTTP_REFERER="https://testserver/accounts/login/",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]


def test_the_language_cookie_is_secure_http_only_and_same_site_in_production():
    """Wapiti's cookieflags on a DEBUG-off run: `django_language`, which the language switch
    sets, went out without Secure, HttpOnly or SameSite, where the session and CSRF cookies
    have Secure: over HTTPS it was sent on any plain-HTTP request too. No script reads it."""
    printed = (
        "(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY,"
        " settings.LANGUAGE_COOKIE_SAMESITE)"
    )
    result = django_in_a_fresh_process(printed, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(True, True, 'Lax')"
    # Plain HTTP on one's own machine (make prod) turns Secure off for it as for the others.
    result = django_in_a_fresh_process(printed, DJANGO_SECURE_COOKIES="false", **PRODUCTION_ENV)
    assert result.stdout.strip() == "(False, True, 'Lax')"


def test_the_language_switch_sets_its_cookie_http_only_and_same_site(db):
    response = Client().post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "zh-hans"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_whole_project_openapi_schema_validates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/ims/case/v1p1/CFDocuments" in text
    assert "operationId: getCFPackage" in text
    assert "/api/v1/frameworks/{id}/moodle.csv" in text


def test_the_served_schema_is_valid_openapi_to_openapi_spec_validator(db):
    """The schema a client generator downloads, through the standard validator: beside the
    document's shape (which `spectacular --validate` checks), every Schema Object against the
    OpenAPI 3.1 dialect (a `type` no JSON Schema has, a misspelt keyword's value), the
    references resolved, each templated path parameter declared."""
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    openapi_spec_validator.validate(response.json())


def test_make_prod_runs_the_production_processes():
    result = _run(["make", "-n", "prod"])
    assert result.returncode == 0, result.stderr
    plan = result.stdout
    for step in (
        "manage.py collectstatic",
        "manage.py migrate",
        "manage.py load_paper --if-empty",
        "gunicorn competency_site.wsgi",
        "celery -A competency_site worker",
        "celery -A competency_site beat",
        "DJANGO_DEBUG=false",
        "CACHE_URL=",
    ):
        assert step in plan, step
    assert re.search(r"^\.PHONY:.*\bprod\b", (ROOT / "Makefile").read_text(), re.M)


def _migrated_database(path: Path) -> str:
    """A migrated database for a subprocess, as DATABASE_URL. On SQLite, a copy of the test
    database at `path` (migrated once for the session; migrating a new file takes ~15 s). On
    another database, the test database itself (migrating a new one in a subprocess took 40 to
    90 s of the suite): the calling test must let the subprocess's writes be seen and then
    flushed (`django_db(transaction=True)`)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    settings = connection.settings_dict
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    host = settings["HOST"] or "localhost"
    return f"postgres://{user}@{host}{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_readme_noinput_superuser_recipe_creates_a_staff_account_that_can_sign_in(tmp_path):
    """The README's `createsuperuser --noinput` recipe, run as written, gives an account that
    signs in with the password from DJANGO_SUPERUSER_PASSWORD."""
    readme = (ROOT / "README.md").read_text()
    recipe = re.search(
        r"DJANGO_SUPERUSER_PASSWORD='([^']+)' \.venv/bin/python manage\.py createsuperuser"
        r" \\\n\s+(--noinput [^\n]+)",
        readme,
    )
    assert recipe, "the README gives the --noinput recipe"
    password, options = recipe.group(1), recipe.group(2).split()
    database = _migrated_database(tmp_path / "recipe.sqlite3")
    result = _run(
        [sys.executable, "manage.py", "createsuperuser", *options],
        DATABASE_URL=database,
        DJANGO_SUPERUSER_PASSWORD=password,
    )
    assert result.returncode == 0, result.stderr
    username = options[options.index("--username") + 1]
    check = (
        "import django; django.setup(); from django.contrib.auth import authenticate; "
        f"u = authenticate(username={username!r}, password={password!r}); "
        "print(bool(u and u.is_staff and u.is_superuser))"
    )
    signed_in = _run(
        [sys.executable, "-c", check],
        DATABASE_URL=database,
        DJANGO_SETTINGS_MODULE="competency_site.settings",
    )
    assert signed_in.stdout.strip() == "True", signed_in.stderr


@pytest.mark.parametrize("target", ["setup", "run", "prod"])
def test_make_paper_no_leaves_the_papers_data_out(target):
    """`make setup` loads the paper into an empty database; PAPER=no skips it entirely, for a
    university starting from its own catalogue."""
    default = _run(["make", "-n", target])
    assert default.returncode == 0, default.stderr
    assert "manage.py load_paper --if-empty" in default.stdout

    without = _run(["make", "-n", target, "PAPER=no"])
    assert without.returncode == 0, without.stderr
    assert "load_paper" not in without.stdout.replace("PAPER=no", "")
    assert "manage.py migrate" in without.stdout


@pytest.mark.parametrize(
    ("target", "server"), [("run", "manage.py runserver"), ("prod", "gunicorn competency_site")]
)
def test_make_tells_the_site_the_port_it_serves_on(target, server):
    """`PORT=8080 make run` (and `make prod`) passes the address it serves at as SITE_URL, which
    CASE URIs and the OpenAPI schema's server default to."""
    plan = _run(["make", "-n", target, "PORT=8080"])
    assert plan.returncode == 0, plan.stderr
    assert "SITE_URL=" in plan.stdout
    assert "http://127.0.0.1:8080" in plan.stdout
    served = [line for line in plan.stdout.splitlines() if server in line]
    assert served, plan.stdout
    assert "127.0.0.1:8080" in served[0]


# --- Which proxy headers are believed --------------------------------------------------------

PROXY_HEADER = "settings.SECURE_PROXY_SSL_HEADER"


def test_with_no_proxy_x_forwarded_proto_is_not_believed():
    """Nothing in front of gunicorn (DJANGO_TRUSTED_PROXIES=0, the default): a client sending
    X-Forwarded-Proto: https must not be taken for an HTTPS one (Django's docs warn of this)."""
    result = django_in_a_fresh_process(PROXY_HEADER, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_behind_a_trusted_proxy_x_forwarded_proto_is_believed():
    result = django_in_a_fresh_process(PROXY_HEADER, DJANGO_TRUSTED_PROXIES="1", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    ("proxies", "trust", "expected"),
    [
        ("0", "true", "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ("1", "false", "None"),
    ],
)
def test_the_operator_can_say_whether_the_proxy_sets_x_forwarded_proto(proxies, trust, expected):
    """A proxy may end TLS without appending X-Forwarded-For, or append it without ending TLS."""
    result = django_in_a_fresh_process(
        PROXY_HEADER,
        DJANGO_TRUSTED_PROXIES=proxies,
        DJANGO_TRUST_X_FORWARDED_PROTO=trust,
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_client_claiming_https_without_a_proxy_is_still_redirected(db, production_security):
    """The default settings: SECURE_SSL_REDIRECT is not defeated by a header the client wrote."""
    from django.conf import settings as live

    assert live.SECURE_PROXY_SSL_HEADER is None
    response = Client().get("/api/v1/levels/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/levels/"


def test_behind_a_proxy_its_https_header_is_believed(db, production_security):
    production_security.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/api/v1/levels/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


# gunicorn's own default believes these headers from 127.0.0.1 and from a Unix socket.
GUNICORN_SCHEME_HEADERS = [
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Ssl", "on"),
    ("X-Forwarded-Protocol", "ssl"),
]


MIGRATED = "migrated"


def _get_over_unix_socket(path: Path, url: str, headers: dict[str, str]):
    import http.client
    import socket

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(30)
            self.sock.connect(str(path))

    connection = UnixConnection("localhost", timeout=30)
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.body = response.read()
        return response
    finally:
        connection.close()


@pytest.fixture
def gunicorn_on_a_unix_socket(request, tmp_path):
    """gunicorn as the Procfile and `make prod` start it (from the repository's root, in the
    production configuration, nothing in front of it), listening on a Unix socket, as behind
    a proxy on the same machine. Parametrized indirectly, its parameter is more of the
    environment, where `"DATABASE_URL": MIGRATED` gives it a copy of the test database (the
    test asks for `db` first)."""
    import tempfile
    import time

    folder = Path(tempfile.mkdtemp(prefix="gunicorn-"))  # a socket's path holds 107 bytes
    socket_path = folder / "web.sock"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        PRODUCTION_ENV,
        DATABASE_URL=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        CACHE_URL="",
        CELERY_BROKER_URL="",
    )
    env.update(getattr(request, "param", {}))
    if env["DATABASE_URL"] == MIGRATED:
        env["DATABASE_URL"] = _migrated_database(tmp_path / "web.sqlite3")
    env.pop("FORWARDED_ALLOW_IPS", None)
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "competency_site.wsgi"),
                *("--bind", f"unix:{socket_path}", "--workers", "1"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get_over_unix_socket(socket_path, "/health/live/", {})
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"gunicorn did not start; see {log.name}")
                    time.sleep(0.2)
            yield socket_path
        finally:
            process.terminate()
            process.wait(timeout=30)
            socket_path.unlink(missing_ok=True)
            folder.rmdir()


def test_gunicorn_leaves_the_scheme_to_the_settings(gunicorn_on_a_unix_socket):
    """gunicorn's own default took a request from 127.0.0.1 or a Unix socket for an HTTPS one
    when it said so in X-Forwarded-Proto (or X-Forwarded-Ssl, X-Forwarded-Protocol), whatever
    DJANGO_TRUSTED_PROXIES and DJANGO_TRUST_X_FORWARDED_PROTO said: behind a proxy on the same
    machine that passes the client's header on, a client escaped the HTTPS redirect. Whether a
    request came over HTTPS is the settings' to say (SECURE_PROXY_SSL_HEADER)."""
    for name, value in GUNICORN_SCHEME_HEADERS:
        response = _get_over_unix_socket(
            gunicorn_on_a_unix_socket, "/", {"Host": "curricula.example.org", name: value}
        )
        assert (response.status, response.getheader("Location")) == (
            301,
            "https://curricula.example.org/",
        ), name


@pytest.mark.parametrize(
    "gunicorn_on_a_unix_socket",
    # DEBUG on: its pages need no collectstatic (the production settings read the manifest
    # it writes); gunicorn and the middleware refusing long addresses are the same.
    [{"DATABASE_URL": MIGRATED, "DJANGO_DEBUG": "true"}],
    indirect=True,
)
def test_gunicorn_passes_every_page_address_the_site_reads_and_its_log_in_link(
    db, gunicorn_on_a_unix_socket
):
    """gunicorn's default request line (4,094 bytes) refused, with its own plain 400, page
    addresses Django reads (PAGE_QUERY_MAX_CHARS) and the log-in links of shorter ones (their
    address encoded into `next`): Django's 400 saying the address is too long never reached a
    reader. A page with a query at the bound is Django's to answer, as is its log-in link, and
    a query past it gets Django's 400 in a sentence."""
    from competency_site.tests.test_long_page_addresses import MESSAGE
    from core.middleware import PAGE_QUERY_MAX_CHARS

    from .test_login_links import log_in_link, next_of, tripled_query

    headers = {"Host": "curricula.example.org"}

    def get(url: str):
        return _get_over_unix_socket(gunicorn_on_a_unix_socket, url, headers)

    page = get(f"/search/?{tripled_query(PAGE_QUERY_MAX_CHARS)}")
    assert page.status == 200, page.body[:200]
    link = log_in_link(page.body.decode())
    assert next_of(link) == ["/search/"]
    assert get(link).status == 200
    assert get("/search/?q=ability").status == 200
    shorter = get(f"/search/?{tripled_query(3_000)}")
    assert shorter.status == 200
    assert get(log_in_link(shorter.body.decode())).status == 200

    too_long = get(f"/search/?{tripled_query(PAGE_QUERY_MAX_CHARS + 1)}")
    assert too_long.status == 400
    assert too_long.body.decode() == MESSAGE % {
        "length": PAGE_QUERY_MAX_CHARS + 1,
        "limit": PAGE_QUERY_MAX_CHARS,
    }


def test_the_schedule_file_beat_writes_by_default_is_not_committed():
    """The README's `celery -A competency_site beat` keeps its schedule in `celerybeat-schedule`
    (with .db, .dat, .dir or .bak beside it, as the platform's dbm makes) in the repository:
    `git status` listed it as a file to commit."""
    for name in ("celerybeat-schedule", "celerybeat-schedule.db", "celerybeat-schedule.dir"):
        result = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", name], cwd=ROOT, check=False
        )
        assert result.returncode == 0, f"{name} is not ignored"


BEAT_SCHEDULE_FILE = "var/celerybeat-schedule"


@pytest.mark.parametrize("target", ["beat", "prod"])
def test_beat_keeps_its_schedule_under_var(target):
    """`make beat` wrote `celerybeat-schedule` into the working directory, and `make prod` into
    the temporary folder, which a reboot empties: beat then forgot when it last ran the daily
    upload purge. Both keep it under var/ (git-ignored, beside the uploads), making the folder
    first: beat does not."""
    plan = _run(["make", "-n", target]).stdout
    assert f'--schedule "{BEAT_SCHEDULE_FILE}"' in plan
    assert plan.index('mkdir -p "var/"') < plan.index("celery -A competency_site beat")


def test_the_procfiles_beat_keeps_its_schedule_under_var():
    (beat,) = [
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("beat:")
    ]
    assert f"--schedule {BEAT_SCHEDULE_FILE}" in beat
    assert beat.index("mkdir -p var") < beat.index("celery -A competency_site beat")


def test_the_schedule_file_under_var_is_not_committed():
    for name in (BEAT_SCHEDULE_FILE, f"{BEAT_SCHEDULE_FILE}.db", f"{BEAT_SCHEDULE_FILE}.dir"):
        result = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", name], cwd=ROOT, check=False
        )
        assert result.returncode == 0, f"{name} is not ignored"


# What the Procfile's web, worker and beat load, each in a fresh process whose environment names
# no settings module (the README's commands set none: wsgi.py and celery.py say which).
PROCESS_LOADS = {
    "gunicorn competency_site.wsgi": [
        sys.executable,
        "-c",
        "from competency_site.wsgi import application; print(application.__class__.__name__)",
    ],
    "celery -A competency_site": [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "competency_site",
        "report",
    ],
}


@pytest.mark.parametrize("process", PROCESS_LOADS)
def test_the_production_processes_load_without_a_settings_module_in_the_environment(
    tmp_path, process
):
    """gunicorn, the workers and beat failed to start as the README runs them (ImproperlyConfigured:
    settings are not configured): the Celery app, imported by the package before wsgi.py or
    Celery could name the settings, imported the job claims, which read DRF's settings."""
    result = _run(
        PROCESS_LOADS[process],
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ImproperlyConfigured" not in result.stdout + result.stderr
