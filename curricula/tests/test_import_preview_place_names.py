"""The admin's course-catalogue import preview names a course's training stage and module as
the reader knows them: by its name in the reader's language (the Chinese name on zh-hans
pages), not by its code. Observed (a Chinese admin previewing a catalogue): the stage column
read `theory` where the file said 理论教学. The file's export keeps the codes, which an import
reads back."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from certifications.models import TrainingStage
from curricula.models import Module
from curricula.resources import CourseResource

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_course_import")
CATALOGUE = "code,title,stage,module\nNUR101,Nursing,理论教学,ib\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def places():
    TrainingStage.objects.update_or_create(
        code="theory", defaults={"name": "Theory teaching", "name_zh": "理论教学", "order": 901}
    )
    Module.objects.update_or_create(
        code="ib", defaults={"name": "International business", "name_zh": "国际商务"}
    )


def _row(client, language: str) -> dict[str, str]:
    page = client.post(
        IMPORT_URL,
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", CATALOGUE.encode())},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert page.context["confirm_form"] is not None, page.content.decode()[:2000]
    result = page.context["result"]
    text = page.content.decode()
    table = text[text.index('<table class="import-preview">') :]
    body = table[table.index("</thead>") : table.index("</table>")]
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    ]
    # The first cell says the row's kind (New); the others follow the import's fields.
    return dict(zip(result.diff_headers, cells[1:], strict=True))


def test_the_chinese_preview_names_the_stage_and_module_in_chinese(admin_client):
    row = _row(admin_client, "zh-hans")
    assert row["stage"] == "理论教学"
    assert row["module"] == "国际商务"


def test_the_english_preview_names_them_in_english(admin_client):
    row = _row(admin_client, "en")
    assert row["stage"] == "Theory teaching"
    assert row["module"] == "International business"


def test_the_export_still_writes_their_codes():
    from curricula.tests.factories import CourseFactory

    CourseFactory(
        code="NUR101",
        stage=TrainingStage.objects.get(code="theory"),
        module=Module.objects.get(code="ib"),
    )
    with translation.override("zh-hans"):
        dataset = CourseResource().export()
    assert dataset.dict[0]["stage"] == "theory"
    assert dataset.dict[0]["module"] == "ib"
