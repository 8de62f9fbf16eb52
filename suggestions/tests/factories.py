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
