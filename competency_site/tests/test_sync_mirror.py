"""An integrator's mirror, checked whole: a client lists every synced resource once, then keeps
polling with `updated_since` (paging by `after_id`) and `deletions/`, while records are created,
changed and deleted at random (one by one, and in bulk with one time stamp); after each poll its
mirror must equal a fresh full listing, row for row. Seeded, so a failure replays."""

import contextlib
import random
from collections.abc import Callable

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from audit.selectors import SYNCED_RESOURCES
from certifications.models import Certification, TrainingStage
from certifications.tests.factories import CertificationFactory
from core.history import history_bulk_write
from core.models import DegreeLevel
from curricula.models import (
    CertificationCourse,
    Course,
    CourseAbility,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
)
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Importance,
    Level,
    Placement,
    Position,
    RelationType,
    Requirement,
    Track,
    TrackAlias,
)
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

PAGE = 3  # small, so every list is paged by after_id
EPOCH = "1970-01-01T00:00:00Z"


class Mirror:
    """What an LMS keeps: every synced list by id, each list's watermark (the last row's
    `updated_at`), and when its previous sync began (for `deletions/`, paged by its last row
    as the lists are)."""

    def __init__(self, client):
        self.client = client
        self.rows: dict[str, dict[int, dict]] = {name: {} for name in SYNCED_RESOURCES}
        self.marks = dict.fromkeys(SYNCED_RESOURCES, EPOCH)
        self.began: str | None = None

    def _get(self, path: str, query: dict) -> list[dict]:
        response = self.client.get(path, query)
        assert response.status_code == 200, (path, query, response.content)
        return response.json()["results"]

    def sync(self) -> None:
        began = timezone.now().isoformat()
        for name in SYNCED_RESOURCES:
            query = {"updated_since": self.marks[name], "page_size": PAGE}
            while True:
                rows = self._get(f"/api/v1/{name}/", query)
                for row in rows:
                    self.rows[name][row["id"]] = row
                if rows:
                    self.marks[name] = rows[-1]["updated_at"]
                if len(rows) < PAGE:
                    break
                query = {
                    **query,
                    "updated_since": rows[-1]["updated_at"],
                    "after_id": rows[-1]["id"],
                }
        if self.began is not None:
            query = {"since": self.began, "page_size": PAGE}
            while True:
                rows = self._get("/api/v1/deletions/", query)
                for row in rows:
                    self.rows[row["resource"]].pop(row["id"], None)
                if len(rows) < PAGE:
                    break
                last = rows[-1]
                query = {
                    **query,
                    "since": last["deleted_at"],
                    "after_resource": last["resource"],
                    "after_id": last["id"],
                }
        self.began = began

    def differences(self) -> list[str]:
        found = []
        for name in SYNCED_RESOURCES:
            fresh = {row["id"]: row for row in self._get(f"/api/v1/{name}/", {"page_size": 1000})}
            mine = self.rows[name]
            for pk in sorted(set(fresh) | set(mine)):
                old, new = mine.get(pk), fresh.get(pk)
                if old is None or new is None:
                    found.append(f"{name} {pk}: {'missing' if old is None else 'not deleted'}")
                elif old != new:
                    fields = sorted(key for key in new if old.get(key) != new[key])
                    found.append(
                        f"{name} {pk}: "
                        + "; ".join(f"{k}: {old.get(k)!r} -> {new[k]!r}" for k in fields)
                    )
        return found


def _pick(rng: random.Random, model) -> object | None:
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return model.objects.get(pk=rng.choice(ids)) if ids else None


def _renamed(rng: random.Random) -> str:
    return f"Renamed {rng.randrange(10**9)}"


def _edit(model, field: str, value: Callable[[random.Random], object]):
    def edit(rng: random.Random) -> None:
        obj = _pick(rng, model)
        if obj is not None:
            setattr(obj, field, value(rng))
            obj.save()

    return edit


def _delete(model):
    def delete(rng: random.Random) -> None:
        obj = _pick(rng, model)
        if obj is not None:
            with contextlib.suppress(ProtectedError):  # a track a placement holds, say
                obj.delete()

    return delete


def _create(make):
    def create(rng: random.Random) -> None:
        make(rng)

    return create


def _some(rng: random.Random, model, make):
    """An existing record (most of the time) or a new one."""
    obj = _pick(rng, model)
    return obj if obj is not None and rng.random() < 0.8 else make()


def _link(rng: random.Random) -> None:
    course = _some(rng, Course, CourseFactory)
    ability = _some(rng, Ability, AbilityFactory)
    if not CourseAbility.objects.filter(course=course, ability=ability).exists():
        CourseAbilityFactory(course=course, ability=ability)


def _requirement(rng: random.Random) -> None:
    position = _some(rng, Position, PositionFactory)
    ability = _some(rng, Ability, AbilityFactory)
    if not Requirement.objects.filter(position=position, ability=ability).exists():
        RequirementFactory(position=position, ability=ability)


def _placement(rng: random.Random) -> None:
    position = _some(rng, Position, PositionFactory)
    track = _some(rng, Track, TrackFactory)
    if not Placement.objects.filter(position=position, track=track).exists():
        PlacementFactory(position=position, track=track, title=_renamed(rng))


def _programme_course(rng: random.Random) -> None:
    programme = _some(rng, Programme, ProgrammeFactory)
    course = _some(rng, Course, CourseFactory)
    if not ProgrammeCourse.objects.filter(programme=programme, course=course).exists():
        ProgrammeCourse.objects.create(programme=programme, course=course, order=1)


def _programme_target(rng: random.Random) -> None:
    programme = _some(rng, Programme, ProgrammeFactory)
    position = _some(rng, Position, PositionFactory)
    if not ProgrammeTarget.objects.filter(programme=programme, position=position).exists():
        ProgrammeTarget.objects.create(programme=programme, position=position)


def _certification_course(rng: random.Random) -> None:
    certification = _some(rng, Certification, CertificationFactory)
    track = _some(rng, Track, TrackFactory)
    course = _some(rng, Course, CourseFactory)
    CertificationCourse.objects.get_or_create(
        certification=certification, track=track, course=course
    )


def _alias(rng: random.Random) -> None:
    TrackAlias.objects.create(track=_some(rng, Track, TrackFactory), name=_renamed(rng))


def _relation(rng: random.Random) -> None:
    AbilityRelation.objects.create(
        source=_some(rng, Ability, AbilityFactory),
        target=AbilityFactory(),
        relation_type=RelationType.IS_RELATED_TO,
    )


def _stage(rng: random.Random) -> None:
    order = rng.randrange(10**6, 10**7)
    TrainingStage.objects.create(code=f"S{order}", name=f"Stage {order}", order=order)


def _bulk_retitle(rng: random.Random) -> None:
    """Many courses changed in one statement: they share one update time, which paging by
    after_id must hold."""
    courses = list(Course.objects.order_by("?")[: rng.randint(2, 8)])
    for course in courses:
        course.title = _renamed(rng)
    history_bulk_write(model=Course, update=courses, update_fields=["title"])


def _bulk_delete_links(rng: random.Random) -> None:
    links = list(CourseAbility.objects.order_by("?")[: rng.randint(1, 4)])
    history_bulk_write(model=CourseAbility, delete=links)


OPERATIONS = [
    _create(lambda rng: CourseFactory()),
    _edit(Course, "title", _renamed),
    _edit(Course, "code", lambda rng: f"K{rng.randrange(10**9)}"),
    _edit(Course, "stage", lambda rng: _pick(rng, TrainingStage)),
    _edit(TrainingStage, "order", lambda rng: rng.randrange(100, 10**6)),
    _create(_stage),
    _delete(TrainingStage),  # its courses' stage cleared
    _delete(Course),
    _bulk_retitle,
    _create(lambda rng: TrackFactory()),
    _edit(Track, "name", _renamed),
    _delete(Track),
    _alias,
    _edit(TrackAlias, "name", _renamed),
    _delete(TrackAlias),
    _create(lambda rng: FrameworkFactory()),
    _edit(Framework, "name", _renamed),
    _delete(Framework),
    _create(lambda rng: CompetencyAreaFactory(framework=_some(rng, Framework, FrameworkFactory))),
    _edit(CompetencyArea, "name", _renamed),
    _delete(CompetencyArea),
    _create(lambda rng: AbilityFactory()),
    _edit(Ability, "text", _renamed),
    _delete(Ability),
    _relation,
    _delete(AbilityRelation),
    _edit(Level, "name", _renamed),
    _create(lambda rng: PositionFactory()),
    _edit(Position, "name", _renamed),
    _delete(Position),
    _placement,
    _edit(Placement, "title", _renamed),
    _delete(Placement),
    _requirement,
    _edit(Requirement, "importance", lambda rng: rng.choice(list(Importance))),
    _delete(Requirement),
    _link,
    _edit(CourseAbility, "note", _renamed),
    _delete(CourseAbility),
    _bulk_delete_links,
    _create(lambda rng: CertificationFactory()),
    _edit(Certification, "name", _renamed),
    _edit(Certification, "degree_level", lambda rng: rng.choice(list(DegreeLevel))),
    _certification_course,
    _delete(CertificationCourse),
    _create(lambda rng: ProgrammeFactory()),
    _edit(Programme, "name", _renamed),
    _delete(Programme),
    _programme_course,
    _delete(ProgrammeCourse),
    _programme_target,
    _delete(ProgrammeTarget),
]


@pytest.mark.parametrize("seed", range(6))
def test_a_polling_mirror_equals_a_fresh_listing_after_random_writes(api_client, seed):
    rng = random.Random(seed)
    for _ in range(3):
        _stage(rng)
    for _ in range(15):
        rng.choice(OPERATIONS)(rng)
    mirror = Mirror(api_client)
    mirror.sync()
    assert mirror.differences() == []
    for round_ in range(8):
        for _ in range(rng.randint(1, 8)):
            operation = rng.choice(OPERATIONS)
            operation(rng)
        mirror.sync()
        assert mirror.differences() == [], (seed, round_)
