"""Table III: certifications with their career directions and courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.tests.factories import CertificationFactory
from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_certifications_page_lists_directions_and_courses_by_their_titles(client):
    """A course reads as its title, as on every other page; the words a programme lists it by
    are added only when they are other words, not the same in another case."""
    certification = CertificationFactory(name="Cross-border e-commerce engineer")
    programme = ProgrammeFactory(
        certification=certification, track=TrackFactory(name="Research and development")
    )
    ProgrammeCourse.objects.create(
        programme=programme,
        course=CourseFactory(title="Online retail practice"),
        listed_as="online retail practice",
    )
    ProgrammeCourse.objects.create(
        programme=programme, course=CourseFactory(title="Data Mining"), listed_as="Mining data"
    )
    response = client.get(reverse("certifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cross-border e-commerce engineer" in html
    assert "Research and development" in html
    assert "Online retail practice" in html
    assert "online retail practice" not in html
    assert 'Data Mining <span class="muted small">listed as “Mining data”</span>' in html
    assert programme.get_absolute_url() in html
    assert f'id="certification-{certification.pk}"' in html


def test_markup_in_names_is_escaped(client):
    evil = "<script>alert(1)</script>"
    ProgrammeFactory(certification=CertificationFactory(name=evil), track=TrackFactory(name=evil))
    html = client.get(reverse("certifications:list")).content.decode()
    assert evil not in html
    assert "&lt;script&gt;" in html


def test_query_count_does_not_grow_with_rows(client):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("certifications:list")).status_code == 200
        return len(captured)

    ProgrammeFactory(courses=[CourseFactory()])
    few = count()
    for _ in range(5):
        ProgrammeFactory(courses=CourseFactory.create_batch(3))
    assert count() == few


def test_a_direction_shows_the_certifications_list_once_with_every_programme_taking_it(client):
    """Two programmes on one certification and track are one direction of Table III: the
    certification's own list, and both programmes linked."""
    from curricula.models import CertificationCourse

    certification = CertificationFactory()
    track = TrackFactory(name="Operation and promotion")
    listed = CourseFactory(code="LIST1")
    paper = ProgrammeFactory(
        name="Paper direction", certification=certification, track=track, courses=[listed]
    )
    other = ProgrammeFactory(
        name="University BSc",
        certification=certification,
        track=track,
        courses=[CourseFactory(code="OWN9")],
    )
    CertificationCourse.objects.create(
        certification=certification, track=track, course=listed, listed_as="Listed course"
    )
    html = client.get(reverse("certifications:list")).content.decode()
    assert html.count("<h3>") == 1
    assert "Listed course" in html
    assert "OWN9" not in html
    assert paper.get_absolute_url() in html
    assert other.get_absolute_url() in html


def test_a_track_the_certification_lists_with_no_programme_yet_is_shown_unlinked(client):
    from curricula.models import CertificationCourse

    certification = CertificationFactory()
    track = TrackFactory(name="Data analysis")
    CertificationCourse.objects.create(
        certification=certification, track=track, course=CourseFactory(code="DA101")
    )
    html = client.get(reverse("certifications:list")).content.decode()
    assert "<h3>Data analysis</h3>" in html
    assert "DA101" in html
