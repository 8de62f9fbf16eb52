"""CSV downloads meant for a spreadsheet (a page's *Map as CSV*, the admin's exports) start with
a UTF-8 byte order mark, without which Excel reads the file in the machine's code page and
shows Chinese text as mojibake; the API's CSV endpoints stay byte-exact, without one, for the
programs that read them. Every import reads a file with the mark as one without."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def programme():
    framework = FrameworkFactory(name="跨境电商能力")
    ability = AbilityFactory(framework=framework, code="A1", text="数据分析")
    position = PositionFactory(name="数据分析师")
    RequirementFactory(position=position, ability=ability)
    course = CourseFactory(code="C1", title="跨境数据分析")
    CourseAbilityFactory(course=course, ability=ability, level=level("R"), note="实验课")
    return ProgrammeFactory(name="跨境电商", courses=[course], targets=[position])


def _body(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_pages_map_csv_starts_with_a_byte_order_mark(client, programme):
    body = _body(client.get(reverse("curricula:programme-map-csv", args=[programme.pk])))
    assert body.startswith(BOM)
    assert not body[3:].startswith(BOM)
    assert "跨境数据分析" in body.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("course", ["code", "title", "description", "outcomes", "credits", "module", "stage"]),
        ("courseability", ["course", "framework", "ability", "level", "note"]),
    ],
)
def test_the_admin_csv_exports_start_with_a_byte_order_mark(admin_client, programme, model, fields):
    prefix = f"{model}resource_"
    response = admin_client.post(
        reverse(f"admin:curricula_{model}_export"),
        {"format": "0", **{f"{prefix}{name}": "on" for name in fields}},
    )
    body = _body(response)
    assert body.startswith(BOM)
    assert not body[3:].startswith(BOM)
    assert body[3:].decode().startswith(fields[0])

    xlsx = admin_client.post(
        reverse(f"admin:curricula_{model}_export"),
        {"format": "1", **{f"{prefix}{name}": "on" for name in fields}},
    )
    assert _body(xlsx).startswith(b"PK"), "a workbook is a zip, untouched"


def test_the_api_csv_endpoints_have_no_byte_order_mark(api_client, programme):
    framework = programme.courses.first().abilities.first().framework
    for url in [
        "/api/v1/course-abilities/export/",
        f"/api/v1/programs/{programme.pk}/map.csv",
        f"/api/v1/frameworks/{framework.pk}/moodle.csv",
    ]:
        body = _body(api_client.get(url))
        assert not body.startswith(BOM), url
        assert body.decode("utf-8")[:1].isascii(), url


def test_an_admin_export_with_its_mark_imports_back_unchanged(admin_client, programme):
    fields = ["course", "framework", "ability", "level", "note"]
    exported = _body(
        admin_client.post(
            reverse("admin:curricula_courseability_export"),
            {"format": "0", **{f"courseabilityresource_{name}": "on" for name in fields}},
        )
    )
    assert exported.startswith(BOM)
    before = set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id", "note"))
    CourseAbility.objects.all().delete()

    upload = SimpleUploadedFile("links.csv", exported, content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:curricula_courseability_import"), {"format": "0", "import_file": upload}
    )
    confirm = admin_client.post(
        reverse("admin:curricula_courseability_process_import"),
        preview.context["confirm_form"].initial,
    )

    assert confirm.status_code == 302
    assert (
        set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id", "note"))
        == before
    )
    assert Course.objects.count() == 1
