"""Observed on PostgreSQL: a framework file refused with a message quoting what it wrote (a
Moodle header holding a NUL, a CASE object giving a key twice, the key a NUL or half of a
UTF-16 pair) could not have its report stored (a `jsonb` column refuses U+0000 and a lone
surrogate): the job's task crashed on the DataError and the job stayed *running*, its worker
retried until its lease ran out, and the integrator never learnt what was wrong. The report
is stored with such characters written out (`\\0`, `\\ud800`), on every database alike."""

import json

import pytest

from positions.models import ImportJob, ImportStatus
from positions.tasks import import_job_run

pytestmark = pytest.mark.django_db

CASE_KEY_TWICE = '{{"CFDocument": {{"identifier": "a", "title": "T", "{key}": 1, "{key}": 2}}}}'


@pytest.mark.parametrize(
    ("format", "content", "shown"),
    [
        ("moodle", b"\x00", "\\0"),
        ("moodle", b"a,a\x00b,c\n", "a\\0b"),
        ("case", CASE_KEY_TWICE.format(key="k\\u0000").encode(), "k\\0"),
        ("case", CASE_KEY_TWICE.format(key="k\\ud800").encode(), "k\\ud800"),
    ],
    ids=["moodle-nul-header", "moodle-nul-in-a-column", "case-nul-key", "case-surrogate-key"],
)
def test_a_refusal_quoting_a_nul_or_a_lone_surrogate_is_stored_with_the_job(
    tmp_path, format, content, shown
):
    path = tmp_path / ("framework.json" if format == "case" else "framework.csv")
    path.write_bytes(content)
    job = ImportJob.objects.create(format=format, path=str(path), source_name=path.name)

    result = import_job_run.apply(args=[job.pk])

    assert result.successful(), result.traceback
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    message = job.report["error"]["message"]
    assert shown in message
    stored = json.dumps(job.report, ensure_ascii=False)
    assert "\x00" not in stored
    assert not any("\ud800" <= character <= "\udfff" for character in stored)
