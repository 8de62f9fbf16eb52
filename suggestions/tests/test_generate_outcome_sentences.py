"""What a finished generation says on a review page, its sentences one after another as the
reader's language writes them. Observed: in Chinese, "已为 1 门课程生成 3 条建议。 已跳过 …", a
space after each full stop (the English join), where the project writes none
(core.i18n.join_sentences)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def test_a_generations_outcome_joins_chinese_sentences_without_a_space(client, staff_user):
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    courses = [
        database_course(code="DB101"),
        CourseFactory(code="ACC100", title="Qqq", description="", outcomes=""),
    ]
    for order, course in enumerate(courses):
        programme.programme_courses.create(course=course, order=order)
    client.force_login(staff_user)

    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    with translation.override("zh-hans"):
        skipped = translation.ngettext(
            "%(n)d course was skipped: it has no description or outcomes (see below).",
            "%(n)d courses were skipped: they have no description or outcomes (see below).",
            1,
        ) % {"n": 1}
    assert skipped in html
    assert re.search("。" + re.escape(skipped), html), "the sentences are joined without a space"
