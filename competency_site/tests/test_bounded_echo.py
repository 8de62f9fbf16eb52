"""A 400 quotes at most a bounded excerpt of the value it refuses (a hostile tester's
`?status=missing,missing,…` of 400 KB was answered with all 400 KB in the message), and
still names the field. An ordering repeating a field, or naming more than the list offers, is
refused; a body nested past the parser's bound is refused in one message however deep it is.
"""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.api.filters import excerpt
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory

HUGE = "missing," * 50_000  # 400 KB
SMALL = 2_000


def _small_400_naming(response, field: str) -> None:
    assert response.status_code == 400, response.content[:300]
    assert len(response.content) < SMALL, response.content[:300]
    assert field in response.json(), response.content[:300]


def test_a_huge_bad_choice_in_a_list_filter_is_quoted_cut(db, staff_client):
    response = staff_client.get("/api/v1/suggestions/", {"status": HUGE})
    _small_400_naming(response, "status")
    message = response.json()["status"][0]
    assert "missing,missing" in message  # an excerpt of it, still quoted
    assert "…" in message


def test_a_huge_bad_choice_in_a_body_is_quoted_cut(db, staff_client):
    body = {"position": PositionFactory().pk, "ability": AbilityFactory().pk, "importance": HUGE}
    response = staff_client.post("/api/v1/requirements/", body, format="json")
    _small_400_naming(response, "importance")
    assert "missing,missing" in response.json()["importance"][0]


@pytest.mark.parametrize("form", ["json", "multipart"])
def test_a_body_value_is_quoted_as_its_excerpt_not_cut_in_the_messages_middle(
    db, staff_client, form
):
    """The handler finds the value in the body the view parsed, which DRF keeps on the request
    as `_full_data` and nowhere public (`request.data` would parse a body the view never read,
    inside the handler: a ParseError there is a 500). Were DRF to move it, the message would
    still be bounded, cut in its middle to 1,000 characters, and the tests above pass: this
    one says so."""
    if form == "json":
        body = {"position": PositionFactory().pk, "ability": AbilityFactory().pk}
        response = staff_client.post(
            "/api/v1/requirements/", {**body, "importance": HUGE}, format="json"
        )
        message = response.json()["importance"][0]
    else:
        upload = SimpleUploadedFile("framework.csv", b"name\nx\n", content_type="text/csv")
        response = staff_client.post(
            "/api/v1/imports/", {"file": upload, "format": HUGE}, format="multipart"
        )
        message = response.json()["format"][0]
    assert response.status_code == 400
    assert excerpt(HUGE) in message
    assert len(message) < len(excerpt(HUGE)) + 100, message


def test_a_request_refused_before_its_body_is_read_is_a_400_whatever_its_body(db, staff_client):
    """Refused for its query parameters, the body the view never read is not read to quote from
    either: `request.data` in the handler parsed it there, and its ParseError was a 500."""
    response = staff_client.generic(
        "POST", "/api/v1/course-abilities/?zzz=1", b'{"bad json', "application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["zzz"]


def test_a_huge_bad_choice_in_a_form_is_quoted_cut(db, staff_client):
    """The upload's form (multipart): its fields as a form gives them."""
    upload = SimpleUploadedFile("framework.csv", b"name\nx\n", content_type="text/csv")
    response = staff_client.post(
        "/api/v1/imports/", {"file": upload, "format": HUGE}, format="multipart"
    )
    _small_400_naming(response, "format")
    assert "missing,missing" in response.json()["format"][0]


@pytest.mark.parametrize("pk", ["9" * 4000, "x" * 400_000], ids=["digits", "text"])
def test_a_huge_bad_pk_in_a_body_is_quoted_cut(db, staff_client, pk):
    body = {"position": pk, "ability": AbilityFactory().pk, "importance": "core"}
    response = staff_client.generic(
        "POST", "/api/v1/requirements/", json.dumps(body), "application/json"
    )
    _small_400_naming(response, "position")


def test_the_workbooks_huge_bad_status_is_quoted_cut(db, staff_client):
    """The tester's request: a list of choices read from the query string by a serializer,
    refused in the workbook's own format (its error sheet)."""
    programme = ProgrammeFactory()
    response = staff_client.get(
        f"/api/v1/programs/{programme.pk}/workbook/", {"status": HUGE, "format": "xlsx"}
    )
    assert response.status_code == 400
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "status.0"  # the list's first item
    assert "missing,missing" in rows[1][1]
    assert len(rows[1][1]) < SMALL


def test_a_huge_bad_choice_in_a_query_serializer_is_quoted_cut(db, staff_client):
    programmes = [ProgrammeFactory().pk, ProgrammeFactory().pk]
    response = staff_client.get(
        "/api/v1/programs/compare/",
        {"programs": ",".join(map(str, programmes)), "scope": "x" * 400_000},
    )
    _small_400_naming(response, "scope")


def test_a_huge_key_given_twice_in_a_json_body_is_quoted_cut(db, staff_client):
    key = "k" * 400_000
    body = f'{{"{key}": 1, "{key}": 2}}'
    response = staff_client.generic("POST", "/api/v1/requirements/", body, "application/json")
    assert response.status_code == 400
    assert len(response.content) < SMALL, response.content[:300]
    assert "twice" in response.json()["detail"]


def test_a_message_listing_many_of_the_values_given_is_cut_in_its_middle(db, staff_client):
    """5,000 ids each given twice were all named in one message (28 KB): it keeps its start and
    its end."""
    programme = ProgrammeFactory()
    ids = list(range(1, 5_001))
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"courses": ids + ids}, format="json"
    )
    _small_400_naming(response, "courses")
    message = response.json()["courses"][0]
    assert message.startswith("The ids 1, 2, 3")
    assert message.endswith("are given more than once.")
