"""The admin's catalogue and link import pages say which columns a file may have: in Chinese,
each with the Chinese names a file may head it by (curricula.resources.CHINESE_HEADERS), as a
Chinese curriculum designer heads a catalogue; in English, the library's list of the English
names (test_course_import pins it)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


def _columns(page) -> str:
    text = page.content.decode()
    start = text.index('<div class="import-columns"')
    return text[start : text.index("</div>", start)]


@pytest.mark.parametrize(
    ("url", "columns"),
    [
        (
            "admin:curricula_course_import",
            {"code": "课程代码", "title": "英文名称", "title_zh": "课程名称", "credits": "学分"},
        ),
        (
            "admin:curricula_courseability_import",
            {"course": "课程", "framework": "框架", "ability": "能力", "level": "等级"},
        ),
    ],
)
def test_an_import_page_names_each_column_s_chinese_headers_in_chinese(admin_client, url, columns):
    chinese = _columns(admin_client.get(reverse(url), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    # In English, the library's own list: "<code>code, title, ...</code>".
    english = admin_client.get(reverse(url), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="import-columns"' not in english

    for column, header in columns.items():
        assert column in english.split("<code>", 1)[1].split("</code>", 1)[0].split(", ")
        assert f"<code>{column}</code>" in chinese
        assert header in chinese, header
        assert header not in english
    # The list's own words in Chinese: the column, then (or its Chinese names).
    first = next(iter(columns))
    assert f"<code>{first}</code>（或 " in chinese  # noqa: RUF001


def test_a_refused_file_s_page_names_the_chinese_headers_too(admin_client):
    """A file refused as a whole (here: not UTF-8) shows the form again, with the columns."""
    upload = SimpleUploadedFile("c.csv", "code,title\nK1,Caf\xe9\n".encode("latin-1"))
    page = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": upload},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 200
    assert "课程代码" in _columns(page)
