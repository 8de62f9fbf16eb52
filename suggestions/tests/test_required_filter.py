"""A programme's review queue, and its API list, narrowed to the abilities its target positions
require (directly, or through a crosswalk its rule set counts), gaps first."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from curricula.coverage.services import coverage_recompute
from curricula.models import CourseAbility, Suggestion, SuggestionStatus
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, Importance, RelationType
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_queue():
    return build_programme_queue()


def build_programme_queue():
    """A programme of two courses aimed at two positions, and pending suggestions for its first
    course of abilities that are, by the stored report: missing (A; F, through E, its exact
    match), partial (B), covered (C), optional and missing (O), and required by no target (D)."""
    framework = FrameworkFactory(name="Queue framework")
    ability = {
        code: AbilityFactory(framework=framework, code=code, short_name=f"ability {code}")
        for code in "ABCDEFO"
    }
    AbilityRelation.objects.create(
        source=ability["E"], target=ability["F"], relation_type=RelationType.EXACT_MATCH_OF
    )
    first, second = CourseFactory(code="Q101"), CourseFactory(code="Q102")
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=first, order=0)
    programme.programme_courses.create(course=second, order=1)
    analyst, developer = PositionFactory(name="Analyst"), PositionFactory(name="Developer")
    for code in "ABCF":
        RequirementFactory(position=analyst, ability=ability[code], min_level=level("M"))
    RequirementFactory(position=developer, ability=ability["A"], min_level=level("R"))
    RequirementFactory(
        position=developer,
        ability=ability["O"],
        min_level=level("R"),
        importance=Importance.OPTIONAL,
    )
    programme.targets.create(position=analyst)
    programme.targets.create(position=developer)
    CourseAbility.objects.create(course=second, ability=ability["B"], level=level("I"))
    CourseAbility.objects.create(course=second, ability=ability["C"], level=level("M"))
    coverage_recompute(programme_ids=[programme.pk], force=True)
    scores = {"A": 0.2, "B": 0.9, "C": 0.95, "D": 0.99, "E": 0.3, "O": 0.5}
    suggestion = {
        code: SuggestionFactory(course=first, ability=ability[code], score=score)
        for code, score in scores.items()
    }
    # Another programme's course: never in this programme's queue.
    SuggestionFactory(course=CourseFactory(), ability=ability["A"], score=0.99)
    return programme, suggestion, ability, (analyst, developer)


def _queue(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-suggestion="(\d+)"', html)]


def _ids(suggestion, codes: str) -> list[int]:
    return [suggestion[code].pk for code in codes]


def _page(client, programme, **query):
    response = client.get(reverse("suggestions:programme-review", args=[programme.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_programme_review_shows_first_what_its_targets_require_gaps_first(
    client, staff_user, programme_queue
):
    """The queue mixed in abilities no target requires. By default it holds only those a target
    requires (or that stand in for one through an exact match), an essential requirement's
    missing ability first, then partial, then an optional one's gap, then the covered, each by
    score; the filter says how many each view holds."""
    programme, suggestion, _ability, _targets = programme_queue
    client.force_login(staff_user)
    html = _page(client, programme)
    assert _queue(html) == _ids(suggestion, "EABOC")
    assert re.search(r"Required by targets\s*\(5\)", html)
    assert re.search(r"All suggestions\s*\(6\)", html)
    assert 'aria-current="page"' in html
    everything = _page(client, programme, required="0")
    assert _queue(everything) == _ids(suggestion, "DCBOEA")
    # The choice stays in the forms the queue posts, so a decision answers the same view.
    assert '<input type="hidden" name="required" value="0">' in everything
    assert '<input type="hidden" name="required" value="1">' in html


def test_each_row_names_the_targets_requiring_its_ability_and_the_gap(
    client, staff_user, programme_queue
):
    programme, suggestion, _ability, _targets = programme_queue
    client.force_login(staff_user)
    html = _page(client, programme)

    def row(code: str) -> str:
        found = re.search(
            rf'id="suggestion-{suggestion[code].pk}".*?</li>', html, flags=re.DOTALL
        ).group(0)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found))

    assert re.search(r"Required by: Analyst missing ; Developer missing", row("A"))
    assert re.search(r"Analyst partial", row("B"))
    assert re.search(r"Analyst covered", row("C"))
    assert re.search(r"Developer missing .*optional", row("O"))
    # E closes F's gap through the exact match the programme counts.
    assert re.search(r"Analyst missing .*via F .*exact match", row("E"))
    everything = _page(client, programme, required="0")
    found = re.search(
        rf'id="suggestion-{suggestion["D"].pk}".*?</li>', everything, flags=re.DOTALL
    ).group(0)
    assert "Required by" not in found


def test_a_programme_whose_targets_require_nothing_shows_every_suggestion(client, staff_user):
    course = CourseFactory()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    programme.targets.create(position=PositionFactory())
    rows = [SuggestionFactory(course=course, score=score) for score in (0.3, 0.6)]
    client.force_login(staff_user)
    html = _page(client, programme)
    assert _queue(html) == [rows[1].pk, rows[0].pk]
    assert re.search(r"Required by targets\s*\(0\)", html)
    assert re.search(r"All suggestions\s*\(2\)", html)


def test_a_decision_answers_the_view_it_was_made_in(client, staff_user, programme_queue):
    """The queue the answer brings back (htmx), and the page a plain form comes back to, keep the
    view chosen: deciding in "All" did not switch to the default "Required" view."""
    programme, suggestion, _ability, _targets = programme_queue
    client.force_login(staff_user)
    scope = f"programme:{programme.pk}"
    answer = client.post(
        reverse("suggestions:decide"),
        {"scope": scope, "single": f"reject:{suggestion['C'].pk}", "required": "0"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert _queue(answer.content.decode()) == _ids(suggestion, "DBOEA")
    plain = client.post(
        reverse("suggestions:decide"),
        {"scope": scope, "single": f"skip:{suggestion['B'].pk}", "required": "0"},
    )
    assert plain.status_code == 302
    assert plain["Location"].endswith("?required=0")
    # In the required view (the default here), the address stays bare.
    plain = client.post(
        reverse("suggestions:decide"),
        {"scope": scope, "single": f"skip:{suggestion['O'].pk}", "required": "1"},
    )
    assert plain["Location"] == reverse("suggestions:programme-review", args=[programme.pk])


def test_bulk_accept_in_the_required_view_answers_the_filtered_queue(
    client, staff_user, programme_queue
):
    programme, suggestion, _ability, _targets = programme_queue
    client.force_login(staff_user)
    answer = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"programme:{programme.pk}",
            "bulk": "1",
            "bulk_level": "M",
            "selected": _ids(suggestion, "EA"),
            "required": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert _queue(html) == _ids(suggestion, "BOC")
    assert re.search(r"Required by targets\s*\(3\)", html)
    assert re.search(r"All suggestions\s*\(4\)", html)
    assert Suggestion.objects.filter(status=SuggestionStatus.ACCEPTED).count() == 2


def test_the_programme_review_query_count_does_not_grow_with_its_suggestions(
    client, staff_user, programme_queue
):
    programme, suggestion, ability, (analyst, _developer) = programme_queue
    client.force_login(staff_user)
    url = reverse("suggestions:programme-review", args=[programme.pk])

    def count(**query) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    count()  # the user's permissions are read once, then cached on the user
    few, few_all = count(), count(required="0")
    course = suggestion["A"].course
    framework = ability["A"].framework
    for n in range(8):
        extra = AbilityFactory(framework=framework, code=f"X{n}")
        RequirementFactory(position=analyst, ability=extra)
        mirror = AbilityFactory(framework=framework, code=f"Y{n}")
        AbilityRelation.objects.create(
            source=mirror, target=extra, relation_type=RelationType.EXACT_MATCH_OF
        )
        SuggestionFactory(course=course, ability=extra, score=0.1)
        SuggestionFactory(course=course, ability=mirror, score=0.1)
        SuggestionFactory(course=course, framework=framework, score=0.1)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    assert count() == few
    assert count(required="0") == few_all


# --- The API ---------------------------------------------------------------------------------


def test_the_api_lists_a_programme_s_suggestions_with_the_targets_requiring_each(
    staff_client, programme_queue
):
    programme, suggestion, ability, (analyst, developer) = programme_queue
    rows = staff_client.get(f"/api/v1/suggestions/?programme={programme.pk}").json()["results"]
    assert [r["id"] for r in rows] == _ids(suggestion, "DCBOEA")
    by_id = {r["id"]: r for r in rows}
    assert by_id[suggestion["D"].pk]["required_by"] == []
    # Each with its minimum level; these propose no level, so none is below it.
    below = {"below_min_level": False}
    assert by_id[suggestion["A"].pk]["required_by"] == [
        {
            "position": analyst.pk,
            "status": "missing",
            "importance": "essential",
            "min_level": "M",
            **below,
            "via": None,
        },
        {
            "position": developer.pk,
            "status": "missing",
            "importance": "essential",
            "min_level": "R",
            **below,
            "via": None,
        },
    ]
    assert by_id[suggestion["E"].pk]["required_by"] == [
        {
            "position": analyst.pk,
            "status": "missing",
            "importance": "essential",
            "min_level": "M",
            **below,
            "via": {"ability": ability["F"].pk, "relation": RelationType.EXACT_MATCH_OF},
        }
    ]

    required = staff_client.get(f"/api/v1/suggestions/?programme={programme.pk}&required=true")
    assert required.status_code == 200
    assert [r["id"] for r in required.json()["results"]] == _ids(suggestion, "EABOC")
    # Without a programme a row has no targets to name.
    rows = staff_client.get("/api/v1/suggestions/").json()["results"]
    assert {r["required_by"] is None for r in rows} == {True}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("required=true", "required"),
        ("programme=abc", "programme"),
        ("programme=0", "programme"),
        ("programme=999999", "programme"),
        ("programme={programme}&required=maybe", "required"),
    ],
)
def test_bad_programme_or_required_values_are_a_400_naming_the_field(
    staff_client, programme_queue, query, field
):
    programme = programme_queue[0]
    response = staff_client.get(f"/api/v1/suggestions/?{query.format(programme=programme.pk)}")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert all(isinstance(message, str) and message for message in body[field])


def test_the_programme_list_query_count_does_not_grow_with_its_suggestions(
    staff_client, programme_queue
):
    programme, suggestion, ability, (analyst, _developer) = programme_queue
    url = f"/api/v1/suggestions/?programme={programme.pk}&required=true"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    count()
    few = count()
    course = suggestion["A"].course
    for n in range(6):
        extra = AbilityFactory(framework=ability["A"].framework, code=f"X{n}")
        RequirementFactory(position=analyst, ability=extra)
        SuggestionFactory(course=course, ability=extra, score=0.1)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    assert count() == few


def test_a_stand_in_counts_only_while_the_programme_s_rule_set_counts_its_crosswalk(
    client, staff_user, programme_queue
):
    """E stands in for F through an exact match: required while the programme counts exact
    matches (its default), one of the rest once it does not."""
    programme, suggestion, _ability, _targets = programme_queue
    programme.crosswalk_exact_match = False
    programme.save(update_fields=["crosswalk_exact_match"])
    client.force_login(staff_user)
    assert _queue(_page(client, programme)) == _ids(suggestion, "ABOC")


# --- The gap report's suggested courses -------------------------------------------------------


def _gap(programme, position, ability):
    from curricula.selectors.programmes import gap_report

    report = gap_report(programme=programme, position_id=position.pk)
    (block,) = report.positions
    return next(req for req in (*block.missing, *block.partial) if req.ability_id == ability.pk)


def test_the_gap_report_suggests_under_a_requirement_the_courses_of_its_stand_ins(
    client, staff_user, programme_queue
):
    """F is missing and only E, its exact match, has a suggestion: the gap report names that
    course under F "via E", as the programme's review counts it (it named nothing)."""
    programme, _suggestion, ability, (analyst, _developer) = programme_queue

    suggested = _gap(programme, analyst, ability["F"]).suggested
    direct = _gap(programme, analyst, ability["A"]).suggested

    assert [(s["code"], (s["via"] or {}).get("code")) for s in suggested] == [("Q101", "E")]
    assert [(s["code"], s["via"]) for s in direct] == [("Q101", None)]
    client.force_login(staff_user)
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    row = re.search(r'<li><span class="code">F</span>.*?</li>', html).group(0)
    assert "Suggested:" in row
    assert "Q101" in row
    assert "via E" in row


def test_the_gap_report_suggests_no_stand_in_the_rule_set_does_not_count(programme_queue):
    programme, _suggestion, ability, (analyst, _developer) = programme_queue
    programme.crosswalk_exact_match = False
    programme.save(update_fields=["crosswalk_exact_match"])

    assert _gap(programme, analyst, ability["F"]).suggested == []


def test_the_required_views_counts_say_they_are_of_this_view(client, staff_user, programme_queue):
    """Observed: the *Required by targets* view said "5 pending · 0 accepted · 0 rejected" while
    the programme had an accepted suggestion outside it. Its counts now say they are this view's;
    the view of all suggestions counts the whole programme and says so without the prefix."""
    programme, suggestion, _ability, _targets = programme_queue
    suggestion["D"].status = SuggestionStatus.ACCEPTED
    suggestion["D"].decided_at = timezone.now()
    suggestion["D"].save(update_fields=["status", "decided_at"])
    client.force_login(staff_user)
    html = _page(client, programme)
    assert re.search(r"In this view:\s*5 pending · 0 accepted · 0 rejected", html)
    every = _page(client, programme, required="0")
    assert "In this view:" not in every
    assert re.search(r"5 pending · 1 accepted · 0 rejected", every)
