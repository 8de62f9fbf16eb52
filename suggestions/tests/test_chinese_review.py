"""The review pages' explanation of a suggestion written as the reader's language writes it: the
brackets, the separators between the fields a term was found in and between the matches come
from the catalogue. Observed in Chinese: “Dynamic Web Design” (名称 → 名称, 相似度 0.11); “动态”
(中文标题 → 中文名称), and 较好匹配 (按共同词语排第 3 位…), with half-width brackets and ASCII
separators.

The catalogue may not hold these messages yet: `chinese_stand_in` gives them a stand-in
translation (〈msgid〉) for the test, and the expected text is computed through the catalogue."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.coverage.selectors import RELATION_LABELS
from curricula.models import Suggestion
from positions.models import RelationType
from suggestions.tests.factories import SuggestionFactory
from suggestions.tests.test_required_filter import build_programme_queue

pytestmark = pytest.mark.django_db

MATCH = (
    "a matched term, then where it was found in brackets",
    '“%(term)s” <span class="muted">(%(details)s)</span>',
)
# One message with its words before the term, so the translation writes the space there or none
# (Chinese: none before “).
MEANING = (
    "a term close in meaning, then where it was found in brackets",
    'close in meaning to “%(term)s” <span class="muted">(%(details)s)</span>',
)
BRACKETED = ("a name, then what is said of it in brackets", "%(name)s (%(said)s)")
LIST = ("list separator", ", ")
MATCHES = ("list separator", "; ")
SIMILARITY = "%(details)s, similarity %(similarity)s"
OPTIONAL = ("after a requirement", " (optional)")
VIA = ("after a requirement", " via %(code)s (%(relation)s)")

EXPLANATION = {
    "matches": [
        {"query_field": "title", "candidate_field": "label", "term": "web", "weight": 0.3},
        {"query_field": "title", "candidate_field": "description", "term": "web", "weight": 0.2},
        {
            "query_field": "outcomes",
            "candidate_field": "label",
            "term": "Dynamic Web Design",
            "weight": 0.1,
            "kind": "meaning",
            "similarity": 0.4134,
        },
    ],
    "level": {"code": "R"},
    "strength": {"band": "good", "lexical_rank": 3, "meaning_rank": 5},
}


@pytest.fixture
def stand_ins(chinese_stand_in):
    chinese_stand_in(*MATCH)
    chinese_stand_in(*MEANING)
    chinese_stand_in(*BRACKETED)
    chinese_stand_in(*OPTIONAL)
    chinese_stand_in(None, SIMILARITY)
    chinese_stand_in(*VIA)


@pytest.fixture
def suggestion(client, staff_user) -> Suggestion:
    client.force_login(staff_user)
    return SuggestionFactory(explanation=EXPLANATION, score=0.0331)


def _item(client, suggestion, language: str) -> str:
    url = reverse("suggestions:course-review", args=[suggestion.course_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = html.index(f'id="suggestion-{suggestion.pk}"')
    return html[start : html.index("</li>", start)]


def _expected_matches() -> str:
    """The matches as the active language writes them, through the catalogue."""

    def _(field: str) -> str:
        return translation.pgettext("suggestion explanation field", field)

    web = translation.pgettext(*MATCH) % {
        "term": "web",
        "details": f"{_('title')} → "
        + translation.pgettext(*LIST).join([_("label"), _("description")]),
    }
    meaning = translation.pgettext(*MEANING) % {
        "term": "Dynamic Web Design",
        "details": translation.gettext(SIMILARITY)
        % {"details": f"{_('outcomes')} → {_('label')}", "similarity": "0.41"},
    }
    return f'{web}</span>{translation.pgettext(*MATCHES)}<span class="match">{meaning}'


def _expected_strength() -> str:
    reason = translation.gettext("place %(words)s by shared words, %(meaning)s by meaning") % {
        "words": 3,
        "meaning": 5,
    }
    pill = '<span class="strength strength--good" title="{}" data-strength="good">{}</span>'.format(
        translation.gettext("score %(score)s") % {"score": "0.0331"},
        translation.gettext("Good match"),
    )
    return translation.pgettext(*BRACKETED) % {"name": pill, "said": reason}


def test_in_chinese_a_match_s_brackets_and_separators_are_the_catalogue_s(
    client, suggestion, stand_ins
):
    item = _item(client, suggestion, "zh-hans")
    with translation.override("zh-hans"):
        expected = _expected_matches()
    assert expected in item
    assert "(标题 →" not in item


def test_in_chinese_a_match_close_in_meaning_is_one_message_with_no_space_before_the_quote(
    client, suggestion, stand_ins
):
    """Observed: 意思相近于 “Dynamic Web Design”: the words and the quoted term were two messages
    with the template's space between them."""
    item = _item(client, suggestion, "zh-hans")
    with translation.override("zh-hans"):
        meaning = translation.pgettext(*MEANING)
    term = meaning.index("%(term)s")
    assert meaning[:term] + "Dynamic Web Design" in item


def test_in_chinese_a_suggestion_s_strength_gives_its_reason_in_the_catalogue_s_brackets(
    client, suggestion, stand_ins
):
    item = _item(client, suggestion, "zh-hans")
    with translation.override("zh-hans"):
        expected = _expected_strength()
    assert expected in item


def test_in_english_the_explanation_reads_as_before(client, suggestion):
    item = _item(client, suggestion, "en")
    text = re.sub(r"<[^>]+>", "", item)
    assert (
        "“web” (title → label, description); "
        "close in meaning to “Dynamic Web Design” (outcomes → label, similarity 0.41)"
    ) in text
    assert "Good match (place 3 by shared words, 5 by meaning)" in text
    assert 'title="score 0.0331"' in item


def test_in_chinese_the_targets_requiring_an_ability_are_listed_with_the_catalogue_s_words(
    client, staff_user, stand_ins
):
    """The "Required by" line joined the positions with "; " and wrote "(optional)" and a
    stand-in's relation in half-width brackets."""
    programme, suggestion, _ability, _targets = build_programme_queue()
    client.force_login(staff_user)
    url = reverse("suggestions:programme-review", args=[programme.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    def row(code: str) -> str:
        found = re.search(rf'id="suggestion-{suggestion[code].pk}".*?</li>', html, re.DOTALL)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(0)))

    with translation.override("zh-hans"):
        optional = translation.pgettext(*OPTIONAL)
        separator = translation.pgettext(*MATCHES)
        via = translation.pgettext(*VIA) % {
            "code": "F",
            "relation": str(RELATION_LABELS[RelationType.EXACT_MATCH_OF]),
        }
    assert optional in row("O")
    # E stands in for F through an exact match; A is required by both targets.
    assert via in row("E")
    assert re.search(rf"Analyst \S+ ?{re.escape(separator)}Developer", row("A")), row("A")


def test_in_chinese_a_requirement_s_notes_follow_it_without_a_space(client, staff_user, stand_ins):
    """ "(optional)" and "via …" after a target in the "Required by" line: the space before them
    is the catalogue's (English "Developer missing (optional)"), not the template's, which put
    one before the Chinese full-width brackets of 可选 and before 经由."""
    programme, suggestion, _ability, _targets = build_programme_queue()
    client.force_login(staff_user)
    url = reverse("suggestions:programme-review", args=[programme.pk])

    def needs(language: str, code: str) -> str:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        found = re.search(rf'id="suggestion-{suggestion[code].pk}".*?</li>', html, re.DOTALL)
        line = re.search(r"<p[^>]*data-needs>(.*?)</p>", found.group(0), re.DOTALL).group(1)
        return re.sub(r"<[^>]+>", "", line)

    for language in ("zh-hans", "en"):
        with translation.override(language):
            missing = translation.gettext("missing")
            optional = translation.pgettext(*OPTIONAL)
            via = translation.pgettext(*VIA) % {
                "code": "F",
                "relation": str(RELATION_LABELS[RelationType.EXACT_MATCH_OF]),
            }
        assert f"{missing}{optional}" in needs(language, "O"), language
        assert re.search(rf"\S{re.escape(via)}", needs(language, "E")), (language, via)
    assert "missing (optional)" in needs("en", "O")
    assert re.search(r"\w via F \(", needs("en", "E"))
