"""The API documentation in a real browser, offline: Swagger UI and ReDoc render the schema from
the site's own static files (drf-spectacular-sidecar) with every other host unreachable."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/api/docs/", ".swagger-ui .info .title"), ("/api/redoc/", "h1")],
)
def test_api_documentation_renders_offline(open_page, live_server, path, rendered):
    page, watch = open_page()
    ours = urlsplit(live_server.url).netloc
    outside = []

    def only_this_site(route):
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.goto(path)
    title = page.locator(rendered).first
    # The page asks for the schema, which is generated on request: allow for a slow machine.
    title.wait_for(timeout=40_000)
    assert "Competency-to-curriculum mapping API" in title.inner_text()
    # Nothing leaves the site: not ReDoc's footer logo on its maker's CDN either (static/js/
    # redoc-logo.js), which was asked for, refused and logged an error on every visit.
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert watch.problems == []
    if path == "/api/redoc/":  # the footer's link and text stay, without the image
        assert page.locator('a[href="https://redocly.com/redoc/"]').count() == 1
        assert page.locator('img[alt="redocly logo"]').count() == 0
