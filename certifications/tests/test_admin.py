"""The certification admin: search, provenance of staff edits, history."""

import pytest
from django.urls import reverse

from certifications.models import Certification, TrainingStage
from certifications.tests.factories import CertificationFactory
from core.models import Provenance


def _certification_form(certification: Certification, **changes) -> dict:
    data = {
        "name": certification.name,
        "degree_level": certification.degree_level,
        "awarding_body": certification.awarding_body,
        "description": certification.description,
        "order": certification.order,
        "source_ref": certification.source_ref,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_certification_search_finds_by_name_and_awarding_body(admin_client):
    wanted = CertificationFactory(
        name="Cross-border e-commerce engineer", awarding_body="Ministry of Commerce"
    )
    CertificationFactory(name="Data analyst", awarding_body="Statistics board")
    url = reverse("admin:certifications_certification_changelist")

    by_name = admin_client.get(url, {"q": "e-commerce"}).context["cl"].result_list
    by_body = admin_client.get(url, {"q": "Ministry"}).context["cl"].result_list

    assert list(by_name) == [wanted]
    assert list(by_body) == [wanted]


@pytest.mark.django_db
def test_changing_a_paper_certification_marks_it_edited_and_keeps_its_source(
    admin_client, admin_user
):
    certification = CertificationFactory(provenance=Provenance.PAPER, source_ref="Table III")
    url = reverse("admin:certifications_certification_change", args=[certification.pk])

    response = admin_client.post(
        url, _certification_form(certification, awarding_body="Provincial education department")
    )

    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.provenance == Provenance.EDIT
    assert certification.source_ref == "Table III"
    latest = certification.history.latest()
    assert latest.history_user == admin_user
    assert latest.prev_record.awarding_body == ""


@pytest.mark.django_db
def test_saving_a_certification_unchanged_keeps_its_provenance(admin_client):
    certification = CertificationFactory(provenance=Provenance.PAPER, source_ref="Table III")
    url = reverse("admin:certifications_certification_change", args=[certification.pk])

    assert admin_client.post(url, _certification_form(certification)).status_code == 302

    certification.refresh_from_db()
    assert certification.provenance == Provenance.PAPER


@pytest.mark.django_db
def test_a_duplicate_certification_name_is_a_form_error_not_a_crash(admin_client):
    existing = CertificationFactory()
    response = admin_client.post(
        reverse("admin:certifications_certification_add"),
        {"name": existing.name, "degree_level": "bachelor", "order": "0"},
    )
    assert response.status_code == 200
    assert "Certification with this Name already exists." in response.text
    assert Certification.objects.count() == 1


@pytest.mark.django_db
def test_training_stages_are_listed_in_progression_order(admin_client):
    later = TrainingStage.objects.create(code="practice", name="Practice", order=20)
    earlier = TrainingStage.objects.create(code="theory", name="Theory teaching", order=10)

    response = admin_client.get(reverse("admin:certifications_trainingstage_changelist"))

    listed = [stage for stage in response.context["cl"].result_list if stage in (earlier, later)]
    assert listed == [earlier, later]
