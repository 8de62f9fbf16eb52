"""A map edit refused (or sent signed out) goes back to the page the form was on, its `back`:
only a page of this site (core.http.site_path), else the map in the view it was edited in."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS
from curricula.tests.test_map_views import workspace  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _back_link(client, workspace, back, *, secure=False) -> str:  # noqa: F811
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {
            f"cell:{courses['DAT1'].pk}:{abilities['D3'].pk}": "Z",  # no such level
            "back": back,
            "view": "status=missing",
        },
        secure=secure,
    )
    assert response.status_code == 400
    return re.search(r'<a href="([^"]*)">Back to the map</a>', response.content.decode())[1]


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("back", HOSTILE)
def test_an_address_that_is_no_page_of_this_site_goes_back_to_the_map(
    staff_user,
    workspace,  # noqa: F811
    back,
    secure,
):
    client = Client()
    client.force_login(staff_user)
    default = f"{workspace['programme'].get_absolute_url()}?status=missing"
    assert _back_link(client, workspace, back, secure=secure) == default


def test_this_hosts_http_address_goes_back_to_the_map_over_https(
    staff_user,
    workspace,  # noqa: F811
):
    client = Client()
    client.force_login(staff_user)
    default = f"{workspace['programme'].get_absolute_url()}?status=missing"
    assert _back_link(client, workspace, INSECURE_ON_HTTPS, secure=True) == default


def test_a_page_of_this_site_keeps_its_query(staff_user, workspace):  # noqa: F811
    client = Client()
    client.force_login(staff_user)
    page = f"{workspace['programme'].get_absolute_url()}?view=x#frag"
    assert _back_link(client, workspace, page) == page


@pytest.mark.parametrize("back", HOSTILE)
def test_signed_out_an_address_that_is_no_page_of_this_site_logs_in_back_to_the_map(
    workspace,  # noqa: F811
    back,
):
    programme = workspace["programme"]
    response = Client().post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {"back": back, "view": "status=missing"},
    )
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert parse_qs(login.query)["next"] == [f"{programme.get_absolute_url()}?status=missing"]
