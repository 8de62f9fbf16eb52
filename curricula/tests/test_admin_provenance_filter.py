"""The admin's provenance filter lists the provenances the records have: observed on a fresh
install, the course list offered "The paper (Luan et al.)" and "Editorial starter mapping",
which no course had, and choosing one showed an empty list."""

import re

import pytest
from django.urls import reverse

from core.models import Provenance
from curricula.models import Course
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _choices(html: str) -> list[str]:
    """The provenance filter's choices, as the filter sidebar lists them."""
    match = re.search(r"By provenance.*?<ul[^>]*>(.*?)</ul>", html, re.S)
    assert match, html
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)
    ]


def test_the_filter_lists_only_the_provenances_in_use(admin_client):
    CourseFactory(provenance=Provenance.IMPORT)
    CourseFactory(provenance=Provenance.EDIT)
    CourseFactory(provenance=Provenance.EDIT)
    url = reverse("admin:curricula_course_changelist")
    assert _choices(admin_client.get(url).content.decode()) == [
        "All",
        "Import",
        "Edited by staff",
    ]
    # Choosing one still narrows the list, at the address the field's filter had.
    html = admin_client.get(url, {"provenance__exact": "import"}).content.decode()
    assert "1 course" in html or "1 result" in html
    imported = Course.objects.get(provenance=Provenance.IMPORT)
    assert imported.code in html
    assert Course.objects.filter(provenance=Provenance.EDIT).first().code not in html


def test_the_choices_are_read_in_one_query(admin_client, django_assert_max_num_queries):
    url = reverse("admin:curricula_course_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(100) as few:
        admin_client.get(url)
    CourseFactory.create_batch(3, provenance=Provenance.IMPORT)
    CourseFactory(provenance=Provenance.GENERATED)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        html = admin_client.get(url).content.decode()
    assert _choices(html) == ["All", "Import", "Synthetic catalogue"]
    assert len(many.captured_queries) == len(few.captured_queries)
