"""The review pages without JavaScript, and the gap report's suggested courses."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.models import Provenance
from curricula.models import CourseAbility, Suggestion, SuggestionScope, SuggestionStatus
from curricula.tests.factories import ProgrammeFactory
from positions.models import Ability
from positions.tests.factories import level
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(client, staff_user):
    framework, abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    client.force_login(staff_user)
    return client, course, programme, abilities


def test_the_course_page_lists_pending_suggestions_best_first_with_reasons(reviewed):
    client, course, _programme, abilities = reviewed
    page = client.get(reverse("suggestions:course-review", args=[course.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert abilities["DB"].short_name in html
    second = Suggestion.objects.filter(course=course).order_by("-score")[1].ability
    assert html.index(abilities["DB"].short_name) < html.index(second.short_name)
    assert "Matched:" in html
    assert "design" in html  # the level's reason


def test_anonymous_visitors_are_sent_to_log_in_and_plain_users_refused(
    client, plain_user, reviewed
):
    _staff, course, _programme, _abilities = reviewed
    client.logout()
    url = reverse("suggestions:course-review", args=[course.pk])
    assert client.get(url).status_code == 302
    client.force_login(plain_user)
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("suggestions:decide"), {"scope": f"course:{course.pk}"}).status_code
        == 403
    )


def test_accept_without_javascript_redirects_back_and_writes_the_link(reviewed, staff_user):
    client, course, _programme, abilities = reviewed
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{course.pk}",
            "single": f"accept:{suggestion.pk}",
            f"level-{suggestion.pk}": "R",
        },
    )
    assert response.status_code == 302
    link = CourseAbility.objects.get(course=course, ability=abilities["DB"])
    assert link.level.code == "R"
    assert link.provenance == Provenance.SUGGESTED
    assert link.history.latest().history_user == staff_user


def test_htmx_reject_answers_the_queue_without_it(reviewed):
    client, course, _programme, abilities = reviewed
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}", "single": f"reject:{suggestion.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="suggestion-{suggestion.pk}"' not in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED


def test_bulk_accept_on_the_programme_page(reviewed):
    client, course, programme, _abilities = reviewed
    pending = list(Suggestion.objects.filter(course=course)[:2])
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"programme:{programme.pk}",
            "bulk": "1",
            "bulk_level": "I",
            "selected": [s.pk for s in pending],
        },
    )
    assert response.status_code == 302
    levels = set(CourseAbility.objects.filter(course=course).values_list("level__code", flat=True))
    assert levels == {"I"}
    assert CourseAbility.objects.filter(course=course).count() == 2


def test_a_suggestion_of_another_programme_cannot_be_decided_here(reviewed):
    client, course, _programme, abilities = reviewed
    other = ProgrammeFactory()
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"programme:{other.pk}", "single": f"accept:{suggestion.pk}"},
    )
    assert response.status_code == 302
    assert not CourseAbility.objects.exists()


def test_the_gap_report_shows_the_courses_suggested_for_a_missing_requirement(reviewed):
    client, course, _programme, abilities = reviewed
    from curricula.coverage.services import coverage_recompute
    from positions.tests.factories import PositionFactory, RequirementFactory, level

    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    position = PositionFactory()
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    page = client.get(reverse("curricula:programme-gaps", args=[programme.pk]))
    html = page.content.decode()
    assert "Suggested:" in html
    assert course.code in html
    assert reverse("suggestions:programme-review", args=[programme.pk]) in html
    # The level shown beside the course says it is the proposed one, not a bare "(M?)".
    level = Suggestion.objects.get(course=course, ability=abilities["DB"]).proposed_level.code
    assert f"(proposed level {level})" in html
    assert f"({level}?)" not in html
    # Observed: in Chinese the suggested course was named by its own (English) title, beside
    # contributing courses named in Chinese.
    course.title_zh = "数据库"
    course.save()
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f"{course.code}</span> 数据库（" in html  # noqa: RUF001
    # Pending suggestions are working material for those who can decide them.
    client.logout()
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    assert "Suggested:" not in html


def _pending_figures(html: str) -> tuple[int, int]:
    """The header's "N pending" and the queue's "N suggestions to review"."""
    header = int(re.search(r"(\d+) pending ·", html).group(1))
    queue = int(re.search(r"(\d+) suggestions? to review", html).group(1))
    return header, queue


def test_the_header_counts_what_the_queue_holds_when_a_pair_was_settled_elsewhere(reviewed):
    """A pair linked by hand, or a suggestion of a retired ability, is neither in the queue nor
    in the header's pending count; deciding it from a page loaded before says why."""
    client, course, programme, abilities = reviewed
    url = reverse("suggestions:programme-review", args=[programme.pk])
    header, queue = _pending_figures(client.get(url).content.decode())
    assert header == queue >= 2
    linked = Suggestion.objects.get(course=course, ability=abilities["DB"])
    CourseAbility.objects.create(course=course, ability=abilities["DB"], level=level("R"))
    retired = Suggestion.objects.filter(course=course).exclude(pk=linked.pk).first()
    Ability.objects.filter(pk=retired.ability_id).update(retired=True)
    html = client.get(url).content.decode()
    assert _pending_figures(html) == (queue - 2, queue - 2)
    assert f'id="suggestion-{linked.pk}"' not in html
    assert f'id="suggestion-{retired.pk}"' not in html
    # Filtered by framework, both figures follow the filter.
    html = client.get(url, {"framework": abilities["DB"].framework_id}).content.decode()
    assert _pending_figures(html) == (queue - 2, queue - 2)

    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"programme:{programme.pk}", "single": f"accept:{retired.pk}"},
        follow=True,
    )
    assert "was retired from its framework" in response.content.decode()
    retired.refresh_from_db()
    assert retired.status == SuggestionStatus.PENDING
    assert not CourseAbility.objects.filter(ability_id=retired.ability_id).exists()


@pytest.mark.parametrize("framework", ["99999", "abc", "0"])
def test_generate_refuses_a_framework_that_names_none_instead_of_running_every_framework(
    reviewed, framework
):
    """framework=99999 (or abc) ran every framework and recorded that scope, which every later
    background refresh of the courses repeated."""
    client, course, programme, _abilities = reviewed
    stored = sorted(Suggestion.objects.values_list("pk", flat=True))
    scopes = list(SuggestionScope.objects.values_list("course_id", "framework_id"))
    response = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework},
        follow=True,
    )
    assert f"No framework “{framework}”: nothing was generated." in response.content.decode()
    assert sorted(Suggestion.objects.values_list("pk", flat=True)) == stored
    assert list(SuggestionScope.objects.values_list("course_id", "framework_id")) == scopes
    page = client.get(
        reverse("suggestions:course-review", args=[course.pk]), {"framework": framework}
    )
    assert f"No framework “{framework}”: showing every framework." in page.content.decode()


def _bulk_accept(client, programme, ids):
    return client.post(
        reverse("suggestions:decide"),
        {"scope": f"programme:{programme.pk}", "bulk": "1", "bulk_level": "", "selected": ids},
        follow=True,
    )


def test_bulk_accept_names_the_suggestion_that_blocks_it_and_accepts_nothing(reviewed, staff_user):
    """One already-rejected suggestion among the selected failed the whole bulk with "This
    suggestion was already rejected.", naming none of them."""
    client, course, programme, _abilities = reviewed
    first, second = Suggestion.objects.filter(course=course).order_by("rank")[:2]
    services.suggestion_reject(suggestion=second, user=staff_user)
    html = _bulk_accept(client, programme, [first.pk, second.pk]).content.decode()
    assert (
        f"Nothing was accepted. The suggestion “{second.ability}” for {course} was already "
        "rejected." in html
    )
    assert not CourseAbility.objects.filter(course=course).exists()


def test_bulk_accept_takes_a_suggestion_selected_twice_once(reviewed):
    client, course, programme, _abilities = reviewed
    first = Suggestion.objects.filter(course=course).order_by("rank").first()
    html = _bulk_accept(client, programme, [first.pk, first.pk]).content.decode()
    assert "Accepted 1 suggestion" in html
    link = CourseAbility.objects.get(course=course)
    assert (link.ability_id, link.level_id) == (first.ability_id, first.proposed_level_id)


def test_an_htmx_decision_after_the_session_ended_sends_the_page_to_log_in(reviewed):
    """The 302 to the login page was followed by the browser and htmx swapped the whole login
    page into the queue, whose form then logged in towards /suggestions/decide/ (a 405)."""
    client, course, _programme, _abilities = reviewed
    suggestion = Suggestion.objects.filter(course=course).first()
    client.logout()
    review = reverse("suggestions:course-review", args=[course.pk])
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}", "single": f"reject:{suggestion.pk}"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{review}?required=1"},
    )
    assert response.status_code == 401
    login = urlsplit(response["HX-Redirect"])
    assert login.path == reverse("login")
    assert parse_qs(login.query) == {"next": [f"{review}?required=1"]}
    # Another site's address is not a place to come back to.
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}"},
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"},
    )
    assert "evil" not in response["HX-Redirect"]


def test_a_decision_without_javascript_after_the_session_ended_comes_back_to_the_review(
    reviewed,
):
    """Without JavaScript, a decision (or Generate) sent after the session ended went to log in
    with next=/suggestions/decide/, a POST-only address: after logging in, a 405."""
    client, course, programme, _abilities = reviewed
    suggestion = Suggestion.objects.filter(course=course).first()
    client.logout()
    for url, scope in (
        (reverse("suggestions:decide"), f"programme:{programme.pk}"),
        (reverse("suggestions:generate"), f"course:{course.pk}"),
    ):
        response = client.post(
            url, {"scope": scope, "single": f"reject:{suggestion.pk}", "required": "1"}
        )
        assert response.status_code == 302
        login = urlsplit(response["Location"])
        assert login.path == reverse("login")
        kind, _sep, pk = scope.partition(":")
        review = reverse(f"suggestions:{kind}-review", args=[pk])
        assert parse_qs(login.query)["next"][0].split("?")[0] == review
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING


def test_a_staff_account_without_the_permission_is_told_why(client, staff_without_perms, reviewed):
    """A staff account lacking "add course-ability link" got Django's bare "403 Forbidden",
    without the site's navigation or a word on what is missing."""
    _staff, course, _programme, _abilities = reviewed
    client.force_login(staff_without_perms)
    response = client.get(reverse("suggestions:course-review", args=[course.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "allowed to add course-ability links" in html
    assert reverse("curricula:programme-list") in html  # the site's navigation
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "allowed to add course-ability links" in response.content.decode()


def test_each_course_review_page_is_reached_by_a_link(reviewed):
    """/suggestions/courses/{id}/ was linked from nowhere: only a typed address reached it."""
    client, course, programme, abilities = reviewed
    from curricula.coverage.services import coverage_recompute
    from positions.tests.factories import PositionFactory, RequirementFactory

    # With the programme: the course's review then says what each suggestion serves in it
    # (test_course_review_programme_context).
    course_review = reverse("suggestions:course-review", args=[course.pk])
    course_review += f"?programme={programme.pk}"
    html = client.get(reverse("suggestions:programme-review", args=[programme.pk])).content.decode()
    assert f'href="{course_review}"' in html
    position = PositionFactory()
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    assert f'href="{course_review}"' in html


@pytest.fixture
def position_reviewed(client, staff_user):
    from positions.tests.factories import PositionFactory

    framework, abilities = small_framework()
    position = PositionFactory(
        name="Database developer",
        description="Designs relational databases and develops web applications for shops.",
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    assert Suggestion.objects.filter(position=position).exists()
    client.force_login(staff_user)
    return client, position, abilities


def test_a_position_s_suggestions_are_reviewed_on_a_page_reached_from_the_position(
    position_reviewed,
):
    """Position suggestions could only be decided through the API: no page listed them."""
    from positions.models import Requirement

    client, position, abilities = position_reviewed
    url = reverse("suggestions:position-review", args=[position.pk])
    assert f'href="{url}"' in client.get(position.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert position.name in html
    assert abilities["DB"].short_name in html
    suggestion = Suggestion.objects.get(position=position, ability=abilities["DB"])
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "single": f"accept:{suggestion.pk}",
            f"level-{suggestion.pk}": "R",
        },
        follow=True,
    )
    assert "the requirement is saved" in response.content.decode()
    requirement = Requirement.objects.get(position=position, ability=abilities["DB"])
    assert requirement.min_level.code == "R"
    assert requirement.provenance == Provenance.SUGGESTED
    # Another position's review cannot decide it.
    other = Suggestion.objects.filter(position=position, status=SuggestionStatus.PENDING).first()
    from positions.tests.factories import PositionFactory

    response = client.post(
        reverse("suggestions:decide"),
        {"scope": f"position:{PositionFactory().pk}", "single": f"reject:{other.pk}"},
    )
    other.refresh_from_db()
    assert other.status == SuggestionStatus.PENDING


def test_the_position_review_needs_the_add_requirement_permission(
    client, django_user_model, position_reviewed
):
    from django.contrib.auth.models import Permission

    _staff, position, _abilities = position_reviewed
    linker = django_user_model.objects.create_user(username="linker", password="x", is_staff=True)
    linker.user_permissions.set(Permission.objects.filter(codename="add_courseability"))
    client.force_login(linker)
    url = reverse("suggestions:position-review", args=[position.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "allowed to add requirements" in response.content.decode()
    assert f'href="{url}"' not in client.get(position.get_absolute_url()).content.decode()


def _accept_position(client, position, suggestion, **fields):
    return client.post(
        reverse("suggestions:decide"),
        {"scope": f"position:{position.pk}", "single": f"accept:{suggestion.pk}", **fields},
        follow=True,
    )


def test_a_position_s_suggestion_is_accepted_as_essential_unless_optional_is_chosen(
    position_reviewed,
):
    """Accepting a position's suggestion always made an essential requirement."""
    from positions.models import Importance, Requirement

    client, position, abilities = position_reviewed
    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()
    db = Suggestion.objects.get(position=position, ability=abilities["DB"])
    assert re.search(
        rf'<select name="importance-{db.pk}"[^>]*>\s*<option value="essential" selected>', html
    )
    assert "<kbd>o</kbd>" in html  # the keys documented
    _accept_position(client, position, db, **{f"importance-{db.pk}": "optional"})
    assert Requirement.objects.get(ability=abilities["DB"]).importance == Importance.OPTIONAL
    web = Suggestion.objects.get(position=position, ability=abilities["WEB"])
    _accept_position(client, position, web)  # a form without the choice: essential
    assert Requirement.objects.get(ability=abilities["WEB"]).importance == Importance.ESSENTIAL


def test_a_position_s_suggestions_are_accepted_in_bulk_as_the_importance_chosen(
    position_reviewed,
):
    from positions.models import Requirement

    client, position, _abilities = position_reviewed
    pending = list(Suggestion.objects.filter(position=position)[:2])
    client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "bulk": "1",
            "bulk_level": "R",
            "bulk_importance": "optional",
            "selected": [s.pk for s in pending],
        },
    )
    made = Requirement.objects.filter(position=position, ability__in=[s.ability for s in pending])
    assert sorted(made.values_list("importance", "min_level__code")) == [("optional", "R")] * 2


def test_an_unknown_importance_is_refused_and_nothing_is_accepted(position_reviewed):
    from positions.models import Requirement

    client, position, abilities = position_reviewed
    db = Suggestion.objects.get(position=position, ability=abilities["DB"])
    response = _accept_position(client, position, db, **{f"importance-{db.pk}": "vital"})
    assert "Choose essential or optional." in response.content.decode()
    assert not Requirement.objects.filter(ability=abilities["DB"]).exists()


def test_the_course_review_has_no_importance_to_choose(reviewed):
    client, course, _programme, _abilities = reviewed
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    assert 'name="importance-' not in html
    assert 'name="bulk_importance"' not in html
    assert "<kbd>o</kbd>" not in html


def test_the_course_review_breadcrumb_leads_to_the_course_page_not_the_admin(reviewed):
    """Designers reviewing a course's suggestions may have no admin access: the breadcrumb
    names the course and opens its own page."""
    client, course, _programme, _abilities = reviewed
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    breadcrumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert (
        f'<a href="{reverse("courses:detail", args=[course.pk])}">'
        f'<span class="code">{course.code}</span> {course.title}</a>'
    ) in breadcrumbs
    assert "/admin/" not in breadcrumbs
    assert client.get(reverse("courses:detail", args=[course.pk])).status_code == 200


def _review_breadcrumbs(client, course, **headers) -> str:
    html = client.get(reverse("suggestions:course-review", args=[course.pk]), **headers)
    return re.search(r'<nav class="breadcrumbs".*?</nav>', html.content.decode(), re.S).group(0)


def test_the_course_review_breadcrumb_names_the_course_in_chinese(reviewed):
    """Observed in Chinese: the course review's breadcrumb read only "SE203 ›", where the other
    breadcrumbs name their page (a programme by its Chinese name). It names the course by its
    code and Chinese title, as its page's heading does."""  # noqa: RUF002
    client, course, _programme, _abilities = reviewed
    course.title_zh = "数据库原理"
    course.save()
    crumbs = _review_breadcrumbs(client, course, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f'<span class="code">{course.code}</span> 数据库原理</a>' in crumbs
    assert course.title not in crumbs


def test_the_course_review_breadcrumb_in_chinese_falls_back_to_the_title(reviewed):
    """A course with no Chinese title is named by its title in Chinese too, not by its code
    alone."""
    client, course, _programme, _abilities = reviewed
    assert not course.title_zh
    crumbs = _review_breadcrumbs(client, course, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f'<span class="code">{course.code}</span> {course.title}</a>' in crumbs


def test_a_match_by_meaning_reads_as_one_and_the_link_note_names_each_term_once(
    reviewed, staff_user
):
    # The queue quoted a line matched by meaning as if its words had matched ("“Keep hackers
    # out of a network” (outcomes → label)"), and the accepted link's note listed a term once
    # per ability field it was found in ("sql, sql, database").
    client, course, _programme, abilities = reviewed
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    suggestion.explanation = {
        "matches": [
            {"query_field": "outcomes", "candidate_field": "label", "term": "sql", "weight": 0.3},
            {
                "query_field": "outcomes",
                "candidate_field": "description",
                "term": "sql",
                "weight": 0.2,
            },
            {
                "query_field": "outcomes",
                "candidate_field": "label",
                "term": "Keep data safe in tables",
                "weight": 0.1,
                "kind": "meaning",
                "similarity": 0.4321,
            },
            {"query_field": "title", "candidate_field": "label", "term": "database", "weight": 0.1},
        ],
        "level": {"code": "R"},
    }
    suggestion.save()
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    assert "close in meaning to “Keep data safe in tables”" in html
    assert "similarity 0.43" in html
    assert '“sql” <span class="muted">(outcomes → label, description)' in html
    client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{course.pk}",
            "single": f"accept:{suggestion.pk}",
            f"level-{suggestion.pk}": "R",
        },
    )
    note = CourseAbility.objects.get(course=course, ability=abilities["DB"]).note
    assert "matched: sql, database)" in note
    assert "Close in meaning to “Keep data safe in tables”" in note


def test_a_stored_match_by_meaning_keeps_its_kind_and_similarity():
    from suggestions.engine import Match, Ranked

    hit = Ranked(
        1,
        0.03,
        1,
        (
            Match("outcomes", "label", "Keep hackers out", 0.02, kind="meaning", similarity=0.43),
            Match("title", "label", "network", 0.01),
        ),
    )
    assert services._matches(hit) == [
        {
            "query_field": "outcomes",
            "candidate_field": "label",
            "term": "Keep hackers out",
            "weight": 0.02,
            "kind": "meaning",
            "similarity": 0.43,
        },
        {"query_field": "title", "candidate_field": "label", "term": "network", "weight": 0.01},
    ]


def test_the_review_pages_name_the_programme_course_and_abilities_in_chinese(reviewed):
    """In Chinese the review pages named the programme, the course and every suggested ability
    in English, Chinese names or not: the title read 审核建议的关联, then the programme's English
    name."""
    from django.utils import translation

    client, course, programme, abilities = reviewed
    programme.name_zh = "跨境电商实验班"
    programme.save()
    course.title_zh = "数据库原理"
    course.save()
    ability = abilities["DB"]
    ability.text_zh = "设计关系数据库"
    ability.save()
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    try:
        for url in (
            reverse("suggestions:course-review", args=[course.pk]),
            reverse("suggestions:programme-review", args=[programme.pk]),
        ):
            html = client.get(url, **zh).content.decode()
            assert "设计关系数据库" in html
            assert f">{ability.short_name}<" not in html
            assert "数据库原理" in html
            assert f"> {course.title}<" not in html
        assert f"<title>审核建议的关联：{programme.name_zh}" in html  # noqa: RUF001
        assert html.count(programme.name_zh) >= 3  # title, breadcrumb, lede
        assert programme.name not in html
    finally:
        translation.activate("en")
    html = client.get(reverse("suggestions:programme-review", args=[programme.pk])).content
    assert ability.short_name in html.decode()
    assert course.title in html.decode()


def test_a_refused_decision_names_the_ability_and_course_in_chinese(reviewed, staff_user):
    """In Chinese, a decision refused because the suggestion was decided elsewhere named the
    ability and the course in English (“DB design relational databases” for CS101 Databases)
    inside a Chinese sentence."""
    from django.utils import translation

    client, course, _programme, abilities = reviewed
    course.title_zh = "数据库原理"
    course.save()
    ability = abilities["DB"]
    ability.text_zh = "设计关系数据库"
    ability.save()
    suggestion = Suggestion.objects.get(course=course, ability=ability)
    services.suggestion_reject(suggestion=suggestion, user=staff_user)
    try:
        response = client.post(
            reverse("suggestions:decide"),
            {"scope": f"course:{course.pk}", "single": f"accept:{suggestion.pk}"},
            headers={"HX-Request": "true", "Accept-Language": "zh-hans"},
        )
    finally:
        translation.activate("en")
    assert response.status_code == 422
    html = response.content.decode()
    assert "设计关系数据库" in html
    assert "数据库原理" in html
    assert ability.short_name not in html


def _item(html: str, suggestion) -> str:
    start = html.index(f'id="suggestion-{suggestion.pk}"')
    return html[start : html.index("</li>", start)]


def test_the_review_pages_say_how_strong_a_suggestion_is_with_the_score_in_a_title(reviewed):
    """Observed: a reviewer saw a fused rank score such as "score 0.033", which says little.
    The course and programme pages show a band read from the engine's rankings (strong, good,
    weak) and where each ranking placed the suggestion; the raw score stays in a title."""
    client, course, programme, abilities = reviewed
    db = Suggestion.objects.get(course=course, ability=abilities["DB"])
    stored = db.explanation["strength"]
    assert stored["band"] in {"strong", "good", "weak"}
    assert stored["lexical_rank"] == 1
    for name, pk in (("course-review", course.pk), ("programme-review", programme.pk)):
        item = _item(client.get(reverse(f"suggestions:{name}", args=[pk])).content.decode(), db)
        found = re.search(
            r'<span class="strength strength--(\w+)" title="score (0\.\d{4})"[^>]*>([^<]+)</span>',
            item,
        )
        assert found, item
        assert found.group(1) == stored["band"]
        assert float(found.group(2)) == pytest.approx(db.score, abs=1e-4)
        assert found.group(3) == f"{stored['band'].capitalize()} match"
        assert "place 1 by shared words" in item or "shared words alone" in item
        assert not re.search(r"·\s*score \d", item)  # the raw score is no longer the text


def test_a_suggestion_stored_before_strengths_shows_its_score(reviewed):
    client, course, _programme, abilities = reviewed
    db = Suggestion.objects.get(course=course, ability=abilities["DB"])
    db.explanation = {"matches": db.explanation["matches"], "level": db.explanation["level"]}
    db.save(update_fields=["explanation"])
    item = _item(
        client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode(), db
    )
    assert 'class="strength' not in item
    assert re.search(r"·\s*score \d", item)


def test_a_level_from_the_training_stage_names_the_stage_in_the_reader_s_language(
    client, staff_user
):
    """Observed: in Chinese the reason read "该课程位于培养阶段“Actual operation”(第 4 个)":
    the stage's own name, stored when the suggestion was generated, in a Chinese sentence."""
    from certifications.models import TrainingStage
    from curricula.tests.factories import CourseFactory

    framework, _abilities = small_framework()
    for order, (name, name_zh) in enumerate(
        [("Theory teaching", "理论教学"), ("Actual operation", "实际操作")], start=1
    ):
        TrainingStage.objects.create(code=name.lower(), name=name, name_zh=name_zh, order=order)
    course = CourseFactory(
        title="Databases",
        description="Relational databases and SQL for online shops.",
        stage=TrainingStage.objects.get(order=2),
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert Suggestion.objects.filter(course=course, explanation__level__rule="stage").exists()
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "“实际操作”" in html
    assert "Actual operation" not in html
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "“Actual operation”, 2 of 2" in english


def test_the_review_page_in_chinese_writes_no_space_after_a_label_s_full_width_colon(
    reviewed, chinese_stand_in
):
    """匹配：“database” and 等级：..., the colon muted with its label, where the English reads
    "Matched: “database”"."""  # noqa: RUF002
    from django.utils import translation

    client, course, _programme, _abilities = reviewed
    chinese_stand_in(None, "Matched")
    url = reverse("suggestions:course-review", args=[course.pk])
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    english = client.get(url).content.decode()
    for language, html, space in (("zh-hans", chinese, ""), ("en", english, " ")):
        with translation.override(language):
            for label, value in (("Matched", '<span class="match">'), ("Level", "")):
                labelled = translation.gettext("%(label)s: %(value)s") % {
                    "label": translation.gettext(label),
                    "value": "",
                }
                written = f'<span class="muted">{labelled.rstrip()}</span>{space}{value}'
                assert written in html, (language, label)
                assert re.search(re.escape(written) + r"\S", html), (language, label)


def test_a_line_far_in_meaning_is_not_shown_as_close_in_meaning(client, staff_user):
    """Observed: the queue said a suggestion was "close in meaning to" the course's line
    closest to it however far that was: a Chinese course found "design relational databases"
    by its Chinese words, and its one English line, the textbook's publisher, was quoted."""
    from curricula.tests.factories import CourseFactory

    framework, abilities = small_framework()
    abilities["DB"].text_zh = "关系数据库设计"
    abilities["DB"].save()
    course = CourseFactory(
        title="关系数据库",
        description="教材：Pearson Education, 2019",  # noqa: RUF001
        outcomes="能够设计关系数据库",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    assert suggestion.explanation["strength"]["meaning_rank"] is not None
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    assert "design relational databases" in html
    assert "close in meaning" not in html
    assert "Pearson" not in html


def test_a_queue_longer_than_a_page_says_how_many_are_listed_and_that_more_follow(
    reviewed, monkeypatch
):
    """Observed: a 25-course programme's *All suggestions* view listed 50 suggestions under
    "460 pending", with nothing saying the other 410 were not shown nor how to reach them; a
    reviewer who selected all and bulk-accepted believed the queue done."""
    from suggestions import views

    client, course, _programme, _abilities = reviewed
    pending = Suggestion.objects.filter(course=course, status=SuggestionStatus.PENDING).count()
    assert pending >= 2
    monkeypatch.setattr(views, "QUEUE_PAGE", 1)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url).content.decode()
    assert html.count("data-suggestion=") == 1
    assert f"The best 1 of {pending} pending suggestions are listed" in html

    # A queue that fits its page says nothing of the kind.
    monkeypatch.setattr(views, "QUEUE_PAGE", pending)
    html = client.get(url).content.decode()
    assert "pending suggestions are listed" not in html

    # The queue htmx swaps in after a decision (a skip: it stays pending) says it too.
    monkeypatch.setattr(views, "QUEUE_PAGE", 1)
    first = Suggestion.objects.filter(course=course).best_first().first()
    answer = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}", "single": f"skip:{first.pk}"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"The best 1 of {pending} pending suggestions are listed" in answer


def test_an_ability_stated_by_its_label_is_explained_by_its_description(reviewed):
    """An ESCO skill is stated by its label (“manage IT security compliances”) and explained by
    its description; the review showed the statement under the name only when they differed, so
    an ESCO suggestion came with its label alone and nothing to judge it by. Its description is
    shown there, except beside a Chinese name (the description has no Chinese of its own)."""
    from django.utils import translation

    client, course, _programme, abilities = reviewed
    ability = abilities["DB"]
    ability.text = ability.short_name
    ability.description = "Shape tables, keys and constraints so that the data stays consistent."
    ability.save()
    suggestion = Suggestion.objects.get(course=course, ability=ability)
    url = reverse("suggestions:course-review", args=[course.pk])
    item = _item(client.get(url).content.decode(), suggestion)
    assert "Shape tables, keys and constraints" in item
    assert item.count(ability.short_name) == 1
    ability.text_zh = "设计关系数据库"
    ability.save()
    try:
        item = _item(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode(), suggestion)
    finally:
        translation.activate("en")
    assert "设计关系数据库" in item
    assert "Shape tables" not in item


def test_a_position_review_s_keyboard_help_joins_its_sentences_as_chinese_writes_them(
    position_reviewed,
):
    """The keys for a requirement's importance followed the others after a space: "按批量等级采纳
    所选。 e o 将要求设为核心或可选。" (Chinese writes no space after 。)."""
    import html as html_module
    import re

    from django.utils import translation

    client, position, _ = position_reviewed
    url = reverse("suggestions:position-review", args=[position.pk])

    def keys(**headers) -> str:
        page = client.get(url, **headers).content.decode()
        help_text = re.search(r'<details class="review-keys".*?</details>', page, re.S)[0]
        return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", help_text)))

    with translation.override("zh-hans"):
        importance = re.sub(
            r"\s+",
            " ",
            re.sub(
                r"<[^>]+>",
                "",
                translation.gettext(
                    "<kbd>e</kbd> <kbd>o</kbd> make the requirement essential or optional."
                ),
            ),
        )
    chinese = keys(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert importance in chinese
    assert not re.search(r"。\s" + re.escape(importance), chinese), chinese
    assert (
        "at the bulk level. i r m choose the level (I, R, M). "
        "e o make the requirement essential or optional."
    ) in keys()
