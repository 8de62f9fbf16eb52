"""Who gets into the admin, and the position, ability and track pages."""

import pytest
from django.urls import reverse

from core.models import Provenance
from core.tests.admin_forms import change_form_data
from positions.models import Ability, Placement, Position, Requirement, Track
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["admin:index", "admin:positions_position_changelist"])
def test_anonymous_and_non_staff_users_are_sent_to_the_admin_login(client, plain_user, url_name):
    url = reverse(url_name)
    login = reverse("admin:login")

    anonymous = client.get(url)
    client.force_login(plain_user)
    non_staff = client.get(url)

    for response in (anonymous, non_staff):
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")


@pytest.mark.django_db
def test_staff_without_permissions_get_in_but_see_no_model(client, staff_without_perms):
    client.force_login(staff_without_perms)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:positions_position_changelist")).status_code == 403


@pytest.mark.django_db
def test_staff_with_model_permissions_can_use_the_admin(client, staff_user):
    client.force_login(staff_user)
    position = PositionFactory()
    assert client.get(reverse("admin:positions_position_changelist")).status_code == 200
    change = reverse("admin:positions_position_change", args=[position.pk])
    assert client.get(change).status_code == 200


@pytest.mark.django_db
def test_position_search_finds_the_table_i_title_too(admin_client):
    position = PositionFactory(name="Cross-border e-commerce operations specialist")
    PlacementFactory(position=position, title="E-commerce operator")
    PositionFactory(name="Data analyst")
    url = reverse("admin:positions_position_changelist")

    by_name = admin_client.get(url, {"q": "operations specialist"}).context["cl"].result_list
    by_title = admin_client.get(url, {"q": "operator"}).context["cl"].result_list

    assert list(by_name) == [position]
    assert list(by_title) == [position]


@pytest.mark.django_db
def test_ability_search_matches_statement_and_code(admin_client):
    wanted = AbilityFactory(code="B-7", text="Negotiate with overseas suppliers")
    AbilityFactory(code="C-1", text="Write product listings")
    url = reverse("admin:positions_ability_changelist")

    assert list(admin_client.get(url, {"q": "overseas"}).context["cl"].result_list) == [wanted]
    assert list(admin_client.get(url, {"q": "B-7"}).context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_ability_autocomplete_serves_the_link_and_requirement_forms(admin_client):
    wanted = AbilityFactory(text="Negotiate with overseas suppliers")
    AbilityFactory(text="Write product listings")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "positions",
            "model_name": "requirement",
            "field_name": "ability",
            "term": "overseas",
        },
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(wanted.pk)]


@pytest.mark.django_db
def test_position_page_edits_requirements_and_placements_inline(admin_client, admin_user):
    position = PositionFactory(provenance=Provenance.PAPER)
    requirement = RequirementFactory(
        position=position, min_level=level("M"), provenance=Provenance.PAPER, source_ref="Table II"
    )
    PlacementFactory(position=position, provenance=Provenance.PAPER)
    track = TrackFactory()
    url = reverse("admin:positions_position_change", args=[position.pk])
    data = change_form_data(admin_client.get(url))
    data["requirements-0-min_level"] = level("R").pk
    data.update(
        {
            "placements-TOTAL_FORMS": "2",
            "placements-1-position": position.pk,
            "placements-1-track": track.pk,
            "placements-1-degree_level": "master",
            "placements-1-title": "Senior operator",
            "placements-1-order": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.min_level.code, requirement.provenance) == ("R", Provenance.EDIT)
    assert requirement.source_ref == "Table II"
    assert requirement.history.latest().history_user == admin_user
    added = Placement.objects.get(position=position, track=track)
    assert (added.title, added.provenance) == ("Senior operator", Provenance.EDIT)
    assert Placement.objects.filter(position=position, provenance=Provenance.PAPER).count() == 1
    position.refresh_from_db()
    assert position.provenance == Provenance.PAPER


@pytest.mark.django_db
def test_provenance_cannot_be_typed_into_the_form(admin_client):
    url = reverse("admin:positions_track_add")
    response = admin_client.post(
        url,
        {
            "name": "Cross-border logistics",
            "slug": "logistics",
            "description": "",
            "order": "0",
            "source_ref": "",
            "provenance": Provenance.PAPER,
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "Logistics direction",
            "aliases-0-source_ref": "",
        },
    )

    assert response.status_code == 302
    track = Track.objects.get(slug="logistics")
    assert track.provenance == Provenance.EDIT
    assert track.aliases.get().provenance == Provenance.EDIT


@pytest.mark.django_db
def test_history_page_shows_who_changed_a_requirement(admin_client, admin_user):
    requirement = RequirementFactory(min_level=level("M"))
    url = reverse("admin:positions_requirement_change", args=[requirement.pk])
    data = change_form_data(admin_client.get(url))
    data["importance"] = "optional"
    admin_client.post(url, data)

    history = admin_client.get(
        reverse("admin:positions_requirement_history", args=[requirement.pk])
    )

    assert history.status_code == 200
    assert admin_user.username in history.text
    assert Requirement.history.filter(id=requirement.pk).count() == 2


@pytest.mark.django_db
def test_ability_parent_must_share_the_framework_in_the_admin_too(admin_client):
    parent = AbilityFactory()
    child = AbilityFactory()
    url = reverse("admin:positions_ability_change", args=[child.pk])
    data = change_form_data(admin_client.get(url))
    data["parent"] = parent.pk

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "The parent must belong to the same framework." in response.text
    assert Ability.objects.get(pk=child.pk).parent is None


@pytest.mark.django_db
def test_position_changelist_lists_each_position_once_when_filtered_by_track(admin_client):
    position = PositionFactory()
    track = TrackFactory()
    PlacementFactory(position=position, track=track, degree_level="bachelor")
    PlacementFactory(position=position, track=track, degree_level="master")

    response = admin_client.get(
        reverse("admin:positions_position_changelist"), {"placements__track__id__exact": track.pk}
    )

    assert list(response.context["cl"].result_list) == [position]
    assert Position.objects.count() == 1


def test_an_import_job_summary_reads_in_the_same_order_on_every_database(admin_client):
    """PostgreSQL keeps a JSON report's keys by length, not as written, so the import job's
    summary read "ability: ...; framework: ..." there and the other way on SQLite, and each
    kind's outcomes in another order. It reads the import's own order everywhere: the
    framework, then its abilities and relations; created, updated, unchanged, conflict."""
    from positions.models import ImportJob, ImportStatus

    job = ImportJob.objects.create(
        format="moodle",
        source_name="framework.csv",
        path="/srv/imports/framework.csv",
        status=ImportStatus.SUCCEEDED,
        report={
            "counts": {
                # as PostgreSQL's jsonb hands them back: shorter keys first
                "ability": {"created": 2, "updated": 0, "conflict": 1, "unchanged": 44},
                "relation": {
                    "created": 0,
                    "removed": 1,
                    "updated": 0,
                    "conflict": 0,
                    "unchanged": 3,
                },
                "framework": {"created": 0, "updated": 1, "conflict": 0, "unchanged": 0},
            }
        },
    )
    page = admin_client.get(
        reverse("admin:positions_importjob_change", args=[job.pk])
    ).content.decode()
    assert (
        "framework: 0 created, 1 updated, 0 unchanged, 0 conflict; "
        "ability: 2 created, 0 updated, 44 unchanged, 1 conflict; "
        "relation: 0 created, 0 updated, 3 unchanged, 0 conflict, 1 removed"
    ) in page


@pytest.mark.django_db
def test_the_source_reference_help_reads_for_any_field_not_only_the_papers(admin_client):
    """A university's own records come from a file (a catalogue, an export), not the paper's
    tables: the help names no table of the paper, on the record's form and its inlines'."""
    page = admin_client.get(reverse("admin:positions_position_add")).content.decode()
    assert page.count("Where this record comes from: a document, table or URL") >= 2
    assert "Table II, position 4" not in page


@pytest.mark.django_db
def test_the_placement_form_names_its_title_for_any_universitys_placements(admin_client):
    """Observed: the admin labelled a placement's title "title in Table I", though staff add
    placements for any field; the paper's Table I is only an example of where a title comes from."""
    placement = PlacementFactory(title="Staff nurse")
    pages = {
        "placement": reverse("admin:positions_placement_change", args=[placement.pk]),
        "position": reverse("admin:positions_position_change", args=[placement.position.pk]),
    }
    for name, url in pages.items():
        html = admin_client.get(url).content.decode()
        assert (name, "title in table i" in html.lower()) == (name, False)
        assert (name, "Listed title" in html) == (name, True)
    help_text = str(Placement._meta.get_field("title").help_text)
    assert "the paper's Table I" in help_text


@pytest.mark.django_db
def test_reverting_an_alias_whose_track_was_deleted_in_the_admin_says_to_restore_the_track(
    admin_client,
):
    """In the admin's history of a track alias deleted with its track, reverting to a version
    answered "Select a valid choice. That choice is not one of the available choices." on the
    track: the same message as the history API's now names what is gone. Another track chosen
    in the form, the alias comes back under it."""
    from positions.models import TrackAlias

    alias = TrackAlias.objects.create(track=TrackFactory(), name="Technological development")
    pk = alias.pk
    alias.track.delete()
    deletion = TrackAlias.history.filter(id=pk).latest("history_id")
    url = reverse("admin:positions_trackalias_simple_history", args=[pk, deletion.history_id])
    data = change_form_data(admin_client.get(url))

    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["track"] == [
        "The track this track alias belonged to was deleted; restore the track first."
    ]
    assert not TrackAlias.objects.filter(pk=pk).exists()

    other = TrackFactory()
    assert admin_client.post(url, {**data, "track": other.pk}).status_code == 302
    assert TrackAlias.objects.get(pk=pk).track == other
