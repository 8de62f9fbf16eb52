"""How the engine and the level proposal read a course's outcomes and curriculum words, and how
strongly the engine says it stands by each suggestion (plain Python, no database)."""

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.explain import agreement_depth
from suggestions.engine.outcomes import bloom_verbs, leading_verb, subject_text
from suggestions.engine.text import analyse
from suggestions.levels import propose_level, propose_requirement_level

WORDS_ONLY = Settings(semantic_model=None)


def _suggested(index, **fields) -> list:
    return [hit.id for hit in index.rank(Query(fields))]


# --- Template words of learning outcomes are not subject terms ---------------------------------


@pytest.mark.parametrize("settings", [WORDS_ONLY, Settings()], ids=["words", "fused"])
def test_an_outcome_template_verb_alone_suggests_nothing(settings):
    """Observed: a course whose outcomes all start "Students will be able to identify ..." or
    "Identify ..." was suggested every ability that identifies something, sharing only the
    verb; likewise 了解 in Chinese outcomes."""
    index = build_index(
        [
            Candidate("hazards", {"label": "identify hazards on construction sites"}),
            Candidate("counsel", {"label": "counsel students about careers"}),
            Candidate("chain", {"label": "manage the supply chain"}),
            Candidate("需求", {"label": "了解客户需求"}),
        ],
        settings=settings,
    )
    outcomes = (
        "By the end of this course, students will be able to:\n"
        "1. identify the parts of a supply chain\n"
        "2. Identify and describe inventory costs\n"
        "3. 了解供应链的组成"
    )
    assert _suggested(index, outcomes=outcomes) == ["chain"]
    # The same words are still matched outside the outcomes, and a verb in the middle of an
    # outcome is part of what it is about.
    assert "hazards" in _suggested(index, description="Identify hazards early.")
    assert "hazards" in _suggested(index, outcomes="Reduce accidents: identify hazards on sites")


def test_the_subject_of_an_outcome_keeps_its_place_and_is_quoted_as_written():
    text = "Students will be able to identify the Supply Chain; 了解供应链"
    subject = subject_text(text)
    assert len(subject) == len(text)
    assert subject.split() == ["the", "Supply", "Chain;", "供应链"]
    index = build_index([Candidate(1, {"label": "supply chain"})], settings=WORDS_ONLY)
    (hit,) = index.rank(Query({"outcomes": text}))
    assert "Supply Chain" in {m.term_or_phrase for m in hit.explanation}


def test_a_topic_line_that_starts_with_a_verb_made_noun_keeps_it():
    # "Management accounting" is what the course is about, not a template verb.
    assert subject_text("Management accounting principles") == "Management accounting principles"
    assert subject_text("会计基础") == "会计基础"  # 会 of 会计 is not the modal 会
    assert subject_text("能源管理") == "能源管理"


# --- Curriculum compounds stay whole ----------------------------------------------------------


def test_a_graduation_project_is_not_about_design():
    """Observed: 毕业设计 (graduation project) was suggested design abilities (设计): jieba's
    search mode split it into 毕业 and 设计; likewise 课程设计, 毕业论文, 生产实习."""
    for compound, part in [
        ("毕业设计", "设计"),
        ("毕业论文", "论文"),
        ("课程设计", "设计"),
        ("生产实习", "生产"),
        ("认识实习", "认识"),
    ]:
        keys = [t.key for t in analyse(compound)]
        assert compound in keys
        assert part not in keys
    index = build_index(
        [
            Candidate("design", {"label": "设计网站界面"}),
            Candidate("production", {"label": "安排生产计划"}),
            Candidate("se", {"label": "软件工程项目管理"}),
        ]
    )
    assert _suggested(index, title="毕业设计") == []
    assert _suggested(index, title="生产实习") == []
    assert _suggested(index, title="软件工程课程设计") == ["se"]
    # Outside a compound, 设计 is still a subject.
    assert _suggested(index, title="网站设计") == ["design"]


def test_a_curriculum_compound_gives_no_bloom_verb():
    assert leading_verb("认识实习") is None
    assert propose_level(outcomes=["课程设计"]).rule == "default"
    # 完成 (carry out) is a verb of doing, R; the 设计 of 课程设计 still is none (M).
    proposal = propose_level(outcomes=["完成课程设计"])
    assert (proposal.code, proposal.verb) == ("R", "完成")


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("capstone project", ["project"]),
        ("Final-year projects", ["project", "year"]),
        ("graduation thesis", ["graduat"]),
        ("master's thesis", ["master'", "master"]),
        ("course design", ["design", "cours"]),
        ("term paper", ["paper"]),
        ("work placement", ["work", "placement"]),
        ("production internship", ["product"]),
        ("lab sessions", ["lab", "session"]),
        ("practical training", ["train", "practic"]),
    ],
)
def test_an_english_curriculum_compound_stays_whole(compound, parts):
    """Observed: "capstone project" (a kind of course, as 毕业设计 is) suggested
    project-management abilities: its words were matched apart. An English curriculum compound
    is one term, as a Chinese one is, whatever its case, hyphens or plural."""
    keys = [t.key for t in analyse(compound)]
    assert len(keys) == 1
    assert not set(parts) & set(keys)
    assert keys == [t.key for t in analyse(compound.upper().replace("-", " "))]


@pytest.mark.parametrize("settings", [WORDS_ONLY, Settings()], ids=["words", "fused"])
def test_a_capstone_project_is_not_about_project_management(settings):
    """Neither by its words nor by its meaning: the model reads a query without its curriculum
    compounds, as it reads none of a Chinese one."""
    index = build_index(
        [
            Candidate("pm", {"label": "manage projects"}),
            Candidate("design", {"label": "design websites"}),
            Candidate("placement", {"label": "supervise work placements"}),
            Candidate("data", {"label": "analyse sales data"}),
        ],
        settings=settings,
    )
    assert _suggested(index, title="Capstone project") == []
    assert _suggested(index, title="Course design") == []
    assert _suggested(index, title="Capstone project: sales data") == ["data"]
    # It still matches a text that names it, and outside a compound its words are subjects.
    assert _suggested(index, title="Work placement") == ["placement"]
    assert {"design", "pm"} <= set(_suggested(index, title="Web design project"))


@pytest.mark.parametrize(
    "line", ["Practical training in logistics", "Complete the course design of a web shop"]
)
def test_an_english_curriculum_compound_gives_no_bloom_verb(line):
    """ "practical" and "design" of a compound are no Bloom verbs (R and M)."""
    proposal = propose_level(outcomes=[line])
    assert proposal.verb not in {"practical", "design"}
    assert leading_verb("Practical training in logistics") is None
    assert subject_text("Practical training in logistics") == "Practical training in logistics"


# --- The leading verb of an outcome decides its level ----------------------------------------


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("Explain how platforms create value", "I", "explain"),
        ("Students will be able to explain how platforms create value", "I", "explain"),
        # Verbs joined into one run ask for the highest of them (see below).
        ("On completion, learners should be able to: describe and design an API", "M", "design"),
        ("Demonstrate an understanding of how to develop apps", "I", "understanding"),
        ("Critically evaluate how firms use data", "M", "evaluate"),
        ("了解跨境电商平台如何设计", "I", "了解"),
        ("1. 学生能够熟练运用并设计数据库", "M", "熟练运用"),
        # No leading verb: the strongest verb of the line, as before.
        ("Platforms, and how to explain and design them", "M", "design"),
    ],
)
def test_an_outcome_s_level_is_its_leading_verb(line, code, verb):
    """Observed: "Explain how platforms create value" proposed M (from "create"), though what
    the outcome asks is to explain (I)."""
    proposal = propose_level(outcomes=[line], matched_terms=["platforms", "数据库", "电商", "apps"])
    assert (proposal.code, proposal.verb) == (code, verb)


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("了解并掌握数据库设计方法", "M", "掌握"),
        ("学生能够了解、理解并掌握数据库设计方法", "M", "掌握"),
        ("了解数据库原理，掌握SQL语言", "M", "掌握"),  # noqa: RUF001
        ("理解网络协议并能设计局域网", "M", "设计"),
        ("了解如何设计数据库，并掌握其优化方法", "M", "掌握"),  # noqa: RUF001
        ("describe and design a network", "M", "design"),
        ("Students will be able to identify, analyse and evaluate network risks", "M", "evaluate"),
        ("Identify network hazards and design controls", "M", "design"),
        ("Describe network risks and critically evaluate controls", "M", "evaluate"),
        ("Explain how networks fail, and design a resilient one", "M", "design"),
        # Counter-examples: a verb in a purpose or subordinate clause asks nothing of its own.
        ("运用统计软件以设计并评价网络实验", "R", "运用"),
        ("掌握网络原理以了解其应用", "M", "掌握"),
        ("了解如何设计并开发网络系统", "I", "了解"),
        ("Use UML to design and evaluate a network", "R", "use"),
        ("Use network tools to describe traffic", "R", "use"),
        ("Explain how firms design and evaluate networks", "I", "explain"),
        # 与, 和 and 及 after an object join nouns; an English noun after "and" is no verb.
        ("了解网络原理与设计方法", "I", "了解"),
        ("Describe the structure and design of networks", "I", "describe"),
        ("Describe network control and planning processes", "I", "describe"),
    ],
)
def test_an_outcome_asks_for_the_highest_of_its_coordinated_verbs(line, code, verb):
    """Observed: "了解并掌握数据库设计方法" proposed I (its first verb, 了解), though what it asks
    the student to reach is 掌握 (M); "describe and design a network" likewise proposed I. A
    verb joined to the leading one (并, 并能, a comma, "and") raises the level; one in a clause
    of purpose or a subordinate clause ("以了解", "如何设计", "to design", "how firms design")
    does not, nor a noun after 与 or "and" ("原理与设计方法", "the design of")."""
    proposal = propose_level(
        outcomes=[line], matched_terms=["网络", "数据库", "network", "networks"]
    )
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "outcome", verb)
    # The explanation the review page shows names the verb that decided.
    assert f"“{verb}”" in proposal.reason


def test_coordinated_verbs_are_blanked_from_the_subject_as_before():
    """Only the leading run is the template's: a verb joined after its object stays part of
    what the outcome is about (what is matched is as before, so the ranking is)."""
    assert subject_text("了解并掌握数据库") == " " * 5 + "数据库"
    assert subject_text("了解数据库原理，掌握SQL") == "  数据库原理，掌握SQL"  # noqa: RUF001
    assert subject_text("Identify hazards and design controls").split() == [
        "hazards",
        "and",
        "design",
        "controls",
    ]


def test_a_requirement_s_level_is_its_line_s_leading_verb():
    proposal = propose_requirement_level(
        lines=["Understand how we design SQL schemas"], matched_terms=["sql"]
    )
    assert (proposal.code, proposal.verb) == ("I", "understand")


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("Apply theory to practice and design interventions", "M", "design"),
        ("Apply nursing theory to practice and evaluate care plans", "M", "evaluate"),
        ("Apply statistics to network data and evaluate the results", "M", "evaluate"),
        # Counter-examples: before a verb, "to" opens a clause of purpose, whose verbs raise
        # nothing; before a determiner it names a thing.
        ("Apply theory to the design of interventions", "R", "apply"),
        ("Use UML to design and evaluate a network", "R", "use"),
        ("Use simulation to practice and evaluate network skills", "R", "use"),
        ("Apply network theory to practise and evaluate care", "R", "apply"),
        ("Apply knowledge to test and design networks", "R", "apply"),
        ("Use network tools to plan and test a network", "R", "use"),
    ],
)
def test_to_before_a_noun_opens_no_purpose_clause(line, code, verb):
    """Observed: "Apply theory to practice and design interventions" proposed R: "practice"
    after "to" was read as a verb, so "and design" as part of a clause of purpose. After a verb
    that takes a thing to a place (apply, relate, transfer), "practice" is the place, a noun
    (the British verb is "practise"), and the outcome asks to design (M). Before another verb
    ("to test and design", "to plan"), "to" still opens a clause of purpose."""
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.verb) == (code, verb)
    assert f"“{verb}”" in proposal.reason


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("了解软件工程原理，设计模式的应用", "I", "了解"),  # noqa: RUF001
        ("了解面向对象方法，设计模式及其适用范围", "I", "了解"),  # noqa: RUF001
        ("了解数据库原理，设计方法与规范", "I", "了解"),  # noqa: RUF001
        ("了解软件测试，分析报告的写法", "I", "了解"),  # noqa: RUF001
        ("认识软件工程，应用场景与案例", "I", "认识"),  # noqa: RUF001
        # Counter-examples: a verb and its object (设计数据库); a verb of knowing takes such a
        # noun as its object (掌握设计方法: 掌握, M).
        ("了解数据库原理，设计数据库", "M", "设计"),  # noqa: RUF001
        ("了解设计模式，并能设计数据库", "M", "设计"),  # noqa: RUF001
        ("了解软件工程，掌握方法", "M", "掌握"),  # noqa: RUF001
        ("掌握设计方法", "M", "掌握"),
        ("了解数据库原理，分析数据库的性能", "R", "分析"),  # noqa: RUF001
    ],
)
def test_a_chinese_verb_compounded_with_a_noun_is_no_verb(line, code, verb):
    """Observed: “了解软件工程原理，设计模式的应用” proposed M for 设计, though 设计模式 (design
    patterns) is a noun: a verb compounded with a noun after it names a thing (设计模式,
    设计方法, 应用场景, 分析报告), whether jieba keeps it whole or not. 设计数据库 is a verb and
    its object."""  # noqa: RUF002
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.verb) == (code, verb)
    assert f"“{verb}”" in proposal.reason


def test_a_chinese_verb_in_a_noun_is_no_verb_of_a_line_without_a_leading_one():
    assert bloom_verbs("本课程讲授设计模式与分析方法") == ()
    assert bloom_verbs("本课程要求学生设计数据库") == (("设计", "M"),)
    # What is matched keeps 设计模式 whole (test_level_misreadings.py).
    assert subject_text("设计模式的应用") == "设计模式的应用"


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("了解网络原理；掌握网络设计方法", "M", "掌握"),  # noqa: RUF001
        ("了解网络原理。能够设计局域网", "M", "设计"),
        ("掌握网络原理；了解网络设计", "M", "掌握"),  # noqa: RUF001
        ("Describe network risks; design network controls", "M", "design"),
        ("Describe network risks. Design network controls", "M", "design"),
        ("Describe network risks. Explain and apply network controls", "R", "apply"),
        # Each sentence by the full rules: a verb of purpose raises nothing in its own either,
        # and a sentence with no leading verb asks nothing over one that has.
        ("了解网络原理；运用工具以设计网络", "R", "运用"),  # noqa: RUF001
        ("Describe network risks. Use tools to design networks", "R", "use"),
        ("Describe network risks. The course covers the design of networks", "I", "describe"),
    ],
)
def test_an_outcome_of_several_sentences_asks_for_the_highest_of_them(line, code, verb):
    """Observed: “了解网络原理；掌握网络设计方法” proposed I, the first sentence's verb; the
    sentences after it were never read. Each sentence is read as an outcome and the highest
    decides (the first on a tie)."""  # noqa: RUF002
    proposal = propose_level(outcomes=[line], matched_terms=["网络", "network"])
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "outcome", verb)
    assert f"uses “{verb}”" in proposal.reason


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        # Down one tier, as 初步 and 基本: from I it stays I, but the reason says why.
        ("Have a basic understanding of networks", "I", "basic understanding"),
        ("Demonstrate a basic knowledge of network protocols", "I", "basic knowledge"),
        ("Gain an introductory knowledge of networks", "I", "introductory knowledge"),
        ("Develop a preliminary understanding of networks", "I", "preliminary understanding"),
        ("Basic design of small networks", "R", "basic design"),
        ("Gain a basic mastery of network protocols", "R", "basic mastery"),
        # Up one tier, as 熟练, 深入 and 独立.
        ("Thoroughly master network design", "M", "thoroughly master"),
        ("Understand network protocols in depth", "R", "understand … in depth"),
        ("Gain an in-depth understanding of networks", "R", "in-depth understanding"),
        ("Develop a thorough knowledge of network protocols", "R", "thorough knowledge"),
        ("Independently design a small network", "M", "independently design"),
        ("Proficiently use network tools", "M", "proficiently use"),
        ("Apply network tools proficiently", "M", "apply … proficiently"),
        ("Describe network risks and independently design controls", "M", "independently design"),
        # Counter-examples: no degree of depth, or one in a clause of its own.
        ("Be familiar with network protocols", "R", "familiar"),  # as 熟悉 (a tier, no degree)
        ("Critically evaluate network designs", "M", "evaluate"),
        ("Explain deep learning for networks", "I", "explain"),
        ("Explain how networks work independently", "I", "explain"),
        ("Use network tools to work independently", "R", "use"),
        ("Describe general network principles", "I", "describe"),
        ("Placement in general practice", "R", "practice"),
    ],
)
def test_an_english_degree_moves_a_verb_a_tier_and_is_quoted_with_it(line, code, verb):
    """Observed: "Thoroughly master", "understand ... in depth", "independently design",
    "proficiently" and "a basic understanding of" left the verb's tier and the reason quoted the
    verb alone, while 熟练运用 (M) and 初步掌握 (R) moved a Chinese one. As in Chinese, "basic",
    "introductory", "preliminary" move a verb one tier down; "thoroughly", "in depth",
    "independently", "proficiently", "flexibly" one up; the reason quotes the verb with them."""
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.verb) == (code, verb)
    assert f"“{verb}”" in proposal.reason


def test_an_english_degree_leaves_the_subject_as_before():
    """What is matched is unchanged: the degree before a leading verb was blanked as before."""
    assert subject_text("Thoroughly master network design").split() == ["network", "design"]
    assert subject_text("Understand networks in depth").split() == ["networks", "in", "depth"]


# --- How strongly the engine stands by a suggestion ------------------------------------------


def test_each_hit_says_where_each_ranking_placed_it_and_its_strength():
    """Observed: reviewers saw a fused score like 0.033, which says little. Each hit now says
    its place in each ranking and a band read from them."""
    pool = [
        Candidate("testing", {"label": "software testing"}),
        Candidate("automation", {"label": "test automation"}),
        Candidate("security", {"label": "cyber security"}),
        Candidate("bread", {"label": "bake bread"}),
    ]
    settings = Settings()
    index = build_index(pool, settings=settings)
    if not index.fused:
        pytest.skip("the static embedding model is not installed")
    hits = {
        h.id: h
        for h in index.rank(
            Query({"title": "Software testing", "description": "Keep hackers out of a network."})
        )
    }
    k, depth = settings.fusion_k, agreement_depth(settings.agreement_depth, len(pool))
    assert depth == 1  # a pool of four: only the first of each ranking
    for hit in hits.values():
        places = [r for r in (hit.lexical_rank, hit.meaning_rank) if r is not None]
        assert hit.score == pytest.approx(sum(1 / (k + r) for r in places))
        assert hit.strength == ("weak", "good", "strong")[sum(r <= depth for r in places)]
    assert (hits["testing"].lexical_rank, hits["testing"].strength) == (1, "strong")
    assert hits["automation"].lexical_rank == 2
    # Close in meaning, sharing no word: one ranking at most.
    assert hits["security"].lexical_rank is None
    assert hits["security"].strength in {"good", "weak"}


@pytest.mark.parametrize(
    ("pool_size", "depth"),
    [(4, 1), (12, 2), (18, 3), (30, 3), (50, 5), (199, 19), (200, 20), (13_939, 20)],
)
def test_two_rankings_agree_within_a_small_frameworks_first_few_not_only_its_first(
    pool_size, depth
):
    """Observed: in a framework of 18 abilities "the first tenth" was the first place alone, so
    a course's three or four abilities ranked first to third by both readings were mostly
    "good" (7 strong of 106 suggestions for a nursing programme). The first three count where
    they are no more than a fifth of the pool; a tenth of a larger one; 20 at most."""
    assert agreement_depth(20, pool_size) == depth


def test_ranked_on_words_alone_the_strength_is_against_the_best_suggestion():
    index = build_index(
        [
            Candidate("a", {"label": "跨境电商物流"}),
            Candidate("b", {"label": "跨境电商物流与海关"}),
            Candidate("c", {"label": "海关法规与进出口贸易实务操作流程"}),
        ],
        settings=WORDS_ONLY,
    )
    hits = index.rank(Query({"title": "跨境电商物流"}))
    assert hits[0].id == "a"
    assert (hits[0].lexical_rank, hits[0].lexical_share, hits[0].strength) == (1, 1.0, "strong")
    assert [h.lexical_rank for h in hits] == [1, 2]
    assert all(h.meaning_rank is None for h in hits)
    for hit in hits:
        expected = (
            "strong"
            if hit.lexical_share >= 0.5
            else "good"
            if hit.lexical_share >= 0.25
            else "weak"
        )
        assert hit.strength == expected


def test_knowledge_in_general_is_no_subject():
    """Observed: 毕业设计 with the outcome "综合运用所学知识完成毕业设计" was strongly suggested
    "熟悉 XHTML+CSS、XML、JavaScript 等知识", sharing only 知识 (knowledge, of anything), which no
    other ability wrote and so weighed most; 各个 (each) was likewise matched."""
    index = build_index(
        [
            Candidate("web", {"label": "熟悉 XHTML+CSS、XML、JavaScript 等知识"}),
            Candidate("flow", {"label": "熟悉跨境电商进出口的各个流程"}),
            Candidate("ip", {"label": "了解知识产权保护的基本规定"}),
        ],
        settings=WORDS_ONLY,
    )
    assert _suggested(index, outcomes="（1）综合运用所学知识完成毕业设计") == []  # noqa: RUF001
    assert _suggested(index, outcomes="（1）了解各个环节的基本要求") == []  # noqa: RUF001
    # A compound with it is a subject of its own.
    assert _suggested(index, title="知识产权法") == ["ip"]
