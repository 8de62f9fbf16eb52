"""Under pytest-xdist, each worker process runs its Celery-worker tests on a Redis database of its
own (it flushes it, and a Celery worker it starts must not take another process's tasks)."""

from curricula.tests.test_coverage_worker import _this_workers_redis


def test_each_xdist_worker_gets_its_own_redis_database(monkeypatch):
    url = "redis://127.0.0.1:6379/15"
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert _this_workers_redis(url) == url
    seen = set()
    for number in range(4):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", f"gw{number}")
        seen.add(_this_workers_redis(url))
    assert seen == {f"redis://127.0.0.1:6379/{db}" for db in (15, 14, 13, 12)}
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    assert _this_workers_redis("redis://user:secret@redis.example:6380/3") == (
        "redis://user:secret@redis.example:6380/3"
    )
