"""The admin import's preview and problem tables head their columns, on Chinese pages, by the
Chinese name a catalogue heads each by (curricula.resources.CHINESE_HEADERS, the first one: the
name the import page lists first), with the column's own name in brackets. Observed (a designer
importing a catalogue on zh-hans pages): both tables headed code, title, title_zh, ..., the
field names, which the library also uses to pick each row's values (`diff_headers`, kept as
they are). English pages head them by the column names a file has (README, the mapping
assistant's step 1), as before."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_course_import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


def _preview(client, content: bytes, language: str):
    return client.post(
        IMPORT_URL,
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _head(page) -> list[str]:
    text = page.content.decode()
    table = text[text.index('<table class="import-preview">') :]
    head = table[: table.index("</thead>")]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th>(.*?)</th>", head)]


def test_the_preview_heads_its_columns_by_their_chinese_names(admin_client):
    page = _preview(admin_client, b"code,title,title_zh\nNUR101,Nursing,\xe6\x8a\xa4\n", "zh-hans")
    assert page.context["confirm_form"] is not None  # the confirm page
    head = _head(page)
    assert "课程代码（code）" in head  # noqa: RUF001
    assert "英文名称（title）" in head  # noqa: RUF001
    assert "课程名称（title_zh）" in head  # noqa: RUF001
    assert "code" not in head
    assert "title_zh" not in head
    # The keys that pick each row's values are the library's own.
    assert page.context["result"].diff_headers[:3] == ["code", "title", "title_zh"]


def test_the_problem_table_heads_its_columns_and_problems_by_chinese_names(admin_client):
    page = _preview(admin_client, b"code,title,credits\nNUR101,Nursing,three\n", "zh-hans")
    assert page.context["result"].invalid_rows
    head = _head(page)
    assert "课程代码（code）" in head  # noqa: RUF001
    assert "学分（credits）" in head  # noqa: RUF001
    assert "credits" not in head
    labels = re.findall(
        r'<span class="validation-error-field-label">(.*?)</span>', page.content.decode()
    )
    assert labels == ["学分（credits）"]  # noqa: RUF001


def test_english_pages_head_them_by_the_file_s_column_names(admin_client):
    valid = _head(_preview(admin_client, b"code,title\nNUR101,Nursing\n", "en"))
    assert valid[1:3] == ["code", "title"]
    page = _preview(admin_client, b"code,title,credits\nNUR101,Nursing,three\n", "en")
    assert "credits" in _head(page)
    assert '<span class="validation-error-field-label">credits</span>' in page.content.decode()
