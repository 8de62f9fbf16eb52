"""Pages show times in the reader's time zone, and say which.

Observed: every page showed times in the site's zone (DJANGO_TIME_ZONE, default UTC), so a
curriculum designer in Beijing on a site left at UTC read "Computed 02:00" for what happened at
10:00 their time; one site's readers can be in several zones (other universities' staff). Now
the zone a reader chose (the time zone page's cookie) comes first, then their browser's (which
site.js puts in a cookie), then the site's. A cookie naming no IANA zone is ignored. The API
keeps the site's zone, whatever the cookies."""

import datetime
import re

import pytest
from django.urls import reverse

from core.times import BROWSER_ZONE_COOKIE, CHOSEN_ZONE_COOKIE, site_time
from curricula.models import ProgrammeCoverage
from curricula.tests.test_area_order import programme  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 2, 3, 2, 0, tzinfo=datetime.UTC)
SHANGHAI = '<time datetime="2026-02-03T10:00:00+08:00">Feb. 3, 2026, 10 a.m. UTC+08:00</time>'
AT_UTC = '<time datetime="2026-02-03T02:00:00+00:00">Feb. 3, 2026, 2 a.m. UTC</time>'


@pytest.fixture
def report_url(settings, programme):  # noqa: F811
    settings.TIME_ZONE = "UTC"
    ProgrammeCoverage.objects.filter(programme=programme).update(computed_at=WHEN)
    return reverse("curricula:programme-report", args=[programme.pk])


def _computed(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    found = re.search(r"Computed (<time [^>]*>[^<]*</time>)", response.content.decode())
    assert found, "no computed time"
    return found.group(1)


def test_the_browser_s_zone_shows_its_time_and_says_so(client, report_url):
    client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    assert _computed(client, report_url) == SHANGHAI


def test_without_a_cookie_the_site_s_zone(client, report_url, settings):
    assert _computed(client, report_url) == AT_UTC
    settings.TIME_ZONE = "Asia/Shanghai"
    assert _computed(client, report_url) == SHANGHAI


def test_the_chosen_zone_comes_before_the_browser_s(client, report_url):
    client.cookies[BROWSER_ZONE_COOKIE] = "America/New_York"
    client.cookies[CHOSEN_ZONE_COOKIE] = "Asia/Shanghai"
    assert _computed(client, report_url) == SHANGHAI


@pytest.mark.parametrize(
    "value",
    ["Mars/Olympus_Mons", "../../etc/passwd", "", "asia/shanghai", "x" * 5000, "UTC+8", "\\"],
)
def test_a_cookie_naming_no_zone_is_ignored(client, report_url, value):
    client.cookies[CHOSEN_ZONE_COOKIE] = value
    client.cookies[BROWSER_ZONE_COOKIE] = value
    assert _computed(client, report_url) == AT_UTC


def test_the_zone_does_not_outlive_its_request(client, report_url):
    client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    assert _computed(client, report_url) == SHANGHAI
    del client.cookies[BROWSER_ZONE_COOKIE]
    assert _computed(client, report_url) == AT_UTC


def test_a_page_varies_by_cookie_and_each_zone_has_its_etag(client, report_url):
    """A cache (the browser's, or a shared one) must not give one reader another's times."""
    first = client.get(report_url)
    client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    second = client.get(report_url)
    for response in (first, second):
        assert "Cookie" in response["Vary"]
    assert first["ETag"] != second["ETag"]


def test_the_api_keeps_the_site_s_zone(api_client, report_url, programme, settings):  # noqa: F811
    settings.TIME_ZONE = "America/New_York"
    api_client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    api_client.cookies[CHOSEN_ZONE_COOKIE] = "Asia/Shanghai"
    body = api_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    assert body["computed_at"] == "2026-02-02T21:00:00-05:00"


def test_a_stored_reason_keeps_the_site_s_zone(settings):
    """Text stored for good (a revert's reason) is written alike whoever's request wrote it."""
    from django.utils import timezone

    settings.TIME_ZONE = "UTC"
    with timezone.override("Asia/Shanghai"):
        assert site_time(WHEN) == "2026-02-03 02:00 UTC"


def test_the_time_zone_page_stores_the_choice(client, report_url):
    page = client.get(reverse("time-zone"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert '<option value="Asia/Shanghai">' in page.content.decode()
    answer = client.post(reverse("time-zone"), {"time_zone": "Asia/Shanghai", "next": report_url})
    assert answer.status_code == 302
    assert answer["Location"] == report_url
    assert client.cookies[CHOSEN_ZONE_COOKIE].value == "Asia/Shanghai"
    assert _computed(client, report_url) == SHANGHAI
    page = client.get(reverse("time-zone"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="Asia/Shanghai" selected>' in page.content.decode()
    # Automatic again: the browser's zone, else the site's.
    answer = client.post(reverse("time-zone"), {"time_zone": "", "next": "https://evil.example/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    assert client.cookies[CHOSEN_ZONE_COOKIE].value == ""
    assert _computed(client, report_url) == AT_UTC


def test_the_time_zone_page_refuses_a_zone_that_is_none(client):
    answer = client.post(reverse("time-zone"), {"time_zone": "Mars/Olympus_Mons"})
    assert answer.status_code == 400
    assert CHOSEN_ZONE_COOKIE not in answer.cookies


def test_every_page_says_its_zone_and_links_the_choice(client, report_url):
    client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    html = client.get(report_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert "Asia/Shanghai" in footer
    assert f'href="{reverse("time-zone")}"' in footer


def test_the_time_zone_page_goes_back_to_the_page_its_link_was_followed_from(client, report_url):
    """The footer's link carried the page's address as rendered (`?next=` and the whole query);
    a page whose address htmx had since pushed (a decision's preview, a filtered list) sent the
    reader back to the old one, and the same page rendered at two addresses differed. The link
    is the same on every page; the page it was followed from is its Referer."""
    came_from = f"http://testserver{report_url}?q=pushed"
    page = client.get(reverse("time-zone"), HTTP_REFERER=came_from, HTTP_ACCEPT_LANGUAGE="en")
    # The page, as its path (core.http.site_path: one rule for every way back).
    assert f'name="next" value="{report_url}?q=pushed"' in page.content.decode()
    answer = client.post(reverse("time-zone"), {"time_zone": "Asia/Shanghai", "next": came_from})
    assert answer["Location"] == f"{report_url}?q=pushed"
    # Another site's page is no way back.
    page = client.get(reverse("time-zone"), HTTP_REFERER="https://evil.example/x")
    assert 'name="next" value="/"' in page.content.decode()


def test_a_page_s_workbook_writes_the_reader_s_time_and_says_its_zone(client, report_url):
    """A workbook downloaded from a page shows the times the page did, its cells' format naming
    their offset, as it named the site's."""
    import io

    import openpyxl

    client.cookies[BROWSER_ZONE_COOKIE] = "Asia/Shanghai"
    programme_id = report_url.strip("/").split("/")[1]
    response = client.get(reverse("curricula:programme-workbook", args=[programme_id]))
    assert "Cookie" in response["Vary"]
    computed = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].rows)[-1][1]
    assert computed.value.isoformat() == "2026-02-03T10:00:00"
    assert "UTC+08:00" in computed.number_format
