"""Comparing programmes on a 375 px phone: chosen from the programme list's link by the form,
the comparison reads without the page scrolling sideways (its tables scroll in regions of their
own, which a keyboard reaches), in English and in Chinese."""

import pytest

from conftest import SCREENSHOTS, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_375_px_phone_programmes_are_chosen_and_compared_without_sideways_scrolling(
    open_page, live_server, seeded, language
):
    from curricula.models import Programme

    first, second = Programme.objects.order_by("order", "name", "pk")[:2]
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/programs/")
    page.locator("a[href='/programs/compare/']").first.click()
    page.wait_for_load_state("load")
    wait_until_settled(page)
    page.select_option("#compare-p1", str(first.pk))
    page.select_option("#compare-p2", str(second.pk))
    # A plain GET form: the click returns once the new page has started loading, so wait for it
    # to load (settling alone ran on the old page now and then, finding no table rows).
    page.locator("form.compare-choice button[type=submit]").click()
    page.wait_for_url(lambda url: f"p={first.pk}" in url and f"p={second.pk}" in url)
    page.wait_for_load_state("load")
    wait_until_settled(page)

    assert f"p={first.pk}" in page.url
    assert f"p={second.pk}" in page.url
    table = page.locator("#compare-abilities")
    assert table.locator("tbody tr").count() > 0
    assert table.locator("th[scope=col]").count() == 4  # ability, required, two programmes
    for region in page.locator(".table-scroll").all():
        assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"compare-phone-{language}.png"), full_page=True)
    assert watch.problems == []


def test_on_a_desktop_the_comparison_fits_the_page(open_page, seeded):
    from curricula.models import Programme

    first, second, third = Programme.objects.order_by("order", "name", "pk")[:3]
    page, watch = open_page("desktop")
    page.goto(f"/programs/compare/?p={first.pk}&p={second.pk}&p={third.pk}&scope=built")
    wait_until_settled(page)
    assert page.locator("#compare-abilities th[scope=col]").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare-desktop.png"), full_page=True)
    page.locator("#compare-abilities").screenshot(
        path=str(SCREENSHOTS / "compare-abilities-desktop.png")
    )
    assert watch.problems == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_375_px_phone_each_ability_row_stands_as_a_block(
    open_page, live_server, seeded, language
):
    """Below 48rem the ability table is stacked as the programmes list is: each row a block,
    the ability across the whole width, each value under its column's name (the programme's,
    drawn from data-label), so the table no longer scrolls sideways with its first column
    squeezed. The header row stays for screen readers."""
    from curricula.models import Programme

    programmes = list(Programme.objects.order_by("order", "name", "pk")[:3])
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/programs/compare/?" + "&".join(f"p={p.pk}" for p in programmes))
    wait_until_settled(page)

    table = page.locator("#compare-abilities")
    assert table.locator("thead th[scope=col]").count() == 5
    region = page.locator(".table-scroll:has(#compare-abilities)")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), region.evaluate(
        "el => [el.scrollWidth, el.clientWidth]"
    )
    table_width = table.evaluate("el => el.getBoundingClientRect().width")
    rows = table.locator("tbody tr")
    assert rows.count() > 0
    for index in range(min(rows.count(), 5)):
        row = rows.nth(index)
        heading = row.locator("th[scope=row]")
        assert heading.evaluate("el => el.getBoundingClientRect().width") >= 0.9 * table_width
        labels = row.locator("td").evaluate_all(
            "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
        )
        names = [p.name_zh if language == "zh-hans" and p.name_zh else p.name for p in programmes]
        for name in names:
            assert any(name in label for label in labels), (name, labels)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"compare-abilities-phone-{language}.png"), full_page=True
    )
    assert watch.problems == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_390_px_phone_the_figures_read_down_the_page_and_the_menus_tell_apart(
    open_page, live_server, seeded, language
):
    """Observed at 390 px with three of the paper's programmes: the summary, position and area
    tables each showed one programme and a half, the rest behind a sideways scroll of their
    box; and the three menus, 14rem wide, all read "Cross-border e-commerce" (the names differ
    only at their end). The figure tables stack as the ability table does (each group a block,
    each programme's figures under its name), and the menus take the form's width."""
    from curricula.models import Programme

    programmes = list(Programme.objects.order_by("order", "name", "pk")[:3])
    page, watch = open_page("phone")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/programs/compare/?" + "&".join(f"p={p.pk}" for p in programmes))
    wait_until_settled(page)

    names = [p.name_zh if language == "zh-hans" and p.name_zh else p.name for p in programmes]
    for table in ("#compare-summary", "#compare-positions", "#compare-areas"):
        region = page.locator(f".table-scroll:has({table})")
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), (
            table,
            region.evaluate("el => [el.scrollWidth, el.clientWidth]"),
        )
        row = page.locator(f"{table} tbody tr").first
        labels = row.locator("td").evaluate_all(
            "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
        )
        for name in names:
            assert any(name in label for label in labels), (table, name, labels)
    for number in (1, 2, 3):
        menu = page.locator(f"#compare-p{number}")
        field = page.locator(f".map-filters__field:has(#compare-p{number})")
        assert (
            menu.evaluate("el => el.getBoundingClientRect().width")
            >= field.evaluate("el => el.getBoundingClientRect().width") - 1
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"compare-figures-phone-{language}.png"), full_page=True)
    assert watch.problems == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_designer_reads_each_programme_s_partial_and_missing_as_its_gap_report_gives_them(
    open_page, live_server, seeded, width, language
):
    """Observed with the paper's first two programmes: the comparison gave each position's
    "29% 2 of 7 essential" but not the essential requirements partly covered or missing, nor
    the weighted score, which each programme's gap report gives; the designer had to open both
    gap reports. Now each position's line for a programme is the one its gap report prints
    under that position, the summary gives the weighted score, and on a phone the line stays
    in the programme's block without the page scrolling sideways."""
    from curricula.models import Programme
    from curricula.selectors.comparisons import programme_comparison

    programmes = list(Programme.objects.order_by("order", "name", "pk")[:2])
    page, watch = open_page(width)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    said = {}  # (programme, position): the gap report's line for it
    for programme in programmes:
        page.goto(f"/programs/{programme.pk}/")
        wait_until_settled(page)
        for article in page.locator("#gap-report article.position-gaps").all():
            position = int(article.locator("h3").get_attribute("id").removeprefix("gaps-"))
            line = article.locator("p.small").inner_text()
            said[programme.pk, position] = line
    assert len(said) >= 4

    page.goto("/programs/compare/?" + "&".join(f"p={p.pk}" for p in programmes))
    wait_until_settled(page)
    checked = 0
    for row in page.locator("#compare-positions tbody tr").all():
        href = row.locator("th[scope=row] a").get_attribute("href")
        position = int(href.rstrip("/").rpartition("/")[2])
        for index, programme in enumerate(programmes):
            gaps = row.locator("td").nth(index).locator(".compare-gaps")
            assert gaps.is_visible()
            if (programme.pk, position) in said:
                assert gaps.inner_text().strip() in said[programme.pk, position]
                checked += 1
    assert checked == len(said)
    comparison = programme_comparison(programmes=programmes)
    rows = page.locator("#compare-summary tbody tr")
    for index, entry in enumerate(comparison.programmes):
        essential = rows.nth(0).locator("td").nth(index)
        assert essential.locator(".compare-gaps").is_visible()
        assert (
            f"{entry.summary.essential_missing}" in essential.locator(".compare-gaps").inner_text()
        )
        assert (
            rows.nth(1)
            .locator("td")
            .nth(index)
            .inner_text()
            .strip()
            .endswith(f"{entry.summary.score:.0f}%")
        )
    assert page.locator("#compare-areas .compare-gaps").count() == 2 * len(comparison.areas) - sum(
        1 for group in comparison.areas for tally in group.tallies if tally.percent is None
    )
    limit = 390 if width == "phone" else 1280
    for gaps in page.locator(".compare-gaps").all():
        box = gaps.bounding_box()
        assert box["x"] + box["width"] <= limit + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= limit
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"compare-gaps-{width}-{language}.png"), full_page=True)
    assert watch.problems == []
