# ruff: noqa: RUF001  (Chinese text takes full-width colons)
"""The reports `manage.py progression` and `manage.py recommend` print with `--language zh-hans`
hold no English words of the product's own: every English word left is the data's (a code, a
name the record gives only in English, a tool named in a Chinese ability statement) or a
message the catalogue has no translation of yet (the test's stand-in, 〈msgid〉).

Observed on the paper's data: the programme's English name as each report's heading,
"terms: 1, 4; no place in time: …" and "[high]" (progression), the Markdown report's
"Terms: … Findings: 5 high, 1 medium, 0 low." and its English table header, and recommend's
"Cost unit: courses", "(cost 1) closes:" and an ASCII comma between a position and its level."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from core.tests.leaks import ENGLISH_WORD, STAND_IN, data_texts
from curricula.coverage.services import coverage_recompute
from curricula.models import Programme

pytestmark = pytest.mark.django_db

# The new messages, given stand-in translations until the catalogue translates them.
NEW_MESSAGES = [
    "terms: %(terms)s; no place in time: %(unscheduled)s",
    "Terms: %(terms)s. No place in time: %(unscheduled)s. Findings: %(high)d high, "
    "%(medium)d medium, %(low)d low.",
    "Severity",
    "Finding",
    "Reason",
    "(cost %(cost)s) closes:",
    "%(position)s, needs %(level)s",
]


def _english_words(report: str) -> set[str]:
    """The English words the report holds besides the data's and the stand-ins'."""
    text = STAND_IN.sub(" ", report)
    for value in data_texts():
        text = text.replace(value, " ")
    # A command or option quoted as code (`manage.py suggest --all-courses`) is not prose.
    text = re.sub(r"`[^`]*`", " ", text)
    return set(ENGLISH_WORD.findall(text))


def _chinese_name(programme: Programme) -> str:
    with translation.override("zh-hans"):
        name = programme.display_name
    assert name != programme.name
    return name


def _run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, "--language", "zh-hans", stdout=out)
    return out.getvalue()


@pytest.fixture
def programmes(paper, chinese_stand_in):
    for message in NEW_MESSAGES:
        chinese_stand_in(None, message)
    coverage_recompute(force=True)
    return list(Programme.objects.order_by("order"))


def test_the_check_sees_english_prose():
    assert _english_words("覆盖率：Findings: 5 high") == {"Findings", "high"}
    assert _english_words("〈Findings: %(high)d high〉") == set()


@pytest.mark.parametrize("markdown", [False, True])
def test_the_progression_report_in_chinese_has_no_english_of_its_own(programmes, markdown):
    for programme in programmes:
        report = _run("progression", "--program", str(programme.pk), *(["--markdown"] * markdown))
        assert _chinese_name(programme) in report
        assert _english_words(report) == set(), (programme.pk, report)


def test_the_recommendation_report_in_chinese_has_no_english_of_its_own(programmes):
    for programme in programmes:
        report = _run("recommend", "--program", str(programme.pk))
        assert _chinese_name(programme) in report
        assert _english_words(report) == set(), (programme.pk, report)
