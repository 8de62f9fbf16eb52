"""A Chinese course no ability matched is told to add English or Chinese names only where the
framework ranked has no Chinese statement to meet: against a framework written in Chinese (a
nursing school's own, imported from Moodle) the hint was wrong, and hid the one that helps."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions import services

pytestmark = pytest.mark.django_db

CHINESE_HINT = "written only in Chinese"
OTHER_HINT = "the framework may not cover"


def _chinese_framework():
    """A framework written in Chinese: its statements are Chinese, none has a `text_zh`."""
    framework = FrameworkFactory(name="护理学专业能力框架")
    for code, text in (("N1.1", "生命体征测量与评估"), ("N1.2", "无菌技术操作")):
        AbilityFactory(framework=framework, code=code, text=text)
    return framework


def _anatomy():
    return CourseFactory(code="NUR101", title="人体解剖学", description="人体各系统的结构。")


def test_the_result_says_whether_the_abilities_ranked_read_chinese():
    framework = _chinese_framework()
    english = FrameworkFactory(name="English only")
    AbilityFactory(framework=english, code="E1", text="Measure vital signs")
    course = _anatomy()

    chinese_run = services.suggestions_generate(course_ids=[course.pk], framework=framework)
    english_run = services.suggestions_generate(course_ids=[course.pk], framework=english)

    assert chinese_run.courses_unmatched == [course.pk]
    assert chinese_run.as_dict()["abilities_read_chinese"] is True
    assert english_run.as_dict()["abilities_read_chinese"] is False


def test_the_command_gives_a_chinese_course_the_chinese_hint_only_without_chinese_abilities():
    framework = _chinese_framework()
    _anatomy()
    out = StringIO()

    call_command("suggest", "--course", "NUR101", "--framework", str(framework.pk), stdout=out)

    line = next(line for line in out.getvalue().splitlines() if "NUR101" in line)
    assert CHINESE_HINT not in line
    assert OTHER_HINT in line


def test_the_job_panel_gives_a_chinese_course_the_chinese_hint_only_without_chinese_abilities(
    client, staff_user
):
    framework = _chinese_framework()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=_anatomy(), order=0)
    client.force_login(staff_user)

    html = client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()

    assert "1 course got no suggestion" in html
    assert 'id="review-job-unmatched"' not in html
    other = html[html.index('id="review-job-unmatched-other"') :]
    assert "NUR101" in other[: other.index("</ul>")]
