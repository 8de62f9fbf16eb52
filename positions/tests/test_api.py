"""The demand side over /api/v1/: positions with placements, requirements, levels by code."""

import pytest

from core.models import Provenance
from positions.models import (
    AbilityRelation,
    Level,
    Placement,
    Position,
    RelationType,
    Requirement,
    TrackAlias,
)
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


def test_track_lists_its_aliases(db, api_client):
    track = TrackFactory(name="Data analysis")
    TrackAlias.objects.create(track=track, name="Mathematical analysis")
    body = api_client.get(f"/api/v1/tracks/{track.pk}/").json()
    assert body["name"] == "Data analysis"
    assert body["aliases"] == ["Mathematical analysis"]


def test_levels_are_addressed_by_code(db, api_client):
    body = api_client.get("/api/v1/levels/M/").json()
    assert (body["code"], body["name"], body["rank"]) == ("M", "Mastered", 3)
    codes = [row["code"] for row in api_client.get("/api/v1/levels/").json()["results"]]
    assert codes == ["I", "R", "M"]


def test_abilities_filter_by_framework_area_parent_and_search(db, api_client):
    parent = AbilityFactory(text="communicate with customers")
    child = AbilityFactory(parent=parent, framework=parent.framework, text="write emails")
    AbilityFactory(text="unrelated")

    def ids(query):
        return {
            row["id"] for row in api_client.get(f"/api/v1/abilities/?{query}").json()["results"]
        }

    assert ids(f"framework={parent.framework_id}") == {parent.pk, child.pk}
    assert ids(f"parent={parent.pk}") == {child.pk}
    assert ids(f"area={child.area_id}") == {child.pk}
    assert ids("search=EMAIL") == {child.pk}


def test_ability_relation_target_is_an_id_or_an_external_uri(db, api_client):
    source = AbilityFactory()
    target = AbilityFactory()
    AbilityRelation.objects.create(
        source=source, target=target, relation_type=RelationType.EXACT_MATCH_OF
    )
    AbilityRelation.objects.create(
        source=source, target_uri="http://data.europa.eu/esco/skill/x", relation_type="isRelatedTo"
    )
    AbilityRelation.objects.create(
        source=AbilityFactory(), target=target, relation_type=RelationType.IS_PEER_OF
    )
    rows = api_client.get(f"/api/v1/ability-relations/?framework={source.framework_id}").json()[
        "results"
    ]
    assert sorted((r["relation_type"], r["target"]) for r in rows) == [
        ("exactMatchOf", target.pk),
        ("isRelatedTo", "http://data.europa.eu/esco/skill/x"),
    ]


def test_position_shows_placements_requirements_and_requirements_defined(db, api_client):
    position = PositionFactory(name="Online marketing specialist")
    PlacementFactory(position=position, title="internet marketing specialist")
    requirement = RequirementFactory(position=position, min_level=level("R"))
    bare = PositionFactory(name="Data modeler")
    by_id = {row["id"]: row for row in api_client.get("/api/v1/positions/").json()["results"]}

    assert by_id[position.pk]["requirements_defined"] is True
    assert by_id[bare.pk]["requirements_defined"] is False
    assert by_id[position.pk]["placements"][0]["title"] == "internet marketing specialist"
    assert by_id[position.pk]["requirements"] == [
        {
            "id": requirement.pk,
            "ability": requirement.ability_id,
            "text": requirement.ability.text,
            "importance": "essential",
            "min_level": "R",
        }
    ]


def test_position_track_and_degree_filters_must_match_the_same_placement(db, api_client):
    """A position placed under track A (bachelor) and track B (master) is not a master of A."""
    track_a, track_b = TrackFactory(slug="a"), TrackFactory(slug="b")
    mixed = PositionFactory()
    PlacementFactory(position=mixed, track=track_a, degree_level="bachelor")
    PlacementFactory(position=mixed, track=track_b, degree_level="master")
    master_of_a = PositionFactory()
    PlacementFactory(position=master_of_a, track=track_a, degree_level="master")

    def ids(query):
        return {
            row["id"] for row in api_client.get(f"/api/v1/positions/?{query}").json()["results"]
        }

    assert ids("track=a&degree_level=master") == {master_of_a.pk}
    assert ids(f"track={track_a.pk}&degree_level=master") == {master_of_a.pk}
    assert ids("track=a") == {mixed.pk, master_of_a.pk}
    assert ids("degree_level=bachelor") == {mixed.pk}


def test_position_search_finds_table_i_titles(db, api_client):
    position = PositionFactory(name="Web editor and artist")
    PlacementFactory(position=position, title="developer and designer of website")
    PositionFactory(name="Something else")
    rows = api_client.get("/api/v1/positions/?search=designer of").json()["results"]
    assert [row["id"] for row in rows] == [position.pk]


def test_staff_create_position_with_placements(db, staff_client):
    track = TrackFactory()
    response = staff_client.post(
        "/api/v1/positions/",
        {
            "name": "Web editor and artist",
            "placements": [
                {"track": track.pk, "degree_level": "bachelor", "title": "web designer"},
                {"track": track.pk, "degree_level": "master"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["requirements_defined"] is False
    assert body["provenance"] == "edit"
    assert [(p["degree_level"], p["title"]) for p in body["placements"]] == [
        ("bachelor", "web designer"),
        ("master", "Web editor and artist"),
    ]


def test_staff_patch_placements_replaces_them_as_a_set(db, staff_client):
    track = TrackFactory()
    position = PositionFactory(provenance=Provenance.PAPER)
    kept = PlacementFactory(position=position, track=track, degree_level="bachelor", title="old")
    PlacementFactory(position=position, track=track, degree_level="master")
    response = staff_client.patch(
        f"/api/v1/positions/{position.pk}/",
        {"placements": [{"track": track.pk, "degree_level": "bachelor", "title": "new"}]},
    )
    assert response.status_code == 200, response.content
    assert list(Placement.objects.filter(position=position).values_list("pk", "title")) == [
        (kept.pk, "new")
    ]
    position.refresh_from_db()
    assert position.provenance == Provenance.EDIT


@pytest.mark.parametrize(
    ("placement", "missing"),
    [
        ({}, ["track", "degree_level"]),
        ({"title": "x"}, ["track", "degree_level"]),
        ({"degree_level": "bachelor"}, ["track"]),
        ({"track": "TRACK"}, ["degree_level"]),
    ],
)
def test_a_patch_of_placements_needs_each_placement_whole(db, staff_client, placement, missing):
    """Observed: PATCH /positions/{id}/ with {"placements": [{"a": 1}]} was a 500 (KeyError
    'track'): a partial update made every field of the nested placements optional too, but the
    list replaces the position's placements, so each one needs its track and degree level."""
    track = TrackFactory()
    position = PositionFactory()
    PlacementFactory(position=position, track=track, degree_level="bachelor", title="old")
    item = {key: track.pk if value == "TRACK" else value for key, value in placement.items()}

    response = staff_client.patch(
        f"/api/v1/positions/{position.pk}/", {"placements": [item]}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json() == {
        "placements": {"0": {name: ["This field is required."] for name in missing}}
    }
    assert list(position.placements.values_list("title", flat=True)) == ["old"]


def test_duplicate_placement_in_one_request_is_a_400(db, staff_client):
    track = TrackFactory()
    placement = {"track": track.pk, "degree_level": "bachelor", "title": "x"}
    response = staff_client.post(
        "/api/v1/positions/", {"name": "Twice", "placements": [placement, placement]}
    )
    assert response.status_code == 400
    assert "placements" in response.json()
    assert not Position.objects.filter(name="Twice").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        (
            {"name": "x", "placements": [{"track": 999999, "degree_level": "bachelor"}]},
            "placements",
        ),
        ({"name": "x", "placements": [{"track": "abc", "degree_level": "bachelor"}]}, "placements"),
        ({"name": "x", "placements": [{"degree_level": "doctorate"}]}, "placements"),
        ({"name": "x", "uri": "not a uri"}, "uri"),
    ],
)
def test_bad_position_input_is_a_400_naming_the_field(db, staff_client, payload, field):
    response = staff_client.post("/api/v1/positions/", payload)
    assert response.status_code == 400
    assert field in response.json()


def test_requirement_levels_are_written_and_read_by_code(db, staff_client):
    position, ability = PositionFactory(), AbilityFactory()
    response = staff_client.post(
        "/api/v1/requirements/",
        {
            "position": position.pk,
            "ability": ability.pk,
            "min_level": "R",
            "importance": "optional",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["min_level"] == "R"
    requirement = Requirement.objects.get(pk=response.json()["id"])
    assert requirement.min_level.code == "R"
    assert requirement.provenance == Provenance.EDIT


@pytest.mark.parametrize(
    ("given", "stored"), [("M", "M"), ("m", "M"), (" I ", "I"), ("id-of-R", "R")]
)
def test_level_field_accepts_code_any_case_or_a_numeric_id(db, staff_client, given, stored):
    if given == "id-of-R":
        given = Level.objects.get(code="R").pk
    response = staff_client.post(
        "/api/v1/requirements/",
        {"position": PositionFactory().pk, "ability": AbilityFactory().pk, "min_level": given},
    )
    assert response.status_code == 201, response.content
    assert response.json()["min_level"] == stored


@pytest.mark.parametrize("given", ["Z", "", 999999, True, ["M"], None])
def test_unknown_or_malformed_level_is_a_400(db, staff_client, given):
    response = staff_client.post(
        "/api/v1/requirements/",
        {"position": PositionFactory().pk, "ability": AbilityFactory().pk, "min_level": given},
    )
    assert response.status_code == 400
    assert "min_level" in response.json()


def test_duplicate_requirement_is_a_400_that_says_so(db, staff_client):
    requirement = RequirementFactory()
    response = staff_client.post(
        "/api/v1/requirements/",
        {
            "position": requirement.position_id,
            "ability": requirement.ability_id,
            "min_level": "I",
        },
    )
    assert response.status_code == 400
    assert "already requires" in response.json()["ability"][0]


def test_requirement_change_and_delete(db, staff_client):
    requirement = RequirementFactory()
    url = f"/api/v1/requirements/{requirement.pk}/"
    assert staff_client.patch(url, {"min_level": "I"}).json()["min_level"] == "I"
    assert staff_client.delete(url).status_code == 204
    assert not Requirement.objects.filter(pk=requirement.pk).exists()


def test_position_delete_takes_placements_and_requirements(db, staff_client):
    position = PositionFactory()
    PlacementFactory(position=position)
    RequirementFactory(position=position)
    assert staff_client.delete(f"/api/v1/positions/{position.pk}/").status_code == 204
    assert not Placement.objects.filter(position_id=position.pk).exists()
    assert not Requirement.objects.filter(position_id=position.pk).exists()


def test_an_external_node_is_shown_as_such_at_either_end(db, api_client):
    """A crosswalk from another publisher's item keeps that item's URI, title and identifier,
    and belongs to the framework that listed it."""
    target = AbilityFactory()
    AbilityRelation.objects.create(
        framework=target.framework,
        source_uri="urn:other:standards:MP.5",
        source_label="Use tools strategically",
        source_external_id="8d7fa0ac-583a-5773-b5d7-df094fb30055",
        target=target,
        relation_type=RelationType.EXACT_MATCH_OF,
    )

    (row,) = api_client.get(f"/api/v1/ability-relations/?framework={target.framework_id}").json()[
        "results"
    ]

    assert row["framework"] == target.framework_id
    assert (row["source"], row["source_label"], row["source_external_id"]) == (
        "urn:other:standards:MP.5",
        "Use tools strategically",
        "8d7fa0ac-583a-5773-b5d7-df094fb30055",
    )
    assert row["target"] == target.pk


def _client_with(django_user_model, *codenames):
    from django.contrib.auth.models import Permission
    from rest_framework.test import APIClient

    user = django_user_model.objects.create_user(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="positions", codename__in=codenames)
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("placements", "needed"),
    [
        # one added beside the one kept
        ([("bachelor", "kept"), ("master", "new")], "positions.add_placement"),
        # the one there dropped
        ([], "positions.delete_placement"),
        # the one there retitled
        ([("bachelor", "retitled")], "positions.change_placement"),
    ],
)
def test_a_position_editor_without_the_placement_permissions_cannot_change_placements(
    db, django_user_model, placements, needed
):
    """Observed: PATCH /positions/{id}/ added, removed and retitled Table I placements with
    change_position alone, where the admin's placement inline takes the placement permissions
    (as a programme's courses and targets take theirs)."""
    track = TrackFactory()
    position = PositionFactory(name="Analyst")
    PlacementFactory(position=position, track=track, degree_level="bachelor", title="kept")
    client = _client_with(django_user_model, "change_position")

    response = client.patch(
        f"/api/v1/positions/{position.pk}/",
        {
            "placements": [
                {"track": track.pk, "degree_level": degree, "title": title}
                for degree, title in placements
            ]
        },
        format="json",
    )

    assert response.status_code == 403, response.content
    assert needed in response.json()["detail"]
    assert list(position.placements.values_list("degree_level", "title")) == [("bachelor", "kept")]


def test_a_position_editor_may_rename_and_send_its_placements_back_unchanged(db, django_user_model):
    track = TrackFactory()
    position = PositionFactory(name="Analyst")
    PlacementFactory(position=position, track=track, degree_level="bachelor", title="kept", order=0)
    client = _client_with(django_user_model, "change_position")

    response = client.patch(
        f"/api/v1/positions/{position.pk}/",
        {
            "name": "Data analyst",
            "placements": [{"track": track.pk, "degree_level": "bachelor", "title": "kept"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    position.refresh_from_db()
    assert position.name == "Data analyst"


def test_creating_a_position_with_placements_takes_add_placement(db, django_user_model):
    track = TrackFactory()
    client = _client_with(django_user_model, "add_position")
    body = {"name": "Analyst", "placements": [{"track": track.pk, "degree_level": "bachelor"}]}

    refused = client.post("/api/v1/positions/", body, format="json")
    alone = client.post("/api/v1/positions/", {"name": "Bare"}, format="json")

    assert refused.status_code == 403
    assert "positions.add_placement" in refused.json()["detail"]
    assert alone.status_code == 201, alone.content
    assert not Position.objects.filter(name="Analyst").exists()


def test_deleting_a_position_takes_the_delete_permissions_of_what_goes_with_it(
    db, django_user_model
):
    """Observed: DELETE /positions/{id}/ with delete_position alone deleted its placements and
    requirements too, where the admin refuses a delete whose cascade the account may not
    delete (Django's get_deleted_objects)."""
    position = PositionFactory()
    RequirementFactory(position=position)
    bare = PositionFactory()
    client = _client_with(django_user_model, "delete_position")

    refused = client.delete(f"/api/v1/positions/{position.pk}/")
    alone = client.delete(f"/api/v1/positions/{bare.pk}/")

    assert refused.status_code == 403, refused.content
    assert "requirement" in refused.json()["detail"]
    assert Position.objects.filter(pk=position.pk).exists()
    assert Requirement.objects.filter(position=position).exists()
    assert alone.status_code == 204


def test_a_refused_cascade_names_what_goes_with_it_as_the_reader_s_language_lists(
    db, django_user_model
):
    """Observed: in Chinese the refusal listed the kinds the account may not delete with an
    ASCII ", " (归类, 要求) where Chinese lists with 、."""
    from django.utils import translation

    from positions.models import Placement

    position = PositionFactory()
    RequirementFactory(position=position)
    Placement.objects.create(position=position, track=TrackFactory(), degree_level="bachelor")
    client = _client_with(django_user_model, "delete_position")

    for language in ("zh-hans", "en"):
        refused = client.delete(f"/api/v1/positions/{position.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            kinds = sorted(
                str(model._meta.verbose_name_plural) for model in (Placement, Requirement)
            )
            comma = translation.pgettext("list separator", ", ")
        assert refused.status_code == 403, refused.content
        assert comma.join(kinds) in refused.json()["detail"], (language, refused.json())
    assert comma == ", "


def test_requirement_scores_are_numbers_in_the_schema_and_in_every_answer(db, staff_client):
    """O*NET's IM and LV ratings kept on a requirement are numbers, as a course's credits are:
    the schema said a decimal string and the API answered "4.00"."""
    import jsonschema

    from core.tests import openapi

    schema, _generator = openapi.generate()
    components = schema["components"]["schemas"]
    for name in ("Requirement", "RequirementRequest", "PatchedRequirementRequest"):
        for field in ("importance_score", "level_score"):
            assert components[name]["properties"][field]["type"] == ["number", "null"], name
    requirement = RequirementFactory(importance_score="4.25", level_score=None)
    url = f"/api/v1/requirements/{requirement.pk}/"
    answers = [
        staff_client.get(url).json(),
        staff_client.get("/api/v1/requirements/").json()["results"][0],
        staff_client.patch(url, {"level_score": "3.5"}, format="json").json(),
        staff_client.patch(url, {"importance_score": 2}, format="json").json(),
    ]
    scores = [(a["importance_score"], a["level_score"]) for a in answers]
    assert scores == [(4.25, None), (4.25, None), (4.25, 3.5), (2, 3.5)]
    for answer in answers:
        for field in ("importance_score", "level_score"):
            jsonschema.Draft202012Validator(
                components["Requirement"]["properties"][field]
            ).validate(answer[field])


def test_a_level_is_addressed_by_its_code_in_any_case(db, api_client):
    """`?level=m` finds the M links and a write takes "m": /levels/m/ was a 404."""
    body = api_client.get("/api/v1/levels/m/").json()
    assert (body["code"], body["name"]) == ("M", "Mastered")
    assert api_client.get("/api/v1/levels/x/").status_code == 404


def test_the_ability_and_position_searches_read_the_chinese_text_too(db, api_client):
    """Observed: ?search= read an ability's text and a position's name, but not their Chinese
    ones (text_zh, name_zh), so a framework imported with Chinese statements could not be
    searched by them, though the answer shows them."""
    ability = AbilityFactory(text="Plan digital marketing campaigns", text_zh="策划数字营销活动")
    AbilityFactory(text="Manage logistics", text_zh="管理跨境物流")
    position = PositionFactory(name="Marketing specialist", name_zh="网络营销专员")
    PositionFactory(name="Logistics clerk", name_zh="物流专员")

    def ids(path, query):
        return [row["id"] for row in api_client.get(path, {"search": query}).json()["results"]]

    assert ids("/api/v1/abilities/", "数字营销") == [ability.pk]
    assert ids("/api/v1/positions/", "营销专员") == [position.pk]


@pytest.mark.parametrize(
    ("query", "ability", "position"),
    [
        ("resume", True, False),
        ("RÉSUMÉ", True, False),
        ("München", False, True),
        ("munchen", False, True),
        ("ＭＵＮＣＨＥＮ", False, True),  # noqa: RUF001
        ("a1.2", True, False),
        ("Ａ１．２", True, False),  # noqa: RUF001
        ("büro", False, True),
    ],
)
def test_the_ability_and_position_searches_ignore_case_accents_and_width(
    db, api_client, query, ability, position
):
    """Observed: ?search=RÉSUMÉ found "Write a résumé" on PostgreSQL and not on SQLite (whose
    LIKE ignores the case of ASCII letters only), ?search=resume found it on neither, and a
    code typed in full width (Ａ１．２, as a Chinese input method types it) found no A1.2,
    though codes are stored NFKC. The search is still a substring search: the text contains
    what was typed, in any case, width and accent."""  # noqa: RUF002
    found_ability = AbilityFactory(code="A1.2", text="Write a résumé")
    AbilityFactory(code="B2", text="Plan a route")
    found_position = PositionFactory(name="Office clerk", name_zh="")
    PlacementFactory(position=found_position, title="MÜNCHEN BÜRO clerk")
    PositionFactory(name="Driver", name_zh="")

    def ids(path):
        return [row["id"] for row in api_client.get(path, {"search": query}).json()["results"]]

    assert ids("/api/v1/abilities/") == ([found_ability.pk] if ability else [])
    assert ids("/api/v1/positions/") == ([found_position.pk] if position else [])


@pytest.mark.parametrize(
    ("path", "words"),
    [("/api/v1/abilities/", "Chinese text"), ("/api/v1/positions/", "Chinese name")],
)
def test_the_schema_says_the_search_reads_the_chinese_text_too(path, words):
    from core.tests import openapi

    schema, _generator = openapi.generate()
    (parameter,) = [
        parameter
        for parameter in schema["paths"][path]["get"]["parameters"]
        if parameter["name"] == "search"
    ]
    assert words in parameter["description"]
