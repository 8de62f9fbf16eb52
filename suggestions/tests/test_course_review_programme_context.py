"""A course's review page opened from a programme's gap chip knows the programme.

Observed: the programme page's gap list links each suggested course to the course's review page
(/suggestions/courses/{id}/), which had no programme: it could not say which requirement the
suggestion serves nor that its proposed level I is below the R required, and its level menu
started at I. The chip now passes the programme (`?programme=`): the page then says so and
starts the menu at R, and keeps the programme through its decisions. An unknown programme, a
value that is no id, or a programme the course is not in is ignored, never an error."""

import re

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import CourseAbility
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory, level
from suggestions.tests.factories import SuggestionFactory, small_framework

pytestmark = pytest.mark.django_db

BELOW = "proposed level I, below the required R"


@pytest.fixture
def gap(client, staff_user):
    """A programme whose target (Database developer) needs DB at R; its course C1 is suggested
    for it at I. Another programme without C1."""
    _framework, abilities = small_framework()
    course = CourseFactory(code="C1", title="Databases")
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    below = SuggestionFactory(course=course, ability=abilities["DB"], proposed_level=level("I"))
    position = PositionFactory(name="Database developer")
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("R"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    other = ProgrammeFactory()
    other.targets.create(position=position)
    client.force_login(staff_user)
    return client, programme, other, below, abilities


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _selected_level(html: str, suggestion) -> str:
    menu = re.search(rf'<select name="level-{suggestion.pk}".*?</select>', html, re.S)
    assert menu, html
    return re.findall(r'<option value="(\w+)" selected>', menu.group(0))[0]


def _course_page(client, suggestion, query: str = ""):
    url = reverse("suggestions:course-review", args=[suggestion.course_id])
    return client.get(url + query)


def test_the_gap_chip_links_to_the_course_s_review_with_the_programme(gap):
    client, programme, _other, below, _abilities = gap
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    course_url = reverse("suggestions:course-review", args=[below.course_id])
    assert f'href="{course_url}?programme={programme.pk}"' in html


def test_the_programme_s_review_links_each_row_s_course_with_the_programme(gap):
    client, programme, _other, below, _abilities = gap
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url).content.decode()
    course_url = reverse("suggestions:course-review", args=[below.course_id])
    assert f'href="{course_url}?programme={programme.pk}"' in html


def test_with_the_programme_the_course_s_review_says_what_it_serves_and_below_which_level(gap):
    client, programme, _other, below, _abilities = gap
    html = _course_page(client, below, f"?programme={programme.pk}").content.decode()
    text = _text(html)
    assert BELOW in text
    assert "Database developer" in text
    assert programme.name in text
    assert _selected_level(html, below) == "R"


@pytest.mark.parametrize(
    "value",
    ["abc", "0", "-3", "99999999", str(2**62), "1.5", "９", "", "1" * 30],  # noqa: RUF001
)
def test_a_programme_that_is_no_programme_is_ignored(gap, value):
    client, _programme, _other, below, _abilities = gap
    response = _course_page(client, below, f"?programme={value}")
    assert response.status_code == 200
    html = response.content.decode()
    assert BELOW not in _text(html)
    assert _selected_level(html, below) == "I"


def test_a_programme_the_course_is_not_in_is_ignored(gap):
    client, _programme, other, below, _abilities = gap
    response = _course_page(client, below, f"?programme={other.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert BELOW not in _text(html)
    assert "Database developer" not in _text(html)
    assert _selected_level(html, below) == "I"
    assert 'name="programme"' not in html


def test_the_programme_is_kept_through_a_decision_without_javascript(gap):
    client, programme, _other, below, abilities = gap
    # A second suggestion, so the page still lists one after the first is decided.
    second = SuggestionFactory(
        course=below.course, ability=abilities["WEB"], proposed_level=level("I"), score=0.1
    )
    html = _course_page(client, below, f"?programme={programme.pk}").content.decode()
    form = re.search(r'<form id="review-queue".*?</form>', html, re.S).group(0)
    assert f'<input type="hidden" name="programme" value="{programme.pk}">' in form
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{below.course_id}",
            "programme": str(programme.pk),
            "single": f"skip:{second.pk}",
            f"level-{second.pk}": "I",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?programme={programme.pk}")
    # Accepting from the form as shown: at the level needed.
    client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{below.course_id}",
            "programme": str(programme.pk),
            "bulk": "1",
            "bulk_level": "",
            "selected": [below.pk],
        },
    )
    assert CourseAbility.objects.get(course=below.course, ability=below.ability).level.code == "R"


def test_an_htmx_decision_answers_rows_that_still_say_so(gap):
    client, programme, _other, below, abilities = gap
    second = SuggestionFactory(
        course=below.course, ability=abilities["WEB"], proposed_level=level("I"), score=0.9
    )
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{below.course_id}",
            "programme": str(programme.pk),
            "single": f"skip:{second.pk}",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert BELOW in _text(response.content.decode())


def test_the_course_s_review_with_a_programme_costs_the_same_however_many_rows(
    gap, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, programme, _other, below, abilities = gap
    query = f"?programme={programme.pk}"
    _course_page(client, below, query)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        _course_page(client, below, query)
    for key in ("MKT", "LOG", "NEG"):
        if key in abilities:
            SuggestionFactory(
                course=below.course, ability=abilities[key], proposed_level=level("I")
            )
    with django_assert_num_queries(len(few.captured_queries)):
        _course_page(client, below, query)
