"""A 培养方案 broken into sections by heading rows (test_programme_plan_sections.py), and one with
each section's totals on its heading row (test_programme_plan_section_totals.py), read alike
through every door: the API, `import_courses` and its `--json`, the admin's preview and its
confirm, a background job's page. Each door says every heading's warning at its line and puts
each course in its heading's module."""

import json
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course
from curricula.tests import test_programme_plan_section_totals as with_totals
from curricula.tests import test_programme_plan_sections as sections
from curricula.tests.admin_import_doors import imported_in_the_background
from curricula.tests.plan_imports import course_modules

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Plan:
    file: object  # the table as a file of a kind: "xlsx" or "csv" -> bytes
    warnings: list[tuple[int, str]]
    modules: dict[str, str | None]
    # What the background job's page says of one heading, as HTML escapes it.
    job_page_says: str


PLANS = [
    pytest.param(
        Plan(
            sections._plan,
            sections.WARNINGS,
            sections.MODULES,
            "A section heading (“二、学科基础课”): read past, not imported.",
        ),
        id="headings",
    ),
    pytest.param(
        Plan(
            with_totals._plan,
            with_totals.WARNINGS,
            with_totals.MODULES,
            "The number on its row (学分 3) is the section&#x27;s total: not imported.",
        ),
        id="headings-with-totals",
    ),
]


@pytest.mark.parametrize("plan", PLANS)
def test_the_api_answers_the_headings(staff_client, modules, plan):
    upload = SimpleUploadedFile("方案.xlsx", plan.file("xlsx"))
    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert [(w["line"], w["column"], w["message"]) for w in answer["warnings"]] == [
        (line, "", message) for line, message in plan.warnings
    ]
    assert answer["created"] == 5
    assert course_modules() == plan.modules


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_command_says_the_headings(tmp_path, modules, kind, plan):
    path = tmp_path / f"方案.{kind}"
    path.write_bytes(plan.file(kind))
    err = StringIO()
    call_command("import_courses", str(path), stdout=StringIO(), stderr=err)
    assert course_modules() == plan.modules
    for line, message in plan.warnings:
        assert f"line {line}: {message}" in err.getvalue()


@pytest.mark.parametrize("plan", PLANS)
def test_the_command_answers_them_as_json(tmp_path, modules, plan):
    path = tmp_path / "方案.csv"
    path.write_bytes(plan.file("csv"))
    out = StringIO()
    call_command("import_courses", str(path), "--json", stdout=out, stderr=StringIO())
    answer = json.loads(out.getvalue())
    assert [(w["line"], w["message"]) for w in answer["warnings"]] == plan.warnings


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_admin_previews_and_imports_the_table(admin_client, modules, kind, plan):
    upload = SimpleUploadedFile(f"方案.{kind}", plan.file(kind))
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "1" if kind == "xlsx" else "0", "import_file": upload},
    )
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None, response.content.decode()[:3000]
    page = response.content.decode()
    for _line, message in plan.warnings:
        assert message.replace("'", "&#x27;") in page
    assert not Course.objects.exists()
    confirm = response.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:curricula_course_process_import"), confirm)
    assert response.status_code == 302
    assert course_modules() == plan.modules


@pytest.mark.parametrize("plan", PLANS)
def test_a_background_import_says_the_headings_on_its_page(
    admin_client,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    modules,
    plan,
):
    upload = SimpleUploadedFile("方案.xlsx", plan.file("xlsx"))
    _job, page = imported_in_the_background(
        admin_client, settings, tmp_path, django_capture_on_commit_callbacks, upload
    )
    assert plan.job_page_says in page
    assert course_modules() == plan.modules
