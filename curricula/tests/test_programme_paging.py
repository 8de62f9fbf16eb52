"""The programme page at ESCO scale stays usable and keeps everything reachable: the map's
ability rows are paged like its course columns, the progression table is paged, each target's gap
lists show their first GAP_LIST_ITEMS per status with a link listing them all; junk page numbers
never give a 500, every page costs the same queries, and the paper's small programmes show
everything on one page as before."""

import csv
import io
import re

import pytest
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from curricula.coverage.services import coverage_recompute
from curricula.models import Programme
from curricula.selectors.maps import GAP_LIST_ITEMS, MAP_PAGE_ROWS
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from curricula.views.programmes import PROGRESSION_PAGE_ROWS
from positions.models import Ability, Position
from positions.tests.factories import (
    AbilityFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

EXTRA = 5  # rows beyond the first page
REACHED = (
    30  # abilities the course builds (to I, short of the M required): partial; the rest missing
)


def _build_wide() -> dict:
    """One target requiring MAP_PAGE_ROWS + EXTRA abilities (R000, R001, ...) at M; one course
    building the first REACHED of them to I (partial), the others missing. Returns their ids."""
    count = max(MAP_PAGE_ROWS, PROGRESSION_PAGE_ROWS) + EXTRA
    assert REACHED > GAP_LIST_ITEMS
    assert count - REACHED > GAP_LIST_ITEMS
    with TestCase.captureOnCommitCallbacks(execute=True):
        position = PositionFactory(name="Wide target")
        abilities = [AbilityFactory(code=f"R{index:03d}") for index in range(count)]
        for ability in abilities:
            RequirementFactory(position=position, ability=ability, min_level=level("M"))
        course = CourseFactory(code="ONE")
        for ability in abilities[:REACHED]:
            CourseAbilityFactory(course=course, ability=ability, level=level("I"))
        programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return {
        "programme": programme.pk,
        "position": position.pk,
        "abilities": [ability.pk for ability in abilities],
    }


@pytest.fixture(scope="class")
def _wide_ids(django_db_setup, django_db_blocker):
    """The wide programme, written once for the class's tests (about 130 rows and a coverage
    report: most of each test's time when written for each), in a transaction each test's own
    nests in (a savepoint, rolled back after the test), itself rolled back after the last."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            ids = _build_wide()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield ids
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def wide(db, _wide_ids):
    """The wide programme, its target and its abilities in code order, read afresh for each
    test: a test changing an object changes nothing another test sees."""
    abilities = Ability.objects.in_bulk(_wide_ids["abilities"])
    return {
        "programme": Programme.objects.get(pk=_wide_ids["programme"]),
        "position": Position.objects.get(pk=_wide_ids["position"]),
        "abilities": [abilities[pk] for pk in _wide_ids["abilities"]],
    }


def _map_rows(html: str) -> list[str]:
    table = html.split('id="curriculum-map"')[1].split("</table>")[0]
    return re.findall(r'<tr id="row-\d+"[^>]*>\s*<th[^>]*><a[^>]*><span class="code">(\w+)', table)


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, f"no #{section_id} section"
    return match.group(0)


def _progression_rows(html: str) -> list[str]:
    section = _section(html, "progression")
    return re.findall(
        r'<tr class="progression-row[^"]*"[^>]*>\s*<th[^>]*><span class="code">(\w+)', section
    )


def _gap_list(html: str, heading: str) -> list[str]:
    """The ability codes listed under a status heading of the gap report."""
    section = _section(html, "gap-report")
    block = section.split(f">{heading}</h4>")[1].split("</ul>")[0]
    return re.findall(r'<li><span class="code">(\w+)</span>', block)


def _big_number(html: str) -> str:
    return re.search(r'<p class="big-number">([^<]*)', html)[1].strip()


class TestTheWideProgramme:
    """The tests of one programme too wide for a page, which they share (`_wide_ids`)."""

    def test_the_maps_rows_are_paged_and_the_next_page_shows_the_next_rows(self, client, wide):
        url = wide["programme"].get_absolute_url()
        codes = [ability.code for ability in wide["abilities"]]
        first = client.get(url).content.decode()
        assert _map_rows(first) == codes[:MAP_PAGE_ROWS]
        total = len(codes)
        assert f"Abilities 1–{MAP_PAGE_ROWS} of {total} (page 1 of 2)" in first  # noqa: RUF001
        # Every figure counts every row, whatever the page.
        assert f"Showing {total} of {total} required abilities" in first
        pk = wide["programme"].pk
        assert f'href="/programs/{pk}/?rows=2#map-heading" rel="next"' in first
        # Above the map and under it, each its own landmark.
        assert first.count('class="column-pager row-pager') == 2
        assert 'aria-label="Ability rows"' in first
        assert 'aria-label="More ability rows"' in first

        second = client.get(url, {"rows": 2}).content.decode()
        assert _map_rows(second) == codes[MAP_PAGE_ROWS:]
        assert f"Abilities {MAP_PAGE_ROWS + 1}–{total} of {total}" in second  # noqa: RUF001
        assert _big_number(second) == _big_number(first)
        assert f'href="/programs/{pk}/#map-heading" rel="prev"' in second
        assert (
            'rel="next"' not in second.split('class="column-pager row-pager')[1].split("</nav>")[0]
        )

    def test_row_pages_keep_the_filters_and_a_filter_narrows_what_is_paged(self, client, wide):
        url = wide["programme"].get_absolute_url()
        first = client.get(url, {"status": "missing"}).content.decode()
        missing = [ability.code for ability in wide["abilities"][REACHED:]]
        assert _map_rows(first) == missing  # fewer than a page: no row pager
        assert "row-pager" not in first
        # The map's editor saves back to this very view: its filters and its page of rows.
        second = client.get(url, {"rows": 2}).content.decode()
        assert 'data-view="rows=2"' in second

    @pytest.mark.parametrize("junk", ["abc", "0", "-1", "2.5", "", "99999999999999999999999", "٢"])
    def test_junk_page_numbers_never_give_a_500(self, client, wide, junk):
        url = wide["programme"].get_absolute_url()
        response = client.get(url, {"rows": junk, "cols": junk, "prog": junk, "gaps": junk})
        assert response.status_code == 200
        html = response.content.decode()
        assert _map_rows(html)[0] == "R000"  # the first page
        # A number past the last page shows the last page.
        last = client.get(url, {"rows": 999, "prog": 999}).content.decode()
        assert _map_rows(last)[-1] == wide["abilities"][-1].code

    def test_a_progression_shorter_than_a_page_is_not_paged(self, client, wide):
        html = client.get(wide["programme"].get_absolute_url()).content.decode()
        # The course builds REACHED abilities: fewer than a page of the progression.
        assert _progression_rows(html) == [ability.code for ability in wide["abilities"][:REACHED]]
        assert "Progression rows" not in html

    def test_a_long_progression_is_paged_and_its_pages_keep_the_maps_view(self, client, wide):
        course = CourseFactory(code="TWO")
        for ability in wide["abilities"]:
            CourseAbilityFactory(course=course, ability=ability, level=level("R"))
        wide["programme"].programme_courses.create(course=course, order=2)
        url = wide["programme"].get_absolute_url()
        codes = [ability.code for ability in wide["abilities"]]
        first = client.get(url, {"rows": 2}).content.decode()
        assert _progression_rows(first) == codes[:PROGRESSION_PAGE_ROWS]
        # The next page of the progression keeps the map's page of rows.
        assert f'href="/programs/{wide["programme"].pk}/?rows=2&amp;prog=2#progression"' in first
        second = client.get(url, {"rows": 2, "prog": 2}).content.decode()
        assert _progression_rows(second) == codes[PROGRESSION_PAGE_ROWS:]
        assert _map_rows(second) == codes[MAP_PAGE_ROWS:]

    def test_each_targets_gap_lists_are_cut_with_a_link_listing_them_all(self, client, wide):
        programme, position = wide["programme"], wide["position"]
        codes = [ability.code for ability in wide["abilities"]]
        html = client.get(programme.get_absolute_url()).content.decode()
        assert _gap_list(html, "Missing") == codes[REACHED:][:GAP_LIST_ITEMS]
        assert _gap_list(html, "Partial") == codes[:GAP_LIST_ITEMS]
        hidden = len(codes) - 2 * GAP_LIST_ITEMS
        link = f'href="/programs/{programme.pk}/?gaps={position.pk}#gaps-{position.pk}"'
        assert link in html
        assert f"List every requirement of Wide target ({hidden} more)" in html
        partial = _section(html, "gap-report").split(">Partial</h4>")[1].split("</ul>")[0]
        assert "reaches I, needs M" in partial
        assert '<span class="contributor"><span class="code">ONE</span>' in partial
        # The figures count every requirement.
        assert f"0 covered · {REACHED} partial · {len(codes) - REACHED} missing" in html

        every = client.get(programme.get_absolute_url(), {"gaps": position.pk}).content.decode()
        assert _gap_list(every, "Missing") == codes[REACHED:]
        assert _gap_list(every, "Partial") == codes[:REACHED]
        assert "List every requirement of" not in every

    def test_every_page_of_the_programme_costs_the_same_queries(self, client, wide):
        url = wide["programme"].get_absolute_url()
        client.get(url)  # warm
        counts = []
        for params in ({}, {"rows": 2}, {"prog": 2}, {"gaps": wide["position"].pk}, {"rows": 99}):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            counts.append(len(queries.captured_queries))
        assert len(set(counts)) == 1, counts

    def test_the_pagers_and_the_gap_link_read_in_chinese(self, client, wide):
        html = client.get(
            wide["programme"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        total = len(wide["abilities"])
        assert f"第 1–{MAP_PAGE_ROWS} 项能力，共 {total} 项（第 1 页，共 2 页）" in html  # noqa: RUF001
        assert "下一组能力 ›" in html  # noqa: RUF001
        assert 'aria-label="能力行"' in html
        assert "列出Wide target的全部要求（另有 35 项）" in html  # noqa: RUF001

    def test_the_gap_lists_escape_what_they_show(self, client, wide):
        ability = wide["abilities"][0]
        ability.text = "<script>alert(1)</script> & more"
        ability.save()
        coverage_recompute(programme_ids=[wide["programme"].pk], force=True)
        html = _section(
            client.get(wide["programme"].get_absolute_url()).content.decode(), "gap-report"
        )
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html

    def test_the_downloads_and_the_printed_report_hold_every_row(self, client, wide):
        from django.urls import reverse

        programme, codes = wide["programme"], [ability.code for ability in wide["abilities"]]
        body = client.get(reverse("curricula:programme-map-csv", args=[programme.pk])).content
        header, _minimum, course = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert [name.split()[0] for name in header[2:]] == codes
        assert course[2:] == ["I"] * REACHED + [""] * (len(codes) - REACHED)
        report = client.get(
            reverse("curricula:programme-report", args=[programme.pk])
        ).content.decode()
        assert all(f'<span class="code">{code}</span>' in report for code in codes)

    def test_a_stale_reports_polling_keeps_the_open_gap_lists(self, client, wide):
        from curricula.models import ProgrammeCoverage

        programme, position = wide["programme"], wide["position"]
        ProgrammeCoverage.objects.filter(programme=programme).update(state="stale")
        html = client.get(programme.get_absolute_url(), {"gaps": position.pk}).content.decode()
        assert (
            f'data-hx-get="/programs/{programme.pk}/gaps/?gaps={position.pk}&amp;seen=stale' in html
        )
        fragment = client.get(f"/programs/{programme.pk}/gaps/", {"gaps": position.pk})
        assert "List every requirement of" not in fragment.content.decode()
        collapsed = client.get(f"/programs/{programme.pk}/gaps/").content.decode()
        assert "List every requirement of" in collapsed


def test_the_papers_programmes_show_everything_on_one_page(client, paper):
    for programme in Programme.objects.all():
        html = client.get(programme.get_absolute_url()).content.decode()
        assert "row-pager" not in html, programme.name
        assert "Progression rows" not in html, programme.name
        assert "List every requirement of" not in html, programme.name
        assert 'class="column-pager' not in html, programme.name
