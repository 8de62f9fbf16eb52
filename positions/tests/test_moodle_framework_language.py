"""A Moodle CSV says nothing of its language: a framework it brings in written in Chinese (a
nursing school's own 能力框架) was stored as English, the model's default, and so published
(the API's and CASE's `language: en`). Its language is Chinese; one written in English stays
English, and a framework's language staff set is not changed by importing it again."""

import pytest

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

HEADER = (
    '"Parent ID number","ID number","Short name",Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross-referenced competency ID numbers",'
    '"Exported ID (optional)","Is framework",Taxonomy\n'
)
SCALE = '"No,Yes","[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":1}]"'


def _csv(tmp_path, name: str, description: str, ability: str):
    path = tmp_path / "framework.csv"
    path.write_text(
        HEADER
        + f",NURS-FW,{name},{description},1,{SCALE},,,,,,1,\n"
        + f",N1,{ability},,1,,,,0,null,,1,,\n",
        encoding="utf-8",
    )
    return path


def test_a_framework_written_in_chinese_is_chinese(tmp_path):
    path = _csv(tmp_path, "护理学专业能力框架", "护理学本科专业毕业要求", "生命体征测量与评估")

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert Framework.objects.get().language == "zh"


def test_a_framework_written_in_english_stays_english(tmp_path):
    report = framework_import(
        path=_csv(tmp_path, "Nursing", "Graduate outcomes", "Vital signs"), format="moodle"
    )

    assert report.ok, report.error
    assert Framework.objects.get().language == "en"


def test_importing_again_keeps_the_language_staff_set(tmp_path):
    path = _csv(tmp_path, "护理学专业能力框架", "护理学本科专业毕业要求", "生命体征测量与评估")
    framework_import(path=path, format="moodle")
    Framework.objects.update(language="zh-Hant")

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert Framework.objects.get().language == "zh-Hant"
