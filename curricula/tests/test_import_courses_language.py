# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width colons and parentheses)
"""`manage.py import_courses` writes what it prints for a person in the active language, as the
admin's and the API's imports do: where a problem is ("line 3", core.limits.at_line), the counts
(LABELS), the colons and the lists. `--json` keeps its English keys. Observed in Chinese:
"line 3: credits: 请输入一个数字。" and "Imported: 1 created, 0 updated, 0 unchanged."

The catalogue may not hold a message yet: `chinese_stand_in` gives it a stand-in translation
(〈msgid〉) for the test, and the expected text is computed through the catalogue."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from core.i18n import join_list
from core.limits import at_line
from curricula.models import Course
from curricula.resources import ImportColumn
from positions.importers.base import import_label

HEADER = "code,title,description,outcomes,credits"
# A column the import does not read, named on stderr.
IGNORED = ",Learning hours"
IMPORTED = "Imported: %(counts)s."
WOULD_IMPORT = "Would import: %(counts)s."
NOTHING = (
    "Nothing was imported: %(n)d line has problems.",
    "Nothing was imported: %(n)d lines have problems.",
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_ins(chinese_stand_in):
    for label in ("created", "updated", "unchanged"):
        chinese_stand_in("import count", label)
    chinese_stand_in(None, IMPORTED)
    chinese_stand_in(None, WOULD_IMPORT)
    chinese_stand_in(None, NOTHING[0])


def _write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "courses.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_courses", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _labelled(label: str, value: str) -> str:
    return translation.gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def _ignored() -> str:
    return _labelled(translation.gettext("Columns not read (left out)"), "Learning hours")


@pytest.mark.parametrize(("args", "message"), [((), IMPORTED), (("--dry-run",), WOULD_IMPORT)])
def test_in_chinese_the_counts_and_the_columns_left_out_are_the_catalogue_s(
    tmp_path, stand_ins, args, message
):
    path = _write(tmp_path, "C1,Databases,,,3,x", header=HEADER + IGNORED)
    with translation.override("zh-hans"):
        out, err = _run(path, *args)
        counts = join_list(
            f"{n} {import_label(outcome)}"
            for n, outcome in [(1, "created"), (0, "updated"), (0, "unchanged")]
        )
        assert out.strip() == translation.gettext(message) % {"counts": counts}
        assert err.strip() == _ignored()
    assert Course.objects.filter(code="C1").exists() is not bool(args)


def test_in_chinese_the_problems_are_by_line_as_the_catalogue_writes_a_line(
    tmp_path, stand_ins, chinese_stand_in
):
    chinese_stand_in(None, "line %(line)d")
    path = _write(tmp_path, "C2,Fine,,,3", "C3,Broken,,,x")
    err = StringIO()
    with translation.override("zh-hans"):
        with pytest.raises(CommandError) as raised:
            call_command("import_courses", str(path), stdout=StringIO(), stderr=err)
        # The line, then the column (headed as the admin heads it), each followed by the
        # catalogue's colon.
        heading = ImportColumn("credits").heading
        where = _labelled(at_line(3), _labelled(heading, "MESSAGE")).split("MESSAGE")[0]
        nothing = translation.ngettext(*NOTHING, 1) % {"n": 1}
    (line,) = err.getvalue().splitlines()
    assert line.startswith(where), line
    assert "line 3" not in line
    assert str(raised.value) == nothing
    assert not Course.objects.exists()


def test_in_english_the_command_reads_as_before(tmp_path):
    out, err = _run(_write(tmp_path, "C1,Databases,,,3,x", header=HEADER + IGNORED))
    assert out.strip() == "Imported: 1 created, 0 updated, 0 unchanged."
    assert err.strip() == "Columns not read (left out): Learning hours"
    bad = _write(tmp_path, "C3,Broken,,,x")
    err = StringIO()
    with pytest.raises(CommandError, match=r"^Nothing was imported: 1 line has problems\.$"):
        call_command("import_courses", str(bad), stderr=err)
    assert err.getvalue().startswith("line 2: credits: ")


def test_json_keeps_its_english_keys_in_chinese(tmp_path, stand_ins):
    with translation.override("zh-hans"):
        out, _err = _run(_write(tmp_path, "C1,Databases,,,3"), "--json")
    report = json.loads(out)
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 0)


def test_a_path_that_is_no_file_is_refused_in_the_active_language(tmp_path, chinese_stand_in):
    chinese_stand_in(None, "%(file)s is not a file.")
    with translation.override("zh-hans"), pytest.raises(CommandError) as raised:
        _run(tmp_path)
    with translation.override("zh-hans"):
        expected = translation.gettext("%(file)s is not a file.") % {"file": tmp_path}
    assert str(raised.value) == expected


def test_the_missing_columns_are_listed_with_the_languages_separator(tmp_path):
    """Observed in Chinese: "文件缺少以下列：code（或 课程代码 / …）, title（或 …）。应有的列：
    code（或 课程代码）, title（或 英文名称）, …": English commas between Chinese items."""
    path = _write(tmp_path, "1,2", header="foo,bar")
    with pytest.raises(CommandError) as raised:
        _run(path, "--language", "zh-hans")
    message = str(raised.value)
    assert message.startswith("文件缺少以下列：code（或")
    assert ", " not in message
    assert "）、title（或" in message
    with pytest.raises(CommandError) as raised:
        _run(path, "--language", "en")
    assert "lacks the column(s): code, title. Expected: code, title, " in str(raised.value)


def test_in_chinese_a_problem_names_its_column_as_the_admin_heads_it(tmp_path, chinese_stand_in):
    """Observed: a catalogue headed in Chinese (课程代码,课程名称,学分) was told
    “第 2 行：credits：学分必须是数字……”, its column by a name the file never wrote. The
    command names it as the admin's problem table heads it: 学分（credits）."""
    chinese_stand_in(None, NOTHING[0])
    path = _write(tmp_path, "NUR901,健康评估,2学分", header="课程代码,课程名称,学分")
    err = StringIO()
    with translation.override("zh-hans"):
        with pytest.raises(CommandError):
            call_command("import_courses", str(path), stdout=StringIO(), stderr=err)
        heading = ImportColumn("credits").heading
        where = _labelled(at_line(2), _labelled(heading, "MESSAGE")).split("MESSAGE")[0]
    assert heading == "学分（credits）"
    (line,) = err.getvalue().splitlines()
    assert line.startswith(where), line
