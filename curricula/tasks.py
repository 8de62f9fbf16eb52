"""Celery tasks of the curricula app: recomputing coverage reports.

A task takes ids, re-reads everything through the coverage service, and owns its retries. It is
idempotent: a programme already fresh is skipped (unless forced), and unchanged inputs (the
fingerprint) rebuild nothing.
"""

from __future__ import annotations

from celery import shared_task

from core.task_retries import retry_when_database_unavailable
from curricula.coverage.selectors import coverage_stale_programme_ids
from curricula.coverage.services import coverage_dispatch, coverage_recompute, coverage_sweep

# Report progress about twenty times per run, not once per programme.
_PROGRESS_STEPS = 20

_RECOMPUTE_OPTIONS = {
    "bind": True,
    # Redelivered if the worker dies mid-run: the recompute is safe to repeat.
    "acks_late": True,
    # Retried only while the database is out of reach (retry_when_database_unavailable), with:
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
    # ~0.5 s for 300 programmes is the target; minutes mean something is wrong, not slow.
    "soft_time_limit": 300,
    "time_limit": 360,
}


def _progress_reporter(task):
    def report(done: int, total: int) -> None:
        if done == total or done % max(1, total // _PROGRESS_STEPS) == 0:
            task.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return report


@shared_task(name="curricula.recompute_coverage", **_RECOMPUTE_OPTIONS)
@retry_when_database_unavailable
def recompute_coverage(
    self, programme_ids: list[int] | None = None, force: bool = False
) -> dict[str, list[int]]:
    """Recompute the coverage of the programmes (all when None); see coverage_recompute.

    One a user asked for (coverage_request_recompute) is not asked again, when it begins to
    run, whether its starter still may ask for it (core.jobs.task_starter_check), as a job that
    writes people's content is: it rebuilds derived data from what is stored, the report any
    edit's or the sweep's recompute would write, and attributes it to no one. Refused, it left
    the report as its door had marked it, stale, for the sweep to rebuild all the same (or
    never, where no beat runs)."""
    result = coverage_recompute(
        programme_ids=programme_ids, force=force, on_progress=_progress_reporter(self)
    )
    return result.as_dict()


@shared_task(name="curricula.sweep_stale_coverage", **_RECOMPUTE_OPTIONS)
@retry_when_database_unavailable
def sweep_stale_coverage(self) -> dict[str, list[int]]:
    """Periodic (Celery beat): recompute the programmes left stale, e.g. while the broker was
    down. With a broker it only enqueues them, in batches (`coverage_batches`), so that every
    worker process shares the sweep; inline it recomputes them itself."""
    if self.app.conf.task_always_eager:
        return coverage_sweep().as_dict()
    ids = coverage_stale_programme_ids()
    coverage_dispatch(programme_ids=ids)
    return {"enqueued": ids}
