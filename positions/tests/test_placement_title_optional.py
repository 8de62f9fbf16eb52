"""A placement's listed title is optional: a position listed under its own name needs none, and
a blank title reads as the position's name wherever the title is shown, served or searched."""

import pytest
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from positions.models import Placement
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.django_db
def test_the_admin_places_a_position_under_its_own_name_without_a_title(admin_client):
    """Observed: the inline refused a placement without a listed title ("This field is
    required."), though the title would only repeat the position's name."""
    position = PositionFactory(name="Ward nurse")
    track = TrackFactory(name="Adult nursing")
    url = reverse("admin:positions_position_change", args=[position.pk])
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "placements-TOTAL_FORMS": "1",
            "placements-0-position": position.pk,
            "placements-0-track": track.pk,
            "placements-0-degree_level": "bachelor",
            "placements-0-title": "",
            "placements-0-order": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    placement = Placement.objects.get(position=position)
    assert placement.title == ""
    assert placement.listed_title == "Ward nurse"
    assert str(placement).startswith("Ward nurse (")


def test_the_listed_titles_help_names_the_paper_only_as_an_example():
    field = Placement._meta.get_field("title")
    assert field.blank
    assert "e.g. its title in the paper's Table I" not in str(field.help_text)
    assert "blank" in str(field.help_text)


@pytest.mark.django_db
def test_pages_show_the_positions_name_for_a_blank_title(client):
    position = PositionFactory(name="Ward nurse")
    PlacementFactory(position=position, track=TrackFactory(name="Adult nursing"), title="")

    listing = _text(client.get(reverse("positions:list")))
    assert f'<a href="{position.get_absolute_url()}">Ward nurse</a>' in listing
    assert "position: Ward nurse" not in listing
    assert "Ward nurse" in _text(client.get(reverse("positions:list") + "?q=ward"))
    detail = _text(client.get(position.get_absolute_url()))
    assert "Adult nursing, Bachelor — “Ward nurse”" in detail
    assert "— “”" not in detail


@pytest.mark.django_db
def test_the_api_serves_the_positions_name_for_a_blank_title(staff_client):
    position = PositionFactory(name="Ward nurse")
    track = TrackFactory()
    PlacementFactory(position=position, track=track, title="", order=0)

    served = staff_client.get(f"/api/v1/positions/{position.pk}/").json()["placements"]
    assert [p["title"] for p in served] == ["Ward nurse"]

    # Sent back as served, the placement is unchanged: it still follows the position's name.
    response = staff_client.patch(
        f"/api/v1/positions/{position.pk}/", {"placements": served}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Placement.objects.get(position=position).title == ""


@pytest.mark.django_db
def test_a_placement_created_without_a_title_follows_the_positions_name(staff_client):
    track = TrackFactory()
    response = staff_client.post(
        "/api/v1/positions/",
        {"name": "Ward nurse", "placements": [{"track": track.pk, "degree_level": "bachelor"}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["placements"][0]["title"] == "Ward nurse"

    pk = response.json()["id"]
    staff_client.patch(f"/api/v1/positions/{pk}/", {"name": "Staff nurse"}, format="json")
    served = staff_client.get(f"/api/v1/positions/{pk}/").json()["placements"]
    assert [p["title"] for p in served] == ["Staff nurse"]


@pytest.mark.django_db
def test_a_rename_sending_a_blank_titled_placement_back_as_served_changes_nothing(
    django_user_model,
):
    """Renaming a position and sending its placements back as served takes no placement
    permission, and the placement keeps following the name."""
    from django.contrib.auth.models import Permission
    from rest_framework.test import APIClient

    position = PositionFactory(name="Ward nurse")
    PlacementFactory(position=position, track=TrackFactory(), title="", order=0)
    user = django_user_model.objects.create_user(username="editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="change_position"))
    client = APIClient()
    client.force_authenticate(user)
    served = client.get(f"/api/v1/positions/{position.pk}/").json()["placements"]

    response = client.patch(
        f"/api/v1/positions/{position.pk}/",
        {"name": "Staff nurse", "placements": served},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Placement.objects.get(position=position).title == ""
    assert response.json()["placements"][0]["title"] == "Staff nurse"


@pytest.mark.django_db
def test_the_placement_list_links_a_blank_titled_placement_by_the_positions_name(admin_client):
    placement = PlacementFactory(position=PositionFactory(name="Ward nurse"), title="")
    change = reverse("admin:positions_placement_change", args=[placement.pk])

    html = admin_client.get(reverse("admin:positions_placement_changelist")).content.decode()

    assert f'<a href="{change}">Ward nurse</a>' in html
