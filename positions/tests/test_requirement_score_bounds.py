"""A requirement's `importance_score` and `level_score` are a source's ratings on O*NET's scales
(README: IM 1-5, LV 0-7; the O*NET import already refuses a rating outside them): a value
outside is refused with a message naming the scale at every door (the API, the admin's form,
the model's full_clean the services run, and the table's check), and -0 is stored and answered
as 0.

Observed: the API took `{"importance_score": -3}` and `{"level_score": 99}`, and answered
`"level_score": "-0"` with `-0.0`."""

import math
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from positions.models import Requirement
from positions.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db

IMPORTANCE = "An importance score is from 1 to 5, as on O*NET's importance (IM) scale."
LEVEL = "A level score is from 0 to 7, as on O*NET's level (LV) scale."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("importance_score", -3, IMPORTANCE),
        ("importance_score", "0.99", IMPORTANCE),
        ("importance_score", "5.01", IMPORTANCE),
        ("importance_score", "-0", IMPORTANCE),
        ("level_score", "-0.5", LEVEL),
        ("level_score", 7.5, LEVEL),
        ("level_score", 99, LEVEL),
    ],
)
def test_the_api_refuses_a_score_off_its_scale(staff_client, field, value, message):
    requirement = RequirementFactory(importance_score="4.00", level_score="3.00")
    url = f"/api/v1/requirements/{requirement.pk}/"

    response = staff_client.patch(url, {field: value}, format="json")

    assert response.status_code == 400, response.content
    assert response.json() == {field: [message]}
    requirement.refresh_from_db()
    assert (requirement.importance_score, requirement.level_score) == (4, 3)


def test_the_api_takes_the_ends_of_the_scales_and_answers_minus_zero_as_zero(staff_client):
    requirement = RequirementFactory(importance_score=None, level_score=None)
    url = f"/api/v1/requirements/{requirement.pk}/"

    answer = staff_client.patch(url, {"importance_score": 5, "level_score": 7}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["importance_score"], answer.json()["level_score"]) == (5, 7)

    answer = staff_client.patch(url, {"importance_score": 1, "level_score": "-0"}, format="json")
    assert answer.status_code == 200, answer.content
    level = answer.json()["level_score"]
    assert level == 0
    assert math.copysign(1, level) == 1, "answered -0.0"
    assert b":-0" not in answer.content
    requirement.refresh_from_db()
    assert not requirement.level_score.is_signed()
    assert not staff_client.get(url).json()["level_score"] < 0
    assert math.copysign(1, staff_client.get(url).json()["level_score"]) == 1


def test_the_admin_form_refuses_a_score_off_its_scale(rf, admin_user):
    requirement = RequirementFactory()
    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site._registry[Requirement].get_form(request, requirement)
    data = {
        "position": requirement.position_id,
        "ability": requirement.ability_id,
        "importance": requirement.importance,
        "min_level": requirement.min_level_id,
        "order": 0,
        "importance_score": "6",
        "level_score": "-1",
    }
    form = form_class(data=data, instance=requirement)

    assert not form.is_valid()
    assert form.errors["importance_score"] == [IMPORTANCE]
    assert form.errors["level_score"] == [LEVEL]
    assert "__all__" not in form.errors


def test_full_clean_refuses_and_save_normalises_minus_zero():
    requirement = RequirementFactory.build(importance_score=Decimal("0"), level_score=8)
    with pytest.raises(ValidationError) as refused:
        requirement.full_clean(exclude=["position", "ability", "min_level"])
    assert refused.value.message_dict["importance_score"] == [IMPORTANCE]
    assert refused.value.message_dict["level_score"] == [LEVEL]

    saved = RequirementFactory(level_score=Decimal("-0.0"))
    assert not saved.level_score.is_signed()


@pytest.mark.parametrize(
    ("field", "value"),
    [("importance_score", 0), ("importance_score", 6), ("level_score", -1), ("level_score", 8)],
)
def test_the_table_refuses_a_score_off_its_scale(field, value):
    requirement = RequirementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.filter(pk=requirement.pk).update(**{field: value})
