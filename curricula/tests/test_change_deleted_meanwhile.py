"""Observed (an administrator, with an API client deleting): a course's change form (with its
link inlines) saved while the course was deleted meanwhile updated no row, and Django's save
then inserted the course again with its old id: a deleted record silently back, its history
showing a change, not a restore. A change of a record deleted meanwhile now writes nothing and
says so (the admin in words, the API a 409); the record's row is locked while its change form
is saved, so a deletion meanwhile waits for the change, then deletes the course. Bringing a
deleted record back stays the Restore action's (and a revert's, for who may restore)."""

from threading import Thread

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections, transaction
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from conftest import skip_or_fail
from core.exceptions import RecordDeletedMeanwhile
from core.tests.admin_forms import change_form_data
from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, level


@pytest.mark.django_db
@pytest.mark.parametrize("update_fields", [None, ["title"]])
def test_saving_a_record_deleted_meanwhile_writes_nothing_and_says_so(update_fields):
    course = CourseFactory(title="Databases")
    Course.objects.filter(pk=course.pk).delete()
    course.title = "Databases II"

    with pytest.raises(RecordDeletedMeanwhile, match="deleted meanwhile"), transaction.atomic():
        course.save(update_fields=update_fields)

    assert not Course.objects.exists()
    assert not Course.history.filter(id=course.pk, history_type="~").exists()


@pytest.mark.django_db
def test_a_record_being_added_with_its_id_is_still_inserted():
    course = CourseFactory()
    data = {f.attname: getattr(course, f.attname) for f in Course._meta.concrete_fields}
    Course.objects.filter(pk=course.pk).delete()

    Course(**data).save()

    assert Course.objects.filter(pk=course.pk).exists()


def _change_form(client: Client, course: Course) -> tuple[str, dict]:
    url = reverse("admin:curricula_course_change", args=[course.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Databases II"
    return url, data


@pytest.mark.django_db
def test_an_admin_change_of_a_course_deleted_meanwhile_is_told_and_not_brought_back(
    admin_client,
):
    """The deletion comes between the form's read of the course and its save (here in the
    same transaction: the row lock keeps another's out, see below)."""
    course = CourseFactory(title="Databases")
    CourseAbilityFactory(course=course, ability=AbilityFactory(), level=level("R"))
    url, data = _change_form(admin_client, course)

    def deleted_meanwhile(instance, **kwargs):
        Course.objects.filter(pk=instance.pk).delete()

    pre_save.connect(deleted_meanwhile, sender=Course, weak=False)
    try:
        response = admin_client.post(url, data)
    finally:
        pre_save.disconnect(deleted_meanwhile, sender=Course)

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:curricula_course_changelist")
    assert any("was deleted meanwhile" in text for text in texts), texts
    assert not any("successfully" in text for text in texts), texts
    # Nothing written: the deletion, made in the same transaction here, went back with it.
    assert Course.objects.get().title == "Databases"
    assert not Course.history.filter(history_type="~").exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_course_deleted_by_another_while_its_change_form_is_saved_stays_deleted(admin_user):
    """Another connection deletes the course while the form saves it: the deletion waits for
    the change (the course's row is locked), then deletes it, with the links the form kept."""
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    course = CourseFactory(title="Databases")
    CourseAbilityFactory(course=course, ability=AbilityFactory(), level=level("R"))
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    url, data = _change_form(client, course)
    deleter = Thread(target=_course_delete, args=[course.pk])

    def deleted_meanwhile(instance, **kwargs):
        if not deleter.is_alive() and deleter.ident is None:
            deleter.start()
            deleter.join(timeout=2)  # it waits for this change's commit

    pre_save.connect(deleted_meanwhile, sender=Course, weak=False)
    try:
        response = client.post(url, data)
    finally:
        pre_save.disconnect(deleted_meanwhile, sender=Course)
        deleter.join(timeout=10)

    assert response.status_code == 302
    assert not Course.objects.exists()
    assert not CourseAbility.objects.exists()
    assert list(
        Course.history.filter(id=course.pk)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    ) == ["+", "~", "-"]


def _course_delete(course_id: int) -> None:
    try:
        Course.objects.filter(pk=course_id).first().delete()
    finally:
        connections.close_all()
