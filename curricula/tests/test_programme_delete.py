"""DELETE /api/v1/programs/{id}/: as every other delete of the API (the model's delete permission
and those of what goes with it, If-Match, the history), and what goes with a programme: its
places for courses and target positions and its coverage report, nothing else."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from core.tests import openapi
from curricula.models import (
    Course,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Position
from positions.tests.factories import PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Two programmes sharing a course and a target position, their coverage computed."""
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(code="SHARED1")
        position = PositionFactory(name="Analyst")
        requirement = RequirementFactory(position=position, min_level=level("M"))
        CourseAbilityFactory(course=course, ability=requirement.ability, level=level("M"))
        doomed = ProgrammeFactory(name="Doomed", courses=[course], targets=[position])
        kept = ProgrammeFactory(name="Kept", courses=[course], targets=[position])
    return {"course": course, "position": position, "doomed": doomed, "kept": kept}


def _client_with(django_user_model, *codenames, username="editor"):
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="curricula", codename__in=codenames)
    )
    client = APIClient()
    client.force_authenticate(user)
    return client, user


def test_staff_delete_a_programme_with_its_places_and_report_and_nothing_else(
    world, staff_client, staff_user, django_capture_on_commit_callbacks
):
    doomed, kept = world["doomed"], world["kept"]
    assert ProgrammeCoverage.objects.get(programme=kept).state == CoverageState.FRESH

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.delete(f"/api/v1/programs/{doomed.pk}/")

    assert response.status_code == 204, response.content
    assert staff_client.get(f"/api/v1/programs/{doomed.pk}/").status_code == 404
    assert not Programme.objects.filter(pk=doomed.pk).exists()
    assert not ProgrammeCourse.objects.filter(programme_id=doomed.pk).exists()
    assert not ProgrammeTarget.objects.filter(programme_id=doomed.pk).exists()
    # Its report goes with it (and is not made again by the cascade's signals); the other
    # programme's, which reads nothing of it, stays as it was.
    assert not ProgrammeCoverage.objects.filter(programme_id=doomed.pk).exists()
    assert ProgrammeCoverage.objects.get(programme=kept).state == CoverageState.FRESH
    assert Course.objects.filter(pk=world["course"].pk).exists()
    assert Position.objects.filter(pk=world["position"].pk).exists()
    assert ProgrammeCourse.objects.filter(programme=kept).count() == 1
    # The history names who deleted it, and its places with it.
    (record,) = Programme.history.filter(id=doomed.pk, history_type="-")
    assert record.history_user == staff_user
    assert ProgrammeCourse.history.filter(programme_id=doomed.pk, history_type="-").count() == 1
    listed = staff_client.get(f"/api/v1/history/?model=programme&object_id={doomed.pk}").json()
    assert listed["results"][0]["type"] == "deleted"


def test_a_programme_delete_honours_if_match(world, staff_client):
    url = f"/api/v1/programs/{world['doomed'].pk}/"
    etag = staff_client.get(url)["ETag"]
    assert staff_client.patch(url, {"description": "changed"}, format="json").status_code == 200

    stale = staff_client.delete(url, HTTP_IF_MATCH=etag)
    empty = staff_client.delete(url, HTTP_IF_MATCH="")

    assert stale.status_code == 412
    assert stale["ETag"] == staff_client.get(url)["ETag"]
    assert empty.status_code == 400
    assert Programme.objects.filter(pk=world["doomed"].pk).exists()
    assert staff_client.delete(url, HTTP_IF_MATCH=stale["ETag"]).status_code == 204


def test_deleting_a_programme_takes_the_delete_permissions_of_what_goes_with_it(
    world, django_user_model, api_client
):
    """As the admin asks (Django's get_deleted_objects) and as a course's or a position's
    delete does: its places for courses and targets are records with permissions of their own;
    its coverage report is computed, and goes with it."""
    url = f"/api/v1/programs/{world['doomed'].pk}/"
    alone, _user = _client_with(django_user_model, "delete_programme")

    anonymous = api_client.delete(url)
    refused = alone.delete(url)

    assert anonymous.status_code == 401
    assert refused.status_code == 403, refused.content
    detail = refused.json()["detail"]
    assert str(ProgrammeCourse._meta.verbose_name_plural) in detail
    assert str(ProgrammeTarget._meta.verbose_name_plural) in detail
    assert Programme.objects.filter(pk=world["doomed"].pk).exists()
    assert ProgrammeCourse.objects.filter(programme=world["doomed"]).exists()

    bare = ProgrammeFactory(name="Bare")
    assert alone.delete(f"/api/v1/programs/{bare.pk}/").status_code == 204
    allowed, _user = _client_with(
        django_user_model,
        "delete_programme",
        "delete_programmecourse",
        "delete_programmetarget",
        username="deleter",
    )
    assert allowed.delete(url).status_code == 204


def test_the_schema_documents_the_programme_delete():
    schema, _generator = openapi.generate()
    operation = schema["paths"]["/api/v1/programs/{id}/"]["delete"]
    assert {"204", "400", "401", "403", "404", "412"} <= set(operation["responses"])
    assert "If-Match" in {parameter["name"] for parameter in operation["parameters"]}
    assert {} not in operation.get("security", [])
