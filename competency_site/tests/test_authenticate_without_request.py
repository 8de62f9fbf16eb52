"""authenticate() without its request, while a request is being served, is refused: a door that
forgot to pass it would otherwise try passwords past django-axes and the account's pause
(LockoutBackend can neither count nor lock out a client it cannot see). Outside a request (the
shell, management commands, the test client's login()) no client can reach the call, and it
authenticates as before."""

import io
import logging

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import path


def _careless_door(request):
    """A password door that forgets to pass its request (the mistake guarded against)."""
    user = authenticate(username=request.POST["username"], password=request.POST["password"])
    return HttpResponse("signed in" if user is not None else "refused")


def _careful_door(request):
    user = authenticate(
        request, username=request.POST["username"], password=request.POST["password"]
    )
    return HttpResponse("signed in" if user is not None else "refused")


urlpatterns = [path("careless/", _careless_door), path("careful/", _careful_door)]
RIGHT = {"username": "staff", "password": "staff-pass-123"}


@pytest.mark.urls(__name__)
def test_a_door_without_its_request_is_refused_and_logged(client, staff_user, caplog):
    """Observed: LockoutBackend stepped aside for a call without a request, and the next backend
    checked the password: such a door was unthrottled, and said nothing."""
    with caplog.at_level(logging.ERROR, logger="core.security"):
        response = client.post("/careless/", RIGHT)

    assert response.content == b"refused"
    assert "without its request" in caplog.text


@pytest.mark.urls(__name__)
def test_guesses_at_a_door_without_its_request_are_all_refused(client, staff_user, settings):
    """Past any limit, the right password is still refused there: nothing is tried at all."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/careless/", {**RIGHT, "password": "wrong"})

    assert client.post("/careless/", RIGHT).content == b"refused"


@pytest.mark.urls(__name__)
def test_a_door_passing_its_request_signs_in(client, staff_user):
    assert client.post("/careful/", RIGHT).content == b"signed in"
    assert client.post("/careful/", {**RIGHT, "password": "wrong"}).content == b"refused"


@pytest.mark.urls(__name__)
def test_outside_a_request_authenticate_and_the_test_clients_login_still_work(client, staff_user):
    """Before, after and between requests: the refusal holds only while one is served."""
    assert authenticate(**RIGHT) == staff_user
    client.post("/careless/", RIGHT)
    assert authenticate(**RIGHT) == staff_user
    assert authenticate(username="staff", password="wrong") is None
    assert client.login(**RIGHT)


@pytest.mark.django_db(transaction=True)
def test_a_management_command_authenticates(django_user_model, capsys):
    """As the README's check of a new superuser does it (`manage.py shell`)."""
    django_user_model.objects.create_user(username="admin", password="admin-pass-123")

    call_command(
        "shell",
        command=(
            "from django.contrib.auth import authenticate; "
            "print(authenticate(username='admin', password='admin-pass-123'))"
        ),
        stdout=io.StringIO(),
    )

    assert capsys.readouterr().out.strip() == "admin"
