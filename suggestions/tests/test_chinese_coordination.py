# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""Chinese coordinated phrases (数据分析与挖掘, 网店运营和推广, 跨境物流及仓储, 市场调研、分析).

`fixtures/chinese_coordination_gold.json` holds a hand-made framework of 40 abilities and 15
hand-made syllabi of a cross-border e-commerce programme, each with the abilities it clearly
builds, chosen by reading, before the engine was run on it. No Django: run with `-p no:django`.
"""

import json
from pathlib import Path

from suggestions.engine import Candidate, Query, Settings

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
    assert len(GOLD["courses"]) == 15
    for course in GOLD["courses"]:
        assert course["relevant"], course["title"]
        assert set(course["relevant"]) <= codes, course["title"]
