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


@pytest.mark.django_db
def test_a_history_reason_and_user_apply_to_one_save_only(django_user_model):
    """Observed: django-simple-history reads `_change_reason` and `_history_user` off the
    instance and left them there, so the next save of the same object (a service saving twice,
    a loop reusing objects) recorded the first save's reason and user again."""
    from curricula.services import course_ability_update
    from curricula.tests.factories import CourseAbilityFactory
    from positions.tests.factories import level

    user = django_user_model.objects.create_user(username="editor")
    link = CourseAbilityFactory(level=level("I"))

    link._history_user = user
    course_ability_update(link=link, reason="undo of change set 7", level=level("R"))
    course_ability_update(link=link, level=level("M"))
    link.note = "saved again, by no one in particular"
    link.save()

    first, second, third = link.history.order_by("history_id")[1:]
    assert (first.history_change_reason, first.history_user) == ("undo of change set 7", user)
    assert (second.history_change_reason, second.history_user) == (None, None)
    assert (third.history_change_reason, third.history_user) == (None, None)


@pytest.mark.django_db
def test_history_fields_set_on_an_instance_are_recorded_by_its_next_save_only():
    """A write through save() or delete() (history_bulk_write deleting rows others point to goes
    through Django's collector) records the historical model's own columns from
    `_history_fields`, as history_bulk_write's `history_fields` records them in bulk."""
    import uuid

    from curricula.tests.factories import CourseAbilityFactory
    from positions.tests.factories import level

    link = CourseAbilityFactory(level=level("I"))
    change_set = uuid.uuid4()

    link._history_fields = {"history_change_set": change_set}
    link.level = level("R")
    link.save()
    link.level = level("M")
    link.save()
    link._history_fields = {"history_undoes": change_set}
    records = link.history.order_by("history_id")
    link.delete()

    first, second, deleted = records[1:]
    assert (first.history_change_set, first.history_undoes) == (change_set, None)
    assert (second.history_change_set, second.history_undoes) == (None, None)
    assert (deleted.history_type, deleted.history_undoes) == ("-", change_set)
