"""A level's reason that no verb decided (the course's strongest outcome, its training stage, or
the default) says what was looked for: a Bloom verb or a Chinese syllabus tier verb (了解, 理解,
掌握), as the review page, the API and the stored sentence word it, in both languages. Observed:
"no Bloom verb in the outcomes" where a 了解, 理解 or 掌握 would have decided too."""

import pytest
from django.utils import translation

from suggestions.levels import propose_level
from suggestions.reasons import level_reason

BOTH = "Bloom verb or Chinese syllabus tier verb"
COURSE_BLOOM = (
    "%(code)s: no outcome naming this ability has a Bloom verb or Chinese syllabus tier verb; "
    "the course's strongest outcome verb is “%(verb)s” in “%(line)s” (Bloom's taxonomy)."
)
COURSE_TIERS = (
    "%(code)s: no outcome naming this ability has a Bloom verb or Chinese syllabus tier verb; "
    "the course's strongest outcome verb is “%(verb)s” in “%(line)s” (the Chinese syllabus "
    "tiers: 了解 %(low)s < 理解 %(middle)s < 掌握 %(high)s)."
)
STAGE = (
    "%(code)s: no Bloom verb or Chinese syllabus tier verb in the outcomes; the course is in "
    "training stage “%(stage)s”, %(place)s of %(count)s."
)
DEFAULT = (
    "%(code)s: no Bloom verb or Chinese syllabus tier verb in the outcomes and no training stage."
)


@pytest.fixture(autouse=True)
def _stand_ins(chinese_stand_in):
    for message in (COURSE_BLOOM, COURSE_TIERS, STAGE, DEFAULT):
        chinese_stand_in(None, message)


def _course(verb: str) -> dict:
    return {"code": "M", "rule": "course", "verb": verb, "line": f"{verb} it", "reason": ""}


LEVELS = [
    (_course("design"), COURSE_BLOOM),
    (_course("掌握"), COURSE_TIERS),
    ({"code": "R", "rule": "stage", "stage": "Practice", "place": 2, "count": 3}, STAGE),
    ({"code": "I", "rule": "default"}, DEFAULT),
]


@pytest.mark.parametrize(("level", "message"), LEVELS)
def test_the_page_and_the_api_say_both_scales_were_looked_for(level, message):
    parts = {"place": 0, "count": 0, "stage": "", "verb": "", "line": "", **level}
    parts.update(low="I", middle="R", high="M")
    assert level_reason(level) == message % parts
    with translation.override("zh-hans"):
        assert level_reason(level) == translation.gettext(message) % parts


def test_the_stored_sentences_say_so_too():
    stored = [
        propose_level(outcomes=["掌握护理评估"], matched_terms=["epidemiology"]),
        propose_level(outcomes=["Design a schema"], matched_terms=["epidemiology"]),
        propose_level(outcomes=["Nursing"], matched_terms=["x"], stage_position=(2, 3)),
        propose_level(outcomes=["Nursing"], matched_terms=["x"]),
    ]
    assert [proposal.rule for proposal in stored] == ["course", "course", "stage", "default"]
    for proposal in stored:
        assert BOTH in proposal.reason, proposal.reason
