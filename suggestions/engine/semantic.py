"""Matching by meaning: a static word-embedding model, multi-vector, English only.

Words and phrases (`index.py`) find a candidate only through a shared term; "protect
information from unauthorised access" never meets "cyber attack counter-measures". This module
adds a second, independent ranking by meaning, which `index.py` fuses with the lexical one.

- The model is WordLlama's `l2_supercat` at 256 dimensions: one vector per token of the
  Llama-2 vocabulary, a text being the mean of its tokens' vectors. Its weights ship inside the
  `wordllama` package from PyPI; nothing is downloaded, and the package is not even imported:
  only its two data files are read (the weights with `safetensors`, the tokeniser with
  `tokenizers`). Without the package the engine works on words and phrases alone.
- Multi-vector: a query is cut into segments (each line of each field, and each sentence of a
  line), since an occupation's description or a course's outcomes list several duties and one
  whole-text vector is dominated by the main one. A candidate's vector is the weighted mean of
  its fields' vectors (label, alternative labels, description; the lexical field weights). A
  candidate's score is its best cosine with any segment, so the segment that matched can be
  named in the explanation.
- English only: the model was trained on English. Chinese characters are removed before
  encoding, and a text left with no Latin letter has no vector; a Chinese pool or query is
  ranked on words and phrases alone, exactly as without the model. So is a query's sentence
  written mostly in Chinese (`text.mostly_chinese`): the model would read only the English
  words it names (运用Excel和Python…), out of their sentence, and rank every candidate by them.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from core.outcomes import outcome_items

from .text import _CJK, mostly_chinese, quote, without_english_compounds

log = logging.getLogger(__name__)

WORDLLAMA = "wordllama-l2-supercat-256"

_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def model_text(text: str | None) -> str:
    """The text as the model sees it: no Chinese, one space between words; "" if no Latin letter.

    Whitespace is collapsed because the tokeniser turns every space into a token boundary, and
    that lets a text be encoded word by word (see `StaticEncoder.encode`).
    """
    if not text:
        return ""
    text = " ".join(_CJK_RUN.sub(" ", text).split())
    return text if _LATIN.search(text) else ""


def candidate_text(text: str | None) -> str:
    """A candidate field as one text: its lines (e.g. alternative labels) joined by "; "."""
    if not text:
        return ""
    return model_text("; ".join(line.strip() for line in text.splitlines() if line.strip()))


class Segment(NamedTuple):
    """A line or sentence of a query field: `text` as the model reads it, `written` as given."""

    field: str
    text: str
    written: str


def segments(
    fields: Mapping[str, str],
    matched: Callable[[str, str], str] | None = None,
    outcome_fields: Collection[str] = (),
) -> list[Segment]:
    """The query's segments: every line of every field, cut into sentences.

    A segment the model cannot read (Chinese only) is left out, and so is a repeat. `written`
    keeps the sentence as the user wrote it (Chinese included), for the explanation to quote
    (its first MAX_QUOTE characters); an outcome of `outcome_fields` as the course page lists
    it, without the bullet or number it starts with; any without the semicolon separating it
    from the next. `matched(field, sentence)`, when given, is what of a sentence the model reads (an
    outcome without its template and leading verb); it never reads a curriculum compound
    ("capstone project" names a kind of course, not what it teaches).
    """
    out: list[Segment] = []
    seen: set[str] = set()
    for name, text in fields.items():
        # An outcome is read as the course page lists it (`outcome_items`): without its bullet,
        # and each of a line's outcomes separated by semicolons (full-width too) apart.
        lines = outcome_items(text or "") if name in outcome_fields else (text or "").splitlines()
        for line in lines:
            for sentence in _SENTENCE_END.split(line):
                read = matched(name, sentence) if matched else sentence
                if mostly_chinese(read):
                    # The model would read its few English words (tool names) out of their
                    # sentence, and rank the whole pool by them.
                    continue
                seg = model_text(without_english_compounds(read))
                if seg and seg.casefold() not in seen:
                    seen.add(seg.casefold())
                    written = " ".join(sentence.split()).rstrip(";\uff1b")
                    out.append(Segment(name, seg, quote(written)))
    return out


class StaticEncoder:
    """Texts to unit vectors: the mean of the token vectors, as WordLlama computes it.

    The tokeniser has no pre-tokeniser: a text becomes "▁word▁word…", and no token spans a
    "▁", so a text's tokens are its words' tokens in order. Each distinct word is therefore
    tokenised once and cached, which makes encoding a pool several times faster than
    tokenising every text whole (same vectors).
    """

    MAX_CACHED_WORDS = 500_000

    def __init__(self, embedding: np.ndarray, tokenizer):
        self.embedding = np.ascontiguousarray(embedding, dtype=np.float32)
        self.dim = self.embedding.shape[1]
        self._tokenizer = tokenizer
        self._word_ids: dict[str, tuple[int, ...]] = {}

    def _ids(self, words: list[str]) -> dict[str, tuple[int, ...]]:
        """Token ids of each of `words`, from the cache or the tokeniser.

        Returns its own mapping rather than pointing callers at the cache, so a thread whose
        words are being evicted by another thread still has them. Past the cache's size, new
        words are tokenised but no longer cached.
        """
        cache = self._word_ids
        out = {w: cache.get(w) for w in words}
        new = [w for w, ids in out.items() if ids is None]
        if new:
            top = self.embedding.shape[0] - 1
            encoded = self._tokenizer.encode_batch(new, add_special_tokens=False)
            room = len(cache) + len(new) <= self.MAX_CACHED_WORDS
            for word, enc in zip(new, encoded, strict=True):
                ids = out[word] = tuple(min(i, top) for i in enc.ids)
                if room:
                    cache[word] = ids
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, unit rows; a row of zeros for an empty text.

        Texts should come from `model_text`/`candidate_text` (single spaces). A pool is encoded
        a few thousand texts at a time, so its token lists never all exist at once.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.CHUNK):
            out[start : start + self.CHUNK] = self._encode(texts[start : start + self.CHUNK])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms

    CHUNK = 2048

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        split = [t.split(" ") if t else [] for t in texts]
        word_ids = self._ids([w for words in split for w in words])
        lengths = np.fromiter(
            (sum(len(word_ids[w]) for w in words) for words in split), np.int64, len(split)
        )
        ids = np.fromiter(
            itertools.chain.from_iterable(word_ids[w] for words in split for w in words),
            np.int64,
            int(lengths.sum()),
        )
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        data = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
        mean = sparse.csr_matrix((data, ids, indptr), shape=(len(texts), self.embedding.shape[0]))
        return np.asarray(mean @ self.embedding, dtype=np.float32)


@lru_cache(maxsize=4)
def load_encoder(name: str) -> StaticEncoder | None:
    """The model called `name`, loaded once per process; None (and a warning) if unavailable."""
    if name != WORDLLAMA:
        raise ValueError(f"unknown semantic model {name!r}; the one known is {WORDLLAMA!r}")
    try:
        spec = importlib.util.find_spec("wordllama")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        spec = None
    if spec is None or spec.origin is None:
        log.warning("%s: package wordllama not installed; matching words only", name)
        return None
    root = Path(spec.origin).parent
    weights = root / "weights" / "l2_supercat_256.safetensors"
    tokenizer = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
    if not weights.exists() or not tokenizer.exists():
        log.warning("%s: model files missing from %s; matching words only", name, root)
        return None
    embedding = load_file(str(weights))["embedding.weight"]
    return StaticEncoder(embedding, Tokenizer.from_file(str(tokenizer)))


class SemanticVectors:
    """The pool's side of meaning-based matching: per-field vectors and their weighted mean.

    `combined[i]` is sum_f w_f * v_f(i) / sum_f w_f over the fields candidate i has, so one
    matrix product gives every candidate's field-weighted mean cosine with a segment. The
    per-field vectors (float16, to halve their size) are kept to name, in an explanation, the
    field closest to the segment that matched.
    """

    def __init__(
        self,
        model: str,
        field_texts: Mapping[str, list[str]],
        field_weights: Mapping[str, float],
        encoder: StaticEncoder,
    ):
        self.model = model
        n = len(next(iter(field_texts.values()), []))
        self.fields: dict[str, np.ndarray] = {}
        self.present: dict[str, np.ndarray] = {}
        total = np.zeros((n, encoder.dim), dtype=np.float32)
        weight = np.zeros(n, dtype=np.float32)
        for name, texts in field_texts.items():
            has = np.fromiter((bool(t) for t in texts), dtype=bool, count=n)
            if not has.any():
                continue
            vectors = encoder.encode(texts)
            self.fields[name] = vectors.astype(np.float16)
            self.present[name] = has
            w = field_weights[name]
            total += w * vectors
            weight += w * has
        self.has_vector = weight > 0
        weight[weight == 0] = 1
        self.combined = total / weight[:, None]

    # Segments multiplied with the pool at once: reading the pool's vectors from memory, not
    # the arithmetic, bounds the product, so many queries' segments share one pass.
    SEGMENTS_PER_PRODUCT = 256

    def best_scores(self, segment_vectors: np.ndarray, counts: Sequence[int]) -> np.ndarray:
        """(queries, candidates): each candidate's best cosine with any segment of a query.

        `segment_vectors` holds the queries' segments one query after another, `counts[i]` of
        query i (a row of zeros for a query with none).
        """
        out = np.zeros((len(counts), len(self.combined)), dtype=np.float32)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        first = 0
        while first < len(counts):
            last = first
            while last < len(counts) and (
                last == first or bounds[last + 1] - bounds[first] <= self.SEGMENTS_PER_PRODUCT
            ):
                last += 1
            rows = segment_vectors[bounds[first] : bounds[last]]
            if len(rows):
                # (candidates x segments): BLAS runs this orientation about twice as fast as
                # its transpose for a few segments.
                products = self.combined @ rows.T
                starts = bounds[first:last] - bounds[first]
                has = np.asarray(counts[first:last]) > 0
                out[first:last][has] = np.maximum.reduceat(products, starts[has], axis=1).T
            first = last
        return out

    def closest_field(self, row: int, segment_vector: np.ndarray) -> str:
        """The field of candidate `row` whose vector is closest to the segment."""
        best, best_sim = "", -np.inf
        for name, vectors in self.fields.items():
            if self.present[name][row]:
                sim = float(vectors[row].astype(np.float32) @ segment_vector)
                if sim > best_sim:
                    best, best_sim = name, sim
        return best
