"""Measure the ranking on an ESCO CSV trio: occupations as queries, skills as candidates.

For each occupation the query is its preferred label, alternative labels and description; the
candidates are every skill of the pool; the occupation-skill relations are read only to score the
ranking (recall@k over the relevant skills present in the pool, and MRR of the first relevant
one). Nothing here feeds the relations back into the ranker.

Run: python -m suggestions.engine.evaluation DIR [--skills FILE] [--k 20] [--json]
[--baseline tfidf|lexical] [--half 1|2]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .types import Candidate, Id, Query, Ranked

OCCUPATIONS_FILE = "occupations_en.csv"
SKILLS_FILE = "skills_en.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"

# Where ESCO's separate fields were not available, one cell holds "label alt alt ... Description
# sentence.": the description starts at the first capitalised word that is followed by a
# lower-case word (labels are lower case, bar names and acronyms such as "use Microsoft Access").
_DESCRIPTION_START = re.compile(r"(?<=[a-z0-9)] )[A-Z][a-z]+(?= [a-z])")
_MERGED_MIN_WORDS = 12


def _read_csv(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: ESCO's downloads sometimes start with a byte-order mark, which would otherwise
    # become part of the first header name.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _alt_labels(cell: str) -> str:
    # One label per line in ESCO; kept one per line so no phrase spans two labels.
    return "\n".join(line.strip() for line in cell.splitlines() if line.strip())


def split_merged_label(text: str) -> tuple[str, str]:
    """Split a merged "label alt ... Description." cell into (labels, description).

    Which of the leading words is the preferred label and which are alternatives cannot be told
    reliably, so all of them are returned as alternative labels rather than guessed at. A wrong
    split loses no word, it only moves words between fields.
    """
    match = _DESCRIPTION_START.search(text)
    if not match:
        return text.strip(), ""
    return text[: match.start()].strip(), text[match.start() :].strip()


def skill_candidate(row: dict[str, str]) -> Candidate:
    """A skills_en.csv row as a candidate with label, alt_labels and description fields."""
    label = (row.get("preferredLabel") or "").strip()
    alt = _alt_labels(row.get("altLabels") or "")
    description = (row.get("description") or "").strip()
    if not alt and not description and len(label.split()) >= _MERGED_MIN_WORDS:
        alt, description = split_merged_label(label)
        label = ""
    return Candidate(
        id=_uri(row, "conceptUri"),
        fields={"label": label, "alt_labels": alt, "description": description},
    )


def occupation_query(row: dict[str, str]) -> Query:
    """An occupations_en.csv row as a query, shaped like a position: title, alt labels, text."""
    return Query(
        fields={
            "title": (row.get("preferredLabel") or "").strip(),
            "alt_labels": _alt_labels(row.get("altLabels") or ""),
            "description": (row.get("description") or "").strip(),
        }
    )


def load_esco(
    directory: Path, skills_file: Path | None = None
) -> tuple[dict[Id, Query], list[Candidate], dict[Id, set[Id]]]:
    """Read the trio from DIR's files by their usual names (see `load_trio`)."""
    directory = Path(directory)
    return load_trio(
        _read_csv(directory / OCCUPATIONS_FILE),
        _read_csv(Path(skills_file or directory / SKILLS_FILE)),
        _read_csv(directory / RELATIONS_FILE),
    )


def load_trio(
    occupations: Iterable[dict[str, str]],
    skills: Iterable[dict[str, str]],
    relations: Iterable[dict[str, str]],
) -> tuple[dict[Id, Query], list[Candidate], dict[Id, set[Id]]]:
    """The trio's rows as queries by occupation URI, candidate skills, relevant skill URIs by URI.

    Relevant skills are limited to those in the pool; occupations left with none are dropped, as
    they cannot be scored. A concept listed twice counts once, by its first row (as the ESCO
    importer reads it); a skill or occupation without its label in the download's language is
    left out, with the relations naming it, as the importer skips them. Both relation header
    variants work: v1.1 (occupationUri, relationType, skillType, skillUri) and v1.2 (which adds
    occupationLabel and skillLabel).
    """
    first_rows: dict[Id, dict[str, str]] = {}
    for row in skills:
        if _uri(row, "conceptUri"):  # a row without its URI is refused by the importer
            first_rows.setdefault(_uri(row, "conceptUri"), row)
    # A concept without a label in the download's language (not translated yet) is skipped by
    # the importer, and so are the relations naming it: no empty candidate, no query, and no
    # relation to it that the ranking is scored on.
    candidates = [skill_candidate(r) for r in first_rows.values() if _labelled(r)]
    pool = {c.id for c in candidates}
    relevant: dict[Id, set[Id]] = defaultdict(set)
    for row in relations:
        if _uri(row, "skillUri") in pool:
            relevant[_uri(row, "occupationUri")].add(_uri(row, "skillUri"))
    first_occupations: dict[Id, dict[str, str]] = {}
    for row in occupations:
        if _uri(row, "conceptUri"):
            first_occupations.setdefault(_uri(row, "conceptUri"), row)
    queries = {
        uri: occupation_query(row)
        for uri, row in first_occupations.items()
        if _labelled(row) and relevant.get(uri)
    }
    return queries, candidates, {uri: relevant[uri] for uri in queries}


def _labelled(row: dict[str, str]) -> bool:
    """Whether the concept has its label in the download's language, as the importer needs."""
    return bool((row.get("preferredLabel") or "").strip())


def _uri(row: dict[str, str], column: str) -> str:
    """A URI cell as the ESCO importer reads it: without the spaces around it."""
    return (row.get(column) or "").strip()


def score_rankings(
    rankings: Iterable[Sequence[Id]], relevant: Iterable[set[Id]], k: int
) -> tuple[float, float]:
    """Mean recall@k and mean reciprocal rank over queries (0 when nothing relevant is found)."""
    recalls, rrs = [], []
    for ranked, rel in zip(rankings, relevant, strict=True):
        recalls.append(len(rel.intersection(ranked[:k])) / len(rel))
        rrs.append(next((1.0 / (i + 1) for i, c in enumerate(ranked) if c in rel), 0.0))
    n = len(recalls) or 1
    return sum(recalls) / n, sum(rrs) / n


Ranker = Callable[[list[Candidate], list[Query], int], list[list[Ranked]]]


def _engine_ranker(candidates: list[Candidate], queries: list[Query], depth: int):
    from .index import build_index

    return build_index(candidates).rank_many(queries, k=depth, explain=False)


def _lexical_ranker(candidates: list[Candidate], queries: list[Query], depth: int):
    from .index import Settings, build_index

    index = build_index(candidates, settings=Settings(semantic_model=None))
    return index.rank_many(queries, k=depth, explain=False)


def _tfidf_ranker(candidates: list[Candidate], queries: list[Query], depth: int):
    from .baseline import build_tfidf

    return build_tfidf(candidates).rank_many(queries, k=depth)


RANKERS: dict[str, Ranker] = {
    "engine": _engine_ranker,
    "lexical": _lexical_ranker,  # the engine on words and phrases alone, without the model
    "tfidf": _tfidf_ranker,
}


def evaluate_esco(
    directory: Path,
    k: int = 20,
    skills_file: Path | None = None,
    *,
    ranker: str = "engine",
    half: int | None = None,
) -> dict:
    """`evaluate` on the trio in DIR (with another skills file as the pool if given)."""
    return evaluate(load_esco(Path(directory), skills_file), k, ranker=ranker, half=half)


def evaluate(
    trio: tuple[dict[Id, Query], list[Candidate], dict[Id, set[Id]]],
    k: int = 20,
    *,
    ranker: str = "engine",
    half: int | None = None,
) -> dict:
    """Rank every skill for every occupation and score against the relations.

    `trio` is what `load_trio` returns. Returns {"queries", "candidates", "recall@k", "mrr",
    "seconds"}; `seconds` covers building the index and ranking, not reading the CSVs. `half` (1
    or 2) keeps every other occupation in URI order, starting with the first or the second, to
    check that a setting which helps one half helps the other. MRR looks at the top 1,000: a
    first relevant skill further down counts as 0.
    """
    queries, candidates, relevant = trio
    uris = sorted(queries)[half - 1 :: 2] if half else list(queries)
    start = time.perf_counter()
    results = RANKERS[ranker](candidates, [queries[u] for u in uris], max(k, 1000))
    seconds = time.perf_counter() - start
    recall, mrr = score_rankings(
        ([r.id for r in ranked] for ranked in results), (relevant[u] for u in uris), k
    )
    return {
        "queries": len(uris),
        "candidates": len(candidates),
        f"recall@{k}": round(recall, 4),
        "mrr": round(mrr, 4),
        "seconds": round(seconds, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """The CLI: one JSON object with --json, else one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--skills", type=Path, default=None, help="skills CSV instead of DIR's")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--baseline",
        choices=["tfidf", "lexical"],
        default=None,
        help="tfidf: plain TF-IDF cosine; lexical: the engine without its model by meaning",
    )
    parser.add_argument("--half", type=int, choices=[1, 2], default=None)
    args = parser.parse_args(argv)
    result = evaluate_esco(
        args.directory, args.k, args.skills, ranker=args.baseline or "engine", half=args.half
    )
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
