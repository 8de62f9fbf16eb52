"""Factories of the suggestions app: a small framework with hand-written abilities, and a course
whose text plainly builds some of them."""

import factory

from curricula import models
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

ABILITIES = {
    "DB": ("design relational databases", "Design database schemas, tables and keys for SQL."),
    "WEB": ("develop web applications", "Build web front ends with HTML, CSS and JavaScript."),
    "MKT": ("plan digital marketing campaigns", "Plan search and social media advertising."),
    "LOG": ("manage cross-border logistics", "Organise international shipping and customs."),
    "NEG": ("negotiate contracts", "Negotiate terms of sale with foreign buyers."),
}


def small_framework():
    """A framework of five abilities, by code: DB, WEB, MKT, LOG, NEG."""
    framework = FrameworkFactory(name="Small test framework")
    return framework, {
        code: AbilityFactory(
            framework=framework, code=code, short_name=label, text=label, description=description
        )
        for code, (label, description) in ABILITIES.items()
    }


def database_course(**kwargs):
    return CourseFactory(
        title="Databases",
        description="Relational databases and SQL for online shops.",
        outcomes=(
            "Describe the relational model\n"
            "Design a relational database schema with keys\n"
            "Use JavaScript to show query results on a web page"
        ),
        **kwargs,
    )


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Suggestion

    course = factory.SubFactory(CourseFactory)
    ability = factory.SubFactory(AbilityFactory)
    framework = factory.SelfAttribute("ability.framework")
    score = 0.5
    rank = factory.Sequence(lambda n: n + 1)
    method = "test"
    explanation = factory.LazyFunction(lambda: {"matches": [], "level": {"code": "R"}})


def programme_with_gap_suggested_below(*, below_score: float = 0.5):
    """A programme whose target (Database developer) needs DB at R, which no course of it builds;
    two of its courses are suggested for DB: C1 (Databases) at I, below the level needed, and C2
    (Data modelling) at M, enough (score 0.4). Its coverage is computed. Returns (programme,
    below, enough)."""
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory, level

    _framework, abilities = small_framework()
    low = CourseFactory(code="C1", title="Databases", title_zh="数据库")
    high = CourseFactory(code="C2", title="Data modelling", title_zh="数据建模")
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=low, order=0)
    programme.programme_courses.create(course=high, order=1)
    below = SuggestionFactory(
        course=low, ability=abilities["DB"], proposed_level=level("I"), score=below_score
    )
    enough = SuggestionFactory(
        course=high, ability=abilities["DB"], proposed_level=level("M"), score=0.4
    )
    position = PositionFactory(name="Database developer")
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("R"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, below, enough
