"""The programme page's recommendations and what-if panel: works without JavaScript, previews
save nothing, only staff may apply, and junk is a 400 with a message."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from curricula.decisions import selectors as decision_selectors
from curricula.decisions.selectors import scenario_choices
from curricula.models import CourseAbility, ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from curricula.tests.test_decisions_api import _world
from positions.tests.factories import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _world()


def decide_url(world):
    return reverse("curricula:programme-decide", args=[world["programme"].pk])


def test_programme_page_links_to_the_panel(client, world):
    response = client.get(world["programme"].get_absolute_url())
    assert decide_url(world) in response.content.decode()


def test_a_cost_counted_in_courses_says_so_and_why(client, world):
    """Observed: with one candidate lacking its credits, every candidate is costed 1 (a course)
    and the table's column said only "Cost": a 3-credit course showed "Cost 1"."""
    world["cheap"].credits = None
    world["cheap"].save()

    html = client.get(decide_url(world)).content.decode()

    assert '<th scope="col" class="num">Cost (courses)</th>' in html
    assert "Counted in courses, each 1: not every candidate course has its credits." in html

    world["cheap"].credits = 2
    world["cheap"].save()
    html = client.get(decide_url(world)).content.decode()
    assert '<th scope="col" class="num">Credits</th>' in html
    assert "Counted in courses" not in html


def test_panel_shows_recommendations_and_what_needs_a_new_course(client, world):
    response = client.get(decide_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proven optimal by branch-and-bound over 3 candidate courses" in html
    assert "CHEAP" in html
    assert "Needing a new course" in html
    assert f"add={world['cheap'].pk}" in html  # "try these" carries the recommendation over
    # a recommended course links to its page, to be read before it is brought in
    assert f'<a href="{world["cheap"].get_absolute_url()}"><span class="code">CHEAP</span>' in html


def test_preview_highlights_changes_and_saves_nothing(client, world):
    a3 = world["abilities"][2]
    query = {
        "add": [world["only_a3"].pk],
        "cell_course": [world["own"].pk, ""],
        "cell_ability": [a3.pk, ""],
        "cell_level": ["R", ""],
    }
    response = client.get(decide_url(world), query, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "requirements with a better status: 1, with a worse status: 0" in html
    assert "status-cell--covered" in html
    assert "Apply as one change" not in html  # anonymous: preview only
    assert not ProgrammeCourse.objects.filter(course=world["only_a3"]).exists()
    assert not CourseAbility.objects.filter(course=world["own"], ability=a3).exists()


def test_preview_counts_each_requirement_whose_status_gets_better_or_worse(client, world):
    """partial -> missing is worse, as covered -> partial is; missing -> partial is better, as
    reaching covered is: the summary counts status changes and says so."""
    a1, a2, _a3, _a4 = world["abilities"]
    ProgrammeCourse.objects.create(programme=world["programme"], course=world["shallow"])
    query = {
        "remove": [world["shallow"].pk],  # a4: partial -> missing
        "cell_course": [world["own"].pk, world["own"].pk],
        "cell_ability": [a1.pk, a2.pk],
        "cell_level": ["I", "I"],  # a1: covered -> partial; a2: missing -> partial
    }
    result = _result(client.get(decide_url(world), query).content.decode())
    assert "requirements with a better status: 1, with a worse status: 2" in result
    assert "gaps closed" not in result


@pytest.mark.parametrize(
    "query",
    [{"budget": "lots"}, {"budget": "-3"}, {"add": "x"}, {"add": "999999"}, {"area": "999999"}],
)
def test_junk_is_a_400_with_a_message(client, world, query):
    response = client.get(decide_url(world), query)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    # htmx only swaps successful answers: it gets the message with a 200.
    htmx = client.get(decide_url(world), query, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert 'class="errorlist"' in htmx.content.decode()


def test_only_staff_may_apply(client, world, plain_user, staff_without_perms):
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    assert client.post(url, {"add": world["cheap"].pk}).status_code == 302  # to log in
    for user in (plain_user, staff_without_perms):
        client.force_login(user)
        assert client.post(url, {"add": world["cheap"].pk}).status_code == 403
    assert not ProgrammeCourse.objects.filter(course=world["cheap"]).exists()


def test_applying_after_the_session_ended_goes_to_log_in_and_back_to_the_scenario(client, world):
    """Signed out meanwhile (the session expired), Apply landed on "Not allowed: your account
    is not allowed to do this" and the scenario was lost; it now goes to log in, then back to
    the page previewing the same scenario, to apply it."""
    from urllib.parse import parse_qs, urlsplit

    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    response = client.post(
        url, {"csrfmiddlewaretoken": "x", "add": world["cheap"].pk, "remove_target": "7"}
    )
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("login")
    back = urlsplit(parse_qs(login.query)["next"][0])
    assert back.path == decide_url(world)
    assert parse_qs(back.query) == {"add": [str(world["cheap"].pk)], "remove_target": ["7"]}
    assert back.fragment == "what-if"
    assert not ProgrammeCourse.objects.filter(course=world["cheap"]).exists()


def test_staff_preview_then_apply(client, world, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    preview = client.get(decide_url(world), {"add": world["cheap"].pk})
    assert "Apply as one change" in preview.content.decode()
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"add": world["cheap"].pk})
    assert response.status_code == 302
    assert response["Location"] == world["programme"].get_absolute_url()
    assert ProgrammeCourse.objects.filter(course=world["cheap"]).exists()
    # Applying it again is refused (already in the programme) and shown, not a 500.
    again = client.post(url, {"add": world["cheap"].pk})
    assert again.status_code == 400
    assert "Already in the programme" in again.content.decode()


def test_panel_query_count_does_not_grow_with_the_catalogue(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as few:
        client.get(decide_url(world), {"add": world["cheap"].pk})
    a2 = world["abilities"][1]
    for _ in range(25):
        CourseAbilityFactory(course=CourseFactory(), ability=a2, level=level("M"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(decide_url(world), {"add": world["cheap"].pk}).status_code == 200


def _catalogue_list(html: str) -> str:
    start = html.index('id="what-if-catalogue"')
    return html[start : html.index("</div>", start)]


def test_catalogue_courses_come_most_relevant_first_with_what_they_build(world):
    choices = scenario_choices(programme=world["programme"])
    # BOTH builds two required abilities; the others one each, then by code. OWN is in already.
    assert [c["code"] for c in choices.catalogue_courses] == ["BOTH", "A3", "CHEAP", "SHALLOW"]
    assert [c["builds"] for c in choices.catalogue_courses] == [2, 1, 1, 1]
    assert choices.catalogue_total == 4


def test_a_search_narrows_the_catalogue_and_the_scenario_keeps_its_courses(
    client, world, monkeypatch
):
    monkeypatch.setattr(decision_selectors, "CATALOGUE_CHOICES", 1)
    choices = scenario_choices(
        programme=world["programme"], search="a", keep_course_ids=[world["shallow"].pk]
    )
    # "a" matches the codes A3, CHEAP and SHALLOW (not BOTH, nor the factory's titles); the
    # first is shown, and SHALLOW, which the scenario uses, is kept.
    assert choices.catalogue_total == 3
    assert [c["code"] for c in choices.catalogue_courses] == ["A3", "SHALLOW"]

    response = client.get(decide_url(world), {"course_q": "shall", "add": world["shallow"].pk})
    listed = _catalogue_list(response.content.decode())
    assert "SHALLOW" in listed
    assert "CHEAP" not in listed
    assert "checked" in listed
    none = _catalogue_list(client.get(decide_url(world), {"course_q": "zzz"}).content.decode())
    assert "No catalogue course building a required ability matches “zzz”." in none


def test_a_course_is_found_by_its_chinese_title(world):
    """Observed: the list shows a course by its Chinese title (数据库技术), but *Find a course*
    read only the code and the own title, so typing what the list showed found nothing."""
    world["cheap"].title_zh = "跨境电商实务"
    world["cheap"].save()
    choices = scenario_choices(programme=world["programme"], search="电商")
    assert [c["code"] for c in choices.catalogue_courses] == ["CHEAP"]


def test_a_long_catalogue_says_how_much_is_not_shown(client, world, monkeypatch):
    monkeypatch.setattr(decision_selectors, "CATALOGUE_CHOICES", 2)
    listed = _catalogue_list(client.get(decide_url(world)).content.decode())
    assert "Showing 2 of 4 courses; find a course to narrow the list." in listed
    assert "(2 required abilities)" in listed


def test_a_course_a_changed_cell_brings_in_stays_listed(world):
    # NEW builds nothing the targets require yet; the scenario's cell is what would link it.
    new = CourseFactory(code="NEW")
    choices = scenario_choices(programme=world["programme"], keep_course_ids=[new.pk])
    assert ("NEW", 0) in [(c["code"], c["builds"]) for c in choices.catalogue_courses]
    assert choices.catalogue_total == 4


def test_a_catalogue_search_from_htmx_computes_only_the_list(client, world, monkeypatch):
    def not_for_a_search(**kwargs):
        raise AssertionError("computed for a catalogue search")

    monkeypatch.setattr(decision_selectors, "recommendations_detail", not_for_a_search)
    monkeypatch.setattr(decision_selectors, "what_if_detail", not_for_a_search)
    response = client.get(
        decide_url(world),
        {"course_q": "shall", "add": world["cheap"].pk},
        headers={"HX-Request": "true", "HX-Target": "what-if-catalogue"},
    )
    assert response.status_code == 200
    listed = _catalogue_list(response.content.decode())
    assert "SHALLOW" in listed
    assert "CHEAP" in listed  # kept: the scenario uses it


# --- The page's defects, fixed -----------------------------------------------------------------


def _result(html: str) -> str:
    return html[html.index('id="what-if-result"') :]


def test_the_budget_field_is_a_styled_text_field(client, world):
    html = client.get(decide_url(world)).content.decode()
    assert re.search(r'<input id="budget" name="budget" type="text"', html)


def test_with_no_gap_the_panel_says_there_is_nothing_to_recommend(client, world):
    own, a2, a3, a4 = world["own"], *world["abilities"][1:]
    for ability in (a2, a3, a4):
        CourseAbilityFactory(course=own, ability=ability, level=level("M"))
    html = client.get(decide_url(world)).content.decode()
    assert "Every essential requirement is covered: nothing to recommend." in html
    assert "candidate course" not in html


def test_with_gaps_no_course_can_close_the_panel_says_so(client, world):
    a2, a3 = world["abilities"][1:3]
    for course in (world["cheap"], world["both"], world["only_a3"]):
        course.ability_links.all().delete()
    CourseAbilityFactory(course=world["own"], ability=a2, level=level("M"))
    CourseAbilityFactory(course=world["own"], ability=a3, level=level("M"))
    html = client.get(decide_url(world)).content.decode()
    assert "1 essential gap, and no catalogue course outside the programme builds" in html
    assert "branch-and-bound over 0" not in html
    assert "Needing a new course" in html


def test_preview_statuses_are_labels_in_the_interface_language(client, world):
    a3 = world["abilities"][2]
    query = {"cell_course": [world["own"].pk], "cell_ability": [a3.pk], "cell_level": ["I"]}
    english = _result(client.get(decide_url(world), query).content.decode())
    assert '<span class="status-text">missing</span>' in english
    assert '<span class="status-text">partial</span>' in english
    with translation.override("zh-hans"):
        chinese = _result(
            client.get(decide_url(world), query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        )
    statuses = re.findall(r'<span class="status-text">([^<]*)</span>', chinese)
    assert statuses
    assert not set(statuses) & {"missing", "partial", "covered"}


def test_no_changes_message_only_when_nothing_changes(client, world):
    a3 = world["abilities"][2]
    # missing -> partial: a row changes, its status better though no gap closes.
    query = {"cell_course": [world["own"].pk], "cell_ability": [a3.pk], "cell_level": ["I"]}
    result = _result(client.get(decide_url(world), query).content.decode())
    assert "requirements with a better status: 1, with a worse status: 0" in result
    assert "status-cell--partial" in result
    assert "No requirement changes status." not in result
    # A course that builds nothing required changes no row.
    idle = CourseFactory(code="IDLE")
    unchanged = _result(client.get(decide_url(world), {"add": idle.pk}).content.decode())
    assert "No requirement changes status." in unchanged


def test_any_number_of_cell_changes_and_one_more_row_without_javascript(client, world):
    a1, a2, a3, a4 = world["abilities"]
    own, cheap = world["own"], world["cheap"]
    cells = [(own, a2, "R"), (own, a3, "R"), (own, a4, "R"), (cheap, a1, "I"), (cheap, a3, "I")]
    query = {
        "cell_course": [c.pk for c, _a, _l in cells],
        "cell_ability": [a.pk for _c, a, _l in cells],
        "cell_level": [lv for _c, _a, lv in cells],
    }
    html = client.get(decide_url(world), query).content.decode()
    assert "requirements with a better status: 3, with a worse status: 0" in html
    # The five changes and one empty row, each a row of three selects.
    assert html.count('name="cell_level"') == 6
    assert 'name="cell_rows" value="7"' in html
    # The add button without JavaScript: the form again with one more empty row.
    more = client.get(decide_url(world), {**query, "cell_rows": "7"}).content.decode()
    assert more.count('name="cell_level"') == 7
    assert client.get(decide_url(world), {"cell_rows": "junk"}).status_code == 200
    capped = client.get(decide_url(world), {"cell_rows": "100000"}).content.decode()
    assert capped.count('name="cell_level"') <= 101


def test_the_form_tries_a_target_added_or_removed(client, world):
    from curricula.tests.test_decisions_api import _second_target

    buyer, _a5 = _second_target(world)
    page = client.get(decide_url(world)).content.decode()
    assert f'name="add_target" value="{buyer.pk}"' in page
    assert f'name="remove_target" value="{world["position"].pk}"' in page

    added = _result(client.get(decide_url(world), {"add_target": buyer.pk}).content.decode())
    assert "Buyer" in added
    assert "new target: 50% covered" in added
    assert "a5" in added
    removed = _result(
        client.get(decide_url(world), {"remove_target": world["position"].pk}).content.decode()
    )
    assert "no longer a target" in removed


def test_staff_apply_a_target_change_from_the_page(client, world, staff_user):
    from curricula.tests.test_decisions_api import _second_target

    buyer, _a5 = _second_target(world)
    client.force_login(staff_user)
    preview = client.get(decide_url(world), {"add_target": buyer.pk}).content.decode()
    assert f'<input type="hidden" name="add_target" value="{buyer.pk}">' in preview
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    assert client.post(url, {"add_target": buyer.pk}).status_code == 302
    assert world["programme"].targets.filter(position=buyer).exists()


def test_each_cell_row_keeps_its_course_and_ability_chosen(client, world):
    own, ability = world["own"], world["abilities"][1]
    html = client.get(
        decide_url(world),
        {"cell_course": own.pk, "cell_ability": ability.pk, "cell_level": "R"},
    ).content.decode()

    def chosen(select_id: str) -> list[str]:
        menu = html.split(f'id="{select_id}"')[1].split("</select>")[0]
        return re.findall(r'<option value="(\d+)" selected>([^<]*)</option>', menu)

    ((course_id, course_label),) = chosen("cell-course-1")
    assert (course_id, course_label.split()[0]) == (str(own.pk), own.code)
    ((ability_id, ability_label),) = chosen("cell-ability-1")
    assert (ability_id, ability_label.split()[0]) == (str(ability.pk), ability.code)
    # The empty row after it chooses nothing.
    assert chosen("cell-course-2") == []
    assert chosen("cell-ability-2") == []


def _scrubbed(html: str) -> str:
    """The page's main content, less what differs from one request to the next (the CSRF
    token); the header's links back to the address (language, log in) differ by design."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_the_previews_address_holds_only_what_carries_a_value(client, world):
    """The what-if form sends its empty search and each empty cell row with every preview, and
    htmx pushed that into the address bar (`?course_q=&cell_course=&cell_ability=&...`): long,
    and different for one scenario. The page now tells htmx the address to push, with only
    what carries a value, and reads that address back to the same page."""
    a3 = world["abilities"][2]
    own, only_a3 = world["own"], world["only_a3"]
    sent = (
        f"course_q=+&remove=&add={only_a3.pk}"
        f"&cell_course={own.pk}&cell_ability={a3.pk}&cell_level=R"
        # a row half chosen (no level: no change yet) and an empty one
        f"&cell_course={own.pk}&cell_ability=&cell_level="
        "&cell_course=&cell_ability=&cell_level="
        "&add_target="
    )
    url = decide_url(world)
    response = client.get(
        f"{url}?{sent}", headers={"HX-Request": "true", "HX-Target": "what-if-result"}
    )
    assert response.status_code == 200
    pushed = response["HX-Push-Url"]
    assert pushed == (
        f"{url}?add={only_a3.pk}&cell_course={own.pk}&cell_ability={a3.pk}&cell_level=R"
    )
    # Read back, the short address is the page the long one is.
    assert _scrubbed(client.get(pushed).content.decode()) == _scrubbed(
        client.get(f"{url}?{sent}", follow=True).content.decode()
    )


# Queries the decide page may be sent, and what of each its address keeps.
ADDRESSES = [
    ("", ""),
    ("course_q=&cell_course=&cell_ability=&cell_level=", ""),
    ("course_q=%E7%BD%91+%E5%BA%97", "course_q=%E7%BD%91+%E5%BA%97"),  # a search in Chinese
    # A cell removing a link ("-") carries a value.
    ("cell_course=5&cell_ability=6&cell_level=-", "cell_course=5&cell_ability=6&cell_level=-"),
    # Observed: a level without its course or ability was redirected to an address adding the
    # empty fields (`?cell_course=5&cell_level=M` to `...&cell_ability=&...`). Read back, a row
    # lacking them reads them empty all the same, so the page shows the same message about it.
    ("cell_course=&cell_ability=&cell_level=R", "cell_level=R"),
    ("cell_course=5&cell_level=M", "cell_course=5&cell_level=M"),
    (
        "cell_course=5&cell_ability=6&cell_level=M&cell_course=7&cell_ability=&cell_level=R",
        "cell_course=5&cell_ability=6&cell_level=M&cell_course=7&cell_level=R",
    ),
    # The rows are parallel lists: an empty field a later row's value comes after is kept, or
    # that value would be read as this row's.
    (
        "cell_course=5&cell_ability=&cell_level=M&cell_course=7&cell_ability=6&cell_level=R",
        "cell_course=5&cell_ability=&cell_level=M&cell_course=7&cell_ability=6&cell_level=R",
    ),
    # A row with no level (a second course alone, its other parameters left out) is no change
    # and is not kept either.
    (
        "cell_course=5&cell_course=7&cell_ability=6&cell_level=I",
        "cell_course=5&cell_ability=6&cell_level=I",
    ),
    ("add=abc&cell_rows=3", "add=abc&cell_rows=3"),
]


@pytest.mark.parametrize(("sent", "kept"), ADDRESSES)
def test_the_pushed_address_of_any_query(client, world, sent, kept):
    url = decide_url(world)
    response = client.get(
        f"{url}?{sent}", headers={"HX-Request": "true", "HX-Target": "what-if-catalogue"}
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == (f"{url}?{kept}" if kept else url)
    assert _scrubbed(client.get(response["HX-Push-Url"]).content.decode()) == _scrubbed(
        client.get(f"{url}?{sent}", follow=True).content.decode()
    )


@pytest.mark.parametrize(("sent", "kept"), ADDRESSES)
def test_without_javascript_the_form_lands_on_the_address_htmx_pushes(client, world, sent, kept):
    """Observed: without JavaScript the what-if form submitted each of its empty fields, and the
    address filled with `course_q=&remove=&cell_course=&...`, where htmx pushes only what
    carries a value. A plain GET with a parameter the address would not keep is redirected,
    once, to the address htmx pushes (every valued parameter, in order); one with none is
    answered at once."""
    url = decide_url(world)
    pushed = client.get(f"{url}?{sent}", headers={"HX-Request": "true"})["HX-Push-Url"]
    response = client.get(f"{url}?{sent}", follow=True)
    if sent == kept:
        assert response.redirect_chain == []
    else:
        assert response.redirect_chain == [(pushed, 302)]
    # The test client follows a redirect with its query regrouped by name (cell rows' lists
    # one after the other): the same query, read back.
    landed = QueryDict(response.request["QUERY_STRING"])
    assert list(landed.lists()) == list(QueryDict(kept).lists())
    assert _scrubbed(response.content.decode()) == _scrubbed(client.get(pushed).content.decode())


def test_without_javascript_the_preview_of_the_full_form_is_the_one_htmx_shows(client, world):
    """The whole form as a browser without JavaScript sends it (each empty field, the cell
    rows in the page's order): one redirect to the short address, and there the same preview
    htmx swaps in."""
    a3 = world["abilities"][2]
    own, only_a3 = world["own"], world["only_a3"]
    sent = (
        f"remove=&course_q=&add={only_a3.pk}"
        f"&cell_course={own.pk}&cell_ability={a3.pk}&cell_level=R"
        "&cell_course=&cell_ability=&cell_level=&add_target="
    )
    url = decide_url(world)
    response = client.get(f"{url}?{sent}", follow=True)
    short = f"{url}?add={only_a3.pk}&cell_course={own.pk}&cell_ability={a3.pk}&cell_level=R"
    assert response.redirect_chain == [(short, 302)]
    assert response.status_code == 200
    assert "requirements with a better status: 1, with a worse status: 0" in _result(
        response.content.decode()
    )
    swapped = client.get(f"{url}?{sent}", headers={"HX-Request": "true"})
    assert swapped["HX-Push-Url"] == short
    assert _result(swapped.content.decode()) == _result(response.content.decode())


def _second_target(world, *abilities):
    """A second target position of the programme requiring some of the first's abilities."""
    from curricula.models import ProgrammeTarget
    from positions.tests.factories import PositionFactory, RequirementFactory

    second = PositionFactory(name="Second analyst")
    for ability in abilities:
        RequirementFactory(position=second, ability=ability, min_level=level("R"))
    ProgrammeTarget.objects.create(programme=world["programme"], position=second)
    return second


def test_gaps_counted_per_target_say_how_many_abilities_they_are(client, world):
    """A gap is one target's essential requirement: an ability two targets require is two gaps,
    listed once under "Needing a new course" (the report pages count it once too). The count
    says so, rather than 2 gaps above a list of 1 ability."""
    a2, a3, a4 = world["abilities"][1:]
    for course in (world["cheap"], world["both"], world["only_a3"]):
        course.ability_links.all().delete()
    CourseAbilityFactory(course=world["own"], ability=a2, level=level("M"))
    CourseAbilityFactory(course=world["own"], ability=a3, level=level("M"))
    _second_target(world, a4)

    html = " ".join(client.get(decide_url(world)).content.decode().split())

    assert "2 essential gaps, and no catalogue course outside the programme builds" in html
    assert (
        "The 2 gaps are in 1 ability: an ability two target positions require counts once "
        "per target." in html
    )


def test_gaps_closed_by_courses_say_how_many_abilities_they_are(client, world):
    a2, _a3, a4 = world["abilities"][1:]
    _second_target(world, a2, a4)

    html = " ".join(client.get(decide_url(world)).content.decode().split())

    assert "of 5 essential gaps closed" in html
    assert "The 5 gaps are in 3 abilities" in html


def test_gaps_of_one_target_need_no_word_on_abilities(client, world):
    html = " ".join(client.get(decide_url(world)).content.decode().split())
    assert "of 3 essential gaps closed" in html
    assert "gaps are in" not in html


def test_a_cell_change_outside_the_programme_says_why_it_changes_nothing(client, world):
    """It previewed as "No requirement changes status." with no hint why."""
    a3 = world["abilities"][2]
    query = {"cell_course": [world["cheap"].pk], "cell_ability": [a3.pk], "cell_level": ["M"]}
    result = _result(client.get(decide_url(world), query).content.decode())
    assert "CHEAP is not in the programme" in result
    assert "add the course in the same scenario" in result
    query["add"] = world["cheap"].pk
    result = _result(client.get(decide_url(world), query).content.decode())
    assert "not in the programme" not in result


def test_applying_a_cell_change_outside_the_programme_from_the_page_says_where_it_went(
    client, world, staff_user
):
    client.force_login(staff_user)
    a3 = world["abilities"][2]
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    form = {"cell_course": [world["cheap"].pk], "cell_ability": [a3.pk], "cell_level": ["M"]}
    page = client.post(url, form, follow=True).content.decode()
    assert (
        "CHEAP is not in the programme: the link was written to the catalogue course only." in page
    )
    assert CourseAbility.objects.get(course=world["cheap"], ability=a3).level.code == "M"


@pytest.mark.parametrize(
    ("query", "field"), [({"budget": "lots"}, "budget"), ({"area": "x"}, "rec-area")]
)
def test_a_refused_filter_is_marked_invalid_and_described_by_its_message(
    client, world, query, field
):
    """Observed: a refused budget (or area) was said in a list below the form, tied to no
    field: a screen reader on the field heard neither that it was wrong nor why (WCAG 3.3.1,
    1.3.1). The field is marked invalid and described by the message; the others are not."""
    html = client.get(decide_url(world), query).content.decode()
    tag = re.search(rf'<(?:input|select) id="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    errors = re.search(rf'<ul[^>]* id="{described}"[^>]*>(.*?)</ul>', html, re.S)
    assert errors is not None
    assert (
        "Budget" in errors.group(1) if field == "budget" else "Competency area" in errors.group(1)
    )
    others = re.findall(r'<(?:input|select) id="(?:budget|rec-area|rec-position)"[^>]*>', html)
    assert [other for other in others if other != tag and "aria-invalid" in other] == []


def _select(html: str, select_id: str) -> str:
    return re.search(rf'<select id="{select_id}"[^>]*>', html).group(0)


def test_a_refused_cell_change_row_is_marked_invalid_and_described_by_its_message(client, world):
    """Observed: the what-if form's own errors (a cell change lacking its ability, a course id
    that is not one) were one list in the preview, tied to no row: a screen reader on the row's
    selects heard neither that it was wrong nor why (WCAG 3.3.1, 1.3.1). Each refused row's
    selects are marked invalid and described by its message, said beside the row; the summary
    list stays; a good row is not marked."""
    a1, a2, _a3, _a4 = world["abilities"]
    own = world["own"]
    # Rows: 1 good, 2 lacking its ability, 3 a course id that is not one.
    query = {
        "cell_course": [own.pk, own.pk, "abc"],
        "cell_ability": [a1.pk, "", a2.pk],
        "cell_level": ["R", "M", "I"],
    }
    response = client.get(decide_url(world), query)
    assert response.status_code == 400
    html = response.content.decode()
    lacking = "Cell change 2: choose an ability, or set its level to “No change”."
    junk = "Cell change 3: “abc” (cell_course) is not a course id."
    for row, message in ((2, lacking), (3, junk)):
        described = set()
        for kind in ("course", "ability", "level"):
            tag = _select(html, f"cell-{kind}-{row}")
            assert 'aria-invalid="true"' in tag, (row, kind)
            described.add(re.search(r'aria-describedby="([^"]+)"', tag).group(1))
        (list_id,) = described
        errors = re.search(rf'<ul[^>]* id="{list_id}"[^>]*>(.*?)</ul>', html, re.S)
        assert errors is not None
        assert message in errors.group(1)
        other = junk if message == lacking else lacking
        assert other not in errors.group(1)
        # Beside its row: inside the row's element, after its selects.
        row_html = html[html.index(f'id="cell-course-{row}"') :]
        assert row_html.index(f'id="{list_id}"') < row_html.index("data-what-if-cell")
    for kind in ("course", "ability", "level"):
        assert "aria-invalid" not in _select(html, f"cell-{kind}-1")
    # The summary in the preview still lists both.
    summary = re.search(r'<div role="alert"><ul class="errorlist">(.*?)</ul>', html, re.S).group(1)
    assert lacking in summary
    assert junk in summary


def test_a_cell_change_the_check_refuses_is_said_beside_its_row(client, world, staff_user):
    """Observed: a cell change refused once checked against the database (an unknown level, a
    link to remove that is not there) was said only in the preview's list, naming no row, and
    its row was not marked: which of the changes to correct was left to guess. It is said as the
    form's own row errors are: "Cell change N: …", N the row as the form sent it, in the list and
    beside the row (shown back without the empty row before it), whose selects it describes."""
    a1, a2, a3, _a4 = world["abilities"]
    own = world["own"]
    # Rows as sent: 1 good, 2 empty (no change), 3 an unknown level, 4 removing no link. Applied
    # (a preview's address would leave the empty row out).
    client.force_login(staff_user)
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])
    response = client.post(
        url,
        {
            "cell_course": [own.pk, "", own.pk, own.pk],
            "cell_ability": [a1.pk, "", a2.pk, a3.pk],
            "cell_level": ["R", "", "Z", "-"],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    unknown = "Cell change 3: Unknown level “Z”."
    no_link = "Cell change 4: Course OWN has no link to ability a3 to remove."
    summary = re.search(r'<div role="alert"><ul class="errorlist">(.*?)</ul>', html, re.S).group(1)
    assert unknown in summary
    assert no_link in summary
    # Shown back as rows 2 and 3 (the empty row is left out).
    for shown, message in ((2, unknown), (3, no_link)):
        for kind in ("course", "ability", "level"):
            tag = _select(html, f"cell-{kind}-{shown}")
            assert 'aria-invalid="true"' in tag, (shown, kind)
            assert f'aria-describedby="cell-errors-{shown}"' in tag
        errors = re.search(rf'<ul[^>]* id="cell-errors-{shown}"[^>]*>(.*?)</ul>', html, re.S)
        assert errors.group(1).strip() == f"<li>{message}</li>"
    for kind in ("course", "ability", "level"):
        assert "aria-invalid" not in _select(html, f"cell-{kind}-1")
    assert CourseAbility.objects.get(course=own, ability=a1).level.code == "M"  # not applied
    # The preview says it so too.
    preview = client.get(
        decide_url(world),
        {"cell_course": [own.pk, own.pk], "cell_ability": [a1.pk, a2.pk], "cell_level": ["R", "Z"]},
    )
    assert preview.status_code == 400
    html = preview.content.decode()
    errors = re.search(r'<ul[^>]* id="cell-errors-2"[^>]*>(.*?)</ul>', html, re.S)
    assert errors.group(1).strip() == "<li>Cell change 2: Unknown level “Z”.</li>"


def test_a_scenario_whose_writing_is_refused_is_checked_again_on_the_programme_as_it_is_now(
    client, world, staff_user, monkeypatch
):
    """The check passed, then the programme changed before the write (another editor added the
    course) and the write was refused: the page shows the scenario checked again on the
    programme as it is now ("Already in the programme"), not a preview of what was read
    before."""
    from curricula.decisions import services as decision_services

    def added_meanwhile(*, programme, scenario):
        ProgrammeCourse.objects.create(programme=programme, course=world["cheap"])
        raise ValidationError("The programme changed.")

    monkeypatch.setattr(decision_services, "programme_scenario_apply", added_meanwhile)
    client.force_login(staff_user)
    url = reverse("curricula:programme-decide-apply", args=[world["programme"].pk])

    response = client.post(url, {"add": world["cheap"].pk})

    assert response.status_code == 400
    assert "Already in the programme" in response.content.decode()
