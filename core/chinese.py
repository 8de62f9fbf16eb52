"""Chinese words as the site's search and the suggestion engine both read them: jieba's search
mode less the words it finds across the parts of a longer one. Plain Python (jieba alone), so
that the suggestion engine, which imports no framework, reads Chinese as the search does."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

# Compounds Chinese writes short (跨境电商 is 跨境电子商务): the long one is also read as the short
# one, so a record (or an ability) and a query (or a course) meet whichever each writes.
CHINESE_SHORT_FORMS = {"电子商务": "电商"}


def new_tokenizer(words: Iterable[str] = ()):
    """A `jieba.Tokenizer` of jieba's own dictionary, plus `words`, for one reader alone: the
    site's search and the suggestion engine each have their own, so that words one teaches its
    dictionary (the engine's names of kinds of course, 顶岗实习) do not change how the other
    reads (jieba's module-level functions share one process-wide dictionary). A second
    dictionary costs about half a second and 70 MB of memory once a process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word)
    return tokenizer


def cuts(word: str, tokenizer) -> frozenset[int]:
    """Where `word` divides into the words it is made of, at every depth: its most likely
    segmentation without itself (the `tokenizer`'s dictionary and frequencies, a
    `jieba.Tokenizer`), and so on inside each part longer than two characters. 搜索引擎 is
    搜索|引擎 (0, 2, 4), never 搜|索引|擎."""
    dag = tokenizer.get_DAG(word)
    dag[0] = [end for end in dag[0] if end != len(word) - 1] or [0]
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(word, dag, route)
    found = {0, len(word)}
    at = 0
    while at < len(word):
        end = route[at][1] + 1
        if end - at > 2 and end - at < len(word):
            found.update(at + c for c in cuts(word[at:end], tokenizer))
        found.add(end)
        at = end
    return frozenset(found)


def search_words(run: str, tokenizer) -> Iterator[tuple[str, int, int]]:
    """jieba's search mode (`Tokenizer.tokenize(mode="search")`, the same words in the same
    order), each with its start and end in `run`, less the words it finds across the parts of a
    longer one: it yields every dictionary word inside a word of three characters or more, and
    搜索引擎 (search engine) gave 索引 (index), 数据库 据库, 国内外 内外. A word inside is kept
    only where the longer word divides at both its ends (`cuts`)."""
    for w, start, end in tokenizer.tokenize(run, HMM=True):
        if len(w) > 2:
            divides = cuts(w, tokenizer)
            for n in (2, 3) if len(w) > 3 else (2,):
                for i in range(len(w) - n + 1):
                    if i in divides and i + n in divides and tokenizer.FREQ.get(w[i : i + n]):
                        yield w[i : i + n], start + i, start + i + n
        yield w, start, end
