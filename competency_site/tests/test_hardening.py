"""Hardening against a hostile client (issue 15): who the client is, brute force, bodies the
parser cannot read, and the production configuration."""

import json
import logging

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import django_in_a_fresh_process
from core.api.throttling import AnonRateThrottleExceptStaff, FailedAuthenticationThrottle
from curricula.models import Course
from positions.tests.factories import TrackFactory

# --- Observed 1: the throttle trusted a client-controlled header ------------------------------


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_throttle(db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottleExceptStaff, "THROTTLE_RATES", {"anon": "3/minute"})
    client = APIClient()
    statuses = [
        client.get("/api/v1/levels/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_one_trusted_proxy_the_client_is_the_address_that_proxy_saw(
    db, monkeypatch, settings
):
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(AnonRateThrottleExceptStaff, "THROTTLE_RATES", {"anon": "2/minute"})
    client = APIClient()

    def get(forwarded):
        return client.get("/api/v1/levels/", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # What the client wrote left of the proxy's entry changes nothing: one client, one allowance.
    assert [get(f"10.9.9.{i}, 198.51.100.7") for i in range(3)] == [200, 200, 429]
    # Another address as the proxy saw it is another client.
    assert get("198.51.100.8") == 200


def test_wrong_tokens_are_throttled_and_logged(db, staff_user, monkeypatch, caplog):
    monkeypatch.setattr(
        FailedAuthenticationThrottle, "THROTTLE_RATES", {"auth_failure": "3/minute"}
    )
    client = APIClient()
    with caplog.at_level(logging.WARNING, logger="core.security"):
        statuses = []
        for i in range(4):
            client.credentials(HTTP_AUTHORIZATION=f"Token guess-{i}")
            statuses.append(client.get("/api/v1/levels/").status_code)
    assert statuses == [401, 401, 401, 429]
    logged = [r.getMessage() for r in caplog.records if r.name == "core.security"]
    assert len([m for m in logged if "authentication failed from 127.0.0.1" in m]) == 3
    assert "too many failures from 127.0.0.1" in logged[-1]

    # Another client address is not held up; a right token from it is not counted as a failure.
    token = Token.objects.create(user=staff_user)
    other = APIClient(REMOTE_ADDR="192.0.2.44")
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert {other.get("/api/v1/levels/").status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("key", ["\x00", "a\x00b", "0" * 39 + "\x00"])
def test_a_token_holding_a_nul_is_a_401_not_a_500(db, key):
    """Observed on PostgreSQL: `Authorization: Token <NUL>` was a 500 ("A string literal cannot
    contain NUL"), as the token was looked up as given. It is an invalid token, a counted
    failure like any other."""
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/levels/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


# --- Observed 8: a deeply nested JSON body was a 500 (RecursionError) --------------------------


def _json_write_endpoints():
    from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory

    programme = ProgrammeFactory()
    link = CourseAbilityFactory()
    return [
        ("POST", "/api/v1/courses/"),
        ("POST", "/api/v1/course-abilities/"),
        ("PATCH", f"/api/v1/course-abilities/{link.pk}/"),
        ("PUT", f"/api/v1/course-abilities/{link.pk}/"),
        ("PATCH", f"/api/v1/programs/{programme.pk}/"),
        ("POST", "/api/v1/requirements/"),
        ("POST", "/api/v1/positions/"),
        ("POST", f"/api/v1/programs/{programme.pk}/what-if/"),
        ("POST", f"/api/v1/programs/{programme.pk}/what-if/apply/"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1100 + b"]" * 1100,
        b'{"note": ' + b'{"a": ' * 1100 + b"1" + b"}" * 1101,
        b'{"note": ' + b"[" * 40 + b"]" * 40 + b"}",
        b"[" * 100_000,
        b'{"note": "\xed\xa0\x80"}',  # a lone surrogate: not UTF-8
        b'{"level": NaN}',
    ],
    ids=["array-1100", "object-1100", "array-40", "unclosed-100000", "surrogate", "nan"],
)
def test_deep_or_unreadable_json_is_a_400_on_every_json_endpoint(db, staff_client, body):
    for method, path in _json_write_endpoints():
        response = staff_client.generic(method, path, body, "application/json")
        assert response.status_code == 400, (method, path, response.status_code)
        assert "JSON parse error" in response.json()["detail"], (method, path)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 40 + b"]" * 40,
        b"[" * 500 + b"]" * 500,
        b"[" * 1100 + b"]" * 1100,
        b'{"note": ' + b'{"a": ' * 1100 + b"1" + b"}" * 1101,
        b"[" * 100_000,
        b"[" * 1100,
        b"[" * 500,
        b'{"note": ' + b"[" * 40 + b"1,]",
    ],
    ids=[
        "array-40",
        "array-500",
        "array-1100",
        "object-1100",
        "unclosed-100000",
        "unclosed-1100",
        "unclosed-500",
        "broken-at-40",
    ],
)
def test_a_body_nested_too_deep_is_refused_in_one_message_however_deep(db, staff_client, body):
    """500 levels were refused as "…the body nests deeper than 32 levels.", 100,000 in the JSON
    reader's own words ("depth limit exceeded: line 1 column 1063 (char 1062)"). Told by the
    reader's words, 1,100 or 500 unclosed brackets were "text that is not JSON": orjson calls
    them "failed to allocate memory"."""
    response = staff_client.generic("POST", "/api/v1/courses/", body, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("JSON parse error - the body nests deeper than 32 levels.")


def test_a_deep_body_is_told_by_its_nesting_not_by_the_readers_words(db, staff_client, monkeypatch):
    """The JSON reader's message for a body past its depth bound is its own, and may change
    with a version: whatever it says, a body it stopped reading past MAX_DEPTH is too deep."""
    import orjson

    real = orjson.loads

    def reworded(raw):
        try:
            return real(raw)
        except orjson.JSONDecodeError as exc:
            raise orjson.JSONDecodeError("nesting limit reached", exc.doc, exc.pos) from exc

    monkeypatch.setattr(orjson, "loads", reworded)
    body = b"[" * 1100 + b"]" * 1100
    response = staff_client.generic("POST", "/api/v1/courses/", body, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("JSON parse error - the body nests deeper than 32 levels.")


@pytest.mark.parametrize(
    "body",
    [b'{"note": "' + b"[" * 2000 + b'",}', b"[" * 10 + b"1,]" + b"]" * 9],
    ids=["brackets-in-a-string", "shallow"],
)
def test_a_broken_body_nested_no_deeper_than_the_bound_says_what_is_broken(db, staff_client, body):
    """Brackets inside a string are text, not nesting."""
    response = staff_client.generic("POST", "/api/v1/courses/", body, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - a comma after the last item")


def test_a_body_past_the_upload_limit_is_a_json_413_on_every_json_endpoint(
    db, staff_client, settings
):
    """A JSON body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read, as a
    413 the client can read (it was Django's bare HTML "Bad Request (400)" page)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"note": "' + b"x" * 2000 + b'"}'
    for method, path in _json_write_endpoints():
        response = staff_client.generic(method, path, body, "application/json")
        assert response.status_code == 413, (method, path, response.status_code)
        assert response["Content-Type"] == "application/json", (method, path)
        assert "1000 bytes" in response.json()["detail"], (method, path)


def test_ordinary_nesting_is_still_read(db, staff_client):
    # Nested as a real body nests (a position's placements). It sent a course an `extra` key,
    # which only read while unknown keys were dropped: it is a 400 naming the key now.
    track = TrackFactory()
    body = {"name": "Nested", "placements": [{"track": track.pk, "degree_level": "bachelor"}]}
    response = staff_client.generic(
        "POST", "/api/v1/positions/", json.dumps(body).encode(), "application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["placements"][0]["track"] == track.pk


# --- A key given twice in a JSON body: the last one was taken, the first quietly dropped -------


@pytest.mark.parametrize(
    "body",
    [
        b'{"note": "first", "note": "second"}',
        b'{"placements": [{"track": 1, "track": 2}]}',
    ],
    ids=["top-level", "nested"],
)
def test_a_key_given_twice_in_a_json_body_is_a_400_on_every_json_endpoint(db, staff_client, body):
    """{"code": "A", "code": "B"} was read as code B: one of the two values the client sent was
    left out without a word (and a proxy or log reading the first saw another request than the
    one written). Refused, as a CSV naming a column twice is."""
    for method, path in _json_write_endpoints():
        response = staff_client.generic(method, path, body, "application/json")
        assert response.status_code == 400, (method, path, response.status_code)
        detail = response.json()["detail"]
        assert "JSON parse error" in detail, (method, path)
        assert "twice" in detail, (method, path, detail)


def test_a_key_given_twice_writes_nothing(db, staff_client):
    before = Course.objects.count()
    response = staff_client.generic(
        "POST",
        "/api/v1/courses/",
        b'{"code": "DUP1", "title": "Dup", "code": "DUP2"}',
        "application/json",
    )
    assert response.status_code == 400, response.content
    assert "code" in response.json()["detail"]
    assert Course.objects.count() == before


# --- Observed 7: no brute-force protection, password reset unthrottled and without mail -------


@pytest.mark.parametrize("login_url", ["/admin/login/", "/accounts/login/"])
def test_wrong_passwords_lock_the_login_out_even_for_the_right_one(
    db, client, staff_user, settings, login_url, caplog
):
    settings.AXES_FAILURE_LIMIT = 5
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            response = client.post(login_url, {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert len([m for m in logged if "login failure by" in m]) == 5
    assert any("Locking out" in m and "127.0.0.1" in m for m in logged)

    response = client.post(login_url, {"username": "staff", "password": "staff-pass-123"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session
    # Another client address is not locked out.
    other = type(client)(REMOTE_ADDR="192.0.2.9")
    assert other.post(login_url, {"username": "staff", "password": "staff-pass-123"}).status_code
    assert "_auth_user_id" in other.session


def test_a_forged_x_forwarded_for_does_not_reset_the_lockout(db, client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for i in range(3):
        client.post(
            "/accounts/login/",
            {"username": "staff", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "staff", "password": "staff-pass-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_fewer_failures_than_the_limit_still_log_in(db, client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "staff", "password": "staff-pass-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_mails_and_is_throttled(db, client, staff_user, settings, mailoutbox):
    staff_user.email = "staff@example.edu"
    staff_user.save()
    settings.PASSWORD_RESET_RATE = "2/hour"

    statuses = [
        client.post("/accounts/password_reset/", {"email": "staff@example.edu"}).status_code
        for _ in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2
    assert "/accounts/reset/" in mailoutbox[0].body
    # Another address asking for the same mailbox is refused too: the mailbox is protected.
    other = type(client)(REMOTE_ADDR="192.0.2.10")
    assert other.post("/accounts/password_reset/", {"email": "STAFF@example.edu"}).status_code == (
        429
    )
    assert len(mailoutbox) == 2


def test_the_password_reset_link_names_site_url_never_the_requests_host(
    db, client, staff_user, settings, mailoutbox
):
    """A Host the site answers for (an allowed wildcard, ".example.org") but does not live at
    put the reset link, with its token, on the attacker's host for the victim to follow."""
    staff_user.email = "staff@example.edu"
    staff_user.save()
    settings.ALLOWED_HOSTS = [".example.org"]
    settings.SITE_URL = "https://curricula.example.org:8443"

    response = client.post(
        "/accounts/password_reset/",
        {"email": "staff@example.edu"},
        HTTP_HOST="attacker.example.org",
    )

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert "attacker" not in mail.body + mail.subject
    assert "https://curricula.example.org:8443/accounts/reset/" in mail.body


def test_a_mail_server_saying_nothing_holds_the_password_reset_for_less_than_gunicorns_timeout(
    db, client, staff_user, settings, monkeypatch, caplog
):
    """A mail server that took the connection and said nothing (overloaded, or a firewall
    taking it for one) held the reset request without end: gunicorn killed its worker after its
    30 s timeout and the reader got gunicorn's bare "Internal Server Error". The connection
    waits EMAIL_TIMEOUT seconds at most; the failure is logged and the page goes on as for any
    address."""
    import smtplib
    import socket

    staff_user.email = "staff@example.edu"
    staff_user.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "mail.example.edu", 25
    timeouts, silent = [], []

    def mail_server_saying_nothing(address, timeout=None, source_address=None, **kwargs):
        ours, theirs = socket.socketpair()
        silent.append(theirs)  # kept open, never written to
        timeouts.append(timeout)
        ours.settimeout(0.2)  # the wait, whatever it is, is over at once here
        return ours

    monkeypatch.setattr(smtplib.socket, "create_connection", mail_server_saying_nothing)
    with caplog.at_level(logging.ERROR, logger="django.contrib.auth"):
        response = client.post("/accounts/password_reset/", {"email": "staff@example.edu"})
    for end in silent:
        end.close()

    assert response.status_code == 302
    (timeout,) = timeouts
    assert isinstance(timeout, int | float), timeout
    assert 0 < timeout < 30  # gunicorn's worker timeout
    assert "Failed to send password reset email" in caplog.text


def test_the_mail_timeout_is_read_from_the_environment():
    assert _settings_in_a_fresh_process("settings.EMAIL_TIMEOUT") == "10"
    assert _settings_in_a_fresh_process("settings.EMAIL_TIMEOUT", EMAIL_TIMEOUT="5") == "5"
    refused = django_in_a_fresh_process("settings.EMAIL_TIMEOUT", EMAIL_TIMEOUT="0")
    assert refused.returncode != 0
    assert "EMAIL_TIMEOUT=0 cannot be read" in refused.stderr


def _settings_in_a_fresh_process(printed: str, **env: str) -> str:
    result = django_in_a_fresh_process(printed, drop=("DJANGO_", "EMAIL"), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_mail_is_printed_in_development_and_configured_from_email_url():
    printed = "settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT"
    assert _settings_in_a_fresh_process(printed).split()[0] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    backend, host, port = _settings_in_a_fresh_process(
        printed, EMAIL_URL="smtp+tls://mailer:secret@smtp.example.edu:587"
    ).split()
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, port) == ("smtp.example.edu", "587")


# --- Observed 14 (last part): an empty PATCH marked a record as staff-edited -------------------


def _records():
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory

    return {
        "courses": CourseFactory(provenance="import"),
        "course-abilities": CourseAbilityFactory(provenance="import"),
        "positions": PositionFactory(provenance="import"),
        "requirements": RequirementFactory(provenance="import"),
        "programs": ProgrammeFactory(),
    }


@pytest.mark.parametrize("body", [{}, None], ids=["empty-object", "no-body"])
def test_an_empty_patch_changes_nothing_provenance_and_history_included(db, staff_client, body):
    for route, record in _records().items():
        model = type(record)
        before = model.objects.filter(pk=record.pk).values().get()
        history = record.history.count() if hasattr(record, "history") else None

        response = staff_client.patch(f"/api/v1/{route}/{record.pk}/", body, format="json")

        assert response.status_code == 200, (route, response.content)
        assert model.objects.filter(pk=record.pk).values().get() == before, route
        if history is not None:
            assert record.history.count() == history, route


# --- Observed 13: no Content-Security-Policy on any page ---------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/admin/login/", "/api/v1/levels/", "/api/docs/"]
)
def test_every_answer_carries_the_content_security_policy(db, client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_swagger_ui_starts_from_a_script_file_not_an_inline_script(db, client):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- Pages shown to a signed-in user are not kept by caches ---------------------------------------


def _staff_pages(staff_user):
    from curricula.tests.factories import CourseFactory, ProgrammeFactory

    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    return [
        "/",
        f"/programs/{programme.pk}/",
        f"/programs/{programme.pk}/map.csv",
        f"/suggestions/courses/{course.pk}/",
    ]


def test_pages_for_a_signed_in_user_are_not_stored_by_any_cache(db, client, staff_user):
    """A page rendered for a signed-in user (staff see who changed each link, the review
    queues, their CSRF token) must not stay in the browser's cache after they log out on a
    shared computer, nor in a proxy: `Cache-Control: private, no-store`, as the admin's pages."""
    client.force_login(staff_user)
    for path in _staff_pages(staff_user):
        response = client.get(path)
        assert response.status_code == 200, path
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= directives, (path, response.get("Cache-Control"))


def test_anonymous_pages_and_api_reads_keep_their_caching(db, client, api_client):
    """Anonymous pages are not no-store (the browser may keep them; one holding a CSRF token is
    private to it: test_shared_caches); the API keeps its own rules (public reads)."""
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
    response = api_client.get("/api/v1/courses/")
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/v1/levels/", "/", "/admin/"])
def test_a_session_cookie_holding_a_nul_is_no_session_not_a_500(db, url, staff_user):
    """Observed on PostgreSQL: a session cookie with a NUL in it made every page and API call a
    500 ("A string literal cannot contain NUL"), as Django looked the key up as given. It is
    read as no session; a real session still signs in."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get(url).status_code in (200, 302)
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


# --- API tokens are a superuser's to see: a key is its user's password ---------------------------


def test_only_superusers_see_or_make_api_tokens_in_the_admin(db, client, django_user_model):
    """The admin's token list shows every key: a staff account given the token permissions (a
    reader given every view permission) read a superuser's key and could act as that superuser
    through the API. Keys are for superusers only; staff cannot list, add or open them."""
    from django.contrib.auth.models import Permission

    superuser = django_user_model.objects.create_superuser("root", password="root-pass-123")
    key = Token.objects.create(user=superuser).key
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(content_type__app_label="authtoken"))
    client.force_login(reader)

    home = client.get("/admin/")
    assert key not in home.content.decode()
    assert "/admin/authtoken/" not in home.content.decode()
    for url in (
        "/admin/authtoken/tokenproxy/",
        f"/admin/authtoken/tokenproxy/{superuser.pk}/change/",
        f"/admin/authtoken/tokenproxy/{superuser.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert key not in response.content.decode(), url
    assert client.post("/admin/authtoken/tokenproxy/add/", {"user": reader.pk}).status_code == 403
    assert not Token.objects.filter(user=reader).exists()

    client.force_login(superuser)
    assert key in client.get("/admin/authtoken/tokenproxy/").content.decode()
