"""Word search over model fields, in English and Chinese: "operations" finds "Operation and
promotion" and "Operating manager" but not "cooperation"; "运营" finds "跨境电商运营" but not
"国际货运营销" (货运 + 营销), whose characters only happen to sit side by side.

A query is split into words: Latin words are lowercased, stop words dropped and stemmed (Snowball
English, the stemmer PostgreSQL's `english` configuration uses), Chinese runs are segmented by
jieba (search mode, so 电子商务 also yields 电子 and 商务, but 搜索引擎 not the 索引 across its
parts: `core.chinese`; and 电商, the word Chinese writes for it short, so "跨境电商" finds
跨境电子商务 and the other way round). A record matches when
each word of the query is a word of one of its fields; several words must all match (AND).

On PostgreSQL the English words go to full-text search (`to_tsvector('english', ...) @@
plainto_tsquery('english', ...)`, ranked by `ts_rank`), over a vector the abilities', courses'
and programmes' tables store (a generated column, `SEARCH_VECTOR_FIELDS`), so the rank reads it
rather than computing it for every row found. PostgreSQL cannot segment Chinese, so a
Chinese word narrows the rows with a substring filter and each row left is checked here with
jieba. Elsewhere (SQLite) every word narrows the rows with a substring filter on a prefix of its
stem and each row is checked here with the same rules.

A dotted code (1.2.5, P10.1: parts joined by dots, one with a digit) is one word, found by
itself or by its start a part at a time: 1.2 finds 1.2 and 1.2.5, not 1.20, 1.1.2 or 2.1. Its
parts of letters and digits (P10) are words of it too; a bare number inside it (the 5 of 1.2.5)
is not, otherwise 1.2.5 found 1.5.2 and 2.1.5. PostgreSQL's parser reads a dotted code as one
word, but whole only, and P10 of P10.1 in no word: so on PostgreSQL too, codes and words mixing
letters and digits narrow the rows with a substring filter and each row left is checked here,
and both backends find the same rows.

A word of the query is also the start of a code whose first part it is, as 1.2 is of 1.2.5:
"python 3" finds "Python 3.11" and NUR finds NUR.1.2 (not NURS.1, nor 2 finds 12.2). On
PostgreSQL a word of letters asks the full-text search for itself or a lexeme beginning with it
and a dot (`'nur.':*`, which the GIN index answers); a word of digits takes the substring filter
and the check here, as codes do: PostgreSQL reads ECOM-101.2 as ecom and -101.2.

British and American spellings are one word, as the suggestion engine reads them
(`core.english`): "optimize" finds "optimise software", "behavior" "consumer behaviour",
"catalog" "catalogue", "program" "programme", "pediatric" "paediatric", "tires" "tyres", and
the other way round; "analyse" and "analyze" stay apart, as the engine keeps them. A word is
found by the stem of each of its spellings (`core.english.both_spellings`) and of each
spelling of its family's word, its stem with the e Snowball took away ("licensing" finds
"licence", and "defensive" "defence", as in the engine), OR'd (`_asked_forms`): on
PostgreSQL the lexeme of each, over the vectors as stored (the records' words as written, no
migration); on SQLite the start of each stem, and the same stems checked here, so both
backends find the same rows.

Accents are folded (`fold`), in the query and in the records alike: "resume" finds "Résumé",
"munchen" "MÜNCHEN", and "naïve" "naive". The records are folded in the database by built-in
functions (`Folded`: PostgreSQL's normalize and translate, which are immutable, so the GIN
indexes index the folded text; on SQLite the same Python function, registered on each
connection), so no extension is needed: unaccent's function is not immutable (no index can use
it without a wrapper function), and creating the extension takes a right on the database that a
role able to migrate may not have. English words are looked for in every field given, Chinese
names included ("sql" finds "SQL数据库").

Chinese is read in either script and in either region's words. A record's and a query's
Chinese are read as Simplified (OpenCC's t2s, `core.chinese.simplified`: jieba's dictionary is
Simplified), so 數據分析 and 数据分析 are the same words. A query's words are also looked for in
the other region's words (`core.chinese.regional_variants`: 资料 for 数据, 软件 for 軟體), each
word so and the whole query so, OR'd. The database cannot call OpenCC, and its indexes index
the records as written: so the query's words narrow the rows in every spelling a record may
give them (Simplified, Traditional, Taiwan's and Hong Kong's characters), OR'd, and each row
left is checked here. A row having the words as typed ranks before one having them only in the
other script or words. A character typed alone (税) is also found inside longer words (税收).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache, reduce
from operator import and_, or_

import snowballstemmer
from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains

from core.chinese import (
    CHINESE_SHORT_FORMS,
    new_tokenizer,
    regional_variants,
    search_words,
    simplified,
    spellings,
    traditional_spellings,
)
from core.english import both_spellings, one_spelling

# PostgreSQL's english.stop (the Snowball list): the words its full-text search drops, dropped
# here too so both backends ask for the same words.
_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())
# Function words jieba keeps as words of their own: a query of them asks for nothing.
_CHINESE_STOP_WORDS = "的 地 得 了 着 过 和 与 及 或 并 而 等 在 是 为 对 将 把 被 之 其"
CHINESE_STOP_WORDS = frozenset(_CHINESE_STOP_WORDS.split())
# Compounds Chinese writes short (core.chinese.CHINESE_SHORT_FORMS): a record with either
# spelling has the short one as a word, and a query of either asks for it (not for the long
# one's parts, which 电商 lacks), narrowing the rows by either spelling.
_CHINESE_SPELLINGS = {short: (short, full) for full, short in CHINESE_SHORT_FORMS.items()}

# What `fold` takes away or spells otherwise after NFKD (which parts é into e and its accent, and
# writes full-width letters as ASCII): the combining marks, the letters with a stroke no
# decomposition parts (ø, ł, đ), and the ligatures written as two letters.
_MARKS = "".join(map(chr, range(0x300, 0x370)))
_STROKED = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ƀ": "b", "ƶ": "z"}  # noqa: RUF001
_LIGATURES = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
_FOLD = str.maketrans({**dict.fromkeys(_MARKS), **_STROKED, **_LIGATURES})
# PostgreSQL's regular expressions for `Folded`: the marks, and a character other than ASCII and
# the common Chinese ideographs (a text without one is only lowercased by `fold`).
_MARKS_THERE = r"[\u0300-\u036f]+"
_FOLD_CHANGES = r"[^\u0001-\u007f\u4e00-\u9fff]"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = "0-9a-z\u00c0-\u024f"
_TOKEN = re.compile(
    rf"(?P<cjk>[{_CJK}]+)|(?P<code>[{_LATIN}]+(?:\.[{_LATIN}]+)+)|(?P<word>[{_LATIN}]+)"
)
# A Chinese input method in Chinese punctuation types 。 for a dot (the half-width ｡ is 。 after
# NFKC): between letters or digits of a query it is the dot of a code (2。2 is 2.2).
_STOP_IN_A_CODE = re.compile(rf"(?<=[{_LATIN}])\u3002(?=[{_LATIN}])")
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A character from CJK's radicals on: no character before them folds to Chinese (`fold`: NFKD),
# so a text without one has no Chinese words (a text with English and accents alone is not
# folded to find none).
_FROM_CHINESE_ON = re.compile("[\u2e80-\U0010ffff]")
_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[^0-9]")
# Rows a substring filter may hand to the check in Python, per search: bounds the work of one
# request on a large catalogue (the check is what decides; this only caps what it reads).
MAX_CANDIDATES = 20_000
# The longest search the API's `search` parameters and the admin's search box read: longer than
# any name, title or statement pasted whole, far shorter than what breaks a query (SQLite reads
# LIKE patterns of 50,000 bytes at most; the admin adds a condition over every search field for
# each word, and 1,200 words were past SQLite's expression depth after seconds of work).
SEARCH_MAX_CHARS = 1_000
SEARCH_MAX_WORDS = 32

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=20_000)
def _asked_forms(word: str) -> tuple[str, ...]:
    """The words whose stems a record's word may have to be the query's `word`, as the
    suggestion engine reads them (the stem of a word's one spelling, `core.english`): each of
    the word's British and American spellings (`both_spellings`: "optimize" and "optimise"),
    then each spelling of its family's word, its stem with the e Snowball takes away, where it
    stems as the word does and the word's own spellings gave that stem no form ("licensing",
    licens: "license", "licence", whose stem licenc a record's "licence" has; "defensive":
    "defence"). The word's spellings alone asked for licens only, and "licensing" did not find
    "licence". Only the e: "programming" (program) finds no "programme", nor "tired" (tire) a
    "tyre", which the engine joins through Snowball's stems alone."""
    stem = _stem(one_spelling(word))
    forms = dict.fromkeys(both_spellings(word))
    stems = {_stem(form) for form in forms}
    for form in both_spellings(f"{stem}e"):
        if _stem(form) not in stems and _stem(one_spelling(form)) == stem:
            forms[form] = None
            stems.add(_stem(form))
    return tuple(forms)


@lru_cache(maxsize=20_000)
def _asked_stems(word: str) -> frozenset[str]:
    """The stems a record's word may have to be the query's `word`: the stem of each of its
    British and American spellings and of its family's (`_asked_forms`: "optimize" asks for
    optimiz and optimis, "behaviour" for behaviour and behavior, "licensing" for licens and
    licenc). PostgreSQL's full-text search asks for the same lexemes (`_word_or_start_of_code`),
    so both backends find the same rows."""
    return frozenset(_stem(form) for form in _asked_forms(word))


@lru_cache(maxsize=1)
def _jieba():
    """The search's own jieba dictionary (`core.chinese.new_tokenizer`), loaded on the first
    Chinese text."""
    return new_tokenizer()


@lru_cache(maxsize=20_000)
def _chinese_words(run: str) -> tuple[str, ...]:
    words = []
    # jieba's search mode, less the words it finds across a longer one's parts (索引 inside
    # 搜索引擎), as the suggestion engine reads Chinese; Traditional read as Simplified
    # (數據分析 is 数据分析: jieba's dictionary is Simplified), in a record as in a query.
    for word, _start, _end in search_words(simplified(run), _jieba()):
        if word.strip() and word not in CHINESE_STOP_WORDS:
            words.append(word)
            if word in CHINESE_SHORT_FORMS:
                words.append(CHINESE_SHORT_FORMS[word])
    return tuple(words)


def fold(text: str) -> str:
    """A text as a search compares it, in a query and in a record alike: lowercase, without
    accents (é is e, ø is o, ß is ss), and compatibility characters their plain ones (NFKD: the
    full-width letters and digits a Chinese input method types, U+FF21 for "A", are ASCII).
    Chinese is left as it is. `Folded` does the same in the database."""
    if text.isascii():  # most of a catalogue: nothing to decompose or take away
        return text.lower()
    return unicodedata.normalize("NFKD", text).lower().translate(_FOLD)


class Folded(Func):
    """`fold` in the database. On PostgreSQL of built-in immutable functions (an index can
    index it): a text of ASCII and Chinese characters alone, most of a catalogue, is only
    lowercased (what `fold` does to it); another is normalized to NFKD and lowercased, its marks
    taken away, its stroked letters translated and each ligature replaced (translating the
    marks instead took ten times as long). Elsewhere (SQLite) `fold` itself, registered on each
    connection (`register_fold`)."""

    function = "search_fold"
    arity = 1
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        changed = f"regexp_replace(LOWER(normalize({sql}, NFKD)), %s, '', 'g')"
        changed = f"translate({changed}, %s, %s)"
        changed_params = [*params, _MARKS_THERE, "".join(_STROKED), "".join(_STROKED.values())]
        for ligature, letters in _LIGATURES.items():
            changed = f"replace({changed}, %s, %s)"
            changed_params += [ligature, letters]
        return (
            f"CASE WHEN ({sql}) ~ %s THEN {changed} ELSE LOWER({sql}) END",
            [*params, _FOLD_CHANGES, *changed_params, *params],
        )


def _sqlite_fold(text: str | None) -> str | None:
    return None if text is None else fold(text)


def register_fold(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection `fold` as the SQL function `Folded` calls (the
    connection_created signal, connected in core.apps)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("search_fold", 1, _sqlite_fold, deterministic=True)


def folded_contains(fields: Sequence[str], text: str) -> Q:
    """Rows one of whose `fields` contains `text` as a substring, both folded (`fold`): in any
    case and width, with or without accents, the same on every backend (SQLite's LIKE ignores
    the case of ASCII letters only); Chinese in either script and either region's words
    (`core.chinese.spellings`: 數據分析 finds 数据分析 and 資料分析)."""
    return reduce(or_, (Q(FoldedContains(F(field), text)) for field in fields))


_ENGLISH_WORD = re.compile(r"([a-z]+)")
# The spellings a text contained is looked for in at most: each English word of it in each of
# its British and American spellings, every combination (two words of two spellings each are
# four texts), then each in every Chinese spelling.
_MAX_ENGLISH_SPELLINGS = 8


def written_either_way(text: str) -> tuple[str, ...]:
    """Every spelling a record may contain `text` (folded: `fold`) in: each English word of it
    in its British and American spellings (`core.english.both_spellings`: "optimize
    software" is also "optimise software"), the combinations up to _MAX_ENGLISH_SPELLINGS;
    Chinese in either script and region's words (`core.chinese.spellings`). One containing
    another is left out (a record containing "programme" contains "program")."""
    english = [""]
    for i, piece in enumerate(_ENGLISH_WORD.split(text)):
        forms = both_spellings(piece) if i % 2 else (piece,)
        english = [f"{t}{form}" for t in english for form in forms][:_MAX_ENGLISH_SPELLINGS]
    found = list(dict.fromkeys(english))[:_MAX_ENGLISH_SPELLINGS]
    every = tuple(dict.fromkeys(s for t in found for s in spellings(t)))
    return tuple(s for s in every if not any(o != s and o in s for o in every))


class FoldedContains(Contains):
    """`field__folded_contains="text"`: the field contains the text, both folded (`fold`). The
    admin's searches use it (core.admin.ProvenanceAdminMixin), registered on text fields in
    core.apps. Chinese is looked for in every spelling (`core.chinese.spellings`), OR'd: on
    PostgreSQL in one `LIKE ANY`, the field folded once (a LIKE for each folded it again, and
    four spellings took a search of 50,000 courses from 0.1 s to 0.4 s)."""

    lookup_name = "folded_contains"

    def as_sql(self, compiler, connection):
        values = written_either_way(self.rhs) if isinstance(self.rhs, str) else ()
        if len(values) < 2:
            return super().as_sql(compiler, connection)
        if connection.vendor == "postgresql":
            sql, params = compiler.compile(Folded(self.lhs))
            patterns = [f"%{connection.ops.prep_for_like_query(value)}%" for value in values]
            return f"({sql}) LIKE ANY (%s)", [*params, patterns]
        parts, params = [], []
        for value in values:
            sql, more = compiler.compile(Contains(Folded(self.lhs), value))
            parts.append(sql)
            params.extend(more)
        return f"({' OR '.join(parts)})", params

    def get_prep_lookup(self):
        return fold(self.rhs) if isinstance(self.rhs, str) else super().get_prep_lookup()

    def process_lhs(self, compiler, connection, lhs=None):
        return super().process_lhs(compiler, connection, Folded(lhs or self.lhs))

    def get_rhs_op(self, connection, rhs):
        return connection.operators[Contains.lookup_name] % rhs


def _tokens(text: str) -> Iterable[tuple[str, str]]:
    """A text's words, each with its kind: "zh", "en", "code" (a dotted code, whole) and "part"
    (an English word that is a part of a dotted code)."""
    for match in _TOKEN.finditer(fold(text)):
        if match.group("cjk"):
            for word in _chinese_words(match.group("cjk")):
                yield "zh", word
        elif match.group("code"):
            parts = match.group("code").split(".")
            if _DIGIT.search(match.group("code")):
                yield "code", match.group("code")
                # Its parts of letters and digits (P10 of P10.1), as PostgreSQL reads them
                # here too (below); never a bare number inside it, nor a part of letters alone:
                # a word finds the code only as its first part (SearchQuery.matches; on
                # PostgreSQL a lexeme's start, _word_or_start_of_code).
                parts = [part for part in parts if _mixed(part)]
                kind = "part"
            else:
                kind = "en"  # "e.g.", "node.js": words, as before
            for part in parts:
                if part not in ENGLISH_STOP_WORDS:
                    yield kind, part
        elif match.group("word") not in ENGLISH_STOP_WORDS:
            yield "en", match.group("word")


def typed(text: str) -> str:
    """A search box's text as a search reads it: folded (`fold`), and 。 between letters or
    digits a dot. A record's text is not read so: 。 there ends a sentence."""
    return _STOP_IN_A_CODE.sub(".", fold(text))


def _mixed(word: str) -> bool:
    return bool(_DIGIT.search(word) and _LETTER.search(word))


def _is_code_start(start: str, code: str) -> bool:
    return code == start or code.startswith(f"{start}.")


def shortened(text: str, limit: int) -> str:
    """A search box's `text` without surrounding space, cut to `limit` characters at a word's
    end: a statement pasted whole, longer than a box takes, found nothing when its last word
    was cut in two (a word no record has). Text without a space (Chinese) is cut where it
    must."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isspace():
        return cut.rstrip()
    words = cut.rsplit(None, 1)
    return words[0] if len(words) == 2 else cut


def is_code_start(start: str, code: str) -> bool:
    """Whether `start` (as typed) is the start of the dotted `code` a part at a time, as a
    search reads it: 2.2 of 2.2.1, not of 2.20; NUR of NUR.1.2, not of NURS.1. In any case
    and width, with or without accents; a dot typed last is the end of a part."""
    start = typed(start).rstrip(".")
    return bool(start) and _is_code_start(start, fold(code))


def text_terms(text: str) -> set[str]:
    """The words of a text as a search compares them: English stems, Chinese words and dotted
    codes (whole: a code has a dot, a word none)."""
    return {_stem(word) if kind in ("en", "part") else word for kind, word in _tokens(text)}


def chinese_terms(text: str, needles: tuple[str, ...] | None = None) -> set[str]:
    """The Chinese words of `text_terms(text)` alone, its other words not read: those of each
    run of Chinese characters of the text folded, as `_tokens` reads them. With `needles`
    (`SearchQuery.needles`), only the words of the runs having one of them, read as
    Simplified: a word jieba finds is a part of its run, so the other runs hold none of the
    words looked for, and segmenting them was most of a search's time."""
    if text.isascii() or not _FROM_CHINESE_ON.search(text):
        return set()
    return {
        word
        for run in _CJK_RUN.findall(fold(text))
        if needles is None or _has_needle(run, needles)
        for word in _chinese_words(run)
    }


def _has_needle(run: str, needles: tuple[str, ...]) -> bool:
    read = simplified(run)
    return any(needle in read for needle in needles)


@dataclass(frozen=True)
class SearchQuery:
    """A query's words: English as typed (for PostgreSQL) and stemmed, and Chinese words."""

    english: tuple[str, ...] = ()
    # Simplified (Traditional typed is read as Simplified, as the records are).
    chinese: tuple[str, ...] = ()
    # Dotted codes, each found by itself or by its start (a part at a time).
    codes: tuple[str, ...] = ()
    # Each word of `chinese` in the other region's words (`core.chinese.regional_variants`:
    # 资料 for 数据), each a set of words a record may have instead of the word.
    variants: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # The query's Chinese so (操作系统 is 作业系统, though neither of its words is another
    # word), each a set of words a record may have instead of all of `chinese`.
    alternatives: tuple[tuple[str, ...], ...] = ()
    # The words of `chinese` typed alone, a character each (税): each is found inside a
    # record's words too (税收, 关税), as a reader typing one character expects.
    characters: tuple[str, ...] = ()
    # Each word of `chinese` as typed (its spellings in the script typed): a record having them
    # so is found as typed, and ranks before one found through another spelling.
    as_typed: tuple[tuple[str, ...], ...] = ()

    def readings(self, word_index: int) -> tuple[tuple[str, ...], ...]:
        """The sets of words a record may have for the query's Chinese word at `word_index`:
        the word, or one of its `variants`."""
        others = self.variants[word_index] if word_index < len(self.variants) else ()
        return ((self.chinese[word_index],), *others)

    def has_chinese(self, found: set[str]) -> bool:
        """Whether the words `found` (a record's) have the query's Chinese words, each or one
        of its variants, or one of its `alternatives` whole."""

        def has(word: str) -> bool:
            return word in found or (
                word in self.characters and any(word in term for term in found)
            )

        return all(
            any(all(map(has, words)) for words in self.readings(i))
            for i in range(len(self.chinese))
        ) or any(all(map(has, words)) for words in self.alternatives)

    @cached_property
    def needles(self) -> tuple[str, ...]:
        """What a run of a record's Chinese (read as Simplified) must have for jieba to find in
        it one of the Chinese words this query looks for: each word, variant and alternative,
        and the long form a short one is read from (电子商务 gives 电商)."""
        words = {
            word
            for words in (
                *(w for i in range(len(self.chinese)) for w in self.readings(i)),
                *self.alternatives,
            )
            for word in words
        }
        return tuple(
            sorted({form for word in words for form in _CHINESE_SPELLINGS.get(word, (word,))})
        )

    @property
    def full_text(self) -> tuple[str, ...]:
        """The English words PostgreSQL's full-text search finds as this search does: those of
        letters alone (it reads P10 of P10.1 in no word, a code whole, and the number of a
        code's first part inside another word at times: -101.2 of ECOM-101.2)."""
        return tuple(word for word in self.english if not _DIGIT.search(word))

    def __bool__(self) -> bool:
        return bool(self.english or self.chinese or self.codes)

    def matches(self, *texts: str) -> bool:
        """Whether every word of the query is a word of one of `texts`, and every code the
        start of a code of one of them."""
        found: set[str] = set()
        # A query of Chinese words alone (on PostgreSQL, what is left to check of one with
        # English words too) is decided by the texts' Chinese words: their other words are not
        # read (reading every word of 12,000 courses' fields took 0.6 s of a 0.7 s search).
        chinese_only = not (self.english or self.codes)
        for text in texts:
            if text:
                found |= chinese_terms(text, self.needles) if chinese_only else text_terms(text)
        if self.chinese and not self.has_chinese(found):
            return False
        codes = [term for term in found if "." in term]
        return all(
            not found.isdisjoint(_asked_stems(word))
            or any(code.startswith(f"{word}.") for code in codes)
            for word in self.english
        ) and all(any(_is_code_start(start, code) for code in codes) for start in self.codes)


def typed_as_written(query: SearchQuery, *texts: str) -> bool:
    """Whether `texts` have the query's Chinese words as typed (`SearchQuery.as_typed`), not
    only in the other script or the other region's words. A query without Chinese is typed as
    written wherever it is found."""
    return all(any(s in text for text in texts if text for s in spelt) for spelt in query.as_typed)


def _spelt_by(word: str, parts: set[str]) -> bool:
    """Whether `word` is a run of shorter words from `parts`."""
    ends = {0}  # character offsets that a run of parts reaches
    for start in range(len(word)):
        if start in ends:
            ends.update(
                start + len(p) for p in parts if len(p) < len(word) and word.startswith(p, start)
            )
    return len(word) in ends


def _asked_chinese(words: Iterable[str]) -> tuple[str, ...]:
    """The Chinese words a query asks for, of the words jieba reads in it (`_tokens`)."""
    chinese = dict.fromkeys(words)
    # jieba's search mode gives a compound with its parts (数据分析: 数据, 分析, 数据分析), but
    # a record's compound may be another one (数据分析师: 数据, 分析, 分析师): a query asks
    # for the parts, as two English words would be asked for.
    for full, short in CHINESE_SHORT_FORMS.items():
        if full in chinese:
            for word in [word for word in chinese if word != short and word in full]:
                del chinese[word]
    parts = set(chinese)
    return tuple(word for word in chinese if not _spelt_by(word, parts))


def _chinese_of(text: str) -> tuple[str, ...]:
    return _asked_chinese(word for kind, word in _tokens(text) if kind == "zh")


def _variants(read: str, chinese: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each word of `chinese`, of a query `read` (`typed`), in the other region's words
    (`core.chinese.regional_variants` of the word as typed: 程式 is 程序, though the phrase
    程式設計 is 编程), Simplified and read as words."""
    written = simplified(read)
    found = []
    for word in chinese:
        at = written.find(word)
        as_typed = read[at : at + len(word)] if at >= 0 else word
        others = (_chinese_of(variant) for variant in regional_variants(as_typed))
        found.append(tuple(dict.fromkeys(w for w in others if w and w != (word,))))
    return tuple(found)


def _alternatives(read: str, chinese: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The Chinese words of a query `read` (`typed`) in the other region's words, the whole
    query so (操作系统 is 作业系统), Simplified and read as words."""
    found = (_chinese_of(variant) for variant in regional_variants(read))
    return tuple(dict.fromkeys(words for words in found if words and words != chinese))


def _as_typed(read: str, chinese: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each word of `chinese` as a query `read` (`typed`) spells it: itself (with its short or
    long form) typed in Simplified, else in the Traditional characters typed."""
    written = simplified(read)
    spelt = []
    for word in chinese:
        forms = _CHINESE_SPELLINGS.get(word, (word,))
        if written == read:
            spelt.append(forms)
            continue
        at = written.find(word)
        spelt.append(
            (read[at : at + len(word)],)
            if at >= 0
            else tuple(t for form in forms for t in traditional_spellings(form)[1:])
        )
    return tuple(spelt)


def search_query(text: str) -> SearchQuery:
    english: dict[str, None] = {}
    zh: list[str] = []
    codes: dict[str, None] = {}
    read = typed(text)
    for kind, word in _tokens(read):
        # A code asks for itself (or a longer one), not for its parts.
        if kind == "zh":
            zh.append(word)
        elif kind != "part":
            {"en": english, "code": codes}[kind][word] = None
    chinese = _asked_chinese(zh)
    alone = {simplified(run) for run in _CJK_RUN.findall(read) if len(run) == 1}
    each = SearchQuery(
        chinese=chinese,
        variants=_variants(read, chinese),
        characters=tuple(word for word in chinese if word in alone),
    )
    return replace(
        each,
        english=tuple(english),
        codes=tuple(codes),
        # Not those its words' variants already are (数据分析: 资料分析).
        alternatives=tuple(
            words for words in _alternatives(read, chinese) if not each.has_chinese(set(words))
        ),
        as_typed=_as_typed(read, chinese),
    )


@lru_cache(maxsize=5_000)
def _written(word: str) -> tuple[str, ...]:
    """Every way a record may write a Chinese word of a query (Simplified): with its short or
    long form (电商, 电子商务), each in Simplified and Traditional characters (数据, 數據)."""
    forms = _CHINESE_SPELLINGS.get(word, (word,))
    return tuple(dict.fromkeys(t for form in forms for t in traditional_spellings(form)))


def _any_field(fields: Sequence[str], values: Sequence[str], *, folded: bool) -> Q:
    read = [Folded(F(field)) if folded else F(field) for field in fields]
    return reduce(or_, (Q(Contains(field, text)) for field in read for text in values))


def _having(model, fields: Sequence[str], values: Sequence[str], *, folded: bool) -> Q:
    """Rows one of whose `fields` has one of `values`. A field across a relation (a
    position's placements) is looked up in a subquery: filtered on directly, each word joined
    its table again, and a query of many words made as many joins (past 64 an error on SQLite,
    and on any database the rows multiplied by the relation's at each join). The values are
    folded (`fold`), and so are the fields unless `folded` is false: a Chinese word is spelt
    the same folded or not (bar the rare compatibility ideographs), and reading the fields as
    they are is an order of magnitude quicker on PostgreSQL."""
    condition = _any_field(fields, values, folded=folded)
    if any(LOOKUP_SEP in field for field in fields):
        # Over the model's rows: the rows filtered keep their own restrictions, and the
        # subquery needs none of their annotations.
        return Q(pk__in=model._default_manager.filter(condition).values("pk"))
    return condition


def _narrowed(rows: QuerySet, fields: Sequence[str], values: str | Sequence[str]) -> QuerySet:
    """`rows` less those none of whose `fields`, folded, has `values` (one of them: `_having`)."""
    values = (values,) if isinstance(values, str) else values
    return rows.filter(_having(rows.model, fields, values, folded=True))


def _narrowed_chinese(rows: QuerySet, fields: Sequence[str], query: SearchQuery) -> QuerySet:
    """`rows` less those lacking the query's Chinese words (each or one of its variants, or one
    of its `alternatives` whole: `SearchQuery.has_chinese`) in every way a record may write
    them (`_written`). The database cannot convert scripts, so the query is spelt every way
    instead."""
    conditions: dict[str, Q] = {}

    def having(words: tuple[str, ...]) -> Q:
        for word in words:
            if word not in conditions:
                conditions[word] = _having(rows.model, fields, _written(word), folded=False)
        return reduce(and_, (conditions[word] for word in words))

    each = reduce(
        and_,
        (
            reduce(or_, (having(words) for words in query.readings(i)))
            for i in range(len(query.chinese))
        ),
    )
    return rows.filter(reduce(or_, (having(words) for words in query.alternatives), each))


# What PostgreSQL's full-text search reads as spaces in a folded field: Chinese runs (its parser
# reads a Chinese character as a letter, so 课程Python was one word and "python" found no
# "Python程序设计" there), and a dot between letters of a dotted run without a digit (its parser
# reads Node.js as one host name, where `_tokens` reads the words node and js; a dotted code
# keeps its dots). Chinese words are looked for in the fields themselves (`_narrowed`).
_NOT_WORDS_THERE = (
    f"[{_CJK}]+"
    rf"|(?<=[a-z\u00c0-\u024f])(?<![0-9][a-z\u00c0-\u024f.]*)\."
    rf"(?=[a-z\u00c0-\u024f])(?![a-z\u00c0-\u024f.]*[0-9])"
)


def _words_there(field: str) -> Func:
    """A field as PostgreSQL's full-text search reads it: folded (`Folded`), its Chinese runs
    and the dots of dotted words spaces (`_NOT_WORDS_THERE`). The GIN indexes of migration
    curricula 0040 index this very expression."""
    return Func(
        Folded(F(field)),
        Value(_NOT_WORDS_THERE),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _vector(queryset: QuerySet, fields: Sequence[str]):
    """PostgreSQL's vector of `fields` of `queryset`'s rows (`_words_there`, field by field):
    the column `search_vector` where the model stores it for these very fields
    (`SEARCH_VECTOR_FIELDS`, migration curricula 0041), else computed. Ranking read the
    computed one again for every row found, and "résumé" over 50,000 courses (14,000 found)
    took 0.5-0.8 s where the stored one takes 0.02 s."""
    from django.contrib.postgres.search import SearchVector, SearchVectorField

    model = queryset.model
    if tuple(fields) == getattr(model, "SEARCH_VECTOR_FIELDS", None):
        column = f"{connections[queryset.db].ops.quote_name(model._meta.db_table)}.search_vector"
        return RawSQL(column, [], output_field=SearchVectorField())
    return SearchVector(*(_words_there(field) for field in fields), config="english")


def _word_or_start_of_code(word: str):
    """PostgreSQL's tsquery for a word of letters: itself, or a lexeme beginning with it and a
    dot (`'nur.':*`, a code whose first part it is). Cast, not to_tsquery, which would read the
    dot away and ask for nur*. The word is of letters alone (_TOKEN): nothing to quote."""
    from django.contrib.postgres.search import CombinedSearchQuery, SearchQueryField
    from django.contrib.postgres.search import SearchQuery as PgQuery

    start = Func(
        Value(f"'{word}.':*"), template="%(expressions)s::tsquery", output_field=SearchQueryField()
    )
    # Each spelling of the word and of its family (`_asked_forms`: optimize, optimise;
    # licensing, licence): the vectors hold the records' words as written, each stemmed by
    # PostgreSQL alone.
    asked = [PgQuery(form, config="english", search_type="plain") for form in _asked_forms(word)]
    return reduce(
        lambda one, other: CombinedSearchQuery(one, one.BITOR, other, config="english"),
        [*asked, start],
    )


def _prefix(stem: str) -> str:
    # Snowball rewrites a word's end ("happy" -> "happi"): the start of the stem is what every
    # form of the word spells.
    return stem[: max(3, len(stem) - 2)]


def _prefixes(word: str) -> tuple[str, ...]:
    """The starts (`_prefix`) a record's word matching `word` spells, in each of its spellings
    (`core.english.both_spellings`): "favour" for "favourite", "favor" for "favorite". One start
    inside another is left out: a row with the longer has the shorter."""
    starts = {_prefix(stem) for stem in _asked_stems(word)}
    return tuple(sorted(s for s in starts if not any(o != s and o in s for o in starts)))


def search_ids(
    queryset: QuerySet,
    *,
    fields: Sequence[str],
    query: str | SearchQuery,
    chinese_fields: Sequence[str] = (),
) -> list[int]:
    """Primary keys of the rows of `queryset` whose `fields` (lookups such as "position__name"
    allowed) match every word of `query`, best first: by PostgreSQL's rank there, else those
    matching in the first field first; then by key. An empty query matches nothing.

    `chinese_fields` (records' Chinese names) are searched too, for every word of the query
    (English written against Chinese, "SQL数据库", has the word sql); they come after `fields`
    in PostgreSQL's vector (and its indexes)."""
    query = search_query(query) if isinstance(query, str) else query
    if not query:
        return []
    postgres = connections[queryset.db].vendor == "postgresql"
    rows = queryset
    # What the full-text search answers on PostgreSQL; the rest is checked here.
    full_text = query.full_text if postgres else ()
    every = (*fields, *chinese_fields)
    if full_text:
        from django.contrib.postgres.search import SearchRank

        vector = _vector(queryset, every)
        asked = reduce(and_, (_word_or_start_of_code(word) for word in full_text))
        rows = rows.annotate(_words=vector, _rank=SearchRank(vector, asked)).filter(_words=asked)
        order = ("-_rank", "pk")
    else:
        order = ("pk",)
    english = tuple(word for word in query.english if word not in full_text)
    # The longest starts first (the fewest rows); a word's own spellings' starts OR'd.
    for starts in sorted(
        {_prefixes(w) for w in english}, key=lambda s: len(max(s, key=len)), reverse=True
    ):
        rows = _narrowed(rows, every, starts)
    for code in query.codes:
        rows = _narrowed(rows, every, code)
    if query.chinese:
        rows = _narrowed_chinese(rows, every, query)
    check = replace(query, english=english)
    if postgres and not check:
        return list(dict.fromkeys(rows.order_by(*order).values_list("pk", flat=True)))

    # The rows left only contain the words' letters: keep those that have the words.
    texts: dict[int, list[str]] = {}
    for pk, *values in rows.order_by(*order).values_list("pk", *every)[:MAX_CANDIDATES]:
        texts.setdefault(pk, []).extend(value or "" for value in values)
    found = [pk for pk, values in texts.items() if check.matches(*values)]
    # Rows having the Chinese words as typed come before those found in the other script or
    # the other region's words (數據分析 typed: 數據分析 first, 数据分析 and 資料分析 after).
    if postgres:
        return sorted(found, key=lambda pk: not typed_as_written(query, *texts[pk]))
    width = len(every)
    # Then rows whose first field (a name, a title) has every word.
    return sorted(
        found,
        key=lambda pk: (
            not typed_as_written(query, *texts[pk]),
            not query.matches(*texts[pk][::width]),
        ),
    )


def search_filter(
    queryset: QuerySet,
    *,
    fields: Sequence[str],
    query: str,
    chinese_fields: Sequence[str] = (),
) -> QuerySet:
    """`queryset` narrowed to the rows matching `query` (see `search_ids`); unordered."""
    return queryset.filter(
        pk__in=search_ids(queryset, fields=fields, query=query, chinese_fields=chinese_fields)
    )
