"""The admin's import job page says its job's changes of state to screen readers: it changes its
report in place every few seconds, and nothing was announced (pending to running to succeeded,
and the counts, were seen only by looking)."""

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every text the live region is given, in order (what a screen reader would say).
LISTEN = """() => {
    const region = document.querySelector('[role=status][data-import-job-said]');
    window.__said = [];
    new MutationObserver(() => {
        const text = region.textContent.replace(/\\s+/g, ' ').trim();
        if (text && text !== window.__said.at(-1)) window.__said.push(text);
    }).observe(region, { childList: true, subtree: true, characterData: true });
    // The page asks every 3 s; after its first question, every 0.2 s (the test's patience).
    document.querySelector('[data-import-job-poll]').setAttribute('data-import-job-poll', '0.2');
}"""


def test_the_job_s_changes_of_state_and_final_counts_are_said_once_each_politely(
    open_page, staff_user
):
    from django.urls import reverse

    from positions.models import ImportFormat, ImportJob, ImportStatus

    job = ImportJob.objects.create(
        format=ImportFormat.LINKS, path="/nowhere.csv", status=ImportStatus.PENDING
    )
    page, watch = open_page()
    # The page's first question comes 3 s after it loads, on a timer: the page's clock is run
    # on to it rather than the 3 s waited out (the later ones, 0.2 s apart, come as time passes).
    page.clock.install()
    log_in(page, "staff", "staff-pass-123")
    page.goto(reverse("admin:curricula_courseability_import_job", args=[job.pk]))
    live = page.locator("[role=status][data-import-job-said]")
    expect(live).to_have_count(1)  # there from the start, so that its changes are read
    assert live.evaluate("e => !e.closest('[aria-live=off], [data-import-job-poll]')")
    expect(live).to_have_text("")  # the page as loaded is read as it is: nothing said twice
    page.evaluate(LISTEN)

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=40)
    page.clock.run_for(3_000)
    expect(live).to_contain_text("Running", timeout=8_000)
    ImportJob.objects.filter(pk=job.pk).update(progress=70)
    expect(page.locator(".job-progress")).to_have_text("70 %")
    page.wait_for_timeout(600)  # a few more readings of an unchanged state
    assert page.evaluate("window.__said") == ["status: Running"]

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.SUCCEEDED,
        progress=100,
        report={"counts": {"link": {"created": 12, "updated": 1}}},
    )
    expect(live).to_contain_text("Succeeded", timeout=8_000)
    said = page.evaluate("window.__said")
    assert len(said) == 2, said
    assert said[1].startswith("status: Succeeded")
    assert "12 created" in said[1]
    assert "1 updated" in said[1]
    assert watch.problems == []
