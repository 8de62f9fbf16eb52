"""Course, module and training stage codes are one code in any case: a university's spreadsheet
writing cs101 for the course CS101 names CS101, at every door that writes or finds a course by
its code; the code stays as first given. Competency areas keep their publishers' codes as given
(an imported framework's top-level competencies), so there case still tells two apart."""

import importlib
import json
import re
import uuid
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from certifications.models import TrainingStage
from curricula.case import identifiers
from curricula.models import Course, CourseAbility, Module, ProgrammeCourse
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.importers import framework_import
from positions.models import CompetencyArea
from positions.tests.factories import AbilityFactory, level

pytestmark = pytest.mark.django_db


def test_a_catalogue_row_naming_a_course_in_another_case_updates_it_and_keeps_its_code():
    existing = CourseFactory(code="CS101", title="Old")
    report = course_catalogue_import(content=b"code,title\ncs101,New\n", file_name="c.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    assert list(Course.objects.values_list("pk", "code", "title")) == [
        (existing.pk, "CS101", "New")
    ]


def test_a_catalogue_naming_one_code_in_two_cases_refuses_the_second_line():
    content = b"code,title\nCS101,One\ncs101,Again\n"
    report = course_catalogue_import(content=content, file_name="c.csv")
    assert [(error["line"], list(error["errors"])) for error in report.errors] == [(3, ["code"])]
    assert not Course.objects.exists()


def test_the_api_refuses_a_code_that_is_another_courses_in_another_case(staff_client):
    CourseFactory(code="CS101")
    other = CourseFactory(code="OTHER1")

    created = staff_client.post(
        "/api/v1/courses/", {"code": "cs101", "title": "Copy"}, format="json"
    )
    changed = staff_client.patch(f"/api/v1/courses/{other.pk}/", {"code": "Cs101"}, format="json")

    for response in (created, changed):
        assert response.status_code == 400, response.content
        assert "already exists" in " ".join(response.json()["code"])
    assert sorted(Course.objects.values_list("code", flat=True)) == ["CS101", "OTHER1"]


def test_a_course_keeps_its_own_code_in_another_case(staff_client):
    course = CourseFactory(code="CS101")
    response = staff_client.patch(f"/api/v1/courses/{course.pk}/", {"code": "cs101"}, format="json")
    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.code == "cs101"


def test_the_admin_form_refuses_a_code_in_another_case(admin_client):
    CourseFactory(code="CS101")
    response = admin_client.post(
        reverse("admin:curricula_course_add"),
        {
            "code": "cs101",
            "title": "Copy",
            "provenance": "edit",
            "ability_links-TOTAL_FORMS": "0",
            "ability_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Course with this Code already exists." in response.content.decode()
    assert list(Course.objects.values_list("code", flat=True)) == ["CS101"]


def test_a_link_file_names_a_course_by_its_code_in_another_case():
    course = CourseFactory(code="CS101")
    ability = AbilityFactory(code="A1")
    content = (
        f"course,framework,ability,level,note\ncs101,{ability.framework.identifier},A1,M,\n"
    ).encode()
    report = course_ability_import(content=content, file_name="links.csv")
    assert report.ok, report.errors
    assert CourseAbility.objects.get().course == course


def test_a_code_finds_its_course_in_any_case():
    course = CourseFactory(code="CS101")
    assert Course.objects.get(code="cs101") == course
    assert list(Course.objects.filter(code__in=["cS101", "nope"])) == [course]
    assert not Course.objects.filter(code="cs10").exists()


def test_the_database_refuses_a_code_in_another_case_whatever_door():
    CourseFactory(code="CS101")
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.bulk_create([Course(code="cs101", title="Past the checks")])


MODELS = [
    pytest.param(Module, {"name": "International business"}, id="module"),
    pytest.param(TrainingStage, {"name": "Theory teaching", "order": 99}, id="stage"),
]


@pytest.mark.parametrize(("model", "fields"), MODELS)
def test_module_and_stage_codes_are_one_code_in_any_case(model, fields):
    stored = model.objects.create(code="IB", **fields)
    twin = model(code="ib", **{**fields, "order": 100})
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "code" in refused.value.message_dict
    assert model.objects.get(code="iB") == stored


def test_competency_area_codes_keep_their_case():
    """A publisher's codes as given: s1 and S1 may be two publishers' areas."""
    CompetencyArea.objects.create(code="S1", name="One", order=90)
    lower = CompetencyArea(code="s1", name="Two", order=91)
    lower.full_clean()
    lower.save()
    assert CompetencyArea.objects.filter(code__in=["S1", "s1"]).count() == 2


def _order(model, order: int) -> dict:
    return {"order": order} if model is TrainingStage else {}


@pytest.mark.parametrize(
    ("app", "migration", "model", "fields"),
    [
        ("curricula", "0034_codes_checked_for_case_collisions", Course, {"title": "T"}),
        ("curricula", "0034_codes_checked_for_case_collisions", Module, {"name": "M"}),
        (
            "certifications",
            "0011_stage_codes_checked_for_case_collisions",
            TrainingStage,
            {"name": "S"},
        ),
    ],
)
def test_the_migration_stops_naming_codes_that_differ_only_in_case(app, migration, model, fields):
    """Rows stored before the constraint: the migration cannot pick one of them, so it stops
    and names them; a full-width twin normalise_stored_codes left differs in more than case."""
    first = model.objects.create(code="CS101", **fields, **_order(model, 90))
    twin = model.objects.create(code="y", **fields, **_order(model, 91))
    check = importlib.import_module(f"{app}.migrations.{migration}").check_codes
    with connection.cursor() as cursor:
        # Written past the model, as rows were before the field normalised them.
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET code = %s WHERE id = %s",
            ["ＣＳ１０１", twin.pk],  # noqa: RUF001
        )
        check(apps, None)  # nothing differs only in case
        (name,) = [c.name for c in model._meta.constraints if c.name.endswith("_any_case")]
        cursor.execute(f"DROP INDEX {name}")
    second = model.objects.create(code="x", **fields, **_order(model, 92))
    model.objects.filter(pk=second.pk).update(code="cs101")
    with pytest.raises(RuntimeError) as stopped:
        check(apps, None)
    assert f"{first.pk} 'CS101', {second.pk} 'cs101'" in str(stopped.value)


def _catalogue(client) -> dict:
    response = client.get(f"/ims/case/v1p1/CFPackages/{identifiers.course_catalogue_identifier()}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def test_a_case_catalogue_naming_a_course_and_module_in_another_case_updates_them(
    api_client, tmp_path
):
    module = Module.objects.create(code="IB", name="International business")
    course = CourseFactory(code="CS101", title="Old", module=module, provenance="import")
    package = _catalogue(api_client)
    (item,) = [i for i in package["CFItems"] if i["humanCodingScheme"] == "CS101"]
    # Another site's catalogue: its own identifier, the code and module in lower case.
    item["identifier"] = str(uuid.uuid4())
    item["humanCodingScheme"] = "cs101"
    item["fullStatement"] = "New"
    item.setdefault("extensions", {})["moduleCode"] = "ib"
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(package), encoding="utf-8")

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["course"]["created"] == 0, report.as_dict()
    assert list(Course.objects.values_list("pk", "code", "title", "module")) == [
        (course.pk, "CS101", "New", module.pk)
    ]
    assert Module.objects.count() == 1


# --- the catalogue import's three doors: the API, import_courses and the admin's preview ------


def test_the_api_catalogue_import_updates_a_course_named_in_another_case(staff_client):
    course = CourseFactory(code="CS101", title="Old")
    upload = SimpleUploadedFile("courses.csv", b"code,title\ncs101,New\n")
    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["updated"]) == (0, 1)
    course.refresh_from_db()
    assert (course.code, course.title) == ("CS101", "New")

    twice = SimpleUploadedFile("courses.csv", b"code,title\nMA200,One\nma200,Two\n")
    response = staff_client.post("/api/v1/courses/import/", {"file": twice}, format="multipart")
    assert response.status_code == 400
    assert [(e["line"], list(e["errors"])) for e in response.json()["errors"]] == [(3, ["code"])]
    assert not Course.objects.filter(code="MA200").exists()


def test_the_command_updates_a_course_named_in_another_case(tmp_path):
    course = CourseFactory(code="CS101", title="Old")
    path = tmp_path / "courses.csv"
    path.write_bytes(b"code,title\ncs101,New\n")
    out = StringIO()
    call_command("import_courses", str(path), "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert (counts["created"], counts["updated"]) == (0, 1)
    assert list(Course.objects.values_list("pk", "code", "title")) == [(course.pk, "CS101", "New")]


def test_the_admin_preview_shows_an_update_of_the_course_named_in_another_case(admin_client):
    course = CourseFactory(code="CS101", title="Old")
    upload = SimpleUploadedFile("courses.csv", b"code,title\ncs101,New\n")
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    # The row says which course it updates: CS101, under its code as stored.
    page = re.sub(r"\s+", " ", preview.content.decode())
    assert '<td class="import-type"> Update </td> <td><span>CS101</span></td>' in page
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    assert list(Course.objects.values_list("pk", "code", "title")) == [(course.pk, "CS101", "New")]


def test_the_admin_preview_refuses_a_code_given_twice_in_two_cases(admin_client):
    upload = SimpleUploadedFile("courses.csv", b"code,title\nCS101,One\ncs101,Two\n")
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    assert "Line 2 already gives this course code" in preview.content.decode()
    assert not Course.objects.exists()


def test_the_progression_command_plans_courses_named_in_another_case():
    early, late = CourseFactory(code="E1"), CourseFactory(code="L9")
    ability = AbilityFactory(code="K1")
    CourseAbilityFactory(course=early, ability=ability, level=level("M"))
    CourseAbilityFactory(course=late, ability=ability, level=level("R"))
    programme = ProgrammeFactory(name="Hand-made", courses=[early, late])
    ProgrammeCourse.objects.filter(course=early).update(term=1)
    ProgrammeCourse.objects.filter(course=late).update(term=2)
    out = StringIO()
    call_command(
        "progression",
        "--program",
        str(programme.pk),
        "--plan",
        "l9=1",
        "--plan",
        "e1=3",
        stdout=out,
    )
    assert "No findings." in out.getvalue()
