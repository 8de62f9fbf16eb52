"""The admin's course-ability link import previews each row's framework as the file resolved
it. Before, the preview's *framework* column was empty on every row (the column had no
attribute for the preview to read), so a designer checking a file that names a framework saw
nothing there and could not tell which framework its abilities were read from."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_courseability_import")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _preview_cells(response) -> list[list[str]]:
    result = response.context["result"]
    return [[str(cell) for cell in row.diff] for row in result.valid_rows()]


def test_the_preview_shows_the_framework_of_new_and_changed_links(admin_client, media):
    framework = FrameworkFactory(name="Shop skills")
    AbilityFactory(framework=framework, code="S1")
    other = AbilityFactory(framework=framework, code="S2")
    course = CourseFactory(code="C1")
    level("I"), level("R"), level("M")
    CourseAbilityFactory(course=course, ability=other, level=level("I"))
    content = b"course,framework,ability,level\nC1,Shop skills,S1,R\nC1,Shop skills,S2,M\n"

    response = admin_client.post(
        IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("links.csv", content)}
    )

    assert response.status_code == 200
    headers = response.context["result"].diff_headers
    column = headers.index("framework")
    cells = _preview_cells(response)
    assert len(cells) == 2
    for row in cells:
        assert str(framework.identifier) in row[column], row
    assert CourseAbility.objects.filter(course=course).count() == 1  # a preview writes nothing
