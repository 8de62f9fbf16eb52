"""Taking over the claim of a job that has ended (core.jobs.claim_take): of two requests doing
so at the same instant, one starts a job and the other joins it, on the process's own cache and
on Redis alike. The interleaving is made, not raced: the second request runs whole while the
first is reading the ended job's state, so both have seen it ended before either writes."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from conftest import skip_or_fail
from core.jobs import (
    claim_take,
    task_askers,
    task_claim,
    task_joiner_record,
    task_starter_record,
)

OPERATION = "tests.claim"


def _redis_caches() -> dict:
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is unreachable at {url}: {error}")
    return {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.services)])
def shared_cache(request):
    """The embedded default (a cache in the process), then Redis as production shares it."""
    if request.param == "locmem":
        yield
        return
    # Not cleared: the keys are the test's own (a fresh scope), the database may be shared.
    with override_settings(CACHES=_redis_caches()):
        yield


def _take(scope: dict, claimant: str, still_going) -> dict | None:
    return claim_take(operation=OPERATION, scope=scope, claimant=claimant, still_going=still_going)[
        1
    ]


def test_two_taking_over_an_ended_claim_at_once_start_one_job(shared_cache):
    """Observed: both requests read the ended job's claim, both wrote their own over it, and
    both started a job (core.jobs said so: "Two doing so at the same instant may both start
    one"). Now the first to take it over starts one and the other joins it."""
    scope = {"run": str(uuid.uuid4())}
    ended = str(uuid.uuid4())
    assert _take(scope, ended, lambda held: True) is None  # a job, now over
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    answers = {}

    def first_reads_state(held):
        if held["task_id"] == ended and second not in answers:
            # While the first request reads the ended job's state, the second runs whole.
            answers[second] = _take(scope, second, lambda held: held["task_id"] != ended)
        return held["task_id"] != ended

    answers[first] = _take(scope, first, first_reads_state)

    started = [claimant for claimant, joined in answers.items() if joined is None]
    assert started == [second]
    assert answers[first]["task_id"] == second
    assert task_claim(operation=OPERATION, scope=scope) == second


def test_the_one_that_lost_the_takeover_joins_before_the_winner_has_written_its_claim(
    shared_cache, monkeypatch
):
    """Between winning the takeover and writing the claim the winner holds it already: a
    request reading the old claim then joins the winner's job, it does not start one."""
    scope = {"run": str(uuid.uuid4())}
    ended = str(uuid.uuid4())
    assert _take(scope, ended, lambda held: True) is None
    winner, loser = str(uuid.uuid4()), str(uuid.uuid4())
    answers = {}
    backend = caches["default"]  # this test's cache itself, not the proxy to it
    real_set = backend.set

    def set_after_the_loser(key, value, *args, **kwargs):
        # The winner is about to write its claim: the loser runs whole first.
        if isinstance(value, dict) and value.get("task_id") == winner and loser not in answers:
            answers[loser] = _take(scope, loser, lambda held: held["task_id"] != ended)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(backend, "set", set_after_the_loser)
    answers[winner] = _take(scope, winner, lambda held: held["task_id"] != ended)

    assert answers[winner] is None
    assert answers[loser]["task_id"] == winner
    assert task_claim(operation=OPERATION, scope=scope) == winner


def test_an_ended_claim_is_still_taken_over_and_a_going_one_joined(shared_cache):
    scope = {"run": str(uuid.uuid4())}
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    assert _take(scope, first, lambda held: True) is None
    assert _take(scope, second, lambda held: True)["task_id"] == first
    assert _take(scope, second, lambda held: False) is None
    assert task_claim(operation=OPERATION, scope=scope) == second
    assert _take(scope, third, lambda held: True)["task_id"] == second


def test_a_job_ending_as_another_takes_over_its_claim_leaves_the_new_claim(
    shared_cache, monkeypatch
):
    """Observed in reading task_claim_release: it read the claim as its task's, then deleted
    the key; a request taking the ended claim over in between lost its claim to that delete,
    and the next request started a second job beside its one. The end now lets go of the
    claim only if no one has taken it over, by the same takeover key."""
    from core.jobs import _claim_of_key, task_claim_release

    scope = {"run": str(uuid.uuid4())}
    ended = str(uuid.uuid4())
    key, held = claim_take(
        operation=OPERATION, scope=scope, claimant=ended, still_going=lambda held: True
    )
    assert held is None
    caches["default"].set(_claim_of_key(ended), key, 60)  # as task_start records it
    successor = str(uuid.uuid4())
    backend = caches["default"]
    real_get = backend.get
    taken = {}

    def get_then_take_over(cache_key, *args, **kwargs):
        value = real_get(cache_key, *args, **kwargs)
        if cache_key == key and "answer" not in taken:
            # The ending task has read its claim: a request takes it over now.
            taken["answer"] = "running"
            taken["answer"] = _take(scope, successor, lambda held: held["task_id"] != ended)
        return value

    monkeypatch.setattr(backend, "get", get_then_take_over)
    task_claim_release(task_id=ended, state="SUCCESS")
    monkeypatch.undo()

    assert taken == {"answer": None}  # it took the claim over
    assert task_claim(operation=OPERATION, scope=scope) == successor
    # And a job ending with nobody taking over still lets go of its claim.
    caches["default"].set(_claim_of_key(successor), key, 60)
    task_claim_release(task_id=successor, state="SUCCESS")
    assert task_claim(operation=OPERATION, scope=scope) is None


@pytest.mark.django_db
def test_who_joined_a_job_is_recorded_in_the_order_they_did(shared_cache, django_user_model):
    """Each joiner takes a number from one counter (incr, atomic on Redis as in a process's
    cache), so that two joining at once are both recorded; the starter is first, once."""
    starter, first, second = (
        django_user_model.objects.create_user(username=name, is_staff=True)
        for name in ("starter", "first", "second")
    )
    task_id = str(uuid.uuid4())
    task_starter_record(task_id=task_id, user=starter, permissions=[])
    for user in (first, starter, second, first):
        task_joiner_record(task_id=task_id, user=user)

    assert task_askers(task_id=task_id) == [starter.pk, first.pk, second.pk]
