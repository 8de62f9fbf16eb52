"""What a decision on a review page costs the server: a fixed number of queries however long the
queue, and the per-suggestion words of the queue looked up once each, not the whole list of them
for every word (the queue's 50 suggestions are rendered again after each decision)."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from curricula.models import ProgrammeCourse, Suggestion
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, RequirementFactory
from suggestions.templatetags import suggestion_tags
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

EXPLANATION = {
    "matches": [
        {"term": "database", "query_field": "outcomes", "candidate_field": "label", "weight": 1},
        {"term": "database", "query_field": "outcomes", "candidate_field": "alt_labels"},
        {
            "kind": "meaning",
            "term": "Design a schema",
            "query_field": "outcomes",
            "candidate_field": "description",
            "similarity": 0.6,
        },
    ],
    "level": {"code": "R", "rule": "outcome", "verb": "design", "line": "Design a schema"},
    "strength": {"band": "good", "lexical_rank": 3, "meaning_rank": 30},
}


def _programme(*, courses: int, per_course: int):
    framework = FrameworkFactory()
    abilities = [AbilityFactory(framework=framework) for _ in range(per_course)]
    course_list = [CourseFactory() for _ in range(courses)]
    target = RequirementFactory(ability=abilities[0]).position
    for ability in abilities[1 : per_course // 2]:
        RequirementFactory(position=target, ability=ability)
    programme = ProgrammeFactory(courses=course_list, targets=[target])
    for course in course_list:
        for rank, ability in enumerate(abilities, start=1):
            SuggestionFactory(
                course=course, ability=ability, rank=rank, score=1 / rank, explanation=EXPLANATION
            )
    return programme


def _decide(client, programme, action: str, required: str):
    pk = (
        Suggestion.objects.filter(
            course_id__in=ProgrammeCourse.objects.filter(programme=programme).values("course_id")
        )
        .to_review()
        .best_first()
        .values_list("pk", flat=True)[0]
    )
    return client.post(
        reverse("suggestions:decide"),
        {"scope": f"programme:{programme.pk}", "required": required, "single": f"{action}:{pk}"},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.parametrize("action", ["skip", "reject"])
@pytest.mark.parametrize("required", ["0", "1"])
def test_a_decision_s_answer_runs_the_same_queries_however_long_the_queue(
    client, staff_user, django_assert_num_queries, action, required
):
    """The htmx answer to a one-key decision runs a fixed number of queries: a queue of 120
    suggestions and one of 240 (each view more than the 50 listed, so the "best 50 of N" sentence
    shows) cost the same."""
    client.force_login(staff_user)
    small = _programme(courses=3, per_course=40)
    large = _programme(courses=8, per_course=30)
    counts = []
    for programme in (small, large):
        with CaptureQueriesContext(connection) as captured:
            answer = _decide(client, programme, action, required)
        assert answer.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        assert _decide(client, large, action, required).status_code == 200


def test_a_field_s_name_is_translated_alone():
    """Observed: naming the ability field a term was found in translated every field's name
    (nine catalogue look-ups for one word), for each field of each match of each of the
    queue's 50 suggestions, on every decision. Only the name written is looked up now."""
    with mock.patch.object(
        translation._trans, "pgettext", side_effect=lambda context, text: text, create=True
    ) as translate:
        assert suggestion_tags.field_label("alt_labels") == "alternative labels"
    assert translate.call_count == 1
    assert suggestion_tags.field_label("unknown") == "unknown"


def test_grouped_matches_name_each_field_in_the_reader_s_language():
    """The words in brackets after a matched term are still each field's translated name."""
    from django.utils import translation

    with translation.override("zh-hans"):
        grouped = suggestion_tags.grouped_matches(EXPLANATION["matches"])
        title = suggestion_tags.field_label("title_zh")
    assert "alternative labels" not in grouped[0]["details"]
    assert title != "Chinese title"


def test_in_chinese_a_query_s_title_and_an_ability_s_label_are_told_apart():
    """Observed: a match explained in Chinese read “名称 → 名称”: the query's title and the
    ability's label were both 名称 (the title borrowed the course model's field name), and
    “Chinese title → Chinese label” read 中文标题 → 中文名称, two words for one."""
    with translation.override("zh-hans"):
        names = {
            field: suggestion_tags.field_label(field) for field in suggestion_tags.FIELD_LABELS
        }
    assert len(set(names.values())) == len(names), names
    assert names["title"] in names["title_zh"]
    assert names["label"] in names["label_zh"]
