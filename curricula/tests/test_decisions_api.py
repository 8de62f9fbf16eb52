"""The what-if and recommendation endpoints: answers, 400s with field messages, who may apply."""

from decimal import Decimal

import pytest
from django.urls import reverse

from curricula.models import CourseAbility, CoverageState, ProgrammeCourse, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A programme with one course covering ability a1; a2 and a3 are essential gaps, a4 a gap no
    catalogue course closes; catalogue courses CHEAP (a2), BOTH (a2 + a3), A3 (a3). Its report
    is computed, as the commit of these writes would."""
    with django_capture_on_commit_callbacks(execute=True):
        return _world()


def _world():
    area = CompetencyAreaFactory(code="A", name="Area A")
    a1, a2, a3, a4 = (AbilityFactory(area=area, code=f"a{i}") for i in range(1, 5))
    position = PositionFactory(name="Analyst")
    for ability in (a1, a2, a3, a4):
        RequirementFactory(position=position, ability=ability, min_level=level("R"))
    own = CourseFactory(code="OWN", credits=Decimal(3))
    CourseAbilityFactory(course=own, ability=a1, level=level("M"))
    cheap = CourseFactory(code="CHEAP", credits=Decimal(2))
    CourseAbilityFactory(course=cheap, ability=a2, level=level("R"))
    both = CourseFactory(code="BOTH", credits=Decimal(5))
    CourseAbilityFactory(course=both, ability=a2, level=level("M"))
    CourseAbilityFactory(course=both, ability=a3, level=level("R"))
    only_a3 = CourseFactory(code="A3", credits=Decimal(2))
    CourseAbilityFactory(course=only_a3, ability=a3, level=level("M"))
    shallow = CourseFactory(code="SHALLOW", credits=Decimal(1))
    CourseAbilityFactory(course=shallow, ability=a4, level=level("I"))
    programme = ProgrammeFactory(courses=[own], targets=[position])
    return {
        "programme": programme,
        "position": position,
        "area": area,
        "abilities": (a1, a2, a3, a4),
        "own": own,
        "cheap": cheap,
        "both": both,
        "only_a3": only_a3,
        "shallow": shallow,
    }


def what_if_url(programme):
    return reverse("program-what-if", args=[programme.pk])


def apply_url(programme):
    return reverse("program-what-if-apply", args=[programme.pk])


def recommendations_url(programme):
    return reverse("program-recommendations", args=[programme.pk])


def test_what_if_answers_the_resulting_report_and_diff_without_saving(api_client, world):
    programme, a1, a3 = world["programme"], world["abilities"][0], world["abilities"][2]
    body = {
        "add_courses": [world["only_a3"].pk],
        "remove_courses": [world["own"].pk],
        "links": [],
    }
    response = api_client.post(what_if_url(programme), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["applied"] is False
    assert data["scenario"]["add_courses"][0]["code"] == "A3"
    assert data["report"]["covered"] == 1
    changes = {c["ability"]["code"]: c for c in data["diff"]["positions"][0]["changes"]}
    assert set(changes) == {a1.code, a3.code}
    assert changes[a1.code]["opened"]
    assert changes[a3.code]["closed"]
    assert changes[a3.code]["after"] == {"status": "covered", "best_level": "M"}
    assert data["diff"]["before"]["covered"] == 1
    # One requirement closed, one opened: the area's figures stay, its requirements change.
    [area] = data["diff"]["areas"]
    assert area["before"] == area["after"]
    assert {ability["code"] for ability in area["abilities"]} == {a1.code, a3.code}
    # Nothing saved.
    assert list(programme.programme_courses.values_list("course_id", flat=True)) == [
        world["own"].pk
    ]


def test_what_if_link_edits_change_cells(api_client, world):
    a2 = world["abilities"][1]
    body = {"links": [{"course": world["own"].pk, "ability": a2.pk, "level": "R"}]}
    data = api_client.post(what_if_url(world["programme"]), body, format="json").json()
    assert data["diff"]["closed"] == 1
    assert data["diff"]["areas"][0]["area"]["code"] == "A"
    assert data["diff"]["areas"][0]["after"]["covered"] == 2
    assert data["scenario"]["links"] == [
        {"course": world["own"].pk, "ability": a2.pk, "level": "R"}
    ]


@pytest.mark.parametrize("written", ["Reinforced", "reinforced", "R"])
def test_what_if_reads_a_level_by_its_name_as_the_link_writes_do(api_client, world, written):
    """Observed: "Reinforced" and "Introduced" were refused ("Ensure this field has no more than
    8 characters.", the code's length), while "Mastered" was read, and a link write takes all
    three."""
    a2 = world["abilities"][1]
    body = {"links": [{"course": world["own"].pk, "ability": a2.pk, "level": written}]}

    response = api_client.post(what_if_url(world["programme"]), body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["diff"]["closed"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"add_courses": [999999]}, "add_courses"),
        ({"add_courses": ["x"]}, "add_courses"),
        ({"remove_courses": [999999]}, "remove_courses"),
        ({"links": [{"course": 999999, "ability": 1, "level": "R"}]}, "links"),
        ({"links": [{"course": 1, "ability": 2}]}, "links"),
        ({"links": "nope"}, "links"),
    ],
)
def test_malformed_scenarios_are_400_with_the_field_named(api_client, world, body, field):
    response = api_client.post(what_if_url(world["programme"]), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_scenario_rules_are_400_with_messages(api_client, world):
    programme, own, cheap = world["programme"], world["own"], world["cheap"]
    a1, a2 = world["abilities"][:2]
    cases = [
        ({"add_courses": [own.pk]}, "add_courses", "Already in the programme"),
        (
            {"add_courses": [cheap.pk], "remove_courses": [cheap.pk]},
            "remove_courses",
            "Both added and removed",
        ),
        ({"remove_courses": [cheap.pk]}, "remove_courses", "Not in the programme"),
        ({"links": [{"course": own.pk, "ability": a1.pk, "level": "Z"}]}, "links", "Unknown"),
        ({"links": [{"course": own.pk, "ability": a2.pk, "level": None}]}, "links", "no link"),
        (
            {
                "links": [
                    {"course": own.pk, "ability": a2.pk, "level": "R"},
                    {"course": own.pk, "ability": a2.pk, "level": "M"},
                ]
            },
            "links",
            "twice",
        ),
        ({"links": [{"course": own.pk, "ability": 999999, "level": "R"}]}, "links", "ability"),
    ]
    for body, field, words in cases:
        response = api_client.post(what_if_url(programme), body, format="json")
        assert response.status_code == 400, body
        assert words in " ".join(response.json()[field]), response.json()


def test_unknown_programme_is_404(api_client):
    assert api_client.post("/api/v1/programs/999999/what-if/", {}, format="json").status_code == 404
    assert api_client.get("/api/v1/programs/999999/recommendations/").status_code == 404


def test_only_staff_with_permissions_may_apply(api_client, world, plain_user, staff_without_perms):
    body = {"add_courses": [world["cheap"].pk]}
    url = apply_url(world["programme"])
    assert api_client.post(url, body, format="json").status_code in (401, 403)
    for user in (plain_user, staff_without_perms):
        api_client.force_authenticate(user)
        assert api_client.post(url, body, format="json").status_code == 403
    assert not ProgrammeCourse.objects.filter(course=world["cheap"]).exists()


def test_staff_apply_writes_the_scenario_as_one_change(
    staff_client, world, django_capture_on_commit_callbacks
):
    programme, a2, a3 = world["programme"], world["abilities"][1], world["abilities"][2]
    link = CourseAbility.objects.get(course=world["both"], ability=a3)
    body = {
        "add_courses": [world["cheap"].pk],
        "links": [
            {"course": world["own"].pk, "ability": a3.pk, "level": "M"},
            {"course": world["both"].pk, "ability": a3.pk, "level": None},
            {"course": world["both"].pk, "ability": a2.pk, "level": "I"},
        ],
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(apply_url(programme), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["applied"] is True
    assert data["diff"]["closed"] == 2
    assert list(
        programme.programme_courses.order_by("order").values_list("course_id", flat=True)
    ) == [world["own"].pk, world["cheap"].pk]
    assert CourseAbility.objects.get(course=world["own"], ability=a3).level.code == "M"
    assert not CourseAbility.objects.filter(pk=link.pk).exists()
    assert CourseAbility.objects.get(course=world["both"], ability=a2).level.code == "I"
    # One commit hook recomputes the programme: the report now matches what-if's answer.
    assert len(callbacks) == 1
    coverage = ProgrammeCoverage.objects.get(programme=programme)
    assert coverage.state == CoverageState.FRESH
    assert coverage.report["covered"] == data["report"]["covered"] == 3
    # History: the staff edit is recorded like any other.
    assert programme.programme_courses.get(course=world["cheap"]).history.count() == 1


def test_a_refused_apply_changes_nothing(staff_client, world):
    a1 = world["abilities"][0]
    body = {
        "add_courses": [world["cheap"].pk],
        "links": [{"course": world["own"].pk, "ability": a1.pk, "level": "nope"}],
    }
    response = staff_client.post(apply_url(world["programme"]), body, format="json")
    assert response.status_code == 400
    assert not ProgrammeCourse.objects.filter(course=world["cheap"]).exists()
    empty = staff_client.post(apply_url(world["programme"]), {}, format="json")
    assert empty.status_code == 400
    assert "non_field_errors" in empty.json()


def test_recommendations_pick_the_cheapest_cover_and_name_what_needs_a_new_course(
    api_client, world
):
    response = api_client.get(recommendations_url(world["programme"]))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["method"] == "branch-and-bound"
    assert data["proven_optimal"] is True
    assert data["cost_unit"] == "credits"
    # CHEAP + A3 (4 credits) beats BOTH (5); SHALLOW only introduces a4.
    assert sorted(c["course"]["code"] for c in data["courses"]) == ["A3", "CHEAP"]
    # Credits are a number, as the course resource answers them.
    assert sorted(c["course"]["credits"] for c in data["courses"]) == [2.0, 2.0]
    assert data["cost"] == 4
    assert data["gaps"] == 3
    assert data["closed"] == 2
    assert data["before"]["covered"] == 1
    assert data["after"]["covered"] == 3
    closes = {c["course"]["code"]: c["closes"] for c in data["courses"]}
    assert closes["A3"][0]["ability"]["code"] == "a3"
    assert closes["A3"][0]["position"]["name"] == "Analyst"
    needed = data["new_course_needed"]
    assert needed[0]["area"]["code"] == "A"
    assert needed[0]["requirements"][0]["ability"]["code"] == "a4"
    assert needed[0]["requirements"][0]["positions"] == [
        {"id": world["position"].pk, "name": "Analyst"}
    ]


def test_recommendations_within_a_budget(api_client, world):
    data = api_client.get(recommendations_url(world["programme"]), {"budget": "2"}).json()
    assert data["closed"] == 1
    assert data["cost"] == 2
    assert len(data["left_open"]) == 1
    assert data["budget"] == 2
    # Cents and an empty budget are fine; an empty budget means none.
    assert (
        api_client.get(recommendations_url(world["programme"]), {"budget": "3.75"}).json()["cost"]
        == 2
    )
    assert (
        api_client.get(recommendations_url(world["programme"]), {"budget": ""}).json()["budget"]
        is None
    )


def test_recommendations_filters_and_bad_queries(api_client, world):
    url = recommendations_url(world["programme"])
    data = api_client.get(url, {"position": world["position"].pk, "area": world["area"].pk}).json()
    assert data["gaps"] == 3
    other = CompetencyAreaFactory()
    assert api_client.get(url, {"area": other.pk}).json()["gaps"] == 0
    for query, field in [
        ({"budget": "-1"}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"position": "x"}, "position"),
        ({"position": PositionFactory().pk}, "position"),
        ({"area": 999999}, "area"),
    ]:
        response = api_client.get(url, query)
        assert response.status_code == 400, query
        assert field in response.json()


def test_recommendation_query_count_does_not_grow_with_the_catalogue(
    api_client, world, django_assert_max_num_queries
):
    url = recommendations_url(world["programme"])
    with django_assert_max_num_queries(20) as small:
        api_client.get(url)
    a2 = world["abilities"][1]
    for _ in range(30):
        CourseAbilityFactory(course=CourseFactory(), ability=a2, level=level("M"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api_client.get(url).status_code == 200


def _area_reads(queries) -> list[str]:
    """The statements reading the competency areas' table itself (not joining it)."""
    return [
        sql
        for sql in (query["sql"] for query in queries)
        if sql.split(" FROM ", 1)[-1].startswith('"positions_competencyarea"')
    ]


# An anonymous reader's queries per request, after a first: its programme, the engine's
# inputs (six, the relations one more), the names of what it answers with. Each read the
# competency areas twice, for their order and codes (the inputs) and for their names, and
# the recommendations a third time to check an `area` filter: one and two more than these.
# A what-if with no links to change read the level scale again for them, one more.
DECISION_QUERIES = {
    "what-if, nothing changed": 11,
    "what-if, a course added": 13,
    "recommendations": 13,
    "recommendations in an area": 13,
}


def _decision_request(api_client, world, case: str):
    programme = world["programme"]
    if case.startswith("what-if"):
        body = {"add_courses": [world["only_a3"].pk]} if "added" in case else {}
        return lambda: api_client.post(what_if_url(programme), body, format="json")
    query = {"area": world["area"].pk} if "area" in case else {}
    return lambda: api_client.get(recommendations_url(programme), query)


@pytest.mark.parametrize("case", list(DECISION_QUERIES))
def test_the_decision_endpoints_read_the_competency_areas_once(
    api_client, world, django_assert_max_num_queries, case
):
    """The engine's inputs read every competency area (order, code, framework); the names the
    answer gives the areas, and the recommendations' check of an `area` filter, come from that
    read, as on the decide page, rather than reading the table again."""
    send = _decision_request(api_client, world, case)
    send()  # the paper's presence, and anything else read once per process
    with django_assert_max_num_queries(DECISION_QUERIES[case]) as captured:
        response = send()
    assert response.status_code == 200, response.content
    areas = _area_reads(captured.captured_queries)
    assert len(areas) == 1, "\n".join(areas)


def test_the_recommendations_still_refuse_an_unknown_area_and_name_a_known_one(api_client, world):
    url = recommendations_url(world["programme"])
    assert api_client.get(url, {"area": 999999}).json() == {
        "area": ["No competency area has the id 999999."]
    }
    body = api_client.get(url, {"area": world["area"].pk}).json()
    assert body["area"] == world["area"].pk
    assert [group["area"]["name"] for group in body["new_course_needed"]] == ["Area A"]


# --- Trying a target position added or removed ----------------------------------------------------


def _second_target(world):
    """A position the programme does not target: needs a1 (the programme covers it) and a5 at M
    (no course builds it)."""
    a1 = world["abilities"][0]
    a5 = AbilityFactory(area=world["area"], code="a5")
    buyer = PositionFactory(name="Buyer")
    RequirementFactory(position=buyer, ability=a1, min_level=level("R"))
    RequirementFactory(position=buyer, ability=a5, min_level=level("M"))
    return buyer, a5


def test_what_if_a_target_is_added_shows_its_gaps_and_saves_nothing(api_client, world):
    buyer, _a5 = _second_target(world)
    programme = world["programme"]

    response = api_client.post(what_if_url(programme), {"add_targets": [buyer.pk]}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["scenario"]["add_targets"] == [{"id": buyer.pk, "name": "Buyer"}]
    kept, added = data["diff"]["positions"]
    assert (kept["target"], kept["changes"]) == ("kept", [])
    assert added["position"] == {"id": buyer.pk, "name": "Buyer"}
    assert added["target"] == "added"
    assert added["before"] is None
    assert added["after"]["percent"] == 50.0
    # Its new gap (a5), not the requirement the programme already covers (a1).
    [gap] = added["changes"]
    assert gap["ability"]["code"] == "a5"
    assert gap["before"] is None
    assert gap["after"] == {"status": "missing", "best_level": None}
    assert data["diff"]["changed"] == 1
    assert [p["position"]["id"] for p in data["report"]["positions"]] == [
        world["position"].pk,
        buyer.pk,
    ]
    assert list(programme.targets.values_list("position_id", flat=True)) == [world["position"].pk]


def test_what_if_a_target_is_removed_drops_it_from_the_report(api_client, world):
    buyer, _a5 = _second_target(world)
    programme = world["programme"]
    programme.targets.create(position=buyer)

    data = api_client.post(
        what_if_url(programme), {"remove_targets": [buyer.pk]}, format="json"
    ).json()

    removed = [p for p in data["diff"]["positions"] if p["position"]["id"] == buyer.pk]
    assert [(p["target"], p["after"], p["changes"]) for p in removed] == [("removed", None, [])]
    assert [p["position"]["id"] for p in data["report"]["positions"]] == [world["position"].pk]
    assert data["scenario"]["remove_targets"] == [{"id": buyer.pk, "name": "Buyer"}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"add_targets": [999999]}, "add_targets"),
        ({"add_targets": ["x"]}, "add_targets"),
        ({"add_targets": "own"}, "add_targets"),
        ({"remove_targets": "buyer"}, "remove_targets"),
        ({"remove_targets": [999999]}, "remove_targets"),
    ],
)
def test_bad_targets_are_400s_naming_the_field(api_client, world, body, field):
    buyer, _a5 = _second_target(world)
    own = world["position"].pk
    body = {
        key: [own] if value == "own" else [buyer.pk] if value == "buyer" else value
        for key, value in body.items()
    }
    response = api_client.post(what_if_url(world["programme"]), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_staff_apply_a_target_change(staff_client, world, django_capture_on_commit_callbacks):
    buyer, _a5 = _second_target(world)
    programme = world["programme"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            apply_url(programme),
            {"add_targets": [buyer.pk], "remove_targets": [world["position"].pk]},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert list(programme.targets.values_list("position_id", flat=True)) == [buyer.pk]


@pytest.mark.parametrize("apply", [False, True])
def test_a_misspelt_scenario_key_is_a_400_naming_it_not_a_change_left_out(
    staff_client, world, apply
):
    """Observed: `remove_course` (for remove_courses) or `add_links` (for links) was silently
    ignored, so what-if answered 200 for a scenario other than the one asked, and apply wrote
    the part it knew (the course added) without the part it dropped."""
    body = {"add_courses": [world["cheap"].pk], "remove_course": [world["own"].pk]}
    url = apply_url(world["programme"]) if apply else what_if_url(world["programme"])

    response = staff_client.post(url, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["remove_course"]
    assert "remove_courses" in response.json()["remove_course"][0]
    assert not ProgrammeCourse.objects.filter(course=world["cheap"]).exists()
    link = {"course": world["own"].pk, "ability": world["abilities"][1].pk, "levle": "R"}
    nested = staff_client.post(url, {"links": [link]}, format="json")
    assert nested.status_code == 400
    assert "levle" in str(nested.json()["links"])


def test_a_cell_change_on_a_course_outside_the_programme_says_so(api_client, world):
    """Observed: a cell change on a catalogue course neither in the programme nor added (or on
    one the scenario removes) previewed as "no requirement changes status" with no word why,
    and applying it still wrote the link. The answer names each such course, with the reason."""
    programme, a2, a3 = world["programme"], world["abilities"][1], world["abilities"][2]
    cheap, own = world["cheap"], world["own"]
    body = {"links": [{"course": cheap.pk, "ability": a3.pk, "level": "M"}]}
    data = api_client.post(what_if_url(programme), body, format="json").json()
    assert data["diff"]["changed"] == 0
    [outside] = data["links_outside"]
    assert outside["course"]["code"] == "CHEAP"
    assert outside["reason"] == "not_in_programme"
    assert "CHEAP is not in the programme" in outside["message"]
    assert "add the course in the same scenario" in outside["message"]
    # On a course the same scenario removes.
    body = {
        "remove_courses": [own.pk],
        "links": [{"course": own.pk, "ability": a2.pk, "level": "R"}],
    }
    [outside] = api_client.post(what_if_url(programme), body, format="json").json()["links_outside"]
    assert (outside["course"]["code"], outside["reason"]) == ("OWN", "removed")
    # Added in the same scenario, it counts: nothing to say.
    body = {
        "add_courses": [cheap.pk],
        "links": [{"course": cheap.pk, "ability": a3.pk, "level": "M"}],
    }
    data = api_client.post(what_if_url(programme), body, format="json").json()
    assert data["links_outside"] == []
    assert data["diff"]["changed"] > 0


def test_applying_a_cell_change_outside_the_programme_says_the_catalogue_course_changed(
    staff_client, world
):
    programme, a3 = world["programme"], world["abilities"][2]
    body = {"links": [{"course": world["cheap"].pk, "ability": a3.pk, "level": "M"}]}
    response = staff_client.post(apply_url(programme), body, format="json")
    assert response.status_code == 200, response.content
    [outside] = response.json()["links_outside"]
    assert "written to the catalogue course only" in outside["message"]
    assert CourseAbility.objects.get(course=world["cheap"], ability=a3).level.code == "M"


@pytest.mark.parametrize("written", ["m", " M ", "Ｍ", "mastered"])  # noqa: RUF001
def test_a_link_s_level_is_read_in_any_case_as_every_other_door_reads_one(
    staff_client, world, written
):
    """Observed: `{"level": "m"}` in a what-if link was "Link 1: Unknown level “m”." while the
    links' own API, the imports and the review pages take `m` (and a level's name), and the
    README says levels are read by code in any case. The preview and the apply read it as M."""
    programme, a3 = world["programme"], world["abilities"][2]
    body = {"links": [{"course": world["own"].pk, "ability": a3.pk, "level": written}]}

    preview = staff_client.post(what_if_url(programme), body, format="json")
    applied = staff_client.post(apply_url(programme), body, format="json")

    assert preview.status_code == 200, preview.content
    assert preview.json()["diff"]["closed"] == 1
    assert applied.status_code == 200, applied.content
    assert CourseAbility.objects.get(course=world["own"], ability=a3).level.code == "M"


def test_a_refused_link_names_its_place_in_the_scenario(api_client, world):
    """Observed: a refused link's message named no link ("Unknown level “Z”."): in a scenario
    of many links, which one was refused was left to guess. Each link's message starts with the
    link's number in `links`, counted from 1."""
    own, (a1, a2, a3, _a4) = world["own"], world["abilities"]
    body = {
        "links": [
            {"course": own.pk, "ability": a1.pk, "level": "R"},
            {"course": own.pk, "ability": a2.pk, "level": "Z"},
            {"course": own.pk, "ability": a3.pk, "level": None},
        ]
    }
    response = api_client.post(what_if_url(world["programme"]), body, format="json")
    assert response.status_code == 400
    assert response.json()["links"] == [
        "Link 2: Unknown level “Z”.",
        "Link 3: Course OWN has no link to ability a3 to remove.",
    ]


def test_a_link_of_the_wrong_shape_names_its_place_in_the_scenario(api_client, world):
    """Observed: a link refused for its shape (a course id that is no whole number, a level code
    too long, a key it does not take) was named by its place counted from 0 and nothing else
    ("1: course: A valid integer is required."), where a link the database refuses says
    "Link 2: …". Both say it the same way, counted from 1; so does an id list's item."""
    own, (a1, a2, _a3, _a4) = world["own"], world["abilities"]
    body = {
        "links": [
            {"course": own.pk, "ability": a1.pk, "level": "R"},
            {"course": "x", "ability": a2.pk, "level": "R"},
            {"course": own.pk, "ability": a2.pk, "level": "L" * 65},
            {"course": own.pk, "ability": a2.pk, "level": "R", "levle": "M"},
        ],
        "add_courses": [world["cheap"].pk, "x"],
    }
    response = api_client.post(what_if_url(world["programme"]), body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["links"] == [
        "Link 2: course: A valid integer is required.",
        "Link 3: level: Ensure this field has no more than 64 characters.",
        "Link 4: levle: Unknown key: this body takes course, ability, level.",
    ]
    assert data["add_courses"] == ["Item 2: A valid integer is required."]
