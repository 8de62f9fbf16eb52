# ruff: noqa: RUF001  (Chinese lines take full-width punctuation)
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


@pytest.mark.parametrize(("line", "expected", "term"), COURSE_ENGLISH + COURSE_CHINESE)
def test_a_course_outcome_proposes_the_level_judged_for_it(line, expected, term):
    proposal = propose_level(outcomes=[line], matched_terms=[term])
    read = proposal.code if proposal.rule in ("outcome", "course") else None
    assert read == expected, proposal


@pytest.mark.parametrize(("line", "expected", "term"), ADVERT_ENGLISH + ADVERT_CHINESE)
def test_a_job_advert_line_proposes_the_level_judged_for_it(line, expected, term):
    proposal = propose_requirement_level(lines=[line], matched_terms=[term])
    assert (proposal.code if proposal else None) == expected, proposal
