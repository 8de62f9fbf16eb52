"""What the certification field of a programme says of leaving it empty is what happens.

Observed: its help, in the admin and the API's schema, said "empty for none" and nothing more,
while a programme without a certification is refused unless it gives its own degree level
(the programme_has_degree_level constraint): a reader left it empty and met the refusal.
"""

import pytest

from curricula.models import Programme

CERTIFICATION = Programme._meta.get_field("certification")
OWN_DEGREE_LEVEL = Programme._meta.get_field("own_degree_level")


def test_the_certification_help_says_an_empty_one_needs_the_programmes_own_degree_level():
    help_text = str(CERTIFICATION.help_text)

    assert CERTIFICATION.null
    assert CERTIFICATION.blank
    assert "empty for none" in help_text.lower()
    assert str(OWN_DEGREE_LEVEL.verbose_name) in help_text


@pytest.mark.django_db
def test_the_api_schema_and_the_admin_say_it_too(admin_client):
    from core.tests import openapi

    schema = openapi.generate()[0]
    described = schema["components"]["schemas"]["ProgrammeRequest"]["properties"]["certification"]
    page = admin_client.get("/admin/curricula/programme/add/").content.decode()

    assert described["description"] == str(CERTIFICATION.help_text)
    assert str(CERTIFICATION.help_text) in page
