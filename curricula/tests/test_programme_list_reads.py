"""What the programmes list reads: a programme shows its coverage's state, time and percent, not
its report. Measured on the benchmark catalogue, a page of 300 programmes spent 1.6 s, most of it
decoding 300 whole coverage reports (and their summaries) that nothing on the page showed; 0.45 s
without them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import ProgrammeCoverage
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/programs/", "/api/v1/programs/{id}/"])
def test_the_programmes_api_reads_no_coverage_report(api_client, path):
    programme = ProgrammeFactory(courses=[CourseFactory()])
    ProgrammeCoverage.objects.update_or_create(
        programme=programme,
        defaults={"state": "fresh", "percent": 50.0, "report": {"big": "x" * 1000}},
    )
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(path.format(id=programme.pk))
    assert response.status_code == 200
    body = response.json()
    shown = body["results"][0] if "results" in body else body
    assert shown["coverage"]["percent"] == 50.0
    assert shown["coverage"]["state"] == "fresh"
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"curricula_programmecoverage"."report"' not in read
    assert '"curricula_programmecoverage"."summary"' not in read
