"""A decision on a review page answers htmx with what changed, not the queue again: the decided
suggestion's row removed, the next pending one appended to keep the list at 50, and the
header's counts, the status line and the "best 50 of N" sentence updated. Observed: each key
re-rendered all 50 rows (about 50 times the answer), and the level chosen on every other row was
reset to its proposal."""

import re

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions.tests.factories import SuggestionFactory
from suggestions.views import QUEUE_PAGE

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<li class="review-item" id="suggestion-(\d+)"')


def _queue(count: int):
    course = CourseFactory()
    framework = FrameworkFactory()
    for rank in range(1, count + 1):
        SuggestionFactory(
            course=course, ability=AbilityFactory(framework=framework), rank=rank, score=1 / rank
        )
    return course, list(Suggestion.objects.filter(course=course).best_first())


def _shown(client, course) -> list[int]:
    page = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    return [int(pk) for pk in ROW.findall(page)]


def _decide(client, course, shown: list[int], single: str, **extra):
    data = {"scope": f"course:{course.pk}", "single": single, **extra}
    # The form posts every listed row's level: which rows the page shows.
    for pk in shown:
        data.setdefault(f"level-{pk}", "I")
    return client.post(reverse("suggestions:decide"), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("action", ["accept", "reject", "skip"])
def test_a_decision_answers_only_what_changed(client, staff_user, action):
    client.force_login(staff_user)
    course, queue = _queue(QUEUE_PAGE + 10)
    shown = _shown(client, course)
    assert shown == [s.pk for s in queue[:QUEUE_PAGE]]
    full = client.get(reverse("suggestions:course-review", args=[course.pk]))

    answer = _decide(client, course, shown, f"{action}:{queue[0].pk}")

    assert answer.status_code == 200
    assert answer["HX-Reswap"] == "none"  # the queue stays; only the parts below change
    html = answer.content.decode()
    # The decided row leaves; the 51st suggestion joins the list at its end.
    assert f'id="suggestion-{queue[0].pk}" data-hx-swap-oob="delete"' in html
    assert [int(pk) for pk in ROW.findall(html)] == [queue[QUEUE_PAGE].pk]
    assert 'data-hx-swap-oob="beforeend:#review-list"' in html
    assert 'id="review-counts" data-hx-swap-oob="innerHTML"' in html
    assert 'id="review-shown"' in html
    pending = 60 if action == "skip" else 59
    assert f"The best 50 of {pending} pending suggestions" in html
    assert len(html) * 10 < len(full.content)


def test_a_skip_in_a_short_queue_moves_the_row_to_the_end(client, staff_user):
    client.force_login(staff_user)
    course, queue = _queue(3)
    shown = _shown(client, course)

    html = _decide(client, course, shown, f"skip:{queue[0].pk}").content.decode()

    assert f'id="suggestion-{queue[0].pk}" data-hx-swap-oob="delete"' in html
    assert [int(pk) for pk in ROW.findall(html)] == [queue[0].pk]  # appended again, last


def test_the_last_decision_answers_the_empty_queue(client, staff_user):
    client.force_login(staff_user)
    course, queue = _queue(1)
    answer = _decide(client, course, [queue[0].pk], f"reject:{queue[0].pk}")
    assert "HX-Reswap" not in answer
    assert "data-review-empty" in answer.content.decode()


def _applied(shown: list[int], html: str) -> list[int]:
    """The page's rows once the answer's deletions and appended rows are swapped in."""
    deleted = {
        int(pk) for pk in re.findall(r'id="suggestion-(\d+)" data-hx-swap-oob="delete"', html)
    }
    return [pk for pk in shown if pk not in deleted] + [int(pk) for pk in ROW.findall(html)]


def test_a_page_out_of_step_with_the_queue_is_brought_in_step(client, staff_user):
    """A row decided elsewhere meanwhile is removed, and a row an older page lacks is not put
    after the others: the rows from there on are sent again, in the queue's order."""
    client.force_login(staff_user)
    course, queue = _queue(10)
    Suggestion.objects.filter(pk=queue[5].pk).delete()
    shown = [s.pk for s in queue if s.pk != queue[3].pk]

    html = _decide(client, course, shown, f"reject:{queue[0].pk}").content.decode()

    assert _applied(shown, html) == [s.pk for s in queue if s.pk not in (queue[0].pk, queue[5].pk)]
    assert len(ROW.findall(html)) < 8


@pytest.mark.parametrize("action", ["accept", "skip", "reject"])
@pytest.mark.parametrize("required", ["0", "1"])
def test_a_decision_s_partial_answer_runs_the_same_queries_however_long_the_queue(
    client, staff_user, django_assert_num_queries, action, required
):
    """A programme's queue of 120 suggestions and one of 240 cost the same queries, the
    joining row's included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suggestions.tests.test_review_decide_cost import _programme

    client.force_login(staff_user)

    def decision(programme) -> dict:
        page = client.get(
            reverse("suggestions:programme-review", args=[programme.pk]), {"required": required}
        ).content.decode()
        shown = [int(pk) for pk in ROW.findall(page)]
        assert len(shown) == QUEUE_PAGE
        return {
            "scope": f"programme:{programme.pk}",
            "required": required,
            "single": f"{action}:{shown[0]}",
            **{f"level-{pk}": "I" for pk in shown},
        }

    def decide(data):
        answer = client.post(reverse("suggestions:decide"), data, HTTP_HX_REQUEST="true")
        assert answer.status_code == 200
        assert answer["HX-Reswap"] == "none"
        assert len(ROW.findall(answer.content.decode())) == 1  # the row joining the list
        return answer

    counts = []
    for programme in (_programme(courses=3, per_course=40), _programme(courses=8, per_course=30)):
        data = decision(programme)
        with CaptureQueriesContext(connection) as captured:
            decide(data)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    data = decision(programme)
    with django_assert_num_queries(counts[1]):
        decide(data)
