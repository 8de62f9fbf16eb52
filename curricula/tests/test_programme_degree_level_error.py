"""Adding a programme in the admin, as a new designer does first. Observed in the walkthrough: a
programme saved with neither a certification nor a degree level was refused with "Please correct
the error below." and the reason only above the form, the *Degree level* field unmarked among
fifteen others, so the designer had to guess which field to fix."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from curricula.models import Programme
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

MESSAGE = "A programme without a certification needs its own degree level."


def _field_errors(html: str, field: str) -> str:
    """The error list shown in the row of `field`, as text ("" when none)."""
    row = re.search(rf'<div class="form-row[^"]*field-{field}[^"]*">(.*?)</fieldset>', html, re.S)
    assert row, field
    errors = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', row.group(1), re.S)
    return re.sub(r"<[^>]+>", "", errors.group(1)).strip() if errors else ""


def test_the_missing_degree_level_is_marked_on_its_field(admin_client):
    url = reverse("admin:curricula_programme_add")
    data = change_form_data(admin_client.get(url))
    data.update({"name": "Software engineering", "own_degree_level": ""})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _field_errors(html, "own_degree_level") == MESSAGE
    assert html.count(MESSAGE) == 1  # not also above the form
    assert not Programme.objects.filter(name="Software engineering").exists()


def test_the_service_refuses_it_on_the_field_too():
    programme = ProgrammeFactory.build(certification=None, own_degree_level="")
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert refused.value.message_dict == {"own_degree_level": [MESSAGE]}
