"""The admin's export page under the site's Content-Security-Policy, in Chromium: its *Select
all* box (django-import-export wires it with an inline `onchange`, which the policy refuses)
ticks and clears every field, from the box or its label, with no violation reported."""

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""
FIELDS = ".selectable-field-export-row input[type=checkbox]"


@pytest.mark.parametrize("model", ["course", "courseability"])
def test_select_all_ticks_and_clears_every_field_under_the_policy(
    open_page, django_user_model, model
):
    django_user_model.objects.create_superuser("root", "root@example.edu", "root-pass-123")
    page, watch = open_page()
    page.add_init_script(LISTENER)
    log_in(page, "root", "root-pass-123")
    response = page.goto(f"/admin/curricula/{model}/export/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    toggle = page.get_by_role("checkbox", name="Select all")
    fields = page.locator(FIELDS)
    count = fields.count()
    assert count >= 5
    assert toggle.is_checked()

    toggle.click()
    assert not toggle.is_checked()
    assert [fields.nth(i).is_checked() for i in range(count)] == [False] * count

    page.get_by_text("Select all", exact=True).click()  # its label, too
    assert toggle.is_checked()
    assert [fields.nth(i).is_checked() for i in range(count)] == [True] * count

    # Clearing one field clears the box; ticking it again (all ticked) ticks it.
    fields.first.click()
    assert not toggle.is_checked()
    fields.first.click()
    assert toggle.is_checked()

    assert page.evaluate("window.__cspViolations") == []
    assert [p for p in watch.problems if "Content Security Policy" in p] == []
