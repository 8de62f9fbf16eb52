"""The map import on a programme of its own framework (codes such as GA1.2, 2.10 and C-01, a
course code in Chinese, an ability without a code) and a scale of its own (H/M/L): what an
acceptance check found."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from curricula.models import CourseAbility
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from curricula.tests.plan_imports import xlsx_bytes
from positions.models import Level
from positions.tests.factories import AbilityFactory, FrameworkFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_map():
    # A scale of the programme's own: I, R, M renamed L, M, H (levels are data).
    low, medium, high = level("I"), level("R"), level("M")
    high.code, high.name = "H", "High"
    high.save()
    medium.code, medium.name = "M", "Medium"
    medium.save()
    low.code, low.name = "L", "Low"
    low.save()
    framework = FrameworkFactory(name="Own framework")
    abilities = [
        AbilityFactory(framework=framework, code="GA1.2", text="Communicate"),
        AbilityFactory(framework=framework, code="2.10", text="Design systems"),
        AbilityFactory(framework=framework, code="C-01", text="Ethics"),
        AbilityFactory(framework=framework, code="", text="Teamwork without code"),
    ]
    position = RequirementFactory(ability=abilities[0], min_level=medium).position
    for ability in abilities[1:]:
        RequirementFactory(position=position, ability=ability, min_level=medium)
    courses = [CourseFactory(code=code) for code in ("软工101", "CS-2", "MATH1")]
    programme = ProgrammeFactory(courses=courses, targets=[position])
    return {"programme": programme, "abilities": abilities, "courses": courses}


def api_import(client, programme, name, content, **data):
    return client.post(
        f"/api/v1/programs/{programme.pk}/map/import/",
        {"file": SimpleUploadedFile(name, content), **data},
        format="multipart",
    )


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_formula_saved_without_its_value_is_a_problem_on_its_cell_not_a_clear(
    own_map, staff_client
):
    """A program (openpyxl among them) writes formulas without their values: such a cell read as
    empty cleared the link under it, with Blank cells clear a link unticked."""
    course, ability = own_map["courses"][0], own_map["abilities"][0]
    CourseAbility.objects.create(course=course, ability=ability, level=Level.objects.get(code="H"))
    content = xlsx_bytes(
        [["course", "GA1.2"], ["软工101", '=HYPERLINK("https://example.org","H")']]
    )

    response = api_import(staff_client, own_map["programme"], "map.xlsx", content)

    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 2
    assert response.json()["errors"][0]["column"] == 2
    assert "formula" in response.json()["errors"][0]["errors"]["__all__"][0]
    assert CourseAbility.objects.get(course=course, ability=ability).level.code == "H"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_workbook_with_an_ability_without_a_code_imports_back_unchanged(
    own_map, client, staff_user, language
):
    """The workbook's Map sheet leaves the Code cell of an ability without a code blank and
    names it in the next column: its row was refused as levels under no code (or, first, read
    past as a header)."""
    high, low = Level.objects.get(code="H"), Level.objects.get(code="L")
    courses, abilities = own_map["courses"], own_map["abilities"]
    CourseAbility.objects.create(course=courses[0], ability=abilities[0], level=high)
    CourseAbility.objects.create(course=courses[2], ability=abilities[3], level=low)
    client.force_login(staff_user)
    programme = own_map["programme"]
    content = downloaded(
        client.get(f"/programs/{programme.pk}/workbook.xlsx", HTTP_ACCEPT_LANGUAGE=language)
    )

    response = client.post(
        f"/programs/{programme.pk}/map/import/",
        {"file": SimpleUploadedFile("map.xlsx", content), "blank_clears": "1"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    report = response.context["report"]
    assert response.status_code == 200, report.problem_messages()
    assert (report.created, report.changed, report.cleared) == (0, 0, 0)
    assert report.unchanged == 12


def test_an_ability_without_a_code_as_the_first_row_is_read_not_taken_for_a_header(
    own_map, staff_client
):
    content = xlsx_bytes(
        [
            ["Code", "Ability", "软工101", "CS-2"],
            [None, "Teamwork without code", "H", None],
            ["GA1.2", "Communicate", None, "L"],
        ]
    )

    response = api_import(staff_client, own_map["programme"], "map.xlsx", content, dry_run="1")

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    assert response.json()["header_lines"] == [1]


def test_a_total_row_naming_nothing_of_the_map_and_holding_no_level_is_read_past(
    own_map, staff_client, client, staff_user
):
    """As a credits or Total column is: a spreadsheet's Total (合计) row of counts was refused
    as an unknown course. A row of levels under an unknown code is still a problem."""
    content = "course,GA1.2,2.10\r\n软工101,H,M\r\nTotal,1,1\r\n合计,1,1\r\n".encode()

    response = api_import(staff_client, own_map["programme"], "map.csv", content, dry_run="1")

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    assert response.json()["lines_read_past"] == [3, 4]
    client.force_login(staff_user)
    page = client.post(
        f"/programs/{own_map['programme'].pk}/map/import/",
        {"file": SimpleUploadedFile("map.csv", content)},
    )
    assert "hold no level: lines 3, 4." in page.content.decode()
    typo = "course,GA1.2\r\n软工101,H\r\nCS-3,M\r\n".encode()
    refused = api_import(staff_client, own_map["programme"], "map.csv", typo, dry_run="1")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["line"] == 3


def test_the_schema_describes_what_the_import_answers(own_map, staff_client):
    """The schema gave the 200 as any object: a client could not learn its fields. What the API
    answers, saved or a dry run, validates against the component the schema names, which
    requires every field."""
    import jsonschema

    from core.tests import openapi

    schema = openapi.generate()[0]
    operation = schema["paths"]["/api/v1/programs/{id}/map/import/"]["post"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = {**schema["components"]["schemas"][reference.rsplit("/", 1)[1]]}
    component["components"] = schema["components"]
    component = jsonschema.Draft202012Validator(component)
    content = "course,GA1.2,Teamwork without code\r\n软工101,H,M\r\nTotal,1,1\r\n".encode()
    for flag in ("true", "false"):
        body = api_import(
            staff_client, own_map["programme"], "map.csv", content, dry_run=flag
        ).json()
        errors = list(component.iter_errors(body))
        assert not errors, errors
        assert set(body) == set(component.schema["required"])


def test_a_misspelt_first_code_read_past_as_a_label_column_is_said(
    own_map, staff_client, client, staff_user
):
    """Columns left of the first known code are labels, read past: a misspelt first ability
    code (GA1.X for GA1.2) lost its column of levels without a word. The preview now names such
    a column holding levels (the workbook's own Required and Reached are not named)."""
    content = "course,title,GA1.X,2.10\r\n软工101,Software,H,M\r\n".encode()

    response = api_import(staff_client, own_map["programme"], "map.csv", content, dry_run="1")

    assert response.status_code == 200
    assert response.json()["label_columns_with_levels"] == ["C GA1.X"]
    client.force_login(staff_user)
    page = client.post(
        f"/programs/{own_map['programme'].pk}/map/import/",
        {"file": SimpleUploadedFile("map.csv", content)},
    )
    assert "though they hold levels: columns C GA1.X" in page.content.decode()
    for language in ("en", "zh-hans"):
        book = downloaded(
            client.get(
                f"/programs/{own_map['programme'].pk}/workbook.xlsx",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        )
        again = api_import(staff_client, own_map["programme"], "map.xlsx", book, dry_run="1")
        assert again.json()["label_columns_with_levels"] == [], language


def test_a_workbook_saved_with_a_sheet_of_notes_open_says_which_sheet_was_read(
    own_map, staff_client
):
    """The map on a second sheet not titled Map (矩阵) and a sheet of notes saved open: the
    refusal said no header row named the programme's codes, not where it had looked."""
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["H = high, M = medium, L = low"])
    matrix = book.create_sheet("矩阵")
    matrix.append(["course", "GA1.2"])
    matrix.append(["软工101", "H"])
    buffer = io.BytesIO()
    book.save(buffer)

    response = api_import(staff_client, own_map["programme"], "map.xlsx", buffer.getvalue())

    assert response.status_code == 400
    message = response.json()["errors"][0]["errors"]["__all__"][0]
    assert "“说明”" in message
    assert "“矩阵”" in message
