"""Accepting the selected suggestions in bulk at "each one's level" takes the level each row
shows (as set in its menu).

Observed: a programme's review shows a suggestion proposed below its gap's required level as
"proposed level I, below the required R" with its level menu at R; a curriculum designer ticked
it and bulk-accepted at "each one's proposed level", and the link was saved at I, leaving the
requirement partial, not at the R the row showed. The bulk choice now means the rows' levels
(the menus the form posts; a row not posted, what it would show), and says so; the explicit
I/R/M choices still apply to every selected one."""

import re

import pytest
from django.urls import reverse

from curricula.models import CourseAbility, Suggestion, SuggestionStatus
from suggestions.tests.factories import programme_with_gap_suggested_below

pytestmark = pytest.mark.django_db

EACH = "each one's level as shown in its row"


@pytest.fixture
def gap(client, staff_user):
    """A programme whose target needs DB at R; C1 is suggested for it at I (below), C2 at M."""
    programme, below, enough = programme_with_gap_suggested_below()
    client.force_login(staff_user)
    return client, programme, below, enough


def _page(client, programme) -> str:
    url = reverse("suggestions:programme-review", args=[programme.pk]) + "?required=1"
    return client.get(url).content.decode()


def _form(html: str) -> dict:
    """What the page's form posts for a bulk accept, as a browser would: its hidden fields and
    each row's level menu at its selected option (nothing ticked yet)."""
    form = re.search(r'<form id="review-queue".*?</form>', html, re.S).group(0)
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name, menu in re.findall(r'<select name="(level-\d+)"[^>]*>(.*?)</select>', form, re.S):
        data[name] = re.search(r'<option value="(\w+)" selected>', menu).group(1)
    data.update(bulk="1", bulk_level="")
    return data


def _level(suggestion) -> str:
    return CourseAbility.objects.get(
        course=suggestion.course, ability=suggestion.ability
    ).level.code


@pytest.mark.parametrize("htmx", [False, True])
def test_bulk_accept_at_each_one_s_level_takes_the_level_its_row_shows(gap, htmx):
    client, programme, below, enough = gap
    data = _form(_page(client, programme))
    assert data[f"level-{below.pk}"] == "R"
    data["selected"] = [below.pk, enough.pk]
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(reverse("suggestions:decide"), data, headers=headers)
    assert response.status_code in (200, 302), response.content
    assert _level(below) == "R"
    assert _level(enough) == "M"


def test_a_row_s_level_changed_in_its_menu_is_the_one_accepted(gap):
    client, programme, below, enough = gap
    data = _form(_page(client, programme))
    data[f"level-{enough.pk}"] = "I"
    data[f"level-{below.pk}"] = "M"
    data["selected"] = [below.pk, enough.pk]
    client.post(reverse("suggestions:decide"), data)
    assert _level(below) == "M"
    assert _level(enough) == "I"


def test_a_level_chosen_for_the_selected_applies_to_each_whatever_its_row_shows(gap):
    client, programme, below, enough = gap
    data = _form(_page(client, programme))
    data.update(bulk_level="M", selected=[below.pk, enough.pk])
    client.post(reverse("suggestions:decide"), data)
    assert _level(below) == "M"
    assert _level(enough) == "M"


def test_rows_not_posted_are_accepted_at_the_level_they_would_show(gap):
    """A form posting no row menus (an older page, a script): each at what its row shows, the
    level needed where it is proposed below it."""
    client, programme, below, enough = gap
    data = {
        "scope": f"programme:{programme.pk}",
        "required": "1",
        "bulk": "1",
        "bulk_level": "",
        "selected": [below.pk, enough.pk],
    }
    client.post(reverse("suggestions:decide"), data)
    assert _level(below) == "R"
    assert _level(enough) == "M"


def test_an_unknown_level_in_a_selected_row_accepts_nothing_an_unselected_one_is_ignored(gap):
    client, programme, below, enough = gap
    data = _form(_page(client, programme))
    data.update({f"level-{below.pk}": "Z", "selected": [below.pk, enough.pk]})
    response = client.post(reverse("suggestions:decide"), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Unknown level" in response.content.decode()
    assert not CourseAbility.objects.exists()
    data["selected"] = [enough.pk]
    client.post(reverse("suggestions:decide"), data)
    assert _level(enough) == "M"
    assert Suggestion.objects.get(pk=below.pk).status == SuggestionStatus.PENDING


def test_the_bulk_choice_says_it_takes_the_rows_levels(gap):
    client, programme, _below, _enough = gap
    html = _page(client, programme)
    bulk = re.search(r'<select name="bulk_level".*?</select>', html, re.S).group(0)
    assert f'<option value="">{EACH}</option>' in bulk.replace("&#x27;", "'")
    assert "proposed level" not in bulk
    # The explicit levels stay.
    assert re.findall(r'<option value="(\w+)">', bulk) == ["I", "R", "M"]


def test_a_course_s_review_bulk_accepts_at_the_rows_levels_too(gap):
    client, _programme, below, _enough = gap
    url = reverse("suggestions:course-review", args=[below.course_id])
    data = _form(client.get(url).content.decode())
    assert data[f"level-{below.pk}"] == "I"  # no programme: nothing needs more
    data[f"level-{below.pk}"] = "M"
    data["selected"] = [below.pk]
    client.post(reverse("suggestions:decide"), data)
    assert _level(below) == "M"
