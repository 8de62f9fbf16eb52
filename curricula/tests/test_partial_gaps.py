"""A partial gap (an ability a course of the programme reaches, below the level required) is not
"Needing a new course": raising that course's level would close it. The decide page, `manage.py
recommend` and the recommendations API say which course reaches it and at what level."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """NUR101 builds NC1 to R where M is required (partial); NC2 no course builds (missing)."""
    with django_capture_on_commit_callbacks(execute=True):
        area = CompetencyAreaFactory(code="NC", name="Nursing care")
        assess = AbilityFactory(area=area, code="NC1", text="Assess patients")
        plan = AbilityFactory(area=area, code="NC2", text="Plan care")
        position = PositionFactory(name="Registered nurse")
        for ability in (assess, plan):
            RequirementFactory(position=position, ability=ability, min_level=level("M"))
        nur101 = CourseFactory(code="NUR101", title="Foundations of nursing")
        CourseAbilityFactory(course=nur101, ability=assess, level=level("R"))
        programme = ProgrammeFactory(courses=[nur101], targets=[position])
    return {"programme": programme, "nur101": nur101}


def _text(html: str) -> str:
    return " ".join(html.split())


def test_the_decide_page_says_which_course_to_raise_for_a_partial_gap(client, world):
    """Observed: NC1, reached at R by NUR101 where M is needed, was listed under "Needing a new
    course" beside NC2, which no course builds."""
    html = _text(
        client.get(
            reverse("curricula:programme-decide", args=[world["programme"].pk])
        ).content.decode()
    )
    panel = html.partition('id="recommendations"')[2].partition("</section>")[0]
    before, _, needing = panel.partition("Needing a new course")
    assert "NC2" in needing
    assert "NC1" not in needing
    raise_section = before.partition("Raise a course of the programme")[2]
    assert "NC1" in raise_section
    assert "NUR101" in raise_section
    assert "reached at R by" in raise_section


def test_the_commands_markdown_says_it_too(world):
    out = io.StringIO()
    call_command("recommend", program=str(world["programme"].pk), stdout=out)
    text = _text(out.getvalue())
    before, _, needing = text.partition("### Needing a new course")
    assert "NC2" in needing
    assert "NC1" not in needing
    raise_section = before.partition("### Raise a course of the programme")[2]
    assert "NC1" in raise_section
    assert "NUR101" in raise_section
    assert "reached at R by" in raise_section


def test_the_api_names_the_courses_reaching_each_gap_needing_a_course(api_client, world):
    """Additive: `new_course_needed` keeps every gap no catalogue course closes, each now with
    its `best_level` and the programme's courses reaching it (`reached_by`)."""
    response = api_client.get(reverse("program-recommendations", args=[world["programme"].pk]))
    assert response.status_code == 200, response.content
    rows = {
        req["ability"]["code"]: req
        for group in response.json()["new_course_needed"]
        for req in group["requirements"]
    }
    assert set(rows) == {"NC1", "NC2"}
    assert rows["NC1"]["min_level"] == "M"
    assert rows["NC1"]["best_level"] == "R"
    assert [(r["course"]["code"], r["level"]) for r in rows["NC1"]["reached_by"]] == [
        ("NUR101", "R")
    ]
    assert rows["NC2"]["best_level"] is None
    assert rows["NC2"]["reached_by"] == []
    assert json.loads(json.dumps(rows))  # plain JSON


def test_a_gap_needing_a_new_course_names_the_programme_s_courses_suggested_for_it(
    client, admin_client, world
):
    """Observed (a nursing programme): P4.1, which no course of the programme builds, was listed
    under "Needing a new course" ("If no course teaches it, the programme needs a new course")
    while its own NUR201 Medicines management had a pending suggestion for it, which the gap
    report names. The designer was sent to add a course, or to generate suggestions again, for a
    gap one review would close. The page names the suggested course, its proposed level and the
    review, for staff who may accept it, as the gap report does."""
    from curricula.models import Suggestion
    from positions.models import Ability

    nur201 = CourseFactory(code="NUR201", title="Medicines management")
    world["programme"].courses.add(nur201)
    plan = Ability.objects.get(code="NC2")
    Suggestion.objects.create(
        course=nur201,
        ability=plan,
        framework=plan.framework,
        score=0.4,
        rank=1,
        method="test",
        explanation={"matches": []},
        proposed_level=level("R"),
    )
    url = reverse("curricula:programme-decide", args=[world["programme"].pk])

    def under(page_client, heading: str) -> str:
        html = _text(page_client.get(url).content.decode())
        panel = html.partition('id="recommendations"')[2].partition("</section>")[0]
        return panel.partition(heading)[2].partition("<h3")[0]

    # Since: listed apart, under a heading of its own, as a review rather than a new course.
    staff_sees = under(admin_client, "Review a suggestion for a course of the programme")
    item = staff_sees.partition("NC2")[2].partition("</li>")[0]
    assert "NUR201" in item
    assert "proposed level R" in item
    assert reverse("suggestions:course-review", args=[nur201.pk]) in item
    assert "NC2" not in under(admin_client, "Needing a new course")
    # The public page, like the gap report's, offers no review.
    public = under(client, "Needing a new course")
    assert "NC2" in public
    assert "NUR201" not in public


def _suggest(course, code: str, proposed: str):
    from curricula.models import Suggestion
    from positions.models import Ability

    ability = Ability.objects.get(code=code)
    return Suggestion.objects.create(
        course=course,
        ability=ability,
        framework=ability.framework,
        score=0.4,
        rank=1,
        method="test",
        explanation={"matches": []},
        proposed_level=level(proposed),
    )


def test_the_commands_markdown_names_the_programme_s_courses_suggested_for_a_gap(world):
    """Observed (a nursing programme): `manage.py recommend` listed NC2 under "Needing a new
    course" without naming NUR201, a course of the programme with a pending suggestion for it,
    which the decide page names with its proposed level. The Markdown names it too, and where
    to review it."""
    nur201 = CourseFactory(code="NUR201", title="Medicines management")
    world["programme"].courses.add(nur201)
    # At the level NC2 needs (one proposed below it says so: test_suggested_below_required_level).
    _suggest(nur201, "NC2", "M")
    out = io.StringIO()
    call_command("recommend", program=str(world["programme"].pk), stdout=out)
    text = out.getvalue()
    to_review = text.partition("### Review a suggestion for a course of the programme")[2]
    item = to_review.partition("###")[0].partition("NC2")[2]
    assert "NC2" not in text.partition("### Needing a new course")[2].partition("###")[0]
    assert "NUR201 Medicines management (proposed level M)" in item
    assert "*Review suggested links*" in item


def test_the_commands_chinese_markdown_names_them_in_chinese(world):
    nur201 = CourseFactory(code="NUR201", title="Medicines management", title_zh="药物管理")
    world["programme"].courses.add(nur201)
    _suggest(nur201, "NC2", "M")
    out = io.StringIO()
    call_command(
        "recommend", "--language", "zh-hans", program=str(world["programme"].pk), stdout=out
    )
    text = out.getvalue()
    assert "已建议 NUR201 药物管理（建议等级 M） 培养该能力，尚未审核" in text  # noqa: RUF001


def test_the_commands_markdown_escapes_a_suggested_course_s_proposed_level(world):
    """A level's code is written as Markdown text where the Markdown names a suggested course's
    proposed level, as its other levels are (md_escape): a code holding markup ("<b>R</b>", a
    level staff may name as they wish) was written as a tag into the designers' Markdown."""
    from positions.models import Level

    hostile = Level.objects.create(code="<b>R</b>", name="Hostile", rank=99)
    nur201 = CourseFactory(code="NUR201", title="Medicines management")
    world["programme"].courses.add(nur201)
    suggestion = _suggest(nur201, "NC2", "R")
    suggestion.proposed_level = hostile
    suggestion.save(update_fields=["proposed_level"])
    out = io.StringIO()
    call_command("recommend", program=str(world["programme"].pk), stdout=out)
    needing = (
        out.getvalue()
        .partition("### Review a suggestion for a course of the programme")[2]
        .partition("###")[0]
    )
    assert "<b>" not in needing
    assert "proposed level &lt;b&gt;R&lt;/b&gt;" in needing
