"""Relations of an ability to itself, which CASE imports brought in before they were left
out, are deleted by migration positions 0048 (recorded in the history as deleted), so that
0049's constraint can refuse them; the other relations stay. Migrated from the state before
it, as an upgrade runs it."""

import pytest

from conftest import migrated_to

BEFORE = [("positions", "0047_framework_ability_language_names_as_tags")]
AFTER = [("positions", "0049_relation_not_to_itself")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_relations_of_an_ability_to_itself_are_deleted_and_recorded(older_release):
    framework = older_release.get_model("positions", "Framework").objects.create(
        name="Upgrade", provenance="import"
    )
    ability = older_release.get_model("positions", "Ability")
    first, second = (
        ability.objects.create(framework=framework, text=text, provenance="import")
        for text in ("First", "Second")
    )
    relation = older_release.get_model("positions", "AbilityRelation")
    to_itself = relation.objects.create(
        source=first,
        target=first,
        relation_type="isRelatedTo",
        provenance="import",
        framework=framework,
    )
    kept = relation.objects.create(
        source=first,
        target=second,
        relation_type="isRelatedTo",
        provenance="import",
        framework=framework,
    )
    outside = relation.objects.create(
        source=first,
        target_uri="https://example.org/x",
        relation_type="exactMatchOf",
        provenance="import",
        framework=framework,
    )

    after = migrated_to(AFTER)

    relations = after.get_model("positions", "AbilityRelation").objects
    assert set(relations.values_list("pk", flat=True)) == {kept.pk, outside.pk}
    history = after.get_model("positions", "HistoricalAbilityRelation").objects
    deleted = history.get(id=to_itself.pk, history_type="-")
    assert deleted.source_id == deleted.target_id == first.pk
