"""`manage.py import_framework` prints its summary in the active language, as the job's page
shows it: the counts' kinds and outcomes (LABELS), the colon and the list's separator are the
catalogue's, and where a failure is reads as the report's language writes it. `--json` keeps the
report's English keys (a contract). Observed in Chinese: "ability: 5 created, 0 updated, ..."
above the translated skipped line (已跳过), and a failure at "导入失败 (第 4 行)" with a space
and half-width brackets.

The catalogue may not hold a message yet: `chinese_stand_in` gives it a stand-in translation
(〈msgid〉) for the test, and the expected text is computed through the catalogue."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from core.i18n import join_list
from positions.importers.base import import_label

FIXTURES = Path(__file__).parent / "fixtures"
MOODLE = FIXTURES / "moodle" / "current.csv"
COUNTS = ["framework", "ability", "relation"]
OUTCOMES = ["created", "updated", "unchanged", "conflict", "removed"]
FAILED_AT = "Import failed (%(where)s): %(message)s. Nothing was written."
FAILED = "Import failed: %(message)s. Nothing was written."
SKIPPED = ("%(count)d item: %(reason)s", "%(count)d items: %(reason)s")

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_ins(chinese_stand_in):
    for label in COUNTS + OUTCOMES:
        chinese_stand_in("import count", label)
    chinese_stand_in(None, FAILED_AT)
    chinese_stand_in(None, FAILED)
    chinese_stand_in(None, *SKIPPED)


def _import(path: Path, **options) -> str:
    out = StringIO()
    call_command(
        "import_framework", str(path), format="moodle", stdout=out, stderr=StringIO(), **options
    )
    return out.getvalue()


def _counts_line(kind: str, counts: list[int], outcomes: list[str]) -> str:
    value = join_list(
        f"{n} {import_label(outcome)}" for n, outcome in zip(counts, outcomes, strict=True)
    )
    return translation.gettext("%(label)s: %(value)s") % {
        "label": import_label(kind),
        "value": value,
    }


def test_in_chinese_the_summary_s_counts_are_the_catalogue_s(stand_ins):
    with translation.override("zh-hans"):
        printed = _import(MOODLE)
        expected = [
            _counts_line("framework", [1, 0, 0, 0], OUTCOMES[:4]),
            _counts_line("ability", [5, 0, 0, 0], OUTCOMES[:4]),
            _counts_line("relation", [2, 0, 0, 0, 0], OUTCOMES),
        ]
    assert printed.splitlines()[:3] == expected
    assert "created" not in printed


def test_in_english_the_summary_reads_as_before():
    printed = _import(MOODLE)
    assert printed.splitlines()[:3] == [
        "framework: 1 created, 0 updated, 0 unchanged, 0 conflict",
        "ability: 5 created, 0 updated, 0 unchanged, 0 conflict",
        "relation: 2 created, 0 updated, 0 unchanged, 0 conflict, 0 removed",
    ]


def test_in_chinese_the_json_report_keeps_its_english_keys(stand_ins):
    with translation.override("zh-hans"):
        report = json.loads(_import(MOODLE, as_json=True))
    assert report["counts"]["ability"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "conflict": 0,
    }


def test_in_chinese_where_an_import_failed_is_in_the_catalogue_s_brackets(stand_ins):
    with translation.override("zh-hans"), pytest.raises(CommandError) as raised:
        _import(FIXTURES / "moodle" / "unknown_parent.csv")
    with translation.override("zh-hans"):
        where = translation.gettext("line %(line)d") % {"line": 4}
        before = translation.gettext(FAILED_AT).split("%(message)s")[0] % {"where": where}
    message = str(raised.value)
    assert message.startswith(before), message
    assert "导入失败 (" not in message


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_failure_s_message_ending_with_a_full_stop_is_not_given_a_second_one(
    stand_ins, tmp_path, language
):
    """ "… does not exist.. Nothing was written." (。。 in Chinese)."""
    with translation.override(language), pytest.raises(CommandError) as raised:
        _import(tmp_path / "missing.csv")
    message = str(raised.value)
    assert "missing.csv" in message
    assert ".." not in message
    assert "。。" not in message


def _with_skipped_competencies(tmp_path: Path, blanks: int) -> Path:
    """The Moodle file with `blanks` competencies lacking an ID number, which the import skips."""
    lines = MOODLE.read_text(encoding="utf-8").splitlines()
    blank = ',,"No ID number","Skipped: no ID number",1,,,,0,null,,,,'
    path = tmp_path / "skipping.csv"
    path.write_text("\n".join([*lines, *[blank] * blanks]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("blanks", [1, 3])
def test_in_chinese_each_reason_s_count_of_skipped_items_is_the_catalogue_s(
    stand_ins, tmp_path, blanks
):
    """Observed: the lines under "skipped" read "  3 x competency without ID number or short
    name", an English count notation, in Chinese too. Each is one message, the count's plural
    as the language makes it."""
    path = _with_skipped_competencies(tmp_path, blanks)
    with translation.override("zh-hans"):
        printed = _import(path)
        reason = translation.gettext("competency without ID number or short name")
        expected = "  " + translation.ngettext(*SKIPPED, blanks) % {
            "count": blanks,
            "reason": reason,
        }
    assert expected in printed.splitlines()
    assert " x " not in printed


@pytest.mark.parametrize(
    ("blanks", "line"),
    [
        (1, "  1 item: competency without ID number or short name"),
        (3, "  3 items: competency without ID number or short name"),
    ],
)
def test_in_english_each_reason_s_count_of_skipped_items_reads_as_a_count(tmp_path, blanks, line):
    printed = _import(_with_skipped_competencies(tmp_path, blanks))
    assert f"skipped: {blanks}" in printed.splitlines()
    assert line in printed.splitlines()
