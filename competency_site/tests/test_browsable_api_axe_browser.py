"""The browsable API's pages (DRF's own HTML, shown to a browser at /api/v1/) pass axe as the
site's pages do. Lighthouse (`make lighthouse`) found three WCAG failures on the API root, all in
DRF's template: "`<html>` element does not have a `[lang]` attribute" (a screen reader reads a
Chinese page in the voice of the reader's default language), "Buttons do not have an accessible
name" (the format menu's button: its only name, a title, is taken away by Bootstrap's tooltip
script) and "insufficient color contrast of 4.1" (the breadcrumbs' current page, #777 on
#f5f5f5)."""

import pytest

from competency_site.tests.test_accessibility_browser import _open, _report, axe_violations
from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_browsable_api_passes_axe(open_page, seeded, staff_user, language):
    from curricula.models import Programme

    programme = Programme.objects.order_by("pk").first()
    page, watch = _open(open_page)
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    found = {}
    for url in ["/api/v1/", "/api/v1/programs/", f"/api/v1/programs/{programme.pk}/"]:
        assert page.goto(url).status == 200, url
        assert page.evaluate("document.documentElement.lang") == language, url
        lines = axe_violations(page)
        if lines:
            found[url] = lines
    assert not found, _report(found)
    assert watch.problems == []
