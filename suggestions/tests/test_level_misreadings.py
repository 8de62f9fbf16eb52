# ruff: noqa: RUF001  (Chinese outcomes take full-width punctuation)
"""Level proposals that misread a course's outcomes, each observed by hand (plain Python, no
database): "Introductory" at the start of a line read as a verb; "familiar" and 熟悉, the same
tier word, proposing different levels; 设计模式的应用 (the application of design patterns, a
noun phrase) read as the verb 应用; the 设计 of 设计模式 blanked from what is matched."""

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.outcomes import bloom_verbs, leading_verb, subject_text
from suggestions.levels import propose_level

WORDS_ONLY = Settings(semantic_model=None)


# --- "Introductory" is a degree (or a course's kind), not the verb "introduce" ----------------


@pytest.mark.parametrize(
    "line", ["Introductory programming in Python", "Introductory topics: variables and loops"]
)
def test_introductory_at_the_start_of_a_line_is_no_verb(line):
    """Observed: "Introductory programming in Python" proposed I, “introductory” quoted as the
    outcome's verb, and "Introductory" was blanked from what is matched as if a template verb."""
    assert leading_verb(line) is None
    assert bloom_verbs(line) == ()
    assert subject_text(line) == line
    proposal = propose_level(outcomes=[line], matched_terms=["programming", "python", "loops"])
    assert proposal.verb != "introductory"
    assert proposal.rule != "outcome"


def test_introductory_still_moves_the_verb_after_it():
    """It stays a degree: "an introductory knowledge of" is one tier down from "knowledge", and
    quoted once, not also as a verb of its own."""
    assert bloom_verbs("An introductory understanding of networks") == (
        ("introductory understanding", "I"),
    )
    proposal = propose_level(outcomes=["Gain an introductory knowledge of networks"])
    assert (proposal.code, proposal.verb) == ("I", "introductory knowledge")
    assert propose_level(outcomes=["Introduce the main network tools"]).verb == "introduce"


# --- "familiar" and 熟悉: one tier word, one level --------------------------------------------


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Be familiar with network protocols", "熟悉网络协议"),
        ("Familiarity with network protocols", "熟悉网络协议的基本原理"),
        ("Students will be able to be familiar with SQL", "学生能够熟悉SQL"),
    ],
)
def test_familiar_proposes_the_level_of_its_chinese_tier_word(english, chinese):
    """Observed: "Be familiar with network protocols" proposed I, "熟悉网络协议" R. The rule the
    code documents for syllabus tiers (outcomes.py): a syllabus grades its outcomes
    了解 < 熟悉/理解 < 掌握 (aware of < familiar with < master), and the three tiers are the
    three levels; "familiar" is no verb of Bloom's lists but the English of that middle tier
    (above "aware", which stays I), so both are R."""
    en, zh = propose_level(outcomes=[english]), propose_level(outcomes=[chinese])
    assert en.code == zh.code == "R"
    assert propose_level(outcomes=["Be aware of network protocols"]).code == "I"


# --- 设计模式的应用: a noun phrase, no verb ---------------------------------------------------


@pytest.mark.parametrize("line", ["设计模式的应用", "數據庫的設計", "算法的设计与分析"])
def test_a_chinese_verb_after_de_heads_a_noun_phrase(line):
    """Observed: 设计模式的应用 (the application of design patterns) proposed R, quoting 应用 as
    its verb. After 的 a verb is the head of a noun phrase (X的应用, X的设计, X的分析), not a
    doing asked of the student."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None
    proposal = propose_level(outcomes=[line], matched_terms=["设计模式", "数据库", "算法"])
    assert proposal.rule != "outcome"


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("了解软件工程，设计模式的应用", "I", "了解"),
        ("掌握设计模式的应用", "M", "掌握"),
        # 的 written for 地 after a degree or an adverb, as syllabi often do: still a verb.
        ("能够熟练的应用开发工具", "R", "应用"),
        ("全面的了解网络协议", "I", "了解"),
        ("设计数据库", "M", "设计"),
    ],
)
def test_a_verb_of_the_line_is_read_as_before(line, code, verb):
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.verb) == (code, verb)


# --- what is matched keeps 设计模式 whole -----------------------------------------------------


def test_matching_keeps_the_design_of_design_patterns():
    """Observed: an outcome 设计模式的应用 was matched as "  模式的应用", its leading 设计
    blanked as if the verb of the line, so the explanation could not quote 设计模式 and an
    ability on design patterns shared only 模式 with it."""
    assert subject_text("设计模式的应用") == "设计模式的应用"
    assert subject_text("设计模式与架构") == "设计模式与架构"
    # A verb of the line is still blanked: 设计 before its object.
    assert subject_text("设计数据库") == "  数据库"
    index = build_index(
        [Candidate("patterns", {"label": "设计模式"}), Candidate("other", {"label": "数据库模式"})],
        settings=WORDS_ONLY,
    )
    hits = index.rank(Query({"outcomes": "设计模式的应用"}))
    assert hits[0].id == "patterns"
    assert "设计模式" in {m.term_or_phrase for m in hits[0].explanation}


# --- "Master" naming a degree is no verb ------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Master's degree in computer science required.",
        "A masters degree in data science or a related field",
        "Master of Science in Informatics or equivalent",
        "Masters in Business Administration (MBA) preferred",
        "Bachelor or Master degree in statistics",
        "Bachelor/Master in e-commerce",
        "Master’s students take this course in their first term",
        "You will be the master of our data platform",
    ],
)
def test_master_naming_a_degree_is_no_verb(line):
    """Observed: a job advert's "Master's degree in computer science required." proposed M, its
    "master" read as the verb (as the paper's "(Research and development, Master)" was): every
    position asking for a degree got its requirements proposed at the deepest level."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None
    proposal = propose_level(outcomes=[line], matched_terms=["data", "statistics", "e-commerce"])
    assert proposal.verb is None or "master" not in proposal.verb


@pytest.mark.parametrize(
    ("line", "verbs"),
    [
        ("Candidates should master SQL.", (("master", "M"),)),
        ("Master the use of Excel", (("master", "M"), ("use", "R"))),
        ("Thoroughly master statistical methods", (("thoroughly master", "M"),)),
        ("Masters students will master regression", (("master", "M"),)),
    ],
)
def test_master_the_verb_is_read_as_before(line, verbs):
    assert bloom_verbs(line) == verbs


# --- a past participle before a noun describes it -------------------------------------------


@pytest.mark.parametrize(
    ("line", "participle"),
    [
        ("Excellent written and verbal communication", "written"),
        ("Strong written English", "written"),
        ("Experience with applied machine learning", "applied"),
        ("Degree in applied statistics or a related field", "applied"),
        ("Highly developed interpersonal abilities", "developed"),
        ("Well-written documentation", "written"),
    ],
)
def test_a_participle_before_a_noun_is_no_verb(line, participle):
    """Observed: "Excellent written and verbal communication" proposed R, "written" read as the
    verb "write"; "Degree in applied statistics" R for "applied". A past participle before a
    noun (or joined to an adjective before one) describes the noun, as an adjective does: no
    doing is asked. ("Communication", a noun made from a verb, is read as before.)"""
    assert participle not in [v for v, _level in bloom_verbs(line)]
    assert leading_verb(line) is None


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("Reports are written in English", "written"),
        ("Models developed by the students", "developed"),
        ("We designed and built the platform", "designed"),
        ("Produce written reports", "produce"),
        ("Applied statistics to analyse data", "applied"),
    ],
)
def test_a_participle_after_a_verb_s_word_or_before_a_preposition_is_the_verb(line, verb):
    """Guard: "are written", "we designed", "developed by" are verbs; a participle starting a
    line is read as before (a past tense with its object as often as a field's name)."""
    assert verb in [v for v, _level in bloom_verbs(line)]


def test_applied_statistics_in_an_outcome_is_read_by_its_leading_verb_as_before():
    proposal = propose_level(
        outcomes=["Understand the fundamentals of applied statistics"], matched_terms=["statistics"]
    )
    assert (proposal.code, proposal.verb) == ("I", "understand")
    proposal = propose_level(outcomes=["Use applied statistics to evaluate designs"])
    assert (proposal.code, proposal.verb) == ("R", "use")


# --- a gerund before what one has names it ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Planning and design skills",
        "Strong planning and design skills",
        "Excellent planning skills",
        "Good writing and communication skills",
    ],
)
def test_a_gerund_naming_a_skill_is_no_verb(line):
    """Observed: "Planning and design skills" proposed M for "planning": a gerund joined to a
    noun before "skills" ("design skills") is a noun as that one is, and after an adjective
    ("strong planning skills") names the skill, as "design skills" already did."""
    assert bloom_verbs(line) == ()


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("Planning and designing a field study", "planning"),
        ("Developing and leading teams", "developing"),
        ("Experience developing skills assessments", "developing"),
        ("Develop skills in team leadership", "develop"),
    ],
)
def test_a_gerund_doing_something_is_the_doing(line, verb):
    assert verb in [v for v, _level in bloom_verbs(line)]


# --- 系统的设计: the design of a system ------------------------------------------------------


@pytest.mark.parametrize("line", ["系统的设计与实现", "系統的設計與實現", "信息系统的开发"])
def test_a_verb_of_making_after_xitong_de_heads_a_noun_phrase(line):
    """Observed: 系统的设计与实现 (the design and implementation of a system, a topic) proposed
    M: 系统 was read as the adverb 系统(地), 的 written for 地. Before 的 and a verb of making,
    系统 is the noun, what is designed, as 数据库的设计 is."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("系统的掌握电路分析的基本方法", "M", "掌握"),
        ("系统的了解电子商务的发展历程", "I", "了解"),
        ("系统地分析企业的经营问题", "R", "分析"),
        ("负责系统的设计与实现", "M", "设计"),
        ("了解系统的设计与实现过程", "I", "了解"),
    ],
)
def test_xitong_before_a_verb_of_knowing_is_still_an_adverb(line, code, verb):
    """Guard: before a verb of knowing 系统的 is 系统地 (a system knows nothing); after a duty's
    verb (负责) the noun phrase's head is the duty, as before."""
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.verb) == (code, verb)
