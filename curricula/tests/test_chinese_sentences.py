# ruff: noqa: RUF002  (Chinese text takes full-width commas and stops)
"""Sentences a page writes one after another in Chinese: joined by the catalogue's "%(sentence)s
%(next)s" (Chinese writes no space after 。), not by the template's whitespace. Before, the
progression read "…CBE104。 依赖先后顺序的发现不包括这些课程。" and "只入门，从未强化或掌握。 只有
CBE101…", and the map's paste preview put a space between each of its sentences.

`chinese_stand_in` gives the messages a stand-in translation should the catalogue have none; the
expected text is computed through the catalogue."""

import html as html_module
import re

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.coverage.services import coverage_recompute
from curricula.models import Programme
from curricula.tests.test_map_views import _linker, workspace  # noqa: F401
from curricula.views.maps import PERMISSION_NEEDS

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
SENTENCES = ("two sentences, one after the other", "%(sentence)s %(next)s")
SEPARATOR = ("list separator", ", ")
FULL_STOP = ("end of a sentence", ".")
LABELLED = "%(label)s: %(value)s"


@pytest.fixture
def chinese(chinese_stand_in):
    chinese_stand_in(*SENTENCES)
    chinese_stand_in(*SEPARATOR)
    chinese_stand_in(*FULL_STOP)
    with translation.override("zh-hans"):
        assert translation.pgettext(*SENTENCES) != SENTENCES[1]


def _sentences(*parts: str) -> str:
    """The parts one after another, as the active language joins sentences."""
    joined = parts[0]
    for part in parts[1:]:
        joined = translation.pgettext(*SENTENCES) % {"sentence": joined, "next": part}
    return joined


def _text(html: str) -> str:
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


@pytest.fixture
def programme(paper) -> Programme:
    coverage_recompute(force=True)
    # The paper's first programme: four courses without a term, findings.
    return Programme.objects.order_by("order").first()


def _progression_expectations() -> tuple[str, str]:
    _ = translation.gettext
    unscheduled = _(LABELLED) % {
        "label": _("No term and no training stage, so their place in time is unknown"),
        "value": translation.pgettext(*SEPARATOR).join(["CBE101", "CBE102", "CBE103", "CBE104"]),
    }
    stop = translation.pgettext(*FULL_STOP)
    notice = _sentences(unscheduled + stop, _("Findings that depend on the order leave them out."))
    head = translation.pgettext(*SENTENCES).partition("%(next)s")[0]
    finding = head % {"sentence": _("Introduced, never reinforced or mastered") + stop}
    return notice, finding


def test_the_progression_s_sentences_are_joined_as_the_language_joins_them(
    client, programme, chinese
):
    text = _text(client.get(reverse("curricula:programme-detail", args=[programme.pk]), **ZH).text)
    with translation.override("zh-hans"):
        notice, finding = _progression_expectations()
    assert notice in text
    assert finding in text


def test_in_english_the_progression_s_sentences_are_separated_by_a_space(client, programme):
    text = _text(client.get(reverse("curricula:programme-detail", args=[programme.pk])).text)
    notice, finding = _progression_expectations()
    assert notice == (
        "No term and no training stage, so their place in time is unknown: "
        "CBE101, CBE102, CBE103, CBE104. Findings that depend on the order leave them out."
    )
    assert notice in text
    assert f"{finding}Only CBE101, CBE104" in text


def _preview(client, workspace, **headers) -> str:  # noqa: F811
    programme, abilities, courses = (
        workspace["programme"],
        workspace["abilities"],
        workspace["courses"],
    )
    taught = f"{courses['DAT1'].pk}:{abilities['D1'].pk}"  # R: a clear the editor may not make
    empty = f"{courses['DAT2'].pk}:{abilities['D1'].pk}"
    block = {f"cell:{taught}": "", f"base:{taught}": "R", f"cell:{empty}": "I", f"base:{empty}": ""}
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {**block, "preview": "1", "outside": "2"},
        headers={"X-Map-Editor": "1", **headers},
    )
    assert response.status_code == 200
    return _text(response.content.decode())


def _preview_expectation() -> str:
    _ = translation.gettext
    return _sentences(
        _(LABELLED)
        % {
            "label": translation.ngettext(
                "%(counter)s cell would change", "%(counter)s cells would change", 1
            )
            % {"counter": 1},
            "value": _(
                "%(created)s new, %(changed)s changed, %(cleared)s cleared; "
                "%(same)s already as pasted."
            )
            % {"created": 1, "changed": 0, "cleared": 0, "same": 0},
        },
        translation.ngettext(
            "%(counter)s pasted value fell outside the map and is left out.",
            "%(counter)s pasted values fell outside the map and are left out.",
            2,
        )
        % {"counter": 2},
        translation.ngettext(
            "%(counter)s cell is left as it is, not cleared.",
            "%(counter)s cells are left as they are, not cleared.",
            1,
        )
        % {"counter": 1},
        str(PERMISSION_NEEDS["curricula.delete_courseability"]),
    )


def test_the_paste_preview_s_sentences_are_joined_as_the_language_joins_them(
    django_user_model,
    workspace,  # noqa: F811
    chinese,
):
    text = _preview(_linker(django_user_model), workspace, **{"Accept-Language": "zh-hans"})
    with translation.override("zh-hans"):
        expected = _preview_expectation()
    assert expected in text, text


def test_in_english_the_paste_preview_s_sentences_are_separated_by_a_space(
    django_user_model,
    workspace,  # noqa: F811
):
    text = _preview(_linker(django_user_model), workspace)
    expected = _preview_expectation()
    assert expected.startswith(
        "1 cell would change: 1 new, 0 changed, 0 cleared; 0 already as pasted. "
        "2 pasted values fell outside the map and are left out. 1 cell is left as it is"
    )
    assert expected in text


# --- What a designer reads on the programme and decision pages (before: "证明最优。 4 项核心差距",
# "关联到这些能力。 培养方案之外", "培养深度。 用方向键", "匹配的课程。 显示全部课程",
# "筛选条件的内容。 清除筛选": the template's whitespace between a sentence and the next, or the
# link after it). Only the sentences are checked, as the catalogue gives them.


def _designer(client, staff_user):
    client.force_login(staff_user)
    return client


def _page_text(client, url: str) -> str:
    return _text(client.get(url, **ZH).content.decode())


def _zh(message: str, **values) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def _decide_text(client, **headers) -> str:
    """The decision page of the first paper programme whose answer is proven optimal and which
    has gaps no catalogue course closes (both paragraphs are then on it)."""
    for programme in Programme.objects.order_by("order"):
        url = reverse("curricula:programme-decide", args=[programme.pk])
        text = _text(client.get(url, **headers).content.decode())
        if ("证明最优" in text or "Proven optimal" in text) and (
            "关联到这些能力" in text or "linked to these abilities" in text
        ):
            return text
    raise AssertionError("no paper programme's decision page has both")


def test_the_decision_page_s_sentences_follow_one_another_as_chinese_writes_them(
    client, programme, staff_user
):
    text = _decide_text(_designer(client, staff_user), **ZH)
    proven = re.search(r"证明最优。(\s*)(\d+ 项核心差距|全部核心差距)", text)
    assert proven, text
    assert proven[1] == ""
    none_linked = _zh(
        "No course in the catalogue is linked to these abilities at the level required."
    )
    outside = _zh(
        "A catalogue course outside the programme is recommended only once it is linked to the "
        "ability: link one to it, or generate suggestions for the catalogue's courses, review them "
        "(Review suggested links on each course's page) and accept those that fit. If no course "
        "teaches it, the programme needs a new course."
    )
    assert none_linked + outside + _zh("Link a course to an ability") in text


def test_the_map_s_sentences_and_links_follow_one_another_as_chinese_writes_them(
    client, programme, staff_user
):
    designer = _designer(client, staff_user)
    url = reverse("curricula:programme-detail", args=[programme.pk])
    intro = _page_text(designer, url)
    assert (
        _zh(
            "Rows are the abilities the target positions require, grouped by competency area; "
            "columns are the programme's courses, grouped by module. A cell shows how deeply the "
            "course builds the ability."
        )
        + _zh(
            "Move through the cells with the arrow keys and press Enter to see where a level "
            "comes from."
        )
    ) in intro
    no_course = _page_text(designer, f"{url}?courses=zzzz")
    assert (
        _zh("No course of this programme matches “%(words)s”.", words="zzzz")
        + _zh("Find every course")
    ) in no_course
    nothing = _page_text(designer, f"{url}?q=zzzz")
    assert _zh("Nothing in the map matches these filters.") + _zh("Clear filters") in nothing


def test_in_english_those_sentences_and_links_keep_their_space(client, programme, staff_user):
    designer = _designer(client, staff_user)
    decide = _decide_text(designer)
    assert re.search(
        r"candidate courses?\. (\d+ of \d+ essential gaps|Every essential gap) closed", decide
    )
    assert "at the level required. A catalogue course outside" in decide
    assert "needs a new course. Link a course to an ability" in decide
    url = reverse("curricula:programme-detail", args=[programme.pk])
    intro = _text(designer.get(url).content.decode())
    assert "builds the ability. Move through the cells" in intro
    no_course = _text(designer.get(f"{url}?courses=zzzz").content.decode())
    assert "matches “zzzz”. Find every course" in no_course
    nothing = _text(designer.get(f"{url}?q=zzzz").content.decode())
    assert "matches these filters. Clear filters" in nothing
