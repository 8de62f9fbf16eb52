"""Observed (sec2): a CASE import reads this site's course catalogue package (its document's
identifier is published) as courses and course-ability links, yet starting a CASE import takes
the permissions of a framework's records alone: staff allowed to import frameworks, and not to
add courses or links, added a course and its link by uploading the catalogue with one more
item. Reading a package as the catalogue now takes the permissions of what the catalogue writes
(courses, links, modules, training stages), held by whoever started the job; the command line,
naming no user, is not asked."""

import copy
import json
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from curricula.case import identifiers
from curricula.models import Course, CourseAbility
from curricula.tests.case_packages import published_package, written_package
from positions.importers import framework_import, import_permissions
from positions.models import ImportJob, ImportStatus

CATALOGUE_WRITES = [
    "add_course",
    "change_course",
    "add_courseability",
    "change_courseability",
    "add_module",
    "change_module",
    "add_trainingstage",
    "change_trainingstage",
]


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _catalogue_with_one_more_course(client) -> dict:
    """The site's catalogue as its CASE provider publishes it, with a course EXTRA1 added,
    linked to the ability the first link names."""
    package = published_package(client, identifiers.course_catalogue_identifier())
    item = copy.deepcopy(package["CFItems"][0])
    item.update(
        identifier=str(uuid.uuid4()),
        uri=f"https://elsewhere.example/{uuid.uuid4()}",
        humanCodingScheme="EXTRA1",
        fullStatement="A course added through a framework import",
    )
    package["CFItems"].append(item)
    link = copy.deepcopy(
        next(a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo")
    )
    link.update(
        identifier=str(uuid.uuid4()),
        uri=f"https://elsewhere.example/{uuid.uuid4()}",
        originNodeURI={"title": "EXTRA1", "identifier": item["identifier"], "uri": item["uri"]},
    )
    package["CFAssociations"].append(link)
    return package


def _importer(django_user_model, *codenames):
    user = django_user_model.objects.create_user(username="importer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(django_user_model.objects.get(pk=user.pk))
    return client


def _import(client, package: dict, django_capture_on_commit_callbacks) -> ImportJob:
    upload = SimpleUploadedFile("catalogue.json", json.dumps(package).encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/", {"file": upload, "format": "case"}, format="multipart"
        )
    assert response.status_code == 202, response.content
    return ImportJob.objects.get(pk=response.json()["id"])


def _case_permissions() -> list[str]:
    return [perm.split(".")[1] for perm in import_permissions("case")]


@pytest.mark.django_db
def test_staff_who_may_import_frameworks_only_cannot_add_courses_through_the_catalogue(
    paper, api_client, django_user_model, django_capture_on_commit_callbacks
):
    links = CourseAbility.objects.count()
    client = _importer(django_user_model, *_case_permissions(), "view_importjob")

    job = _import(
        client, _catalogue_with_one_more_course(api_client), django_capture_on_commit_callbacks
    )

    assert job.status == ImportStatus.FAILED
    assert "curricula.add_course" in str(job.report)
    assert not Course.objects.filter(code="EXTRA1").exists()
    assert CourseAbility.objects.count() == links


@pytest.mark.django_db
def test_staff_who_may_also_write_courses_and_links_import_the_catalogue(
    paper, api_client, django_user_model, django_capture_on_commit_callbacks
):
    client = _importer(django_user_model, *_case_permissions(), *CATALOGUE_WRITES)

    job = _import(
        client, _catalogue_with_one_more_course(api_client), django_capture_on_commit_callbacks
    )

    assert job.status == ImportStatus.SUCCEEDED, job.report
    course = Course.objects.get(code="EXTRA1")
    assert course.abilities.count() == 1


@pytest.mark.django_db
def test_the_command_line_imports_the_catalogue_naming_no_user(paper, api_client, tmp_path):
    package = _catalogue_with_one_more_course(api_client)

    report = framework_import(path=written_package(tmp_path, "c.json", package), format="case")

    assert report.ok, report.error
    assert Course.objects.filter(code="EXTRA1").exists()
