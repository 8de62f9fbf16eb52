"""Certifications over /api/v1/: each with its directions (tracks), the courses it lists for
each and the programmes taking it."""

import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from certifications.tests.factories import CertificationFactory
from curricula.models import CertificationCourse, Course, ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import TrackFactory


def test_certification_directions_list_courses_in_programme_order(db, api_client):
    certification = CertificationFactory(name="Engineer", degree_level="master")
    track = TrackFactory(name="Research and development")
    first, second = CourseFactory(title="Zeta"), CourseFactory(title="Alpha")
    programme = ProgrammeFactory(certification=certification, track=track)
    ProgrammeCourse.objects.create(programme=programme, course=first, order=2, listed_as="zeta!")
    ProgrammeCourse.objects.create(programme=programme, course=second, order=1, listed_as="a")

    body = api_client.get(f"/api/v1/certifications/{certification.pk}/").json()

    assert (body["name"], body["degree_level"]) == ("Engineer", "master")
    (direction,) = body["directions"]
    assert direction["program"] == programme.pk
    assert (direction["track"], direction["track_name"]) == (track.pk, "Research and development")
    assert [(c["id"], c["title"], c["listed_as"]) for c in direction["courses"]] == [
        (second.pk, "Alpha", "a"),
        (first.pk, "Zeta", "zeta!"),
    ]


def test_certification_without_programmes_has_no_directions(db, api_client):
    certification = CertificationFactory()
    body = api_client.get(f"/api/v1/certifications/{certification.pk}/").json()
    assert body["directions"] == []


def _listed(certification, track, *courses):
    for order, course in enumerate(courses):
        CertificationCourse.objects.create(
            certification=certification, track=track, course=course, order=order
        )


def test_a_direction_is_the_track_with_the_courses_the_certification_lists(db, api_client):
    """Table III is the certification's list: a programme that dropped a listed course or added
    one of its own changes what the programme holds, not what the direction lists."""
    certification = CertificationFactory()
    track = TrackFactory()
    listed, dropped, own = CourseFactory(), CourseFactory(), CourseFactory()
    _listed(certification, track, listed, dropped)
    programme = ProgrammeFactory(certification=certification, track=track)
    ProgrammeCourse.objects.create(programme=programme, course=listed, order=1)
    ProgrammeCourse.objects.create(programme=programme, course=own, order=2)

    (direction,) = api_client.get(f"/api/v1/certifications/{certification.pk}/").json()[
        "directions"
    ]

    assert [c["id"] for c in direction["courses"]] == [listed.pk, dropped.pk]
    assert (direction["program"], direction["programs"]) == (programme.pk, [programme.pk])


def test_two_programmes_on_one_track_are_one_direction(db, api_client):
    certification = CertificationFactory()
    track = TrackFactory()
    _listed(certification, track, CourseFactory())
    first = ProgrammeFactory(certification=certification, track=track, name="A", order=1)
    second = ProgrammeFactory(certification=certification, track=track, name="B", order=2)

    (direction,) = api_client.get(f"/api/v1/certifications/{certification.pk}/").json()[
        "directions"
    ]

    assert direction["track"] == track.pk
    assert (direction["program"], direction["programs"]) == (first.pk, [first.pk, second.pk])
    assert direction["name"] == "A"


def test_a_listed_track_no_programme_takes_is_still_a_direction(db, api_client):
    certification = CertificationFactory()
    track = TrackFactory(name="Data analysis")
    course = CourseFactory()
    _listed(certification, track, course)

    (direction,) = api_client.get(f"/api/v1/certifications/{certification.pk}/").json()[
        "directions"
    ]

    assert (direction["track_name"], direction["program"], direction["programs"]) == (
        "Data analysis",
        None,
        [],
    )
    assert direction["name"] == "Data analysis"
    assert [c["id"] for c in direction["courses"]] == [course.pk]


def test_the_list_costs_the_same_queries_for_more_certifications(
    db, api_client, django_assert_max_num_queries
):
    def certification_with_directions():
        certification = CertificationFactory()
        for _ in range(2):
            track = TrackFactory()
            _listed(certification, track, CourseFactory(), CourseFactory())
            ProgrammeFactory(certification=certification, track=track)

    certification_with_directions()
    with CaptureQueriesContext(connection) as one:
        assert api_client.get("/api/v1/certifications/").status_code == 200
    for _ in range(3):
        certification_with_directions()
    with django_assert_max_num_queries(len(one)):
        body = api_client.get("/api/v1/certifications/").json()
    assert sum(len(c["directions"]) for c in body["results"]) == 8


def _random_catalogue(rng, *, certifications: int) -> None:
    """Certifications whose directions list courses on some tracks and not on others, taken by
    one or several programmes (some without a track), whose courses come in a shuffled order
    with titles in either language and listed in other words or not."""
    tracks = [TrackFactory(order=rng.randrange(3)) for _ in range(4)]
    courses = [
        CourseFactory(title=f"Course {n}", title_zh=rng.choice(["", f"课程{n}"])) for n in range(12)
    ]
    for _ in range(certifications):
        certification = CertificationFactory()
        for track in rng.sample(tracks, rng.randrange(1, 4)):
            if rng.random() < 0.4:
                _listed(certification, track, *rng.sample(courses, rng.randrange(1, 4)))
            for _ in range(rng.randrange(0, 3)):
                programme = ProgrammeFactory(
                    certification=certification,
                    track=rng.choice([track, track, None]),
                    order=rng.randrange(3),
                )
                for course in rng.sample(courses, rng.randrange(0, 5)):
                    ProgrammeCourse.objects.create(
                        programme=programme,
                        course=course,
                        order=rng.randrange(3),
                        listed_as=rng.choice(["", course.title.upper(), "other words"]),
                    )


def _courses_expected(certification_id: int, direction: dict) -> list[dict]:
    """A direction's courses as its rule says, asked of the models one by one: the courses the
    certification lists for its track, else those of its first programme in their order."""
    listed = CertificationCourse.objects.filter(
        certification_id=certification_id, track_id=direction["track"]
    ).order_by("order", "id")
    rows = list(listed) if direction["track"] is not None else []
    if not rows and direction["program"] is not None:
        rows = ProgrammeCourse.objects.filter(programme_id=direction["program"]).order_by(
            "order", "id"
        )
    return [
        {
            "id": row.course.pk,
            "code": row.course.code,
            "title": row.course.title,
            "listed_as": row.listed_as,
        }
        for row in rows
    ]


@pytest.mark.parametrize("seed", range(4))
def test_a_directions_courses_are_read_as_rows_and_say_what_the_models_do(
    db, api_client, django_assert_max_num_queries, seed
):
    """Observed: the list prefetched every course of every programme taking a certification (a
    page of the esco catalogue's 30 built 24,000 instances) where a direction shows the courses
    of its first programme alone, and only when the certification lists none. Now they are rows
    of the programmes shown: no programme course is built, nor any course but those listed,
    the queries do not grow with the page, and each direction's courses are what the models say."""
    rng = random.Random(seed)
    # Every query the list can make: a direction listing courses and one showing a programme's.
    certification = CertificationFactory()
    _listed(certification, TrackFactory(), CourseFactory())
    ProgrammeFactory(certification=certification, courses=[CourseFactory()])
    _random_catalogue(rng, certifications=3)
    with CaptureQueriesContext(connection) as few:
        assert api_client.get("/api/v1/certifications/").status_code == 200
    _random_catalogue(rng, certifications=6)

    built = Counter()

    def count(sender, **kwargs):
        built[sender] += 1

    post_init.connect(count, weak=False)
    try:
        with django_assert_max_num_queries(len(few)):
            body = api_client.get("/api/v1/certifications/?page_size=100").json()
    finally:
        post_init.disconnect(count)

    assert built[ProgrammeCourse] == 0
    # The courses built are those the certifications list, each shown with its entry.
    assert built[Course] == CertificationCourse.objects.count()
    assert body["count"] == 10
    for certification in body["results"]:
        for direction in certification["directions"]:
            assert direction["courses"] == _courses_expected(certification["id"], direction)
