"""Two editors filling the same empty cell of a map at the same moment (PostgreSQL: two
connections). Observed: both plans read the cell empty, both inserted its link, and the one
committing second was refused with "This change conflicts with existing data.", naming no cell,
where one saved a moment later is told which cell someone else changed and to what, and one
choosing the level the other saved is not refused at all."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from threading import Barrier, BrokenBarrierError

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from conftest import skip_or_fail
from curricula import services
from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput
from curricula.tests.test_map_changes import _grid

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _both_at_once(monkeypatch, programme, cells_each):
    """Run one change set per item of `cells_each` at once, each planned before any writes."""
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    planned = Barrier(len(cells_each), timeout=2)
    plan = services.map_change_plan

    def plan_then_wait(**kwargs):
        made = plan(**kwargs)
        with suppress(BrokenBarrierError):
            planned.wait()
        return made

    monkeypatch.setattr(services, "map_change_plan", plan_then_wait)

    def save(cells):
        try:
            return services.programme_map_change(programme=programme, cells=cells).count
        except ValidationError as error:
            return error.messages
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(cells_each)) as pool:
        return list(pool.map(save, cells_each))


def test_the_second_of_two_editors_filling_one_cell_is_told_which_and_to_what(monkeypatch):
    programme, courses, abilities, _link = _grid()
    cell = (courses[1].pk, abilities[1].pk)
    answers = _both_at_once(
        monkeypatch,
        programme,
        [[CellInput(*cell, "I", base="")], [CellInput(*cell, "M", base="")]],
    )
    saved = CourseAbility.objects.get(course_id=cell[0], ability_id=cell[1]).level.code
    refused = [answer for answer in answers if answer != 1]
    assert len(refused) == 1, answers
    assert refused[0] == [
        f"K1 × A1 was changed by someone else since the map was opened (now {saved})."  # noqa: RUF001
    ]


def test_two_editors_filling_one_cell_with_the_same_level_both_succeed(monkeypatch):
    programme, courses, abilities, _link = _grid()
    cell = (courses[1].pk, abilities[1].pk)
    answers = _both_at_once(
        monkeypatch, programme, [[CellInput(*cell, "M", base="")], [CellInput(*cell, "M", base="")]]
    )
    assert all(not isinstance(answer, list) for answer in answers), answers
    assert CourseAbility.objects.get(course_id=cell[0], ability_id=cell[1]).level.code == "M"
