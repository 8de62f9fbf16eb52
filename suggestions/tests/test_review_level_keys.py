"""The review's keys choose the site's own levels: each by its code's letter where the review
leaves that key free (a position's review keeps e and o for the importance)."""

import pytest
from django.urls import reverse

from positions.models import Level
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import database_course

pytestmark = pytest.mark.django_db


def _keys(html: str) -> str:
    start = html.index('data-level-keys="') + len('data-level-keys="')
    return html[start : html.index('"', start)]


def test_a_course_review_offers_a_key_for_each_level_of_the_scale(client, staff_user):
    Level.objects.create(code="E", name="Expert", rank=4)
    course = database_course()
    client.force_login(staff_user)

    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()

    assert _keys(html) == "I R M E"
    assert (
        "<kbd>i</kbd> <kbd>r</kbd> <kbd>m</kbd> <kbd>e</kbd> choose the level (I, R, M, E)." in html
    )


def test_a_position_review_keeps_e_for_the_importance(client, staff_user):
    Level.objects.create(code="E", name="Expert", rank=4)
    position = PositionFactory()
    client.force_login(staff_user)

    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()

    assert _keys(html) == "I R M"
    assert "choose the level (I, R, M)." in html
