"""Inputs that were read past without a word: the second `?format=` chose the answer's format,
a body in a charset Python does not know was read as UTF-8, and a query parameter no list takes
(`?name=` on positions) answered the whole list; and an error body its schema did not allow,
for an unknown key named `detail`."""

import jsonschema
import pytest

from core.tests import openapi
from curricula.tests.factories import CourseFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

CASE_DOCUMENTS = "/ims/case/v1p1/CFDocuments"


@pytest.mark.parametrize("query", ["format=json&format=api", "format=api&format=json"])
def test_format_given_twice_is_a_400_naming_it(api_client, query):
    """Observed: `?format=json&format=api` answered the browsable API's HTML, the last taken."""
    response = api_client.get(f"/api/v1/levels/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "once" in response.json()["format"][0]


def test_format_given_twice_to_the_case_provider_is_a_case_400(api_client, settings):
    settings.CASE_BASE_URL = "https://case.example.edu"
    response = api_client.get(f"{CASE_DOCUMENTS}?format=json&format=json")

    assert response.status_code == 400
    minor = response.json()["imsx_codeMinor"]["imsx_codeMinorField"]
    assert [m["imsx_codeMinorFieldName"] for m in minor] == ["format"]


def test_format_once_still_chooses_the_renderer(api_client):
    assert api_client.get("/api/v1/levels/?format=json")["Content-Type"] == "application/json"
    assert api_client.get("/api/v1/levels/?format=api")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("charset", ["bogus", "utf-99", "x"])
def test_a_body_in_an_unknown_charset_is_a_415_naming_it(staff_client, charset):
    """Observed: `Content-Type: application/json; charset=bogus` was read as UTF-8 and saved:
    Django drops a charset it cannot look up, without a word."""
    position = PositionFactory(name="Before")

    response = staff_client.generic(
        "PATCH",
        f"/api/v1/positions/{position.pk}/",
        '{"name": "After"}',
        content_type=f"application/json; charset={charset}",
    )

    assert response.status_code == 415
    assert charset in response.json()["detail"]
    position.refresh_from_db()
    assert position.name == "Before"


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("utf-8", '{"name": "Après"}'.encode()),
        ("UTF-16", '{"name": "Après"}'.encode("utf-16")),
        ("latin-1", '{"name": "Après"}'.encode("latin-1")),
    ],
)
def test_a_body_in_a_known_charset_is_read_in_it(staff_client, charset, body):
    position = PositionFactory(name="Before")

    response = staff_client.generic(
        "PATCH",
        f"/api/v1/positions/{position.pk}/",
        body,
        content_type=f"application/json; charset={charset}",
    )

    assert response.status_code == 200, response.content
    position.refresh_from_db()
    assert position.name == "Après"


def test_an_unknown_key_named_detail_answers_an_error_its_schema_allows(staff_client):
    """Found by the schema fuzzer: a body with an unknown key `detail` is answered
    `{"detail": ["Unknown key: ..."]}`, a list where the Error schema promised a string."""
    schema, _generator = openapi.generate()
    response = staff_client.post("/api/v1/programs/", {"detail": "x", "name": "P"}, format="json")

    assert response.status_code == 400
    assert "Unknown key" in response.json()["detail"][0]
    jsonschema.validate(response.json(), schema["components"]["schemas"]["Error"])


def test_a_delete_with_a_body_is_a_400_naming_its_keys_and_deletes_nothing(staff_client):
    """Observed: DELETE with `{"cascade": false}` deleted the position, the body read past, as
    the actions that take no body (reject/, skip/, recompute/) refuse any key."""
    position = PositionFactory()

    response = staff_client.delete(
        f"/api/v1/positions/{position.pk}/", {"cascade": False}, format="json"
    )

    assert response.status_code == 400
    assert "no body" in response.json()["cascade"][0]
    assert type(position).objects.filter(pk=position.pk).exists()
    # Without a body, or with an empty object, it is deleted.
    assert (
        staff_client.delete(f"/api/v1/positions/{position.pk}/", {}, format="json").status_code
        == 204
    )


def test_an_unknown_query_parameter_is_a_400_naming_it_and_what_the_list_takes(api_client):
    """Observed: `/api/v1/positions/?name=Engineer` answered every position (its filter is
    `search`), and the client took the list for filtered."""
    PositionFactory(name="Engineer")
    PositionFactory(name="Librarian")

    response = api_client.get("/api/v1/positions/", {"name": "Engineer"})

    assert response.status_code == 400
    assert response.json() == {
        "name": [
            "Unknown query parameter: this list takes after_id, degree_level, ordering, page, "
            "page_size, search, track, updated_since."
        ]
    }
    assert api_client.get("/api/v1/positions/", {"search": "Engineer"}).json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    ["format=json", "format=api", "_=1733390000000", "search=&_=1", "ordering=&page=1"],
)
def test_the_harmless_and_the_empty_parameters_still_pass(api_client, query):
    """DRF's `format`, a cache-busting `_` and a known parameter left empty are no error."""
    PositionFactory()

    assert api_client.get(f"/api/v1/positions/?{query}").status_code == 200


def _collection_reads(schema: dict) -> list[tuple[str, set[str]]]:
    """(path, the query parameters its schema documents) of every GET of a collection under
    /api/v1/: the lists and the exports."""
    return [
        (path, {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"})
        for path, method, operation in openapi.operations(schema)
        if method == "GET"
        and path.startswith("/api/v1/")
        and (operation["operationId"].endswith("_list") or path.endswith("/export/"))
    ]


def test_every_collection_read_refuses_an_unknown_parameter_naming_what_its_schema_documents(
    staff_client,
):
    """The same on every list and export, and what the 400 says the read takes is what its
    schema documents (`format` aside): the two cannot drift apart. Observed with it: the
    exports (`course-abilities/export/?program=1`) filtered by the list's filters, which the
    schema left out."""
    schema, _generator = openapi.generate()
    course, position = CourseFactory(), PositionFactory()
    needs = {"/api/v1/history/": {"model": "course"}}
    reads = _collection_reads(schema)
    assert len(reads) >= 20
    wrong = []
    for path, documented in reads:
        url = path.replace("{course_pk}", str(course.pk))
        url = url.replace("{position_pk}", str(position.pk))
        response = staff_client.get(url, {**needs.get(path, {}), "zz_unknown": "1"})
        takes = ", ".join(sorted(documented - {"format"}))
        expected = {"zz_unknown": [f"Unknown query parameter: this list takes {takes}."]}
        if response.status_code != 400 or response.json() != expected:
            wrong.append(f"{path}: {response.status_code} {response.content[:300]!r}")
    assert wrong == []


def test_many_or_long_unknown_parameters_are_named_in_a_bounded_answer(api_client):
    """Observed: 1,500 unknown parameters (the query string takes 10,100) were each named with
    the whole list of what the list takes, a 230 KB answer to a 20 KB request, and a name as
    long as the request line was echoed whole. The first 20 are named, each cut to 100
    characters: a client fixes them and is told of the rest next."""
    query = "&".join(f"n{i:04d}{'x' * 200}=1" for i in range(1500))

    response = api_client.get(f"/api/v1/positions/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert len(body) == 20
    assert len(response.content) < 8_000
    assert all(len(name) <= 100 for name in body)
    assert next(iter(body)).startswith("n0000xxx")
