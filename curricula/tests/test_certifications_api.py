"""Certifications over /api/v1/: each with its directions (programmes) and their courses."""

import pytest
from django.core.cache import cache

from certifications.tests.factories import CertificationFactory
from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import TrackFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    cache.clear()


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
