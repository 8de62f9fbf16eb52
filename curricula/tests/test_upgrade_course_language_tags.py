"""Courses stored with a language's name (中文, Chinese, English) before Course.clean stored
tags are given the tag by migration curricula 0054; a value it does not know (双语) and a tag are
left as they are. Migrated from the state before it, as an upgrade runs it."""

import pytest

from conftest import migrated_to

BEFORE = [("curricula", "0053_coverage_task_id_removed")]
AFTER = [("curricula", "0054_course_language_names_as_tags")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_known_names_become_tags_and_the_rest_is_left(older_release):
    course = older_release.get_model("curricula", "Course")
    given = {
        "C1": "中文",
        "C2": "Chinese",
        "C3": "ENGLISH",
        "C4": "双语",
        "C5": "zh-Hans",
        "C6": "",
    }
    for code, language in given.items():
        course.objects.create(code=code, title=code, language=language, provenance="edit")
    after = migrated_to(AFTER).get_model("curricula", "Course")
    assert dict(after.objects.values_list("code", "language")) == {
        "C1": "zh",
        "C2": "zh",
        "C3": "en",
        "C4": "双语",
        "C5": "zh-Hans",
        "C6": "",
    }
