# ruff: noqa: RUF001  (Chinese text takes full-width brackets and separators)
"""A course suggested for a gap at a level below the requirement's minimum says so.

Observed: the programme page's gap list, the decide page, `manage.py recommend` and the API named
a course "suggested" for a requirement needing R with "proposed level I" and nothing more; a
curriculum designer reading it believed accepting it closed the gap, but accepted at its proposed
level the requirement stays partial. The programme's review (where it is accepted, at a level
chosen from a menu) offered it at I."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from suggestions.tests.factories import programme_with_gap_suggested_below

pytestmark = pytest.mark.django_db

BELOW = "proposed level I, below the required R"


@pytest.fixture
def gap(client, staff_user):
    """A programme whose target needs DB at R, which no course builds; two of its courses are
    suggested for it, C1 at I (below) and C2 at M (enough)."""
    programme, below, enough = programme_with_gap_suggested_below()
    client.force_login(staff_user)
    return client, programme, below, enough


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _chips(html: str) -> dict[str, str]:
    """Each suggested course's chip as text, by course code."""
    chips = re.findall(r'<a class="contributor contributor--suggested[^"]*"[^>]*>(.*?)</a>', html)
    assert chips, html
    found = {}
    for chip in chips:
        text = _text(chip)
        # What follows the bracket says how strongly it is suggested: not what is tested here.
        text = text[: max(text.rfind(")"), text.rfind("）")) + 1]
        found[text.split(" ", 1)[0]] = text
    return found


def test_the_gap_list_says_a_suggestion_is_proposed_below_the_level_needed(gap):
    client, programme, _below, _enough = gap
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    chips = _chips(html)
    assert chips["C1"] == f"C1 Databases ({BELOW})"
    assert chips["C2"] == "C2 Data modelling (proposed level M)"
    # Set apart for the eye too, not by colour alone: the words say it.
    assert "contributor--below" in html


def test_the_programme_page_shows_it_too(gap):
    client, programme, _below, _enough = gap
    html = client.get(reverse("curricula:programme-detail", args=[programme.pk])).content.decode()
    assert BELOW in _text(html)


def test_in_chinese_it_reads_in_full_width_brackets(gap, chinese_stand_in):
    client, programme, _below, _enough = gap
    chinese_stand_in(None, "proposed level %(proposed)s, below the required %(needed)s")
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    chips = _chips(html)
    assert chips["C1"].startswith("C1 数据库（")
    assert chips["C1"].endswith("）")
    assert " (" not in chips["C1"]
    assert "I" in chips["C1"]
    assert "R" in chips["C1"]
    assert chips["C2"] == "C2 数据建模（建议等级 M）"


def test_the_decide_page_says_so_under_review_a_suggestion(gap):
    client, programme, _below, _enough = gap
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    to_review = html.split("Review a suggestion for a course of the programme", 1)[1]
    chips = _chips(to_review)
    assert chips["C1"] == f"C1 Databases ({BELOW})"
    assert chips["C2"] == "C2 Data modelling (proposed level M)"


def test_the_recommend_command_says_so(gap):
    _client, programme, _below, _enough = gap
    out = StringIO()
    call_command("recommend", program=str(programme.pk), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "suggested to" in line]
    assert len(lines) == 2
    assert any("C1 Databases" in line and BELOW in line for line in lines)
    assert any("C2 Data modelling" in line and "(proposed level M)" in line for line in lines)


def _selected_level(html: str, suggestion) -> str:
    menu = re.search(rf'<select name="level-{suggestion.pk}".*?</select>', html, re.S)
    assert menu, html
    chosen = re.findall(r'<option value="(\w+)" selected>', menu.group(0))
    assert len(chosen) == 1, menu.group(0)
    return chosen[0]


def _row(html: str, suggestion) -> str:
    match = re.search(
        rf'<li class="review-item" id="suggestion-{suggestion.pk}".*?</li>\n', html, re.S
    )
    assert match, html
    return match.group(0)


def test_the_programme_review_says_so_and_offers_it_at_the_level_needed(gap):
    client, programme, below, enough = gap
    url = reverse("suggestions:programme-review", args=[programme.pk]) + "?required=1"
    html = client.get(url).content.decode()
    assert BELOW in _text(_row(html, below))
    # Accepting it for the gap: the menu starts at the level the requirement needs (the
    # reviewer may still choose another).
    assert _selected_level(html, below) == "R"
    assert "needs R" not in _text(_row(html, enough))
    assert _selected_level(html, enough) == "M"


def test_the_api_says_which_requirement_the_proposed_level_falls_short_of(staff_client, gap):
    _client, programme, below, enough = gap
    rows = staff_client.get(f"/api/v1/suggestions/?programme={programme.pk}").json()["results"]
    by_id = {row["id"]: row for row in rows}
    [need] = by_id[below.pk]["required_by"]
    assert need["min_level"] == "R"
    assert need["below_min_level"] is True
    [need] = by_id[enough.pk]["required_by"]
    assert need["min_level"] == "R"
    assert need["below_min_level"] is False
