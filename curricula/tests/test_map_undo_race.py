"""Observed (a hostile pass): two Undo clicks on one change set arriving together (a double
click, two tabs, a script) both passed "undone already?" before either wrote, and both wrote:
two undo sets of the one set in the history, each offering its own redo. One undo wins; the
other is told the change has been undone already."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from threading import Barrier, BrokenBarrierError

import pytest
from django.db import connection, connections

from conftest import skip_or_fail
from core.history import HistoryConflict
from curricula import services
from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput
from curricula.tests.test_map_changes import _grid, _state


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
# A level changed: undoing a link's creation twice was refused already (the second found it
# deleted), changing a level back twice was not. A cleared cell: no row was there to lock, both
# undos recreated the link, and the second was told a cell had changed since.
@pytest.mark.parametrize(("course", "chosen"), [(0, "M"), (0, ""), (1, "I")])
def test_two_undos_of_one_set_at_once_undo_it_once(monkeypatch, course, chosen):
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    programme, courses, abilities, _link = _grid()
    before = _state()
    change_set = services.programme_map_change(
        programme=programme, cells=[CellInput(courses[course].pk, abilities[0].pk, chosen)]
    )
    # Each undo, once it has checked the set, waits for the other to have checked it too (the
    # race made certain); an undo that keeps the other out meanwhile waits in vain, and goes on.
    both_checked = Barrier(2, timeout=3)
    checked = services.history_changes_moved

    def checked_then_wait(**kwargs):
        moved = checked(**kwargs)
        with suppress(BrokenBarrierError):
            both_checked.wait()
        return moved

    monkeypatch.setattr(services, "history_changes_moved", checked_then_wait)

    def undo():
        try:
            return services.programme_map_undo(token=change_set.token).token
        except HistoryConflict as error:
            return str(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(lambda _: undo(), range(2)), key=len)

    undo_sets = set(
        CourseAbility.history.filter(history_undoes=change_set.token).values_list(
            "history_change_set", flat=True
        )
    )
    assert len(undo_sets) == 1, answers
    assert answers[1] == "This change has been undone already."
    assert _state() == before
