"""Observed (an administrator, with another tab or an API client deleting): the records that keep
no provenance (a level, a suggestion and its scope, an import job, a programme's coverage row)
still saved a change of a record deleted meanwhile as Django does: its update found no row and
it was inserted again with its old id, a deletion silently undone (a level's history showing a
change, not a restore). Their change is an update only now, as every provenanced record's is
(core.models.UpdateOnlyModel): RecordDeletedMeanwhile, nothing written, told in words by the
admin. The tests live here, the one app allowed to read every app's factories."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import transaction
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from core.exceptions import RecordDeletedMeanwhile
from core.models import UpdateOnlyModel
from core.tests.admin_forms import change_form_data
from curricula.models import ProgrammeCoverage, SuggestionScope
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import ImportJob, Level
from suggestions.tests.factories import SuggestionFactory

PROJECT_APPS = {"positions", "certifications", "curricula", "suggestions", "audit", "core"}


def test_every_record_of_the_project_saves_a_change_as_an_update_only():
    """A model added later without the mechanism would undo deletions again."""
    models = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and not model._meta.label.split(".")[1].startswith("Historical")
        and not issubclass(model, UpdateOnlyModel)
    ]
    assert models == []


def _level():
    return Level.objects.create(code="X", name="Expert", rank=9)


def _suggestion():
    return SuggestionFactory()


def _scope():
    return SuggestionScope.objects.create(course=CourseFactory(), generated_at=timezone.now())


def _import_job():
    return ImportJob.objects.create(format="moodle", path="/tmp/c.csv")


def _coverage():
    programme = ProgrammeFactory()
    coverage, _created = ProgrammeCoverage.objects.get_or_create(programme=programme)
    return coverage


CHANGES = {
    "level": (_level, "name", "Expert II"),
    "suggestion": (_suggestion, "rank", 99),
    "suggestion scope": (
        _scope,
        "generated_at",
        timezone.now() - timedelta(days=1),
    ),
    "import job": (_import_job, "progress", 50),
    "coverage": (_coverage, "percent", 50.0),
}


@pytest.mark.django_db
@pytest.mark.parametrize("update_fields", [False, True])
@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_saving_a_record_deleted_meanwhile_writes_nothing_and_says_so(kind, update_fields):
    make, field, value = CHANGES[kind]
    record = make()
    model = type(record)
    model._base_manager.filter(pk=record.pk).delete()
    setattr(record, field, value)

    with pytest.raises(RecordDeletedMeanwhile, match="deleted meanwhile"), transaction.atomic():
        record.save(update_fields=[field] if update_fields else None)

    assert not model._base_manager.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_a_level_being_added_with_its_id_is_still_inserted():
    level = _level()
    data = {f.attname: getattr(level, f.attname) for f in Level._meta.concrete_fields}
    Level.objects.filter(pk=level.pk).delete()

    Level(**data).save()

    assert Level.objects.filter(pk=level.pk).exists()


@pytest.mark.django_db
def test_an_admin_change_of_a_level_deleted_meanwhile_is_told_and_not_brought_back(admin_client):
    """The deletion comes between the form's read of the level and its save (here in the same
    transaction: the row lock the change form takes keeps another's out)."""
    level = _level()
    url = reverse("admin:positions_level_change", args=[level.pk])
    data = change_form_data(admin_client.get(url))
    data["name"] = "Expert II"

    def deleted_meanwhile(instance, **kwargs):
        Level.objects.filter(pk=instance.pk).delete()

    pre_save.connect(deleted_meanwhile, sender=Level, weak=False)
    try:
        response = admin_client.post(url, data)
    finally:
        pre_save.disconnect(deleted_meanwhile, sender=Level)

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:positions_level_changelist")
    assert any("was deleted meanwhile" in text for text in texts), texts
    assert not any("successfully" in text for text in texts), texts
    # Nothing written: the deletion, made in the same transaction here, went back with it.
    assert Level.objects.get(pk=level.pk).name == "Expert"
    assert not Level.history.filter(id=level.pk, history_type="~").exists()
