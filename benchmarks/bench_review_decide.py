"""One decision on a programme's review page (`POST /suggestions/decide/` from htmx): the
server's time and query count of the answer, on a programme of 25 courses with a few hundred
pending suggestions of a framework of 400 abilities, four target positions requiring 60 of them
(so the queue lists the best 50 of N, each naming the targets it serves).

Runs on its own in a throw-away test database (DATABASE_URL, SQLite by default):

    .venv/bin/python benchmarks/bench_review_decide.py [--decisions 20] [--per-course 16]

Prints the median and slowest of the decisions (accept, reject and skip in turn) and the
queries each ran; and the review page's GET beside them.

    .venv/bin/python benchmarks/bench_review_decide.py --bulk [--rounds 3]

Times bulk accepts instead (the form's "Accept selected"): of 5, 25 and 50 of the programme's
course suggestions, and of as many of a target position's (requirements), each size `--rounds`
times, with the queries each ran.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _explanation(rng: random.Random, course, ability) -> dict:
    fields = ["label", "description", "alt_labels", "label_zh"]
    matches = []
    for term in rng.sample(["database", "design", "schema", "web", "market", "contract"], 3):
        for field in rng.sample(fields, 2):
            matches.append(
                {
                    "term": term,
                    "query_field": rng.choice(["outcomes", "title", "description"]),
                    "candidate_field": field,
                    "weight": rng.random(),
                }
            )
    matches.append(
        {
            "kind": "meaning",
            "term": "Design a relational database schema with keys",
            "query_field": "outcomes",
            "candidate_field": "label",
            "similarity": 0.41 + rng.random() / 3,
            "weight": rng.random(),
        }
    )
    return {
        "matches": matches,
        "level": {
            "code": "R",
            "rule": "outcome",
            "verb": "design",
            "line": "Design a relational database schema with keys",
        },
        "strength": {
            "band": rng.choice(["strong", "good", "weak"]),
            "lexical_rank": rng.randint(1, 40),
            "meaning_rank": rng.randint(1, 40),
        },
    }


def build(*, per_course: int):
    """The programme, its staff reviewer and the ids of its pending suggestions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from curricula.models import Programme, ProgrammeCourse, ProgrammeTarget, Suggestion
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.models import Ability, Framework, Position, Requirement
    from positions.tests.factories import level

    rng = random.Random(7)
    framework = Framework.objects.create(name="Bench framework", version="1")
    abilities = Ability.objects.bulk_create(
        [
            Ability(
                framework=framework,
                code=f"B.{i}",
                text=f"ability number {i} about databases and web shops",
                short_name=f"ability {i}",
                description="Design database schemas, tables and keys for SQL.",
            )
            for i in range(400)
        ]
    )
    positions = [Position.objects.create(name=f"Bench position {i}") for i in range(4)]
    m = level("M")
    Requirement.objects.bulk_create(
        [
            Requirement(position=p, ability=a, min_level=m, order=j)
            for p in positions
            for j, a in enumerate(rng.sample(abilities, 60))
        ]
    )
    courses = [
        CourseFactory(outcomes="Design a relational database schema with keys") for _ in range(25)
    ]
    programme: Programme = ProgrammeFactory()
    ProgrammeCourse.objects.bulk_create(
        [ProgrammeCourse(programme=programme, course=c, order=i) for i, c in enumerate(courses)]
    )
    ProgrammeTarget.objects.bulk_create(
        [ProgrammeTarget(programme=programme, position=p) for p in positions]
    )
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                course=course,
                ability=ability,
                framework=framework,
                score=rng.random(),
                rank=rank + 1,
                method="lexical-fields+meaning",
                proposed_level=level("R"),
                explanation=_explanation(rng, course, ability),
            )
            for course in courses
            for rank, ability in enumerate(rng.sample(abilities, per_course))
        ]
    )
    user = get_user_model().objects.create_user(username="bench-staff", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["positions", "curricula"])
    )
    return programme, user


def bulk_build(programme, *, count: int):
    """A position the programme targets, with `count` pending suggestions of the framework's
    abilities it does not require yet; returns it."""
    from curricula.models import ProgrammeTarget, Suggestion
    from positions.models import Ability, Position
    from positions.tests.factories import level

    rng = random.Random(11)
    position = Position.objects.create(
        name="Bench bulk position", description="Designs and runs the shop's databases."
    )
    ProgrammeTarget.objects.create(programme=programme, position=position)
    abilities = list(Ability.objects.order_by("pk")[:count])
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                position=position,
                ability=ability,
                framework_id=ability.framework_id,
                score=rng.random(),
                rank=rank + 1,
                method="lexical-fields+meaning",
                proposed_level=level("R") if rank % 2 else None,
                explanation=_explanation(rng, None, ability),
            )
            for rank, ability in enumerate(abilities)
        ]
    )
    return position


def _decide(client, data: dict):
    """One decision posted as the review page posts it (htmx): its seconds, its queries and the
    answer, which must be a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # it keeps the last 9,000: a count past them is 0
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        answer = client.post("/suggestions/decide/", data, HTTP_HX_REQUEST="true")
        seconds = time.perf_counter() - started
    assert answer.status_code == 200, (answer.status_code, answer.content[:500])
    return seconds, len(captured), answer


def measure_bulk(*, rounds: int, per_course: int) -> None:
    from django.db import connection
    from django.test import Client

    from curricula.models import Suggestion

    sizes = (5, 25, 50)
    programme, user = build(per_course=per_course)
    position = bulk_build(programme, count=sum(sizes) * rounds)
    client = Client()
    client.force_login(user)
    client.get(f"/suggestions/programs/{programme.pk}/?required=0")  # warm: translations, templates
    course_ids = list(programme.programme_courses.values_list("course_id", flat=True))
    queues = {
        f"programme:{programme.pk}": Suggestion.objects.for_courses(course_ids),
        f"position:{position.pk}": Suggestion.objects.filter(position=position),
    }
    print(f"database: {connection.vendor}; bulk accepts, {rounds} of each size")
    for scope, queue in queues.items():
        for size in sizes:
            times, queries = [], []
            for _round in range(rounds):
                ids = list(queue.to_review().best_first().values_list("pk", flat=True)[:size])
                assert len(ids) == size, (scope, size, len(ids))
                data = {"scope": scope, "required": "0", "bulk": "1", "selected": ids}
                seconds, count, _answer = _decide(client, data)
                times.append(seconds)
                queries.append(count)
            print(
                f"{scope.partition(':')[0]} bulk accept of {size}: median "
                f"{statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms; "
                f"queries {min(queries)}-{max(queries)}"
            )


def measure(*, decisions: int, per_course: int, view: str) -> None:
    from django.db import connection
    from django.test import Client

    from curricula.models import Suggestion

    programme, user = build(per_course=per_course)
    client = Client()
    client.force_login(user)
    url = f"/suggestions/programs/{programme.pk}/?required={view}"
    client.get(url)  # warm: translations, templates
    started = time.perf_counter()
    page = client.get(url)
    page_seconds = time.perf_counter() - started
    assert page.status_code == 200, page.status_code
    total = page.context["pending_total"]
    course_ids = list(programme.programme_courses.values_list("course_id", flat=True))
    times, queries, sizes = [], [], []
    actions = ["accept", "reject", "skip"]
    for i in range(decisions):
        # The queue's first (the view of all: best first, skipped ones last).
        pk = Suggestion.objects.for_courses(course_ids).to_review().best_first()[0].pk
        data = {
            "scope": f"programme:{programme.pk}",
            "required": view,
            "single": f"{actions[i % 3]}:{pk}",
            f"level-{pk}": "R",
        }
        seconds, count, answer = _decide(client, data)
        times.append(seconds)
        queries.append(count)
        sizes.append(len(answer.content))
    print(f"database: {connection.vendor}; view required={view}; pending at start: {total}")
    print(f"review page GET: {page_seconds * 1000:.0f} ms")
    print(
        f"decide POST over {decisions}: median {statistics.median(times) * 1000:.0f} ms, "
        f"slowest {max(times) * 1000:.0f} ms; queries {min(queries)}-{max(queries)}; "
        f"answer {statistics.median(sizes) / 1024:.1f} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=20)
    parser.add_argument("--per-course", type=int, default=16)
    parser.add_argument("--view", choices=["0", "1"], default="0")
    parser.add_argument("--bulk", action="store_true", help="time bulk accepts instead")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.test_settings")
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if args.bulk:
            measure_bulk(rounds=args.rounds, per_course=max(args.per_course, 16))
        else:
            measure(decisions=args.decisions, per_course=args.per_course, view=args.view)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
