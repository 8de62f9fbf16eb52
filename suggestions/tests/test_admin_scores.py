"""The admin's suggestion list and page give a score as a number a person reads (four
significant digits, the reader's decimal mark), not a float's every digit
(0.03125763125763126): the ranking fuses two places into small scores that differ in their
third or fourth digit."""

import pytest
from django.urls import reverse

from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

SCORE = 0.03125763125763126


def test_the_suggestion_list_shows_a_readable_score(admin_client):
    SuggestionFactory(score=SCORE)
    html = admin_client.get(reverse("admin:curricula_suggestion_changelist")).content.decode()
    assert "0.03126" in html
    assert str(SCORE) not in html


def test_the_suggestion_page_shows_a_readable_score(admin_client):
    suggestion = SuggestionFactory(score=SCORE)
    url = reverse("admin:curricula_suggestion_change", args=[suggestion.pk])
    html = admin_client.get(url).content.decode()
    assert "0.03126" in html
    assert str(SCORE) not in html
