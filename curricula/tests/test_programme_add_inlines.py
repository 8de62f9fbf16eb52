"""The programme admin's add page, as a new designer meets it. Observed in the walkthrough: it
showed an empty "Programme coverage" inline (coverage is computed once the programme is saved,
never typed) and no row for a course or a target position, each to be asked for by "Add
another"."""

import pytest
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from curricula.models import Programme, ProgrammeCourse, ProgrammeTarget
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:curricula_programme_add")


def _formsets(response) -> dict:
    return {
        inline.formset.model._meta.model_name: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }


def test_the_add_page_has_no_coverage_and_one_blank_course_and_target(admin_client):
    response = admin_client.get(ADD)
    formsets = _formsets(response)
    assert "programmecoverage" not in formsets
    assert 'id="coverage-group"' not in response.content.decode()
    assert len(formsets["programmecourse"].forms) == 1
    assert len(formsets["programmetarget"].forms) == 1


def test_a_programme_saved_with_the_blank_rows_untouched_has_no_course_nor_target(admin_client):
    data = change_form_data(admin_client.get(ADD))
    data.update({"name": "Software engineering", "own_degree_level": "bachelor"})
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"]
    ]
    programme = Programme.objects.get(name="Software engineering")
    assert not ProgrammeCourse.objects.filter(programme=programme).exists()
    assert not ProgrammeTarget.objects.filter(programme=programme).exists()


def test_the_blank_rows_filled_in_add_a_course_and_a_target(admin_client):
    course, position = CourseFactory(code="SE203"), PositionFactory(name="Web developer")
    data = change_form_data(admin_client.get(ADD))
    data.update(
        {
            "name": "Software engineering",
            "own_degree_level": "bachelor",
            "programme_courses-0-course": course.pk,
            "targets-0-position": position.pk,
        }
    )
    assert admin_client.post(ADD, data).status_code == 302
    programme = Programme.objects.get(name="Software engineering")
    assert list(programme.programme_courses.values_list("course__code", flat=True)) == ["SE203"]
    assert list(programme.targets.values_list("position__name", flat=True)) == ["Web developer"]


def test_the_change_page_keeps_its_coverage_and_adds_no_blank_rows(admin_client):
    programme = ProgrammeFactory(courses=[CourseFactory()], targets=[PositionFactory()])
    response = admin_client.get(reverse("admin:curricula_programme_change", args=[programme.pk]))
    formsets = _formsets(response)
    assert "programmecoverage" in formsets
    assert 'id="coverage-group"' in response.content.decode()
    assert len(formsets["programmecourse"].forms) == 1  # its course, no blank row
    assert len(formsets["programmetarget"].forms) == 1
