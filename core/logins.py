"""Guesses at one account from many addresses. django-axes locks out a client address after
AXES_FAILURE_LIMIT wrong passwords; an attacker with many addresses (a botnet, a cloud
provider's range) is not held by that. Past LOGIN_ACCOUNT_FAILURE_LIMIT failures for one
account, logins to it are paused for AXES_COOLOFF_TIME after the last, except from a browser
that has logged in to it before (a signed cookie set at each successful login, holding a keyed
digest of the account's name): a lockout by account alone would let anyone who types a
victim's name lock the victim out, while here the victim's own browser is not held. Failures
from such a browser do not count towards the pause.

The failures are counted by the user_login_failed receiver below (connected by core.apps),
which the password change pages send too for a wrong old password; the pause is applied by the
login backend and by those pages (competency_site.accounts); the cookie is set by
KnownLoginMiddleware.

RequestCycleMiddleware marks the time a request is being served (`serving_request`): the login
backend refuses a call to authenticate() without its request then, as it can neither count nor
lock out a client it cannot see."""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from core.http import failure_record, failures_forget, failures_reached

KNOWN_LOGIN_COOKIE = "known_login"
_SALT = "core.logins.known-login"
_MAX_AGE = 365 * 24 * 3600
_SCOPE = "login-account"


def _account(username: str | None) -> str:
    return (username or "").strip().casefold()


def _account_mark(username: str | None) -> str:
    """What the cookie holds for an account: a keyed digest of its name, so that a shared
    computer's cookies do not say who logged in on it."""
    return salted_hmac(_SALT, _account(username)).hexdigest()


def _cooloff() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def known_browser(request: HttpRequest, username: str | None) -> bool:
    """Whether this browser has logged in to `username` before (its signed cookie says so)."""
    known = request.get_signed_cookie(
        KNOWN_LOGIN_COOKIE, default=None, salt=_SALT, max_age=_MAX_AGE
    )
    return bool(username) and known == _account_mark(username)


def login_paused(request: HttpRequest, username: str | None) -> bool:
    """Whether a login to `username` from this browser is refused unread: the account has
    LOGIN_ACCOUNT_FAILURE_LIMIT failures that have not cooled off, and this browser has not
    logged in to it before."""
    if not username or known_browser(request, username):
        return False
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    return failures_reached(scope=_SCOPE, key=_account(username), limit=limit)


def record_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """user_login_failed: counts the failure against its account, unless the browser has
    logged in to that account before. Names that match no account are counted as well, so
    that a pause says nothing about which accounts exist. A login refused before its password
    was checked (a locked-out address, the pause itself: `login_refused_unread`, set by the
    login backend) is no failure: it neither lengthens the pause nor lets one locked-out
    address pause an account on its own."""
    username = (credentials or {}).get("username")
    if request is None or not username or getattr(request, "login_refused_unread", False):
        return
    if known_browser(request, username):
        return
    failure_record(scope=_SCOPE, key=_account(username), cooloff=_cooloff())


def note_password_disabled(sender, instance, raw: bool = False, update_fields=None, **kwargs):
    """pre_save of the user model: notes on the instance whether this save takes a usable
    password away (set_unusable_password: the admin's "Password-based authentication:
    Disabled", the shell), for password_changed. Only a save that stores an unusable password
    reads the stored one (one query); a save of an account that had none already is no change,
    although a new random unusable value is stored."""
    disabled = False
    saves_password = update_fields is None or "password" in update_fields
    if (
        not raw
        and instance.pk is not None
        and saves_password
        and not instance.has_usable_password()
    ):
        stored = (
            type(instance)
            ._base_manager.filter(pk=instance.pk)
            .values_list("password", flat=True)
            .first()
        )
        disabled = stored is not None and is_password_usable(stored)
    instance._password_disabled = disabled


def password_changed(instance, created: bool) -> bool:
    """Whether a post_save of the user model saved a new password (set_password, by any door)
    or took the password away (note_password_disabled): either way the old one stops working.

    Django keeps the new raw password on the instance (`_password`) from set_password() until
    the save has told the password validators, and clears it first when it only rehashes the
    same password at login (a new hasher or work factor): that rehash is no change."""
    if created:
        return False
    return getattr(instance, "_password", None) is not None or getattr(
        instance, "_password_disabled", False
    )


def forget_login_failures(sender, instance, created: bool = False, **kwargs) -> None:
    """post_save of the user model: a new password (a reset by mail proves the account is its
    owner's) lifts the pause of the account's logins. Guesses at the old password say nothing
    about the new one; guesses at the new one count afresh. Taking the password away lifts it
    too: no password logs in to the account then, so the pause would hold nothing back, and
    the password an administrator gives back later would lift it anyway."""
    if not password_changed(instance, created):
        return
    failures_forget(scope=_SCOPE, key=_account(instance.get_username()))


def remember_login(sender, request=None, user=None, **kwargs) -> None:
    """user_logged_in: KnownLoginMiddleware gives the browser its cookie for this account."""
    if request is not None and user is not None:
        request.known_login = _account_mark(user.get_username())


_serving: ContextVar[bool] = ContextVar("serving_request", default=False)


def serving_request() -> bool:
    """Whether the code runs while a request is served (inside RequestCycleMiddleware), where a
    client may have sent what it is given; not in the shell, a management command, a task run
    by a worker, or the test client's login()."""
    return _serving.get()


class RequestCycleMiddleware:
    """Marks the request being served, for `serving_request`; first in MIDDLEWARE so that all
    the other middleware and the view run inside the mark. A context variable, so that it holds
    for this request's thread or task only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _serving.set(True)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)


class KnownLoginMiddleware:
    """Sets the cookie of a browser that has just logged in (remember_login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        account = getattr(request, "known_login", None)
        if account:
            response.set_signed_cookie(
                KNOWN_LOGIN_COOKIE,
                account,
                salt=_SALT,
                max_age=_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
