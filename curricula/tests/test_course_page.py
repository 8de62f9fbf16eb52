"""A course's own page for designers (/courses/{id}/): read-only and public like the programme
pages, with what the course is, the abilities it builds by level, the programmes teaching it,
and for staff allowed to, links to its suggestions' review and to its admin page. The map's
column heads, its cell panel and its row pages link to it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from certifications.models import TrainingStage
from curricula.models import Module
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(
        code="CBE210",
        title="Cross-border data analysis",
        title_zh="跨境数据分析",
        credits=3.5,
        language="zh",
        description="Reading a marketplace's numbers.\n\nWith spreadsheets and SQL.",
        outcomes="Clean a sales export\n\n  Build a pivot table  \nExplain a funnel",
        module=Module.objects.create(code="DATA", name="Data module", name_zh="数据模块"),
        stage=TrainingStage.objects.create(code="ST2", name="Practical training", order=2),
    )
    cbe, esco = FrameworkFactory(name="CBE"), FrameworkFactory(name="ESCO")
    CourseAbilityFactory(
        course=course,
        ability=AbilityFactory(framework=cbe, code="CBE.1", text="Read sales data"),
        level=level("I"),
    )
    CourseAbilityFactory(
        course=course,
        ability=AbilityFactory(framework=esco, code="S5.1", text="use spreadsheets software"),
        level=level("M"),
        note="Weekly labs",
    )
    CourseAbilityFactory(
        course=course,
        ability=AbilityFactory(framework=cbe, code="CBE.2", text="Query a database"),
        level=level("M"),
    )
    return course


def _get(client, course):
    return client.get(reverse("courses:detail", args=[course.pk]))


def test_the_course_page_shows_what_the_course_is(client, course):
    response = _get(client, course)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1><span class="code">CBE210</span> Cross-border data analysis</h1>' in html
    assert "<dd>3.5</dd>" in html
    assert "Data module" in html
    assert "Practical training" in html
    assert "<dd>Chinese</dd>" in html
    assert "<p>Reading a marketplace&#x27;s numbers.</p>" in html
    assert "<p>With spreadsheets and SQL.</p>" in html
    outcomes = re.findall(r"<li>([^<]+)</li>", html)
    assert outcomes[:3] == ["Clean a sales export", "Build a pivot table", "Explain a funnel"]


def test_the_abilities_come_grouped_by_level_with_their_frameworks(client, course):
    html = _get(client, course).content.decode()
    introduced = html.index('id="level-i-heading"')
    mastered = html.index('id="level-m-heading"')
    assert 'id="level-r-heading"' not in html  # no ability built to R: no empty group
    assert introduced < html.index("Read sales data") < mastered
    # Within a level: by framework, then code.
    assert mastered < html.index("Query a database") < html.index("use spreadsheets software")
    assert '<span class="muted small">ESCO</span>' in html
    assert "Weekly labs" in html
    assert "3 abilities, by the depth the course builds them to." in html


def test_the_programmes_teaching_it_are_linked_with_their_terms(client, course):
    first = ProgrammeFactory(name="Data programme", order=1, courses=[course])
    second = ProgrammeFactory(name="Other programme", order=2)
    second.programme_courses.create(course=course, order=0, term=5, listed_as="Data lab")
    ProgrammeFactory(name="Not teaching it")
    html = _get(client, course).content.decode()
    assert f'<a href="{first.get_absolute_url()}">Data programme</a>' in html
    assert f'<a href="{second.get_absolute_url()}">Other programme</a>' in html
    assert "Not teaching it" not in html
    assert "term 2, from its training stage (Practical training)" in html
    assert "listed as “Data lab”" in html
    assert "term 5, set for this programme" in html


def test_a_course_without_links_or_programmes_says_so(client):
    html = _get(client, CourseFactory(credits=None)).content.decode()
    assert "This course builds no ability yet." in html
    assert "No programme teaches it yet." in html
    assert "No learning outcomes yet." in html


def test_an_unknown_course_is_404(client):
    assert client.get(reverse("courses:detail", args=[987654])).status_code == 404
    assert client.get("/courses/not-a-number/").status_code == 404


def test_the_page_is_read_only(client, course):
    assert client.post(reverse("courses:detail", args=[course.pk])).status_code == 405


def test_the_page_follows_the_interface_language(client, course):
    with translation.override("zh-hans"):
        url = reverse("courses:detail", args=[course.pk])
    client.cookies["django_language"] = "zh-hans"
    html = client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "跨境数据分析" in html
    assert "数据模块" in html
    assert "学习成果" in html


def test_markup_in_the_course_is_escaped(client):
    evil = "<script>alert(1)</script>"
    html = _get(client, CourseFactory(title=evil, description=evil, outcomes=evil)).content
    assert evil not in html.decode()


# --- Who sees what -------------------------------------------------------------------------


def _staff_links(html: str) -> tuple[bool, bool]:
    return ("/suggestions/courses/" in html, "/admin/curricula/course/" in html)


def test_anonymous_visitors_and_plain_users_see_the_page_without_staff_links(
    client, course, plain_user
):
    anonymous = _get(client, course)
    assert anonymous.status_code == 200
    assert _staff_links(anonymous.content.decode()) == (False, False)
    client.force_login(plain_user)
    assert _staff_links(_get(client, course).content.decode()) == (False, False)


def test_staff_without_the_permissions_get_no_staff_links(client, course, staff_without_perms):
    client.force_login(staff_without_perms)
    assert _staff_links(_get(client, course).content.decode()) == (False, False)


def test_staff_with_the_permissions_get_the_review_and_admin_links(client, course, staff_user):
    client.force_login(staff_user)
    html = _get(client, course).content.decode()
    assert reverse("suggestions:course-review", args=[course.pk]) in html
    assert reverse("admin:curricula_course_change", args=[course.pk]) in html


def test_each_staff_link_needs_its_own_permission(client, course, staff_without_perms):
    from django.contrib.auth.models import Permission

    staff_without_perms.user_permissions.add(
        Permission.objects.get(codename="change_course", content_type__app_label="curricula")
    )
    client.force_login(staff_without_perms)
    assert _staff_links(_get(client, course).content.decode()) == (False, True)


def test_a_signed_in_users_page_is_kept_by_no_cache(client, course, staff_user):
    """As every page: an anonymous page may be kept (by the browser alone while it holds a CSRF
    token), a signed-in user's is not stored (core.middleware.PrivatePagesMiddleware); the staff
    links make it theirs."""
    assert "no-store" not in _get(client, course).get("Cache-Control", "")
    client.force_login(staff_user)
    cache_control = _get(client, course)["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


# --- Queries -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_queries_do_not_grow_with_links_or_programmes(
    client, course, django_assert_max_num_queries
):
    url = reverse("courses:detail", args=[course.pk])
    few = _count(client, url)
    for i in range(15):
        CourseAbilityFactory(course=course, level=level("IRM"[i % 3]))
    for _ in range(6):
        ProgrammeFactory(courses=[course])
    assert _count(client, url) == few
    # The course, the levels, its links, its programmes; whether the paper is loaded (the
    # footer cites it only then).
    with django_assert_max_num_queries(5):
        client.get(url)


# --- Links to it ---------------------------------------------------------------------------


@pytest.fixture
def mapped(course):
    position = PositionFactory(name="Analyst")
    ability = course.ability_links.get(ability__code="CBE.1").ability
    RequirementFactory(position=position, ability=ability, min_level=level("R"))
    programme = ProgrammeFactory(courses=[course], targets=[position])
    return programme, ability


def test_the_maps_column_heads_link_to_the_course_pages(client, course, mapped):
    programme, _ability = mapped
    html = client.get(programme.get_absolute_url()).content.decode()
    head = re.search(
        r'<th scope="col" class="course-head" data-course="\d+"[^>]*>(.*?)</th>', html, re.S
    )
    assert f'href="{course.get_absolute_url()}"' in head.group(1)


def test_the_row_page_and_the_cell_panel_link_to_the_course_page(client, course, mapped):
    programme, ability = mapped
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    assert f'href="{course.get_absolute_url()}"' in client.get(url).content.decode()
    panel = client.get(url, {"course": course.pk}, headers={"X-Map-Editor": "1"})
    assert f'href="{course.get_absolute_url()}"' in panel.content.decode()


def test_a_taught_course_s_page_is_under_the_programmes_section(client, course):
    """A course no programme teaches is under none: see test_course_breadcrumb.py."""
    ProgrammeFactory(courses=[course])
    html = _get(client, course).content.decode()
    assert re.search(r'href="/programs/" aria-current="page"', html)


@pytest.mark.parametrize(
    "outcomes",
    [
        "• Clean a sales export\n• Build a pivot table",
        "- Clean a sales export\n- Build a pivot table",
        "* Clean a sales export\n* Build a pivot table",
        "· Clean a sales export\n▪ Build a pivot table",
        "●Clean a sales export\n◦ Build a pivot table",
        # Numbered, as syllabi number them (the list numbers nothing: it is a list of bullets).
        "1) Clean a sales export\n2) Build a pivot table",
        "1. Clean a sales export\n2. Build a pivot table",
        "(1) Clean a sales export\n(2) Build a pivot table",
        "（1）Clean a sales export\n（2）Build a pivot table",  # noqa: RUF001
        "① Clean a sales export\n② Build a pivot table",
        "a) Clean a sales export\nb) Build a pivot table",
        "1、Clean a sales export\n2、Build a pivot table",
    ],
)
def test_outcomes_written_with_bullets_are_listed_without_them(client, outcomes):
    """Observed: a catalogue copied from a syllabus writes its outcomes "• Clean ...", and the
    page's list showed "• • Clean ..." (its own bullet and the text's). The outcomes are kept as
    written; the list leaves out a leading bullet."""
    html = _get(client, CourseFactory(outcomes=outcomes)).content.decode()
    assert re.findall(r"<li>([^<]+)</li>", html)[:2] == [
        "Clean a sales export",
        "Build a pivot table",
    ]


def test_an_outcome_starting_with_a_negative_number_or_a_word_keeps_it(client):
    outcomes = "-5 °C storage rules\n*NIX shells\n3D printing\n1.5 m clearances\n2024 rules"
    html = _get(client, CourseFactory(outcomes=outcomes)).content.decode()
    assert re.findall(r"<li>([^<]+)</li>", html)[:5] == outcomes.splitlines()


@pytest.mark.parametrize(
    "outcomes",
    [
        "Explain the relational model; Apply SQL queries; Design a schema",
        "了解关系模型；应用SQL查询；设计数据库",  # noqa: RUF001
        "• Explain the relational model;\n• Apply SQL queries; Design a schema",
    ],
)
def test_outcomes_written_on_one_line_with_semicolons_are_listed_one_each(client, outcomes):
    """Observed: a catalogue row whose outcomes sit on one line, separated by semicolons (as
    the import documents and the suggestion engine reads them, one by one), was listed as one
    long outcome on the course's page."""
    html = _get(client, CourseFactory(outcomes=outcomes)).content.decode()
    items = re.findall(r"<li>([^<]+)</li>", html)
    assert len(items) >= 3
    assert items[:3] in (
        ["Explain the relational model", "Apply SQL queries", "Design a schema"],
        ["了解关系模型", "应用SQL查询", "设计数据库"],
    )
