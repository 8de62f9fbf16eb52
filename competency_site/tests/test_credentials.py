"""What a password change does to the account's other credentials: an API token is revoked by
every door a password is changed through (a stolen token must stop working when its owner
changes the password, as the owner's other sessions do), and a new one is made the usual way."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


def test_saving_a_user_without_changing_the_password_keeps_the_token(db, client, staff_user):
    token = Token.objects.create(user=staff_user)
    staff_user.first_name = "Ada"
    staff_user.save()
    assert _token_works(token.key)
