"""Every multi-line prose field (core.models.ProseField: a module's, a training stage's, a
position's, a programme's description, a course-ability link's note...) is stored as a course's
description and outcomes are, a line at a time (core.models.normalized_lines: "\\r\\n" and "\\r"
as "\\n", each line trimmed), at every door: each admin form, each API serializer, the imports.
Observed: the admin and the API kept the "\\r\\n" a browser's textarea or a Windows client sends
for every such field but a course's, so the same text read apart from the imported one."""

import json

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from certifications.models import TrainingStage
from competency_site.api.router import router
from core.api.fields import TrimmedLinesField
from core.models import ProseField
from curricula.models import CourseAbility, Module, Programme
from curricula.resources import CourseAbilityResource
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.importers import framework_import
from positions.models import Ability, Framework, Level
from positions.tests.factories import AbilityFactory, PositionFactory

pytestmark = pytest.mark.django_db

TYPED = "  First line \r\nSecond line\r\rThird line\r\n"
STORED = "First line\nSecond line\n\nThird line"


def _prose_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, ProseField)]


def test_every_admin_form_reads_each_prose_field_a_line_at_a_time(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked = []
    for model, model_admin in admin.site._registry.items():
        names = _prose_fields(model)
        if not names:
            continue
        form = model_admin.get_form(request)
        for name in names:
            if name not in form.base_fields:
                continue
            assert form.base_fields[name].clean(TYPED) == STORED, (model, name)
            checked.append((model.__name__, name))
    assert ("Module", "description") in checked
    assert ("TrainingStage", "description") in checked
    assert ("Position", "description") in checked
    assert ("CourseAbility", "note") in checked
    assert ("Ability", "text") in checked


def test_every_api_serializer_reads_each_prose_field_a_line_at_a_time():
    checked = []
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is None:
            continue
        fields = serializer_class().fields
        for name in _prose_fields(model):
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            assert isinstance(field, TrimmedLinesField), (serializer_class, name)
            assert field.run_validation(TYPED) == STORED
            checked.append((model.__name__, name))
    assert ("Position", "description") in checked
    assert ("CourseAbility", "note") in checked
    assert ("Programme", "description") in checked


# --- the admin's forms, posted as a browser posts them ---------------------------------------
def test_the_admin_form_stores_a_modules_description_a_line_at_a_time(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_module_add"),
        {"code": "M1", "name": "Trade", "description": TYPED, "order": "0", "provenance": "edit"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Module.objects.get(code="M1").description == STORED


def test_the_admin_form_stores_a_training_stages_description_a_line_at_a_time(admin_client):
    response = admin_client.post(
        reverse("admin:certifications_trainingstage_add"),
        {"code": "ST9", "name": "Stage nine", "description": TYPED, "order": "9"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert TrainingStage.objects.get(code="ST9").description == STORED


# --- the API ---------------------------------------------------------------------------------
def test_the_api_stores_a_positions_description_a_line_at_a_time(staff_client):
    position = PositionFactory()
    response = staff_client.patch(
        f"/api/v1/positions/{position.pk}/", {"description": TYPED}, format="json"
    )
    assert response.status_code == 200, response.content
    position.refresh_from_db()
    assert position.description == STORED


def test_the_api_stores_a_links_note_a_line_at_a_time(staff_client):
    course, ability = CourseFactory(), AbilityFactory()
    level = Level.objects.order_by("rank").first()
    response = staff_client.post(
        "/api/v1/course-abilities/",
        {"course": course.pk, "ability": ability.pk, "level": level.code, "note": TYPED},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert CourseAbility.objects.get().note == STORED
    link = CourseAbility.objects.get()
    response = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"note_zh": "第一行\r\n第二行"}, format="json"
    )
    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.note_zh == "第一行\n第二行"


def test_the_api_stores_a_programmes_description_a_line_at_a_time(staff_client):
    programme = ProgrammeFactory()
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"description": TYPED}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Programme.objects.get(pk=programme.pk).description == STORED


# --- the imports -----------------------------------------------------------------------------
def test_the_links_import_reads_a_note_a_line_at_a_time():
    assert CourseAbilityResource.fields["note"].widget.clean(TYPED) == STORED
    assert CourseAbilityResource.fields["note_zh"].widget.clean(TYPED) == STORED


def test_a_case_package_stores_descriptions_a_line_at_a_time(tmp_path):
    path = tmp_path / "package.json"
    doc = "11111111-aaaa-4aaa-8aaa-00000000f001"
    item = "11111111-aaaa-4aaa-8aaa-00000000f002"
    path.write_text(
        json.dumps(
            {
                "CFDocument": {
                    "identifier": doc,
                    "uri": f"https://case.example.org/CFDocuments/{doc}",
                    "creator": "Test Board",
                    "title": "Line breaks",
                    "description": TYPED,
                    "language": "en",
                },
                "CFItems": [
                    {
                        "identifier": item,
                        "uri": f"https://case.example.org/CFItems/{item}",
                        "fullStatement": "Write listings.",
                        "humanCodingScheme": "LB.1",
                        "notes": TYPED,
                    }
                ],
                "CFAssociations": [],
            }
        ),
        encoding="utf-8",
    )
    report = framework_import(path=path, format="case")
    assert report.ok, report.error
    assert Framework.objects.get().description == STORED
    assert Ability.objects.get().description == STORED
    again = framework_import(path=path, format="case")
    assert again.ok, again.error
    assert dict(again.counts["ability"]) == {"unchanged": 1}


def test_stored_prose_is_left_as_it_is_until_edited(staff_client):
    link = CourseAbilityFactory(note="Old\r\nlines")
    response = staff_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"note_zh": "注"}, format="json"
    )
    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.note == "Old\r\nlines"
