"""Chinese words as the site's search and the suggestion engine both read them: jieba's search
mode less the words it finds across the parts of a longer one. Plain Python (jieba alone), so
that the suggestion engine, which imports no framework, reads Chinese as the search does."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import cache

# Compounds Chinese writes short (跨境电商 is 跨境电子商务): the long one is also read as the short
# one, so a record (or an ability) and a query (or a course) meet whichever each writes.
CHINESE_SHORT_FORMS = {"电子商务": "电商"}

_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# OpenCC's Simplified-to-Traditional character sets: the standard's, Taiwan's, Hong Kong's.
_TO_TRADITIONAL = ("s2t", "s2tw", "s2hk")


@cache
def _opencc(config: str):
    """One of OpenCC's converters (`config`: t2s, s2tw...), once per process."""
    # Imported on first Chinese text only, as jieba is.
    import opencc

    return opencc.OpenCC(config)


def _converter():
    """OpenCC's Traditional-to-Simplified converter."""
    return _opencc("t2s")


def has_han(text: str) -> bool:
    """Whether `text` holds a Han character: Chinese, wholly or in part."""
    return bool(_HAN_RE.search(text))


def simplified(text: str) -> str:
    """`text` with its Traditional Chinese read as Simplified (OpenCC's t2s: 跨境電商數據分析 is
    跨境电商数据分析), every other character as it is, and of the same length: the word lists,
    jieba's dictionary and the paper's statements are Simplified, and Taiwan, Hong Kong and
    Macau write Traditional.

    t2s converts character for character (its phrases only choose among a character's
    Simplified forms: 乾隆 keeps 乾 where 乾燥 is 干燥), so each character keeps its place and
    an explanation quotes the text as written. Should a conversion ever change the length, each
    character is converted on its own instead. Text without Han characters (English) is
    returned as it is, without calling the converter.
    """
    if text.isascii() or not _HAN_RE.search(text):
        return text
    convert = _converter().convert
    out = convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        one = convert(ch) if _HAN_RE.match(ch) else ch
        chars.append(one if len(one) == 1 else ch)
    return "".join(chars)


def traditional_spellings(text: str) -> tuple[str, ...]:
    """`text`, Simplified, and as Traditional Chinese writes it: OpenCC's standard characters
    (s2t), Taiwan's (s2tw: 裡 where s2t writes 裏) and Hong Kong's (s2hk), the distinct ones,
    `text` first. Characters alone, not words (数据 is 數據, not Taiwan's 資料:
    `regional_variants`)."""
    if text.isascii() or not _HAN_RE.search(text):
        return (text,)
    return tuple(dict.fromkeys([text, *(_opencc(c).convert(text) for c in _TO_TRADITIONAL)]))


def regional_variants(text: str) -> tuple[str, ...]:
    """`text` in the other region's words, Simplified: the mainland's words as Taiwan says them
    (OpenCC's s2twp phrases: 数据分析 is 资料分析, 软件 软体, 服务器 伺服器, 信息 资讯, 网络
    网路, 程序 程式), and, unless `text` is written in Simplified characters (a character of it
    is not Traditional), Taiwan's words as the mainland says them (tw2sp: 資料 is 数据, 軟體
    软件, 伺服器 服务器, 程式 程序). A word written the same in both scripts (伺服器, 程式) may
    be either region's. Those phrase tables also pair words each side writes otherwise (建立
    创建, 程序 进程, 文件 档案): a search looking for every variant, OR'd, finds a little more,
    never less. 资料 typed in Simplified is the mainland's word (materials), not Taiwan's for
    data. The distinct variants other than `simplified(text)`; none for a text without
    Chinese."""
    if text.isascii() or not _HAN_RE.search(text):
        return ()
    base = simplified(text)
    variants = [_opencc("t2s").convert(_opencc("s2twp").convert(base))]
    if base != text or _opencc("s2t").convert(text) == text:
        variants.append(_opencc("tw2sp").convert(_opencc("s2tw").convert(base)))
    return tuple(v for v in dict.fromkeys(variants) if v != base)


def spellings(text: str) -> tuple[str, ...]:
    """Every spelling a record may give `text` in: as typed, Simplified, each regional variant
    (`regional_variants`), each of these in Traditional characters (`traditional_spellings`);
    the distinct ones, as typed first. What a substring search looks for, OR'd: the database
    cannot call OpenCC, so the query is spelt every way instead of the records one way."""
    if text.isascii() or not _HAN_RE.search(text):
        return (text,)
    found = [text]
    for variant in (simplified(text), *regional_variants(text)):
        found.extend(traditional_spellings(variant))
    return tuple(dict.fromkeys(found))


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
