"""An ESCO source missing one of its files names that file as ESCO's download names it: a
designer who uploaded the wrong zip (or another format's file as ESCO) read "no occupations file
(occupations_([a-z]{2,3}(?:-[a-z]+)?)\\.csv) in the source", the importer's regular expression,
with the file's kind in English whatever the interface's language."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

ESCO = Path(__file__).parent / "fixtures" / "esco_v12"


@pytest.fixture
def download(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(ESCO, folder)
    return folder


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("occupations_en.csv", "occupations_en.csv"),
        ("skills_en.csv", "skills_en.csv"),
        ("occupationSkillRelations_en.csv", "occupationSkillRelations_en.csv"),
    ],
)
def test_a_missing_esco_file_is_named_as_the_download_names_it(download, missing, named):
    (download / missing).unlink()
    report = framework_import(path=download, format="esco")
    assert not report.ok
    message = report.error["message"]
    assert named in message
    assert "[a-z]" not in message
    assert "\\" not in message
    assert not Framework.objects.exists()


def test_a_missing_esco_file_is_refused_in_chinese(download):
    (download / "occupations_en.csv").unlink()
    with translation.override("zh-hans"):
        report = framework_import(path=download, format="esco")
    message = report.error["message"]
    assert "occupations_en.csv" in message
    assert "[a-z]" not in message
