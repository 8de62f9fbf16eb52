"""In Chromium: staff find a link deleted by mistake from the links' list (*Deleted records*),
open it, give a reason and restore it; the link is back, with the reason in its history."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_deleted_link_and_restore_it_with_a_reason(open_page, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.edu", "root-pass-123")
    course = CourseFactory(code="WEB101", title="Web design")
    ability = AbilityFactory(code="P01.1", text="Edit web pages")
    link = CourseAbilityFactory(course=course, ability=ability, level=level("R"))
    link_id = link.pk
    link.delete()

    page, watch = open_page()
    log_in(page, "root", "root-pass-123")
    page.goto("/admin/curricula/courseability/")
    page.get_by_role("link", name="Deleted records").click()
    table = page.locator("#deleted-records")
    expect(table).to_contain_text("WEB101 → P01.1 Edit web pages [R]")

    page.get_by_role("link", name="Restore…").click()
    reason = page.get_by_label("Reason for restoring")
    expect(reason).to_have_value(re.compile(r"^Restored: deleted on \d{4}-\d\d-\d\d"))
    reason.fill("Deleted by mistake")
    page.get_by_role("button", name="Restore").click()

    expect(page.locator(".messagelist")).to_contain_text("was restored")
    expect(page.get_by_text("No deleted records.")).to_be_visible()
    restored = CourseAbility.objects.get(pk=link_id)
    assert restored.history.latest("history_date").history_change_reason == "Deleted by mistake"
    assert watch.problems == []
