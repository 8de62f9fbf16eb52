"""Observed (the suite on a busy machine): of two restores of one deleted link, the second read
it still deleted, and the first's row was written before the second validated its own. The
second was then told "Course-ability link with this ID already exists. Course-ability link with
this Course and Ability already exists." (the unique checks' words, which name no cause) rather
than what happened: the deleted link exists again."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core import history
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory
from positions.tests.factories import level

pytestmark = pytest.mark.django_db


def test_a_restore_whose_record_came_back_while_it_was_checked_says_it_exists_again(
    monkeypatch, admin_client
):
    link = CourseAbilityFactory(level=level("R"))
    fields = {"pk": link.pk, "course_id": link.course_id, "ability_id": link.ability_id}
    link.delete()
    deletion = CourseAbility.history.get(id=fields["pk"], history_type="-")
    checked = history._check_parents

    def checked_then_restored_by_another(obj, user):
        checked(obj, user)
        if not CourseAbility.objects.filter(pk=fields["pk"]).exists():
            CourseAbility.objects.bulk_create([CourseAbility(level=level("R"), **fields)])

    monkeypatch.setattr(history, "_check_parents", checked_then_restored_by_another)
    url = reverse("admin:curricula_courseability_restore", args=[deletion.history_id])
    response = admin_client.post(url, {"reason": "Deleted by mistake"})

    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["The deleted object exists again."], messages
    # Nothing of this restore is written (the other writer's row, made inside this request's
    # transaction here, goes with it).
    kinds = CourseAbility.history.filter(id=fields["pk"]).values_list("history_type", flat=True)
    assert sorted(kinds) == ["+", "-"]
