"""Certifications over /api/v1/: each with its directions (tracks), the courses it lists for
each and the programmes taking it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.tests.factories import CertificationFactory
from curricula.models import CertificationCourse, ProgrammeCourse
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
