"""Times shown to people and written into stored text say their time zone.

The site shows times in its own zone (settings.TIME_ZONE), which a reader elsewhere cannot
guess: with the default UTC, a reader in Shanghai read "16:00" for a change made at 16:00 there
as 08:00, and a revert's reason, stored for good, said "2026-01-31 16:00" whatever zone the
next reader or a later setting used. In New York the same wall time names two instants on the
night clocks go back. Each time now carries its offset from UTC."""

import datetime

import pytest
from django.utils import timezone, translation

from core.times import labelled_datetime, site_time, zone_label

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("zone", "when", "label"),
    [
        ("UTC", datetime.datetime(2026, 1, 31, 8, 0, tzinfo=UTC), "UTC"),
        ("Asia/Shanghai", datetime.datetime(2026, 1, 31, 8, 0, tzinfo=UTC), "UTC+08:00"),
        ("America/New_York", datetime.datetime(2026, 1, 31, 8, 0, tzinfo=UTC), "UTC-05:00"),
        ("America/New_York", datetime.datetime(2026, 7, 1, 8, 0, tzinfo=UTC), "UTC-04:00"),
        ("Asia/Kolkata", datetime.datetime(2026, 7, 1, 8, 0, tzinfo=UTC), "UTC+05:30"),
    ],
)
def test_the_label_is_the_offset_the_site_zone_has_at_that_instant(settings, zone, when, label):
    settings.TIME_ZONE = zone
    assert zone_label(when) == label


def test_the_two_instants_of_a_repeated_hour_read_apart(settings):
    """1 November 2026, New York: 01:30 happens twice, first in EDT, then in EST."""
    settings.TIME_ZONE = "America/New_York"
    first = datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    second = first + datetime.timedelta(hours=1)
    assert site_time(first) == "2026-11-01 01:30 UTC-04:00"
    assert site_time(second) == "2026-11-01 01:30 UTC-05:00"


def test_site_time_is_in_the_site_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert site_time(datetime.datetime(2026, 1, 31, 20, 5, 9, tzinfo=UTC)) == (
        "2026-02-01 04:05 UTC+08:00"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Feb. 1, 2026, 4:05 a.m. UTC+08:00"), ("zh-hans", "2026年2月1日 04:05 UTC+08:00")],
)
def test_a_page_s_time_is_the_language_s_format_with_the_zone(settings, language, expected):
    settings.TIME_ZONE = "Asia/Shanghai"
    with translation.override(language):
        assert labelled_datetime(datetime.datetime(2026, 1, 31, 20, 5, tzinfo=UTC)) == expected


def test_no_time_reads_as_nothing(settings):
    settings.TIME_ZONE = "UTC"
    assert labelled_datetime(None) == ""
    assert labelled_datetime(timezone.now()).endswith(" UTC")
