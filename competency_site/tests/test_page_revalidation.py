"""Pages and their downloads revalidated as RFC 9110 (13.2, 8.8.3) and RFC 9111 want, found by
REDbot (redbot 2.7.1, Mark Nottingham's HTTP linter) run over a served copy of the site.

Observed: every anonymous page answered an ETag that no revalidation could match ("An
If-None-Match conditional request returned the full content, but it had changed"): the page
holds a CSRF token (the language form), masked afresh on each render, so its bytes and their
tag change every time, and a browser's If-None-Match was answered in full, for ever. The page
said `Cache-Control: private` alone, leaving a browser to reuse it for as long as it guessed
(heuristic freshness). A page download's HEAD had no ETag, and its If-None-Match a 200, where
its GET had both; a page's 404 carried no Cache-Control at all."""

import pytest
from django.test import Client

from competency_site.tests.http_caching import cache_directives, linked_programme

pytestmark = pytest.mark.django_db

PAGES = ("/", "/programs/", "/programs/{pk}/", "/positions/")


@pytest.fixture
def programme():
    return linked_programme()


@pytest.mark.parametrize("path", PAGES)
def test_an_unchanged_anonymous_page_is_a_304_to_the_browser_that_has_it(client, programme, path):
    """The browser sends back the ETag it was given, with its `csrftoken` cookie: nothing it
    shows has changed, so it is told 304 and keeps its copy (whose token is still good for
    that cookie's secret)."""
    path = path.format(pk=programme.pk)
    first = client.get(path)
    assert "csrfmiddlewaretoken" in first.content.decode()

    again = client.get(path, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_page_is_a_200_once_what_it_shows_changes(client, programme):
    path = f"/programs/{programme.pk}/"
    first = client.get(path)
    programme.name = "Another name"
    programme.save()

    again = client.get(path, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_page_is_a_200_to_a_browser_with_another_csrf_secret(client, programme):
    """The copy one browser kept holds tokens for its own cookie's secret: another browser's
    (or the same one after its secret changed) would be refused at its next form."""
    first = client.get("/programs/")

    other = Client().get("/programs/", headers={"If-None-Match": first["ETag"]})

    assert other.status_code == 200
    assert other["ETag"] != first["ETag"]


def test_a_page_is_a_200_in_another_language(client, programme):
    first = client.get("/programs/", headers={"Accept-Language": "en"})

    other = client.get(
        "/programs/", headers={"Accept-Language": "zh-hans", "If-None-Match": first["ETag"]}
    )

    assert other.status_code == 200
    assert other["Content-Language"] == "zh-hans"


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_page_is_revalidated_before_each_reuse(client, programme, path):
    """`private, no-cache`: the browser may keep the page, and asks (the cheap 304 above)
    before showing it again, instead of guessing how long a coverage figure stays true."""
    response = client.get(path.format(pk=programme.pk))

    assert {"private", "no-cache"} <= cache_directives(response)


@pytest.mark.parametrize(
    "path",
    [
        "/programs/{pk}/workbook.xlsx",
        "/programs/{pk}/chart.svg",
        "/programs/{pk}/map.csv",
        "/programs/{pk}/",
    ],
)
def test_a_pages_head_answers_its_gets_etag_and_304(client, programme, path):
    path = path.format(pk=programme.pk)
    tag = client.get(path)["ETag"]

    head = client.head(path)
    revalidated = client.head(path, headers={"If-None-Match": tag})

    assert head.status_code == 200
    assert head["ETag"] == tag
    assert head.content == b""
    assert revalidated.status_code == 304


def test_the_pages_map_csv_is_a_304_until_the_map_changes(client, programme):
    """A dashboard polls the page's Map as CSV with If-None-Match, as the API's map.csv may be
    polled. Observed: the page's was streamed, without an ETag, so every poll downloaded it whole
    where the API's (answered whole by the same core.csv.csv_response) was a 304."""
    from curricula.models import CourseAbility
    from curricula.tests.factories import level

    path = f"/programs/{programme.pk}/map.csv"
    first = client.get(path)
    tag = first["ETag"]

    assert client.get(path, headers={"If-None-Match": tag}).status_code == 304
    assert client.head(path, headers={"If-None-Match": tag}).status_code == 304
    CourseAbility.objects.update(level=level("M"))  # the programme's one link, R before
    changed = client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed["ETag"] != tag


@pytest.mark.parametrize("path", ["/programs/999999/", "/no-such-page/"])
def test_a_pages_404_is_kept_by_no_cache(client, db, path):
    """The API's 404s say `no-store`; a page's said nothing, which lets a cache keep a 404
    (heuristically cacheable, RFC 9111, 4.2.2) after the programme has been made."""
    response = client.get(path)

    assert response.status_code == 404
    assert "no-store" in cache_directives(response)


@pytest.mark.parametrize(
    "path",
    [
        "/programs/{pk}/workbook.xlsx",
        "/programs/{pk}/chart.svg",
        "/programs/{pk}/map.csv",
        "/programs/{pk}/gaps/",
    ],
)
def test_an_anonymous_download_is_revalidated_before_each_reuse(client, programme, path):
    """Observed: the page's workbook, chart, map CSV and gap report said no Cache-Control, so a
    cache could keep them for as long as it guessed (REDbot: "This response allows caches to
    assign their own freshness lifetimes to it"; a CDN's default lifetime for an .xlsx is
    hours), after an edit changed them; the same workbook from the API says `max-age=0,
    must-revalidate`. `no-cache`: any cache may keep it, and asks before each reuse."""
    response = client.get(path.format(pk=programme.pk))

    assert response.status_code == 200
    assert "no-cache" in cache_directives(response)
    assert "private" not in cache_directives(response)


def test_the_gap_reports_unchanged_poll_is_revalidated_too(client, programme):
    """The poll's 204 (nothing new since `seen`) is heuristically cacheable (RFC 9111, 4.2.2):
    kept, it would answer every later poll after the report had changed."""
    path = f"/programs/{programme.pk}/"
    version = client.get(path).context["report"].version

    response = client.get(f"/programs/{programme.pk}/gaps/", {"seen": version})

    assert response.status_code == 204
    assert "no-cache" in cache_directives(response)
