"""The supply-side services, called directly (the API and pages reach them the same way)."""

import pytest
from django.core.exceptions import ValidationError

from curricula.services import programme_update
from curricula.tests.factories import CourseFactory, ProgrammeFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"course_ids": [-5, 424242]}, "courses", "No course has the id -5, 424242."),
        ({"target_position_ids": [424242]}, "target_positions", "No position has the id 424242."),
    ],
)
def test_programme_update_names_the_ids_that_match_nothing_and_writes_nothing(
    kwargs, field, message
):
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])

    with pytest.raises(ValidationError) as caught:
        programme_update(programme=programme, **kwargs)

    assert caught.value.message_dict == {field: [message]}
    assert list(programme.courses.all()) == [course]
