"""A recompute asked for while the task queue (the Celery broker) is down.

The door asked the broker itself, in a copy of core.queue's question without its timeout. It now
asks core.queue.ensure_queue_reachable, and answers as it documented: 503, the report left as it
was for the sweep (suggestions/tests/test_queue_down.py for the suggestion job).
"""

import logging

import pytest

from conftest import queue_warnings
from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable
from curricula.coverage.services import CoverageQueueUnavailable, coverage_request_recompute
from curricula.models import ProgrammeCoverage
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_recompute_asked_for_with_the_queue_down_is_503_and_leaves_the_report(
    staff_client, broker_down, caplog
):
    programme = ProgrammeFactory()
    before = ProgrammeCoverage.objects.filter(programme=programme).values_list(
        "state", "stale_since"
    )
    before = list(before)
    with caplog.at_level(logging.WARNING):
        response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "sweep" in response.json()["detail"]
    state = ProgrammeCoverage.objects.filter(programme=programme).values_list(
        "state", "stale_since"
    )
    assert list(state) == before
    (warning,) = queue_warnings(caplog)
    assert f"coverage recompute of programme {programme.pk}" in warning


def test_the_refusal_is_the_queue_being_unavailable(broker_down):
    """What core's API handler answers 503, should a door not catch its own."""
    with pytest.raises(QueueUnavailable) as refused:
        coverage_request_recompute(programme=ProgrammeFactory())
    assert isinstance(refused.value, CoverageQueueUnavailable)


def test_the_log_line_names_no_credentials_of_the_broker(broker_down, monkeypatch, caplog):
    """Some transports quote the broker's URL in their error (amqp: "Couldn't connect to
    amqp://user:password@host"): the log line keeps the host, not the password."""
    from celery import current_app

    def unreachable():
        raise OSError("could not connect to amqp://worker:s3cr3t@mq.example.edu:5672//")

    monkeypatch.setattr(current_app, "connection_for_write", unreachable)
    caplog.set_level(logging.WARNING, logger="core.queue")
    with pytest.raises(QueueUnavailable):
        coverage_request_recompute(programme=ProgrammeFactory())
    (warning,) = queue_warnings(caplog)
    assert "s3cr3t" not in warning
    assert "mq.example.edu" in warning


def test_the_refusal_is_logged_as_one_warning_line_and_no_error(staff_client, broker_down, caplog):
    """README: every 503 of the task queue is one WARNING line (logger core.queue). Observed on
    the production configuration with the broker unreachable: each refusal also logged an ERROR
    line of Django's request log (`Service Unavailable: /api/v1/programs/1/recompute/`), which
    mails the admins where ADMINS is set, for an outage the health check already reports."""
    programme = ProgrammeFactory()
    with caplog.at_level(logging.WARNING):
        response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert response.status_code == 503
    logged = [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == [("core.queue", "WARNING")]
