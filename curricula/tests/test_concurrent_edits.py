"""Issue 15, observed 5: two staff members PATCH one link at once, one its note, the other its
level. Both changes are kept, and the history blames each of them for their own change only."""

import itertools
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from conftest import skip_or_fail
from curricula.models import CourseAbility
from curricula.services import course_ability_update
from curricula.tests.factories import CourseAbilityFactory
from positions.models import Level
from positions.tests.factories import level


def _staff(django_user_model, name):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username=name, password="pass-123-edits", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename="change_courseability"))
    return user


def _changes_by_user(link) -> list[tuple[str, list[str]]]:
    """(user, fields changed) for every history record after the link's creation."""
    records = list(link.history.order_by("history_date", "history_id"))
    out = []
    for previous, record in itertools.pairwise(records):
        changed = sorted(
            change.field
            for change in record.diff_against(previous).changes
            if change.field not in ("provenance", "updated_at")
        )
        out.append((record.history_user.username, changed))
    return out


@pytest.mark.django_db
def test_an_update_from_a_stale_copy_keeps_the_other_change_and_blames_each_user(
    django_user_model,
):
    alice, bob = _staff(django_user_model, "alice"), _staff(django_user_model, "bob")
    link = CourseAbilityFactory(level=level("I"), note="")
    # Both read the link before either writes, as two requests racing do.
    alices, bobs = (CourseAbility.objects.get(pk=link.pk) for _ in range(2))

    alices._history_user = alice
    course_ability_update(link=alices, note="from alice")
    bobs._history_user = bob
    course_ability_update(link=bobs, level=level("M"))

    link.refresh_from_db()
    assert (link.note, link.level.code) == ("from alice", "M")
    assert _changes_by_user(link) == [("alice", ["note"]), ("bob", ["level"])]
    last = link.history.latest()
    assert (last.note, last.level.code) == ("from alice", "M")


ROUNDS = 8


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_of_note_and_level_keep_both_and_blame_each_user(
    live_server, django_user_model
):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    for code, name, rank in (("I", "Introduced", 1), ("R", "Reinforced", 2), ("M", "Mastered", 3)):
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    link = CourseAbilityFactory(level=Level.objects.get(code="I"), note="")
    tokens = {
        name: Token.objects.create(user=_staff(django_user_model, name)).key
        for name in ("alice", "bob")
    }
    url = f"{live_server.url}/api/v1/course-abilities/{link.pk}/"
    start = Barrier(2)

    def edit(name, body):
        with requests.Session() as session:
            session.headers["Authorization"] = f"Token {tokens[name]}"
            start.wait(timeout=30)
            return session.patch(url, json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        for i in range(ROUNDS):
            notes = pool.submit(edit, "alice", {"note": f"note {i}"})
            levels = pool.submit(edit, "bob", {"level": "M" if i % 2 == 0 else "R"})
            assert (notes.result(), levels.result()) == (200, 200)

    link.refresh_from_db()
    assert link.note == f"note {ROUNDS - 1}"
    assert link.level.code == ("M" if (ROUNDS - 1) % 2 == 0 else "R")
    changes = _changes_by_user(link)
    assert len(changes) == 2 * ROUNDS
    assert {tuple(fields) for user, fields in changes if user == "alice"} == {("note",)}
    assert {tuple(fields) for user, fields in changes if user == "bob"} == {("level",)}
