"""Fixtures the suggestion tests share."""

import pytest


@pytest.fixture
def queue(staff_user):
    """A course's review queue: an online shop project's suggestions from `small_framework`
    (the review page's browser tests, on screen and in print); the course and the abilities."""
    from curricula.tests.factories import CourseFactory
    from suggestions import services
    from suggestions.tests.factories import small_framework

    framework, abilities = small_framework()
    course = CourseFactory(
        title="Online shop project",
        outcomes=(
            "Design a relational database schema\n"
            "Develop web applications for the shop\n"
            "Plan a digital marketing campaign\n"
            "Negotiate contracts with suppliers"
        ),
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    return course, abilities
