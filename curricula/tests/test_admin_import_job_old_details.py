"""The admin's page of a course catalogue job rebuilds what it did to a programme from the
job's stored details (CourseCatalogueImport's own counts). Jobs written before a count was
added, or whose details hold a count of another shape, are still shown, never a 500: a count
it cannot read is left out of what the page says."""

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def _page(admin_client, details: dict, **report):
    job = ImportJob.objects.create(
        format=ImportFormat.COURSES,
        path="/nowhere.csv",
        status=ImportStatus.SUCCEEDED,
        report={"counts": {"course": {"created": 2}}, "details": details, **report},
    )
    return admin_client.get(reverse("admin:curricula_course_import_job", args=[job.pk]))


def test_a_job_from_before_the_terms_were_counted_says_what_it_added(admin_client):
    programme = ProgrammeFactory(name="Big data")
    response = _page(admin_client, {"programme": programme.pk, "programme_added": 2})
    assert response.status_code == 200
    assert "2 courses added to the programme “Big data”" in response.content.decode()


@pytest.mark.parametrize(
    "details",
    [
        {"programme_added": None, "programme_already": None, "programme_terms_set": None},
        {"programme_added": "2", "programme_already": "x", "programme_terms_set": [1]},
        {"programme_added": 2, "an_unknown_count": 3, "dry_run": True},
    ],
)
def test_a_job_whose_counts_are_of_another_shape_is_still_shown(admin_client, details):
    programme = ProgrammeFactory(name="Big data")
    response = _page(admin_client, {"programme": programme.pk, **details})
    assert response.status_code == 200


@pytest.mark.parametrize("programme", ["not an id", [1], {"id": 1}, -1])
def test_a_job_naming_its_programme_in_another_shape_is_still_shown(admin_client, programme):
    response = _page(admin_client, {"programme": programme, "programme_added": 1})
    assert response.status_code == 200


@pytest.mark.parametrize("details", [None, [], "old"])
def test_a_job_with_no_details_or_details_of_another_shape_is_still_shown(admin_client, details):
    response = _page(admin_client, details)
    assert response.status_code == 200
