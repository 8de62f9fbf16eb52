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
    # ReDoc's bundle links its maker's logo in its footer; nothing else may leave the site.
    assert [url for url in outside if not url.endswith("/redoc/logo-mini.svg")] == []
    blocked_logo = {"console: Failed to load resource: net::ERR_FAILED"} if outside else set()
    assert [p for p in watch.problems if "logo-mini.svg" not in p and p not in blocked_logo] == []
