"""Crosswalk links corrected and removed through /api/v1/ability-relations/{id}/: PUT and PATCH
(their ends, type, framework and notes, checked as a create checks them) and DELETE, with
If-Match, the model permissions and the history, as every other writable resource has them.
What they do to coverage is in curricula/tests/test_crosswalk_coverage.py."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from core.models import Provenance
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

STALE = '"0123456789abcdef0123456789abcdef"'


@pytest.fixture
def ends():
    cbe, esco = FrameworkFactory(name="CBE"), FrameworkFactory(name="ESCO")
    return {
        "required": AbilityFactory(framework=cbe, code="CBE.7"),
        "other": AbilityFactory(framework=esco, code="S1.2"),
        "third": AbilityFactory(framework=esco, code="S1.3"),
    }


@pytest.fixture
def relation(staff_client, ends):
    """A crosswalk link as an integrator makes one: through the API."""
    response = staff_client.post(
        "/api/v1/ability-relations/",
        {
            "source": ends["required"].pk,
            "target": ends["other"].pk,
            "relation_type": "exactMatchOf",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return AbilityRelation.objects.get(pk=response.json()["id"])


def _url(relation: AbilityRelation) -> str:
    return f"/api/v1/ability-relations/{relation.pk}/"


def _client_with(django_user_model, *codenames: str) -> APIClient:
    user = django_user_model.objects.create_user(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="positions", codename__in=codenames)
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_crosswalk_link_pushed_through_the_api_can_be_deleted_through_it(staff_client, relation):
    """Observed: DELETE /api/v1/ability-relations/26/ was a 405 (Allow: GET, HEAD, OPTIONS), and
    the schema offered no PUT, PATCH or DELETE: an integrator who pushed a wrong exactMatchOf
    could not undo it, where every other writable resource can be corrected and deleted."""
    response = staff_client.delete(_url(relation))

    assert response.status_code == 204, response.content
    assert not AbilityRelation.objects.filter(pk=relation.pk).exists()
    assert staff_client.get(_url(relation)).status_code == 404


def test_patch_changes_the_type_and_notes_and_answers_the_etag_get_answers(staff_client, relation):
    response = staff_client.patch(
        _url(relation),
        {"relation_type": "isRelatedTo", "notes": "Close, not the same."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["relation_type"], response.json()["notes"]) == (
        "isRelatedTo",
        "Close, not the same.",
    )
    relation.refresh_from_db()
    assert (relation.relation_type, relation.notes) == ("isRelatedTo", "Close, not the same.")
    assert response["ETag"] == staff_client.get(_url(relation))["ETag"]


def test_a_relation_read_with_get_can_be_sent_back_changed_with_put(staff_client, relation, ends):
    body = staff_client.get(_url(relation)).json()
    body["target"] = ends["third"].pk

    response = staff_client.put(_url(relation), body, format="json")

    assert response.status_code == 200, response.content
    relation.refresh_from_db()
    assert (relation.source_id, relation.target_id) == (ends["required"].pk, ends["third"].pk)
    assert relation.identifier == AbilityRelation.objects.get(pk=relation.pk).identifier


def test_an_imported_relation_edited_through_the_api_becomes_a_staff_edit(staff_client, ends):
    """As a link or a requirement edited through the API does (core.services.model_update): the
    next import of its package reports it edited and leaves it as staff made it."""
    imported = AbilityRelation.objects.create(
        source=ends["required"],
        target=ends["other"],
        relation_type=RelationType.EXACT_MATCH_OF,
        provenance=Provenance.IMPORT,
        source_ref="cbe-case.json",
    )

    response = staff_client.patch(_url(imported), {"relation_type": "isRelatedTo"}, format="json")

    assert response.status_code == 200, response.content
    imported.refresh_from_db()
    assert (imported.provenance, imported.source_ref) == (Provenance.EDIT, "cbe-case.json")


def test_a_patch_changing_nothing_leaves_an_imported_relation_as_it_came(staff_client, ends):
    imported = AbilityRelation.objects.create(
        source=ends["required"],
        target=ends["other"],
        relation_type=RelationType.EXACT_MATCH_OF,
        provenance=Provenance.IMPORT,
    )

    response = staff_client.patch(_url(imported), {"relation_type": "exactMatchOf"}, format="json")

    assert response.status_code == 200, response.content
    imported.refresh_from_db()
    assert imported.provenance == Provenance.IMPORT
    assert imported.history.count() == 1


def test_a_relation_moved_onto_its_own_source_is_a_400_on_target(staff_client, relation, ends):
    response = staff_client.patch(_url(relation), {"target": ends["required"].pk}, format="json")

    assert response.status_code == 400, response.content
    assert "target" in response.json()
    relation.refresh_from_db()
    assert relation.target_id == ends["other"].pk


def test_a_relation_changed_into_one_already_there_is_a_400(staff_client, relation, ends):
    AbilityRelation.objects.create(
        source=ends["required"], target=ends["other"], relation_type=RelationType.IS_RELATED_TO
    )

    response = staff_client.patch(_url(relation), {"relation_type": "isRelatedTo"}, format="json")

    assert response.status_code == 400, response.content
    assert "already have this relation" in str(response.json())
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_the_notes_of_a_relation_a_package_brought_twice_can_still_be_edited(staff_client, ends):
    """The duplicate check runs when the ends or the type change, not on every edit: a package
    may list the same two abilities twice under two identifiers."""
    first, _second = (
        AbilityRelation.objects.create(
            source=ends["required"],
            target=ends["other"],
            relation_type=RelationType.EXACT_MATCH_OF,
            provenance=Provenance.IMPORT,
        )
        for _ in range(2)
    )

    response = staff_client.patch(_url(first), {"notes": "Listed twice."}, format="json")

    assert response.status_code == 200, response.content


def test_a_bad_relation_type_is_a_400_naming_the_field(staff_client, relation):
    response = staff_client.patch(_url(relation), {"relation_type": "isFriendOf"}, format="json")

    assert response.status_code == 400, response.content
    assert "relation_type" in response.json()
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_an_extension_without_its_extension_type_is_a_400_not_a_500(staff_client, relation):
    response = staff_client.patch(_url(relation), {"relation_type": "ext"}, format="json")

    assert response.status_code == 400, response.content
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_an_end_published_elsewhere_can_be_sent_back_as_read_but_not_changed(staff_client, ends):
    external = AbilityRelation.objects.create(
        source=ends["required"],
        target_uri="https://example.org/case/items/42",
        target_label="Run promotions online",
        relation_type=RelationType.EXACT_MATCH_OF,
        provenance=Provenance.IMPORT,
    )
    body = staff_client.get(_url(external)).json()
    assert body["target"] == "https://example.org/case/items/42"

    sent_back = staff_client.put(
        _url(external), {**body, "notes": "Checked by hand."}, format="json"
    )
    other_uri = staff_client.patch(
        _url(external), {"target": "https://example.org/case/items/43"}, format="json"
    )
    an_ability = staff_client.patch(_url(external), {"target": ends["third"].pk}, format="json")

    assert sent_back.status_code == 200, sent_back.content
    assert other_uri.status_code == 400, other_uri.content
    assert "target" in other_uri.json()
    assert an_ability.status_code == 400, an_ability.content
    assert "target" in an_ability.json()
    external.refresh_from_db()
    assert (external.target_id, external.target_uri, external.notes) == (
        None,
        "https://example.org/case/items/42",
        "Checked by hand.",
    )


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_stale_if_match_is_a_412_and_changes_nothing(staff_client, relation, method):
    body = {**staff_client.get(_url(relation)).json(), "relation_type": "isRelatedTo"}
    send = getattr(staff_client, method)

    response = send(
        _url(relation),
        *([] if method == "delete" else [body]),
        format="json",
        HTTP_IF_MATCH=STALE,
    )

    assert response.status_code == 412, response.content
    assert response["ETag"] == staff_client.get(_url(relation))["ETag"]
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_the_current_etag_in_if_match_lets_the_write_through(staff_client, relation):
    etag = staff_client.get(_url(relation))["ETag"]

    changed = staff_client.patch(
        _url(relation), {"notes": "Checked."}, format="json", HTTP_IF_MATCH=etag
    )
    deleted = staff_client.delete(_url(relation), HTTP_IF_MATCH=changed["ETag"])

    assert changed.status_code == 200, changed.content
    assert deleted.status_code == 204, deleted.content


def test_staff_without_the_change_permission_cannot_change_a_relation(django_user_model, relation):
    client = _client_with(django_user_model, "view_abilityrelation", "delete_abilityrelation")

    response = client.patch(_url(relation), {"relation_type": "isRelatedTo"}, format="json")

    assert response.status_code == 403, response.content
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_staff_without_the_delete_permission_cannot_delete_a_relation(django_user_model, relation):
    client = _client_with(django_user_model, "view_abilityrelation", "change_abilityrelation")

    response = client.delete(_url(relation))

    assert response.status_code == 403, response.content
    assert AbilityRelation.objects.filter(pk=relation.pk).exists()


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_anonymous_clients_cannot_change_or_delete_a_relation(api_client, relation, method):
    response = getattr(api_client, method)(
        _url(relation), {"relation_type": "isRelatedTo"}, format="json"
    )

    assert response.status_code in (401, 403), response.content
    relation.refresh_from_db()
    assert relation.relation_type == RelationType.EXACT_MATCH_OF


def test_an_edit_and_a_deletion_are_in_the_audit_trail(staff_client, relation):
    staff_client.patch(_url(relation), {"relation_type": "isRelatedTo"}, format="json")
    staff_client.delete(_url(relation))

    response = staff_client.get(
        "/api/v1/history/", {"model": "abilityrelation", "object_id": relation.pk}
    )

    assert response.status_code == 200, response.content
    deleted, changed, created = response.json()["results"]
    assert [deleted["type"], changed["type"], created["type"]] == [
        "deleted",
        "changed",
        "created",
    ]
    assert changed["user"] == deleted["user"] == "staff"
    changes = {c["field"]: (c["before"], c["after"]) for c in changed["changes"]}
    assert changes["relation_type"] == ("exactMatchOf", "isRelatedTo")
