# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""Chinese coordinated phrases (数据分析与挖掘, 网店运营和推广, 跨境物流及仓储, 市场调研、分析).

`fixtures/chinese_coordination_gold.json` holds a hand-made framework of 40 abilities and 21
hand-made syllabi of a cross-border e-commerce programme, each with the abilities it clearly
builds, chosen by reading, before the engine was run on it (the last six, which write their
phrases across 的, added later, judged the same way). No Django: run with `-p no:django`.
"""

import json
from pathlib import Path

import pytest

from suggestions.engine import Candidate, Query, Settings, build_index
from suggestions.engine.text import analyse

GOLD = json.loads(
    (Path(__file__).parent / "fixtures" / "chinese_coordination_gold.json").read_text("utf-8")
)
LEXICAL = Settings(semantic_model=None)


def framework() -> list[Candidate]:
    return [Candidate(a["code"], {"label": a["text_zh"]}) for a in GOLD["abilities"]]


def course_query(course: dict) -> Query:
    return Query(
        {
            "title": course["title"],
            "description": course["description"],
            "outcomes": course["outcomes"],
        }
    )


def gold_figures(index) -> tuple[float, float]:
    """Recall at 5 and mean reciprocal rank over the hand-made syllabi."""
    recall = reciprocal = 0.0
    for course in GOLD["courses"]:
        relevant = set(course["relevant"])
        ids = [hit.id for hit in index.rank(course_query(course), k=20, explain=False)]
        recall += len(relevant & set(ids[:5])) / len(relevant)
        reciprocal += next((1 / (i + 1) for i, c in enumerate(ids) if c in relevant), 0.0)
    n = len(GOLD["courses"])
    return recall / n, reciprocal / n


def test_the_gold_set_is_written_against_abilities_that_exist():
    codes = {a["code"] for a in GOLD["abilities"]}
    assert len(codes) == len(GOLD["abilities"]) == 40
    assert len(GOLD["courses"]) == 21
    for course in GOLD["courses"]:
        assert course["relevant"], course["title"]
        assert set(course["relevant"]) <= codes, course["title"]


# -- coordination shares a modifier or a head -------------------------------------------------


def keys(text: str) -> set[str]:
    return {t.key for t in analyse(text)}


@pytest.mark.parametrize(
    ("text", "shared"),
    [
        ("数据分析与挖掘", "数据挖掘"),  # 数据分析 is one word: its first part is shared
        ("网店运营和推广", "推广 网店"),
        ("跨境物流及仓储", "仓储 跨境"),
        ("跨境物流以及仓储", "仓储 跨境"),
        ("市场调研、分析", "分析 市场"),  # the enumeration comma is a conjunction too
        ("客户开发与维护", "客户 维护"),
        ("图片与视频处理", "图片 处理"),  # a shared head: the last word of the right conjunct
    ],
)
def test_a_coordination_reads_the_shared_word_with_each_conjunct(text, shared):
    """Observed: 数据分析与挖掘 gave the words 数据分析, 挖掘 and the phrase (数据分析, 挖掘),
    never 数据挖掘; 网店运营和推广 never gave (网店, 推广). A coordination shares the word
    before it (数据 of 数据分析与挖掘) or the word after it (处理 of 图片与视频处理)."""
    assert shared in keys(text)


def test_a_list_shares_its_modifier_along_the_list():
    assert {"分析 市场", "市场预测"} <= keys("海外市场调研、分析与预测的方法")


@pytest.mark.parametrize(
    "text",
    [
        "网店的运营和推广",  # 网店运营, 网店推广
        "店铺数据的统计与分析",  # 数据统计, 数据分析
        "商务谈判的策略与技巧",  # 谈判策略, 谈判技巧
        "风险的识别、评估与防范",  # along a list: 风险评估, 风险防范
        "客户的开发、分级与维护",
        "供应链之规划与协调",  # 之, the 的 of formal writing
    ],
)
def test_a_coordination_after_de_shares_the_word_before_it(text):
    """Observed: 网店的运营和推广 gave (网店, 运营) but never (网店, 推广), which 网店运营和推广
    gives: 的 stood between the modifier and the first conjunct, and the coordination shared
    nothing. 的 (and 之) says the word before it modifies what follows, as no gap does."""
    assert keys(text) == keys(text.replace("的", "").replace("之", ""))


@pytest.mark.parametrize(
    ("text", "shared", "not_shared"),
    [
        # 的 after a coordination ends it: the conjuncts modify 方法, the shared word is 数据.
        ("数据分析与挖掘的方法", "数据挖掘", None),
        # the conjunct after 的 is still one word before a compound's two.
        ("网店的图片与视频处理", "图片 处理", "图片 推广"),
        # (A与B)的C is not A's C and B's C: 企业与客户的关系 is the relation between them.
        ("企业与客户的关系", "关系 客户", "企业 关系"),
        ("理论与实践的结合", "实践 结合", "理论 结合"),
        # 地 makes an adverb of the word before it: how, not what.
        ("有效地沟通与协调", "有效 沟通", "协调 有效"),
    ],
)
def test_de_shares_only_what_precedes_a_coordination(text, shared, not_shared):
    terms = keys(text)
    assert shared in terms
    assert not_shared is None or not_shared not in terms


@pytest.mark.parametrize(
    ("text", "conjunction", "across"),
    [
        ("选品与定价", "与", "定价 选品"),  # two single words: nothing is shared
        ("商品拍摄与图片处理", "与", "图片 拍摄"),  # two whole compounds: nothing is shared
        ("数据分析与挖掘技术", "与", "挖掘 数据分析"),  # which word is shared is unclear
        ("识别并防范风险", "并", "识别 防范"),  # 并 joins verbs, which share their object
    ],
)
def test_a_coordination_with_no_shared_word_adds_nothing(text, conjunction, across):
    """Only the phrase of the two words beside the conjunction, as before."""
    apart = keys(text.replace(conjunction, "；"))
    assert keys(text) == apart | {across}


def test_the_enumeration_comma_still_makes_no_phrase_of_its_neighbours():
    """、 separates items as a clause break did: (选品, 定价) is no phrase of 选品、定价."""
    assert "定价 选品" not in keys("选品、定价")
    assert "定价 选品" in keys("选品与定价")


def rank(pool: list[str], query: str) -> list[str]:
    index = build_index([Candidate(text, {"label": text}) for text in pool], settings=LEXICAL)
    return [hit.id for hit in index.rank(Query({"title": query}), k=10, explain=False)]


def test_data_analysis_and_mining_is_suggested_data_mining_before_mining():
    """Observed: 数据分析与挖掘 was suggested 能够进行矿产挖掘 (mineral mining) before
    能够进行数据挖掘, on 挖掘 alone."""
    ids = rank(
        ["能够进行数据挖掘", "能够进行财务分析", "能够进行数据录入", "能够进行矿产挖掘"],
        "数据分析与挖掘",
    )
    assert ids[0] == "能够进行数据挖掘"


def test_a_course_writing_de_is_suggested_the_ability_it_names():
    """Observed: 店铺数据的统计与分析 was suggested 财务统计与分析 (0.40) before 数据分析 (0.39),
    which 店铺数据统计与分析 is suggested first (0.81): the 数据 before 的 was not shared. Now
    the two are ranked alike."""
    pool = ["具备数据分析能力", "能够进行财务统计与分析", "能够进行店铺装修", "能够进行人口统计"]
    assert rank(pool, "能够完成店铺数据的统计与分析")[0] == "具备数据分析能力"


def test_the_gold_set_figures_hold():
    """Measured on words alone when the set was written: recall at 5 0.983 and MRR 1.0, before
    and after coordinations were read (the set's abilities each name their subject in words
    of their own, so the engine already found them)."""
    recall, mrr = gold_figures(build_index(framework(), settings=LEXICAL))
    assert recall >= 0.98
    assert mrr == 1.0
