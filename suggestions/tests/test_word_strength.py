"""A suggestion ranked on words alone (a Chinese course, or no model) is rated by its place and
by what it shares, read on its own: stored with the suggestion, served by the API and named on
the review page, so a designer sees why a Chinese course's suggestion is Weak."""

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def esco_like():
    """Three ESCO skills whose texts write "lists", and one they do not."""
    framework = FrameworkFactory(name="ESCO sample")
    for code, label, description in [
        (
            "S1",
            "use personal organization software",
            "Use software tools like calendars, to-do lists, time-tracking, contact lists.",
        ),
        (
            "S2",
            "collect statistics on medical records",
            "Perform statistical analysis of medical records: admissions and waiting lists.",
        ),
        ("S3", "maintain client debt records", "Maintain a list with client debt records."),
        ("S4", "bake bread", "Knead and bake dough."),
    ]:
        AbilityFactory(
            framework=framework, code=code, short_name=label, text=label, description=description
        )
    return framework


def test_a_chinese_course_sharing_one_english_word_is_stored_and_shown_as_weak(
    esco_like, client, staff_user, staff_client
):
    """Observed: 跨境电商运营实务 against a small ESCO import was suggested "use personal
    organization software" as Strong and "collect statistics on medical records" as Good, on
    the single word "Listing" (Listing优化), its place against the course's best (that same
    word) alone deciding."""
    course = CourseFactory(
        code="ZH301",
        title="跨境电商运营实务",
        description="本课程讲授跨境平台的选品、Listing优化、商品上架与店铺管理。",
        outcomes="掌握选品与Listing优化的方法",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=esco_like)
    stored = {s.ability.code: s.explanation["strength"] for s in Suggestion.objects.all()}
    assert set(stored) == {"S1", "S2", "S3"}
    assert {found["band"] for found in stored.values()} == {"weak"}
    assert all(found["terms"] == 1 and found["coverage"] < 0.5 for found in stored.values())

    rows = staff_client.get(f"/api/v1/courses/{course.pk}/suggestions/").json()["results"]
    api = {row["ability"]["code"]: row["strength"] for row in rows}
    assert api["S1"]["terms"] == 1
    assert api["S1"]["coverage"] == pytest.approx(stored["S1"]["coverage"])

    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    share = round(100 * stored["S1"]["coverage"])
    assert f"1 shared term, {share}% of its text" in html
