"""Tokenisation for English, Chinese and mixed text.

Every field, of a query or of a candidate, goes through the same `analyse`, so a term produced on
one side can only ever be compared with the same term on the other side. Terms are:

- English words, lowercased, stop words dropped, Snowball-stemmed ("testing" -> "test");
- Chinese words from jieba's search-mode segmentation, which also yields the shorter words
  inside a long one (跨境电子商务 -> 跨境, 电子, 商务, 电子商务), so a course that writes the
  compound and an ability that writes only its parts still meet;
- phrases: two content words adjacent once stop words are dropped, joined by a space in
  alphabetical order ("softwar test"). A phrase is rarer than its words, so it gets a higher IDF
  and rewards candidates that put the same two words together.

Each term keeps the surface form it was first seen with, so an explanation can show "software
testing" rather than the stem "softwar test".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

# A small, conservative list: words that carry no topic in course or skill text. IDF would push
# most of them down anyway; dropping them here keeps them out of phrases ("use of data" gives the
# phrase "use data") and out of explanations.
_ENGLISH_STOP_WORDS = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing down during each
    etc e.g eg few for from further had has have having he her here hers herself him himself his
    how i ie i.e if in into is it its itself just let me more most my myself no nor not of off on
    once only or other ought our ours ourselves out over own per same she should so some such than
    that the their theirs them themselves then there these they this those through thus to too
    under until up upon very via was we were what when where which while who whom why will with
    within without would you your yours yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())

# Function words that jieba keeps as words of their own.
_CHINESE_STOP_WORDS = """
    的 地 得 了 着 过 和 与 及 以及 或 或者 并 并且 而 而且 等 等等 在 是 为 对 对于 将 把 被
    从 向 由 于 以 之 其 中 上 下 能 能够 可 可以 会 要 需 需要 应 应当 具有 具备 进行 通过
    使用 一个 一些 这 那 这些 那些 我们 学生 本 该 各 每 所 如 如何 相关 有关 方面 主要 基本
    一定
"""
CHINESE_STOP_WORDS = frozenset(_CHINESE_STOP_WORDS.split())

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of CJK characters, or a Latin/digit word. "c++", "c#", ".net" and "node.js" stay whole:
# they name technologies, and splitting them would match every "c" and "net".
_TOKEN_RE = re.compile(
    rf"(?P<cjk>[{_CJK}]+)"
    r"|(?P<word>\.?[a-z0-9](?:[a-z0-9]|[.'](?=[a-z0-9]))*[+#]*)"
)
# Sentence and clause punctuation: a phrase never spans one, nor a line break (ESCO alternative
# labels are one per line, and "java\npython" is not the phrase "java python").
# A full stop breaks only before a space or the end, so ".net" and "node.js" survive. Full-width
# commas, colons and brackets need no entry: NFKC has made them ASCII by then.
_BREAK_RE = re.compile(r"[\n\r;:,!?()\[\]{}\"|/。、【】《》“”]|\.(?=\s|$)")

_STEMMER = snowballstemmer.stemmer("english")


class Term(NamedTuple):
    """One indexed term: `key` is compared, `surface` is shown to people.

    A named tuple rather than a frozen dataclass: a pool makes a million of them, and a tuple is
    several times cheaper to create.
    """

    key: str
    surface: str


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # Stemming is the hot spot of tokenising English; a skill pool repeats few thousand words.
    if word[0].isdigit() or "+" in word or "#" in word or "." in word:
        return word
    return _STEMMER.stemWord(word.replace("'", ""))


def _jieba_words(run: str) -> list[str]:
    # jieba is imported on first Chinese text only: its dictionary takes a second to load, which
    # an English-only pool should not pay.
    import jieba

    jieba.setLogLevel(60)
    return [w for w in jieba.cut_for_search(run, HMM=True) if w.strip()]


def _clauses(text: str) -> Iterator[str]:
    for clause in _BREAK_RE.split(text):
        if clause.strip():
            yield clause


_IT_RE = re.compile(r"\bIT\b")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lowercase.

    Upper-case "IT" is information technology, which ESCO and course texts use interchangeably
    with "ICT"; lowercased it would be the stop word "it" and vanish.
    """
    return _IT_RE.sub("ICT", unicodedata.normalize("NFKC", text)).lower()


def analyse(text: str | None, *, phrases: bool = True) -> list[Term]:
    """The terms of `text`, in order, with repeats: words first-class, phrases after each clause."""
    if not text:
        return []
    out: list[Term] = []
    for clause in _clauses(normalise(text)):
        content: list[Term] = []  # content words of this clause, for phrases
        for m in _TOKEN_RE.finditer(clause):
            if m.group("cjk"):
                run = m.group("cjk")
                words = _jieba_words(run)
                for w in words:
                    if w in CHINESE_STOP_WORDS:
                        continue
                    term = Term(w, w)
                    out.append(term)
                # Phrases from Chinese come from the plain (non-search) cut: search mode's
                # overlapping sub-words are not adjacent words of the sentence.
                if phrases:
                    content.extend(
                        Term(w, w) for w in _plain_cut(run) if w not in CHINESE_STOP_WORDS
                    )
                continue
            word = m.group("word").rstrip(".'")
            if not word or word in ENGLISH_STOP_WORDS or (len(word) == 1 and word.isalpha()):
                continue
            term = Term(_stem(word), word)
            out.append(term)
            content.append(term)
        if phrases:
            for a, b in itertools.pairwise(content):
                if a.key != b.key:
                    # The key ignores word order: "security management" and "management of
                    # security" are the same phrase.
                    key = f"{a.key} {b.key}" if a.key < b.key else f"{b.key} {a.key}"
                    out.append(Term(key, f"{a.surface} {b.surface}"))
    return out


def _plain_cut(run: str) -> list[str]:
    import jieba

    return [w for w in jieba.cut(run, HMM=True) if w.strip()]


def has_cjk(text: str) -> bool:
    """Whether `text` has any Chinese character (decides whether jieba is needed at all)."""
    return re.search(f"[{_CJK}]", text) is not None
