"""Course outcomes and job-advert lines read for their level (plain Python, no database): the
lines and their levels, judged before the engine was run on them, are in level_judged_lines.py."""

import pytest

from suggestions.levels import propose_level, propose_requirement_level
from suggestions.tests.level_judged_lines import (
    ADVERT_CHINESE,
    ADVERT_ENGLISH,
    COURSE_CHINESE,
    COURSE_ENGLISH,
)

# Judged lines still misread, left alone (see the rules in outcomes.py): 完成 (carry out, a light
# verb) with a 的-phrase headed by a verb of making asks for that making (M), but the leading
# verb 完成 decides (R); 规范 in 撰写规范的实验报告 is an adjective (standard-conforming), read
# as the noun (a norm) compounded with 撰写, so no verb is read.
_LEFT_ALONE = {"能够完成小型信息系统的设计与实现", "能够撰写规范的实验报告"}


def _marked(lines):
    return [
        pytest.param(*entry, marks=pytest.mark.xfail(strict=True, reason="left alone"))
        if entry[0] in _LEFT_ALONE
        else entry
        for entry in lines
    ]


@pytest.mark.parametrize(("line", "expected", "term"), _marked(COURSE_ENGLISH + COURSE_CHINESE))
def test_a_course_outcome_proposes_the_level_judged_for_it(line, expected, term):
    proposal = propose_level(outcomes=[line], matched_terms=[term])
    read = proposal.code if proposal.rule in ("outcome", "course") else None
    assert read == expected, proposal


@pytest.mark.parametrize(("line", "expected", "term"), ADVERT_ENGLISH + ADVERT_CHINESE)
def test_a_job_advert_line_proposes_the_level_judged_for_it(line, expected, term):
    proposal = propose_requirement_level(lines=[line], matched_terms=[term])
    assert (proposal.code if proposal else None) == expected, proposal
