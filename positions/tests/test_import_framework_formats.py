"""`manage.py import_framework --format` takes a framework's formats (case, esco, moodle, onet),
as its usage line, its help and the README say. Observed: it also took links, courses,
requirements and relations, the formats of the background jobs the admin and the API start for
large files: the file was imported, but as an import job printing a framework's changes
("0 abilities added, ...; 0 programmes' coverage changed"), its --min-level and --as ignored.
Each is refused, naming the command that imports such a file, and nothing is written or kept."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from positions.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "command"),
    [
        ("links", "import_links"),
        ("courses", "import_courses"),
        ("requirements", "import_requirements"),
        ("relations", "import_relations"),
    ],
)
def test_a_format_of_another_import_is_refused_naming_its_command(tmp_path, given, command):
    path = tmp_path / "file.csv"
    path.write_text("code,title\nCS101,Intro\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_framework", str(path), format=given, stderr=StringIO())
    assert f"manage.py {command}" in str(refused.value)
    assert given in str(refused.value)
    assert not ImportJob.objects.exists()


def test_the_help_offers_the_framework_formats_only():
    from positions.management.commands.import_framework import Command

    parser = Command().create_parser("manage.py", "import_framework")
    assert "--format {case,esco,moodle,onet}" in " ".join(parser.format_help().split())
