"""Generating suggestions from a review page: the page follows the job (its progress while a
worker runs it, then its outcome and the queue), names the subjects skipped for want of text,
and says when a programme has nothing to generate for. Without JavaScript."""

import re
import uuid

import pytest
from django.urls import reverse

from core.jobs import task_starter_record
from curricula.models import Suggestion, SuggestionScope
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tasks import generate_suggestions
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true"}


@pytest.fixture
def programme(client, staff_user):
    """A programme of a course with text and one with a title only (which matches nothing)."""
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    described = database_course()
    bare = CourseFactory(title="Qwxyz")
    programme.programme_courses.create(course=described, order=0)
    programme.programme_courses.create(course=bare, order=1)
    client.force_login(staff_user)
    return client, programme, framework, described, bare


def _store(task_id: str, state: str, meta) -> None:
    """What a worker records for the job (the result backend the status endpoint reads), of a
    job started by a colleague: staff who may generate suggestions for courses may read it."""
    task_starter_record(task_id=task_id, user=None, permissions=["curricula.add_courseability"])
    generate_suggestions.backend.store_result(task_id, meta, state)


def test_with_tasks_inline_the_page_shows_the_outcome_at_once(programme):
    client, programme, framework, described, _bare = programme
    response = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    )
    html = response.content.decode()
    generated = Suggestion.objects.filter(course=described).count()
    assert generated > 0
    # The skipped course got none: it is not counted among those generated for.
    assert f"Generated {generated} suggestions for 1 course." in html
    assert "1 course was skipped: it has no description or outcomes" in html
    assert "Reload this page" not in html
    # Over: nothing polls, nothing is in progress.
    assert "<progress" not in html
    assert "hx-trigger=" not in html
    assert f'id="suggestion-{Suggestion.objects.filter(course=described).first().pk}"' in html
    # The job's id is in the address, so the outcome can be shown again.
    job = parse_job(response.redirect_chain[-1][0])
    assert job


def parse_job(url: str) -> str:
    match = re.search(r"[?&]job=([0-9a-f-]{36})", url)
    return match.group(1) if match else ""


def test_the_skipped_course_is_named_with_a_link_to_edit_its_text(programme):
    client, programme, framework, described, bare = programme
    response = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    )
    html = response.content.decode()
    edit = reverse("admin:curricula_course_change", args=[bare.pk])
    assert f'<a href="{edit}"><span class="code">{bare.code}</span> {bare.title}</a>' in html
    assert reverse("admin:curricula_course_change", args=[described.pk]) not in html
    assert "Add a description or learning outcomes to these courses" in html


def test_a_course_whose_text_is_only_a_placeholder_is_named_as_without_text():
    """A description of "N/A" and outcomes of "-" (a spreadsheet's blank) say nothing to rank
    from, but the course was left out of the list because its cells were not empty."""
    framework, _abilities = small_framework()
    placeholder = CourseFactory(title="Qwxyz", description="N/A", outcomes="-\n—")
    result = services.suggestions_generate(course_ids=[placeholder.pk], framework=framework)
    assert result.courses_without_text == [placeholder.pk]
    position = PositionFactory(name="Qwxyz", description="n/a")
    result = services.suggestions_generate(position_ids=[position.pk], framework=framework)
    assert result.positions_without_text == [position.pk]


def test_a_reviewer_who_may_not_edit_courses_sees_the_skipped_course_without_a_link(
    client, django_user_model, programme
):
    from django.contrib.auth.models import Permission

    _staff, programme, framework, _described, bare = programme
    reviewer = django_user_model.objects.create_user(username="r", password="x", is_staff=True)
    reviewer.user_permissions.set(Permission.objects.filter(codename="add_courseability"))
    client.force_login(reviewer)
    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()
    assert f'<span class="code">{bare.code}</span> {bare.title}' in html
    assert reverse("admin:curricula_course_change", args=[bare.pk]) not in html


def test_a_programme_without_courses_says_so_and_generates_nothing(client, staff_user):
    programme = ProgrammeFactory()
    client.force_login(staff_user)
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url).content.decode()
    assert "This programme has no courses yet" in html
    assert reverse("admin:curricula_programme_change", args=[programme.pk]) in html
    assert 'action="/suggestions/generate/"' not in html
    response = client.post(
        reverse("suggestions:generate"), {"scope": f"programme:{programme.pk}"}, follow=True
    )
    html = response.content.decode()
    assert "This programme has no courses yet" in html
    assert "0 course(s)" not in html
    assert not parse_job(response.redirect_chain[-1][0])
    assert not SuggestionScope.objects.exists()


def test_without_any_framework_the_page_says_so_and_generates_nothing(client, staff_user):
    """A database with courses and no framework yet (a university starting from its own
    catalogue) offered "Generate suggestions from every framework", whose job then said
    "Generated 0 suggestions for 1 course.": nothing said that there was nothing to rank."""
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=database_course(), order=0)
    client.force_login(staff_user)
    for url in (
        reverse("suggestions:programme-review", args=[programme.pk]),
        reverse("suggestions:course-review", args=[programme.courses.get().pk]),
    ):
        html = client.get(url).content.decode()
        assert "There is no competency framework yet" in html
        assert reverse("admin:positions_importjob_add") in html
        assert 'action="/suggestions/generate/"' not in html
    response = client.post(
        reverse("suggestions:generate"), {"scope": f"programme:{programme.pk}"}, follow=True
    )
    html = response.content.decode()
    assert "There is no competency framework yet" in html
    assert "Generated 0 suggestions" not in html
    assert not parse_job(response.redirect_chain[-1][0])
    assert not SuggestionScope.objects.exists()


def test_while_a_worker_runs_the_job_the_page_shows_its_progress_and_polls(programme):
    client, programme, _framework, _described, _bare = programme
    task_id = str(uuid.uuid4())
    _store(task_id, "PROGRESS", {"done": 1, "total": 2})
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url, {"job": task_id}).content.decode()
    assert "Generating suggestions: 1 of 2 courses done." in html
    assert re.search(r'<progress id="review-job-progress" max="2" value="1"', html)
    assert 'role="status" aria-live="polite"' in html
    # htmx asks again every 2 s; without JavaScript, a link does.
    assert f'data-hx-get="{url}?job={task_id}" data-hx-trigger="every 2s"' in html
    assert f'href="{url}?job={task_id}">Check again</a>' in html


def test_a_job_not_started_yet_says_it_waits_for_a_worker(programme):
    client, programme, *_rest = programme
    url = reverse("suggestions:programme-review", args=[programme.pk])
    task_id = str(uuid.uuid4())
    _store(task_id, "SENT", None)  # what publishing the task records
    html = client.get(url, {"job": task_id}).content.decode()
    assert "waiting for a worker to start the job" in html
    assert "<progress" in html


def test_a_job_nobody_started_is_said_to_be_unknown_and_not_followed(programme):
    """Observed: any made-up ?job= read as waiting for a worker, and the page asked about it
    every 2 seconds for as long as it stayed open."""
    client, programme, *_rest = programme
    url = reverse("suggestions:programme-review", args=[programme.pk])
    made_up = str(uuid.uuid4())

    html = client.get(url, {"job": made_up}).content.decode()
    answer = client.get(url, {"job": made_up}, headers=POLL)

    assert "This generation job is not known" in html
    assert "<progress" not in html
    assert 'hx-trigger="every' not in html
    assert answer.status_code == 286  # htmx stops polling


def test_polling_answers_the_progress_then_the_outcome_with_the_queue_and_stops(programme):
    client, programme, framework, described, _bare = programme
    task_id = str(uuid.uuid4())
    url = reverse("suggestions:programme-review", args=[programme.pk])
    _store(task_id, "PROGRESS", {"done": 1, "total": 2})
    answer = client.get(url, {"job": task_id}, headers=POLL)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert (
        'id="review-job-status" role="status" aria-live="polite" data-hx-swap-oob="innerHTML"'
        in (html)
    )
    assert "1 of 2 courses done" in html
    assert 'id="review-queue"' not in html  # the queue is left alone while the job runs

    result = services.suggestions_generate(course_ids=[described.pk], framework=framework).as_dict()
    _store(task_id, "SUCCESS", result)
    answer = client.get(url, {"job": task_id}, headers=POLL)
    assert answer.status_code == 286  # htmx stops polling, and swaps the answer in
    html = answer.content.decode()
    assert f"Generated {result['created']} suggestions for 1 course." in html
    assert re.search(r'<form id="review-queue"[^>]* data-hx-swap-oob="outerHTML"', html)
    first = Suggestion.objects.filter(course=described).best_first().first()
    assert f'id="suggestion-{first.pk}"' in html
    assert f"{result['created']} suggestions to review." in html  # the status line, in place
    assert "<progress" not in html


def test_a_failed_job_says_so(programme):
    client, programme, *_rest = programme
    task_id = str(uuid.uuid4())
    _store(task_id, "FAILURE", RuntimeError("the index could not be built"))
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url, {"job": task_id}).content.decode()
    assert "Generating suggestions failed (the index could not be built)." in html
    assert "<progress" not in html
    answer = client.get(url, {"job": task_id}, headers=POLL)
    assert answer.status_code == 286
    assert "Generating suggestions failed" in answer.content.decode()


def test_a_job_refused_by_the_task_itself_says_so(programme):
    """The task answers {"error": ...} when its framework was deleted meanwhile: no outcome
    of 0 suggestions."""
    client, programme, *_rest = programme
    task_id = str(uuid.uuid4())
    _store(task_id, "SUCCESS", {"error": "framework 9 no longer exists"})
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url, {"job": task_id}).content.decode()
    assert "Generating suggestions failed (framework 9 no longer exists)." in html
    assert "Generated" not in html


def test_a_poll_with_a_malformed_job_is_refused(programme):
    client, programme, *_rest = programme
    url = reverse("suggestions:programme-review", args=[programme.pk])
    assert client.get(url, {"job": "nope"}, headers=POLL).status_code == 400
    # The page itself ignores it.
    page = client.get(url, {"job": "nope"})
    assert page.status_code == 200
    assert 'id="review-job"' not in page.content.decode()


def test_a_position_without_a_description_is_named_with_a_link_to_edit_it(client, staff_user):
    framework, _abilities = small_framework()
    position = PositionFactory(name="Database developer", description="")
    client.force_login(staff_user)
    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"position:{position.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()
    assert "for 1 position." in html
    assert "1 position has no description: only its name was matched" in html
    edit = reverse("admin:positions_position_change", args=[position.pk])
    assert f'<a href="{edit}">Database developer</a>' in html


def test_a_course_written_only_in_chinese_that_meets_no_english_ability_is_named(
    client, staff_user
):
    """A course with text that no ability of the framework matches (a catalogue written in
    Chinese against an English framework without Chinese statements) got no suggestion while
    the page said only how many were generated: it is named, with what would help."""
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    described = database_course()
    chinese = CourseFactory(
        code="PHA201", title="药理学", title_zh="药理学", description="药物作用机制与药代动力学。"
    )
    programme.programme_courses.create(course=described, order=0)
    programme.programme_courses.create(course=chinese, order=1)
    result = services.suggestions_generate(
        course_ids=[described.pk, chinese.pk], framework=framework
    )
    assert result.courses_unmatched == [chinese.pk]
    assert result.courses_without_text == []
    client.force_login(staff_user)
    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()
    assert "1 course got no suggestion: its text meets no ability" in html
    edit = reverse("admin:curricula_course_change", args=[chinese.pk])
    assert f'<a href="{edit}"><span class="code">PHA201</span> 药理学</a>' in html
    assert "written only in Chinese" in html
    assert "no description or outcomes" not in html


def test_the_command_names_the_courses_no_ability_matched():
    from io import StringIO

    from django.core.management import call_command

    framework, _abilities = small_framework()
    CourseFactory(code="PHA220", title="药剂学", description="药物制剂的设计与质量控制。")
    out = StringIO()
    call_command("suggest", "--course", "PHA220", "--framework", str(framework.pk), stdout=out)
    assert "No ability matched: PHA220" in out.getvalue()


def test_the_command_tells_a_course_in_a_script_it_does_not_read_what_would_help():
    """Observed walking the README: a course described in Korean was named "No ability matched:
    KR1 (a course written only in Chinese meets only abilities with Chinese statements)", a hint
    for another course. One in a script the engine does not read is told to add an English or
    Chinese text; one written in Chinese keeps its own hint."""
    from io import StringIO

    from django.core.management import call_command

    framework, _abilities = small_framework()
    CourseFactory(code="KR1", title="한국어 회화", description="한국어 말하기와 듣기")
    CourseFactory(code="PHA220", title="药剂学", description="药物制剂的设计与质量控制。")
    out = StringIO()
    call_command("suggest", "--all-courses", "--framework", str(framework.pk), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "No ability matched" in line]
    assert len(lines) == 2, out.getvalue()
    korean = next(line for line in lines if "KR1" in line)
    chinese = next(line for line in lines if "PHA220" in line)
    assert "PHA220" not in korean
    assert "KR1" not in chinese
    assert "script the engine does not read" in korean
    assert "written only in Chinese" not in korean
    assert "written only in Chinese" in chinese


def test_the_job_panel_tells_a_course_in_a_script_it_does_not_read_what_would_help(
    client, staff_user
):
    """Observed: the page's job panel gave a course described in Korean the hint for a course
    written in Chinese ("meets only abilities with Chinese statements"), while `suggest` tells it
    to add an English or Chinese text. The panel names each under its own hint."""
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    korean = CourseFactory(code="KR1", title="한국어 회화", description="한국어 말하기와 듣기")
    chinese = CourseFactory(code="PHA220", title="药剂学", description="药物制剂的设计与质量控制。")
    programme.programme_courses.create(course=korean, order=0)
    programme.programme_courses.create(course=chinese, order=1)
    client.force_login(staff_user)

    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()

    assert "2 courses got no suggestion" in html
    chinese_hint = html[html.index('id="review-job-unmatched"') :]
    chinese_hint = chinese_hint[: chinese_hint.index("</ul>")]
    unread_hint = html[html.index('id="review-job-unread"') :]
    unread_hint = unread_hint[: unread_hint.index("</ul>")]
    assert "written only in Chinese" in chinese_hint
    assert "PHA220" in chinese_hint
    assert "KR1" not in chinese_hint
    assert "script the engine does not read" in unread_hint
    assert "Korean or Japanese kana" in unread_hint
    assert "KR1" in unread_hint
    assert "PHA220" not in unread_hint


def test_the_job_panel_gives_only_the_unread_script_hint_when_no_course_is_in_chinese(
    client, staff_user
):
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    korean = CourseFactory(code="KR1", title="한국어 회화", description="한국어 말하기와 듣기")
    programme.programme_courses.create(course=korean, order=0)
    client.force_login(staff_user)

    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()

    assert "1 course got no suggestion" in html
    assert "script the engine does not read" in html
    assert "written only in Chinese" not in html
