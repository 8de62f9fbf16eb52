# ruff: noqa: RUF002  (Chinese text takes full-width parentheses)
"""A placement's listed title in the reader's language. A blank title means the position's own
name, and the position's name in the reader's language is the one to show: a Chinese reader saw
"病房护士（listed as “Ward nurse”）" on the positions list, the English name in a note that only
repeated the position's name, and "Adult nursing, Bachelor — “Ward nurse”" on its page."""

import pytest
from django.utils import translation

from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def nurse():
    position = PositionFactory(name="Ward nurse", name_zh="病房护士")
    PlacementFactory(position=position, track=TrackFactory(name="Adult nursing"), title="")
    return position


def test_a_chinese_reader_sees_no_note_for_a_blank_title(client, nurse):
    listing = _text(client.get("/positions/", **ZH))
    assert f'<a href="{nurse.get_absolute_url()}">病房护士</a>' in listing
    assert "Ward nurse" not in listing


def test_a_title_repeating_the_positions_name_gets_no_note_either(client, nurse):
    """As on a programme's page, which notes a listed title only when it differs."""
    nurse.placements.update(title="ward nurse")
    assert "ward nurse" not in _text(client.get("/positions/", **ZH)).casefold()


def test_a_title_in_other_words_is_still_noted(client, nurse):
    nurse.placements.update(title="Staff nurse")
    listing = _text(client.get("/positions/", **ZH))
    assert "Staff nurse" in listing
    assert "Ward nurse" not in listing


def test_the_positions_page_names_a_blank_titled_placement_in_the_readers_language(client, nurse):
    page = _text(client.get(nurse.get_absolute_url(), **ZH))
    assert "Ward nurse" not in page
    assert "“病房护士”" in page
    # In English, as before.
    assert "Adult nursing, Bachelor — “Ward nurse”" in _text(client.get(nurse.get_absolute_url()))


def test_the_display_title_follows_the_language(nurse):
    placement = nurse.placements.get()
    assert placement.display_listed_title == "Ward nurse"
    with translation.override("zh-hans"):
        assert placement.display_listed_title == "病房护士"
        placement.title = "Staff nurse"
        assert placement.display_listed_title == "Staff nurse"
