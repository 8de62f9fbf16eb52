"""A damaged zip given to `manage.py evaluate_suggestions --esco` or `--skills`, or to the ESCO
import, is refused as a damaged zip, in the reader's language. Observed: a download cut short
(its directory, at the end, missing) was read as one CSV and refused as "not UTF-8 text", or as
holding no occupations file; one whose member was corrupted failed on Python's "Bad CRC-32".
The ESCO import's part: positions/tests/test_import_damaged_zip.py."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

FIXTURE = Path(__file__).parent / "fixtures" / "esco_small"
TRIO = ("occupations_en.csv", "skills_en.csv", "occupationSkillRelations_en.csv")
DAMAGED = "the zip archive is damaged (cut short or corrupted): download or copy it again"
MESSAGES = [
    "Cannot read the ESCO files (%(where)s): %(message)s",
    "Cannot read the ESCO files: %(message)s",
    DAMAGED,
]


@pytest.fixture(autouse=True)
def _stand_ins(chinese_stand_in):
    for message in MESSAGES:
        chinese_stand_in(None, message)


def _zip_bytes(names=TRIO) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in names:
            archive.writestr(name, (FIXTURE / name).read_bytes())
    return buffer.getvalue()


def _cut_short(path: Path, names=TRIO) -> Path:
    """The zip as a download cut short leaves it: its start only, no directory."""
    whole = _zip_bytes(names)
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _corrupted(path: Path, names=TRIO) -> Path:
    """The zip whole, but a byte of its first member's data changed (its CRC no longer holds)."""
    whole = bytearray(_zip_bytes(names))
    at = whole.index(b"\n", 100)  # inside the first member's (stored) data
    whole[at - 1] ^= 0x01
    path.write_bytes(bytes(whole))
    return path


def _chinese(message: str, values: dict) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) % values


def _refusal(*args) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("evaluate_suggestions", *args, "--language", "zh-hans")
    return str(refused.value)


def _damaged_in_chinese(where: str) -> str:
    with translation.override("zh-hans"):
        damaged = translation.gettext(DAMAGED)
    return _chinese(MESSAGES[0], {"where": where, "message": damaged})


def test_an_esco_zip_cut_short_is_refused_as_damaged_in_chinese(tmp_path):
    cut = _cut_short(tmp_path / "esco.zip")
    assert _refusal("--esco", str(cut)) == _damaged_in_chinese("esco.zip")


def test_an_esco_zip_with_a_corrupted_member_is_refused_as_damaged_in_chinese(tmp_path):
    corrupted = _corrupted(tmp_path / "esco.zip")
    assert _refusal("--esco", str(corrupted)) == _damaged_in_chinese("occupations_en.csv")


def test_a_skills_zip_cut_short_is_refused_as_damaged_in_chinese(tmp_path):
    cut = _cut_short(tmp_path / "pool.zip", names=("skills_en.csv",))
    refusal = _refusal("--esco", str(FIXTURE), "--skills", str(cut))
    assert refusal == _damaged_in_chinese("pool.zip")


def test_in_english_it_says_so_in_english(tmp_path):
    cut = _cut_short(tmp_path / "esco.zip")
    with pytest.raises(CommandError) as refused:
        call_command("evaluate_suggestions", "--esco", str(cut))
    assert str(refused.value) == f"Cannot read the ESCO files (esco.zip): {DAMAGED}"
