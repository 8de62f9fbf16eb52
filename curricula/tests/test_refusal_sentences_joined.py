"""A refusal of two sentences is joined as the language joins sentences (core.i18n.join_sentences):
a space in English, none after Chinese 。, at the doors that joined them with a plain space."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

# Too long and holding a control character: the name's two validators each refuse it.
BAD_NAME = "x" * 300 + "\x07y"


def test_a_requirement_files_new_position_refused_twice_reads_as_chinese(staff_client):
    """Observed: "…U+0007。 确保该变量包含不超过 255 字符…", a space after 。."""
    text = f'position,position_name,framework,ability,min_level\nP9,"{BAD_NAME}",F,A,R\n'
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": SimpleUploadedFile("f.csv", text.encode())},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    [message] = response.json()["errors"][0]["errors"]["position_name"]
    assert "U+0007。确保" in message, message


def test_it_reads_as_english_in_english(staff_client):
    text = f'position,position_name,framework,ability,min_level\nP9,"{BAD_NAME}",F,A,R\n'
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": SimpleUploadedFile("f.csv", text.encode())},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    [message] = response.json()["errors"][0]["errors"]["position_name"]
    assert "U+0007. Ensure" in message, message


def test_import_courses_joins_a_lines_two_refusals_as_chinese(tmp_path):
    """Observed: `import_courses` printed a course title's two refusals with a space after 。."""
    path = tmp_path / "courses.csv"
    path.write_text(f'code,title\nC1,"{BAD_NAME}"\n')
    err = StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("import_courses", str(path), stderr=err, stdout=StringIO())
    said = err.getvalue()
    assert "U+0007。确保" in said, said
    assert "。 " not in said
