"""`manage.py evaluate_suggestions --language zh-hans` refuses bad input wholly in Chinese.
Observed: its own words stayed English around the reader's parts ("Cannot read the ESCO files:
skills_en.csv 第 1 行: 缺少列 …", an English colon after a Chinese place), and "No occupations
file …", "Nothing to score …", "--k must be at least 1" and a missing --skills path were English
only, though the command offers --language as every other command does."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

FIXTURE = Path(__file__).parent / "fixtures" / "esco_small"
TRIO = ("occupations_en.csv", "skills_en.csv", "occupationSkillRelations_en.csv")

MESSAGES = [
    "--k must be at least 1.",
    "%(path)s does not exist.",
    "No %(kind)s file (%(file)s) in %(path)s.",
    "occupations",
    "Cannot read the ESCO files (%(where)s): %(message)s",
    "Cannot read the ESCO files: %(message)s",
]
NOTHING_TO_SCORE = (
    "Nothing to score: no occupation has a relation to a skill of the pool (%(n)d skill). Do "
    "the relations and the skills file come from the same ESCO download?",
    "Nothing to score: no occupation has a relation to a skill of the pool (%(n)d skills). Do "
    "the relations and the skills file come from the same ESCO download?",
)


@pytest.fixture(autouse=True)
def _stand_ins(chinese_stand_in):
    for message in MESSAGES:
        chinese_stand_in(None, message)
    chinese_stand_in("an ESCO file", "occupations")
    chinese_stand_in(None, *NOTHING_TO_SCORE)


def _refusal(*args) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("evaluate_suggestions", *args, "--language", "zh-hans")
    return str(refused.value)


def _trio(to: Path, **replace: str) -> Path:
    for name in TRIO:
        key = name.removesuffix(".csv")
        if key in replace:
            (to / name).write_text(replace[key], encoding="utf-8")
        else:
            (to / name).write_bytes((FIXTURE / name).read_bytes())
    return to


def _chinese(message: str, values: dict) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) % values


def test_a_k_below_one_is_refused_in_chinese():
    assert _refusal("--esco", str(FIXTURE), "--k", "0") == _chinese(MESSAGES[0], {})


def test_a_missing_pool_is_refused_in_chinese(tmp_path):
    missing = tmp_path / "nothere.csv"
    refusal = _refusal("--esco", str(FIXTURE), "--skills", str(missing))
    assert refusal == _chinese(MESSAGES[1], {"path": missing})


def test_a_folder_without_the_trio_is_refused_in_chinese(tmp_path):
    refusal = _refusal("--esco", str(tmp_path))
    with translation.override("zh-hans"):
        kind = translation.pgettext("an ESCO file", "occupations")
    expected = _chinese(
        MESSAGES[2], {"kind": kind, "file": "occupations_<lang>.csv", "path": tmp_path}
    )
    assert refusal == expected


def test_a_file_missing_a_column_is_refused_in_chinese_where_it_is(tmp_path):
    _trio(tmp_path, skills_en="conceptUri,label\nhttp://x/1,parse logs\n")
    refusal = _refusal("--esco", str(tmp_path))
    # The command's own words around the importer's place and problem are Chinese too: no
    # English colon after a Chinese place.
    said = _chinese(MESSAGES[4], {"where": "skills_en.csv 第 1 行", "message": ""})
    assert refusal.startswith(said)
    assert refusal.endswith("preferredLabel")
    assert "Cannot read" not in refusal


def test_a_trio_with_nothing_to_score_is_refused_in_chinese(tmp_path):
    relations = (FIXTURE / "occupationSkillRelations_en.csv").read_text().splitlines()[0] + "\n"
    _trio(tmp_path, occupationSkillRelations_en=relations)
    refusal = _refusal("--esco", str(tmp_path))
    with translation.override("zh-hans"):
        expected = translation.ngettext(*NOTHING_TO_SCORE, 30) % {"n": 30}
    assert refusal == expected
    assert "Nothing to score" not in refusal
