"""Suggestions from a framework that is a tree (a Moodle framework: GA1 "工程知识 Engineering
knowledge" over GA1.1, ...): the groupings come after the specific abilities, for a course and
for a position, in English and in Chinese. Observed: EST401 got GA4 and GA1 at ranks 1 and 2 and
the precise GA5.1 at 5; for a position GA4.3 matched 8 terms and ranked below GA1 (one)."""

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, PositionFactory
from suggestions import services

pytestmark = pytest.mark.django_db

TREE = {
    "GA1": ("Engineering knowledge", "工程知识", None),
    "GA1.1": (
        "Apply mathematics and natural science to civil engineering problems",
        "能够将数学与自然科学知识用于土木工程问题",
        "GA1",
    ),
    "GA4": ("Engineering research", "工程研究", None),
    "GA4.3": (
        "Analyse and interpret structural test data of concrete members",
        "能够分析与解释混凝土构件的结构试验数据",
        "GA4",
    ),
    "GA5": ("Modern tools for engineering", "现代工具", None),
    "GA5.1": (
        "Use structural analysis software to model concrete and steel structures",
        "能够使用结构分析软件对混凝土结构建模",
        "GA5",
    ),
}
GROUPINGS = {"GA1", "GA4", "GA5"}


@pytest.fixture
def framework():
    framework = FrameworkFactory(name="Civil engineering graduate attributes")
    made = {}
    for code, (text, text_zh, parent) in TREE.items():
        made[code] = AbilityFactory(
            framework=framework, code=code, text=text, text_zh=text_zh, parent=made.get(parent)
        )
    return framework


def _codes(**subject) -> list[str]:
    rows = Suggestion.objects.filter(**subject).order_by("rank")
    codes = list(rows.values_list("ability__code", flat=True))
    by_score = list(rows.order_by("-score", "rank").values_list("ability__code", flat=True))
    assert codes == by_score  # a queue ordering by score agrees
    return codes


def _groupings_last(codes: list[str]) -> bool:
    kinds = [code in GROUPINGS for code in codes]
    return kinds == sorted(kinds)


@pytest.mark.parametrize(
    ("title", "description"),
    [
        (
            "Structural Engineering Software",
            "Engineering modelling of concrete and steel structures with analysis software.",
        ),
        ("工程软件", "工程中混凝土结构的建模与结构分析软件"),
    ],
    ids=["english", "chinese"],
)
def test_a_course_s_suggestions_list_the_groupings_after_the_specific_abilities(
    framework, title, description
):
    course = CourseFactory(code="EST401", title=title, description=description, outcomes="")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    codes = _codes(course=course)
    assert codes[0] == "GA5.1"
    assert _groupings_last(codes), codes


def test_a_position_s_suggested_requirements_list_the_groupings_after_the_specific_abilities(
    framework,
):
    position = PositionFactory(
        name="Structural test engineer",
        description="Engineering: analyse and interpret structural test data of concrete "
        "members; structural testing of concrete.",
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    codes = _codes(position=position)
    assert codes[0] == "GA4.3"
    assert "GA1" in codes or "GA4" in codes  # still suggested, after
    assert _groupings_last(codes), codes


def test_the_review_page_says_where_the_groupings_are(framework, client, staff_user):
    course = CourseFactory(code="EST401", title="Engineering software", outcomes="")
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Abilities that group others are listed after the specific ones" in html


def test_the_review_page_says_nothing_of_groupings_where_no_framework_has_them(client, staff_user):
    """The sentence stood on every review page, ESCO's flat framework's too, where no ability
    groups others and it could only puzzle; it is said where a framework offered is a tree."""
    flat = FrameworkFactory(name="Flat")
    AbilityFactory(framework=flat, code="F1", text="Design relational databases")
    course = CourseFactory(code="DB101", title="Databases", outcomes="")
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Replaces the pending suggestions" in html
    assert "Abilities that group others" not in html
