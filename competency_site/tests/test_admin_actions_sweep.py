"""Every action of every admin list, run on one of its records, answers: never a 500.

Observed: the login attempts' "Clean up expired attempts" (django-axes' own action) answered a
500, having never been run by a test. Each action is posted as a superuser would from the list
(the paper's data, one login attempt), and whatever page it leads to must render.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from curricula.models import Course, Programme, ProgrammeCoverage, SuggestionScope
from positions.models import Ability, AbilityRelation, ImportJob, RelationType
from suggestions.tests.factories import SuggestionFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_each_action_of_the_list_answers(model, paper, admin_client, admin_user):
    _a_record_of_each_kind_the_paper_lacks(admin_user)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user
    actions = list(model_admin.get_actions(request))
    first = model_admin.get_queryset(request).order_by("pk").first()
    assert first is not None, f"{model._meta.label}: give the sweep a record of it"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for action in actions:
        answer = admin_client.post(
            url, {"action": action, "_selected_action": [first.pk]}, follow=True
        )
        assert answer.status_code == 200, (action, answer.status_code)


def _a_record_of_each_kind_the_paper_lacks(user) -> None:
    client = {"user_agent": "curl", "ip_address": "10.0.0.1", "username": "someone"}
    AccessAttempt.objects.create(
        **client, http_accept="*/*", path_info="/login/", get_data="", post_data="",
        failures_since_start=1,
    )  # fmt: skip
    AccessFailureLog.objects.create(**client, http_accept="*/*", path_info="/login/")
    Group.objects.create(name="curriculum designers")
    Token.objects.create(user=user)
    course, programme = Course.objects.order_by("pk").first(), Programme.objects.first()
    ProgrammeCoverage.objects.get_or_create(programme=programme)
    abilities = Ability.objects.order_by("pk")[:2]
    SuggestionFactory(course=course, ability=abilities[0])
    SuggestionScope.objects.create(course=course, generated_at=timezone.now())
    AbilityRelation.objects.create(
        source=abilities[0], target=abilities[1], relation_type=RelationType.IS_RELATED_TO
    )
    ImportJob.objects.create(format="case", path="/srv/import/framework.json")
