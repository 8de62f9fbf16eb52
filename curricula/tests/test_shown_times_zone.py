"""Every time a page shows, and every time written into a stored reason, says its zone.

Observed with DJANGO_TIME_ZONE=Asia/Shanghai: the programme report said "Computed Feb. 3, 2026,
12:05 p.m.", a link's panel and the admin's history "Last change"/"Date" likewise, and a revert
was recorded as "Reverted to the version of 2026-02-03 12:05": nothing said which zone, and a
reader elsewhere (or the API, which gives 04:05Z) read another time. With America/New_York the
hour clocks go back named two instants alike."""

import datetime
import re

import pytest
from django.urls import reverse

from curricula.models import CourseAbility, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory
from curricula.tests.test_area_order import programme  # noqa: F401  (fixture)
from positions.tests.factories import level

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)


@pytest.fixture
def shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Feb. 3, 2026, 12:05 p.m. UTC+08:00"), ("zh-hans", "2026年2月3日 12:05 UTC+08:00")],
)
def test_the_report_s_computed_time_says_its_zone(
    client,
    shanghai,
    programme,  # noqa: F811
    language,
    shown,
):
    ProgrammeCoverage.objects.filter(programme=programme).update(computed_at=WHEN)
    page = client.get(
        reverse("curricula:programme-report", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert page.status_code == 200
    assert shown in page.content.decode()


def test_a_link_s_last_change_says_its_zone(
    client,
    shanghai,
    programme,  # noqa: F811
):
    link = CourseAbility.objects.filter(course__programmes=programme).first()
    url = reverse("curricula:programme-ability", args=[programme.pk, link.ability_id])
    html = client.get(url, {"course": link.course_id}).content.decode()
    assert re.search(r'<time datetime="[-\d]+T[:.\d]+\+08:00">[^<]+ UTC\+08:00</time>', html)


def _changed_link():
    link = CourseAbilityFactory(level=level("I"))
    link.level = level("M")
    link.save()
    first = link.history.earliest("history_date")
    CourseAbility.history.filter(history_id=first.history_id).update(history_date=WHEN)
    return link, first


def test_the_admin_history_says_the_zone(admin_client, shanghai):
    link, _ = _changed_link()
    history = reverse("admin:curricula_courseability_history", args=[link.pk])
    assert "Feb. 3, 2026, 12:05 p.m. UTC+08:00" in admin_client.get(history).content.decode()


def test_a_revert_s_stored_reason_says_the_zone(admin_client, settings):
    """Fall back in New York: 01:30 EDT and 01:30 EST are an hour apart."""
    settings.TIME_ZONE = "America/New_York"
    link, first = _changed_link()
    CourseAbility.history.filter(history_id=first.history_id).update(
        history_date=datetime.datetime(2026, 11, 1, 6, 30, tzinfo=datetime.UTC)
    )
    url = reverse("admin:curricula_courseability_simple_history", args=[link.pk, first.history_id])
    html = admin_client.get(url).content.decode()
    assert "Reverted to the version of 2026-11-01 01:30 UTC-05:00" in html


def test_a_restore_s_stored_reason_says_the_zone(admin_client, shanghai):
    link = CourseAbilityFactory(level=level("R"))
    link_id = link.pk
    link.delete()
    deletion = CourseAbility.history.filter(id=link_id, history_type="-").latest("history_date")
    CourseAbility.history.filter(id=link_id).update(history_date=WHEN - datetime.timedelta(days=1))
    CourseAbility.history.filter(history_id=deletion.history_id).update(history_date=WHEN)
    restore = reverse("admin:curricula_courseability_restore", args=[deletion.history_id])
    html = admin_client.get(restore).content.decode()
    assert "Restored: deleted on 2026-02-03 12:05 UTC+08:00" in html
    assert "Feb. 3, 2026, 12:05 p.m. UTC+08:00" in html  # "Deleted at"
    deleted = admin_client.get(reverse("admin:curricula_courseability_deleted"))
    assert "Feb. 3, 2026, 12:05 p.m. UTC+08:00" in deleted.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_admin_says_which_zone_its_times_are_in(admin_client, shanghai, language):
    """The admin's own lists and forms (a changelist's "updated", an import job's started and
    finished) show Django's site time with nothing saying which zone: every admin page says it
    (by the zone's name: its offset changes with the season)."""
    CourseAbilityFactory()
    for url in (
        reverse("admin:curricula_courseability_changelist"),
        reverse("admin:positions_importjob_changelist"),
    ):
        page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        footer = re.search(r'<footer id="footer">(.*?)</footer>', page.content.decode(), re.S)
        assert "Asia/Shanghai" in footer.group(1), url
        if language == "en":
            assert "Times are in the Asia/Shanghai time zone." in footer.group(1)


def test_a_time_element_s_datetime_is_valid_html(
    client,
    shanghai,
    programme,  # noqa: F811
):
    """HTML's time strings take at most three digits of a second's fraction (milliseconds):
    `|date:'c'` wrote six (2026-12-06T17:23:08.773066+08:00), which no HTML parser reads as a
    time. Whole seconds, as the page shows minutes."""
    link = CourseAbility.objects.filter(course__programmes=programme).first()
    url = reverse("curricula:programme-ability", args=[programme.pk, link.ability_id])
    for response in (client.get(url), client.get(url, {"course": link.course_id})):
        found = re.findall(r'<time datetime="([^"]*)"', response.content.decode())
        assert found
        for value in found:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", value), value
