"""The programme pages: overview, list, curriculum map with gap report, downloads, cell edits."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import CourseAbility, Programme, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


def _programme(courses: int = 2, abilities: int = 2, name: str = "Programme") -> Programme:
    """A programme whose single target requires `abilities` abilities (M); the first course
    builds the first ability to R (partial), nothing builds the others (missing). The abilities'
    codes are explicit: the map's columns sort by code, and the factory's ("AB99", "AB100")
    sorted by the factory's count, which the tests run before had moved on."""
    area = CompetencyAreaFactory(name="Data analysis")
    position = PositionFactory(name=f"{name} analyst")
    ability_list = [AbilityFactory(area=area, code=f"DA{i:02d}") for i in range(abilities)]
    for ability in ability_list:
        RequirementFactory(position=position, ability=ability)
    course_list = [CourseFactory() for _ in range(courses)]
    CourseAbilityFactory(course=course_list[0], ability=ability_list[0], level=level("R"))
    programme = ProgrammeFactory(name=name, courses=course_list, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_overview_lists_programmes_with_coverage_and_largest_gaps(client):
    _programme(name="Data track")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data track" in html
    assert "badge--fresh" in html
    assert "Look at these first" in html
    assert "Data analysis: 1 missing" in html


def test_programme_list_shows_each_programme(client):
    _programme(name="Alpha")
    _programme(name="Beta")
    response = client.get(reverse("curricula:programme-list"))
    assert response.status_code == 200
    assert "Alpha" in response.content.decode()
    assert "Beta" in response.content.decode()


def test_programme_page_shows_map_cells_and_gap_report(client):
    programme = _programme()
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="map-row map-row--partial"' in html
    assert 'class="map-row map-row--missing"' in html
    assert "shade-2" in html  # the R cell
    assert 'id="gap-report"' in html
    assert "Missing" in html
    assert "Partial" in html
    assert "<svg" in html


def test_programme_page_filters_by_target_position(client):
    programme = _programme()
    other = PositionFactory(name="Other target")
    only = RequirementFactory(position=other, ability=AbilityFactory(text="only-for-other"))
    programme.targets.create(position=other)
    url = programme.get_absolute_url()
    assert "only-for-other" in client.get(url).content.decode()
    filtered = client.get(url, {"position": programme.targets.first().position_id})
    assert "only-for-other" not in filtered.content.decode()
    assert "only-for-other" in client.get(url, {"position": only.position_id}).content.decode()
    # Junk filters are ignored, never a 500.
    assert client.get(url, {"position": "x'; drop"}).status_code == 200
    assert client.get(url, {"position": "99999999999999999999999"}).status_code == 200


def test_unknown_programme_is_404(client):
    assert client.get("/programs/987654/").status_code == 404
    assert client.get("/programs/987654/map.csv").status_code == 404


def test_anonymous_and_non_staff_see_no_edit_controls(client, plain_user, staff_without_perms):
    programme = _programme()
    for who in (client, _client_for(plain_user), _client_for(staff_without_perms)):
        html = who.get(programme.get_absolute_url()).content.decode()
        assert "data-editable" not in html
        assert reverse("curricula:programme-changes", args=[programme.pk]) not in html
        # Everyone can drill down: each row links to its page.
        ability = programme.target_positions.first().requirements.first().ability
        assert reverse("curricula:programme-ability", args=[programme.pk, ability.pk]) in html


def test_the_map_writes_nothing_by_itself_staff_get_the_editor_and_a_form_per_row(staff_user):
    """Cells are plain grid cells (no per-cell form that could submit on a keystroke); staff get
    the editor (behind JavaScript) and, on each row's page, one form with a level per course."""
    programme = _programme(courses=2, abilities=3)
    client = _client_for(staff_user)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "<select" not in html.split('id="curriculum-map"')[1].split("</table>")[0]
    assert "data-editable" in html
    assert reverse("curricula:programme-changes", args=[programme.pk]) in html
    assert html.count('class="map-row ') == 3
    ability = programme.target_positions.first().requirements.first().ability
    row_page = client.get(reverse("curricula:programme-ability", args=[programme.pk, ability.pk]))
    row_html = row_page.content.decode()
    assert row_html.count('name="cell:') == 2
    assert row_html.count('name="base:') == 2
    assert "csrfmiddlewaretoken" in row_html


def _cell_post(client, programme, *, course, ability, level_code, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("curricula:programme-cell", args=[programme.pk]),
        {"course": course.pk, "ability": ability.pk, "level": level_code},
        headers=headers,
    )


def _first_missing(programme):
    course = programme.courses.order_by("code").first()
    ability = programme.target_positions.first().requirements.order_by("order", "id")[1].ability
    return course, ability


def test_non_staff_posts_are_refused(client, plain_user, staff_without_perms):
    programme = _programme()
    course, ability = _first_missing(programme)
    # Signed out: to log in (see test_an_edit_after_the_session_ended_asks_to_log_in_again).
    response = _cell_post(client, programme, course=course, ability=ability, level_code="M")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for who in (_client_for(plain_user), _client_for(staff_without_perms)):
        response = _cell_post(who, programme, course=course, ability=ability, level_code="M")
        assert response.status_code == 403
    assert not CourseAbility.objects.filter(course=course, ability=ability).exists()


def test_cell_post_requires_csrf(staff_user):
    programme = _programme()
    course, ability = _first_missing(programme)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = _cell_post(client, programme, course=course, ability=ability, level_code="M")
    assert response.status_code == 403
    assert not CourseAbility.objects.filter(course=course, ability=ability).exists()


def test_staff_sets_a_cell_without_js_and_is_redirected_back(staff_user):
    programme = _programme()
    course, ability = _first_missing(programme)
    client = _client_for(staff_user)
    response = _cell_post(client, programme, course=course, ability=ability, level_code="M")
    assert response.status_code == 302
    assert response["Location"].startswith(programme.get_absolute_url())
    link = CourseAbility.objects.get(course=course, ability=ability)
    assert link.level.code == "M"
    assert link.provenance == "edit"


def test_staff_edit_with_htmx_returns_the_row_and_the_gap_report_out_of_band(
    staff_user, django_capture_on_commit_callbacks
):
    programme = _programme()
    course, ability = _first_missing(programme)
    client = _client_for(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _cell_post(
            client, programme, course=course, ability=ability, level_code="M", htmx=True
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="map-status"')
    assert "Saved" in html
    assert "Undo" in html
    assert f'<tr id="row-{ability.pk}" class="map-row map-row--covered"' in html
    assert 'id="gap-report"' in html


def test_staff_changes_and_clears_a_cell(staff_user):
    programme = _programme()
    course = programme.courses.order_by("code").first()
    link = CourseAbility.objects.get(course=course)
    client = _client_for(staff_user)
    _cell_post(client, programme, course=course, ability=link.ability, level_code="I")
    link.refresh_from_db()
    assert link.level.code == "I"
    _cell_post(client, programme, course=course, ability=link.ability, level_code="")
    assert not CourseAbility.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("course", "abc"), ("ability", ""), ("level", "Z"), ("course", "-3"), ("ability", "99999")],
)
def test_bad_cell_posts_are_400_not_500(staff_user, field, value):
    programme = _programme()
    course, ability = _first_missing(programme)
    data = {"course": course.pk, "ability": ability.pk, "level": "M", field: value}
    response = _client_for(staff_user).post(
        reverse("curricula:programme-cell", args=[programme.pk]), data
    )
    assert response.status_code == 400


def test_a_cell_outside_the_map_is_refused(staff_user):
    programme = _programme()
    stranger = CourseFactory()
    ability = programme.target_positions.first().requirements.first().ability
    response = _cell_post(
        _client_for(staff_user), programme, course=stranger, ability=ability, level_code="M"
    )
    assert response.status_code == 400


def test_map_csv_holds_courses_against_required_abilities(client):
    programme = _programme(courses=2, abilities=2)
    CourseFactory(code="=HYPERLINK", title='"Quoted, title"')
    response = client.get(reverse("curricula:programme-map-csv", args=[programme.pk]))
    assert response.status_code == 200
    assert not response.streaming  # answered whole, with its ETag (test_page_revalidation)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 + 2  # header, minimum levels, one row per course
    assert rows[1][2:] == ["M", "M"]
    assert sorted(row[2] for row in rows[2:]) == ["", "R"]


def test_map_csv_quotes_formula_like_names(client):
    course = CourseFactory(code="=CMD()", title="+SUM(A1)")
    ability = AbilityFactory(code="", text="-2+3")
    position = PositionFactory()
    RequirementFactory(position=position, ability=ability)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    body = client.get(reverse("curricula:programme-map-csv", args=[programme.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][2] == "'-2+3"
    assert rows[2][:2] == ["'=CMD()", "'+SUM(A1)"]


def test_chart_is_an_svg_image(client):
    programme = _programme()
    response = client.get(reverse("curricula:programme-chart", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith("<?xml")
    assert "<svg" in body
    assert "Data analysis" in body


def test_gap_fragment_polls_until_fresh(client):
    programme = _programme()
    url = reverse("curricula:programme-gaps", args=[programme.pk])
    assert "hx-trigger" not in client.get(url).content.decode()
    programme.coverage.state = "stale"
    programme.coverage.save()
    assert 'data-hx-trigger="every 1s"' in client.get(url).content.decode()


def _poll_address(html: str) -> str:
    return re.search(r'data-hx-get="([^"]+)"', html)[1].replace("&amp;", "&")


def test_a_poll_finding_the_report_as_shown_answers_no_content(client, django_assert_num_queries):
    """The report polls with the version it shows: while a worker computes, the answer is 204
    and one query (htmx swaps nothing: the reader's focus and place stay), and once the report
    has changed the answer is the new report, which polls no more when fresh."""
    programme = _programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(state="computing")
    page = client.get(f"{programme.get_absolute_url()}?gaps={programme.targets.get().position_id}")
    poll = _poll_address(page.content.decode())
    assert f"gaps={programme.targets.get().position_id}&seen=computing-" in poll
    with django_assert_num_queries(1):
        response = client.get(poll)
    assert response.status_code == 204
    assert response.content == b""

    coverage_recompute(programme_ids=[programme.pk], force=True)
    response = client.get(poll)
    assert response.status_code == 200
    html = response.content.decode()
    assert "badge--fresh" in html
    assert "hx-get" not in html


@pytest.mark.parametrize("seen", ["", "junk", "fresh", "computing-x", "\u0000", "stale-1e999"])
def test_a_poll_with_another_or_a_junk_version_gets_the_report(client, seen):
    programme = _programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(state="computing")
    url = reverse("curricula:programme-gaps", args=[programme.pk])
    response = client.get(url, {"seen": seen})
    assert response.status_code == 200
    assert "badge--computing" in response.content.decode()


def test_a_poll_of_a_programme_never_computed_answers_no_content_while_it_is_not(client):
    programme = ProgrammeFactory()
    ProgrammeCoverage.objects.filter(programme=programme).delete()
    url = reverse("curricula:programme-gaps", args=[programme.pk])
    poll = _poll_address(client.get(url).content.decode())
    # Its wait is not known: the poll says when the page began watching (the back-off's start).
    assert re.search(r"\?seen=stale&since=\d+$", poll)
    assert client.get(poll).status_code == 204


def test_names_with_markup_are_escaped(client):
    evil = "<script>alert(1)</script>"
    programme = _programme(name=evil)
    CourseFactory()
    for url in ("/", "/programs/", programme.get_absolute_url()):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _queries(django_assert_max_num_queries, client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["home", "list", "detail", "csv", "gaps"])
def test_query_count_does_not_grow_with_rows(client, page, django_assert_max_num_queries):
    small = _programme(courses=2, abilities=2, name="Small")
    large = _programme(courses=8, abilities=12, name="Large")
    for course in large.courses.all():
        for requirement in large.target_positions.first().requirements.all()[:6]:
            CourseAbility.objects.get_or_create(
                course=course, ability=requirement.ability, defaults={"level": level("I")}
            )
    coverage_recompute(force=True)

    def url(programme):
        return {
            "home": "/",
            "list": reverse("curricula:programme-list"),
            "detail": programme.get_absolute_url(),
            "csv": reverse("curricula:programme-map-csv", args=[programme.pk]),
            "gaps": reverse("curricula:programme-gaps", args=[programme.pk]),
        }[page]

    few = _queries(django_assert_max_num_queries, client, url(small))
    if page in ("home", "list"):
        ProgrammeFactory.create_batch(5)
    many = _queries(django_assert_max_num_queries, client, url(large))
    assert many == few


def test_one_cell_saved_with_the_level_shown_is_refused_when_the_cell_has_changed(staff_user):
    """The one-cell endpoint always overwrote: like a change set, it checks `base` when sent."""
    programme = _programme()
    course, ability = _first_missing(programme)
    client = _client_for(staff_user)
    response = client.post(
        reverse("curricula:programme-cell", args=[programme.pk]),
        {"course": course.pk, "ability": ability.pk, "level": "M", "base": "R"},
    )
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    assert not CourseAbility.objects.filter(course=course, ability=ability).exists()


def test_look_at_these_first_reads_as_one_sentence_in_chinese(client):
    """Observed: the line was put together from pieces with English punctuation, so in Chinese
    it read "缺失 2 项核心能力, 主要集中在 数据分析 和 研发." It is one sentence per form."""
    position = PositionFactory(name="Analyst")
    for name, name_zh in (("Data analysis", "数据分析"), ("Research", "研发")):
        area = CompetencyAreaFactory(name=name, name_zh=name_zh)
        RequirementFactory(position=position, ability=AbilityFactory(area=area))
    programme = ProgrammeFactory(name="Data track", courses=[CourseFactory()], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)

    html = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()
    line = " ".join(html.split('class="look-first"')[1].split("</li>")[0].split())
    assert "缺失 2 项核心能力，分布在数据分析和研发。" in line, line  # noqa: RUF001
    assert "Data track</a>：缺失" in line, line  # noqa: RUF001

    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    line = " ".join(html.split('class="look-first"')[1].split("</li>")[0].split())
    assert "Data track</a>: 2 essential abilities missing in Data analysis and Research." in line, (
        line
    )


def _look_first_line(client, missing: dict[str, int], partial: dict[str, int]) -> str:
    """The overview's line for one programme whose target requires, essential and untaught,
    `missing[area]` abilities of each area, and `partial[area]` taught below the level asked."""
    position = PositionFactory(name="Analyst")
    course = CourseFactory()
    for name in dict.fromkeys([*missing, *partial]):
        area = CompetencyAreaFactory(name=name)
        for _ in range(missing.get(name, 0)):
            RequirementFactory(position=position, ability=AbilityFactory(area=area))
        for _ in range(partial.get(name, 0)):
            ability = AbilityFactory(area=area)
            RequirementFactory(position=position, ability=ability, min_level=level("M"))
            CourseAbilityFactory(course=course, ability=ability, level=level("I"))
    programme = ProgrammeFactory(name="Data track", courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    return " ".join(html.split('class="look-first"')[1].split("</li>")[0].split())


@pytest.mark.parametrize(
    ("missing", "partial", "said"),
    [
        ({"Data": 1, "Research": 1}, {}, "2 essential abilities missing in Data and Research."),
        ({"Data": 3}, {}, "3 essential abilities missing in Data."),
        (
            {"Data": 1, "Research": 1, "Marketing": 1},
            {},
            "3 essential abilities missing across 3 areas.",
        ),
        (
            {"Data": 1, "Research": 2, "Marketing": 1},
            {},
            "4 essential abilities missing across 3 areas, 2 of them in Research.",
        ),
        # "Most in Research" read as most of them where it held 2 of 5.
        (
            {"Data": 1, "Research": 2, "Marketing": 1, "Sales": 1},
            {},
            "5 essential abilities missing across 4 areas, 2 of them in Research.",
        ),
        # An area where abilities are only partly covered is not where they are missing.
        ({"Data": 1}, {"Research": 2}, "1 essential ability missing in Data."),
    ],
)
def test_look_at_these_first_says_where_the_missing_abilities_are(client, missing, partial, said):
    """Observed: each of three areas missing one ability read "3 essential abilities missing,
    mostly in Data analysis ability and Research and development ability": not mostly, and one
    area left out; an area whose abilities were only partly covered was named as where they
    were missing. Then "5 essential abilities missing across 4 areas, most in Research" was said
    of 2 of the 5: the leading area's count is said instead."""
    line = _look_first_line(client, missing, partial)
    assert f"Data track</a>: {said}" in line, line
