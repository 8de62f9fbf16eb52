"""A programme's `courses`, `target_positions` and `terms` take at most MAX_IDS entries: a longer
list is a 400 on the field naming the bound, read before any id is looked up. Unbounded, a body
of 300,000 ids (2 MB, under the body limit) took 20 s and ended in a 500 on SQLite (`too many SQL
variables` from the one `pk IN (...)` query checking them), and a 100,000-id one was a 400 of
690 KB naming every id no course has."""

import json

import pytest

from core.api.fields import MAX_IDS
from curricula.models import ProgrammeCourse, ProgrammeTarget
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# Past SQLite's bound on a statement's variables (250,000 in Debian's build, 32,766 by default).
HUGE = 250_001
BOUND = f"Ensure this field has no more than {MAX_IDS} elements."


def _patch(client, programme, body: str):
    return client.patch(f"/api/v1/programs/{programme.pk}/", body, content_type="application/json")


@pytest.mark.parametrize("field", ["courses", "target_positions"])
@pytest.mark.parametrize("count", [MAX_IDS + 1, HUGE])
def test_an_id_list_past_the_bound_is_a_400_naming_the_bound(staff_client, field, count):
    programme = ProgrammeFactory()
    response = _patch(staff_client, programme, json.dumps({field: list(range(1, count + 1))}))
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {field: [BOUND]}
    assert not ProgrammeCourse.objects.filter(programme=programme).exists()
    assert not ProgrammeTarget.objects.filter(programme=programme).exists()


def test_a_terms_list_past_the_bound_is_a_400_naming_the_bound(staff_client):
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    terms = [{"course": pk, "term": 1} for pk in range(1, MAX_IDS + 2)]
    response = _patch(staff_client, programme, json.dumps({"terms": terms}))
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"terms": [BOUND]}


def test_a_programme_creation_is_bounded_alike(staff_client):
    body = json.dumps(
        {"name": "Bounded", "own_degree_level": "bachelor", "courses": list(range(1, HUGE + 1))}
    )
    response = staff_client.post("/api/v1/programs/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"courses": [BOUND]}


def test_a_list_at_the_bound_is_read_as_ids(staff_client):
    """At the bound the ids are checked as before: the unknown ones are named."""
    programme = ProgrammeFactory()
    body = json.dumps({"courses": list(range(10**9, 10**9 + MAX_IDS))})
    response = _patch(staff_client, programme, body)
    assert response.status_code == 400
    assert response.json()["courses"][0].startswith("No course has the id 1000000000, ")
