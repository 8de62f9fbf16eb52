"""The decision page's sentence on the essential gaps closed says each thing once: it read "5 of 8
essential gaps closed (5 can be closed by catalogue courses)" when every closable gap was closed,
and "3 of 3 … (3 can be closed …)" when all were."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _summary(*, gaps, closable, closed):
    rec = SimpleNamespace(
        gaps=gaps,
        closable=closable,
        closed=closed,
        candidates=4,
        method="branch-and-bound",
        bound=None,
        courses=[],
        before=SimpleNamespace(percent=50),
    )
    context = {"recommendations": rec, "filters": {}, "choices": {"targets": [], "areas": []}}
    with translation.override("en"):
        html = render_to_string("curricula/_recommendations_panel.html", context)
    return " ".join(html.split())


@pytest.mark.parametrize(
    ("counts", "said", "not_said"),
    [
        ({"gaps": 3, "closable": 3, "closed": 3}, "Every essential gap closed (3).", "of 3"),
        (
            {"gaps": 8, "closable": 5, "closed": 5},
            "5 of 8 essential gaps closed: every one a catalogue course can close.",
            "can be closed by",
        ),
        (
            {"gaps": 8, "closable": 5, "closed": 4},
            "4 of 8 essential gaps closed (5 can be closed by catalogue courses).",
            "every one",
        ),
    ],
)
def test_the_gaps_closed_are_said_once(counts, said, not_said):
    text = _summary(**counts)
    assert said in text
    assert not_said not in text
