"""A worker SIGKILLed in the middle of an import (issue #15: the redelivered task saw the job
"running" and returned, so the job stayed running at 0 % for ever): the job's lease expires, the
job shows as stuck, and the redelivered task takes it over and finishes it; nothing is written
twice.

Needs PostgreSQL, Redis and a Celery worker subprocess (the `services` marker), like the
killed-recompute test in test_faults.py, whose helpers it uses.
"""

import pytest
from django.db import connection

from competency_site.tests.test_faults import _start_worker, _stop
from conftest import skip_or_fail
from curricula.tests.test_coverage_worker import (  # noqa: F401  (redis_broker is a fixture)
    redis_broker,
    wait_for,
)
from positions.models import Ability, ImportJob, ImportStatus
from positions.services import import_job_create

ROWS = 5_000
HEADER = (
    '"Parent ID number","ID number","Short name","Description","Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross-referenced competency ID numbers","Exported ID (optional)",'
    '"Is framework","Taxonomy"'
)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_has_its_job_taken_over(
    redis_broker,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    if connection.vendor != "postgresql":
        skip_or_fail("the killed-worker test needs PostgreSQL (DATABASE_URL=postgres://...)")
    # The workers renew a 2 s lease; the dead one's expires 2 s after it died.
    monkeypatch.setenv("IMPORT_JOB_LEASE_SECONDS", "2")
    path = tmp_path / "big.csv"
    rows = [HEADER, ',FW,Framework,,1,,,,,,,,1,"domain,competency"']
    rows += [f"{f'c{i - 1}' if i else ''},c{i},C {i},Does {i},1,,,,0,null,,,," for i in range(ROWS)]
    path.write_text("\n".join(rows) + "\n")
    job = import_job_create(format="moodle", path=str(path))

    workers = []
    try:
        first_log = tmp_path / "first.log"
        first = _start_worker("first", redis_broker, first_log)
        workers.append(first)

        def running() -> bool:
            job.refresh_from_db()
            return job.status == ImportStatus.RUNNING

        wait_for(running, "the first worker to start the import")
        first.kill()  # SIGKILL: no warm shutdown, no acknowledgement, no final save
        first.wait(timeout=10)

        job.refresh_from_db()
        assert job.status == ImportStatus.RUNNING
        assert job.attempts == 1
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_stuck, "the lease to expire")

        # The next worker gets the unacknowledged message again and takes the job over.
        workers.append(_start_worker("second", redis_broker, tmp_path / "second.log"))

        def finished() -> bool:
            job.refresh_from_db()
            return job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

        wait_for(finished, "the redelivered task to finish the job")
        assert job.status == ImportStatus.SUCCEEDED, job.report
        assert job.attempts == 2
        assert job.progress == 100
        assert not job.is_stuck
        assert Ability.objects.count() == ROWS
    finally:
        for process in workers:
            _stop(process)
