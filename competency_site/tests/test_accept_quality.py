"""Content negotiation honours the Accept header's quality values (RFC 9110, 12.5.1): the type
a client weighs highest among those an endpoint has is the one answered, and `q=0` means "not
acceptable", so a type refused that way is never the answer (a 406 when nothing else is left).
The most specific range naming a type gives its weight: `text/csv;q=0, */*` refuses the CSV.

Every JSON endpoint offers JSON and DRF's browsable API (text/html); a download its file (CSV or
XLSX) and JSON for its errors; the CASE provider JSON alone."""

import pytest

from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
HTML = "text/html"
CSV = "text/csv"


def _type(response) -> str:
    return response["Content-Type"].split(";")[0]


@pytest.fixture
def map_url():
    link = CourseAbilityFactory()
    programme = ProgrammeFactory(courses=[link.course])
    return f"/api/v1/programs/{programme.pk}/map/"


@pytest.mark.parametrize(
    ("accept", "answered"),
    [
        # Observed: DRF ranks ranges by specificity and then by its renderers' order, so JSON
        # (its first renderer) was answered to a client weighing the browsable API higher.
        (f"{JSON};q=0.1, {HTML};q=0.9", HTML),
        (f"{HTML};q=0.9, {JSON}", JSON),
        (f"{JSON};q=0, */*", HTML),
        (f"{HTML};q=0, */*", JSON),
        (f"text/*;q=0.5, {JSON};q=0.4", HTML),
        (f"{JSON};q=0.5, {HTML};q=0.5", JSON),  # a tie: the API's order decides, JSON first
        (f"{JSON};q=not-a-number, {HTML};q=0.5", JSON),  # an unreadable weight counts as 1
    ],
)
def test_a_json_endpoint_answers_the_type_weighed_highest(api_client, accept, answered):
    response = api_client.get("/api/v1/levels/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert _type(response) == answered


@pytest.mark.parametrize("accept", [f"{JSON};q=0", "*/*;q=0", f"{JSON};q=0.0, {HTML};q=0.000"])
def test_a_json_endpoint_refuses_with_406_when_every_type_it_has_is_weighed_zero(
    api_client, accept
):
    """Observed: `Accept: application/json;q=0` was answered JSON, as if q were not there."""
    response = api_client.get("/api/v1/levels/", HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert _type(response) == JSON
    assert response.json()["detail"]


@pytest.mark.parametrize("accept", [f"{CSV};q=0", f"{CSV};q=0, */*", "text/*;q=0, */*;q=1"])
def test_a_download_whose_file_the_client_weighs_zero_is_a_406(api_client, map_url, accept):
    """Observed: `Accept: text/csv;q=0` on a programme's map answered the CSV."""
    response = api_client.get(map_url, HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert _type(response) == JSON


def test_a_download_answers_its_file_when_weighed_below_json(api_client, map_url):
    """JSON is only for a download's errors: a file weighed above zero is still the answer."""
    response = api_client.get(map_url, HTTP_ACCEPT=f"{JSON};q=0.9, {CSV};q=0.1")

    assert response.status_code == 200
    assert _type(response) == CSV


@pytest.mark.parametrize(
    ("accept", "answered"),
    [(f"{JSON};q=0.1, {CSV};q=0.9", CSV), (f"{CSV};q=0.1, {JSON};q=0.9", JSON)],
)
def test_a_downloads_error_comes_in_the_type_weighed_highest(api_client, accept, answered):
    """Observed: a missing programme's map answered its 404 in JSON to a client weighing CSV
    higher (DRF took its first renderer among ranges equally specific)."""
    response = api_client.get("/api/v1/programs/999999/map/", HTTP_ACCEPT=accept)

    assert response.status_code == 404
    assert _type(response) == answered


def test_the_case_provider_refuses_json_weighed_zero_in_its_own_error_body(api_client):
    response = api_client.get("/ims/case/v1p1/CFDocuments", HTTP_ACCEPT=f"{JSON};q=0")

    assert response.status_code == 406
    assert _type(response) == JSON
    assert response.json()["imsx_codeMajor"] == "failure"
