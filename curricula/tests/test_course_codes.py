"""Course codes are one code however their characters are written: NFKC (a full-width CS101, as
a Chinese input method types it, is CS101; a decomposed accent is the composed one) without
surrounding whitespace, at every door that writes one, so the uniqueness checks see a duplicate
as one."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Max
from django.urls import reverse

from certifications.models import TrainingStage
from curricula.models import Course, CourseAbility, Module
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.models import CompetencyArea
from positions.tests.factories import AbilityFactory

pytestmark = pytest.mark.django_db

FULL_WIDTH = "ＣＳ１０１"  # noqa: RUF001 -- a full-width CS101, as a Chinese input method types it
COMPOSED = "CAF\u00c91"  # CAFÉ1, É as one character
DECOMPOSED = "CAFE\u03011"  # CAFÉ1, E and a combining acute accent


@pytest.mark.parametrize(
    ("stored", "sent"),
    [("CS101", FULL_WIDTH), ("CS101", " CS101\u3000"), (COMPOSED, DECOMPOSED)],
)
def test_the_api_refuses_a_code_that_is_another_courses_written_differently(
    staff_client, stored, sent
):
    existing = CourseFactory(code=stored)
    other = CourseFactory(code="OTHER1")

    created = staff_client.post("/api/v1/courses/", {"code": sent, "title": "Copy"}, format="json")
    changed = staff_client.patch(f"/api/v1/courses/{other.pk}/", {"code": sent}, format="json")

    for response in (created, changed):
        assert response.status_code == 400, response.content
        assert "code" in response.json()
    assert Course.objects.count() == 2
    other.refresh_from_db()
    assert (other.code, Course.objects.get(pk=existing.pk).code) == ("OTHER1", stored)


def test_a_code_is_stored_and_answered_normalised(staff_client):
    response = staff_client.post(
        "/api/v1/courses/", {"code": f" {FULL_WIDTH} ", "title": "Programming"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "CS101"
    course = Course.objects.get()
    assert course.code == "CS101"
    renamed = staff_client.patch(
        f"/api/v1/courses/{course.pk}/", {"code": DECOMPOSED}, format="json"
    )
    assert renamed.json()["code"] == COMPOSED
    course.refresh_from_db()
    assert course.code == COMPOSED


def test_a_code_that_normalises_past_the_column_is_a_400_not_a_500(staff_client):
    # Each U+337F (the square "kabushiki kaisha") is four characters in NFKC: 10 of them fit the
    # column as sent, their 40 do not.
    response = staff_client.post(
        "/api/v1/courses/", {"code": "\u337f" * 10, "title": "Long"}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()
    assert not Course.objects.exists()


def test_the_admin_form_refuses_a_code_written_differently(admin_client):
    CourseFactory(code="CS101")
    response = admin_client.post(
        reverse("admin:curricula_course_add"),
        {
            "code": FULL_WIDTH,
            "title": "Copy",
            "provenance": "edit",
            "ability_links-TOTAL_FORMS": "0",
            "ability_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert list(Course.objects.values_list("code", flat=True)) == ["CS101"]


def test_a_catalogue_refuses_a_code_given_twice_however_written():
    content = f"code,title\nCS101,One\n{FULL_WIDTH},Again\n".encode()
    report = course_catalogue_import(content=content, file_name="c.csv")
    assert [(error["line"], list(error["errors"])) for error in report.errors] == [(3, ["code"])]
    assert not Course.objects.exists()


def test_a_catalogue_row_updates_the_course_its_code_names_however_written():
    existing = CourseFactory(code="CS101", title="Old")
    content = f"code,title\n{FULL_WIDTH},New\n{DECOMPOSED},Café\n".encode()
    report = course_catalogue_import(content=content, file_name="c.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.title == "New"
    assert sorted(Course.objects.values_list("code", flat=True)) == sorted(["CS101", COMPOSED])


def test_a_link_file_names_a_course_by_its_code_however_written():
    course = CourseFactory(code="CS101")
    ability = AbilityFactory(code="A1")
    content = (
        f"course,framework,ability,level,note\n{FULL_WIDTH},{ability.framework.identifier},A1,M,\n"
    ).encode()
    report = course_ability_import(content=content, file_name="links.csv")
    assert report.ok, report.errors
    assert CourseAbility.objects.get().course == course


def test_the_migration_normalises_stored_codes_and_leaves_a_collision_as_it_is(capsys):
    """Rows stored before codes were normalised: each is normalised, unless that would make it
    another course's code; those are left as they are and named, for someone to merge."""
    alone = CourseFactory(code="X1")
    clash_kept = CourseFactory(code="CS101")
    clash_left = CourseFactory(code="X2")
    # Written past the model, as rows were before the field normalised them.
    with connection.cursor() as cursor:
        for pk, code in ((alone.pk, " ＭＡ２００ "), (clash_left.pk, FULL_WIDTH)):  # noqa: RUF001
            cursor.execute("UPDATE curricula_course SET code = %s WHERE id = %s", [code, pk])

    migration = importlib.import_module("curricula.migrations.0020_course_codes_normalised")
    migration.normalise_codes(apps, None)

    codes = dict(Course.objects.values_list("pk", "code"))
    assert codes == {alone.pk: "MA200", clash_kept.pk: "CS101", clash_left.pk: FULL_WIDTH}
    assert FULL_WIDTH in capsys.readouterr().out


CODES_MIGRATIONS = {
    "curricula": "0024_module_codes_normalised",
    "certifications": "0005_stage_codes_normalised",
    "positions": "0020_area_codes_normalised",
}

# Modules, training stages and competency areas are named by code too (a catalogue's module and
# stage columns, the admin, the API): one code however it is written, as a course's.
NAMED_BY_CODE = [
    pytest.param(Module, {"name": "International business"}, "curricula", id="module"),
    pytest.param(TrainingStage, {"name": "Theory teaching"}, "certifications", id="stage"),
    pytest.param(CompetencyArea, {"name": "Marketing ability"}, "positions", id="area"),
]


def _next_order(model) -> dict:
    if not any(field.name == "order" for field in model._meta.fields):
        return {}
    return {"order": (model.objects.aggregate(top=Max("order"))["top"] or 0) + 1}


@pytest.mark.parametrize(("model", "fields", "app"), NAMED_BY_CODE)
def test_module_stage_and_area_codes_are_one_code_however_written(model, fields, app):
    """Observed: the admin took a full-width ＩＢ as a second module beside IB."""  # noqa: RUF002
    model.objects.create(code="IB", **fields, **_next_order(model))
    twin = model(code="ＩＢ", **fields, **_next_order(model))  # noqa: RUF001
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "code" in refused.value.message_dict

    saved = model.objects.create(code=" ＩＢ２\u3000", **fields, **_next_order(model))  # noqa: RUF001
    saved.refresh_from_db()
    assert saved.code == "IB2"
    assert model.objects.get(code="ＩＢ２") == saved  # noqa: RUF001


@pytest.mark.parametrize(("model", "fields", "app"), NAMED_BY_CODE)
def test_the_migrations_normalise_stored_module_stage_and_area_codes(model, fields, app, capsys):
    alone = model.objects.create(code="X1", **fields, **_next_order(model))
    model.objects.create(code="CS", **fields, **_next_order(model))
    clash = model.objects.create(code="X2", **fields, **_next_order(model))
    with connection.cursor() as cursor:
        for pk, code in ((alone.pk, " ＭＡ "), (clash.pk, "ＣＳ")):  # noqa: RUF001
            cursor.execute(f"UPDATE {model._meta.db_table} SET code = %s WHERE id = %s", [code, pk])

    migration = importlib.import_module(f"{app}.migrations.{CODES_MIGRATIONS[app]}")
    migration.normalise_codes(apps, None)

    assert model.objects.get(pk=alone.pk).code == "MA"
    assert model.objects.get(pk=clash.pk).code == "ＣＳ"  # noqa: RUF001
    assert "ＣＳ" in capsys.readouterr().out  # noqa: RUF001


# --- invisible characters: a code copied from a web page or a document came with them ----------

ZERO_WIDTH_SPACE = "\u200b"
BYTE_ORDER_MARK = "\ufeff"  # what a second file's start leaves in a cell when files are joined


@pytest.mark.parametrize(
    "sent",
    [
        f"CS101{ZERO_WIDTH_SPACE}",
        f"{BYTE_ORDER_MARK}CS101",
        "\u2060CS101\u200d ",  # a word joiner, a zero-width joiner and a space
    ],
)
def test_invisible_characters_around_a_code_are_not_part_of_it(staff_client, sent):
    """Observed: POST {"code": "CS101\u200b"} made a second course that every page shows as
    CS101, and a catalogue row naming "\ufeffCS101" made one more instead of updating CS101.
    Format characters (Unicode category Cf) around a code are left off, as whitespace is."""
    existing = CourseFactory(code="CS101", title="Old")

    created = staff_client.post("/api/v1/courses/", {"code": sent, "title": "Copy"}, format="json")
    assert created.status_code == 400, created.content
    assert "code" in created.json()

    content = f"code,title\n{sent},New\n".encode()
    report = course_catalogue_import(content=content, file_name="c.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    assert list(Course.objects.values_list("pk", "code", "title")) == [
        (existing.pk, "CS101", "New")
    ]
    assert Course.objects.get(code=sent) == existing


@pytest.mark.parametrize("sent", ["CS\u200b101", "CS\n101", "CS\t101", "CS\u202e101", "CS\x7f101"])
def test_a_code_holding_a_control_or_invisible_character_is_a_400(staff_client, sent):
    """Observed: "CS\u200b101" (a zero-width space inside) and "UNI\\n1" were stored as codes:
    the one reads as CS101 beside the real one, the other breaks every line it is printed on."""
    response = staff_client.post("/api/v1/courses/", {"code": sent, "title": "T"}, format="json")
    assert response.status_code == 400, response.content
    assert "invisible" in str(response.json()["code"])
    assert not Course.objects.exists()


INVISIBLE_CODES_MIGRATIONS = {
    "curricula": "0033_codes_without_invisible_characters",
    "certifications": "0010_stage_codes_without_invisible_characters",
    "positions": "0029_area_codes_without_invisible_characters",
}


@pytest.mark.parametrize(
    ("model", "fields", "app"),
    [
        pytest.param(Course, {"title": "Programming"}, "curricula", id="course"),
        *NAMED_BY_CODE,
    ],
)
def test_the_migrations_leave_invisible_characters_off_stored_codes(model, fields, app):
    row = model.objects.create(code="X1", **fields, **_next_order(model))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET code = %s WHERE id = %s",
            [f"{BYTE_ORDER_MARK}MA{ZERO_WIDTH_SPACE}", row.pk],
        )

    migration = importlib.import_module(f"{app}.migrations.{INVISIBLE_CODES_MIGRATIONS[app]}")
    migration.normalise_codes(apps, None)

    assert model.objects.get(pk=row.pk).code == "MA"
