"""Asking the task queue before starting a job that only a worker will run.

Publishing to a broker that is down does not fail fast: the Redis result backend retries for
about 20 s, then raises from deep inside Celery. A door that starts a job (an import) asks the
broker first, with one quick retry, and refuses with QueueUnavailable before writing anything:
an import, a recompute asked for by hand (curricula.coverage), a suggestion generation
(suggestions). Recomputes after an edit and suggestion refreshes do not ask: they publish without
waiting for a result, and a failure leaves the work to the beat sweep or a later edit. /health/
asks the broker with the same timeout.
"""

import logging

from celery import Celery

from core.exceptions import QueueUnavailable
from core.logs import without_credentials

logger = logging.getLogger(__name__)
# Seconds a door waits for the broker before calling it unreachable.
TIMEOUT_SECONDS = 2.0


def ensure_queue_reachable(*, app: Celery, what: str) -> None:
    """Raise QueueUnavailable unless `app`'s broker takes a connection now; nothing to ask when
    tasks run inline (no broker). `what` names the job in the log."""
    if app.conf.task_always_eager:
        return
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, timeout=TIMEOUT_SECONDS
            )
    except Exception as error:
        logger.warning(
            "Task queue unreachable; %s not started: %s", what, without_credentials(str(error))
        )
        raise QueueUnavailable(str(error)) from error
