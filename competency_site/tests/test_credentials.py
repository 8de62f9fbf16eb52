"""What a password change does to the account's other credentials: an API token is revoked by
every door a password is changed through (a stolen token must stop working when its owner
changes the password, as the owner's other sessions do, or an administrator takes it away), and
a new one is made the usual way; guessing the old password at a password change page counts
with failed logins, per address and per account; a login refused unread counts as no failure;
and no other door takes a password unthrottled."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import RequestFactory
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.logins import login_paused

NEW_PASSWORD = "a-new-long-passphrase-42"


def _token_works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # A write, so that the answer depends on the token (reads are public).
    response = client.post("/api/v1/courses/", {"code": f"T-{key[:6]}", "title": "T"})
    return response.status_code == 201


def _change_on_the_site(client, user):
    client.force_login(user)
    return client.post(
        "/accounts/password_change/",
        {
            "old_password": "staff-pass-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def _change_in_the_admin(client, user):
    client.force_login(user)
    return client.post(
        "/admin/password_change/",
        {
            "old_password": "staff-pass-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def _set_by_a_superuser(client, user):
    root = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(root)
    return client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def _changepassword_command(client, user):
    import getpass

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(getpass, "getpass", lambda prompt="": NEW_PASSWORD)
        call_command("changepassword", user.username, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _reset_by_mail(client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Django redirects to a URL without the token (kept in the session) before the form.
    form_url = client.get(f"/accounts/reset/{uid}/{token}/").url
    return client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


@pytest.mark.parametrize(
    "change",
    [
        _change_on_the_site,
        _change_in_the_admin,
        _set_by_a_superuser,
        _changepassword_command,
        _reset_by_mail,
    ],
    ids=["site", "admin", "admin-user-page", "changepassword", "reset"],
)
def test_a_password_change_revokes_the_accounts_api_token(
    db, client, staff_user, django_user_model, change
):
    """Observed: a token kept working after its owner changed the password, by any door, so a
    stolen token outlived the very step an owner takes when they suspect a theft."""
    token = Token.objects.create(user=staff_user)
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    colleague.user_permissions.set(staff_user.user_permissions.all())
    other = Token.objects.create(user=colleague)
    assert _token_works(token.key)

    response = change(client, staff_user)

    if response is not None:
        assert response.status_code == 302, response.content.decode()[:2000]
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=staff_user).exists()
    assert not _token_works(token.key)
    # Nobody else's token is touched.
    assert _token_works(other.key)

    # A new token is made the usual way, and works.
    call_command("drf_create_token", staff_user.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _token_works(Token.objects.get(user=staff_user).key)


def test_a_password_hash_upgraded_at_login_keeps_the_token(db, client, staff_user, settings):
    """Django rehashes a password at login when its hasher or work factor changed (every Django
    upgrade raises PBKDF2's iterations): the password is the same, so the token stays."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    staff_user.password = make_password("staff-pass-123", hasher="pbkdf2_sha256")
    staff_user.save()
    token = Token.objects.create(user=staff_user)

    response = client.post("/accounts/login/", {"username": "staff", "password": "staff-pass-123"})

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.password.startswith("md5$")  # upgraded
    assert Token.objects.filter(pk=token.pk).exists()
    assert _token_works(token.key)


def _disabled_on_the_model(client, user):
    user.set_unusable_password()
    user.save()


def _disabled_by_a_superuser(client, user):
    root = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(root)
    return client.post(
        f"/admin/auth/user/{user.pk}/password/", {"usable_password": "false", "unset-password": "1"}
    )


@pytest.mark.parametrize(
    "disable", [_disabled_on_the_model, _disabled_by_a_superuser], ids=["model", "admin-user-page"]
)
def test_disabling_password_logins_revokes_the_accounts_api_token(
    db, client, staff_user, settings, disable
):
    """Observed: after `set_unusable_password(); save()` (the admin's "Password-based
    authentication: Disabled", or the shell) the account's API token kept working. Taking an
    account's password away is a password change: whoever is locking the account down wants
    its other credentials to end as well. Like a new password, it also lifts the pause of the
    account's logins (no password logs in to it now, and one given back lifts it anyway)."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    token = Token.objects.create(user=staff_user)
    for i in range(2):
        _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong")
    assert login_paused(RequestFactory().post("/accounts/login/"), "staff")
    assert _token_works(token.key)

    response = disable(client, staff_user)

    if response is not None:
        assert response.status_code == 302, response.content.decode()[:2000]
    staff_user.refresh_from_db()
    assert not staff_user.has_usable_password()
    assert not Token.objects.filter(user=staff_user).exists()
    assert not _token_works(token.key)
    assert not login_paused(RequestFactory().post("/accounts/login/"), "staff")


def test_an_account_without_a_password_keeps_its_token_when_saved_again(db, client):
    """An account for the API only (no password, a token) is not changed by being saved again,
    or by being given an unusable password again (a new random one is stored each time)."""
    robot = get_user_model().objects.create_user("robot", is_staff=True)
    assert not robot.has_usable_password()
    token = Token.objects.create(user=robot)

    robot.first_name = "R"
    robot.save()
    robot.set_unusable_password()
    robot.save()

    assert Token.objects.filter(pk=token.pk).exists()


def test_saving_a_user_without_changing_the_password_keeps_the_token(db, client, staff_user):
    token = Token.objects.create(user=staff_user)
    staff_user.first_name = "Ada"
    staff_user.save()
    assert _token_works(token.key)


# --- Guessing the old password on the password change pages --------------------------------------


def _cool_off(settings):
    """What AXES_COOLOFF_MINUTES passing does: the counts in the cache expire, and django-axes
    no longer counts the attempts it recorded."""
    from axes.models import AccessAttempt
    from django.core.cache import cache
    from django.utils import timezone

    cache.clear()
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)


def _change(client, url, old):
    return client.post(
        url, {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


@pytest.mark.parametrize("url", ["/accounts/password_change/", "/admin/password_change/"])
def test_wrong_old_passwords_lock_the_password_change_out_even_for_the_right_one(
    db, client, staff_user, settings, url, caplog
):
    """Observed: a signed-in session (a browser left open, a stolen session cookie) could try old
    passwords on the password change page without limit, and the right one then took the
    account over. Past AXES_FAILURE_LIMIT wrong ones the page refuses for AXES_COOLOFF_MINUTES,
    as the login does, without trying the password it is sent."""
    settings.AXES_FAILURE_LIMIT = 3
    client.force_login(staff_user)
    with caplog.at_level(logging.WARNING, logger="core.security"):
        statuses = [_change(client, url, f"guess-{i}").status_code for i in range(3)]
        refused = _change(client, url, "staff-pass-123")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password("staff-pass-123")
    assert any("Password change refused" in r.getMessage() for r in caplog.records)

    # The count is the account's: another address with the same account is refused too...
    elsewhere = type(client)(REMOTE_ADDR="192.0.2.20")
    elsewhere.force_login(staff_user)
    assert _change(elsewhere, url, "staff-pass-123").status_code == 429
    # ...and another account is not.
    other = get_user_model().objects.create_user(
        "other-staff", password="staff-pass-123", is_staff=True
    )
    mine = type(client)(REMOTE_ADDR="192.0.2.21")
    mine.force_login(other)
    assert _change(mine, url, "staff-pass-123").url.endswith("/password_change/done/")


def test_the_password_change_lockout_ends_after_the_cool_off(db, client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client.force_login(staff_user)
    for i in range(2):
        _change(client, "/accounts/password_change/", f"guess-{i}")
    assert _change(client, "/accounts/password_change/", "staff-pass-123").status_code == 429

    _cool_off(settings)

    assert _change(client, "/accounts/password_change/", "staff-pass-123").status_code == 302


def test_fewer_wrong_old_passwords_than_the_limit_still_change_it(db, client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client.force_login(staff_user)
    for i in range(2):
        assert _change(client, "/accounts/password_change/", f"guess-{i}").status_code == 200
    # A mismatched confirmation is not a wrong password: it does not count.
    for _ in range(3):
        mismatch = client.post(
            "/accounts/password_change/",
            {
                "old_password": "staff-pass-123",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD + "x",
            },
        )
        assert mismatch.status_code == 200
    assert _change(client, "/accounts/password_change/", "staff-pass-123").status_code == 302


@pytest.mark.parametrize("change_url", ["/accounts/password_change/", "/admin/password_change/"])
def test_one_address_has_one_budget_of_guesses_at_every_door(
    db, client, staff_user, settings, change_url
):
    """Observed: wrong old passwords on the password change pages and failed logins were
    counted apart, so one address had AXES_FAILURE_LIMIT guesses at each door (5 + 5). They
    count together now: the site's login, the admin's login and both password change pages
    share one allowance per address (django-axes'), and each door refuses once it is spent."""
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    assert _log_in(client, "wrong").status_code == 200
    admin_login = client.post("/admin/login/", {"username": "staff", "password": "wrong"})
    assert admin_login.status_code == 200
    signed_in = type(client)()
    signed_in.force_login(staff_user)
    assert _change(signed_in, change_url, "guess").status_code == 200  # the third guess

    # Every door of this address is shut, even for the right password...
    refused = _log_in(client, "staff-pass-123")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert (
        client.post(
            "/admin/login/", {"username": "staff", "password": "staff-pass-123"}
        ).status_code
        == 429
    )
    assert _change(signed_in, change_url, "staff-pass-123").status_code == 429
    staff_user.refresh_from_db()
    assert staff_user.check_password("staff-pass-123")
    # ...and the other door counted the other way round as well.
    _cool_off(settings)
    for i in range(3):
        assert _change(signed_in, change_url, f"guess-{i}").status_code == 200
    assert _log_in(client, "staff-pass-123").status_code == 429
    # The guesses were recorded without the passwords typed.
    recorded = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "old_password=****" in recorded
    assert "guess-" not in recorded
    assert NEW_PASSWORD not in recorded
    # Another address is not held.
    assert _log_in(type(client)(REMOTE_ADDR="192.0.2.30"), "staff-pass-123").status_code == 302


def test_wrong_old_passwords_from_a_new_browser_count_towards_the_accounts_pause(
    db, client, staff_user, settings
):
    """One allowance per account too: guesses at its password on the password change page
    from a browser that never logged in to it (a stolen session) count towards the pause of
    its logins, and the pause holds that page from such browsers. The owner's own browser is
    not held by either, as at the login."""
    settings.AXES_FAILURE_LIMIT = 10
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    owners = type(client)(REMOTE_ADDR="198.51.100.50")
    assert _log_in(owners, "staff-pass-123").status_code == 302
    for i in range(2):
        assert _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong").status_code == 200
    stolen = type(client)(REMOTE_ADDR="203.0.113.9")
    stolen.force_login(staff_user)
    for i in range(2):
        assert _change(stolen, "/accounts/password_change/", f"guess-{i}").status_code == 200

    # Four guesses at the account: paused for new browsers, at the login and at this page.
    assert _log_in(type(client)(REMOTE_ADDR="203.0.113.99"), "staff-pass-123").status_code == 429
    assert _change(stolen, "/accounts/password_change/", "staff-pass-123").status_code == 429
    staff_user.refresh_from_db()
    assert staff_user.check_password("staff-pass-123")
    # The owner's browser still changes the password.
    changed = _change(owners, "/accounts/password_change/", "staff-pass-123")
    assert changed.url.endswith("/password_change/done/")


def test_a_password_change_clears_the_count_of_its_address_as_a_login_does(
    db, client, staff_user, settings
):
    """AXES_RESET_ON_SUCCESS: a right password at a password change page proves it as a login
    does, and clears the count of wrong ones from its address and for its account."""
    settings.AXES_FAILURE_LIMIT = 3
    client.force_login(staff_user)
    for i in range(2):
        assert _change(client, "/accounts/password_change/", f"guess-{i}").status_code == 200
    assert _change(client, "/accounts/password_change/", "staff-pass-123").status_code == 302

    # The allowance is whole again: two more guesses, and the third (a login) is the limit.
    for i in range(2):
        assert _change(client, "/accounts/password_change/", f"guess-{i}").status_code == 200
    assert _log_in(type(client)(), "wrong").status_code == 429
    assert _change(client, "/accounts/password_change/", NEW_PASSWORD).status_code == 429


@pytest.mark.parametrize("url", ["/accounts/password_change/", "/admin/password_change/"])
def test_the_password_change_page_says_that_the_token_ended(db, client, staff_user, url):
    Token.objects.create(user=staff_user)
    client.force_login(staff_user)
    page = client.post(
        url,
        {
            "old_password": "staff-pass-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "Your API token ended with your old password" in page.content.decode()

    # Without a token, nothing is said about one.
    again = _change(client, url, NEW_PASSWORD)
    assert "API token" not in client.get(again.url).content.decode()


# --- A background task's state and result are not public -----------------------------------------


def _finished_task() -> str:
    """A recompute's id and result, as a worker leaves them in the result backend."""
    import uuid

    from curricula.tasks import recompute_coverage

    task_id = str(uuid.uuid4())
    recompute_coverage.backend.store_result(task_id, {"rebuilt": [7]}, "SUCCESS")
    return task_id


def test_a_tasks_state_and_result_are_for_staff_only(db, staff_user, plain_user):
    """Observed: GET /api/v1/tasks/{id}/ answered anyone, signed in or not, with the task's
    result: an id seen in a log, a shared address of a review page following its job, or a
    browser's history read what the job did. Every door that starts a task is staff's (it
    needs a staff account with the permission of what the task writes), so its starter can
    follow it; anonymous callers are asked for credentials (401), other accounts refused.
    (Which staff: test_job_doors.py.)"""
    from core.jobs import task_starter_record

    task_id = _finished_task()
    task_starter_record(
        task_id=task_id, user=staff_user, permissions=["curricula.change_programme"]
    )
    url = f"/api/v1/tasks/{task_id}/"

    anonymous = APIClient().get(url)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert "rebuilt" not in anonymous.content.decode()

    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=plain_user)}")
    refused = reader.get(url)
    assert refused.status_code == 403
    assert "rebuilt" not in refused.content.decode()

    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user)}")
    assert staff.get(url).json()["result"] == {"rebuilt": [7]}


def test_an_unknown_task_is_still_a_404_for_staff(db, staff_client):
    import uuid

    assert staff_client.get(f"/api/v1/tasks/{uuid.uuid4()}/").status_code == 404


# --- One account guessed at from many addresses ---------------------------------------------------


def _log_in(client, password, username="staff"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_guesses_at_one_account_from_many_addresses_pause_its_logins_from_new_browsers(
    db, client, staff_user, settings
):
    """Observed: the lockout counted per client address only, so guesses spread over many
    addresses (a botnet, a cloud provider's range) went on without limit against one account:
    AXES_FAILURE_LIMIT per address, forever. Past LOGIN_ACCOUNT_FAILURE_LIMIT failures for one
    account, logins to it are paused for AXES_COOLOFF_MINUTES, except from a browser that has
    logged in to it before: so an attacker who types a victim's name cannot lock the victim
    out of the browser they use."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    # The owner's browser, which has logged in before.
    owners = type(client)(REMOTE_ADDR="198.51.100.50")
    assert _log_in(owners, "staff-pass-123").status_code == 302
    # The browser's mark does not say whose account it is.
    assert "staff" not in owners.cookies["known_login"].value
    owners.post("/accounts/logout/")

    for i in range(4):  # one guess from each of four addresses: no address is locked out
        assert _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong").status_code == 200

    stranger = type(client)(REMOTE_ADDR="203.0.113.99")
    refused = _log_in(stranger, "staff-pass-123")
    assert refused.status_code == 429
    assert "_auth_user_id" not in stranger.session
    page = refused.content.decode()
    assert "from browsers that have not logged in to it before" in page
    assert "Try again in 15 minutes" in page
    # The admin's login is refused the same way.
    admin_login = stranger.post(
        "/admin/login/", {"username": "staff", "password": "staff-pass-123"}
    )
    assert admin_login.status_code == 429

    # The owner's browser logs in as ever; another account from the stranger's address too.
    assert _log_in(owners, "staff-pass-123").status_code == 302
    assert "_auth_user_id" in owners.session
    get_user_model().objects.create_user("other", password="other-pass-123")
    assert _log_in(stranger, "other-pass-123", username="other").status_code == 302


def test_a_browser_that_logged_in_to_another_account_is_new_to_this_one(
    db, client, staff_user, settings
):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    get_user_model().objects.create_user("other", password="other-pass-123")
    assert _log_in(client, "other-pass-123", username="other").status_code == 302
    client.post("/accounts/logout/")
    for i in range(2):
        _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong")
    assert _log_in(client, "staff-pass-123").status_code == 429


def test_fewer_failures_for_an_account_than_its_limit_still_log_in(
    db, client, staff_user, settings
):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    for i in range(3):
        _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong")
    assert _log_in(client, "staff-pass-123").status_code == 302


def test_failures_from_a_browser_that_logged_in_before_do_not_pause_the_account(
    db, client, staff_user, settings
):
    settings.AXES_FAILURE_LIMIT = 10
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    assert _log_in(client, "staff-pass-123").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(3):  # the owner mistyping
        assert _log_in(client, "wrong").status_code == 200
    stranger = type(client)(REMOTE_ADDR="203.0.113.99")
    assert _log_in(stranger, "staff-pass-123").status_code == 302


def test_a_forged_known_login_cookie_is_no_exemption(db, client, staff_user, settings):
    from core.logins import KNOWN_LOGIN_COOKIE

    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    for i in range(2):
        _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong")
    client.cookies[KNOWN_LOGIN_COOKIE] = "staff"  # unsigned
    assert _log_in(client, "staff-pass-123").status_code == 429


def test_a_new_password_lifts_the_pause_of_an_accounts_logins(db, client, staff_user, settings):
    """Observed: after guesses had paused an account's logins from new browsers, its owner's
    password reset (proof that the account is theirs) left the pause in place, so they could not
    log in with the new password from a new browser until the cool-off passed."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    for i in range(3):
        assert _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong").status_code == 200
    assert _log_in(type(client)(REMOTE_ADDR="203.0.113.98"), "staff-pass-123").status_code == 429

    staff_user.set_password("a-new-pass-456")
    staff_user.save()

    fresh = type(client)(REMOTE_ADDR="203.0.113.99")
    assert _log_in(fresh, "a-new-pass-456").status_code == 302
    assert "_auth_user_id" in fresh.session


# --- A login refused unread is no failure ---------------------------------------------------------


def test_logins_refused_by_the_accounts_pause_are_no_failures_of_their_address(
    db, client, staff_user, settings
):
    """Observed: during a pause of the account's logins, its owner trying the right password
    from a new browser was refused (the password not even checked), and each refusal was
    counted by django-axes as a failure of the owner's address: after AXES_FAILURE_LIMIT of them
    the address was locked out as well, and with it everyone behind it (an office's one
    address) from every account. A refusal unread counts against neither the address nor the
    account: it did not lengthen the pause either."""
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    for i in range(3):
        assert _log_in(type(client)(REMOTE_ADDR=f"203.0.113.{i}"), "wrong").status_code == 200

    owner = type(client)(REMOTE_ADDR="198.51.100.60")
    for _ in range(4):
        refused = _log_in(owner, "staff-pass-123")
        assert refused.status_code == 429
        assert "from browsers that have not logged in to it before" in refused.content.decode()

    assert not AccessAttempt.objects.filter(ip_address="198.51.100.60").exists()
    # A colleague behind the same address logs in to their own account.
    get_user_model().objects.create_user("other", password="other-pass-123")
    colleague = type(client)(REMOTE_ADDR="198.51.100.60")
    assert _log_in(colleague, "other-pass-123", username="other").status_code == 302
    # The pause still counts the three guesses only: with room for a fourth, it is over.
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    assert _log_in(owner, "staff-pass-123").status_code == 302


def test_logins_refused_at_a_locked_out_address_are_no_failures_of_the_account(
    db, client, staff_user, settings
):
    """The mirror image: once django-axes has locked an address out, what it sends is refused
    unread, so it does not count towards the pause of the account it names. Otherwise one
    address could pause an account's logins for everyone on its own, which the pause (for
    guesses from many addresses) is not meant to let it do."""
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    attacker = type(client)(REMOTE_ADDR="203.0.113.7")
    statuses = [_log_in(attacker, f"guess-{i}").status_code for i in range(6)]
    assert statuses == [200, 429, 429, 429, 429, 429]

    owner = type(client)(REMOTE_ADDR="198.51.100.61")
    assert _log_in(owner, "staff-pass-123").status_code == 302


# --- Every door where a password is checked is throttled ----------------------------------------


def _view(callback):
    """What answers a route: the class of a class-based view (or viewset), the function of an
    admin site's method, else the function under its decorators."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    while view is None:
        if hasattr(callback, "__func__"):  # an AdminSite's bound method
            return callback.__func__
        if not hasattr(callback, "__wrapped__"):
            return callback
        callback = callback.__wrapped__
    return view


def _routes(patterns=None, prefix=""):
    """(route, view) for every URL the site serves."""
    from django.urls import get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), _view(pattern.callback)


def _reachable(route: str, view) -> bool:
    """Whether `route` (a path without parameters) is answered by `view`, not by an earlier
    route of the same path (the throttled pages stand before Django's own)."""
    from django.urls import resolve

    return _view(resolve("/" + route).func) is view


def test_every_door_where_a_password_is_checked_is_throttled(db, client, staff_user):
    """The doors a password can be tried at, each throttled and tested: the site's and the
    admin's logins (django-axes and the account's pause, in LockoutBackend, which any login
    form's authenticate() passes first), both password change pages (the same counts), and
    API tokens (FailedAuthenticationThrottle). There is no other: no API endpoint that trades
    a password for a token, no HTTP Basic authentication. A new door fails here until it is
    throttled and added with a test of its own."""
    from django.conf import settings
    from django.contrib.auth.views import LoginView, PasswordChangeView
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.authtoken.views import ObtainAuthToken
    from rest_framework.views import APIView

    from competency_site.accounts import ThrottledPasswordChangeView, admin_password_change
    from core.admin_site import AdminSite
    from core.api.authentication import ThrottledTokenAuthentication

    assert settings.AUTHENTICATION_BACKENDS[0] == "competency_site.accounts.LockoutBackend"
    doors = {}
    for route, view in _routes():
        if isinstance(view, type) and issubclass(view, APIView):
            # Sessions check no password; tokens are counted and throttled.
            allowed = {ThrottledTokenAuthentication, SessionAuthentication}
            assert set(view.authentication_classes) <= allowed, route
            assert not issubclass(view, ObtainAuthToken), route
            continue
        takes_password = (
            isinstance(view, type) and issubclass(view, LoginView | PasswordChangeView)
        ) or view in (AdminSite.login, AdminSite.password_change)
        if (takes_password or view is admin_password_change) and _reachable(route, view):
            doors[route] = view
    assert set(doors) == {
        "accounts/login/",
        "admin/login/",
        "accounts/password_change/",
        "admin/password_change/",
    }
    assert doors["accounts/password_change/"] is ThrottledPasswordChangeView
    assert doors["admin/password_change/"] is admin_password_change

    # A right password sent as HTTP Basic credentials authenticates no one, and is answered as
    # a wrong one is: nothing to guess with.
    import base64

    def basic(password):
        api = APIClient()
        secret = base64.b64encode(f"staff:{password}".encode()).decode()
        api.credentials(HTTP_AUTHORIZATION=f"Basic {secret}")
        response = api.post("/api/v1/courses/", {"code": "B-1", "title": "B"})
        return response.status_code, response.content

    assert basic("staff-pass-123") == basic("wrong")
    assert basic("staff-pass-123")[0] == 401
