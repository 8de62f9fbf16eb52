"""An API address naming a record that does not exist answers 404 with DRF's own "Not found.", in
the reader's language. Observed: `POST /api/v1/suggestions/999999/accept/` (and every detail
address: courses, programmes, import jobs) answered a Chinese client in English with the model's
class name, "No Suggestion matches the given query." (Django's get_object_or_404 message, which
DRF's handler passed on as the detail), while a course's missing suggestion list said 未找到。"""

import pytest
from django.utils import translation
from rest_framework.exceptions import NotFound

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _not_found(language: str) -> str:
    # DRF's own message, translated by DRF's catalogue (not marked here: the project's catalogue
    # would take it in and translate it again).
    with translation.override(language):
        return str(NotFound.default_detail)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/courses/999999/"),
        ("get", "/api/v1/programs/999999/"),
        ("get", "/api/v1/suggestions/999999/"),
        ("post", "/api/v1/suggestions/999999/accept/"),
        ("post", "/api/v1/suggestions/999999/reject/"),
        ("get", "/api/v1/imports/999999/"),
    ],
)
@pytest.mark.parametrize(("headers", "language"), [({}, "en"), (ZH, "zh-hans")])
def test_a_missing_record_is_not_found_in_the_readers_language_without_its_model_name(
    admin_client, method, url, headers, language
):
    response = getattr(admin_client, method)(url, {}, content_type="application/json", **headers)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "matches the given query" not in detail
    assert detail == _not_found(language)
    if language != "en":
        assert detail != "Not found."
