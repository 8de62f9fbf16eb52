"""Comparing programmes (/programs/compare/, its CSV and GET /api/v1/programs/compare/): two to
four programmes judged by the coverage engine against the same target positions (every position
any of them targets), their figures side by side and, per ability, each one's best level against
the level required, the abilities one covers and another misses first."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Importance
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    """A bachelor and a master programme with different targets: the master's position
    requires one more ability, which only the master builds; the bachelor misses D2, which the
    master covers; both reach D1, the bachelor only partly."""
    area = CompetencyAreaFactory(code="DA", name="Data", name_zh="数据")
    d1 = AbilityFactory(code="D1", text="clean data", text_zh="清洗数据", area=area)
    d2 = AbilityFactory(code="D2", text="forecast demand", area=area)
    d3 = AbilityFactory(code="D3", text="lead research teams", area=None)
    analyst = PositionFactory(name="Data analyst", name_zh="数据分析师")
    scientist = PositionFactory(name="Data scientist")
    RequirementFactory(position=analyst, ability=d1, min_level=level("M"))
    RequirementFactory(
        position=analyst, ability=d2, min_level=level("R"), importance=Importance.OPTIONAL
    )
    RequirementFactory(position=scientist, ability=d3, min_level=level("R"))
    c1, c2, c3 = CourseFactory(code="B1"), CourseFactory(code="M1"), CourseFactory(code="M2")
    CourseAbilityFactory(course=c1, ability=d1, level=level("R"))
    CourseAbilityFactory(course=c2, ability=d1, level=level("M"))
    CourseAbilityFactory(course=c2, ability=d2, level=level("M"))
    CourseAbilityFactory(course=c3, ability=d3, level=level("M"))
    extra = AbilityFactory(code="X9", text="juggle", area=None)
    CourseAbilityFactory(course=c1, ability=extra, level=level("I"))
    bachelor = ProgrammeFactory(
        name="BSc Data", name_zh="数据学士", courses=[c1], targets=[analyst]
    )
    master = ProgrammeFactory(name="MSc Data", courses=[c2, c3], targets=[analyst, scientist])
    coverage_recompute(force=True)
    return {
        "bachelor": bachelor,
        "master": master,
        "analyst": analyst,
        "scientist": scientist,
        "area": area,
        "abilities": (d1, d2, d3, extra),
    }


def url(*ids, **extra) -> str:
    query = "&".join([f"p={pk}" for pk in ids] + [f"{key}={value}" for key, value in extra.items()])
    return f"/programs/compare/?{query}"


def table_rows(html: str) -> list[str]:
    """The ability codes of the comparison table's rows, in order."""
    body = html.partition('id="compare-abilities"')[2].partition("</table>")[0]
    return [part.partition("</")[0].strip() for part in body.split('class="ability-code">')[1:]]


# --- the page ---------------------------------------------------------------------------------


def test_the_page_without_programmes_offers_the_form(client, two):
    response = client.get("/programs/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html
    assert 'name="p"' in html
    assert "BSc Data" in html
    assert "MSc Data" in html
    assert 'id="compare-abilities"' not in html


def test_the_programme_list_and_a_programme_page_link_to_the_comparison(client, two):
    assert "/programs/compare/" in client.get("/programs/").content.decode()
    page = client.get(f"/programs/{two['bachelor'].pk}/").content.decode()
    assert f"/programs/compare/?from={two['bachelor'].pk}" in page
    chosen = client.get(f"/programs/compare/?from={two['bachelor'].pk}")
    assert chosen.status_code == 200
    assert f'<option value="{two["bachelor"].pk}" selected>' in chosen.content.decode()


def test_the_programme_menus_list_the_programmes_as_the_programmes_list_does(client, two):
    """Observed on /programs/compare/?from=5: the menus listed the programmes in the API's
    order (`order`, then name), a programme without a certification or track first, where the
    overview and the programmes list put it after the others. The menus list them as the
    programmes list does."""
    own = ProgrammeFactory(
        name="A own programme", certification=None, track=None, own_degree_level="bachelor"
    )
    listed = [programme.pk for programme in client.get("/programs/").context["summaries_page"]]
    assert listed[-1] == own.pk  # after those with a certification and a track
    for address in ("/programs/compare/", f"/programs/compare/?from={own.pk}"):
        choices = client.get(address).context["choices"]
        assert [pk for pk, _name in choices] == listed, address
    compared = client.get(url(two["bachelor"].pk, own.pk)).context["choices"]
    assert [pk for pk, _name in compared] == listed


def test_the_page_compares_against_the_union_of_their_targets(client, two):
    b, m = two["bachelor"], two["master"]
    response = client.get(url(b.pk, m.pk))
    assert response.status_code == 200
    html = response.content.decode()
    # D2 (covered by the master, missed by the bachelor) and D3 (the same) come first, then D1
    # (partial against covered); X9 is required by no target.
    assert table_rows(html) == ["D2", "D3", "D1"]
    assert "Data scientist" in html
    # The bachelor does not target the scientist position: said in words, not by colour.
    assert "not a target" in html
    # Statuses in words and headers with their scope.
    assert "Missing" in html
    assert "Covered" in html
    assert "Partial" in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    # Essential figures: the bachelor covers 0 of 2 essential (D1 partial, D3 missing).
    assert "0 of 2" in html


def test_the_built_scope_lists_every_ability_any_of_them_builds(client, two):
    b, m = two["bachelor"], two["master"]
    html = client.get(url(b.pk, m.pk, scope="built")).content.decode()
    assert set(table_rows(html)) == {"D1", "D2", "D3", "X9"}


def test_the_filters_narrow_the_rows(client, two):
    b, m = two["bachelor"], two["master"]
    by_position = client.get(url(b.pk, m.pk, position=two["scientist"].pk)).content.decode()
    assert table_rows(by_position) == ["D3"]
    by_area = client.get(url(b.pk, m.pk, area=two["area"].pk)).content.decode()
    assert table_rows(by_area) == ["D2", "D1"]
    no_area = client.get(url(b.pk, m.pk, area=0)).content.decode()
    assert table_rows(no_area) == ["D3"]
    searched = client.get(url(b.pk, m.pk, q="forecast")).content.decode()
    assert table_rows(searched) == ["D2"]
    differences = client.get(url(b.pk, m.pk, differences=1, scope="built")).content.decode()
    assert "D1" in table_rows(differences)


def test_the_rows_are_paginated(client, two, monkeypatch):
    from curricula.selectors import comparisons

    monkeypatch.setattr(comparisons, "COMPARISON_PAGE_ROWS", 2)
    b, m = two["bachelor"], two["master"]
    first = client.get(url(b.pk, m.pk)).content.decode()
    assert table_rows(first) == ["D2", "D3"]
    assert "page=2" in first
    second = client.get(url(b.pk, m.pk, page=2)).content.decode()
    assert table_rows(second) == ["D1"]
    junk = client.get(url(b.pk, m.pk, page="x"))
    assert junk.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("p={b}", "at least two"),
        ("p={b}&p={m}&p=9999991&p=9999992&p=9999993", "at most four"),
        ("p={b}&p={b}", "chosen twice"),
        ("p={b}&p=abc", "not a programme id"),
        ("p={b}&p=²", "not a programme id"),
        ("p={b}&p=99999999999999999999999", "not a programme id"),
        ("p={b}&p=9999991", "No programme has the id 9999991"),
    ],
)
def test_bad_choices_are_a_form_error_not_a_server_error(client, two, query, message):
    query = query.format(b=two["bachelor"].pk, m=two["master"].pk)
    response = client.get(f"/programs/compare/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html or 'class="errorlist' in html
    assert 'name="p"' in html  # the form again, to choose better


def test_the_page_in_chinese(client, two):
    b, m = two["bachelor"], two["master"]
    html = client.get(url(b.pk, m.pk), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "数据学士" in html
    assert "数据分析师" in html
    assert "清洗数据" in html


def test_the_csv_holds_every_row_with_each_programmes_level_and_status(client, two):
    b, m = two["bachelor"], two["master"]
    response = client.get(f"/programs/compare/?p={b.pk}&p={m.pk}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:4] == ["ability code", "ability", "competency area", "minimum level required"]
    assert "BSc Data: level" in header
    assert "MSc Data: status" in header
    codes = [row[0] for row in rows[1:]]
    assert codes == ["D2", "D3", "D1"]
    d1 = rows[3]
    assert d1[header.index("BSc Data: level")] == "R"
    assert d1[header.index("BSc Data: status")] == "partial"
    assert d1[header.index("MSc Data: status")] == "covered"


def test_a_bad_csv_request_is_a_400(client, two):
    response = client.get(f"/programs/compare/?p={two['bachelor'].pk}&format=csv")
    assert response.status_code == 400


# --- the API ----------------------------------------------------------------------------------


def test_the_api_compares_the_programmes(api_client, two):
    b, m = two["bachelor"], two["master"]
    response = api_client.get(f"/api/v1/programs/compare/?programs={b.pk},{m.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["id"] for p in body["programs"]] == [b.pk, m.pk]
    assert body["programs"][0]["against_targets"]["essential"] == 2
    assert body["programs"][0]["against_targets"]["essential_covered"] == 0
    assert body["programs"][1]["against_targets"]["essential_covered"] == 2
    assert body["programs"][0]["targets"] == [two["analyst"].pk]
    assert [row["ability"]["code"] for row in body["abilities"]] == ["D2", "D3", "D1"]
    d1 = body["abilities"][2]
    assert d1["min_level"] == "M"
    assert [cell["level"] for cell in d1["programs"]] == ["R", "M"]
    assert [cell["status"] for cell in d1["programs"]] == ["partial", "covered"]
    scientist = next(p for p in body["positions"] if p["id"] == two["scientist"].pk)
    assert scientist["targeted_by"] == [False, True]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "programs=",
        "programs={b}",
        "programs={b},{b}",
        "programs={b},abc",
        "programs={b},9999991",
        "programs={b},{m},9999991,9999992,9999993",
        "programs={b},{m}&scope=everything",
        "programs={b},{m}&position=abc",
        "programs={b},{m}&programs={b},{m}",
        "programs={b},{m}&name=x",
    ],
)
def test_bad_api_input_is_a_400_naming_the_parameter(api_client, two, query):
    query = query.format(b=two["bachelor"].pk, m=two["master"].pk)
    response = api_client.get(f"/api/v1/programs/compare/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()


def test_a_list_past_four_ids_is_refused_for_its_count_before_the_rest_is_read(api_client):
    """Observed: each id was checked against those before it in a list, so `programs=` with
    100,000 ids (a URL the development server takes) held the request for two minutes before
    the answer that four is the most. Reading stops at the fifth id: what follows it (a
    repeat, a word) is not read."""
    many = ",".join(str(pk) for pk in range(1, 100_001))
    for query in ("1,2,3,4,5,1", "1,2,3,4,5,abc", many):
        response = api_client.get(f"/api/v1/programs/compare/?programs={query}")
        assert response.status_code == 400, response.content
        assert response.json() == {"programs": ["Compare at most four programmes at once."]}


def test_the_api_reads_as_the_programmes_do(api_client, two, settings):
    b, m = two["bachelor"], two["master"]
    settings.API_REQUIRE_AUTH = True
    response = api_client.get(f"/api/v1/programs/compare/?programs={b.pk},{m.pk}")
    assert response.status_code == 401
    assert api_client.get("/api/v1/programs/").status_code == 401


def test_the_schema_documents_the_endpoint_and_its_parameters(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/programs/compare/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"programs", "scope", "position", "area", "q", "differences"} <= names
    assert "400" in operation["responses"]


# --- what it costs ----------------------------------------------------------------------------


def build(size: int) -> tuple[int, int]:
    """Two programmes of `size` courses, each targeting a position requiring `size` abilities
    (two areas), every course linked to two of them."""
    areas = [CompetencyAreaFactory(), CompetencyAreaFactory()]
    abilities = [AbilityFactory(area=areas[i % 2]) for i in range(size)]
    programmes = []
    for _ in range(2):
        position = PositionFactory()
        for ability in abilities:
            RequirementFactory(position=position, ability=ability, min_level=level("R"))
        courses = [CourseFactory() for _ in range(size)]
        for i, course in enumerate(courses):
            CourseAbilityFactory(course=course, ability=abilities[i])
            CourseAbilityFactory(course=course, ability=abilities[(i + 1) % size])
        programmes.append(ProgrammeFactory(courses=courses, targets=[position]))
    coverage_recompute(force=True)
    return programmes[0].pk, programmes[1].pk


def counts(client, api_client, ids) -> dict[str, int]:
    a, b = ids
    urls = {
        "page": url(a, b),
        "built": url(a, b, scope="built"),
        "csv": f"/programs/compare/?p={a}&p={b}&format=csv",
    }
    found = {}
    for name, address in urls.items():
        client.get(address)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        found[name] = len(queries.captured_queries)
    api = f"/api/v1/programs/compare/?programs={a},{b}"
    api_client.get(api)
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(api).status_code == 200
    found["api"] = len(queries.captured_queries)
    return found


def test_the_comparison_costs_the_same_queries_at_two_sizes(client, api_client):
    small = counts(client, api_client, build(3))
    larger = counts(client, api_client, build(24))
    assert small == larger
    assert max(small.values()) <= 16, small


# --- the engine's rules, and filters that name nothing ------------------------------------------


def test_each_programme_keeps_its_own_crosswalk_rules(api_client):
    """Both programmes build E2, an exact match of the required E1: the one counting exact
    matches covers E1 through it, the one that does not misses it, as their own reports say."""
    from positions.models import AbilityRelation, RelationType

    e1, e2 = AbilityFactory(code="E1"), AbilityFactory(code="E2")
    AbilityRelation.objects.create(source=e1, target=e2, relation_type=RelationType.EXACT_MATCH_OF)
    position = PositionFactory()
    RequirementFactory(position=position, ability=e1, min_level=level("R"))
    course = CourseFactory()
    CourseAbilityFactory(course=course, ability=e2, level=level("M"))
    counting = ProgrammeFactory(courses=[course], targets=[position])
    direct_only = ProgrammeFactory(
        courses=[course], targets=[position], crosswalk_exact_match=False
    )
    coverage_recompute(force=True)
    body = api_client.get(
        f"/api/v1/programs/compare/?programs={counting.pk},{direct_only.pk}"
    ).json()
    [row] = body["abilities"]
    assert row["ability"]["code"] == "E1"
    assert [cell["status"] for cell in row["programs"]] == ["covered", "missing"]
    assert [p["own_percent"] for p in body["programs"]] == [100.0, 0.0]


def test_against_its_own_targets_a_programme_s_figures_are_its_stored_report_s(client, two):
    """The analyst position, which both target: each programme's figure for it is the one its
    own report gives."""
    from curricula.models import ProgrammeCoverage

    b, m = two["bachelor"], two["master"]
    body = client.get(f"/api/v1/programs/compare/?programs={b.pk},{m.pk}").json()
    analyst = next(p for p in body["positions"] if p["id"] == two["analyst"].pk)
    for programme, figures in zip((b, m), analyst["programs"], strict=True):
        stored = ProgrammeCoverage.objects.get(programme=programme).report
        [own] = [p for p in stored["positions"] if p["position"] == two["analyst"].pk]
        assert figures["percent"] == own["percent"]
        assert figures["essential"] == own["essential"]


@pytest.mark.parametrize("key", ["position", "area", "q", "scope", "page", "differences"])
@pytest.mark.parametrize(
    "value", ["abc", "-1", "0", "99999999999999999999", "²", "\x00", "x" * 5000]
)
def test_no_filter_value_gives_the_page_a_server_error(client, two, key, value):
    b, m = two["bachelor"], two["master"]
    response = client.get("/programs/compare/", {"p": [b.pk, m.pk], key: value})
    assert response.status_code == 200


def test_a_position_none_of_them_targets_is_ignored_by_the_page_and_refused_by_the_api(
    client, api_client, two
):
    b, m = two["bachelor"], two["master"]
    elsewhere = PositionFactory()
    html = client.get(url(b.pk, m.pk, position=elsewhere.pk)).content.decode()
    assert table_rows(html) == ["D2", "D3", "D1"]
    response = api_client.get(
        f"/api/v1/programs/compare/?programs={b.pk},{m.pk}&position={elsewhere.pk}"
    )
    assert response.status_code == 400
    assert "position" in response.json()


def area_menu(html: str) -> tuple[list[str], str]:
    """The area menu's option values and the one selected ("" for *All areas*)."""
    menu = html.partition('id="compare-area"')[2].partition("</select>")[0]
    values = [part.partition('"')[0] for part in menu.split('<option value="')[1:]]
    selected = [
        part.partition('"')[0]
        for part in menu.split('<option value="')[1:]
        if part.partition(">")[0].endswith(" selected")
    ]
    return values, selected[0] if selected else ""


def test_an_area_the_menu_does_not_offer_is_no_filter_on_the_page_or_its_csv(client, two):
    """Observed: ?area= of an area no compared ability is in (another framework's, an id of
    nothing), or ?area=0 where every one has an area, listed no ability ("No ability matches
    these filters.", a CSV of its header alone) under an area menu on "All areas". Like a
    position none of them targets, and like the map's filters, it is no filter: every row,
    the menu on All, and the CSV link and page links without it."""
    b, m = two["bachelor"], two["master"]
    elsewhere = CompetencyAreaFactory(code="EL", name="Elsewhere")
    cases = [
        ({"area": elsewhere.pk}, ["D2", "D3", "D1"]),
        ({"area": 9999991}, ["D2", "D3", "D1"]),
        # Under a position, the menu offers the areas of that position's abilities alone.
        ({"position": two["analyst"].pk, "area": 0}, ["D2", "D1"]),
        ({"position": two["scientist"].pk, "area": two["area"].pk}, ["D3"]),
    ]
    for query, codes in cases:
        html = client.get(url(b.pk, m.pk, **query)).content.decode()
        assert table_rows(html) == codes, query
        values, selected = area_menu(html)
        assert str(query["area"]) not in values, query
        assert selected == "", query
        assert "area=" not in html.partition("format=csv")[0].rpartition("href=")[2], query
        response = client.get(url(b.pk, m.pk, format="csv", **query))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row[0] for row in rows[1:]] == codes, query
    # What the menu offers still filters.
    html = client.get(url(b.pk, m.pk, area=two["area"].pk)).content.decode()
    assert table_rows(html) == ["D2", "D1"]
    assert area_menu(html)[1] == str(two["area"].pk)


def test_the_api_refuses_an_area_the_page_s_menu_does_not_offer_naming_it(api_client, two):
    """The API refuses what the page ignores, as it refuses a position none of them targets
    (and as the map's workbook refuses an area none of its abilities is in)."""
    b, m = two["bachelor"], two["master"]
    elsewhere = CompetencyAreaFactory(code="EL", name="Elsewhere")
    base = f"/api/v1/programs/compare/?programs={b.pk},{m.pk}"
    for query in (
        f"area={elsewhere.pk}",
        "area=9999991",
        f"position={two['analyst'].pk}&area=0",
        f"position={two['scientist'].pk}&area={two['area'].pk}",
    ):
        response = api_client.get(f"{base}&{query}")
        assert response.status_code == 400, (query, response.content)
        assert list(response.json()) == ["area"], query
    assert api_client.get(f"{base}&area=0").status_code == 200
    body = api_client.get(f"{base}&area={two['area'].pk}").json()
    assert [row["ability"]["code"] for row in body["abilities"]] == ["D2", "D1"]


def test_several_unknown_ids_are_named_together(api_client, two):
    response = api_client.get(
        f"/api/v1/programs/compare/?programs={two['bachelor'].pk},9999991,9999992"
    )
    assert response.status_code == 400
    assert response.json()["programs"] == [
        "No programme has the ids 9999991, 9999992: choose programmes from the list."
    ]


# --- the API's pages of abilities ---------------------------------------------------------------


def test_the_api_pages_the_abilities_and_keeps_the_figures_whole(api_client, two):
    """As the API's lists: `page` and `page_size`, `count`, `next` and `previous` links; the
    figures (programmes, positions, areas) are the whole comparison's on every page."""
    b, m = two["bachelor"], two["master"]
    address = f"/api/v1/programs/compare/?programs={b.pk},{m.pk}"
    whole = api_client.get(address).json()
    assert whole["count"] == 3
    assert whole["next"] is None
    assert whole["previous"] is None
    assert [row["ability"]["code"] for row in whole["abilities"]] == ["D2", "D3", "D1"]

    first = api_client.get(address + "&page_size=2").json()
    assert [row["ability"]["code"] for row in first["abilities"]] == ["D2", "D3"]
    assert first["count"] == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert f"programs={b.pk}%2C{m.pk}" in first["next"]
    second = api_client.get(first["next"]).json()
    assert [row["ability"]["code"] for row in second["abilities"]] == ["D1"]
    assert second["next"] is None
    assert second["previous"] is not None
    for page in (first, second):
        for key in ("programs", "positions", "areas"):
            assert page[key] == whole[key], key


def test_a_page_past_the_last_is_a_404_naming_the_last(api_client, two):
    b, m = two["bachelor"], two["master"]
    response = api_client.get(
        f"/api/v1/programs/compare/?programs={b.pk},{m.pk}&page_size=2&page=3"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no page 3: the last page is 2."


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=1&page=2", "page"),
        ("page_size=0", "page_size"),
        ("page_size=x", "page_size"),
        ("page_size=1001", "page_size"),
    ],
)
def test_a_bad_page_is_a_400_naming_it(api_client, two, query, name):
    b, m = two["bachelor"], two["master"]
    response = api_client.get(f"/api/v1/programs/compare/?programs={b.pk},{m.pk}&{query}")
    assert response.status_code == 400, response.content
    assert name in response.json()


def test_the_schema_documents_the_pages_of_abilities(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/programs/compare/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["maximum"] == 1000
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "$ref" in answer:
        answer = schema["components"]["schemas"][answer["$ref"].rpartition("/")[2]]
    assert {"count", "next", "previous", "abilities"} <= set(answer["properties"])


def test_a_page_of_abilities_costs_the_queries_of_the_whole(api_client):
    a, b = build(24)
    whole = f"/api/v1/programs/compare/?programs={a},{b}&scope=built"
    api_client.get(whole)
    found = []
    for address in (whole, whole + "&page_size=5&page=3"):
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(address).status_code == 200
        found.append(len(queries.captured_queries))
    assert found[0] == found[1]
    assert found[1] <= 16


# --- the CSV in the reader's language -----------------------------------------------------------


def test_the_csv_gives_the_statuses_in_the_reader_s_language(client, api_client, two):
    """The page's CSV is for reading, as *Map as CSV*: its header and its statuses in the
    reader's language (the level codes as the page shows them); the API keeps its codes."""
    b, m = two["bachelor"], two["master"]
    response = client.get(
        f"/programs/compare/?p={b.pk}&p={m.pk}&format=csv", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "能力代码"
    d1 = next(row for row in rows[1:] if row[0] == "D1")
    d3 = next(row for row in rows[1:] if row[0] == "D3")
    assert header[4:8] == ["数据学士：等级", "数据学士：状态", "MSc Data：等级", "MSc Data：状态"]  # noqa: RUF001
    # Levels as codes, as the page and the map's CSV give them; statuses in words.
    assert [d1[i] for i in (4, 5, 6, 7)] == ["R", "部分覆盖", "M", "已覆盖"]
    assert [d3[i] for i in (5, 7)] == ["缺失", "已覆盖"]
    body = api_client.get(
        f"/api/v1/programs/compare/?programs={b.pk},{m.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    d1_api = next(row for row in body["abilities"] if row["ability"]["code"] == "D1")
    assert [cell["status"] for cell in d1_api["programs"]] == ["partial", "covered"]


@pytest.mark.parametrize(
    ("language", "disposition"),
    [
        ("en", 'attachment; filename="programmes-compared.csv"'),
        (
            "zh-hans",
            'attachment; filename="programmes-compared.csv"; '
            "filename*=UTF-8''%E5%9F%B9%E5%85%BB%E6%96%B9%E6%A1%88%E5%AF%B9%E6%AF%94.csv",
        ),
    ],
)
def test_the_csv_is_named_in_the_reader_s_language(client, two, language, disposition):
    """Observed (xls1): the comparison's CSV, its header and statuses in Chinese on a Chinese
    page, was saved as "programmes-compared.csv", as the map's and the workbook's downloads
    were before they took the programme's Chinese name."""
    b, m = two["bachelor"], two["master"]
    response = client.get(
        f"/programs/compare/?p={b.pk}&p={m.pk}&format=csv", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response["Content-Disposition"] == disposition


# --- the same figures as the gap report -----------------------------------------------------------


@pytest.fixture
def optional_partial():
    """Two programmes targeting the same position, whose optional requirement O1 the first
    reaches only partly (R below M) and whose essential E1 it covers; the second builds
    nothing. Against the same targets, each programme's own gap report is the comparison's."""
    area = CompetencyAreaFactory(code="OA", name="Operations")
    e1 = AbilityFactory(code="E1", area=area)
    o1 = AbilityFactory(code="O1", area=area)
    e2 = AbilityFactory(code="E2", area=None)
    position = PositionFactory(name="Operator")
    RequirementFactory(position=position, ability=e1, min_level=level("M"))
    RequirementFactory(position=position, ability=e2, min_level=level("M"))
    RequirementFactory(
        position=position, ability=o1, min_level=level("M"), importance=Importance.OPTIONAL
    )
    course = CourseFactory()
    CourseAbilityFactory(course=course, ability=e1, level=level("M"))
    CourseAbilityFactory(course=course, ability=o1, level=level("R"))
    CourseAbilityFactory(course=course, ability=e2, level=level("I"))
    first = ProgrammeFactory(courses=[course], targets=[position])
    second = ProgrammeFactory(courses=[], targets=[position])
    coverage_recompute(force=True)
    return first, second


# The comparison's name of each of the gap report's figures (its own `covered` and `partial`
# count optional requirements too).
FIGURES = {
    "percent": "percent",
    "score": "score",
    "essential": "essential",
    "essential_covered": "covered",
    "essential_partial": "partial",
    "essential_missing": "missing",
    "total": "total",
}


def test_against_the_same_targets_the_comparison_gives_the_gap_report_s_figures(
    api_client, optional_partial
):
    """The programme's figures, its position's and its areas' are the engine's (its gap report
    shows them: the partial and missing essential requirements, the weighted score), not a
    second count of its own that counted the optional O1 as partial."""
    from curricula.coverage.selectors import coverage_report_detail

    first, second = optional_partial
    body = api_client.get(f"/api/v1/programs/compare/?programs={first.pk},{second.pk}").json()
    for index, programme in enumerate((first, second)):
        report = coverage_report_detail(programme=programme)
        compared = body["programs"][index]["against_targets"]
        assert {key: compared[key] for key in FIGURES} == {
            key: report[name] for key, name in FIGURES.items()
        }
        [position] = body["positions"]
        assert {key: position["programs"][index][key] for key in FIGURES} == {
            key: report["positions"][0][name] for key, name in FIGURES.items()
        }
        assert [
            (area["id"], {key: area["programs"][index][key] for key in FIGURES})
            for area in body["areas"]
        ] == [
            (
                area["area"] and area["area"]["id"],
                {key: area[name] for key, name in FIGURES.items()},
            )
            for area in report["areas"]
        ]
    mine = body["programs"][0]["against_targets"]
    assert (mine["essential_partial"], mine["partial"]) == (1, 2)  # E2, and the optional O1
    assert (mine["covered"], mine["total"]) == (1, 3)


def test_the_comparison_page_and_the_gap_report_show_the_same_figures(client, optional_partial):
    """The designer reads "1 of 2 essential" and 50 % for the programme on both pages."""
    import re

    first, second = optional_partial
    compared = client.get(url(first.pk, second.pk)).content.decode()
    summary = compared.partition('id="compare-summary"')[2].partition("</tr>")[2]
    cell = summary.partition("<td")[2].partition("</td>")[0]
    percent, covered, essential = re.search(
        r'class="pct">(\d+)%</span>\s*(\d+) of (\d+) essential', cell
    ).groups()
    gaps = client.get(f"/programs/{first.pk}/").content.decode()
    gaps = gaps.partition('id="gap-report"')[2]
    assert re.search(r'class="big-number">(\d+)<span class="unit">%', gaps).group(1) == percent
    assert re.search(r"essential abilities covered: (\d+) of (\d+);", gaps).groups() == (
        covered,
        essential,
    )
    assert (percent, covered, essential) == ("50", "1", "2")


def _cells(html: str, table: str) -> list[list[str]]:
    """Per body row of the comparison's `table`, the text of each programme's cell."""
    import re

    body = html.partition(f'id="{table}"')[2].partition("<tbody>")[2].partition("</tbody>")[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in body.split("</tr>")[:-1]
    ]


@pytest.mark.parametrize(
    ("language", "counts", "score"),
    [
        ("en", "{c} covered · {p} partial · {m} missing", "Weighted score, with partial credit"),
        ("zh-hans", "覆盖 {c} · 部分 {p} · 缺失 {m}", "加权得分（含部分覆盖）"),  # noqa: RUF001
    ],
)
def test_the_comparison_page_shows_the_gap_report_s_partial_missing_and_score(
    client, optional_partial, language, counts, score
):
    """Observed: the page gave "50% 1 of 2 essential" but not that the other essential E2 is
    partly covered, nor the weighted score, so a designer opened each gap report to learn them.
    Now, against the same targets, the summary, the position and the area rows give each
    programme's essential covered · partial · missing in the gap report's words, and the
    summary its weighted score as the gap report prints it."""
    import re

    from curricula.coverage.selectors import coverage_report_detail

    first, second = optional_partial
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    html = client.get(url(first.pk, second.pk), **headers).content.decode()
    summary, positions, areas = (
        _cells(html, table) for table in ("compare-summary", "compare-positions", "compare-areas")
    )
    summary_heads = re.findall(
        r'<th scope="row">(.*?)</th>',
        html.partition('id="compare-summary"')[2].partition("</table>")[0],
    )
    assert score in summary_heads
    scores = summary[summary_heads.index(score)]
    for index, programme in enumerate((first, second)):
        report = coverage_report_detail(programme=programme)
        gaps = client.get(f"/programs/{programme.pk}/", **headers).content.decode()
        gaps = gaps.partition('id="gap-report"')[2]

        def said(figures):
            return counts.format(c=figures["covered"], p=figures["partial"], m=figures["missing"])

        # The gap report's own words, for the programme and for its position.
        assert said(report["positions"][0]) in gaps
        if report["score"] is not None:
            shown = f"{report['score']:.0f}%"
            assert shown in re.sub(r"<[^>]+>", "", gaps)
        else:
            shown = "—"
        assert said(report) in summary[0][index], summary
        assert said(report["positions"][0]) in positions[0][index], positions
        for row, area in zip(areas, report["areas"], strict=True):
            assert said(area) in row[index], (areas, report["areas"])
        assert scores[index] == shown
    assert "1 covered · 1 partial · 0 missing" in summary[0][0] or language != "en"
    assert scores[1] == "0%"


def test_find_abilities_reads_british_and_american_spellings_as_one(client, api_client, two):
    """Observed: the comparison's *Find abilities* (the page's and the API's `q`) did not find
    "optimise demand forecasts" for "optimize", nor "consumer behaviour" for "behavior"."""
    d2, d3 = two["abilities"][1], two["abilities"][2]
    d2.text = "optimise demand forecasts"
    d2.save()
    d3.text = "lead research on consumer behaviour"
    d3.save()
    b, m = two["bachelor"], two["master"]
    for q, code in (("optimize", "D2"), ("behavior", "D3")):
        assert table_rows(client.get(url(b.pk, m.pk, q=q)).content.decode()) == [code]
        response = api_client.get(f"/api/v1/programs/compare/?programs={b.pk},{m.pk}&q={q}")
        assert response.status_code == 200, response.content
        assert [row["ability"]["code"] for row in response.json()["abilities"]] == [code]
