# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""What the engine reads as a term of Chinese text, and what it then shows as matched.

Found by ranking the paper's abilities (their Chinese statements) for cross-border e-commerce
courses written in Chinese. No Django: run with `-p no:django`.
"""

import re

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index, semantic
from suggestions.engine.text import analyse

LEXICAL = Settings(semantic_model=None)
_ONE_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$")


def _keys(text: str) -> list[str]:
    return [t.key for t in analyse(text, phrases=False)]


@pytest.mark.parametrize("settings", [None, LEXICAL], ids=["fused", "words"])
def test_a_lone_chinese_character_matches_nothing_on_its_own(settings):
    """Observed: jieba leaves verbs and bound characters alone (做, 用, 网 of 敦煌网, 仓 of
    海外仓, 客 of 客单价), and an ability sharing only 做 ("do") with a course was suggested
    to it, "做" shown as the matched term."""
    index = build_index(
        [
            Candidate("viz", {"label": "学会用Python做数据可视化"}),
            Candidate("survey", {"label": "能够开展市场调研与分析"}),
        ],
        settings=settings,
    )
    ranked = index.rank(Query({"title": "市场调研实务", "outcomes": "能够做市场调研"}), k=5)
    assert [r.id for r in ranked] == ["survey"]
    assert not [m for m in ranked[0].explanation if _ONE_HAN.match(m.term_or_phrase)]


def test_a_lone_character_still_counts_beside_its_neighbour():
    """A character jieba leaves alone is still read with the word before it: 海外仓 (an
    overseas warehouse) meets 海外仓, shown whole, and not 前置仓 on 仓 alone."""
    keys = _keys("海外仓运营；提升客单价；具有敦煌网的销售经验")
    assert not [k for k in keys if _ONE_HAN.match(k)]
    index = build_index(
        [
            Candidate("overseas", {"label": "熟悉海外仓的运作"}),
            Candidate("front", {"label": "熟悉前置仓的退货流程"}),
        ],
        settings=LEXICAL,
    )
    (hit,) = index.rank(Query({"title": "海外仓运营与管理"}), k=5)
    assert hit.id == "overseas"
    assert "海外仓" in {m.term_or_phrase for m in hit.explanation}


@pytest.mark.parametrize(
    ("text", "straddling", "whole"),
    [
        ("搜索引擎优化", "索引", "搜索引擎"),
        ("数据库", "据库", "数据库"),
        ("熟悉国内外网络文化", "内外", "国内外"),
        ("第一章", "一章", "第一章"),
    ],
)
def test_search_mode_keeps_no_word_straddling_the_parts_of_a_longer_one(text, straddling, whole):
    """Observed: jieba's search mode yields every dictionary word inside a long one, also those
    across its parts: 搜索引擎 (search engine) gave 索引 (index), 数据库 gave 据库, 国内外 gave
    内外. A course on database indexes was matched to search engine optimisation on 索引."""
    keys = _keys(text)
    assert straddling not in keys
    assert whole in keys


def test_a_database_course_is_not_matched_to_seo_on_a_straddled_word():
    index = build_index(
        [Candidate("seo", {"label": "熟悉网页标准H5、浏览器兼容性、SEO（搜索引擎优化）"})],
        settings=LEXICAL,
    )
    ranked = index.rank(Query({"title": "数据库索引与查询优化技术"}), k=5)
    shown = {m.term_or_phrase for r in ranked for m in r.explanation}
    assert "优化" in shown
    assert "索引" not in shown


@pytest.mark.parametrize("settings", [None, LEXICAL], ids=["fused", "words"])
def test_the_frame_of_an_ability_statement_is_not_matched(settings):
    """Observed: the paper's abilities are framed 具有较强的…能力, 熟悉…, 精通…; a course on
    overseas marketing "培养学生开拓海外市场的能力" was suggested "具有较强的外语沟通与表达能力"
    (foreign-language communication) for sharing 能力 (ability) alone, ranked above abilities
    on marketing."""
    index = build_index(
        [
            Candidate("lang", {"label": "具有较强的外语沟通与表达能力"}),
            Candidate("tools", {"label": "熟练使用各类办公软件"}),
            Candidate("market", {"label": "熟悉海外国家的贸易制度和规则，开拓海外市场"}),
        ],
        settings=settings,
    )
    course = Query(
        {
            "title": "海外市场营销",
            "description": (
                "本课程熟悉海外市场调研方法，培养学生具有良好的、较强的开拓海外市场的能力。"
            ),
        }
    )
    ranked = index.rank(course, k=5)
    assert [r.id for r in ranked] == ["market"]
    shown = {m.term_or_phrase for m in ranked[0].explanation}
    assert not shown & {"能力", "熟悉", "较强", "良好"}


needs_model = pytest.mark.skipif(
    semantic.load_encoder(semantic.WORDLLAMA) is None, reason="wordllama is not installed"
)

# The paper's abilities as the app indexes them: the English statement, its Chinese beside it.
PAPER_LIKE_POOL = [
    Candidate("P05.2", {"label": "have data analysis ability", "label_zh": "具有数据分析能力"}),
    Candidate(
        "P08.1",
        {
            "label": "master at least one development language, such as Python/R/Java",
            "label_zh": "至少掌握一门开发语言，如 Python/R/Java",
        },
    ),
    Candidate(
        "P05.1",
        {"label": "skilled in all kinds of office software", "label_zh": "熟练使用各类办公软件"},
    ),
    Candidate(
        "P09.1",
        {
            "label": "be familiar with the import and export processes of cross-border e-commerce",
            "label_zh": "熟悉跨境电商进出口的各个流程",
        },
    ),
    Candidate("P04.4", {"label": "good oral communication and writing skills"}),
]


@needs_model
def test_english_words_inside_chinese_sentences_are_not_read_for_meaning():
    """Observed: 跨境电商数据分析, a course written in Chinese naming its tools (运用Excel和
    Python…), was ranked by meaning on "Excel Python" alone (and the punctuation left between
    them): every ability got a place by meaning from two tool names, and 具有数据分析能力, first
    by words, fell to fifth behind abilities far down the words' ranking."""
    course = Query(
        {
            "title": "跨境电商数据分析",
            "description": (
                "本课程介绍跨境电商平台的数据采集与分析方法，运用Excel和Python对店铺流量、"
                "转化率等指标进行统计分析。"
            ),
            "outcomes": "掌握Python数据分析工具\n能够运用数据分析结果优化店铺运营",
        }
    )
    fused = build_index(PAPER_LIKE_POOL).rank(course, k=5)
    lexical = build_index(PAPER_LIKE_POOL, settings=LEXICAL).rank(course, k=5)
    assert [r.id for r in fused] == [r.id for r in lexical]
    assert fused[0].id == "P05.2"
    assert all(r.meaning_rank is None for r in fused)
    assert not [m for r in fused for m in r.explanation if m.kind == "meaning"]


@needs_model
def test_an_english_sentence_naming_a_chinese_word_is_still_read_for_meaning():
    line = "Analyse sales data with Python (数据分析)."
    course = Query({"title": "数据分析", "description": line})
    (first, *_) = build_index(PAPER_LIKE_POOL).rank(course, k=5)
    assert first.meaning_rank is not None


def test_a_chinese_word_s_parts_are_shown_with_it_not_beside_it():
    """Observed: a course on 数据分析 was suggested 具有数据分析能力 with the matched terms
    “数据分析”, “数据”, “分析”, “数据分析”, “分析”, “数据”, … (search mode's parts of the word,
    each a match of its own in each field): the eight reasons shown were one word three times
    over, and the others (店铺, 运营) were crowded out. A part met inside its word is counted
    with the word, and the reasons still add up to the score."""
    index = build_index(
        [
            Candidate("da", {"label": "具有数据分析能力，能够优化店铺运营"}),
            Candidate("db", {"label": "熟练使用数据库"}),
        ],
        settings=LEXICAL,
    )
    course = Query({"title": "跨境电商数据分析", "outcomes": "能够运用数据分析结果优化店铺运营"})
    hits = {r.id: r for r in index.rank(course, k=5)}
    shown = [(m.query_field, m.term_or_phrase) for m in hits["da"].explanation]
    assert ("title", "数据分析") in shown
    assert not {"数据", "分析"} & {term for _, term in shown}
    assert len(shown) == len(set(shown))
    assert {"店铺", "运营"} <= {term for _, term in shown}
    assert sum(m.weight for m in hits["da"].explanation) == pytest.approx(hits["da"].score)
    # A part met on its own is still shown as itself: 数据库 has 数据, not 数据分析.
    assert [m.term_or_phrase for m in hits["db"].explanation] == ["数据", "数据"]


@pytest.mark.parametrize(
    "text",
    [
        "「跨境电商」运营",
        "『网店』装修",
        "〈物流〉管理",
        "〔国际〕贸易",
        "〖选品〗策略",
        "数据分析——以亚马逊为例",
    ],
)
def test_a_chinese_bracket_or_dash_ends_a_phrase(text):
    """Observed: a phrase was read across Chinese corner brackets and dashes, as it is not
    across ASCII ones, and shown with them as the matched term: “电商」运营”, “网店』装修”,
    “数据分析——以亚马逊”."""
    shown = [t.surface for t in analyse(text, as_written=True)]
    assert not [s for s in shown if set(s) & set("「」『』〈〉〔〕〖〗—")]


@pytest.mark.parametrize("settings", [None, LEXICAL], ids=["fused", "words"])
def test_a_chinese_syllabus_s_tiers_are_not_matched(settings):
    """了解 < 理解 < 掌握, the three tiers a Chinese syllabus writes everywhere ("要求学生了解
    并掌握…"), say how deep, not what: an ability on consumer psychology "了解国内外消费者心理"
    was suggested to a course on trade terms for sharing 了解, and "至少掌握一门开发语言" to any
    course whose description says 掌握."""
    index = build_index(
        [
            Candidate("psy", {"label": "了解国内外消费者心理与购物体验"}),
            Candidate("lang", {"label": "至少掌握一门开发语言，如 Python/R/Java"}),
            Candidate("trade", {"label": "熟练掌握国际贸易术语与业务流程"}),
        ],
        settings=settings,
    )
    course = Query(
        {"title": "国际贸易实务", "description": "要求学生了解、理解并掌握国际贸易术语。"}
    )
    assert [r.id for r in index.rank(course, k=5)] == ["trade"]


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("要求学生熟练掌握静脉输液操作", "熟练掌握"),
        ("掌握护理学的基本知识", "基本知识"),
        ("精通于外科护理", "精通于"),
    ],
)
def test_a_word_jieba_keeps_whole_of_stop_words_is_a_stop_word(text, dropped):
    """Observed (a nursing catalogue written in Chinese): 熟练 and 掌握 are stop words, but
    jieba keeps 熟练掌握 whole, the commonest tier of a Chinese syllabus, and it was a term
    (and the phrase “熟练掌握 静脉”). So were 基本知识 (基本 + 知识) and 精通于."""
    assert dropped not in _keys(text)
    assert not [t.key for t in analyse(text) if dropped in t.key.split()]


def test_the_words_of_a_stop_word_compound_keep_their_subject_words():
    """The rule reads only words spelt wholly by stop words: 基础知识 (基础 is a subject of its
    own) and 专业知识 stay."""
    assert {"基础知识", "静脉"} <= set(_keys("掌握基础知识与静脉输液"))
    assert "专业知识" in _keys("具备护理专业知识")


def test_a_course_sharing_only_a_syllabus_tier_with_an_ability_is_not_suggested_it():
    """Observed: an ability “熟练掌握国际贸易的基本业务流程” was suggested to 基础护理学, whose
    description says only that students 熟练掌握 their nursing procedures."""
    index = build_index(
        [
            Candidate("trade", {"label": "熟练掌握国际贸易的基本业务流程"}),
            Candidate("community", {"label": "能够开展社区慢性病随访"}),
        ],
        settings=LEXICAL,
    )
    course = Query({"title": "基础护理学", "description": "要求学生熟练掌握静脉输液、导尿等操作。"})
    assert index.rank(course, k=5) == []


def test_a_chinese_compound_met_whole_is_more_evidence_than_one_of_its_parts():
    """What a suggestion shares, counted for its band (`explain.word_evidence`): 数据分析 met
    whole, with the parts 数据 and 分析 search mode yields beside it, is two terms (the compound
    and the words it is made of, counted once); 数据 met alone is one."""
    index = build_index(
        [
            Candidate("da", {"label": "具有数据分析能力"}),
            Candidate("acc", {"label": "掌握会计核算"}),
        ],
        settings=LEXICAL,
    )
    (whole,) = index.rank(Query({"title": "数据分析"}), k=5)
    assert (whole.id, whole.terms) == ("da", 2)
    (part,) = index.rank(Query({"title": "数据"}), k=5)
    assert (part.id, part.terms) == ("da", 1)
