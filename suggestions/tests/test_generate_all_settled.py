"""A course whose every match is settled (linked, or its suggestion decided) is not told its
text meets no ability. Observed: after a reviewer had accepted or rejected each of XT403's five
suggestions, the next generation listed XT403 under "1 course got no suggestion: its text meets
no ability" (and, its title partly Chinese, told to add English text or Chinese statements),
though its text had matched five abilities: they were left out as decided, not unmatched."""

import pytest

from curricula.models import Course, CourseAbility, Level
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def _settle_every_match(course: Course, user) -> int:
    """Accept the first suggestion, reject the second, link any others by hand; how many."""
    suggestions = list(course.suggestions.order_by("rank"))
    assert len(suggestions) >= 2
    services.suggestion_accept(suggestion=suggestions[0], user=user, level=None)
    services.suggestion_reject(suggestion=suggestions[1], user=user)
    for suggestion in suggestions[2:]:
        CourseAbility.objects.create(
            course=course, ability=suggestion.ability, level=Level.objects.get(code="I")
        )
    return len(suggestions)


def test_a_course_whose_matches_are_all_settled_is_not_unmatched(staff_user):
    framework, _abilities = small_framework()
    course = database_course(code="DB101")
    services.suggestions_generate(course_ids=[course.pk], framework=framework, k=50)
    _settle_every_match(course, staff_user)

    again = services.suggestions_generate(course_ids=[course.pk], framework=framework, k=50)

    assert not course.suggestions.filter(status="pending").exists()
    assert again.courses_unmatched == []
    assert again.subjects_without_text == []


def test_a_course_meeting_no_ability_is_unmatched_beside_a_link_of_its_own(staff_user):
    """What stays unmatched: text meeting no ability, even where the course has a link."""
    framework, abilities = small_framework()
    course = Course.objects.create(
        code="ECO101",
        title="Principles of economics",
        description="Supply, demand, elasticity and equilibrium of prices.",
    )
    CourseAbility.objects.create(
        course=course, ability=abilities["NEG"], level=Level.objects.get(code="I")
    )

    result = services.suggestions_generate(course_ids=[course.pk], framework=framework)

    assert result.courses_unmatched == [course.pk]
