"""The crosswalk import's 400 names each bad record's line (and its sheet row where that differs)
as fields, as the catalogue, link and requirement imports' 400 reports do, so that a client can
point at the line without parsing a sentence. Observed: the crosswalk's 400 was the API's error
body, `{"file": ["line 3: unknown relation type ..."]}`, its line only inside the words, and
its schema named no body at all for it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.tests.factories import CourseFactory
from positions.models import AbilityRelation
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

CROSSWALK = "/api/v1/ability-relations/import-csv/"
LINKS = "/api/v1/course-abilities/import/"
HEADER = "source_framework,source,relation_type,target_framework,target\n"


@pytest.fixture
def framework():
    framework = FrameworkFactory(name="Nursing")
    AbilityFactory(framework=framework, code="A1")
    AbilityFactory(framework=framework, code="A2")
    return framework


def _post(client, path: str, text: str):
    upload = SimpleUploadedFile("file.csv", text.encode(), content_type="text/csv")
    return client.post(path, {"file": upload}, format="multipart")


def test_a_bad_crosswalk_line_is_named_as_the_link_import_names_one(staff_client, framework):
    CourseFactory(code="C1")
    crosswalk = _post(
        staff_client,
        CROSSWALK,
        HEADER + "Nursing,A1,isRelatedTo,Nursing,A2\nNursing,A1,bogus,Nursing,A2\n",
    )
    links = _post(staff_client, LINKS, "course,framework,ability,level\nC1,Nursing,A1,Z\n")

    assert crosswalk.status_code == links.status_code == 400
    [entry] = crosswalk.json()["errors"]
    [link_entry] = links.json()["errors"]
    assert entry.keys() == link_entry.keys() == {"line", "errors"}
    assert entry["line"] == 3
    [message] = entry["errors"]["__all__"]
    assert "bogus" in message
    assert crosswalk.json()["ok"] is False
    assert crosswalk.json()["errors_total"] == 1
    assert not AbilityRelation.objects.exists()


def test_a_record_spanning_lines_is_named_by_its_line_and_its_sheet_row(staff_client, framework):
    text = HEADER + 'Nursing,A1,isRelatedTo,Nursing,"A2"\n"Nurs\ning",A1,isRelatedTo,Nursing,A2\n'
    text += "Nursing,A9,isRelatedTo,Nursing,A2\n"

    response = _post(staff_client, CROSSWALK, text)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e.get("row")) for e in errors] == [(3, None), (5, 4)]


def test_the_crosswalk_s_report_says_ok_when_imported(staff_client, framework):
    response = _post(staff_client, CROSSWALK, HEADER + "Nursing,A1,isRelatedTo,Nursing,A2\n")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "dry_run": False,
        "created": 1,
        "unchanged": 0,
        "errors": [],
        "errors_total": 0,
    }


def test_a_file_without_the_columns_is_still_refused_on_file(staff_client, framework):
    response = _post(staff_client, CROSSWALK, "a,b\n1,2\n")

    assert response.status_code == 400
    assert "missing columns" in response.json()["file"][0]
