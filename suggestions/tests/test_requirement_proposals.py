"""A position's suggestion proposes what its requirement would be (minimum level, importance),
read from the position's own description (a job advert), and accepting it starts from that
proposal, as a course's suggestion starts from its proposed level; the reviewer still chooses."""

import re

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from positions.models import Importance, Requirement
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.levels import propose_importance, propose_requirement_level
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db

COLON = "\uff1a"  # a full-width colon, as Chinese text writes it
ADVERT = (
    "We are hiring a database developer for our online shops.\n"
    "Requirements:\n"
    "- Design relational databases with keys and SQL\n"
    "Nice to have:\n"
    "- Some awareness of web applications in JavaScript\n"
)


@pytest.fixture
def advertised():
    framework, abilities = small_framework()
    position = PositionFactory(name="Database developer", description=ADVERT)
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    suggestions = {
        s.ability.code: s for s in Suggestion.objects.filter(position=position).select_related()
    }
    assert {"DB", "WEB"} <= set(suggestions)
    return position, abilities, suggestions


def test_a_position_s_suggestion_proposes_the_level_and_importance_its_advert_says(advertised):
    """Observed: a position's suggestion carried no level and no importance, so accepting one
    made every requirement essential at M, whatever the advert said (design → M under
    "Requirements:", awareness → I under "Nice to have:")."""
    _position, _abilities, suggestions = advertised
    db, web = suggestions["DB"], suggestions["WEB"]
    assert (db.proposed_level.code, db.proposed_importance) == ("M", Importance.ESSENTIAL)
    assert (web.proposed_level.code, web.proposed_importance) == ("I", Importance.OPTIONAL)
    assert web.explanation["importance"]["rule"] == "heading"
    assert web.explanation["importance"]["cue"].lower() == "nice to have"
    assert web.explanation["level"]["verb"] == "awareness"


def test_accepting_without_a_choice_makes_the_requirement_the_suggestion_proposes(advertised):
    position, _abilities, suggestions = advertised
    services.suggestion_accept(suggestion=suggestions["WEB"], user=None)
    services.suggestion_accept(suggestion=suggestions["DB"], user=None)
    made = dict(
        Requirement.objects.filter(position=position).values_list("ability__code", "importance")
    )
    assert made == {"WEB": Importance.OPTIONAL, "DB": Importance.ESSENTIAL}
    levels = dict(
        Requirement.objects.filter(position=position).values_list(
            "ability__code", "min_level__code"
        )
    )
    assert levels == {"WEB": "I", "DB": "M"}


def test_the_reviewer_s_choice_overrides_the_proposal(advertised):
    position, _abilities, suggestions = advertised
    from positions.models import Level

    services.suggestion_accept(
        suggestion=suggestions["WEB"],
        user=None,
        level=Level.objects.get(code="R"),
        importance=Importance.ESSENTIAL,
    )
    requirement = Requirement.objects.get(position=position)
    assert (requirement.min_level.code, requirement.importance) == ("R", Importance.ESSENTIAL)


def test_the_api_accepts_at_the_proposal_unless_told(advertised, staff_client):
    position, _abilities, suggestions = advertised
    web, db = suggestions["WEB"], suggestions["DB"]
    listed = staff_client.get(f"/api/v1/positions/{position.pk}/suggestions/").json()["results"]
    assert {row["id"]: row["proposed_importance"] for row in listed}[web.pk] == "optional"
    assert staff_client.post(f"/api/v1/suggestions/{web.pk}/accept/", {}).status_code == 201
    response = staff_client.post(
        f"/api/v1/suggestions/{db.pk}/accept/", {"importance": "optional", "level": "R"}
    )
    assert response.status_code == 201
    made = Requirement.objects.filter(position=position)
    assert sorted(made.values_list("ability__code", "min_level__code", "importance")) == [
        ("DB", "R", "optional"),
        ("WEB", "I", "optional"),
    ]


def test_the_review_page_starts_each_choice_at_the_proposal_and_says_why(advertised, client):
    from django.contrib.auth import get_user_model

    position, _abilities, suggestions = advertised
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()
    web = suggestions["WEB"].pk
    assert re.search(
        rf'<select name="importance-{web}"[^>]*>\s*<option value="essential">[^<]*</option>'
        r'\s*<option value="optional" selected>',
        html,
    )
    assert re.search(rf'<select name="level-{web}"[^>]*>\s*<option value="I" selected>', html)
    assert "Nice to have" in html  # the reason quotes the heading
    # Bulk accept "as each one's proposed importance" (the default) keeps each proposal.
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "bulk": "1",
            "bulk_level": "",
            "bulk_importance": "",
            "selected": [suggestions["WEB"].pk, suggestions["DB"].pk],
        },
    )
    assert response.status_code == 302
    made = Requirement.objects.filter(position=position)
    assert sorted(made.values_list("ability__code", "min_level__code", "importance")) == [
        ("DB", "M", "essential"),
        ("WEB", "I", "optional"),
    ]


def test_a_position_whose_advert_says_nothing_of_either_keeps_the_defaults():
    """No cue and no Bloom verb on a line naming the ability: essential, and no level proposed
    (accepting then uses SUGGESTIONS_REQUIREMENT_LEVEL)."""
    framework, abilities = small_framework()
    position = PositionFactory(name="Clerk", description="Relational databases at our shops.")
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    db = Suggestion.objects.get(position=position, ability=abilities["DB"])
    assert db.proposed_level is None
    assert db.proposed_importance == Importance.ESSENTIAL
    services.suggestion_accept(suggestion=db, user=None)
    requirement = Requirement.objects.get(position=position)
    assert (requirement.min_level.code, requirement.importance) == ("M", Importance.ESSENTIAL)


def test_a_line_far_in_meaning_proposes_neither_level_nor_importance():
    """Observed: the level and importance were read from the advert's line closest in meaning to
    the ability however far it was: a Chinese advert found "design relational databases" by its
    Chinese words, and its one English line, about the canteen's lunch menu (cosine 0.12), made
    the requirement M (for "evaluating") and optional (for "a plus"). No line is close: the
    proposal is what the advert says without one, essential and no level."""
    framework, abilities = small_framework()
    abilities["DB"].text_zh = "关系数据库设计"
    abilities["DB"].save()
    position = PositionFactory(
        name="数据库管理员",
        description="Evaluating the canteen's Friday lunch menu is a plus.",
        description_zh="负责关系数据库。",
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    db = Suggestion.objects.get(position=position, ability=abilities["DB"])
    assert (db.proposed_level, db.proposed_importance) == (None, Importance.ESSENTIAL)
    assert "level" not in db.explanation
    assert db.explanation["importance"]["rule"] == "default"
    assert db.explanation["strength"]["meaning_rank"] is not None  # ranked by meaning too
    assert all(m.get("kind") != "meaning" for m in db.explanation["matches"])


@pytest.mark.parametrize(
    ("lines", "term", "expected", "rule"),
    [
        (["Experience with SQL is a plus"], "sql", "optional", "cue"),
        (["Must know SQL"], "sql", "essential", "cue"),
        (["SQL (preferred)"], "sql", "optional", "cue"),
        (["Responsibilities:", "Write SQL reports"], "sql", "essential", "heading"),
        (["About us:", "Write SQL reports"], "sql", "essential", "default"),
        (
            ["岗位职责", "1. 负责亚马逊店铺运营", "加分项", "1. 了解Python"],
            "python",
            "optional",
            "heading",
        ),
        (
            ["Responsibilities:", "Run the Amazon store", "Nice to have:", "Amazon ads"],
            "amazon",
            "essential",
            "heading",
        ),
        (
            [f"任职要求{COLON}", "1. 熟悉MySQL数据库设计", f"加分项{COLON}", "1. 了解Python"],
            "python",
            "optional",
            "heading",
        ),
        (
            [f"任职要求{COLON}", "1. 熟悉MySQL数据库设计", f"加分项{COLON}", "1. 了解Python"],
            "mysql",
            "essential",
            "heading",
        ),
        (["有跨境电商经验者优先"], "跨境电商", "optional", "cue"),
        (["SQL"], "python", "essential", "default"),
    ],
)
def test_the_importance_is_read_from_the_line_or_its_heading(lines, term, expected, rule):
    proposal = propose_importance(lines=lines, matched_terms=[term])
    assert (proposal.value, proposal.rule) == (expected, rule)


@pytest.mark.parametrize(
    ("lines", "term", "expected", "rule", "cue"),
    [
        (
            ["崗位職責", "1. 負責亞馬遜店鋪運營", "加分項", "1. 了解Python"],
            "python",
            "optional",
            "heading",
            "加分",
        ),
        (
            ["崗位職責", "1. 負責亞馬遜店鋪運營", "加分項", "1. 了解Python"],
            "亞馬遜",
            "essential",
            "heading",
            "職責",
        ),
        ([f"任職要求{COLON}", "1. 熟悉MySQL資料庫設計"], "mysql", "essential", "heading", "要求"),
        (["有跨境電商經驗者優先"], "跨境電商", "optional", "cue", "優先"),
        (["必須熟悉MySQL"], "mysql", "essential", "cue", "必須"),
    ],
)
def test_the_importance_is_read_from_a_job_advert_in_traditional_chinese(
    lines, term, expected, rule, cue
):
    """Observed: a Hong Kong advert's headings (崗位職責, 加分項) and cues (者優先, 必須) were
    not read, as the Simplified ones are: every requirement it named was proposed essential by
    default. Read as Simplified, each cue is shown as the advert writes it."""
    proposal = propose_importance(lines=lines, matched_terms=[term])
    assert (proposal.value, proposal.rule, proposal.cue) == (expected, rule, cue)


def test_the_level_is_read_only_from_a_line_naming_the_ability():
    assert propose_requirement_level(lines=["Design web shops", "Know SQL"], matched_terms=["sql"])
    proposal = propose_requirement_level(
        lines=["Design web shops", "Know SQL"], matched_terms=["sql"]
    )
    assert (proposal.code, proposal.verb) == ("I", "know")
    assert (
        propose_requirement_level(lines=["Design web shops", "SQL"], matched_terms=["sql"]) is None
    )


def test_a_person_doing_it_is_no_bloom_verb():
    """A job title's "developer" or "manager" proposed M as if the advert said "develop"."""
    from suggestions.levels import bloom_verbs

    assert bloom_verbs("We are hiring a database developer and a project manager") == ()
    assert bloom_verbs("Develop and manage projects") == (("develop", "M"), ("manage", "R"))


def test_a_matched_bloom_verb_alone_does_not_tie_a_line_to_the_ability():
    """An ability "be familiar with web page standards, SEO" matched "Familiarity" on the
    advert's "Requirements:" line about logistics, and so was proposed essential, though the
    advert named SEO only under "Nice to have:"."""
    lines = ["Requirements:", "Familiarity with logistics", "Nice to have:", "SEO is a plus"]
    proposal = propose_importance(lines=lines, matched_terms=["Familiarity", "SEO"])
    assert (proposal.value, proposal.cue) == ("optional", "a plus")
    assert propose_requirement_level(lines=lines, matched_terms=["Familiarity", "SEO"]) is None


def _stored_before_importances(suggestion: Suggestion) -> None:
    """As a suggestion generated before proposed_importance existed: blank, and no reason."""
    explanation = {k: v for k, v in suggestion.explanation.items() if k != "importance"}
    Suggestion.objects.filter(pk=suggestion.pk).update(
        proposed_importance="", explanation=explanation
    )


def test_a_suggestion_stored_before_importances_accepts_at_what_the_advert_says_now(
    advertised, staff_client
):
    """Observed: a pending position suggestion stored before proposed_importance existed has it
    blank, and accepting it made the requirement essential whatever the advert says. Accepting
    it (API, page, service) reads the position's current description instead, without
    regenerating; the API and the page show that proposal."""
    position, _abilities, suggestions = advertised
    web, db = suggestions["WEB"], suggestions["DB"]
    for suggestion in (web, db):
        _stored_before_importances(suggestion)
    listed = staff_client.get(f"/api/v1/positions/{position.pk}/suggestions/").json()["results"]
    assert {row["id"]: row["proposed_importance"] for row in listed}[web.pk] == "optional"
    assert staff_client.post(f"/api/v1/suggestions/{web.pk}/accept/", {}).status_code == 201
    services.suggestion_accept(suggestion=Suggestion.objects.get(pk=db.pk), user=None)
    made = dict(
        Requirement.objects.filter(position=position).values_list("ability__code", "importance")
    )
    assert made == {"WEB": Importance.OPTIONAL, "DB": Importance.ESSENTIAL}
    web.refresh_from_db()
    assert web.proposed_importance == ""  # read, not regenerated


def test_the_review_page_preselects_the_importance_a_stored_before_suggestion_reads_now(
    advertised, client
):
    from django.contrib.auth import get_user_model

    position, _abilities, suggestions = advertised
    web = suggestions["WEB"]
    _stored_before_importances(web)
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()
    assert re.search(
        rf'<select name="importance-{web.pk}"[^>]*>\s*<option value="essential">[^<]*</option>'
        r'\s*<option value="optional" selected>',
        html,
    )
    assert "Nice to have" in html  # and says why
    # The page's form sends what it preselected.
    client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "single": f"accept:{web.pk}",
            f"importance-{web.pk}": "optional",
        },
    )
    assert Requirement.objects.get(position=position).importance == Importance.OPTIONAL


def test_bulk_accept_takes_each_row_s_importance_as_its_menu_shows(advertised, client):
    """Observed: on a position's review, a reviewer set a row's importance menu to essential
    (proposed optional), ticked it and bulk-accepted with the bulk importance left blank: the
    requirement was saved optional, the proposal, not what the row showed, while the bulk level
    beside it already took each row's level. Blank now means each one's importance as its row
    shows it (a row not posted: its proposal); an explicit bulk importance still applies to all."""
    from django.contrib.auth import get_user_model

    position, _abilities, suggestions = advertised
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()
    bulk = re.search(r'<select name="bulk_importance".*?</select>', html, re.S).group(0)
    assert "each one's importance as shown in its row" in bulk.replace("&#x27;", "'")
    web, db = suggestions["WEB"].pk, suggestions["DB"].pk
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "bulk": "1",
            "bulk_level": "",
            "bulk_importance": "",
            f"importance-{web}": "essential",
            "selected": [web, db],
        },
    )
    assert response.status_code == 302
    made = Requirement.objects.filter(position=position)
    assert sorted(made.values_list("ability__code", "importance")) == [
        ("DB", "essential"),
        ("WEB", "essential"),
    ]


def test_an_unknown_importance_in_a_selected_row_accepts_nothing(advertised, client):
    from django.contrib.auth import get_user_model

    position, _abilities, suggestions = advertised
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    web = suggestions["WEB"].pk
    client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"position:{position.pk}",
            "bulk": "1",
            "bulk_importance": "",
            f"importance-{web}": "vital",
            "selected": [web],
        },
    )
    assert not Requirement.objects.filter(position=position).exists()
