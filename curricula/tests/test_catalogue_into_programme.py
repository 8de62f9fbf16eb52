"""Observed (as a user): a Chinese university's 培养方案 lists its courses with a term column
(开课学期: 1, 3 in full width, 第3学期, 三, 1-2), yet the catalogue import left that column
out, and the designer then added the 60 courses to the programme and typed each one's term by
hand. An import naming a programme (the API's `programme`, import_courses --programme, the
admin's select, a background job) now puts the file's courses in it, in the file's order after
those it teaches, and sets the terms the file gives; all or nothing, as every import is."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Provenance
from curricula.models import (
    Course,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
)
from curricula.resources import read_term
from curricula.services import CoursesPlaced, course_catalogue_import
from curricula.tests.factories import ProgrammeFactory
from curricula.tests.plan_imports import (
    IMPORT,
    background_import,
    post_plan,
    programme_entries,
)
from positions.models import ImportJob

pytestmark = pytest.mark.django_db


def _importer(django_user_model, *codenames: str):
    """A staff account holding the permissions of these codenames (of the curricula and
    positions apps) and no others: one who may import courses but not change programmes."""
    user = django_user_model.objects.create_user(username="importer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["curricula", "positions"], codename__in=codenames
        )
    )
    return user


PLAN = (
    "课程代码,课程名称,学分,开课学期\n"
    "MECH202,结构力学,3,３\n"  # noqa: RUF001 (full width, as typed)
    "PHYS101,大学物理,4,\n"
    "RC301,混凝土结构设计,3,第三学期\n"
    "SURV201,工程测量,2,1-2\n"
)


def test_an_import_into_a_programme_adds_its_courses_in_the_file_s_order_and_sets_their_terms(
    staff_client, programme
):
    response = post_plan(staff_client, PLAN, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["programme"] == programme.pk
    assert body["programme_added"] == 3
    assert body["programme_already"] == 1
    assert body["programme_terms_set"] == 3
    # The courses it teaches keep their place (and PHYS101, its term cell blank, its term 5).
    assert programme_entries(programme) == [
        ("MATH101", None),
        ("PHYS101", 5),
        ("MECH202", 3),
        ("RC301", 3),
        ("SURV201", 1),
    ]
    # The term column is read, not named as left out.
    assert body["ignored_columns"] == []
    # The span is placed in its first term, said at its line.
    assert [(w["line"], w["column"]) for w in body["warnings"]] == [(5, "term")]
    assert "1-2" in body["warnings"][0]["message"]
    assert "1" in body["warnings"][0]["message"]


def test_the_entries_an_import_adds_say_the_file_and_line_and_are_in_the_history(
    staff_client, staff_user, programme
):
    post_plan(staff_client, PLAN, programme=programme.pk)

    entry = ProgrammeCourse.objects.get(programme=programme, course__code="RC301")
    assert entry.provenance == Provenance.IMPORT
    assert entry.source_ref == "plan.csv, line 4"
    record = entry.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user
    assert record.term == 3


def test_an_import_into_a_programme_changes_a_term_the_file_gives_anew(staff_client, programme):
    response = post_plan(
        staff_client,
        "code,title,semester\nPHYS101,University Physics,2\n",
        **{"programme": programme.pk},
    )

    assert response.status_code == 200, response.content
    assert response.json()["programme_terms_set"] == 1
    assert response.json()["programme_added"] == 0
    assert response.json()["programme_already"] == 1
    assert dict(programme_entries(programme))["PHYS101"] == 2
    entry = ProgrammeCourse.objects.get(programme=programme, course__code="PHYS101")
    assert entry.history.latest().history_type == "~"


def test_the_programme_s_coverage_is_marked_stale_and_recomputed_after_commit(
    staff_client, programme, django_capture_on_commit_callbacks
):
    ProgrammeCoverage.objects.update_or_create(
        programme=programme, defaults={"state": CoverageState.FRESH, "stale_since": None}
    )

    with django_capture_on_commit_callbacks() as callbacks:
        response = post_plan(staff_client, PLAN, programme=programme.pk)

    assert response.status_code == 200, response.content
    assert ProgrammeCoverage.objects.get(programme=programme).state == CoverageState.STALE
    assert callbacks, "no recompute after commit"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("秋季", "秋季"), ("0", "0"), ("21", "21"), ("3.5", "3.5")],
)
def test_a_term_naming_no_semester_refuses_the_whole_import_naming_its_line_and_value(
    staff_client, programme, value, problem
):
    text = f"code,title,开课学期\nNEW1,First new course,1\nNEW2,Second new course,{value}\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["ok"] is False
    # The refused report still names the programme the client asked to import into.
    assert (body["programme"], body["programme_added"]) == (programme.pk, 0)
    assert [e["line"] for e in body["errors"]] == [3]
    [message] = body["errors"][0]["errors"]["term"]
    assert f"“{problem}”" in message
    # All or nothing: neither the courses nor the programme's places.
    assert not Course.objects.filter(code__in=["NEW1", "NEW2"]).exists()
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_a_dry_run_says_what_it_would_add_and_set_and_writes_nothing(staff_client, programme):
    response = post_plan(staff_client, PLAN, programme=programme.pk, dry_run="true")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert (body["programme_added"], body["programme_already"], body["programme_terms_set"]) == (
        3,
        1,
        3,
    )
    assert not Course.objects.filter(code="MECH202").exists()
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_without_a_programme_the_term_column_is_left_out_and_named_as_before(
    staff_client, programme
):
    response = post_plan(staff_client, PLAN)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == ["开课学期"]
    assert body["programme"] is None
    assert (body["programme_added"], body["programme_already"], body["programme_terms_set"]) == (
        0,
        0,
        0,
    )
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_a_programme_no_programme_has_the_id_of_is_a_400_on_programme(staff_client, programme):
    response = post_plan(staff_client, PLAN, programme=programme.pk + 1000)

    assert response.status_code == 400, response.content
    assert response.json() == {"programme": [f"No programme has the id “{programme.pk + 1000}”."]}
    assert not Course.objects.filter(code="MECH202").exists()


def test_importing_into_a_programme_takes_the_permissions_to_change_its_courses(
    api_client, django_user_model, programme
):
    user = _importer(django_user_model, "add_course", "change_course")
    api_client.force_authenticate(user)

    refused = post_plan(api_client, PLAN, programme=programme.pk)

    assert refused.status_code == 403, refused.content
    assert "change_programme" in refused.json()["detail"]
    assert not Course.objects.filter(code="MECH202").exists()
    # The same file without a programme is the account's to import.
    assert post_plan(api_client, PLAN).status_code == 200


def test_the_programme_part_of_an_import_takes_a_bounded_number_of_queries(staff_client, programme):
    """No query per row for the programme: 40 courses cost what 4 do, give or take none."""

    def queries(rows: int, code: str) -> int:
        lines = [f"{code}{n:02d},Course {n},2,{n % 8 + 1}" for n in range(rows)]
        text = "\n".join(["code,title,credits,term", *lines]) + "\n"
        into_programme = ProgrammeFactory(
            name=f"P {code}", certification=None, track=None, own_degree_level="bachelor"
        )
        plain_text = text.replace("term", "note")
        post_plan(staff_client, plain_text)  # the courses, created: unchanged from now on
        with CaptureQueriesContext(connection) as plain:
            post_plan(staff_client, plain_text)
        with CaptureQueriesContext(connection) as into:
            response = post_plan(staff_client, text, programme=into_programme.pk)
        assert response.status_code == 200, response.content
        assert response.json()["programme_added"] == rows
        return len(into) - len(plain)

    few, many = queries(4, "A"), queries(40, "B")

    assert many <= few + 2, (few, many)


@pytest.mark.parametrize(
    ("cell", "term", "span"),
    [
        ("1", 1, False),
        ("３", 3, False),  # noqa: RUF001
        ("１２", 12, False),  # noqa: RUF001
        ("第3学期", 3, False),
        ("三", 3, False),
        ("第三学期", 3, False),
        ("十二", 12, False),
        ("1-2", 1, True),
        ("1~4", 1, True),
        ("1—4", 1, True),
        ("3、4", 3, True),
        ("1,2", 1, True),
        ("1，2", 1, True),  # noqa: RUF001
        ("", None, False),
        (4, 4, False),
        (4.0, 4, False),
    ],
)
def test_a_term_cell_is_read_as_a_semester_s_number(cell, term, span):
    assert read_term(cell) == (term, span)


@pytest.mark.parametrize("cell", ["秋季", "0", "21", "3.5", 2.5, "1-秋", "第学期"])
def test_a_term_cell_naming_no_semester_is_refused(cell):
    with pytest.raises(ValueError, match="20"):
        read_term(cell)


def test_the_report_gives_the_programme_s_part_as_one_value(programme):
    """What the command, the admin's job page and the confirm step say it from."""
    report = course_catalogue_import(
        content=PLAN.encode(), file_name="plan.csv", programme=programme, dry_run=True
    )

    assert report.placed == CoursesPlaced(added=3, already=1, terms_set=3)


def test_the_schema_names_the_programme_field_and_the_counts(staff_client):
    from core.tests import openapi

    schema = openapi.generate()[0]
    post = schema["paths"][IMPORT]["post"]
    form = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["programme"]["type"] == "integer"
    ok = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ok.rsplit("/", 1)[-1]]
    for name in ("programme", "programme_added", "programme_already", "programme_terms_set"):
        assert name in component["properties"]
        assert name in component["required"]
    assert Programme  # the programmes are named by their id, as programs/{id}/ names them


def _plan_file(tmp_path, text: str = PLAN):
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("named", ["id", "name"])
def test_the_command_imports_into_a_programme_named_by_id_or_name(tmp_path, programme, named):
    out = StringIO()
    which = str(programme.pk) if named == "id" else programme.name

    call_command("import_courses", str(_plan_file(tmp_path)), "--programme", which, stdout=out)

    assert programme_entries(programme) == [
        ("MATH101", None),
        ("PHYS101", 5),
        ("MECH202", 3),
        ("RC301", 3),
        ("SURV201", 1),
    ]
    assert (
        "3 courses added to the programme “Civil Engineering (BEng)”; 1 was in it already; "
        "3 terms set." in out.getvalue()
    )


def test_the_command_imports_into_a_programme_named_by_its_chinese_name(tmp_path, programme):
    """Observed: `--programme 土木工程` (the Chinese name a Chinese reader gives) named no
    programme: only the English name was looked for."""
    programme.name_zh = "土木工程"
    programme.save()
    ProgrammeFactory(name="Architecture", name_zh="建筑学")

    call_command(
        "import_courses", str(_plan_file(tmp_path)), "--programme", "土木工程", stdout=StringIO()
    )

    assert ("PHYS101", 5) in programme_entries(programme)


def test_the_command_refuses_a_chinese_name_two_programmes_share_naming_them(tmp_path):
    first = ProgrammeFactory(name="Civil Engineering (2024)", name_zh="土木工程")
    second = ProgrammeFactory(name="Civil Engineering (2025)", name_zh="土木工程")

    plan = str(_plan_file(tmp_path))
    with pytest.raises(CommandError) as refused:
        call_command("import_courses", plan, "--programme", "土木工程", stdout=StringIO())

    assert str(refused.value) == (
        f"Several programmes are named “土木工程”: “Civil Engineering (2024)” (id {first.pk}), "
        f"“Civil Engineering (2025)” (id {second.pk}). Give its id."
    )
    assert not ProgrammeCourse.objects.exists()


def test_the_command_s_dry_run_and_json_say_what_would_be_added(tmp_path, programme):
    out = StringIO()

    call_command(
        "import_courses",
        str(_plan_file(tmp_path)),
        "--programme",
        str(programme.pk),
        "--dry-run",
        stdout=out,
    )
    assert "3 courses would be added to the programme" in out.getvalue()
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]

    out = StringIO()
    call_command(
        "import_courses",
        str(_plan_file(tmp_path)),
        "--programme",
        str(programme.pk),
        "--json",
        stdout=out,
    )
    answer = json.loads(out.getvalue())
    assert (answer["programme"], answer["programme_added"], answer["programme_terms_set"]) == (
        programme.pk,
        3,
        3,
    )


def test_the_command_refuses_a_programme_it_cannot_find_and_a_bad_term_by_line(tmp_path, programme):
    with pytest.raises(CommandError, match="No programme has the id or name “Nope”"):
        call_command("import_courses", str(_plan_file(tmp_path)), "--programme", "Nope")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_courses",
            str(_plan_file(tmp_path, "code,title,学期\nNEW1,New,秋季\n")),
            "--programme",
            programme.name,
            stderr=err,
        )
    assert "line 2" in err.getvalue()
    assert "秋季" in err.getvalue()
    assert not Course.objects.filter(code="NEW1").exists()


def test_the_link_and_requirement_commands_take_no_programme(tmp_path):
    with pytest.raises(CommandError, match="--programme"):
        call_command("import_links", str(_plan_file(tmp_path)), "--programme", "1")


def test_a_background_import_into_a_programme_puts_the_courses_in_it(
    staff_client, settings, tmp_path, programme, django_capture_on_commit_callbacks
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")

    job = background_import(
        staff_client, django_capture_on_commit_callbacks, PLAN, programme=programme.pk
    )

    assert job["status"] == "succeeded", job
    assert job["options"]["programme"] == programme.pk
    details = job["report"]["details"]
    assert (
        details["programme"],
        details["programme_added"],
        details["programme_already"],
        details["programme_terms_set"],
    ) == (programme.pk, 3, 1, 3)
    assert programme_entries(programme)[2:] == [("MECH202", 3), ("RC301", 3), ("SURV201", 1)]
    assert [w["where"] for w in job["report"]["warnings"]] == ["line 5"]


def test_a_background_dry_run_into_a_programme_writes_nothing_and_a_bad_term_fails_it(
    staff_client, settings, tmp_path, programme, django_capture_on_commit_callbacks
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    captured = django_capture_on_commit_callbacks

    checked = background_import(
        staff_client, captured, PLAN, programme=programme.pk, dry_run="true"
    )
    failed = background_import(
        staff_client, captured, "code,title,开课学期\nNEW1,New,秋季\n", programme=programme.pk
    )

    assert checked["status"] == "succeeded", checked
    assert checked["report"]["details"]["programme_added"] == 3
    assert failed["status"] == "failed", failed
    assert "秋季" in json.dumps(failed["report"], ensure_ascii=False)
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]
    assert not Course.objects.filter(code__in=["MECH202", "NEW1"]).exists()


def test_a_background_import_into_a_programme_takes_the_same_permissions(
    api_client, django_user_model, settings, tmp_path, programme
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    user = _importer(
        django_user_model, "add_course", "change_course", "add_importjob", "view_importjob"
    )
    api_client.force_authenticate(user)

    upload = SimpleUploadedFile("plan.csv", PLAN.encode(), content_type="text/csv")
    response = api_client.post(
        IMPORT,
        {"file": upload, "background": "true", "programme": programme.pk},
        format="multipart",
    )

    assert response.status_code == 403, response.content
    assert not ImportJob.objects.exists()


def _admin_preview(client, text: str = PLAN, **data):
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload, **data}
    )


def test_the_admin_s_import_form_offers_the_programmes(admin_client, programme):
    page = admin_client.get(reverse("admin:curricula_course_import"))

    form = page.context["form"]
    assert list(form.fields["programme"].queryset) == [programme]
    assert 'name="programme"' in page.content.decode()


def test_the_admin_previews_and_confirms_an_import_into_a_programme(admin_client, programme):
    preview = _admin_preview(admin_client, programme=programme.pk)

    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    page = " ".join(preview.content.decode().split())
    said = (
        "3 courses would be added to the programme “Civil Engineering (BEng)”; 1 was in it "
        "already; 3 terms set."
    )
    assert said in page
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    messages = [str(message) for message in get_messages(confirm.wsgi_request)]
    assert (
        "3 courses added to the programme “Civil Engineering (BEng)”; 1 was in it already; "
        "3 terms set." in messages
    )
    assert programme_entries(programme)[2:] == [("MECH202", 3), ("RC301", 3), ("SURV201", 1)]


def _preview_table(page: str) -> list[list[str]]:
    """The admin preview's table as text, cell by cell: its header row, then one per course."""
    table = page[page.index('<table class="import-preview">') :]
    table = table[: table.index("</table>")]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_admin_preview_of_an_import_into_a_programme_shows_each_course_s_term(
    admin_client, programme
):
    """Observed: the preview listed the courses without the term each would get in the
    programme, which the designer checks before confirming; a Term column now says it (blank
    where the file gives none: the course keeps its own)."""
    preview = _admin_preview(admin_client, programme=programme.pk)

    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    header, *rows = _preview_table(preview.content.decode())
    assert header[-1] == "term"
    code = header.index("code")
    assert {row[code]: row[-1] for row in rows} == {
        "MECH202": "3",
        "PHYS101": "",
        "RC301": "3",
        "SURV201": "1",
    }


def test_the_admin_preview_without_a_programme_has_no_term_column(admin_client, programme):
    preview = _admin_preview(admin_client)

    header, *_rows = _preview_table(preview.content.decode())
    assert "term" not in header


def test_the_admin_refuses_a_bad_term_at_its_line(admin_client, programme):
    preview = _admin_preview(
        admin_client, "code,title,开课学期\nNEW1,New,秋季\n", programme=programme.pk
    )

    assert preview.context.get("confirm_form") is None
    [row] = preview.context["result"].invalid_rows
    assert row.number == 2
    assert "秋季" in str(row.error_dict["term"])
    assert not Course.objects.filter(code="NEW1").exists()


def test_the_admin_offers_no_programme_to_who_may_not_change_one_nor_takes_one_posted(
    client, django_user_model, programme
):
    user = _importer(django_user_model, "add_course", "change_course", "view_course")
    client.force_login(user)

    page = client.get(reverse("admin:curricula_course_import"))
    assert "programme" not in page.context["form"].fields
    preview = _admin_preview(client, programme=programme.pk)
    # The field is not there: the programme posted is not read, and the term column is left
    # out as without one.
    assert preview.context["confirm_form"] is not None
    assert "programme" not in (preview.context["confirm_form"].initial or {})
    tampered = {**preview.context["confirm_form"].initial, "programme": programme.pk}
    confirm = client.post(reverse("admin:curricula_course_process_import"), tampered)
    assert confirm.status_code == 403
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_a_large_catalogue_imported_into_a_programme_in_the_admin_goes_to_a_job_that_does(
    admin_client, settings, tmp_path, programme, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 2
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")

    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_preview(admin_client, programme=programme.pk)

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.options["programme"] == programme.pk
    assert job.report["details"]["programme_added"] == 3
    assert programme_entries(programme)[2:] == [("MECH202", 3), ("RC301", 3), ("SURV201", 1)]
    page = " ".join(admin_client.get(response.url).content.decode().split())
    assert (
        "3 courses added to the programme “Civil Engineering (BEng)”; 1 was in it already; "
        "3 terms set." in page
    )


def test_a_chinese_reader_is_told_a_term_problem_under_the_column_s_chinese_name(
    tmp_path, programme
):
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_courses",
            str(_plan_file(tmp_path, "课程代码,课程名称,开课学期\nNEW1,新课程,秋季\n")),
            "--programme",
            str(programme.pk),
            "--language",
            "zh-hans",
            stderr=err,
        )

    assert "开课学期（term）" in err.getvalue()  # noqa: RUF001 (as the Chinese heading writes it)
    assert "秋季" in err.getvalue()
