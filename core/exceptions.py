"""Errors services raise that are not about bad input: the API answers them with 409 or 503."""

# Seconds a client answered 503 (the database or the task queue out of reach) is asked to wait
# before trying again (Retry-After): about as long as a restart of PostgreSQL or Redis takes.
RETRY_AFTER_SECONDS = 30


class ServiceConflict(Exception):
    """The request cannot be carried out as things stand (e.g. undoing a change to an object
    deleted since)."""


class QueueUnavailable(Exception):
    """The task queue (the Celery broker) cannot take a job now, so nothing was started: the API
    answers 503. Raised before anything is written (core.queue.ensure_queue_reachable)."""


class DeletionConflict(ServiceConflict):
    """A deletion the database refused because a record was added meanwhile to one of the
    records it deletes (core.services.deleting): nothing was deleted."""


class RecordDeletedMeanwhile(ServiceConflict):
    """A change of a record deleted after it was read (core.models.UpdateOnlyModel.save, which
    every model of the project's has): nothing was written, the record was not brought back
    (that is a restore's)."""
