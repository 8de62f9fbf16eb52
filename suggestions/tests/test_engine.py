"""The suggestion engine on hand-made cases. No Django: run with `-p no:django`."""

import csv
import itertools
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from suggestions.engine import Candidate, Query, Settings, SuggestionIndex, build_index, semantic
from suggestions.engine import index as index_module
from suggestions.engine.evaluation import evaluate_esco, main, split_merged_label
from suggestions.engine.text import MAX_QUOTE, analyse

FIXTURE = Path(__file__).parent / "fixtures" / "esco_small"

LEXICAL = Settings(semantic_model=None)
needs_model = pytest.mark.skipif(
    semantic.load_encoder(semantic.WORDLLAMA) is None, reason="wordllama is not installed"
)

ENGLISH_POOL = [
    Candidate(1, {"label": "execute software tests", "description": "Run tests on software."}),
    Candidate(2, {"label": "manage ICT security", "alt_labels": "IT security management"}),
    Candidate(3, {"label": "write SQL queries", "description": "Retrieve data from databases."}),
    Candidate(4, {"label": "bake bread", "description": "Knead and bake dough."}),
    Candidate(5, {"label": "design user interfaces", "alt_labels": "UI design\nUX design"}),
]

CHINESE_POOL = [
    Candidate("zh-1", {"label": "能够开展跨境电子商务运营、运用网络营销与数据分析提升业绩"}),
    Candidate("zh-2", {"label": "掌握会计核算与财务报表编制的基本方法"}),
    Candidate("zh-3", {"label": "能够进行机械零件的识图与测绘"}),
    Candidate("zh-4", {"label": "具备酒店前厅服务与客房管理能力"}),
    Candidate("zh-5", {"label": "能够撰写新闻稿件并进行新媒体编辑"}),
]

COURSE = Query(
    {
        "title": "Software testing",
        "description": "Students learn to plan and execute tests of software products.",
        "outcomes": "Write unit tests\nReport defects found by tests",
    }
)


def test_english_course_ranks_the_testing_ability_first():
    ranked = build_index(ENGLISH_POOL).rank(COURSE, k=3)
    assert ranked[0].id == 1
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(ranked))


def test_unrelated_ability_is_not_suggested():
    ids = [r.id for r in build_index(ENGLISH_POOL).rank(COURSE, k=10)]
    assert 4 not in ids  # bread shares no term with a testing course


def test_chinese_course_ranks_the_right_chinese_ability_first():
    course = Query(
        {
            "title": "跨境电子商务",
            "description": "本课程介绍跨境电子商务平台运营、网络营销策划与数据分析。",
            "outcomes": "能够策划网络营销活动\n能够运用数据分析优化运营",
        }
    )
    ranked = build_index(CHINESE_POOL).rank(course, k=5)
    assert ranked[0].id == "zh-1"
    terms = {m.term_or_phrase for m in ranked[0].explanation}
    assert terms & {"跨境", "电子商务", "网络营销", "数据分析"}


def test_chinese_compound_meets_its_parts():
    # 跨境电子商务 in the course, 跨境电商 and 电子商务 apart in abilities: search-mode
    # segmentation gives both sides the shared words.
    keys = {t.key for t in analyse("跨境电子商务")}
    assert {"跨境", "电子商务", "电子", "商务"} <= keys


def test_dianshang_meets_dianzi_shangwu():
    """Observed: a course on 跨境电商 (how Chinese writes 跨境电子商务 short) met abilities that
    write 电子商务 on 跨境 alone, and one without 跨境 not at all."""
    index = build_index(
        [
            Candidate("ec", {"label": "擅长电子商务项目策划与运营"}),
            Candidate("acc", {"label": "掌握会计核算与财务报表编制的基本方法"}),
        ],
        settings=LEXICAL,
    )
    (hit,) = index.rank(Query({"title": "跨境电商实务"}), k=5)
    assert hit.id == "ec"
    assert "电商" in {m.term_or_phrase for m in hit.explanation}
    (hit,) = index.rank(Query({"title": "电子商务概论"}), k=5)
    assert hit.id == "ec"


def test_mixed_language_query_matches_both_languages():
    pool = [*CHINESE_POOL, *ENGLISH_POOL]
    query = Query({"title": "数据分析 with SQL queries"})
    ids = [r.id for r in build_index(pool).rank(query, k=3)]
    assert {3, "zh-1"} <= set(ids)


# The English pool with each label translated, as the paper's abilities are (`text_zh`).
BILINGUAL_POOL = [
    Candidate(c.id, {**c.fields, "label_zh": zh})
    for c, zh in zip(
        ENGLISH_POOL,
        [
            "执行软件测试",
            "管理信息安全",
            "编写 SQL 查询以检索数据库中的数据",
            "烘焙面包",
            "设计用户界面",
        ],
        strict=True,
    )
]


@pytest.mark.parametrize("settings", [None, LEXICAL], ids=["fused", "words"])
def test_a_chinese_course_is_ranked_against_the_abilities_chinese_names(settings):
    # A Chinese course against abilities written in English with Chinese names: they were read
    # in English alone, so the course got no suggestion at all.
    course = Query({"title": "软件测试", "description": "学生学习如何计划并执行软件测试。"})
    ranked = build_index(BILINGUAL_POOL, settings=settings).rank(course, k=3)
    assert ranked[0].id == 1
    assert "label_zh" in {m.candidate_field for m in ranked[0].explanation}
    assert build_index(ENGLISH_POOL, settings=settings).rank(course, k=3) == []


@pytest.mark.parametrize("settings", [None, LEXICAL], ids=["fused", "words"])
def test_chinese_names_leave_an_english_course_ranked_as_before(settings):
    bilingual = build_index(BILINGUAL_POOL, settings=settings)
    english = build_index(ENGLISH_POOL, settings=settings)
    assert bilingual.rank(COURSE, k=5) == english.rank(COURSE, k=5)
    # The translation's Latin words ("SQL") restate the label's: not indexed a second time.
    sql = Query({"title": "SQL"})
    assert bilingual.rank(sql, k=5) == english.rank(sql, k=5)
    if bilingual.semantic is not None:  # nor read by the (English) model
        assert set(bilingual.semantic.fields) == {"label", "alt_labels", "description"}


def test_english_normalisation_stems_lowercases_and_drops_stop_words():
    keys = [t.key for t in analyse("Testing of the Databases")]
    assert keys[:2] == ["test", "databas"]
    assert "the" not in keys
    assert "of" not in keys
    assert "databas test" in keys  # the phrase, order-free


def test_technology_names_survive_tokenising():
    keys = {t.key for t in analyse("C++, C#, .NET and node.js")}
    assert {"c++", "c#", ".net", "node.js"} <= keys


def test_explanation_names_terms_and_fields():
    best = build_index(ENGLISH_POOL).rank(COURSE, k=1)[0]
    assert best.explanation
    pairs = {(m.query_field, m.candidate_field) for m in best.explanation}
    assert ("title", "label") in pairs
    terms = {m.term_or_phrase for m in best.explanation}
    assert "software testing" in terms or "testing" in terms
    assert all(m.weight > 0 for m in best.explanation)


def test_explanation_weights_add_up_to_the_score():
    index = build_index(ENGLISH_POOL)
    hit = index.rank(Query({"title": "SQL queries"}), k=1)[0]
    assert hit.id == 3
    assert math.isclose(sum(m.weight for m in hit.explanation), hit.score, rel_tol=1e-4)


def test_restrict_to_and_exclude():
    index = build_index(ENGLISH_POOL)
    assert index.rank(COURSE, restrict_to={4}) == []  # bread does not match at all
    assert {r.id for r in index.rank(COURSE, restrict_to={1, 3, 4})} <= {1, 3}
    only = index.rank(Query({"title": "security and software tests"}), restrict_to={2})
    assert [r.id for r in only] == [2]
    rest = index.rank(COURSE, exclude={1})
    assert 1 not in [r.id for r in rest]
    assert index.rank(COURSE, restrict_to=set()) == []
    assert index.rank(COURSE, restrict_to={"unknown"}) == []


def test_empty_inputs():
    assert build_index([]).rank(COURSE) == []
    index = build_index(ENGLISH_POOL)
    assert index.rank(Query({})) == []
    assert index.rank(Query({"title": "", "description": "   "})) == []
    assert index.rank(Query({"title": "the of and"})) == []  # only stop words
    assert index.rank(Query({"title": "quantum basket weaving"})) == []  # no shared term
    assert index.rank(COURSE, k=0) == []
    lonely = build_index([Candidate(1, {}), Candidate(2, {"label": ""})])
    assert lonely.rank(COURSE) == []


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        build_index([Candidate(1, {"label": "a b"}), Candidate(1, {"label": "c d"})])


def test_determinism_and_pickling():
    first = build_index(ENGLISH_POOL).rank(COURSE, k=5)
    second = build_index(ENGLISH_POOL).rank(COURSE, k=5)
    assert first == second
    restored = SuggestionIndex.loads(build_index(ENGLISH_POOL).dumps())
    assert restored.rank(COURSE, k=5) == first


def test_ties_keep_pool_order():
    pool = [Candidate(i, {"label": "software testing"}) for i in (7, 3, 5)]
    assert [r.id for r in build_index(pool).rank(Query({"title": "testing"}))] == [7, 3, 5]


def test_rank_many_equals_rank_one_by_one():
    index = build_index(ENGLISH_POOL)
    queries = [COURSE, Query({"title": "databases"}), Query({}), Query({"title": "UI design"})]
    batch = index.rank_many(queries, k=3, batch_size=2)
    assert batch == [index.rank(q, k=3) for q in queries]


def test_evaluate_esco_on_the_small_fixture():
    result = evaluate_esco(FIXTURE, k=20)
    assert set(result) == {"queries", "candidates", "recall@20", "mrr", "seconds"}
    assert result["queries"] == 5
    assert result["candidates"] == 30
    # "interpret technical texts" shares no word with "software tester": 4 of its 5 found.
    assert result["recall@20"] >= 0.9
    assert result["mrr"] == 1.0
    assert evaluate_esco(FIXTURE, k=3)["recall@3"] < result["recall@20"]


def test_evaluate_esco_reads_v11_relations_and_a_skills_override(tmp_path):
    for name in ("occupations_en.csv", "skills_en.csv"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    with (FIXTURE / "occupationSkillRelations_en.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (tmp_path / "occupationSkillRelations_en.csv").open("w", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["occupationUri", "relationType", "skillType", "skillUri"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in writer.fieldnames})
    assert evaluate_esco(tmp_path)["recall@20"] == evaluate_esco(FIXTURE)["recall@20"]

    # A smaller pool: relations to skills outside it do not count, nor do occupations left
    # with no relevant skill.
    with (FIXTURE / "skills_en.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, skills = reader.fieldnames, list(reader)
    smaller = tmp_path / "smaller.csv"
    with smaller.open("w", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(skills[:8])  # testing and security skills only
    result = evaluate_esco(tmp_path, skills_file=smaller)
    assert result["candidates"] == 8
    assert result["queries"] == 2


def test_merged_esco_label_is_split_from_its_description():
    labels, description = split_merged_label(
        "teach dentistry educate on dentistry explain dentistry Instruct students in the "
        "theory and practice of dentistry."
    )
    assert labels == "teach dentistry educate on dentistry explain dentistry"
    assert description.startswith("Instruct students")


def test_cli_prints_one_json_object(capsys):
    assert main([str(FIXTURE), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert json.loads(out)["queries"] == 5
    assert main([str(FIXTURE), "--json", "--baseline", "tfidf", "--k", "5"]) == 0
    assert "recall@5" in json.loads(capsys.readouterr().out)
    assert main([str(FIXTURE), "--json", "--baseline", "lexical"]) == 0
    assert json.loads(capsys.readouterr().out)["queries"] == 5


def test_engine_imports_without_django():
    code = (
        "import sys, suggestions.engine, suggestions.engine.evaluation; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


# -- matching by meaning (semantic.py) --------------------------------------------------------

SECURITY_POOL = [
    Candidate(1, {"label": "cyber security", "description": "Protect ICT systems from attacks."}),
    Candidate(2, {"label": "bake bread"}),
    Candidate(3, {"label": "accounting"}),
    Candidate(4, {"label": "teach students"}),
]


@needs_model
def test_meaning_finds_a_candidate_that_shares_no_word():
    index = build_index(SECURITY_POOL)
    query = Query({"title": "Network administration", "outcomes": "Keep hackers out of a network"})
    assert build_index(SECURITY_POOL, settings=LEXICAL).rank(query) == []
    (hit,) = index.rank(query)
    assert hit.id == 1
    (match,) = hit.explanation
    assert match.kind == "meaning"
    # The explanation names the query line that matched, and the candidate field closest to it.
    assert match.query_field == "outcomes"
    assert match.term_or_phrase == "Keep hackers out of a network"
    assert match.candidate_field in {"label", "description"}
    assert 0.3 <= match.similarity < 1
    assert math.isclose(match.weight, hit.score)


@needs_model
def test_meaning_does_not_suggest_the_unrelated():
    index = build_index(SECURITY_POOL)
    assert index.rank(Query({"title": "quantum basket weaving"})) == []
    assert [r.id for r in index.rank(Query({"title": "handle money and bookkeeping"}))] == [3]


BILINGUAL_SECURITY_POOL = [
    Candidate(
        1,
        {
            "label": "cyber security",
            "label_zh": "网络安全",
            "description": "Protect ICT systems from attacks.",
        },
    ),
    Candidate(2, {"label": "bake bread", "label_zh": "烘焙面包"}),
    Candidate(3, {"label": "accounting", "label_zh": "会计"}),
]


@needs_model
def test_a_line_far_in_meaning_is_not_named_as_close():
    """Observed: the explanation named the query's line closest in meaning to a suggestion found
    by its words however far that line was: a reading list's "no accounting homework" quoted as
    close in meaning to "accounting" (cosine 0.12). Below `Settings.semantic_floor` no line is
    named; the ranking is the same, and the term matches still explain it."""
    far = "Weekly reading list: novels of the 1920s, with essays due on Fridays and no accounting"
    index = build_index(SECURITY_POOL)
    (hit,) = index.rank(Query({"description": far + " homework."}))
    assert hit.id == 3
    assert hit.meaning_rank == 1  # ranked by meaning too: only the explanation changes
    assert [m.kind for m in hit.explanation] == ["term"]
    assert hit.explanation[0].term_or_phrase == "accounting"
    # A line that is close is still named, with its cosine.
    (hit,) = index.rank(Query({"description": "There is no accounting for taste."}))
    (meaning,) = [m for m in hit.explanation if m.kind == "meaning"]
    assert meaning.term_or_phrase == "There is no accounting for taste."
    assert meaning.similarity >= Settings().semantic_floor


@needs_model
@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("教材：Pearson Education, 2019", False),  # noqa: RUF001
        ("Lunch is served in the canteen at noon.", False),
        ("Keep hackers out of a network", True),
    ],
)
def test_a_chinese_query_names_its_english_line_only_when_close(line, named):
    """A Chinese course found by its Chinese words, whose only line the model reads is English:
    a textbook's publisher or a timetable note was quoted as close in meaning to "cyber
    security" (cosine -0.10 and -0.04); a line about keeping hackers out is (0.42)."""
    (hit,) = build_index(BILINGUAL_SECURITY_POOL).rank(
        Query({"title": "网络安全", "description": line})
    )
    assert hit.id == 1
    quoted = [m.term_or_phrase for m in hit.explanation if m.kind == "meaning"]
    assert quoted == ([line] if named else [])
    # The word is shown whole, its parts (网络, 安全) counted with it.
    assert "网络安全" in {m.term_or_phrase for m in hit.explanation}


@needs_model
def test_fused_explanation_adds_up_to_the_score():
    """Less the share from meaning where no line is close enough to name (it is not a reason a
    person could check), which is 1 / (k + the place by meaning)."""
    index = build_index(ENGLISH_POOL)
    k = Settings().fusion_k
    unnamed = 0
    # "write" in the description, not leading an outcome (where it is a Bloom verb, not matched).
    writing = Query(
        {**COURSE.fields, "description": COURSE.fields["description"][:-1] + ", and write reports."}
    )
    for hit in index.rank(writing, k=5):
        kinds = {m.kind for m in hit.explanation}
        assert kinds <= {"term", "meaning"}
        if len(hit.explanation) < 8:  # only the heaviest 8 are kept
            total = sum(m.weight for m in hit.explanation)
            if "meaning" not in kinds and hit.meaning_rank is not None:
                unnamed += 1
                total += 1 / (k + hit.meaning_rank)
            assert math.isclose(total, hit.score, rel_tol=1e-4)
    assert unnamed  # "write SQL queries" is found by "write", and no line means it
    best = index.rank(COURSE, k=1)[0]
    assert best.id == 1
    assert "meaning" in {m.kind for m in best.explanation}
    assert "term" in {m.kind for m in best.explanation}


@needs_model
def test_fusion_keeps_the_lexical_order_of_a_chinese_pool():
    # The model reads English only: a Chinese pool is ranked on words alone, in the same order
    # as without the model, but scored on the fused scale (next test).
    course = Query({"title": "跨境电子商务", "description": "网络营销策划与数据分析。"})
    fused = build_index(CHINESE_POOL).rank(course, k=5)
    lexical = build_index(CHINESE_POOL, settings=LEXICAL).rank(course, k=5)
    assert [r.id for r in fused] == [r.id for r in lexical]
    assert fused[0].id == "zh-1"


@needs_model
def test_a_query_the_model_cannot_read_is_scored_on_the_fused_scale():
    # A programme's review queue orders the suggestions of all its courses by score. A Chinese
    # course's were scored as lexical cosines (up to 1) where an English course's were fused
    # rank terms (up to 2/61), so every Chinese course's suggestions came first, however weak.
    k = Settings().fusion_k
    mixed = build_index(ENGLISH_POOL + CHINESE_POOL)
    chinese = mixed.rank(Query({"title": "跨境电子商务", "description": "网络营销与数据分析"}))
    english = mixed.rank(COURSE)
    assert chinese[0].id == "zh-1"
    assert math.isclose(chinese[0].score, 1 / (k + 1))
    assert all(hit.score <= 2 / (k + 1) for hit in chinese + english)
    assert english[0].score > chinese[0].score  # found by words and by meaning
    # The same for a pool the model cannot read at all, and the explanation still adds up.
    (best, *_) = build_index(CHINESE_POOL).rank(Query({"title": "跨境电子商务运营"}))
    assert math.isclose(best.score, 1 / (k + 1))
    assert math.isclose(sum(m.weight for m in best.explanation), best.score, rel_tol=1e-4)
    assert {m.kind for m in best.explanation} == {"term"}


@needs_model
def test_fusion_respects_restrict_to_and_exclude():
    index = build_index(ENGLISH_POOL)
    assert {r.id for r in index.rank(COURSE, restrict_to={1, 3, 4})} <= {1, 3}
    assert 1 not in [r.id for r in index.rank(COURSE, exclude={1})]
    assert index.rank(COURSE, restrict_to={4}) == []


@needs_model
def test_the_method_names_the_ranking_that_scored():
    # Stored with each suggestion: the fused ranking was long labelled as words alone.
    assert build_index(ENGLISH_POOL).method == "lexical-fields+meaning"
    assert build_index(ENGLISH_POOL, settings=LEXICAL).method == "lexical-fields"


@needs_model
def test_fused_index_pickles_without_the_model():
    index = build_index(ENGLISH_POOL)
    data = index.dumps()
    assert len(data) < 100_000  # per-candidate vectors, not the model's 32,000 token vectors
    assert SuggestionIndex.loads(data).rank(COURSE, k=5) == index.rank(COURSE, k=5)


def test_without_the_model_the_engine_ranks_on_words(monkeypatch, caplog):
    # As if wordllama were not installed: a warning, and exactly the lexical ranking.
    monkeypatch.setattr(semantic.importlib.util, "find_spec", lambda name: None)
    with caplog.at_level("WARNING"):
        assert semantic.load_encoder.__wrapped__(semantic.WORDLLAMA) is None
    assert "not installed" in caplog.text
    monkeypatch.setattr(index_module, "load_encoder", lambda name: None)
    index = build_index(ENGLISH_POOL)
    assert index.semantic is None
    assert index.method == "lexical-fields"
    assert index.rank(COURSE) == build_index(ENGLISH_POOL, settings=LEXICAL).rank(COURSE)
    assert all(m.kind == "term" for r in index.rank(COURSE) for m in r.explanation)


def test_unknown_semantic_model_is_refused():
    with pytest.raises(ValueError, match="unknown semantic model"):
        build_index(ENGLISH_POOL, settings=Settings(semantic_model="no-such-model"))


def test_query_segments_are_lines_and_sentences():
    fields = {
        "title": "Software testing",
        "description": "Plan tests. Execute them; report defects!\nSoftware testing",
        "outcomes": "写单元测试\nWrite unit tests 单元测试",
    }
    assert [(s.field, s.text) for s in semantic.segments(fields)] == [
        ("title", "Software testing"),
        ("description", "Plan tests."),
        ("description", "Execute them;"),
        ("description", "report defects!"),
        ("outcomes", "Write unit tests"),
    ]
    # The explanation quotes a segment as written, Chinese and all.
    assert semantic.segments(fields)[-1].written == "Write unit tests 单元测试"


def test_a_sentence_is_quoted_without_the_semicolon_that_ended_it():
    """Observed: a review quoted “Students analyse market data with Excel and SQL;”, the
    semicolon the description went on after kept in the quote."""
    fields = {"description": "Students analyse market data with Excel and SQL; they report."}
    assert [s.written for s in semantic.segments(fields)] == [
        "Students analyse market data with Excel and SQL",
        "they report.",
    ]
    full_width = {"description": "Analyse market data with SQL\uff1b\nReport to managers"}
    assert semantic.segments(full_width)[0].written == "Analyse market data with SQL"


@needs_model
def test_a_match_by_meaning_quotes_the_line_as_written():
    # It quoted the line as the model read it, Chinese removed: "Keep hackers out" where the
    # course said "网络安全: keep hackers out", which a reviewer could not find in the course.
    query = Query({"outcomes": "网络安全 Keep  hackers out of a network"})
    (hit,) = build_index(SECURITY_POOL).rank(query)
    (match,) = hit.explanation
    assert match.kind == "meaning"
    assert match.term_or_phrase == "网络安全 Keep hackers out of a network"


@needs_model
@pytest.mark.parametrize(
    "bullet",
    ["- ", "• ", "* ", "1) ", "(3) ", "（1）", "① ", "a) "],  # noqa: RUF001
)
def test_a_match_by_meaning_quotes_an_outcome_as_the_course_page_lists_it(bullet):
    """Observed: the quote kept the outcome's bullet ("- Keep hackers out ...") where the
    course page lists the outcome without it: a reviewer read a line the page does not show.
    A description is quoted as written, as the course page shows it."""
    from core.outcomes import outcome_items

    outcomes = f"{bullet}Keep hackers out of a network"
    (hit,) = build_index(SECURITY_POOL).rank(Query({"outcomes": outcomes}))
    (match,) = hit.explanation
    assert match.term_or_phrase == "Keep hackers out of a network" == outcome_items(outcomes)[0]
    (hit,) = build_index(SECURITY_POOL).rank(Query({"description": outcomes}))
    assert hit.explanation[0].term_or_phrase == outcomes.strip()


@needs_model
@pytest.mark.parametrize("separator", [";", "；"])  # noqa: RUF001
def test_a_match_by_meaning_quotes_an_outcome_without_the_semicolon_after_it(separator):
    """Observed (a nursing catalogue, outcomes on one line separated by semicolons): the review
    page quoted "close in meaning to “Demonstrate therapeutic communication;”", the separator
    kept, where the course page lists the outcome without it."""
    from core.outcomes import outcome_items

    outcomes = f"Keep hackers out of a network{separator} Keep the ledgers"
    hit = build_index(SECURITY_POOL).rank(Query({"outcomes": outcomes}))[0]
    assert hit.id == 1
    (match,) = [m for m in hit.explanation if m.kind == "meaning"]
    assert match.term_or_phrase == "Keep hackers out of a network" == outcome_items(outcomes)[0]


@needs_model
def test_encoding_word_by_word_equals_encoding_whole_texts():
    encoder = semantic.load_encoder(semantic.WORDLLAMA)
    texts = ["ICT security administrator", "Run tests on software; node.js and C++", "x"]
    whole = encoder._tokenizer.encode_batch(texts, add_special_tokens=False)
    for text, enc, vector in zip(texts, whole, encoder.encode(texts), strict=True):
        mean = encoder.embedding[enc.ids].mean(axis=0)
        assert vector == pytest.approx(mean / (mean @ mean) ** 0.5, abs=1e-5), text
    assert not encoder.encode([""]).any()


@needs_model
def test_best_scores_in_chunks_equal_each_query_alone(monkeypatch):
    index = build_index(ENGLISH_POOL)
    sem = index.semantic
    encoder = semantic.load_encoder(semantic.WORDLLAMA)
    vectors = encoder.encode(["software tests", "bread", "user interfaces", "SQL", "security"])
    counts = [2, 0, 1, 2]
    monkeypatch.setattr(sem, "SEGMENTS_PER_PRODUCT", 2)
    best = sem.best_scores(vectors, counts)
    starts = [0, 2, 2, 3]
    for i, (start, count) in enumerate(zip(starts, counts, strict=True)):
        alone = (vectors[start : start + count] @ sem.combined.T).max(axis=0) if count else 0
        assert best[i] == pytest.approx(alone, abs=1e-6)


@needs_model
def test_encoding_past_the_word_cache_gives_the_same_vectors(monkeypatch):
    encoder = semantic.load_encoder(semantic.WORDLLAMA)
    texts = ["zyxwv qutsr software", "ponml kjihg testing"]  # words unlikely to be cached
    expected = encoder.encode(texts)
    monkeypatch.setattr(encoder, "_word_ids", {})
    monkeypatch.setattr(encoder, "MAX_CACHED_WORDS", 2)
    assert encoder.encode(texts) == pytest.approx(expected)
    assert len(encoder._word_ids) <= 2


def test_stems_come_from_the_compiled_snowball_stemmer_and_equal_the_pure_python_ones():
    """requirements.txt installs PyStemmer, which snowballstemmer then uses: a fifth of an index
    build over ESCO's 13,939 skills was pure-Python stemming. Same algorithm, same stems."""
    from snowballstemmer.english_stemmer import EnglishStemmer

    from suggestions.engine import text

    assert type(text._STEMMER).__module__ == "Stemmer"
    words = ["analysis", "optimisation", "managing", "networking", "generously", "testers"]
    pure = EnglishStemmer()
    assert [text._STEMMER.stemWord(w) for w in words] == [pure.stemWord(w) for w in words]


def test_the_evaluation_reads_uris_as_the_esco_importer_does():
    """Observed: a skill row without a URI was ranked as a candidate (the importer refuses such
    a row), and a URI written with spaces around it in one file and not in another did not
    match, so its relation went unscored."""
    from suggestions.engine.evaluation import load_trio

    skills = [
        {"conceptUri": " http://s/1 ", "preferredLabel": "write SQL"},
        {"conceptUri": "", "preferredLabel": "a row without its URI"},
        {"conceptUri": "http://s/2", "preferredLabel": "negotiate freight"},
    ]
    occupations = [{"conceptUri": "http://o/1 ", "preferredLabel": "database developer"}]
    relations = [{"occupationUri": " http://o/1", "skillUri": "http://s/1"}]

    queries, candidates, relevant = load_trio(occupations, skills, relations)

    assert sorted(c.id for c in candidates) == ["http://s/1", "http://s/2"]
    assert relevant == {"http://o/1": {"http://s/1"}}
    assert list(queries) == ["http://o/1"]


FULL_WIDTH_PYTHON = "".join(chr(ord(c) + 0xFEE0) for c in "Python")  # as some IMEs type it

# Texts whose terms the tokeniser reads otherwise than they are written: "IT" read as "ICT",
# full-width letters, a stop word inside a phrase, Chinese words with no space between them.
WRITTEN_OTHERWISE = Query(
    {
        "title": "IT Support and Management of Security",
        "description": "Students write "
        + FULL_WIDTH_PYTHON
        + " scripts. 编写Python程序、管理网络安全。",
        "outcomes": "Provide IT support to users\n会用Python编程",
    }
)
WRITTEN_POOL = [
    Candidate(1, {"label": "provide ICT support", "description": "Help users with ICT problems."}),
    Candidate(2, {"label": "manage security", "alt_labels": "security management"}),
    Candidate(3, {"label": "write Python scripts", "description": "编写Python程序"}),
    Candidate(4, {"label": "网络安全管理", "description": "管理网络安全"}),
]


@pytest.mark.parametrize("settings", [LEXICAL, Settings()], ids=["lexical", "fused"])
def test_every_term_an_explanation_quotes_is_written_in_the_field_it_names(settings):
    # It quoted "ict" for a course that says "IT", "management security" for "Management of
    # Security", "python" for Python in full-width letters and "编写 python" for "编写Python":
    # terms a reviewer could not find in the course (the level's outcome lines were looked up
    # by them too). Each match quotes the term as the query field it names writes it.
    hits = build_index(WRITTEN_POOL, settings=settings).rank(WRITTEN_OTHERWISE, k=4)
    assert {hit.id for hit in hits} == {1, 2, 3, 4}
    quoted = [m for hit in hits for m in hit.explanation if m.kind == "term"]
    assert quoted
    for match in quoted:
        assert match.term_or_phrase in WRITTEN_OTHERWISE.fields[match.query_field], match
    terms = {m.term_or_phrase for m in quoted}
    assert {"IT", "Management of Security", "编写Python"} & terms


def test_analysed_terms_keep_the_text_as_written_and_the_keys_as_read():
    text = "IT Support: the Management of Security, " + FULL_WIDTH_PYTHON + " 3; 编写Python程序"
    terms = analyse(text, as_written=True)
    assert [t.key for t in terms] == [t.key for t in analyse(text)]
    assert all(t.surface in text for t in terms)
    surface: dict[str, str] = {}
    for term in terms:
        surface.setdefault(term.key, term.surface)
    assert surface["ict"] == "IT"
    assert surface["manag secur"] == "Management of Security"
    assert surface["python"] == FULL_WIDTH_PYTHON
    assert surface["python 编写"] == "编写Python"
    assert surface["程序"] == "程序"
    # Text NFKC changes in length (a ligature, a composed accent) still maps back.
    changed = "Cafe\u0301 \ufb01nance in \u0130stanbul"
    surfaces = {t.key: t.surface for t in analyse(changed, as_written=True)}
    assert surfaces["financ"] == "\ufb01nance"
    assert all(surface in changed for surface in surfaces.values())


@pytest.mark.parametrize("settings", [LEXICAL, Settings()], ids=["lexical", "fused"])
def test_a_quote_from_a_huge_line_is_short_and_still_found_in_the_text(settings):
    # A description pasted as one line of a megabyte: a match by meaning quoted the whole line,
    # stored with each of the course's twenty suggestions and sent in every API page. A phrase
    # quoted as written may span many stop words.
    text = "Relational databases " + "and the " * 20 + "design. " + "Web databases " * 70_000
    query = Query({"description": text})
    pool = [
        Candidate(1, {"label": "design databases"}),
        Candidate(2, {"label": "develop web databases"}),
    ]
    hits = build_index(pool, settings=settings).rank(query, k=3)
    assert {hit.id for hit in hits} == {1, 2}
    quotes = {m.term_or_phrase for hit in hits for m in hit.explanation}
    for quote in quotes:
        assert len(quote) <= MAX_QUOTE, quote
        # What is left out is marked, and what is quoted is written so in the text.
        assert all(part.strip() in text for part in quote.split("…")), quote
    assert "databases … design" in quotes


@pytest.mark.parametrize("settings", [LEXICAL, Settings()], ids=["lexical", "fused"])
def test_each_query_leaves_out_its_own_candidates_as_ranking_more_and_filtering_did(settings):
    # The app ranked k plus the most any course leaves out (its links, its decided pairs) for
    # every course of a batch, explained them all and filtered afterwards: one course with
    # 500 links made each course of its batch explain 520 candidates, six times the work.
    index = build_index(
        [*ENGLISH_POOL]
        + [Candidate(10 + i, {"label": f"software tests of kind {i}"}) for i in range(30)],
        settings=settings,
    )
    queries = [COURSE, WRITTEN_OTHERWISE, Query({"title": "software tests"})]
    leave_out = [{1, 10, 11, 12}, set(), {2, *range(10, 40, 2)}]
    widest = max(len(ids) for ids in leave_out)
    ranked_more = index.rank_many(queries, k=5 + widest)
    expected = [
        [r for r in hits if r.id not in ids][:5]
        for hits, ids in zip(ranked_more, leave_out, strict=True)
    ]
    got = index.rank_many(queries, k=5, exclude_each=leave_out)
    assert [[(r.id, r.score, r.explanation) for r in hits] for hits in got] == [
        [(r.id, r.score, r.explanation) for r in hits] for hits in expected
    ]
    assert [[r.rank for r in hits] for hits in got] == [list(range(1, len(h) + 1)) for h in got]


def test_a_numbered_job_advert_meets_no_ability_by_its_numbers_alone():
    """A Chinese job advert numbers its duties (1. 2、 (3) 10、): those numbers say nothing of the
    subject, so an ability whose text happens to hold the same small numbers (a maths standard's
    "grade 2", "1/2") is not suggested for them; a number that names something (ISO 9001) still
    matches."""
    pool = [
        Candidate("ratio", {"label": "Compute unit rates: 1/2 mile in each 1/4 hour (grade 2)"}),
        Candidate("iso", {"label": "Apply ISO 9001 quality management"}),
    ]
    advert = Query(
        {
            "description_zh": (
                "岗位职责：\n1. 审核处方；\n2.提供用药咨询\n（3）药品管理\n10、值班\n熟悉ISO 9001"  # noqa: RUF001
            )
        }
    )
    ranked = build_index(pool, settings=LEXICAL).rank(advert, k=5)
    assert [r.id for r in ranked] == ["iso"]
    assert {t.key for t in analyse("1. 审核 2) 咨询 （3） 10、")} == {"审核", "咨询"}  # noqa: RUF001


def test_a_term_two_query_fields_share_is_credited_most_to_the_field_writing_it_most():
    """A term met in two query fields has its match weight split between them in proportion to
    the weight each field put on it (1 + log(tf)): the field writing "SQL" three times is the
    main reason, the one writing it once the lesser, and the two still add up to the score."""
    index = build_index(ENGLISH_POOL, settings=LEXICAL)
    query = Query({"title": "SQL", "description": "SQL basics, SQL joins and SQL views."})
    hit = index.rank(query, k=1)[0]
    assert hit.id == 3
    sql = {m.query_field: m.weight for m in hit.explanation if m.term_or_phrase.lower() == "sql"}
    assert sql.keys() == {"title", "description"}
    assert sql["description"] > sql["title"]
    assert math.isclose(sum(m.weight for m in hit.explanation), hit.score, rel_tol=1e-4)


def test_a_suggestion_sharing_many_terms_gives_its_eight_heaviest_reasons():
    """The reasons shown are capped at eight, heaviest first, however many terms are shared."""
    languages = "python java rust haskell kotlin swift golang ruby perl scala erlang fortran"
    pool = [*ENGLISH_POOL, Candidate(6, {"label": languages})]
    hit = build_index(pool, settings=LEXICAL).rank(Query({"title": languages}), k=1)[0]
    assert hit.id == 6
    assert len(hit.explanation) == 8
    weights = [m.weight for m in hit.explanation]
    assert weights == sorted(weights, reverse=True)


def test_the_evaluation_leaves_out_concepts_without_a_label_as_the_esco_importer_does():
    """A concept not yet translated into the download's language has its URI and no
    preferredLabel (13 skills of ESCO v1.0's en-us download). The importer skips it and the
    relations naming it; observed here: the skill was an empty candidate and its relation
    counted as one the ranking should find, and an occupation without its label a query."""
    from suggestions.engine.evaluation import load_trio

    skills = [
        {"conceptUri": "http://s/1", "preferredLabel": "write SQL"},
        {"conceptUri": "http://s/2", "preferredLabel": " ", "altLabels": "", "description": ""},
        # A repeat of a URI whose first row has no label: the first row counts, as imported.
        {"conceptUri": "http://s/2", "preferredLabel": "negotiate freight"},
    ]
    occupations = [
        {"conceptUri": "http://o/1", "preferredLabel": "database developer"},
        {"conceptUri": "http://o/2", "preferredLabel": "", "description": "Ships goods."},
    ]
    relations = [
        {"occupationUri": "http://o/1", "skillUri": "http://s/1"},
        {"occupationUri": "http://o/1", "skillUri": "http://s/2"},
        {"occupationUri": "http://o/2", "skillUri": "http://s/1"},
    ]

    queries, candidates, relevant = load_trio(occupations, skills, relations)

    assert [c.id for c in candidates] == ["http://s/1"]
    assert relevant == {"http://o/1": {"http://s/1"}}
    assert list(queries) == ["http://o/1"]
