"""Outcomes as a real cross-border e-commerce programme's syllabi write them: numbered by the
syllabus's own labels ("课程目标1：", "（一）", "LO2."), in the verbs of doing Chinese syllabi use
(完成, 撰写). Plain Python, no database."""  # noqa: RUF002

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.outcomes import leading_verb, subject_text
from suggestions.engine.text import analyse, quote
from suggestions.levels import propose_level

WORDS_ONLY = Settings(semantic_model=None)


# --- The label a syllabus numbers its outcomes with -------------------------------------------


@pytest.mark.parametrize(
    ("line", "verb", "subject"),
    [
        ("课程目标1：了解跨境电商的发展历程", "了解", {"跨境", "电商", "发展", "历程"}),  # noqa: RUF001
        ("课程目标2: 掌握选品与Listing优化方法", "掌握", {"选品", "list", "优化", "方法"}),
        ("目标3：能够分析海外市场", "分析", {"海外", "市场"}),  # noqa: RUF001
        # An engineering-accreditation syllabus names the graduation requirement it serves.
        (
            "课程目标1（支撑毕业要求2.1）：掌握国际贸易术语",  # noqa: RUF001
            "掌握",
            {"国际", "贸易", "国际贸易", "术语"},
        ),
        ("（一）了解国际物流的主要方式", "了解", {"国际", "物流", "方式"}),  # noqa: RUF001
        ("一、了解国际物流的主要方式", "了解", {"国际", "物流", "方式"}),
        ("1）了解国际物流的主要方式", "了解", {"国际", "物流", "方式"}),  # noqa: RUF001
        ("CO1: Explain the modes of international logistics", "explain", None),
        ("LO2. Apply keyword research to product listings", "apply", None),
        ("ILO 3: Identify the risks of overseas markets", "identify", None),
    ],
)
def test_an_outcome_s_own_label_is_template_not_subject(line, verb, subject):
    """Observed on a cross-border e-commerce catalogue: outcomes numbered as syllabi number
    them ("课程目标1：了解…", "LO2. Apply…", "（一）", "1）") kept their label and leading verb in
    what is matched: 课程, 目标 and 课程目标 (every syllabus's heading), the graduation
    requirement's 毕业 and 要求, and the Bloom verb itself ("explain", "apply") became terms,
    which "1. Explain…" never does."""  # noqa: RUF002
    lead = leading_verb(line)
    assert lead is not None
    assert lead.verb.lower() == verb
    keys = {t.key for t in analyse(subject_text(line), phrases=False)}
    assert not keys & {"课程", "目标", "课程目标", "毕业", "要求", "支撑", "2.1"}
    assert not keys & {"explain", "appli", "identifi", "co1", "lo2", "ilo"}
    if subject is not None:
        assert subject <= keys


def test_a_word_that_starts_like_a_label_is_subject():
    """A line about CO2 or a target market keeps its words: only a label closed by its
    punctuation (CO1:, 目标3：) is one."""  # noqa: RUF002
    keys = {t.key for t in analyse(subject_text("CO2 emissions of air freight"), phrases=False)}
    assert {"co2", "emiss", "freight"} <= keys
    keys = {t.key for t in analyse(subject_text("目标市场的选择与进入"), phrases=False)}
    assert "目标" in keys or "目标市场" in keys


@pytest.mark.parametrize("settings", [WORDS_ONLY, Settings()], ids=["words", "fused"])
def test_a_labelled_outcome_s_verb_alone_suggests_nothing(settings):
    """The ranking, as for "1. Explain…": a course sharing only the label's verb with an
    ability is not suggested it."""
    index = build_index(
        [
            Candidate("explain", {"label": "explain technical details to clients"}),
            Candidate("goal", {"label": "制定课程目标"}),
        ],
        settings=settings,
    )
    hits = index.rank(
        Query({"outcomes": "LO1: Explain the history of trade\n课程目标2：了解跨境支付"}),  # noqa: RUF001
    )
    assert [hit.id for hit in hits] == []


# --- The verbs of doing that Chinese syllabi write -----------------------------------------------


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        # 独立 moves a verb of doing a tier up: what the brief of a syllabus calls mastery.
        ("③能够独立完成进出口业务单证的缮制", "M", "独立完成"),
        ("能够独立完成电商销售数据的可视化分析报告", "M", "独立完成"),
        ("能够撰写跨境电商商业计划书", "R", "撰写"),
        # Parity with the English verbs of the same tier.
        ("Be able to write a business plan", "R", "write"),
    ],
)
def test_a_chinese_verb_of_doing_proposes_its_level(line, code, verb):
    """Observed: "③能够独立完成进出口业务单证的缮制" proposed no level of its own (完成 was no
    Bloom verb, though "carry out" is R and 独立 moves a verb to M), so the course's other
    outcome ("掌握国际贸易术语") was quoted as the reason for an import-export ability; 撰写
    likewise, where "write" is R."""
    matched = ["进出口", "电商", "business plan"]
    proposal = propose_level(outcomes=[line], matched_terms=matched)
    assert (proposal.rule, proposal.code, proposal.verb) == ("outcome", code, verb)


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("完成本课程学习后，学生能够了解跨境电商的基本流程", "I", "了解"),  # noqa: RUF001
        ("学完本课程，学生应掌握国际贸易术语", "M", "掌握"),  # noqa: RUF001
    ],
)
def test_completing_the_course_is_template_not_a_verb(line, code, verb):
    """完成 as a verb of doing is not the "after completing this course" a template opens
    with, as "On completion of this course," is not."""
    proposal = propose_level(outcomes=[line], matched_terms=["跨境", "贸易"])
    assert (proposal.code, proposal.verb) == (code, verb)
    assert "完成" not in {t.key for t in analyse(subject_text(line), phrases=False)}


# --- Quotes cut short -------------------------------------------------------------------------


def test_a_long_outcome_is_quoted_to_the_end_of_a_word():
    """Observed: the reason for a level quoted a long outcome cut in the middle of a word
    ("… including overseas wareh…"); a quote cut short ends after a whole word, a Chinese one
    anywhere (its characters are its words)."""
    for pad in range(10):  # the cut falls between words, or inside one
        line = (
            "Critically evaluate the logistics strategies of cross-border e-commerce firms, "
            + "x" * pad
            + " including overseas warehouses, FBA inbound shipping and dropshipping models"
        )
        proposal = propose_level(outcomes=[line], matched_terms=["logistics"])
        kept = proposal.line.removesuffix("…").rstrip()
        assert proposal.line.endswith("…")
        assert line.startswith(kept)
        assert not line[len(kept)].isalnum(), proposal.line
        assert len(proposal.line) <= 90
    chinese = "熟练运用" + "跨境电商物流与海外仓的运作模式" * 8
    quoted = propose_level(outcomes=[chinese], matched_terms=["物流"]).line
    assert len(quoted) == 90
    assert chinese.startswith(quoted.removesuffix("…"))


def test_a_long_sentence_close_in_meaning_is_quoted_to_the_end_of_a_word():
    """The same for the engine's quotes (a line close in meaning, a long term)."""
    for pad in range(10):
        sentence = "x" * pad + " overseas warehouses" * 12
        quoted = quote(sentence)
        kept = quoted.removesuffix("…")
        assert quoted.endswith("…")
        assert kept.endswith(("overseas", "warehouses")), quoted
        assert len(quoted) <= 200


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("1.1 了解国际物流的主要方式", "了解"),
        ("2.3掌握海外仓的选址方法", "掌握"),
        ("⑴了解国际物流的主要方式", "了解"),
        ("⒉掌握海外仓的选址方法", "掌握"),
    ],
)
def test_a_sub_numbered_outcome_s_number_is_template(line, verb):
    """Observed: outcomes numbered by part and item ("1.1 了解…", as a syllabus numbers the
    items under its 课程目标1) or by the bracketed and dotted number characters (⑴, ⒉) had no
    leading verb, and "1.1" was a term of what is matched."""
    lead = leading_verb(line)
    assert lead is not None
    assert lead.verb == verb
    keys = {t.key for t in analyse(subject_text(line), phrases=False)}
    assert not keys & {"1.1", "2.3"}
    assert keys & {"物流", "海外"}
