"""What a bulk accept costs the database: a fixed number of queries however many suggestions are
selected. Observed: each accepted suggestion cost about forty queries (its link or requirement
checked, validated, saved and recorded one by one, its suggestion validated and saved alone,
its programmes' coverage looked up again), so a page's 50 ran some 2,000 in one transaction,
holding its locks meanwhile."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Provenance
from curricula.coverage import services as coverage_services
from curricula.models import CourseAbility, ProgrammeCoverage, Suggestion
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Requirement
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)
from suggestions.tests.factories import SuggestionFactory
from suggestions.tests.test_review_decide_cost import EXPLANATION

pytestmark = pytest.mark.django_db


def _programme_suggestions(count: int):
    """A programme of three courses with `count` pending suggestions among them (one
    framework), its target requiring a few of their abilities."""
    framework = FrameworkFactory()
    courses = [CourseFactory() for _ in range(3)]
    abilities = [AbilityFactory(framework=framework) for _ in range(count)]
    target = RequirementFactory(ability=abilities[0], min_level=level("R")).position
    programme = ProgrammeFactory(courses=courses, targets=[target])
    rows = [
        SuggestionFactory(
            course=courses[i % 3],
            ability=ability,
            rank=i + 1,
            proposed_level=level("I" if i % 2 else "R"),
            explanation=EXPLANATION,
        )
        for i, ability in enumerate(abilities)
    ]
    return programme, rows


def _position_suggestions(count: int):
    framework = FrameworkFactory()
    position = PositionFactory(description="Designs and runs databases.")
    RequirementFactory(position=position, ability=AbilityFactory(framework=framework))
    ProgrammeFactory(targets=[position])
    rows = [
        SuggestionFactory(
            course=None,
            position=position,
            ability=AbilityFactory(framework=framework),
            rank=i + 1,
            proposed_level=level("M") if i % 2 else None,
            explanation=EXPLANATION,
        )
        for i in range(count)
    ]
    return position, rows


def _bulk_accept(client, scope: str, rows, **extra):
    return client.post(
        reverse("suggestions:decide"),
        {"scope": scope, "bulk": "1", "selected": [s.pk for s in rows], **extra},
        headers={"HX-Request": "true"},
    )


def _queries(client, scope: str, rows, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = _bulk_accept(client, scope, rows, **extra)
    assert answer.status_code == 200, answer.content.decode()[:2000]
    assert Suggestion.objects.filter(pk__in=[s.pk for s in rows], status="accepted").count() == (
        len(rows)
    )
    return len(captured)


def test_a_bulk_accept_of_course_suggestions_costs_the_same_queries_for_5_as_for_25(
    client, staff_user
):
    """Accepting 25 of a programme's course suggestions runs as many queries as accepting 5:
    their courses, abilities, levels and existing links read once, the links and their history
    written in bulk, the suggestions marked accepted in one UPDATE."""
    client.force_login(staff_user)
    counts = []
    for count in (5, 25):
        programme, rows = _programme_suggestions(count)
        counts.append(_queries(client, f"programme:{programme.pk}", rows))
        assert CourseAbility.objects.filter(course__programmes=programme).count() == count
    print("course bulk accept queries (5, 25):", counts)
    assert counts[1] == counts[0], counts


def test_a_bulk_accept_of_position_suggestions_costs_the_same_queries_for_5_as_for_25(
    client, staff_user
):
    """As for a course's: accepting 25 of a position's suggestions (each a requirement, appended
    after the position's others) runs as many queries as accepting 5."""
    client.force_login(staff_user)
    counts = []
    for count in (5, 25):
        position, rows = _position_suggestions(count)
        counts.append(_queries(client, f"position:{position.pk}", rows))
        assert Requirement.objects.filter(position=position).count() == count + 1
    print("position bulk accept queries (5, 25):", counts)
    assert counts[1] == counts[0], counts


def test_a_bulk_accept_marks_each_programme_stale_once_and_recomputes_it_once(
    client, staff_user, django_capture_on_commit_callbacks
):
    """However many of its courses' suggestions are accepted, their programme is marked stale,
    and its recompute dispatched once, after the commit."""
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):  # the setup's own recompute
        programme, rows = _programme_suggestions(9)
        other = ProgrammeFactory(courses=[rows[0].course])
    with django_capture_on_commit_callbacks() as callbacks:
        assert _bulk_accept(client, f"programme:{programme.pk}", rows).status_code == 200
    assert ProgrammeCoverage.objects.get(programme=programme).state == "stale"
    assert ProgrammeCoverage.objects.get(programme=other).state == "stale"
    with mock.patch.object(coverage_services, "coverage_dispatch") as dispatch:
        for callback in callbacks:
            callback()
    assert dispatch.call_args_list == [mock.call(programme_ids={programme.pk, other.pk})], (
        dispatch.call_args_list
    )


def test_a_bulk_accept_records_what_one_accept_at_a_time_recorded(client, staff_user):
    """Written in bulk, each link and requirement is still as one accept made it: provenance
    "suggested", the reviewer in its one history record (a creation, with no change reason),
    the level chosen (else the proposed one, else the site's default), a requirement appended
    after its position's others in the order selected, and each suggestion decided by the
    reviewer."""
    client.force_login(staff_user)
    programme, rows = _programme_suggestions(4)
    answer = _bulk_accept(client, f"programme:{programme.pk}", rows, **{f"level-{rows[0].pk}": "M"})
    assert answer.status_code == 200
    for row in rows:
        link = CourseAbility.objects.get(course=row.course, ability=row.ability)
        assert link.provenance == Provenance.SUGGESTED
        assert link.level.code == ("M" if row == rows[0] else row.proposed_level.code)
        assert "Accepted suggestion (matched: database)." in link.note
        assert link.note_zh
        (record,) = link.history.all()
        assert (record.history_type, record.history_user_id, record.history_change_reason) == (
            "+",
            staff_user.pk,
            None,
        )
    position, rows = _position_suggestions(4)
    answer = _bulk_accept(
        client, f"position:{position.pk}", rows[::-1], **{f"importance-{rows[1].pk}": "optional"}
    )
    assert answer.status_code == 200
    made = list(Requirement.objects.filter(position=position).order_by("order"))
    assert [r.ability_id for r in made[1:]] == [s.ability_id for s in rows[::-1]]
    assert [r.order for r in made] == [0, 1, 2, 3, 4]
    for requirement, row in zip(made[1:], rows[::-1], strict=True):
        assert requirement.provenance == Provenance.SUGGESTED
        assert requirement.min_level.code == "M"  # proposed, or SUGGESTIONS_REQUIREMENT_LEVEL
        assert requirement.importance == ("optional" if row == rows[1] else "essential")
        (record,) = requirement.history.all()
        assert (record.history_type, record.history_user_id) == ("+", staff_user.pk)
    decided = Suggestion.objects.filter(pk__in=[s.pk for s in rows])
    assert {(s.status, s.decided_by_id) for s in decided} == {("accepted", staff_user.pk)}
    assert all(s.decided_at and s.updated_at >= s.decided_at for s in decided)
