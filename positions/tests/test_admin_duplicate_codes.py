"""A code or identifier a record shares with another is refused in words a staff member reads,
not by the database constraint's name."""

import pytest
from django.urls import reverse
from django.utils import translation

from positions.models import Ability, CompetencyArea, Position
from positions.tests.factories import AbilityFactory, FrameworkFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _ability_form(framework, **fields) -> dict:
    data = {
        "framework": framework.pk,
        "code": "",
        "text": "An ability",
        "order": 0,
        "extra": "{}",
        "initial-extra": "{}",
        "course_links-TOTAL_FORMS": 0,
        "course_links-INITIAL_FORMS": 0,
        "course_links-MIN_NUM_FORMS": 0,
        "course_links-MAX_NUM_FORMS": 1000,
    }
    data.update(fields)
    return data


def test_the_admin_refuses_an_ability_code_its_framework_has_in_words(admin_client):
    """Observed: adding an ability PS1 to a framework holding PS1 answered "Constraint
    “ability_unique_code_per_framework” is violated." (in Chinese, the same name)."""
    framework = FrameworkFactory()
    AbilityFactory(framework=framework, code="PS1")
    response = admin_client.post(
        reverse("admin:positions_ability_add"), _ability_form(framework, code="PS1", text="dup")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ability_unique_code_per_framework" not in page
    assert "This framework already has an ability with this code." in page
    assert Ability.objects.filter(framework=framework, code="PS1").count() == 1
    # Another framework may use the code.
    other = FrameworkFactory()
    response = admin_client.post(
        reverse("admin:positions_ability_add"), _ability_form(other, code="PS1")
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Ability(
                framework=AbilityFactory(external_id="X1").framework, text="t", external_id="X1"
            ),
            "This framework already has an ability with this external identifier.",
        ),
        (
            lambda: CompetencyArea(
                framework=CompetencyArea.objects.create(
                    framework=FrameworkFactory(), code="A1", name="A", external_id="X1"
                ).framework,
                code="A2",
                name="B",
                external_id="X1",
            ),
            "This framework already has a competency area with this external identifier.",
        ),
        (
            lambda: Position(
                name="Other", external_id=PositionFactory(external_id="X1").external_id
            ),
            "Another position has this external identifier.",
        ),
    ],
)
def test_a_shared_external_identifier_is_refused_in_words(make, message):
    """The other conditional unique constraints read the same way, in both languages."""
    from django.core.exceptions import ValidationError

    record = make()
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert message in str(refused.value)
    assert "is violated" not in str(refused.value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused_zh:
        record.full_clean()
    assert "_unique_" not in str(refused_zh.value)


@pytest.mark.parametrize(
    ("ends", "message"),
    [
        (
            {"target": None, "target_uri": ""},
            "A relation's target is an ability or a URI elsewhere: give one of them, not both.",
        ),
        (
            {"source": None, "source_uri": ""},
            "A relation's source is an ability or a URI elsewhere: give one of them, not both.",
        ),
        (
            {"source": None, "source_uri": "urn:a", "target": None, "target_uri": "urn:b"},
            "A relation joins at least one ability of this site.",
        ),
    ],
)
def test_a_relation_without_its_ends_is_refused_in_words(ends, message):
    """Observed likewise: a relation saved in the admin with a source ability and neither a
    target ability nor a target URI answered "Constraint “relation_target_xor_uri” is
    violated."."""
    from django.core.exceptions import ValidationError

    from positions.models import AbilityRelation

    source, target = AbilityFactory(), AbilityFactory()
    fields = {"source": source, "source_uri": "", "target": target, "target_uri": ""}
    fields.update(ends)
    relation = AbilityRelation(framework=source.framework, relation_type="isRelatedTo", **fields)
    with pytest.raises(ValidationError) as refused:
        relation.full_clean()
    assert message in str(refused.value)
    assert "is violated" not in str(refused.value)
