"""CASE date-times another server wrote (kept item types' and groupings' lastChangeDateTime,
statusStartDate) are read in every form real servers and RFC 3339 use, as the instant they
name, and republished in UTC: OpenSALT's early exports write no offset, later ones +00:00,
others Z with milliseconds or seven fractional digits; RFC 3339 (5.6) allows a lower-case t
and z, which were not read (the kept definition then took the framework's own time)."""

import datetime

import pytest

from curricula.case.builders import _iso_date, case_datetime, timestamp

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2017-05-25T18:05:33", datetime.datetime(2017, 5, 25, 18, 5, 33, tzinfo=UTC)),
        ("2017-05-25T18:05:33+00:00", datetime.datetime(2017, 5, 25, 18, 5, 33, tzinfo=UTC)),
        ("2017-05-25T18:05:33.000Z", datetime.datetime(2017, 5, 25, 18, 5, 33, tzinfo=UTC)),
        ("2017-05-25T18:05:33+0000", datetime.datetime(2017, 5, 25, 18, 5, 33, tzinfo=UTC)),
        ("2017-05-25T18:05:33-05:00", datetime.datetime(2017, 5, 25, 23, 5, 33, tzinfo=UTC)),
        ("2017-05-25T18:05:33.1234567Z", datetime.datetime(2017, 5, 25, 18, 5, 33, 123456, UTC)),
        ("2017-05-25t18:05:33z", datetime.datetime(2017, 5, 25, 18, 5, 33, tzinfo=UTC)),
        ("2017-05-25t18:05:33.5+08:00", datetime.datetime(2017, 5, 25, 10, 5, 33, 500000, UTC)),
    ],
)
def test_a_case_date_time_is_read_as_the_instant_it_names(settings, text, instant):
    settings.TIME_ZONE = "Asia/Shanghai"  # not the zone of an offset-less time
    assert case_datetime(text) == instant
    assert timestamp(case_datetime(text)) == instant.replace(microsecond=0).isoformat()


@pytest.mark.parametrize("text", ["yesterday", "2017-05-25T24:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_what_is_no_date_time_is_none(text):
    assert case_datetime(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2017-05-25", "2017-05-25"),
        ("2017-05-25T18:05:33Z", "2017-05-25"),
        ("2017-05-25T23:05:33-05:00", "2017-05-25"),
        ("2017-05-25t18:05:33z", "2017-05-25"),
    ],
)
def test_a_case_date_is_the_day_written(text, day):
    assert _iso_date(text) == day
