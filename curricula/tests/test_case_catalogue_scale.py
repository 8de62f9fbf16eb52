"""The course catalogue's CFDocument says what its links carry without naming a scale: it named
Introduced, Reinforced or Mastered, which a site with its own levels (a nursing school's fourth,
E) does not use alone."""

import pytest

from positions.models import Level

pytestmark = pytest.mark.django_db


def test_the_catalogue_document_names_no_fixed_scale(api_client):
    Level.objects.create(code="E", name="Expert", rank=4)

    documents = api_client.get("/ims/case/v1p1/CFDocuments").json()["CFDocuments"]

    catalogue = next(d for d in documents if d["title"] == "Course catalogue")
    assert "Introduced, Reinforced or Mastered" not in catalogue["description"]
    assert "level" in catalogue["description"]
