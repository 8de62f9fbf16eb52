""" "Needing a new course" says what to do first: a catalogue course outside the programme is
recommended only once it is linked to the ability, so the message points to linking one or to
generating suggestions for the catalogue's courses, on the decide page and in `manage.py
recommend`'s Markdown."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from curricula.tests.test_decisions_api import _world

pytestmark = pytest.mark.django_db

HINT = "is recommended only once it is linked to the ability"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _world()


def _text(html: str) -> str:
    return " ".join(html.split())


def test_the_decide_page_says_how_a_catalogue_course_becomes_a_candidate(client, world):
    """Observed: the section said only that no course in the catalogue builds the abilities,
    though a catalogue course not linked to them yet is never considered."""
    html = _text(
        client.get(
            reverse("curricula:programme-decide", args=[world["programme"].pk])
        ).content.decode()
    )
    section = html.partition("Needing a new course")[2]
    assert HINT in section
    assert "manage.py suggest --all-courses" in section
    # Anonymous readers are not sent to the admin.
    assert reverse("admin:curricula_courseability_add") not in section


def test_staff_who_may_link_get_a_link_to_do_it(staff_user, world):
    client = Client()
    client.force_login(staff_user)
    html = client.get(
        reverse("curricula:programme-decide", args=[world["programme"].pk])
    ).content.decode()
    section = html.partition("Needing a new course")[2]
    assert f'href="{reverse("admin:curricula_courseability_add")}"' in section


def test_the_commands_markdown_says_it_too(world):
    out = io.StringIO()
    call_command("recommend", program=str(world["programme"].pk), stdout=out)
    section = _text(out.getvalue()).partition("### Needing a new course")[2]
    assert HINT in section
    assert "`manage.py suggest --all-courses`" in section
