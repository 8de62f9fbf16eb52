"""The suggestion engine teaches its jieba the names of kinds of course (CURRICULUM_COMPOUNDS);
the site's search (core.search) must read Chinese the same in a process that has built a
suggestion index as in one that has not."""

from core.search import search_query, text_terms
from suggestions.engine.index import build_index
from suggestions.engine.text import analyse
from suggestions.engine.types import Candidate


def test_building_a_suggestion_index_leaves_the_site_search_segmentation_alone():
    """Observed: after a suggestion index was built, jieba's process-wide dictionary had
    顶岗实习 and 综合实践 as words, and the site search read 顶岗实习考核 as 顶岗实习 too,
    where a fresh process read 顶岗 / 实习 / 考核 only."""
    index = build_index(
        [Candidate(id=1, fields={"label": "顶岗实习考核与综合实践课"})],
    )
    assert len(index) == 1
    # The engine reads them as one word each (its own dictionary) ...
    terms = {term.key for term in analyse("顶岗实习考核与综合实践课")}
    assert {"顶岗实习", "综合实践"} <= terms
    # ... the site search as jieba's own dictionary does.
    assert text_terms("顶岗实习考核") == {"顶岗", "实习", "考核"}
    assert text_terms("综合实践课") == {"综合", "实践", "课"}
    assert search_query("岗位实习生").chinese == ("岗位", "实习", "实习生")
