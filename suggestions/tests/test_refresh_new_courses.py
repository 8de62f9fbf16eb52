"""A course added by a catalogue re-import gets suggestions in the background, as a course whose
text changed does: a new course's text is new text. One refresh per import, not one per row;
unchanged courses are not regenerated."""

from unittest import mock

import pytest

from curricula import services as curricula_services
from curricula.models import Course, Suggestion, SuggestionScope
from suggestions import services
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db

FIRST = (
    "code,title,description,outcomes\n"
    "DB101,Databases,Relational databases and SQL for online shops.,Design a relational database\n"
)
CATALOGUE = (
    FIRST + "MKT201,Digital marketing,Plan search and social media advertising campaigns.,"
    "Plan digital marketing campaigns on social media\n"
    "LOG301,Cross-border logistics,Organise international shipping and customs.,"
    "Manage cross-border logistics\n"
)


def _generated_catalogue(django_capture_on_commit_callbacks):
    """The designer's first steps: the catalogue imported (DB101), suggestions generated."""
    framework, abilities = small_framework()
    with django_capture_on_commit_callbacks(execute=True):
        _import(FIRST)
    course = Course.objects.get(code="DB101")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    return framework, abilities, course


def _import(text: str):
    report = curricula_services.course_catalogue_import(
        content=text.encode(), file_name="catalogue.csv"
    )
    assert report.ok, report.errors
    return report


def test_courses_added_by_a_re_import_get_suggestions_in_the_background(
    django_capture_on_commit_callbacks,
):
    """Observed: after suggestions were generated for the catalogue, a re-import adding MKT201
    and LOG301 left both without a suggestion until someone generated again; only DB101's
    changes would have been refreshed."""
    framework, abilities, _course = _generated_catalogue(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(CATALOGUE)
    assert report.created == 2
    marketing = Course.objects.get(code="MKT201")
    logistics = Course.objects.get(code="LOG301")
    best = Suggestion.objects.filter(course=marketing).order_by("rank").first()
    assert best is not None
    assert best.ability == abilities["MKT"]
    best = Suggestion.objects.filter(course=logistics).order_by("rank").first()
    assert best is not None
    assert best.ability == abilities["LOG"]
    # In the scope the catalogue was generated in.
    assert SuggestionScope.objects.filter(course=marketing, framework=framework).exists()


def test_a_re_import_adding_courses_enqueues_one_refresh_naming_only_the_new_ones(
    django_capture_on_commit_callbacks,
):
    _framework, _abilities, course = _generated_catalogue(django_capture_on_commit_callbacks)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _import(CATALOGUE)
    assert enqueue.call_count == 1
    kwargs = enqueue.call_args.kwargs["kwargs"]
    new = set(Course.objects.filter(code__in=["MKT201", "LOG301"]).values_list("pk", flat=True))
    assert set(kwargs["new_course_ids"]) == new
    assert course.pk not in kwargs["new_course_ids"]


def test_an_unchanged_course_is_not_regenerated_when_others_are_added(
    django_capture_on_commit_callbacks,
):
    _framework, _abilities, course = _generated_catalogue(django_capture_on_commit_callbacks)
    stamp = SuggestionScope.objects.get(course=course).generated_at
    with django_capture_on_commit_callbacks(execute=True):
        _import(CATALOGUE)
    assert SuggestionScope.objects.get(course=course).generated_at == stamp


def test_adding_courses_before_any_suggestions_were_generated_enqueues_nothing(
    django_capture_on_commit_callbacks,
):
    """An assistant never used is not started by an import: the catalogue's first generation is
    the designer's step."""
    small_framework()
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _import(CATALOGUE)
    assert enqueue.call_count == 0
    assert not Suggestion.objects.exists()


def test_a_course_added_by_a_case_catalogue_re_import_gets_suggestions(
    tmp_path, django_capture_on_commit_callbacks
):
    """A CASE catalogue writes its courses in bulk (no post_save): the courses it adds are
    named to the refresh as the ones it rewords are."""
    import json

    from positions.importers import framework_import

    _framework, abilities = _generated_catalogue(django_capture_on_commit_callbacks)[:2]
    package = {
        "CFDocument": {"identifier": "c0ffee00-0000-4000-8000-000000000001", "title": "Syllabus"},
        "CFItems": [
            {
                "identifier": "c0ffee00-0000-4000-8000-000000000002",
                "fullStatement": "Trade operations",
                "humanCodingScheme": "LOG101",
                "notes": "Organise international shipping and customs.",
            }
        ],
        "CFAssociations": [],
    }
    path = tmp_path / "syllabus.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(path=path, format="case", options={"as": "courses"})
    assert report.as_dict()["counts"]["course"]["created"] == 1
    course = Course.objects.get(code="LOG101")
    best = Suggestion.objects.filter(course=course).order_by("rank").first()
    assert best is not None
    assert best.ability == abilities["LOG"]
