"""Tokenisation for English, Chinese and mixed text.

Every field, of a query or of a candidate, goes through the same `analyse`, so a term produced on
one side can only ever be compared with the same term on the other side. Terms are:

- English words, lowercased, stop words dropped, Snowball-stemmed ("testing" -> "test"), except
  words Snowball joins with an unrelated family ("customs" is not "customer": `_OWN_STEMS`);
  British and American spellings are read as one first ("optimize" as "optimise", "behaviour"
  as "behavior": `core.english.one_spelling`, which the site search reads too);
- Chinese words from jieba's search-mode segmentation, which also yields the shorter words
  inside a long one (跨境电子商务 -> 跨境, 电子, 商务, 电子商务), so a course that writes the
  compound and an ability that writes only its parts still meet; except the names of kinds of
  course (毕业设计, 课程设计, 生产实习: `CURRICULUM_COMPOUNDS`), whose parts say nothing of
  the subject; a long form is also read as its short one (电子商务 as 电商, so 跨境电商 meets
  跨境电子商务: `CHINESE_SHORT_FORMS`); Traditional Chinese is read as Simplified first
  (`simplified`: 數據分析 is 数据分析, in a query as in a candidate);
- the English names of such courses ("capstone project", "work placement":
  `ENGLISH_CURRICULUM_COMPOUNDS`), each one term, its words not terms of their own;
- phrases: two content words adjacent once stop words are dropped, joined by a space in
  alphabetical order ("softwar test"). A phrase is rarer than its words, so it gets a higher IDF
  and rewards candidates that put the same two words together.
- in Chinese, the words a coordination puts together though they are apart: 数据分析与挖掘 is
  also 数据挖掘 and 网店运营和推广 (or 网店的运营和推广) also the phrase (网店, 推广)
  (`_coordinated`).

Each term keeps a surface form, so an explanation can show "software testing" rather than the
stem "softwar test". Read `as_written` (a query's fields, which explanations quote), the surface
is the text exactly as written: "IT" where the key is "ict", full-width letters where it has
ASCII ones, "Management of Security" for the phrase "manag secur", "编写Python" for "python 编写".
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

from core.chinese import CHINESE_SHORT_FORMS, new_tokenizer, search_words, simplified
from core.english import one_spelling

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

# Function words that jieba keeps as words of their own, and 知识 (knowledge), which outcomes
# write of anything ("所学知识", "等知识"): jieba keeps 知识产权 whole, a subject of its own.
# Likewise the frame of a Chinese ability statement or job advert, "具有较强的…能力",
# "熟悉…", "精通…": 能力 (ability) and the words saying how well (a syllabus's tiers 了解 <
# 理解, 熟悉 < 掌握, and 识记 < 领会, which `outcomes.py` reads for the level) say nothing of
# the subject, and a course "培养…开拓海外市场的能力" was suggested foreign-language
# communication for 能力 alone.
# jieba keeps 能力 apart from what precedes it (数据分析能力 is 数据分析 and 能力).
_CHINESE_STOP_WORDS = """
    的 地 得 了 着 过 和 与 及 以及 或 或者 并 并且 而 而且 等 等等 在 是 为 对 对于 将 把 被
    从 向 由 于 以 之 其 中 上 下 能 能够 可 可以 会 要 需 需要 应 应当 具有 具备 进行 通过
    使用 一个 一些 这 那 这些 那些 我们 学生 本 该 各 各个 各类 每 所 所学 如 如何 相关 有关
    方面 主要 基本 一定 知识
    能力 较强 良好 熟悉 熟练 精通 擅长 了解 理解 掌握 识记 领会
"""
CHINESE_STOP_WORDS = frozenset(_CHINESE_STOP_WORDS.split())

# The stop words by their first character, for `chinese_stop_word`.
_STOP_WORD_PARTS: dict[str, list[str]] = {}
for _stop in sorted(CHINESE_STOP_WORDS):
    _STOP_WORD_PARTS.setdefault(_stop[0], []).append(_stop)


@lru_cache(maxsize=50_000)
def chinese_stop_word(word: str) -> bool:
    """Whether a Chinese word says nothing of the subject: a stop word, or a longer word jieba
    keeps whole that is spelt wholly by stop words (熟练掌握, the commonest tier of a syllabus;
    基本知识; 精通于), which were terms though their parts are not. A word with a part of its
    own (基础知识, 专业知识) is a term. Two characters are left to the list: 对应 and 应对
    spell 对 and 应 but are words."""
    if word in CHINESE_STOP_WORDS:
        return True
    if len(word) < 3:
        return False
    ends = {0}  # where a run of stop words from the start reaches
    for start in range(len(word)):
        if start in ends:
            ends.update(
                start + len(stop)
                for stop in _STOP_WORD_PARTS.get(word[start], ())
                if len(stop) < len(word) and word.startswith(stop, start)
            )
    return len(word) in ends


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
# commas, colons and brackets need no entry: NFKC has made them ASCII by then; Chinese corner
# and tortoise-shell brackets it leaves as they are, and the Chinese dash (two em dashes, 破折号).
# The enumeration comma 、 is no break: it coordinates (市场调研、分析 is 市场调研 and 市场分析,
# `_coordinated`), though the two words beside it make no phrase, as across a break.
_BREAK_RE = re.compile(
    r"[\n\r;:,!?()\[\]{}\"|/。【】《》“”「」『』〈〉〔〕〖〗〘〙]|——|\.(?=\s|$)"  # noqa: RUF001
)
_ENUMERATION_COMMA = "、"
# What coordinates two nouns or noun phrases in Chinese (each a stop word, so all that stands
# between the conjuncts). Not 并 (并且) nor 或, which join verbs and clauses more often
# ("识别并防范风险": the verbs share their object).
_COORDINATORS = frozenset({"与", "和", "及", "以及", _ENUMERATION_COMMA})
# What makes the words before it modify the words after it, as no gap does: 网店的运营和推广 is
# 网店运营和推广 (`_coordinated`). 的, and 之, which formal syllabi write for it (风险之识别与
# 防范; jieba keeps 之间 and 之一 whole). Not 地, which makes an adverb of the word before it
# (有效地沟通与协调): how a thing is done, not what it is done to.
_MODIFIER_PARTICLES = frozenset({"的", "之"})

_STEMMER = snowballstemmer.stemmer("english")

# The most of the text an explanation quotes at once (a line close in meaning, a term): a
# description pasted as one line of a megabyte was quoted whole, stored with each of its
# suggestions and sent with every page of them. Longer quotes end with "…".
MAX_QUOTE = 200
# A phrase quoted as written shows what stands between its two words ("management of
# security"), unless that is longer than this: then "databases … design".
_MAX_PHRASE_GAP = 40


# A cut backs off to the end of the word it would fall in, by at most this many characters: a
# "word" longer than that (a URL, a run of letters with no space) is cut where it falls.
_MAX_WORD_BACKOFF = 30


def cut_short(text: str, limit: int) -> str:
    """`text`, or where it is longer than `limit` its start and "…", `limit` characters at most,
    ending after a whole word: "overseas wareh…" read as a word of its own. Chinese has no
    spaces between words; its characters are cut anywhere."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if _in_a_word(head[-1]) and _in_a_word(text[limit - 1]):
        for back in range(1, min(_MAX_WORD_BACKOFF, len(head) - 1) + 1):
            if not _in_a_word(head[-back - 1]):
                head = head[:-back]
                break
    return head.rstrip() + "…"


# How much of each field, of a query (a course's title, description and outcomes, a position's
# description) or of a candidate (an ability's description), the engine reads: its first
# READ_FIELD_CHARS characters. Far more than any real text: the ESCO pool's longest field is
# 1,512 characters, a 20-page syllabus about 60,000. Reading is linear in the text but slow (a
# megabyte of English took seconds to analyse, one of Chinese without punctuation 18 to 40 s,
# mostly jieba), and a field has no length limit (a pasted document, an imported row of up to
# IMPORT_MAX_LINE_CHARS): read whole, one course held a worker for minutes at every refresh.
READ_FIELD_CHARS = 100_000
# Where a field is longer, it is cut at the last line break or sentence end within this many
# characters of the limit, else at the last space, else at the limit itself.
_READ_BACKOFF = 2000
_READ_BREAK_RE = re.compile(r"[\n.!?;。！？；](?=\s|$)|[\n。！？；]")  # noqa: RUF001
_READ_SPACE_RE = re.compile(r"\s")


def read_part(text: str, limit: int = READ_FIELD_CHARS) -> str:
    """The part of `text` the engine reads: all of it up to `limit` characters; past that, its
    start up to a line break or sentence end near the limit (`_READ_BACKOFF`). What is stored
    stays whole; nothing is matched, quoted or read for a level past this part."""
    if len(text) <= limit:
        return text
    window_start = max(0, limit - _READ_BACKOFF)
    window = text[window_start:limit]
    for pattern in (_READ_BREAK_RE, _READ_SPACE_RE):
        ends = [m.end() for m in pattern.finditer(window)]
        if ends:
            return text[: window_start + ends[-1]]
    return text[:limit]


def _in_a_word(ch: str) -> bool:
    """Whether `ch` belongs to a word in Latin (or another spaced) script, not to Chinese."""
    return (ch.isalnum() or ch in "'\u2019-") and not _HAN_RE.match(ch)


def quote(written: str) -> str:
    """`written`, cut to MAX_QUOTE characters with "…" where it is longer (`cut_short`)."""
    return cut_short(written, MAX_QUOTE)


class Term(NamedTuple):
    """One indexed term: `key` is compared, `surface` is shown to people.

    A named tuple rather than a frozen dataclass: a pool makes a million of them, and a tuple is
    several times cheaper to create.
    """

    key: str
    surface: str
    # A Chinese word found inside a longer word jieba keeps whole (`_compound_parts`).
    part: bool = False
    # The key of the Chinese word this one stands directly before, no stop word between: the
    # word it narrows (国际 before 物流 in 国际物流; `term_frequencies`).
    head: str | None = None


def count_terms(
    terms: Iterable[Term], vocab: Mapping[str, int]
) -> dict[int, tuple[float, frozenset[str] | None]]:
    """A field's terms that `vocab` knows, by column: 1 + log(tf), and None where the field
    writes the term whole at least once; else the Chinese words it narrows there (`Term.head`),
    empty where it is only found inside a longer word (`Term.part`). See `compound_factor`."""
    counts: Counter[int] = Counter()
    narrows: dict[int, set[str]] = {}
    whole: set[int] = set()
    for t in terms:
        j = vocab.get(t.key)
        if j is None:
            continue
        counts[j] += 1
        if t.part or t.head is not None:
            heads = narrows.setdefault(j, set())
            if not t.part:
                heads.add(t.head)
        else:
            whole.add(j)
    return {
        j: (1 + math.log(tf), None if j in whole else frozenset(narrows[j]))
        for j, tf in counts.items()
    }


def compound_factor(
    j: int,
    narrows: frozenset[str] | None,
    vocab: Mapping[str, int],
    idf: Sequence[float],
    part_weight: float,
) -> float:
    """`part_weight` for a Chinese word (column `j`) a field writes only as a part of a longer
    one, else 1: found inside a word jieba keeps whole (国际 of 国际化, 关系 of 公共关系), or
    narrowing a word (`narrows`) no more common than itself in the pool (国际 of 国际物流;
    仓 of 海外仓, no term, counts as the rarest). A compound names its kind by its last word,
    which the others narrow; where that is the commoner word (管理 of 供应链管理), the word
    before it is the subject and keeps its weight."""
    if narrows is None:
        return 1.0
    for head in narrows:
        h = vocab.get(head)
        if h is not None and idf[h] < idf[j]:
            return 1.0
    return part_weight


def term_frequencies(
    terms: Iterable[Term], vocab: Mapping[str, int], part_weight: float, idf: Sequence[float]
) -> dict[int, float]:
    """A field's weight on each of its terms `vocab` knows, by column: 1 + log(tf), times
    `compound_factor`."""
    return {
        j: tf * compound_factor(j, narrows, vocab, idf, part_weight)
        for j, (tf, narrows) in count_terms(terms, vocab).items()
    }


# Words Snowball stems with an unrelated family, each given a stem of its own family: "customs"
# (clearance) was "custom" as "customer" is, "audition" "audit", "important" "import", "several"
# "sever". Found by grouping the ESCO skill pool's words by stem and reading each group (not by
# its relations); a group of related meanings ("organ", "organic"; "physics", "physical") is
# left whole. Two unrelated pairs are left joined: "integrity" with "integrate" and "engine"
# with "engineering"; split, either made "integr" or "engin" rarer in the pool and moved one
# ESCO occupation's first relevant skill down a place (PERFORMANCE.md). The first word of each
# line is the stem.
_OWN_STEM_FAMILIES = """
    customs
    customer customers
    important importantly importance unimportant
    audition auditions auditioning auditioned
    hospitality
    experiment experiments experimental experimentally experimenting experimented experimentation
    executive executives
    positive positively positivity positiveness
    objective objectives objectively objectivity
    informal informally
    careful carefully carefulness
    consistent consistently consistency
    designate designated designates designating designation designations
    conversation conversations conversational
    several
    polite politely politeness
    animation animations animate animated animating animator animators
    authority authorities
    formation formations
    additive additives
    relative relatives relatively
    initial initially
    securities
"""
_OWN_STEMS = {
    word: line.split()[0]
    for line in _OWN_STEM_FAMILIES.strip().splitlines()
    for word in line.split()
}


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # Stemming is the hot spot of tokenising English; a skill pool repeats few thousand words.
    if word[0].isdigit() or "+" in word or "#" in word or "." in word:
        return word
    word = one_spelling(word.replace("'", ""))
    return _OWN_STEMS.get(word) or _STEMMER.stemWord(word)


# Names of a kind of course, not of what it teaches: 毕业设计 (graduation project) is no more
# about design than 毕业论文 (graduation thesis) is about papers, or 生产实习 (production
# internship) about production. jieba's search mode yields their parts too (毕业, 设计), so a
# graduation project was suggested every design ability. Each is one word, with no parts: it
# still matches a text that names it, and the course's subject is in the rest of its text.
_CURRICULUM_COMPOUNDS = """
    毕业设计 毕业论文 毕业实习 毕业实践 毕业综合实践 课程设计 课程论文 课程实习 课程实践
    学年论文 学期论文 生产实习 专业实习 认识实习 教学实习 顶岗实习 岗位实习 跟岗实习 金工实习
    综合实习 企业实习 实训 综合实训 专业实训 实践教学 社会实践 专业实践 综合实践
"""
CURRICULUM_COMPOUNDS = frozenset(_CURRICULUM_COMPOUNDS.split())

# The same kinds of course named in English, one a line: a capstone project is no more about
# project management than 毕业设计 is about design, nor a lab session about laboratories, and
# the "practical" of practical training or the "design" of a course design is no Bloom verb.
# Each is one term (its words joined by "_", which no word has), in any case, its words apart
# by spaces or hyphens ("final-year project"), with or without a plural "s". Only names with no
# other reading: ESCO writes "film production practice" and "literacy as a social practice"
# about production and literacy, so 生产实习 and 社会实践 have no English entry here.
_ENGLISH_CURRICULUM_COMPOUNDS = """
    capstone project
    capstone course
    final year project
    graduation project
    graduation design
    graduation thesis
    graduation internship
    bachelor thesis
    bachelor's thesis
    master thesis
    master's thesis
    course design
    course project
    course paper
    term paper
    production internship
    professional internship
    company internship
    enterprise internship
    work placement
    industrial placement
    industry placement
    lab session
    laboratory session
    practical session
    practical training
    practical teaching
"""
ENGLISH_CURRICULUM_COMPOUNDS = tuple(
    line.strip() for line in _ENGLISH_CURRICULUM_COMPOUNDS.strip().splitlines()
)
# Longest first, one group each: the group that matched names the compound.
_EN_COMPOUNDS_BY_LENGTH = sorted(ENGLISH_CURRICULUM_COMPOUNDS, key=len, reverse=True)
_EN_WORD_GAP = r"[\s-]+"
ENGLISH_COMPOUND_RE = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(f"({_EN_WORD_GAP.join(map(re.escape, c.split()))})" for c in _EN_COMPOUNDS_BY_LENGTH)
    + r")s?(?![a-z0-9])",
    re.IGNORECASE,
)
_EN_COMPOUND_KEYS = {
    group: "_".join(word.removesuffix("'s") for word in compound.split())
    for group, compound in enumerate(_EN_COMPOUNDS_BY_LENGTH, start=1)
}
# The words a compound starts with: only at one of them is a compound looked for.
_EN_COMPOUND_STARTS = frozenset(c.split()[0] for c in ENGLISH_CURRICULUM_COMPOUNDS)


def without_english_compounds(text: str) -> str:
    """`text` with its English curriculum compounds blanked, each character a space: what a
    model reading meaning should read of a query (it reads nothing of a Chinese compound)."""
    return ENGLISH_COMPOUND_RE.sub(lambda m: " " * len(m.group()), text)


def english_compound(text: str, at: int) -> tuple[str, int] | None:
    """(key, end) of the English curriculum compound starting at `at` in `text`, if any."""
    m = ENGLISH_COMPOUND_RE.match(text, at)
    return (_EN_COMPOUND_KEYS[m.lastindex], m.end()) if m else None


@lru_cache(maxsize=1)
def _jieba():
    """The engine's own jieba dictionary taught the curriculum compounds (once per process; not
    jieba's process-wide one, which taught them changed how the site's search read Chinese:
    `core.chinese.new_tokenizer`)."""
    # Loaded on first Chinese text only: the dictionary takes a second to load, which an
    # English-only pool should not pay.
    return new_tokenizer(sorted(CURRICULUM_COMPOUNDS))


@lru_cache(maxsize=50_000)
def _jieba_words(run: str) -> list[tuple[str, int, int]]:
    """The search-mode words of a run of Chinese (`core.chinese.search_words`, as the site's
    search reads them), each with its start and end in the run, each long form followed by its
    short one (CHINESE_SHORT_FORMS), less the parts of a curriculum compound."""
    words = []
    for w, start, end in search_words(run, _jieba()):
        if w.strip():
            words.append((w, start, end))
            if w in CHINESE_SHORT_FORMS:
                words.append((CHINESE_SHORT_FORMS[w], start, end))
    wholes = [(start, end) for w, start, end in words if w in CURRICULUM_COMPOUNDS]
    if not wholes:
        return words
    return [
        w
        for w in words
        if w[0] in CURRICULUM_COMPOUNDS or not any(s <= w[1] and w[2] <= e for s, e in wholes)
    ]


def _clauses(text: str) -> Iterator[tuple[str, int]]:
    """The clauses of normalised text, each with where it starts."""
    start = 0
    for brk in _BREAK_RE.finditer(text):
        if text[start : brk.start()].strip():
            yield text[start : brk.start()], start
        start = brk.end()
    if text[start:].strip():
        yield text[start:], start


_IT_RE = re.compile(r"\bIT\b")
_HAN_RE = re.compile(f"[{_CJK}]")


def _unaccented() -> dict[int, str]:
    """Each accented Latin letter (Latin-1 Supplement to Latin Extended-B) as its ASCII letter,
    one character for one (é is e, Ł is L), as the site's search folds accents: a word written
    with an accent is the word (résumé, naïve, façade), not two words broken at it. Letters
    that are no accented ASCII letter (ß, æ, þ) stay as they are."""
    table = {ord(ch): base for ch, base in {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}.items()}
    table |= {ord("đ"): "d", ord("Đ"): "D", ord("ħ"): "h", ord("Ħ"): "H", ord("ı"): "i"}  # noqa: RUF001
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        if (
            len(decomposed) > 1
            and decomposed[0].isascii()
            and decomposed[0].isalpha()
            and all(unicodedata.combining(mark) for mark in decomposed[1:])
        ):
            table[code] = decomposed[0]
    return table


_UNACCENTED = _unaccented()


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), Traditional Chinese as Simplified
    (`simplified`), lowercase, and accented Latin letters as their letters (`_unaccented`;
    one character for one, so an explanation still quotes the text as written).

    Upper-case "IT" is information technology, which ESCO and course texts use interchangeably
    with "ICT"; lowercased it would be the stop word "it" and vanish.
    """
    read = _IT_RE.sub("ICT", simplified(unicodedata.normalize("NFKC", text))).lower()
    return read if read.isascii() else read.translate(_UNACCENTED)


class _Written:
    """Where each character of `normalise(text)` comes from in `text`, so that a span of the
    normalised text can be quoted as written. NFKC (a ligature is two letters, an accent joins
    its letter), "IT" read as "ICT" and lowercasing (a dotted capital I is two characters)
    change lengths; each normalised character keeps the start and end of the written
    characters it comes from. Traditional Chinese read as Simplified keeps every character in
    its place (`simplified`), so 數據分析 is quoted as written where 数据分析 is matched."""

    __slots__ = ("ends", "identity", "starts", "text")

    def __init__(self, text: str, normalised: str):
        self.text = text
        self.starts: list[int] | None = None
        self.ends: list[int] | None = None
        # ASCII without "IT": NFKC and lowercasing keep every character in its place.
        self.identity = text.isascii() and _IT_RE.search(text) is None
        if self.identity:
            return
        # NFKC of each character with the combining marks that follow it, so that a mark that
        # joins its letter maps to the letter's place.
        pieces: list[tuple[str, int, int]] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or not unicodedata.combining(text[i]):
                pieces.append((unicodedata.normalize("NFKC", text[start:i]), start, i))
                start = i
        nfkc = "".join(piece for piece, _, _ in pieces)
        if nfkc != unicodedata.normalize("NFKC", text):
            return  # composed across pieces (Hangul jamo): quoted as read
        starts, ends = _read_as_ict(
            [s for piece, s, _ in pieces for _ in piece],
            [e for piece, _, e in pieces for _ in piece],
            nfkc,
        )
        lowered_starts: list[int] = []
        lowered_ends: list[int] = []
        for ch, s, e in zip(_IT_RE.sub("ICT", nfkc), starts, ends, strict=True):
            n = len(ch.lower())
            lowered_starts.extend([s] * n)
            lowered_ends.extend([e] * n)
        if len(lowered_starts) == len(normalised):
            self.starts, self.ends = lowered_starts, lowered_ends

    def span(self, start: int, end: int, read: str) -> str:
        """The written text of the normalised span [start, end); `read` where it cannot tell."""
        if self.identity:
            return self.text[start:end]
        if self.starts is None or self.ends is None:
            return read
        return self.text[self.starts[start] : self.ends[end - 1]]


def _read_as_ict(
    starts: Sequence[int], ends: Sequence[int], nfkc: str
) -> tuple[list[int], list[int]]:
    """The written starts and ends of the characters of `nfkc` (`starts`, `ends`: one each)
    once each "IT" is read as "ICT": its three characters start where its I does and end where
    its T does. Built in one pass: splicing one more place into the lists at each "IT" moved
    everything after it, so a description of 64,000 characters naming IT took 0.3 s to quote,
    one of a megabyte a minute."""
    read_starts: list[int] = []
    read_ends: list[int] = []
    done = 0
    for m in _IT_RE.finditer(nfkc):
        a, b = m.start(), m.end() - 1
        read_starts += starts[done:a]
        read_ends += ends[done:a]
        read_starts += [starts[a]] * 3
        read_ends += [ends[b]] * 3
        done = m.end()
    read_starts += starts[done:]
    read_ends += ends[done:]
    return read_starts, read_ends


def analyse(text: str | None, *, phrases: bool = True, as_written: bool = False) -> list[Term]:
    """The terms of `text`, in order, with repeats: words first-class, phrases after each clause.

    `as_written`: each term's surface is `text` as written (what an explanation quotes);
    otherwise it is the text as read (lowercased, normalised), which costs nothing extra.
    """
    if not text:
        return []
    normalised = normalise(text)
    written = _Written(text, normalised) if as_written else None

    def surface(start: int, end: int) -> str:
        read = normalised[start:end]
        return read if written is None else quote(written.span(start, end, read))

    out: list[Term] = []
    for clause, at in _clauses(normalised):
        # content words of this clause, for phrases, with where each starts and ends
        content: list[tuple[Term, int, int]] = []
        compound_end = 0  # where the English curriculum compound being read ends
        for m in _TOKEN_RE.finditer(clause):
            if m.group("cjk"):
                run, run_at = m.group("cjk"), at + m.start("cjk")
                parts, heads = _compound_parts(run)
                for w, start, end in _jieba_words(run):
                    # A character jieba leaves alone is a verb or particle (做, 用) or bound to
                    # its neighbour (仓 of 海外仓, 网 of 敦煌网, 客 of 客单价): no topic by
                    # itself, as a lone letter is none. It still counts in the phrase it makes
                    # with the word beside it (海外仓).
                    if len(w) == 1 or chinese_stop_word(w):
                        continue
                    span = (start, end)
                    out.append(
                        Term(
                            w, surface(run_at + start, run_at + end), span in parts, heads.get(span)
                        )
                    )
                # Phrases from Chinese come from the plain (non-search) cut: search mode's
                # overlapping sub-words are not adjacent words of the sentence.
                if phrases:
                    content.extend(
                        (
                            Term(w, surface(run_at + start, run_at + end)),
                            run_at + start,
                            run_at + end,
                        )
                        for w, start, end in _plain_cut(run)
                        if not chinese_stop_word(w)
                    )
                continue
            if m.start() < compound_end:
                continue
            word = m.group("word").rstrip(".'")
            if word in _EN_COMPOUND_STARTS:
                found = english_compound(clause, m.start("word"))
                if found:
                    key, compound_end = found
                    start, end = at + m.start("word"), at + compound_end
                    term = Term(key, surface(start, end))
                    out.append(term)
                    content.append((term, start, end))
                    continue
            # A lone letter is no topic, nor is a number of one or two digits: the numbering
            # of a list (a job advert's "1." "2、" "(3)", a syllabus's "10.") met a maths
            # standard's "grade 2" and "1/2". Longer numbers name things (ISO 9001, a year).
            if (
                not word
                or word in ENGLISH_STOP_WORDS
                or (len(word) == 1 and word.isalpha())
                or (len(word) <= 2 and word.isdigit())
            ):
                continue
            start = at + m.start("word")
            end = start + len(word)
            term = Term(_stem(word), surface(start, end))
            out.append(term)
            content.append((term, start, end))
        if phrases:
            for (a, a_start, a_end), (b, b_start, b_end) in itertools.pairwise(content):
                if a.key != b.key and _ENUMERATION_COMMA not in normalised[a_end:b_start]:
                    # The key ignores word order: "security management" and "management of
                    # security" are the same phrase. As written, a phrase is its two words and
                    # what stands between them ("management of security").
                    key = f"{a.key} {b.key}" if a.key < b.key else f"{b.key} {a.key}"
                    shown = f"{a.surface} {b.surface}"
                    if written is not None:
                        span = surface(a_start, b_end)
                        gap = len(span) - len(a.surface) - len(b.surface)
                        shown = (
                            span if gap <= _MAX_PHRASE_GAP else quote(f"{a.surface} … {b.surface}")
                        )
                    out.append(Term(key, shown))
            for (a_key, a_start, _), (b_key, _, b_end) in _coordinated(content, normalised):
                out.append(_joined(a_key, b_key, surface(a_start, b_end)))
    return out


# A word: its key, where it starts and where it ends.
_Word = tuple[str, int, int]


def _coordinated(content: Sequence[tuple[Term, int, int]], text: str) -> list[tuple[_Word, _Word]]:
    """The pairs of words, in order, that a Chinese coordination in a clause (`content`, its
    content words; `text`, what their places refer to) puts together though they are not
    adjacent: the conjuncts share the word before them or the word after them.

    - 网店运营和推广 is 网店运营 and 网店推广: a conjunct of one word (推广) after one of more
      (网店 运营) takes the word before the first one's last (网店); so does each further one
      of a list (市场调研、分析与预测: 市场分析, 市场预测);
    - 图片与视频处理 is 图片处理 and 视频处理: a conjunct of one word before one of two takes
      the second one's last word.

    A word jieba keeps whole counts as two where search mode finds it as exactly two words
    (数据分析 as 数据 分析: 数据分析与挖掘 gives 数据挖掘). Where neither conjunct is one word
    (商品拍摄与图片处理), or both are (选品与定价), or what follows the coordination is unclear
    (数据分析与挖掘技术), nothing is added.

    The modifier may stand before 的 (`_MODIFIER_PARTICLES`): 网店的运营和推广 is read as
    网店运营和推广, 风险的识别、评估与防范 gives 风险评估 and 风险防范. A conjunct still ends at
    的: in 数据分析与挖掘的方法 the conjuncts modify 方法 and share 数据; nor is the word after
    such a 的 shared by each conjunct, for (A与B)的C is often the C between A and B
    (企业与客户的关系, 理论与实践的结合).
    """
    # The runs of Chinese words, adjacent or apart only by 的 (or 之), each as its stretches
    # between them, each stretch as its words (a halved word as its two halves).
    chains: list[list[list[_Word]]] = []
    last_end = -1
    for term, start, end in content:
        if _HAN_RE.match(term.key) is None:
            last_end = -1
            chains.append([])
            continue
        halves = _halves(term.key)
        words = (
            [(term.key, start, end)]
            if halves is None
            else [
                (halves[0], start, start + len(halves[0])),
                (halves[1], end - len(halves[1]), end),
            ]
        )
        if chains and chains[-1] and start == last_end:
            chains[-1][-1].extend(words)
        elif chains and chains[-1] and text[last_end:start].strip() in _MODIFIER_PARTICLES:
            chains[-1].append(words)
        else:
            chains.append([words])
        last_end = end
    pairs: list[tuple[_Word, _Word]] = []
    carried: dict[_Word, _Word] = {}  # a one-word conjunct's shared modifier, along a list
    for left_chain, right_chain in itertools.pairwise(chains):
        if not left_chain or not right_chain:
            continue
        # The conjuncts: the words beside the coordination, as far as a 的 either side.
        left, right = left_chain[-1], right_chain[0]
        if text[left[-1][2] : right[0][1]].strip() not in _COORDINATORS:
            continue
        if len(right) == 1:
            # The word before the left conjunct's last, across a 的 (网店 of 网店的运营和推广).
            before = [word for stretch in left_chain for word in stretch]
            modifier = before[-2] if len(before) >= 2 else carried.get(before[0])
            if modifier is not None:
                pairs.append((modifier, right[0]))
                carried[right[0]] = modifier
        elif len(left) == 1 and len(right) == 2:
            pairs.append((left[0], right[1]))
    return pairs


@lru_cache(maxsize=50_000)
def _halves(word: str) -> tuple[str, str] | None:
    """The two words search mode finds `word` made of, end to end (数据分析: 数据, 分析), if
    any."""
    if len(word) < 3:
        return None
    inner = {w for w, _start, _end in search_words(word, _jieba()) if w != word}
    for cut in range(1, len(word)):
        if word[:cut] in inner and word[cut:] in inner:
            return word[:cut], word[cut:]
    return None


def _joined(first: str, second: str, shown: str) -> Term:
    """The term of two words a coordination puts together: one word where jieba reads them as
    one (数据挖掘), else their phrase (推广 网店)."""
    together = first + second
    if len(_plain_cut(together)) == 1:
        return Term(together, shown)
    return Term(f"{first} {second}" if first < second else f"{second} {first}", shown)


@lru_cache(maxsize=50_000)
def _compound_parts(run: str) -> tuple[frozenset[tuple[int, int]], dict[tuple[int, int], str]]:
    """How the words of a run of Chinese (`_jieba_words`) sit in its compounds: the spans of
    those search mode finds inside a longer word jieba keeps whole (国际 of 国际化, 公共 and
    关系 of 公共关系: the whole is the word, with a meaning its parts do not give, public
    relations not being the 关系 of 业务关系); and, by span, the word each word of the plain
    cut stands directly before, no stop word between (物流 for 国际 in 国际物流, 仓 for 海外
    in 海外仓, 关系 for 业务 in 业务关系): the word it narrows, a Chinese compound naming its
    kind last. A verb before its object (建立 before 业务) is read the same way; a verb shared
    alone says little of a subject. See `term_frequencies`."""
    words = _jieba_words(run)
    parts = contained_spans({(start, end) for _w, start, end in words})
    content = [(w, start, end) for w, start, end in _plain_cut(run) if not chinese_stop_word(w)]
    heads = {
        (start, end): head
        for (_w, start, end), (head, head_start, _) in itertools.pairwise(content)
        if end == head_start
    }
    return parts, heads


def contained_spans(spans: Collection[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The spans (start, end) of `spans` that lie inside a longer one of them. One pass in
    order of start (the longest first of those starting together), each span against the
    furthest end before it: a run of Chinese pasted without a break holds thousands of words,
    and comparing each with every other kept a worker minutes on one description."""
    parts: set[tuple[int, int]] = set()
    furthest = -1
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        # Any span before this one starts no later, and a span starting with it ends later.
        if furthest >= end:
            parts.add((start, end))
        furthest = max(furthest, end)
    return frozenset(parts)


def _plain_cut(run: str) -> list[tuple[str, int, int]]:
    return [w for w in _jieba().tokenize(run, HMM=True) if w[0].strip()]


@lru_cache(maxsize=8192)
def chinese_word_ends(text: str) -> dict[int, int]:
    """Where each word of jieba's plain segmentation of `text` (Simplified) ends, by where it
    starts: 设计模式 is one word (design patterns), 设计数据库 two (设计, 数据库)."""
    return {start: end for _word, start, end in _plain_cut(text)}


# A word in Latin script, accented letters included: what the model of `semantic.py` reads.
_LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def mostly_chinese(text: str) -> bool:
    """Whether `text` has Chinese words (jieba's) and no more words in Latin script than Chinese
    ones: a Chinese sentence naming its tools (运用Excel和Python进行数据分析) rather than an
    English one naming a Chinese word."""
    runs = re.findall(f"[{_CJK}]+", text)
    if not runs:
        return False
    others = len(_LATIN_WORD_RE.findall(text))
    # Counted only as far as needed: a long Chinese description naming one tool is cut no
    # further than its first words.
    # Traditional read as Simplified, as `analyse` reads it: jieba cuts 數據分析 in two.
    words = (w for run in runs for w in _jieba().cut(simplified(run), HMM=True) if w.strip())
    return others == 0 or sum(1 for _ in itertools.islice(words, others)) >= others


def written_in_chinese(*texts: str) -> bool:
    """Whether a subject's texts, read together, are written in Chinese (`mostly_chinese`): an
    English course with a Chinese title beside its English one is not."""
    return mostly_chinese("\n".join(text for text in texts if text))


_READ_LETTER_RE = re.compile(rf"[a-z{_CJK}]")


def has_unread_letters(text: str) -> bool:
    """Whether `text` has letters in a script `analyse` does not read (Korean, Japanese kana,
    Cyrillic...): words it cannot match, as opposed to punctuation, emoji and numbers."""
    return any(
        ch.isalpha() and not _READ_LETTER_RE.match(ch) for ch in normalise(text) if not ch.isascii()
    )


def has_cjk(text: str) -> bool:
    """Whether `text` has any Chinese character (decides whether jieba is needed at all)."""
    return re.search(f"[{_CJK}]", text) is not None
