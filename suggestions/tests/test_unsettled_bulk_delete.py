"""Deleting many course-ability links or requirements at once (the admin's "Delete selected", an
import dropping what its source no longer lists: a queryset's delete()) brings their pairs'
pending suggestions back to a sync (deletions/ listed them as gone) in a fixed number of
queries. Observed before: each deleted row stamped its own pair's suggestions, one UPDATE per
row (an admin deleting 200 links ran 200 UPDATEs of the suggestions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.models import CourseAbility, Suggestion
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Requirement
from positions.tests.factories import PositionFactory, RequirementFactory
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

SUGGESTIONS = Suggestion._meta.db_table


def _links(rows: int) -> list:
    """`rows` links of one course, each with a pending suggestion of its pair (settled
    elsewhere: linked by hand), and a suggestion of another course to leave alone."""
    course = CourseFactory()
    links = CourseAbilityFactory.create_batch(rows, course=course)
    for link in links:
        SuggestionFactory(course=course, ability=link.ability)
    SuggestionFactory()
    return links


def _requirements(rows: int) -> list:
    position = PositionFactory()
    requirements = RequirementFactory.create_batch(rows, position=position)
    for requirement in requirements:
        SuggestionFactory(course=None, position=position, ability=requirement.ability)
    SuggestionFactory()
    return requirements


def _without_history(context) -> list[str]:
    """The statements run, less django-simple-history's record of each row deleted (one INSERT
    per row, the library's way for any deletion through the collector)."""
    return [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].startswith('INSERT INTO "') or "_historical" not in query["sql"]
    ]


def _stamps(statements: list[str]) -> int:
    return sum(sql.startswith(f'UPDATE "{SUGGESTIONS}"') for sql in statements)


def _delete_selected(client, rows, model) -> list[str]:
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    stamped_before = dict(Suggestion.objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            changelist,
            {
                "action": "delete_selected",
                "_selected_action": [row.pk for row in rows],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert not model.objects.exists()
    stamped = {
        pk
        for pk, updated_at in Suggestion.objects.values_list("pk", "updated_at")
        if updated_at != stamped_before[pk]
    }
    owner = "course_id" if model is CourseAbility else "position_id"
    assert stamped == set(
        Suggestion.objects.filter(
            **{f"{owner}__in": {getattr(row, owner) for row in rows}}
        ).values_list("pk", flat=True)
    ), "the deleted pairs' suggestions, and only theirs, are stamped"
    assert len(stamped) == len(rows)
    return _without_history(context)


@pytest.mark.parametrize(("make", "model"), [(_links, CourseAbility), (_requirements, Requirement)])
def test_delete_selected_stamps_the_suggestions_in_a_fixed_number_of_queries(
    admin_client, make, model
):
    _delete_selected(admin_client, make(1), model)  # what later requests find cached
    one = _delete_selected(admin_client, make(1), model)
    many = _delete_selected(admin_client, make(20), model)
    assert _stamps(many) == _stamps(one) == 1
    assert len(many) == len(one)


@pytest.mark.parametrize(("make", "model"), [(_links, CourseAbility), (_requirements, Requirement)])
def test_a_querysets_delete_stamps_the_suggestions_once(make, model):
    """As an import deletes the requirements its source dropped (positions.importers)."""
    rows = make(20)
    with CaptureQueriesContext(connection) as context:
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
    assert _stamps(_without_history(context)) == 1


def test_one_links_delete_still_stamps_its_suggestion():
    (link,) = _links(1)
    suggestion = Suggestion.objects.get(course=link.course, ability=link.ability)
    before = suggestion.updated_at
    link.delete()
    suggestion.refresh_from_db()
    assert suggestion.updated_at > before
