"""A level's reason names the site's level its tier stands for (positions.selectors.level_of_tier),
on the review page and in the API: on a scale coded 1, 2, 3 the proposed level of tier M is 3,
and its reason says "3: …", the Chinese syllabus tiers "了解 1 < 理解 2 < 掌握 3". Observed: the
reason said "M: …" beside a proposed level of 3, and "了解 I < 理解 R < 掌握 M" on a scale without
those codes. The stored explanation keeps the tier ("code": "M"); the scale is read once per page
or response, not once per row. On the default scale the words are as they were."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseFactory
from positions.models import Level
from suggestions.reasons import level_reason, tier_codes
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

BLOOM = "%(code)s: the outcome “%(line)s” uses “%(verb)s” (Bloom's taxonomy)."
TIERS = (
    "%(code)s: the outcome “%(line)s” uses “%(verb)s” (the Chinese syllabus tiers: "
    "了解 %(low)s < 理解 %(middle)s < 掌握 %(high)s)."
)
DESIGN = {"code": "M", "rule": "outcome", "verb": "design", "line": "Design a schema", "reason": ""}
MASTER = {"code": "M", "rule": "outcome", "verb": "掌握", "line": "掌握数据库设计", "reason": ""}
ON_123 = {"low": "1", "middle": "2", "high": "3"}


@pytest.fixture(autouse=True)
def _stand_ins(chinese_stand_in):
    chinese_stand_in(None, TIERS)


def _scale_123() -> None:
    Level.objects.all().delete()
    for rank in (1, 2, 3):
        Level.objects.create(code=str(rank), name=f"Step {rank}", rank=rank)


def _said(message: str, level: dict, language: str, **tiers) -> str:
    with translation.override(language):
        return translation.gettext(message) % {**level, **tiers, "code": "3"}


def _page(client, course, language: str) -> str:
    url = reverse("suggestions:course-review", args=[course.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _api(client, language: str) -> list[str]:
    response = client.get("/api/v1/suggestions/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return [row["explanation"]["level"] for row in response.json()["results"]]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("level", "message"), [(DESIGN, BLOOM), (MASTER, TIERS)], ids=["bloom", "tiers"]
)
def test_the_review_page_names_the_level_of_the_tier_on_a_1_2_3_scale(
    client, staff_user, language, level, message
):
    _scale_123()
    course = CourseFactory()
    SuggestionFactory(course=course, explanation={"matches": [], "level": dict(level)})
    client.force_login(staff_user)
    page = _page(client, course, language)
    assert _said(message, level, language, **ON_123) in page
    assert "M: " not in page
    assert "M：" not in page  # noqa: RUF001


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("level", "message"), [(DESIGN, BLOOM), (MASTER, TIERS)], ids=["bloom", "tiers"]
)
def test_the_api_names_the_level_of_the_tier_and_keeps_the_tier_stored(
    staff_client, language, level, message
):
    _scale_123()
    SuggestionFactory(explanation={"matches": [], "level": dict(level)})
    (served,) = _api(staff_client, language)
    assert served["reason"] == _said(message, level, language, **ON_123)
    assert served["code"] == "M"


def test_on_the_default_scale_the_reason_is_worded_as_before(staff_client):
    SuggestionFactory(explanation={"matches": [], "level": dict(MASTER)})
    (served,) = _api(staff_client, "en")
    assert served["reason"] == (
        "M: the outcome “掌握数据库设计” uses “掌握” (the Chinese syllabus tiers: "
        "了解 I < 理解 R < 掌握 M)."
    )
    assert level_reason(MASTER) == served["reason"]


def test_the_scale_is_read_once_per_page_and_response(client, staff_user, staff_client):
    _scale_123()
    course = CourseFactory()
    client.force_login(staff_user)

    def count(read) -> int:
        read()  # the user's permissions are read once, then cached on the user
        with CaptureQueriesContext(connection) as queries:
            read()
        return len(queries)

    def page():
        return _page(client, course, "en")

    def api():
        return _api(staff_client, "en")

    SuggestionFactory(course=course, explanation={"matches": [], "level": dict(MASTER)})
    few_page, few_api = count(page), count(api)
    for _ in range(6):
        SuggestionFactory(course=course, explanation={"matches": [], "level": dict(DESIGN)})
    assert count(page) == few_page
    assert count(api) == few_api
    assert page().count("3: the outcome") == 7
    assert [served["reason"][:2] for served in api()] == ["3:"] * 7


@pytest.mark.parametrize("rule", ["outcome", "course", "description"])
def test_each_tier_reason_names_the_levels_of_a_four_level_scale(rule):
    levels = [Level(code=code, name=code, rank=rank) for rank, code in enumerate("ABCD", 1)]
    said = level_reason({**MASTER, "rule": rule}, tier_codes(levels))
    assert said.startswith("D: ")
    assert said.endswith("(the Chinese syllabus tiers: 了解 A < 理解 C < 掌握 D).")


def test_a_tier_naming_no_level_keeps_its_letter():
    levels = [Level(code=code, name=code, rank=rank) for rank, code in enumerate(["LO", "HI"], 1)]
    said = level_reason({**MASTER, "code": "R"}, tier_codes(levels))
    assert said.startswith("R: ")
    assert said.endswith("(the Chinese syllabus tiers: 了解 LO < 理解 R < 掌握 HI).")
