"""`manage.py import_links FILE`: the course-ability links import as a command, beside
import_courses, import_requirements and import_relations, so that an administrator can script a
programme's mapping (a file another system exported) without the API or the admin. It runs the
service the API's `course-abilities/import/` runs, and reports as import_courses does: counts on
stdout, problems by line on stderr, exit status 1 (CommandError) with nothing written."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from curricula.models import CourseAbility
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

pytestmark = pytest.mark.django_db

HEADER = "course,framework,ability,level,note"


@pytest.fixture
def places(db):
    framework = FrameworkFactory(name="Nursing proficiencies")
    AbilityFactory(framework=framework, code="P1")
    AbilityFactory(framework=framework, code="P2")
    CourseFactory(code="NUR101")
    level("M")
    return framework


def _file(tmp_path, *rows: str):
    path = tmp_path / "links.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_command_imports_links_and_counts_them(tmp_path, places):
    path = _file(tmp_path, "NUR101,,P1,M,", "NUR101,,P2,M,Bedside practice")
    out = io.StringIO()
    call_command("import_links", str(path), stdout=out)
    assert "Imported: 2 created" in out.getvalue()
    assert CourseAbility.objects.count() == 2
    link = CourseAbility.objects.get(ability__code="P2")
    assert link.note == "Bedside practice"
    assert link.provenance == "import"

    out = io.StringIO()
    call_command("import_links", str(path), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["ok"], body["created"], body["unchanged"], body["dry_run"]) == (True, 0, 2, False)


def test_a_dry_run_writes_nothing(tmp_path, places):
    path = _file(tmp_path, "NUR101,,P1,M,")
    out = io.StringIO()
    call_command("import_links", str(path), "--dry-run", stdout=out)
    assert "Would import: 1 created" in out.getvalue()
    assert not CourseAbility.objects.exists()


def test_problems_are_listed_by_line_and_nothing_is_written(tmp_path, places):
    path = _file(tmp_path, "NUR101,,P1,M,", "NUR101,,P9,M,", "NOPE,,P2,M,")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lines have problems"):
        call_command("import_links", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("line 3: ability: ") for line in lines), lines
    assert any(line.startswith("line 4: course: ") for line in lines), lines
    assert not CourseAbility.objects.exists()

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_links", str(path), "--json", stdout=out, stderr=io.StringIO())
    body = json.loads(out.getvalue())
    assert not body["ok"]
    assert [e["line"] for e in body["errors"]] == [3, 4]


def test_a_file_it_cannot_read_is_refused(tmp_path, places):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_links", str(tmp_path / "missing.csv"))
    path = tmp_path / "links.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match=r"Give a \.csv or \.xlsx file"):
        call_command("import_links", str(path))


def test_the_command_reports_in_chinese(tmp_path, places):
    path = _file(tmp_path, "NUR101,,P9,M,")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_links", str(path), "--language", "zh-hans", stdout=io.StringIO(), stderr=err
        )
    assert "第 2 行" in err.getvalue()
