"""`?updated_since=` on the lists whose update time is computed (core.history.ChangedAt) finds
the records changed by conditions that each read only what changed (`changed_since`), not by
computing the update time of every record: the same records, in the same order, as filtering
on the whole expression, after random writes of every kind the mirror test makes."""

import random
from datetime import timedelta

import pytest
from django.db import connection

from certifications.models import Certification, TrainingStage
from certifications.tests.factories import CertificationFactory
from competency_site.tests.test_sync_mirror import (
    OPERATIONS,
    _certification_course,
    _edit,
    _programme_course,
    _renamed,
    _requirement,
    _stage,
)
from curricula.api.filters import CertificationFilter, ProgrammeFilter
from curricula.api.views import CertificationViewSet, ProgrammeViewSet
from curricula.models import Course
from curricula.selectors.certifications import CERTIFICATION_CHANGED
from curricula.selectors.programmes import PROGRAMME_CHANGED
from curricula.tests.factories import ProgrammeFactory
from positions.api.filters import PositionFilter, RequirementFilter, TrackFilter
from positions.api.views import PositionViewSet
from positions.models import Ability, Requirement, Track
from positions.selectors import (
    POSITION_CHANGED,
    REQUIREMENT_CHANGED,
    TRACK_CHANGED,
    requirement_list,
)
from positions.tests.factories import PositionFactory, RequirementFactory, TrackFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "positions": (POSITION_CHANGED, PositionFilter),
    "programs": (PROGRAMME_CHANGED, ProgrammeFilter),
    "certifications": (CERTIFICATION_CHANGED, CertificationFilter),
    "tracks": (TRACK_CHANGED, TrackFilter),
    "requirements": (REQUIREMENT_CHANGED, RequirementFilter),
}
MICROSECOND = timedelta(microseconds=1)
# The records the lists show fields of, edited more often than the mirror's writes do, so that
# one is often the latest change of a record that shows it.
SHOWN_EDITS = [
    _edit(Ability, "text", _renamed),
    _edit(Course, "title", _renamed),
    _edit(Track, "name", _renamed),
    _edit(TrainingStage, "order", lambda rng: rng.randrange(100, 10**6)),
    _edit(Certification, "name", _renamed),
    _requirement,
    _programme_course,
    _certification_course,
]


def _times(changed):
    """Every record's update time, computed whole (the reference)."""
    return dict(
        changed.model._base_manager.annotate(last_changed=changed.expression()).values_list(
            "pk", "last_changed"
        )
    )


def _cutoffs(times) -> list:
    """Each update time a record has, and a microsecond either side of it."""
    return sorted(
        {
            when + step
            for when in times.values()
            for step in (-MICROSECOND, timedelta(0), MICROSECOND)
        }
    )


def _random_writes(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3):
        _stage(rng)
        PositionFactory()
        ProgrammeFactory()
        CertificationFactory()
        TrackFactory()
        RequirementFactory()
    for _ in range(60):
        rng.choice(OPERATIONS + SHOWN_EDITS)(rng)


@pytest.mark.parametrize("seed", range(4))
def test_changed_since_finds_the_records_whose_whole_update_time_is_as_late(seed):
    _random_writes(seed)
    for name, (changed, _filter) in LISTS.items():
        times = _times(changed)
        assert times, name
        for since in _cutoffs(times):
            found = set(
                changed.model._base_manager.filter(changed.changed_since(since)).values_list(
                    "pk", flat=True
                )
            )
            assert found == {pk for pk, when in times.items() if when >= since}, (name, since)
            strictly = set(
                changed.model._base_manager.filter(
                    changed.changed_since(since, strictly=True)
                ).values_list("pk", flat=True)
            )
            assert strictly == {pk for pk, when in times.items() if when > since}, (name, since)


@pytest.mark.parametrize("seed", range(2))
def test_a_sync_page_lists_what_filtering_on_the_whole_update_time_does(api_client, seed):
    """The API's answer to `updated_since` (and `after_id`) is the records the whole expression
    puts at or after that time (and past that row), in its order."""
    _random_writes(seed)
    rng = random.Random(seed)
    for name, (changed, _filter) in LISTS.items():
        times = _times(changed)
        order = sorted(times, key=lambda pk: (times[pk], pk))
        for since in rng.sample(_cutoffs(times), min(6, len(times))):
            query = {"updated_since": since.isoformat(), "page_size": 1000}
            response = api_client.get(f"/api/v1/{name}/", query)
            assert response.status_code == 200, response.content
            expected = [pk for pk in order if times[pk] >= since]
            assert [row["id"] for row in response.json()["results"]] == expected, (name, since)
            after_id = rng.choice(order)
            response = api_client.get(f"/api/v1/{name}/", {**query, "after_id": after_id})
            assert response.status_code == 200, response.content
            expected = [
                pk for pk in expected if times[pk] > since or (times[pk] == since and pk > after_id)
            ]
            assert [row["id"] for row in response.json()["results"]] == expected, (name, since)


@pytest.mark.parametrize("name", LISTS)
def test_a_poll_filters_without_computing_the_update_time(name):
    """The WHERE clause of `?updated_since=` (and `after_id`) holds the lookups of what changed,
    not the update time's expression (GREATEST on PostgreSQL, MAX on SQLite, and the latest of
    each embedded or shown row): that is computed only for the records that pass, to order and
    show them."""
    changed, filterset = LISTS[name]
    queryset = changed.model._base_manager.annotate(last_changed=changed.expression())
    for data in (
        {"updated_since": "2026-01-31T08:00:00Z"},
        {"updated_since": "2026-01-31T08:00:00Z", "after_id": "3"},
    ):
        filtered = filterset(data, queryset=queryset)
        assert filtered.is_valid(), filtered.errors
        query = filtered.qs.query
        where, _params = query.get_compiler(connection=connection).compile(query.where)
        assert "IN (SELECT" in where, where
        assert "GREATEST" not in where.upper(), where
        assert "MAX(" not in where.upper(), where


def test_each_list_filters_by_the_update_time_it_shows():
    """A viewset computing its records' update time (ChangedAtMixin) and its filter set's
    `updated_since` name the same ChangedAt: another would select by other records' changes
    than the time the list orders by and shows."""
    for view in (PositionViewSet, ProgrammeViewSet, CertificationViewSet):
        updated_since = view.filterset_class.base_filters["updated_since"]
        assert updated_since.changed_at is view.changed_at, view


@pytest.mark.parametrize("seed", range(2))
def test_the_requirements_list_shows_the_update_time_its_poll_selects_by(seed):
    """The requirements list computes its update time by the join it makes for the ability's
    text (no ChangedAtMixin), its poll by REQUIREMENT_CHANGED: the two are the same time."""
    _random_writes(seed)
    assert Requirement.objects.exists()
    shown = dict(requirement_list().values_list("pk", "last_changed"))
    assert shown == _times(REQUIREMENT_CHANGED)
