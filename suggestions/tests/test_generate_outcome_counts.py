"""What a finished generation says: the courses it generated for are those that got
suggestions (not the skipped ones too), and the hint for a course no ability matched fits the
course (an English course is not told about courses written only in Chinese)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def _generate(client, staff_user, *courses) -> str:
    framework, _abilities = small_framework()
    programme = ProgrammeFactory()
    for order, course in enumerate(courses):
        programme.programme_courses.create(course=course, order=order)
    client.force_login(staff_user)
    return client.post(
        reverse("suggestions:generate"),
        {"scope": f"programme:{programme.pk}", "framework": framework.pk},
        follow=True,
    ).content.decode()


def test_the_courses_generated_for_leave_out_the_skipped_ones(client, staff_user):
    """Observed: "Generated … for 26 courses. 1 course was skipped": the 26 counted the course
    skipped for want of text, which got no suggestion."""
    html = _generate(
        client,
        staff_user,
        database_course(code="DB101"),
        CourseFactory(code="ACC100", title="Qqq", description="", outcomes=""),
    )
    assert "1 course was skipped" in html
    assert "suggestions for 1 course." in html
    assert "for 2 courses" not in html


def test_the_courses_generated_for_leave_out_those_no_ability_matched(client, staff_user):
    html = _generate(
        client,
        staff_user,
        database_course(code="DB101"),
        CourseFactory(code="PHA201", title="药理学", description="药物作用机制与药代动力学。"),
    )
    assert "1 course got no suggestion" in html
    assert "suggestions for 1 course." in html


def _economics():
    return CourseFactory(
        code="ECO101",
        title="Principles of economics",
        description="Supply, demand, elasticity and equilibrium of prices.",
        outcomes="Explain opportunity cost\nDescribe inflation and unemployment",
    )


def test_an_english_course_no_ability_matched_is_not_told_about_chinese(client, staff_user):
    """Observed: ECO101, an English course no ability of the framework matched, was listed
    under "A course written only in Chinese meets only abilities with Chinese statements"."""
    html = _generate(client, staff_user, _economics())
    assert "1 course got no suggestion" in html
    assert "written only in Chinese" not in html
    hint = html[html.index('id="review-job-unmatched-other"') :]
    hint = hint[: hint.index("</ul>")]
    assert "ECO101" in hint
    assert "the framework may not cover" in hint


def test_the_command_does_not_tell_an_english_course_about_chinese():
    framework, _abilities = small_framework()
    _economics()
    out = StringIO()
    call_command("suggest", "--course", "ECO101", "--framework", str(framework.pk), stdout=out)
    text = out.getvalue()
    assert "No ability matched: ECO101" in text
    assert "written only in Chinese" not in text
    assert "the framework may not cover" in text


def test_the_commands_summary_counts_only_the_courses_that_got_suggestions():
    """Observed: `manage.py suggest` said "N suggestions for 26 courses" where one of them was
    skipped (no text) and one matched no ability, as the generate page did before."""
    framework, _abilities = small_framework()
    matched = database_course()
    _economics()
    CourseFactory(code="EMPTY1", title="", description="", outcomes="")
    out = StringIO()
    call_command(
        "suggest",
        "--course",
        matched.code,
        "ECO101",
        "EMPTY1",
        "--framework",
        str(framework.pk),
        stdout=out,
        verbosity=0,
    )
    first = out.getvalue().splitlines()[0]
    assert " for 1 course and 0 positions " in first, first
