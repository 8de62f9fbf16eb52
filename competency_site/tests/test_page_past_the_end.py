"""A page number past a list's last page is a 404 that names the last page, where DRF answered
"Invalid page." and left the client to guess whether the list had shrunk or its number was
wrong. Paging by `after_id` past the end is an empty page, the sync's sign that it is done."""

import pytest

from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def test_a_page_past_the_last_is_a_404_naming_the_last(api_client):
    for _ in range(5):
        PositionFactory()

    assert api_client.get("/api/v1/positions/", {"page": 3, "page_size": 2}).status_code == 200
    response = api_client.get("/api/v1/positions/", {"page": 999, "page_size": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 999: the last page is 3."}


def test_an_empty_list_has_its_first_page_and_names_it_as_its_last(api_client):
    assert api_client.get("/api/v1/positions/").json()["results"] == []

    response = api_client.get("/api/v1/positions/?page=2")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 2: the last page is 1."}


def test_a_page_number_too_long_to_be_a_number_is_cut_short_in_the_answer(api_client):
    response = api_client.get("/api/v1/positions/?page=" + "9" * 5000)

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.endswith("the last page is 1.")
    assert len(detail) < 200


def test_after_id_past_the_last_row_is_an_empty_page_not_a_404(api_client):
    PositionFactory()
    [last] = api_client.get("/api/v1/positions/", {"updated_since": "2000-01-01T00:00:00Z"}).json()[
        "results"
    ]

    response = api_client.get(
        "/api/v1/positions/", {"updated_since": last["updated_at"], "after_id": last["id"]}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []
