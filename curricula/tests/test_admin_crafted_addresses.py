"""Admin addresses typed or edited by hand: a stray or malformed value in the query string is
refused or ignored, never a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory


def _autocomplete_doors():
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            yield pytest.param(model, name, id=f"{model._meta.label}.{name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), list(_autocomplete_doors()))
def test_an_add_form_prefilled_with_a_malformed_id_opens_without_it(admin_client, model, field):
    """The admin fills an add form from its query string (?programme=3, as "Add another" links
    do); a value that is not an id is left out, where the autocomplete menu looked it up and
    failed (500)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    response = admin_client.get(f"{url}?{field}=1,x%ff")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["course", "courseability"])
def test_an_export_page_with_a_stray_parameter_is_a_bad_request(admin_client, model_name):
    """The export page reads the list's filters from its query string; one the list does not
    have (?page=2, typed by hand) is a 400, where the export failed (500)."""
    url = reverse(f"admin:curricula_{model_name}_export")
    assert admin_client.get(f"{url}?page=2").status_code == 400
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_add_form_prefilled_with_an_id_still_chooses_it(admin_client):
    programme = ProgrammeFactory(name="Prefilled programme")
    url = reverse("admin:curricula_programmetarget_add")
    response = admin_client.get(f"{url}?programme={programme.pk}")
    assert response.status_code == 200
    assert f'<option value="{programme.pk}" selected>' in response.content.decode()
