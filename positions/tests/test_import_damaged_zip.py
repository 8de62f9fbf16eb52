"""The ESCO import (import_framework --format esco, the admin's, the API's) refuses a damaged zip
as a damaged zip: one cut short was read as one CSV (refused as holding no occupations file),
one whose member was corrupted failed as "could not be imported (BadZipFile)"."""

import io
import zipfile

import pytest

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

DAMAGED = "the zip archive is damaged (cut short or corrupted): download or copy it again"
OCCUPATIONS = "conceptType,conceptUri,preferredLabel,description,code,iscoGroup\n" + "".join(
    f"Occupation,http://x/o{n},nurse {n},cares,2221.{n},2221\n" for n in range(20)
)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("occupations_en.csv", OCCUPATIONS)
        archive.writestr("skills_en.csv", OCCUPATIONS.replace("Occupation,", "KnowledgeSkill,"))
    return buffer.getvalue()


def _cut_short(path):
    whole = _zip_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _corrupted(path):
    whole = bytearray(_zip_bytes())
    at = whole.index(b"nurse 3")
    whole[at] ^= 0x01
    path.write_bytes(bytes(whole))
    return path


@pytest.mark.parametrize("damage", [_cut_short, _corrupted])
def test_the_esco_import_refuses_a_damaged_zip_as_damaged(tmp_path, damage):
    report = framework_import(path=damage(tmp_path / "esco.zip"), format="esco")
    assert not report.ok
    assert report.error["message"] == DAMAGED
    assert not Framework.objects.exists()
