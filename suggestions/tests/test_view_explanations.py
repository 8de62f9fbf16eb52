"""A programme's review says how its queue is ordered in the view shown: "Gaps first" in the
required view only, "Best first" in the view of all suggestions, whose order is by score."""

import re

import pytest

from suggestions.tests.test_required_filter import _page, build_programme_queue

pytestmark = pytest.mark.django_db

GAPS_FIRST = "Gaps first:"
BEST_FIRST = "Best first:"


def _views(html: str) -> str:
    return re.search(r'id="review-views".*?</nav>', html, re.S).group(0)


def test_each_view_explains_its_own_order(client, staff_user):
    """Observed: the "Gaps first: …" explanation was read on the All suggestions view, whose
    order is not gaps first."""
    programme, *_ = build_programme_queue()
    client.force_login(staff_user)
    required = _views(_page(client, programme))
    assert GAPS_FIRST in required
    assert BEST_FIRST not in required
    everything = _views(_page(client, programme, required="0"))
    assert GAPS_FIRST not in everything
    assert BEST_FIRST in everything


def test_a_decision_in_the_all_view_keeps_its_explanation(client, staff_user):
    """The htmx answer to a decision re-renders the views' line: it explains the same view."""
    from django.urls import reverse

    programme, suggestion, *_ = build_programme_queue()
    client.force_login(staff_user)
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"programme:{programme.pk}",
            "required": "0",
            "single": f"reject:{suggestion['D'].pk}",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "All suggestions (5)" in html  # decided: the views' line was re-rendered
    views = html.partition('id="review-views"')[2]
    assert GAPS_FIRST not in views
    assert BEST_FIRST in views
