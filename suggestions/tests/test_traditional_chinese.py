# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""Traditional Chinese is read as Simplified, on both sides: a course written in Taiwan, Hong Kong
or Macau meets the paper's Simplified statements, and a Traditional framework a Simplified course,
on every word, not only on the characters the two scripts share. Quotes keep the text as written.
"""

import pytest

from core import chinese
from curricula.paper import data, data_zh
from suggestions.engine import Candidate, Query, Settings, build_index, semantic
from suggestions.engine.outcomes import bloom_verbs, leading_verb, subject_text
from suggestions.engine.text import analyse

LEXICAL = Settings(semantic_model=None)
SETTINGS = [
    pytest.param(None, id="fused"),
    pytest.param(LEXICAL, id="words"),
]


def _paper_candidates() -> list[Candidate]:
    """The paper's Table II statements as the app indexes them: the English statement as the
    label, its Simplified Chinese statement as the label's translation."""
    out = []
    for number, _name, statements in data.POSITIONS:
        for i, (statement, _area) in enumerate(statements, start=1):
            code = f"P{number:02d}.{i}"
            out.append(Candidate(code, {"label": statement, "label_zh": data_zh.STATEMENTS[code]}))
    return out


# Courses as a Taiwan or Hong Kong university writes them, and their Simplified twins, word for
# word. Outcomes lead with a Bloom verb after a template (學生能夠), which says how deep.
TWINS = [
    (
        {
            "title": "跨境電商數據分析",
            "description": "運用統計方法與數據挖掘技術，分析跨境電商平臺的銷售數據與消費者行為。",
            "outcomes": "學生能夠運用數據分析工具進行市場分析與預測\n了解商業智能工具與數據庫",
        },
        {
            "title": "跨境电商数据分析",
            "description": "运用统计方法与数据挖掘技术，分析跨境电商平台的销售数据与消费者行为。",
            "outcomes": "学生能够运用数据分析工具进行市场分析与预测\n了解商业智能工具与数据库",
        },
    ),
    (
        {
            "title": "國際物流與供應鏈管理",
            "description": "講授國際貨運代理、海外倉與跨境物流模式，規劃與控制跨國供應鏈的全過程。",
            "outcomes": "設計跨境供應鏈方案；處理訂單與客戶投訴",
        },
        {
            "title": "国际物流与供应链管理",
            "description": "讲授国际货运代理、海外仓与跨境物流模式，规划与控制跨国供应链的全过程。",
            "outcomes": "设计跨境供应链方案；处理订单与客户投诉",
        },
    ),
    (
        {
            "title": "網頁界面設計與色彩搭配",
            "description": "使用 Photoshop 與 Dreamweaver 設計網站結構，兼顧瀏覽器兼容性。",
            "outcomes": "",
        },
        {
            "title": "网页界面设计与色彩搭配",
            "description": "使用 Photoshop 与 Dreamweaver 设计网站结构，兼顾浏览器兼容性。",
            "outcomes": "",
        },
    ),
]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize(("traditional", "simplified"), TWINS, ids=["data", "logistics", "web"])
def test_a_traditional_course_gets_its_simplified_twin_s_suggestions(
    settings, traditional, simplified
):
    """Observed: 跨境電商數據分析 met the paper's 具有数据分析能力 only on the characters the
    two scripts share (分析, 跨境), so a Taiwan university's course was ranked far from its
    Simplified twin, and 國際物流與供應鏈管理 never met 供应链."""
    index = build_index(_paper_candidates(), settings=settings)
    got = index.rank(Query(traditional), k=10)
    want = index.rank(Query(simplified), k=10)
    assert want, "the Simplified twin has suggestions"
    assert [(r.id, round(r.score, 6)) for r in got] == [(r.id, round(r.score, 6)) for r in want]
    assert [r.strength for r in got] == [r.strength for r in want]


def test_a_traditional_framework_ability_is_matched_by_a_simplified_course():
    """A framework written in Traditional Chinese (a Hong Kong qualifications framework) ranks a
    Simplified course as its Simplified twin would."""
    traditional = [
        Candidate("data", {"label": "具有數據分析能力"}),
        Candidate("chain", {"label": "能夠規劃、實施、控制和執行跨國供應鏈的全過程"}),
        Candidate("warehouse", {"label": "熟悉海外倉的運作與退貨流程"}),
    ]
    simplified = [
        Candidate("data", {"label": "具有数据分析能力"}),
        Candidate("chain", {"label": "能够规划、实施、控制和执行跨国供应链的全过程"}),
        Candidate("warehouse", {"label": "熟悉海外仓的运作与退货流程"}),
    ]
    course = Query({"title": "国际供应链规划", "description": "跨国供应链的控制与海外仓运作"})
    got = build_index(traditional, settings=LEXICAL).rank(course, k=5)
    want = build_index(simplified, settings=LEXICAL).rank(course, k=5)
    assert [r.id for r in got][:1] == ["chain"]
    assert [(r.id, round(r.score, 6)) for r in got] == [(r.id, round(r.score, 6)) for r in want]
    terms = {m.term_or_phrase for m in got[0].explanation}
    assert "供应链" in terms, "the course's own words are quoted, as it writes them"


def test_mixed_text_reads_each_script_and_english_as_before():
    """A line mixing Traditional, Simplified and English (a Hong Kong course naming its tools)
    gives the terms of its all-Simplified twin; English words are stemmed as ever."""
    mixed = "Python程式設計與数据分析；跨境電商运营 testing"
    twin = "Python程式设计与数据分析；跨境电商运营 testing"
    assert [t.key for t in analyse(mixed)] == [t.key for t in analyse(twin)]
    keys = {t.key for t in analyse(mixed)}
    assert {"python", "test", "数据分析", "电商", "运营"} <= keys
    index = build_index(
        [
            Candidate("ops", {"label": "跨境電商運營"}),
            Candidate("data", {"label": "具有数据分析能力"}),
        ],
        settings=LEXICAL,
    )
    assert {r.id for r in index.rank(Query({"title": mixed}), k=5)} == {"ops", "data"}


@pytest.mark.parametrize("settings", SETTINGS)
def test_the_explanation_quotes_the_traditional_original(settings):
    """Matched as Simplified, shown as written: the reviewer of a Taiwan course reads its own
    words (數據分析, 供應鏈), never a script the course does not use."""
    index = build_index(_paper_candidates(), settings=settings)
    traditional, _ = TWINS[0]
    ranked = index.rank(Query(traditional), k=10)
    shown = {m.term_or_phrase for r in ranked for m in r.explanation}
    assert "數據分析" in shown
    assert not {"数据分析", "数据", "跨境电商"} & shown
    hit = next(r for r in ranked if r.id == "P05.2")  # 具有数据分析能力
    assert {m.term_or_phrase for m in hit.explanation} >= {"數據分析"}

    query = Query({"title": "國際物流與供應鏈管理"})
    (chain, *_) = index.rank(query, k=3)
    assert chain.id == "P11.2"  # 跨国供应链
    assert "供應鏈" in {m.term_or_phrase for m in chain.explanation}
    # A phrase is quoted as written too, what stands between its words included.
    phrases = {t.surface for t in analyse("國際物流與供應鏈管理", as_written=True) if " " in t.key}
    assert "供應鏈管理" in phrases


def test_an_outcome_s_template_and_leading_verb_are_read_in_traditional_too():
    """學生能夠 and 設計 say how deep, as 学生能够 and 设计 do: blanked from what is matched
    (keeping every other character as written, in its place), read for the level."""
    line = "學生能夠設計跨境供應鏈方案"
    assert subject_text(line) == " " * 6 + "跨境供應鏈方案"
    lead = leading_verb(line)
    assert (lead.verb, lead.level, lead.end) == ("設計", "M", 6)
    # 熟練 (proficiently) raises 應用 a tier, as 熟练 does 应用.
    assert bloom_verbs("熟練應用與評價數據") == (("熟練應用", "M"), ("評價", "M"))
    assert bloom_verbs("初步掌握數據") == (("初步掌握", "R"),)
    assert leading_verb("學生能夠了解並初步掌握資料庫").verb == "初步掌握"


def test_english_only_text_is_never_converted(monkeypatch):
    """Only text holding Han characters goes through the converter: an English pool (ESCO's
    13,900 skills) pays nothing for it, accented letters included."""

    def refused():
        raise AssertionError("converter called for text without Han characters")

    monkeypatch.setattr(chinese, "_converter", refused)
    text = "Design relational databases with SQL; Ünïcode café\nStudents will be able to design"
    assert [t.key for t in analyse(text)]
    assert subject_text(text)
    assert leading_verb("Design databases").level == "M"
    index = build_index([Candidate("db", {"label": text})], settings=LEXICAL)
    assert index.rank(Query({"title": "Databases", "outcomes": "Ünïcode design"}))


def test_a_conversion_changing_lengths_still_quotes_the_original(monkeypatch):
    """OpenCC's t2s maps character to character; were a future dictionary to map a phrase to one
    of another length, each character is converted on its own instead, so quotes still point at
    the text as written."""

    class Shrinking:
        def convert(self, text):
            return real.convert(text).replace("数据分析", "数析")

    real = chinese._converter()
    monkeypatch.setattr(chinese, "_converter", lambda: Shrinking())
    terms = analyse("跨境電商數據分析", as_written=True)
    assert "数据分析" in {t.key for t in terms}
    assert "數據分析" in {t.surface for t in terms}


def test_a_traditional_sentence_is_read_for_meaning_as_its_simplified_twin_is():
    """Whether a sentence is mostly Chinese (then the English model leaves it alone) is decided
    on its words as read: jieba cut 數據分析 in two where it keeps 数据分析 whole, so a
    Traditional line naming two tools was kept from the model and its Simplified twin was not."""
    traditional = semantic.segments({"description": "Python Excel 數據分析"})
    simplified = semantic.segments({"description": "Python Excel 数据分析"})
    assert [s.text for s in traditional] == [s.text for s in simplified] == ["Python Excel"]
    assert traditional[0].written == "Python Excel 數據分析"
