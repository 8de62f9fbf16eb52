"""Importing a programme's map from a matrix file (curricula.map_imports): courses by abilities
or the transpose, read by the project's CSV and XLSX readers, each cell's level read as the
paste reads it, saved as one change set of the map's."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from curricula import services
from curricula.coverage.services import coverage_recompute
from curricula.map_imports import ABILITIES_AS_ROWS, COURSES_AS_ROWS, map_import_plan
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(django_capture_on_commit_callbacks):
    """Three courses (K0..K2) by three required abilities (A0..A2); K0 builds A0 at R, K1 A1 at
    M. Committed, as before any request."""
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        abilities = [
            AbilityFactory(code=f"A{i}", text=f"Plan campaign {i}", text_zh=f"策划活动{i}")
            for i in range(3)
        ]
        for ability in abilities:
            RequirementFactory(position=position, ability=ability)
        courses = [CourseFactory(code=f"K{i}", title=f"Course {i}") for i in range(3)]
        CourseAbilityFactory(course=courses[0], ability=abilities[0], level=level("R"))
        CourseAbilityFactory(course=courses[1], ability=abilities[1], level=level("M"))
        programme = ProgrammeFactory(courses=courses, targets=[position])
        coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, courses, abilities


def _state() -> set[tuple[str, str, str]]:
    return set(CourseAbility.objects.values_list("course__code", "ability__code", "level__code"))


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plan(programme, content, name="map.csv", **options):
    return map_import_plan(programme=programme, content=content, file_name=name, **options)


def _staff_page_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_map_as_csv_as_downloaded_imports_back_with_no_change(grid, staff_user, language):
    programme, _courses, _abilities = grid
    client = _staff_page_client(staff_user)
    download = client.get(
        f"/programs/{programme.pk}/map.csv", headers={"accept-language": language}
    )
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    if language == "zh-hans":
        assert "课程代码".encode() in content
    before = _state()
    report = _plan(programme, content, blank_clears=True)
    assert report.problems == []
    assert report.ok, report.problem_messages()
    assert report.orientation == COURSES_AS_ROWS
    assert (report.courses, report.abilities) == (3, 3)
    assert report.plan.changes == []
    assert report.unchanged == 9  # with blank_clears, every cell is read, none changes
    assert len(report.header_lines) == 2  # the header and the "minimum level required" row
    written = services.programme_map_import(
        programme=programme, content=content, file_name="map.csv", blank_clears=True
    )
    assert written.change_set.count == 0
    assert _state() == before


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_workbooks_map_sheet_imports_back_with_no_change(grid, staff_user, language):
    """The workbook opens at its Summary sheet; the import reads its Map sheet (地图), abilities
    as rows under two header rows (codes, then course titles), beside the columns Required,
    Reached and Status, which are read past."""
    programme, _courses, _abilities = grid
    client = _staff_page_client(staff_user)
    download = client.get(
        f"/programs/{programme.pk}/workbook.xlsx", headers={"accept-language": language}
    )
    assert download.status_code == 200
    before = _state()
    report = _plan(programme, download.content, name="workbook.xlsx", blank_clears=True)
    assert report.ok, report.problem_messages()
    assert report.orientation == ABILITIES_AS_ROWS
    assert report.plan.changes == []
    assert report.unchanged == 9
    services.programme_map_import(
        programme=programme,
        content=download.content,
        file_name="workbook.xlsx",
        blank_clears=True,
    )
    assert _state() == before


def test_a_transposed_workbook_with_level_names_and_tiers_is_read_cell_by_cell(grid):
    """Abilities as rows, courses as columns, as a 课程支撑矩阵 is kept: a title line above,
    level names in Chinese and English, a syllabus tier (掌握 is M), full width (Ｉ)."""  # noqa: RUF002
    programme, _courses, _abilities = grid
    content = _xlsx(
        [
            ["课程支撑矩阵"],
            ["指标点", "K0", "K1", "K2"],
            ["A0", "熟练掌握", "", "Ｉ"],  # noqa: RUF001
            ["A1", "", "掌握", "Reinforced"],
            ["A2", "-", None, "了解"],
        ]
    )
    report = _plan(programme, content, name="matrix.xlsx")
    assert report.ok, report.problem_messages()
    assert report.orientation == ABILITIES_AS_ROWS
    kinds = {
        (c.course_code, c.ability_code): (c.kind, c.after and c.after.code)
        for c in report.plan.changes
    }
    assert kinds == {
        ("K0", "A0"): ("change", "M"),
        ("K2", "A0"): ("create", "I"),
        ("K2", "A1"): ("create", "R"),
        ("K2", "A2"): ("create", "I"),
    }
    # K1 x A1 is M already and K0 x A2 cleared is empty already; blanks are left as they are
    # (blank_clears is off).
    assert report.unchanged == 2
    assert report.blank_left == 3
    assert CourseAbility.objects.count() == 2  # nothing written by the plan


def test_blank_cells_clear_only_when_asked_and_a_partial_file_leaves_the_rest(grid):
    programme, _courses, _abilities = grid
    content = _csv("course code,A0", "K0,", "K2,")
    kept = _plan(programme, content)
    assert kept.ok
    assert kept.plan.changes == []
    assert kept.blank_left == 2
    cleared = _plan(programme, content, blank_clears=True)
    assert [(c.course_code, c.ability_code, c.kind) for c in cleared.plan.changes] == [
        ("K0", "A0", "clear")
    ]
    services.programme_map_import(
        programme=programme, content=content, file_name="map.csv", blank_clears=True
    )
    # K1 x A1 (a course and an ability the file does not give) is left as it was.
    assert _state() == {("K1", "A1", "M")}


def test_every_problem_is_named_with_its_line_and_column_and_nothing_is_written(grid):
    programme, _courses, _abilities = grid
    CourseFactory(code="OUT1")  # in the catalogue, not in the programme
    AbilityFactory(code="Z9")  # no target requires it
    twin = AbilityFactory(code="A2")  # a second framework's A2...
    RequirementFactory(position=programme.targets.get().position, ability=twin)
    content = _csv(
        "course code,course title,A0,A1,A0,NOPE,Z9,A2",
        "K0,One,M,X,I,,,",
        "OUT1,Out,M,,,,,",
        "GHOST,Ghost,M,,,,,",
        "K0,Again,I,,,,,",
    )
    before = _state()
    report = _plan(programme, content)
    assert not report.ok
    places = {(p.line, p.column): p.message for p in report.problems}
    assert "also column C" in places[1, 5]  # A0 twice
    assert (1, 6) not in places  # a column of no values under an unknown header: read past
    assert "not required by any" in places[1, 7]
    assert "names 2 abilities" in places[1, 8]
    assert "A2 Plan campaign 2" in places[1, 8]
    assert "“X” is not a level" in places[2, 4]
    assert "not one of the programme's courses" in places[3, 1]
    assert "No course has the code “GHOST”" in places[4, 1]
    assert "also on line 2" in places[5, 1]
    assert report.problems[0].place == "Line 1, column E (5)"
    assert report.change_set is None
    written = services.programme_map_import(
        programme=programme, content=content, file_name="map.csv"
    )
    assert written.change_set is None
    assert _state() == before


def test_an_unknown_column_of_levels_is_a_problem_and_one_of_other_values_is_read_past(grid):
    programme, _courses, _abilities = grid
    report = _plan(programme, _csv("course code,A0,NOPE,学分", "K0,M,I,3", "K1,,,2"))
    assert [(p.line, p.column) for p in report.problems] == [(1, 3)]
    assert "No ability has the code “NOPE”" in report.problems[0].message
    read_past = _plan(programme, _csv("course code,A0,学分", "K0,M,3", "K1,,2"))
    assert read_past.ok
    assert read_past.columns_read_past == ["C 学分"]


def test_a_file_read_both_ways_is_refused_saying_why(grid):
    """Course codes that are also ability codes: the file's orientation cannot be told."""
    programme, _courses, _abilities = grid
    both = AbilityFactory(code="K0")
    RequirementFactory(position=programme.targets.get().position, ability=both)
    programme.programme_courses.create(course=CourseFactory(code="A0"))
    content = _csv("code,A0,K0", "K0,M,", "A0,,I")
    report = _plan(programme, content)
    assert not report.ok
    assert report.orientation == ""
    assert "can be read both ways" in report.problems[0].message


def test_a_file_without_codes_says_what_it_needs(grid):
    programme, _courses, _abilities = grid
    report = _plan(programme, _csv("name,level", "x,M"))
    assert not report.ok
    assert "No header row names the programme's courses or abilities" in report.problems[0].message


def test_a_file_that_is_no_spreadsheet_is_refused_on_file(grid):
    programme, _courses, _abilities = grid
    with pytest.raises(ValidationError) as refused:
        _plan(programme, b"%PDF-1.4", name="map.pdf")
    assert "file" in refused.value.message_dict


def test_a_utf16_csv_with_formula_apostrophes_is_read(grid):
    """Excel's "Unicode text": UTF-16 and tabs; an apostrophe an export put before a would-be
    formula is taken off (a code starting with "-")."""
    programme, _courses, _abilities = grid
    dashed = CourseFactory(code="-K9")
    programme.programme_courses.create(course=dashed)
    content = "course code\tA2\r\nK0\tM\r\n'-K9\tI\r\n".encode("utf-16")
    report = _plan(programme, content)
    assert report.ok, report.problem_messages()
    assert {(c.course_code, c.after.code) for c in report.plan.changes} == {
        ("K0", "M"),
        ("-K9", "I"),
    }


def test_the_import_is_one_change_set_with_one_recompute_and_undo_reverts_it(
    grid, django_capture_on_commit_callbacks, monkeypatch, staff_user
):
    from curricula.tasks import recompute_coverage

    programme, _courses, _abilities = grid
    sent = []
    monkeypatch.setitem(recompute_coverage.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        recompute_coverage, "apply_async", lambda kwargs=None, **options: sent.append(kwargs)
    )
    before = _state()
    content = _csv("course code,A0,A1,A2", "K0,M,I,", "K1,,,R", "K2,I,,")
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.programme_map_import(
            programme=programme, content=content, file_name="m.csv", user=staff_user
        )
    change_set = report.change_set
    assert (change_set.created, change_set.changed, change_set.cleared) == (3, 1, 0)
    assert len(callbacks) == 1
    callbacks[0]()
    assert [pk for call in sent for pk in call["programme_ids"]] == [programme.pk]
    services.programme_map_undo(token=change_set.token, user=staff_user)
    assert _state() == before


def test_a_cell_changed_since_the_preview_is_refused_when_saved(grid):
    """The preview's cells carry the level each held then: a change meanwhile is refused, as
    for the paste, and nothing of the set is written."""
    programme, courses, abilities = grid
    report = _plan(programme, _csv("course code,A0,A2", "K0,M,I"))
    CourseAbility.objects.filter(course=courses[0], ability=abilities[0]).update(level=level("I"))
    with pytest.raises(ValidationError) as refused:
        services.programme_map_change(programme=programme, cells=report.changed_cells)
    assert "changed by someone else" in refused.value.messages[0]
    assert ("K0", "A2", "I") not in _state()


def test_a_preview_for_an_editor_who_may_not_add_or_clear_withholds_those_cells(grid):
    programme, _courses, _abilities = grid
    content = _csv("course code,A0,A1,A2", "K0,-,,I", "K1,,I,")
    report = _plan(programme, content, withhold_clears=True, withhold_creations=True)
    assert report.ok
    assert [(c.course_code, c.ability_code, c.kind) for c in report.plan.changes] == [
        ("K1", "A1", "change")
    ]
    assert report.plan.withheld_count("clear") == 1
    assert report.plan.withheld_count("create") == 1
    assert [(c.course_id, c.ability_id) for c in report.changed_cells] == [
        (report.plan.changes[0].course_id, report.plan.changes[0].ability_id)
    ]


# --- The page: upload, preview, save, undo ---------------------------------------------------


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_programme_page_offers_the_import_to_editors_only(grid, staff_user, plain_user):
    programme, _courses, _abilities = grid
    url = f"/programs/{programme.pk}/"
    import_url = f"/programs/{programme.pk}/map/import/"
    assert import_url in _staff_page_client(staff_user).get(url).content.decode()
    reader = Client()
    reader.force_login(plain_user)
    assert import_url not in reader.get(url).content.decode()
    assert reader.get(import_url).status_code == 403
    assert Client().get(import_url).status_code == 302  # to log in


def test_upload_previews_cell_by_cell_then_save_is_one_change_set_that_undo_reverts(
    grid, staff_user
):
    programme, courses, abilities = grid
    client = _staff_page_client(staff_user)
    before = _state()
    preview = client.post(
        f"/programs/{programme.pk}/map/import/",
        {"file": _upload("map.csv", _csv("course code,A0,A1,A2", "K0,M,,I", "K1,,-,"))},
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Courses as rows, abilities as columns." in page
    assert "1 new, 1 changed, 1 cleared; 0 already as the file gives them." in page
    assert "3 blank cells are left as they are." in page
    assert _state() == before  # the preview writes nothing
    form = preview.context["cells"]
    data = {}
    for cell in form:
        data[f"cell:{cell.course_id}:{cell.ability_id}"] = cell.code
        data[f"base:{cell.course_id}:{cell.ability_id}"] = cell.base
    assert f'name="base:{courses[0].pk}:{abilities[0].pk}" value="R"' in page
    saved = client.post(f"/programs/{programme.pk}/changes/", data)
    assert saved.status_code == 302
    assert _state() == {("K0", "A0", "M"), ("K0", "A2", "I")}
    banner = client.get(saved["Location"]).content.decode()
    assert "Saved" in banner
    token = client.session.get("map_change", {}).get("token") or _last_token()
    undone = client.post(f"/programs/{programme.pk}/changes/{token}/undo/")
    assert undone.status_code == 302
    assert _state() == before


def _last_token() -> str:
    record = CourseAbility.history.exclude(history_change_set=None).latest("history_date")
    return record.history_change_set.hex


def test_a_preview_with_problems_is_a_400_naming_line_and_column_and_offers_no_save(
    grid, staff_user
):
    programme, _courses, _abilities = grid
    answer = _staff_page_client(staff_user).post(
        f"/programs/{programme.pk}/map/import/",
        {"file": _upload("map.csv", _csv("course code,A0,A1", "K0,M,Q"))},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Line 2, column C (3)" in page
    assert "“Q” is not a level" in page
    assert "/changes/" not in page


def test_a_file_that_is_not_a_spreadsheet_is_a_400_on_the_page(grid, staff_user):
    programme, _courses, _abilities = grid
    answer = _staff_page_client(staff_user).post(
        f"/programs/{programme.pk}/map/import/", {"file": _upload("map.pdf", b"%PDF-1.4")}
    )
    assert answer.status_code == 400
    assert "The file cannot be imported" in answer.content.decode()


def test_the_preview_counts_what_the_file_gives_without_a_wrong_plural(grid, staff_user):
    """Observed: a file of one course and one ability was previewed as giving "1 courses and 1
    abilities of the map"."""
    programme, _courses, _abilities = grid
    preview = _staff_page_client(staff_user).post(
        f"/programs/{programme.pk}/map/import/",
        {"file": _upload("map.csv", _csv("course code,A0", "K0,M"))},
    )
    page = " ".join(preview.content.decode().split())
    assert "Of the map, the file gives courses: 1; abilities: 1." in page
    assert "1 courses" not in page


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_import_page_answers_only_get_and_post(grid, staff_user, method):
    """Observed: a PUT, PATCH or DELETE to the import page was answered with its form (200), as
    if a GET; the site's other pages answer a method they do not take with 405."""
    programme, _courses, _abilities = grid
    client = _staff_page_client(staff_user)
    answer = getattr(client, method)(f"/programs/{programme.pk}/map/import/")
    assert answer.status_code == 405
    assert sorted(answer["Allow"].split(", ")) == ["GET", "HEAD", "POST"]


# --- The API ---------------------------------------------------------------------------------


def _api_import(client, programme, content, name="map.csv", **fields):
    return client.post(
        f"/api/v1/programs/{programme.pk}/map/import/",
        {"file": _upload(name, content), **fields},
        format="multipart",
    )


def test_the_api_imports_with_dry_run_then_for_real(grid, staff_client):
    programme, _courses, _abilities = grid
    before = _state()
    content = _csv("course code,A0,A2", "K0,M,I")
    checked = _api_import(staff_client, programme, content, dry_run="true")
    assert checked.status_code == 200, checked.json()
    body = checked.json()
    assert (body["ok"], body["dry_run"], body["created"], body["changed"]) == (True, True, 1, 1)
    assert body["token"] == ""
    assert _state() == before
    written = _api_import(staff_client, programme, content)
    assert written.status_code == 200
    assert len(written.json()["token"]) == 32
    assert ("K0", "A2", "I") in _state()


@pytest.mark.parametrize("flag", ["dry_run", "blank_clears"])
def test_the_api_takes_its_flags_in_the_query_string_as_every_import_does(grid, staff_client, flag):
    """Observed: `map/import/?dry_run=true` was a 400 ("Unknown query parameter: this request
    takes none."), where every other import takes its flags in the query string as in the form
    (the README says so of every import)."""
    programme, _courses, _abilities = grid
    before = _state()
    content = _csv("course code,A0,A2", "K0,,I")

    answer = staff_client.post(
        f"/api/v1/programs/{programme.pk}/map/import/?{flag}=true&dry_run=true",
        {"file": _upload("map.csv", content)},
        format="multipart",
    )

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["dry_run"] is True
    assert body["cleared"] == (1 if flag == "blank_clears" else 0)
    assert _state() == before


def test_the_api_answers_400_with_problems_by_line_and_column_and_writes_nothing(
    grid, staff_client
):
    programme, _courses, _abilities = grid
    before = _state()
    answer = _api_import(staff_client, programme, _csv("course code,A0,A1", "K0,M,Q", "XX,I,"))
    assert answer.status_code == 400
    body = answer.json()
    assert body["ok"] is False
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(2, 3), (3, 1)]
    assert _state() == before


def test_the_api_refuses_a_missing_file_an_unknown_key_and_a_bad_flag(grid, staff_client):
    programme, _courses, _abilities = grid
    url = f"/api/v1/programs/{programme.pk}/map/import/"
    assert staff_client.post(url, {}, format="multipart").status_code == 400
    content = _csv("course code,A0", "K0,M")
    assert _api_import(staff_client, programme, content, extra="1").status_code == 400
    assert _api_import(staff_client, programme, content, dry_run="maybe").status_code == 400
    assert _api_import(staff_client, programme, b"%PDF", name="x.pdf").status_code == 400


def test_the_api_takes_the_map_editors_permissions(grid, django_user_model):
    from django.contrib.auth.models import Permission
    from rest_framework.test import APIClient

    programme, _courses, _abilities = grid
    user = django_user_model.objects.create_user(username="changer", is_staff=True)
    client = APIClient()
    client.force_authenticate(user)
    content = _csv("course code,A0,A2", "K0,M,I")
    assert _api_import(client, programme, content).status_code == 403  # no link permission
    user.user_permissions.set(Permission.objects.filter(codename="change_courseability"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached per instance
    client.force_authenticate(user)
    refused = _api_import(client, programme, content)  # K0 x A2 would add a link
    assert refused.status_code == 403
    assert "may not add links" in str(refused.json())
    assert ("K0", "A2", "I") not in _state()
    changed_only = _api_import(client, programme, _csv("course code,A0", "K0,M"))
    assert changed_only.status_code == 200
    assert ("K0", "A0", "M") in _state()


def test_the_apis_map_csv_imports_back_with_no_change(grid, staff_client):
    """`GET programs/{id}/map/` (course_code, course_title, "CODE statement" columns) too."""
    programme, _courses, _abilities = grid
    download = staff_client.get(f"/api/v1/programs/{programme.pk}/map/", HTTP_ACCEPT="text/csv")
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    before = _state()
    answer = _api_import(staff_client, programme, content, blank_clears="true")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["created"], body["changed"], body["cleared"], body["unchanged"]) == (0, 0, 0, 9)
    assert _state() == before


def test_a_file_past_the_inline_bound_is_refused_without_offering_a_background_import(
    grid, staff_client, settings
):
    """The other imports' refusal points to background=true, which the map's import does not
    take (it is refused as an unknown key): this one says what to do instead."""
    programme, _courses, _abilities = grid
    settings.API_IMPORT_INLINE_ROWS = 2
    answer = _api_import(staff_client, programme, _csv("course code,A0", "K0,M", "K1,I", "K2,R"))
    assert answer.status_code == 400
    message = str(answer.json())
    assert "more than 2 lines" in message
    assert "background" not in message


def test_the_chinese_preview_lists_lines_and_level_codes_with_the_catalogues_separator(
    grid, staff_user, chinese_stand_in
):
    """The preview's lists (header lines, columns read past) and the codes an unknown level is
    told to use were joined with ", " whatever the language: Chinese writes 、."""
    chinese_stand_in("list separator", ", ")
    with translation.override("zh-hans"):
        separator = translation.pgettext("list separator", ", ")
    assert separator != ", "
    programme, _courses, _abilities = grid
    content = _csv("Map,,", "Course,A0,A1", "K0,R,X", "K1,,M")
    client = _staff_page_client(staff_user)

    response = client.post(
        f"/programs/{programme.pk}/map/import/",
        {"file": SimpleUploadedFile("map.csv", content)},
        headers={"accept-language": "zh-hans"},
    )

    text = response.content.decode()
    assert response.status_code == 400  # the X
    assert f"1{separator}2" in text, text
    levels = separator.join(("I", "R", "M"))
    assert levels in text, text
