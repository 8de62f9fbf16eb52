# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width punctuation)
"""The level the review page proposes and the verb its reason quotes, for outcomes whose level
turns on a word around the verb: a noun after "to" or after a Chinese verb, a second sentence, a
degree (English and Chinese)."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions import services

from .test_chinese_programme_levels import level_of, nursing_framework

pytestmark = pytest.mark.django_db

NURSING_EN = {
    "E01": "Design health education interventions for patients and families",
    "E02": "Administer medicines safely and monitor their effects",
    "E03": "Assess the health of older people in the community",
}


def _english_framework():
    framework = FrameworkFactory(name="Nursing graduate abilities")
    for code, text in NURSING_EN.items():
        AbilityFactory(framework=framework, code=code, text=text)
    return framework


def _review(client, staff_user, course, language: str = "en") -> str:
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("outcomes", "code", "verb"),
    [
        # "to practice" names where theory is applied: the outcome asks to design (M).
        ("Apply nursing theory to practice and design health education interventions", "M",
         "design"),
        # A second sentence asks more than the first.
        ("Describe health education for patients. Design health education interventions", "M",
         "design"),
        # A degree moves the verb and is quoted with it.
        ("Independently design health education interventions", "M", "independently design"),
        ("Understand health education interventions in depth", "R",
         "understand … in depth"),
        ("Have a basic understanding of health education interventions", "I",
         "basic understanding"),
        # Counter-example: a verb after "to" opens a clause of purpose.
        ("Use patient records to design health education interventions", "R", "use"),
    ],
)  # fmt: skip
def test_the_review_page_names_the_verb_that_decides_an_english_outcome(
    client, staff_user, outcomes, code, verb
):
    """Observed: "Apply nursing theory to practice and design ..." proposed R and the review
    page gave "apply"; a second sentence's verb was never read; "independently", "in depth" and
    "a basic understanding" were not quoted. The level and the verb shown are the deciding
    ones, with their degree."""
    framework = _english_framework()
    course = CourseFactory(
        code="NUR310", title="Health education", description="", outcomes=outcomes
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    proposed, level = level_of(course, "E01")
    assert (proposed, level["verb"]) == (code, verb)
    assert f"uses “{verb}”" in _review(client, staff_user, course)


@pytest.mark.parametrize(
    ("outcomes", "code", "verb", "not_verb"),
    [
        # 分析报告 (an analysis report) is a noun: the outcome asks to know (了解, I).
        ("了解护理研究的基本过程，分析报告与护理文献的写作", "I", "了解", "分析"),
        # A second sentence asks to design (设计, M).
        ("了解护理研究的基本过程。能够设计护理研究方案", "M", "设计", "了解"),
        # A degree moves the verb and is quoted with it.
        ("初步掌握护理研究的基本过程", "R", "初步掌握", "掌握”"),
        # Counter-example: 设计 and its object (护理研究方案) is a verb.
        ("了解护理文献，设计护理研究方案并分析数据", "M", "设计", "了解"),
    ],
)
def test_the_review_page_names_the_verb_that_decides_a_chinese_outcome(
    client, staff_user, outcomes, code, verb, not_verb
):
    """Observed: “了解…，分析报告…” proposed R for 分析 of 分析报告 (a noun), and a second
    sentence's 设计 was never read: the page quoted the wrong verb. It quotes the deciding one,
    with its degree."""
    _abilities, framework = nursing_framework()
    course = CourseFactory(code="NUR402", title="护理研究", description="", outcomes=outcomes)
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    proposed, level = level_of(course, "N06")
    assert (proposed, level["verb"]) == (code, verb)
    html = _review(client, staff_user, course)
    assert f"uses “{verb}”" in html
    assert f"uses “{not_verb}" not in html
    assert f"使用了“{verb}”" in _review(client, staff_user, course, "zh-hans")
