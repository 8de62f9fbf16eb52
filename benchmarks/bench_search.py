"""The site search on the esco catalogue (3,000 positions, 13,900 abilities, 5,000 courses), or on
a larger one.

Standalone (generates the esco catalogue into the database if it is empty, as benchmarks/run.py
does):

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_search.py

Each query goes through `site_search` (every kind: the word search, the counts, the hits' links),
which is what GET /search/?q= does besides rendering; the median of five runs is printed with
the process's CPU time beside the wall time (the machine is shared), and the hits per kind. No
limit was set for it: the figures say what a query that matches a whole table costs (the
synthetic abilities all say "skill") beside a selective one.

`--words` first gives the generated courses that have no description words a course catalogue
has (`give_courses_words`: English titles and descriptions, accented ones, Chinese titles in
Simplified, Traditional and Taiwan's words), once, and times the queries that read them
(`WORD_QUERIES`): the generator's own titles are "GEN course 00001". A large catalogue is
generated first with the generator's counts, e.g. 50,000 courses:

    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_search50k \\
        .venv/bin/python manage.py generate_catalog --preset esco --courses 50000
    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_search50k \\
        .venv/bin/python benchmarks/bench_search.py --words
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("skill", "synthetic skill track", "course 00001", "operations", "运营")
# A common English word, an accented one, a rare one, a code, a Chinese word (Simplified and
# Traditional) and a mixed query, over the words `give_courses_words` writes.
WORD_QUERIES = (
    "management",
    "résumé",
    "blockchain",
    "GEN-C00042",
    "数据分析",
    "數據分析",
    "python 数据分析",
)

# What `give_courses_words` writes: (English title, Chinese title) pairs, the Chinese in
# Simplified, Traditional or Taiwan's words, and description phrases; "résumé" in about a third
# of the courses, "management" in about two fifths, "blockchain" in a few.
_TITLES = (
    ("Operations management", "运营管理"),
    ("Data analysis", "数据分析"),
    ("Data analysis with Python", "數據分析"),
    ("Data analysis practice", "資料分析"),
    ("Cross-border e-commerce operations", "跨境电商运营"),
    ("International taxation", "国际税收"),
    ("Software engineering", "軟體工程"),
    ("Software engineering", "软件工程"),
    ("Marketing management", "市场营销管理"),
    ("Café and restaurant management", "餐饮管理"),
    ("Financial accounting", "财务会计"),
    ("Human resources", "人力资源管理"),
)
_PHRASES = (
    "Students write a résumé and a cover letter.",
    "Covers project management and teamwork.",
    "Includes a naïve Bayes exercise.",
    "Case studies from München and Zürich.",
    "Practice with spreadsheets and reports.",
    "Introduces the supply chain.",
    "Weekly labs in Python.",
)


def give_courses_words(seed: int = 7) -> int:
    """Give each generated course without a description a seeded title, Chinese title and
    description from `_TITLES` and `_PHRASES`; returns how many were given."""
    from curricula.models import Course

    rng = random.Random(seed)
    courses = list(Course.objects.filter(description="").order_by("pk").only("id", "title", "code"))
    for course in courses:
        title, title_zh = rng.choice(_TITLES)
        course.title = f"{title} {course.code[-5:]}"
        course.title_zh = title_zh
        phrases = rng.sample(_PHRASES, 2)
        if rng.random() < 0.0005:
            phrases.append("A first look at blockchain ledgers.")
        course.description = " ".join(phrases)
    Course.objects.bulk_update(courses, ["title", "title_zh", "description"], batch_size=2000)
    if courses:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE curricula_course")
    return len(courses)


def run(runs: int = 5, queries: tuple[str, ...] = QUERIES) -> list[tuple[str, float, float, dict]]:
    from curricula.selectors.search import site_search

    rows = []
    for query in queries:
        site_search(query=query)  # jieba's dictionary and the stem cache, once
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            results = site_search(query=query)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        hits = {group.kind: group.total for group in results.groups}
        rows.append((query, statistics.median(walls), statistics.median(cpus), hits))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--words",
        action="store_true",
        help="give the generated courses catalogue words (once) and time WORD_QUERIES",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import setup

    setup(recompute=False)
    from django.db import connection

    print(f"database: {connection.vendor}")
    queries = QUERIES
    if args.words:
        given = give_courses_words()
        if given:
            print(f"gave {given} courses words")
        queries = WORD_QUERIES
    for query, wall, cpu, hits in run(args.runs, queries):
        print(f"{query!r:<26} wall {wall:.3f} s  cpu {cpu:.3f} s  hits {hits}")


if __name__ == "__main__":
    main()
