"""A refused job start says when to try again as a person reads it: seconds under a minute, then
whole minutes rounded up (a page showed "Try again in 3599 seconds")."""

import pytest
from django.utils import translation

from core.api.throttling import try_again_in


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (None, "Try again in 0 seconds."),
        (0.2, "Try again in 1 second."),
        (59, "Try again in 59 seconds."),
        (60, "Try again in 1 minute."),
        (61, "Try again in 2 minutes."),
        (3599, "Try again in 60 minutes."),
    ],
)
def test_the_wait_is_in_seconds_under_a_minute_then_in_minutes(wait, words):
    with translation.override("en"):
        assert try_again_in(wait) == words


def test_the_wait_reads_in_chinese():
    with translation.override("zh-hans"):
        assert "分钟" in try_again_in(3599)
