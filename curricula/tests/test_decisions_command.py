"""`manage.py recommend` on the paper's data, and the worked example it generates."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROGRAMME = "Cross border senior e-commerce engineer — Operation and promotion"
DOC = Path(__file__).resolve().parents[2] / "docs" / "worked-example.md"


def recommend(**options) -> str:
    out = io.StringIO()
    call_command("recommend", stdout=out, **options)
    return out.getvalue()


def test_worked_example_is_the_commands_current_output(paper):
    """docs/worked-example.md shows exactly what the command prints on the paper's data."""
    block = re.search(
        r"<!-- recommend:begin -->\n(.*?)\n<!-- recommend:end -->", DOC.read_text(), re.S
    )
    assert block is not None
    assert recommend(program=PROGRAMME).strip() == block.group(1).strip()


def test_recommend_names_gaps_courses_and_coverage_after(paper):
    text = recommend(program=PROGRAMME)
    assert "Essential coverage now: 18%" in text
    assert "**CBE118 E-commerce website construction**" in text
    assert "**CBE128 Business data analysis**" in text
    assert "proven optimal by branch-and-bound" in text
    assert "| **Programme** | **18%** | **36%** |" in text
    budgeted = recommend(program=PROGRAMME, budget=1)
    assert budgeted.count("(cost 1) closes:") == 1


def test_recommend_refuses_unknown_programmes_and_bad_options(paper):
    with pytest.raises(CommandError, match="No programme"):
        recommend(program="999999")
    with pytest.raises(CommandError, match="budget"):
        recommend(program=PROGRAMME, budget=-1)
    with pytest.raises(CommandError, match="target position"):
        recommend(program=PROGRAMME, position=999999)


def test_recommend_tries_a_target_added_then_answers_for_the_changed_programme(paper):
    from positions.models import Position

    researcher = Position.objects.get(name="Market researcher")
    text = recommend(program=PROGRAMME, add_target=[str(researcher.pk)])
    before, _sep, after = text.partition("### Recommended courses")
    assert "## With the target positions changed" in before
    assert "- Added: Market researcher" in before
    assert "### New gaps: Market researcher" in before
    assert "P05.2 have data analysis ability: needs M" in before
    # The recommendations now close the new target's gaps too.
    assert "— Market researcher, needs M" in after


def test_recommend_tries_a_target_removed(paper):
    from curricula.models import Programme

    programme = Programme.objects.get(name=PROGRAMME)
    first, *rest = programme.targets.order_by("position__order").values_list(
        "position__pk", "position__name"
    )
    text = recommend(program=PROGRAMME, remove_target=[str(first[0])])
    assert f"- Removed: {first[1]}" in text
    gaps = text.split("### Gaps")[1].split("### Recommended courses")[0]
    assert f"**{first[1]}**" not in gaps
    assert any(f"**{name}**" in gaps for _pk, name in rest)


def test_recommend_refuses_bad_targets_naming_the_option(paper):
    from curricula.models import Programme

    target = Programme.objects.get(name=PROGRAMME).targets.first().position_id
    with pytest.raises(CommandError, match="--add-target: Already a target"):
        recommend(program=PROGRAMME, add_target=[str(target)])
    with pytest.raises(CommandError, match="--remove-target"):
        recommend(program=PROGRAMME, remove_target=["999999"])
    with pytest.raises(CommandError, match="--add-target"):
        recommend(program=PROGRAMME, add_target=["x"])


def test_recommend_with_no_gap_says_so_instead_of_a_search_over_nothing(paper):
    from positions.models import CompetencyArea

    covered_everywhere = None
    for area in CompetencyArea.objects.all():
        try:
            text = recommend(program=PROGRAMME, area=str(area.pk))
        except CommandError:
            continue
        if "No essential gaps" in text:
            covered_everywhere = text
            break
    assert covered_everywhere is not None, "some area of the programme has no essential gap"
    assert "candidate courses" not in covered_everywhere


HOSTILE = "<img src=x onerror=alert(1)> | `code` *bold* [link](http://x)\nnext"


def test_recommend_prints_names_as_text_never_as_markup(paper):
    """Issue 15, observed 12: names from the data are escaped in the Markdown, the table's `|`
    included, so a name can neither inject HTML nor break a table row."""
    from curricula.models import Course, Programme
    from positions.models import Ability, Position

    programme = Programme.objects.get(name=PROGRAMME)
    Course.objects.filter(code="CBE118").update(title=HOSTILE)
    Position.objects.filter(pk__in=programme.targets.values("position")).update(name=HOSTILE)
    Ability.objects.filter(requirements__position__in=programme.targets.values("position")).update(
        text=HOSTILE
    )
    Programme.objects.filter(pk=programme.pk).update(name=f"{HOSTILE} programme")

    text = recommend(program=str(programme.pk))

    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "\\`code\\` \\*bold\\* \\[link\\](http://x)" in text
    assert "\nnext" not in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) > 2
    # Every row has its four cell borders and no more: the escaped `\|` is not one.
    assert {len(re.findall(r"(?<!\\)\|", line)) for line in table} == {4}


def test_recommend_says_how_many_abilities_gaps_two_targets_share_are_in(db):
    """A gap is one target's essential requirement: an ability two targets require is two
    gaps. As the decide page does, the command then says how many abilities the gaps are in."""
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

    shared, own = AbilityFactory(code="S.1"), AbilityFactory(code="O.1")
    first, second = PositionFactory(name="Analyst"), PositionFactory(name="Planner")
    for position in (first, second):
        RequirementFactory(position=position, ability=shared)
    RequirementFactory(position=second, ability=own)
    programme = ProgrammeFactory(courses=[CourseFactory()], targets=[first, second])

    text = recommend(program=str(programme.pk))

    assert "The 3 gaps are in 2 abilities: an ability two target positions require" in text
    # Gaps each in an ability of their own: nothing to add.
    RequirementFactory._meta.model.objects.filter(position=first).delete()
    assert "gaps are in" not in recommend(program=str(programme.pk))


@pytest.fixture
def nursing(db, django_capture_on_commit_callbacks):
    """A nursing programme of a university's own (no paper), and a position to try as a
    target that requires one ability essentially and another optionally."""
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory
    from positions.tests.factories import level as level_of

    consent = AbilityFactory(code="1.2.6", text="Obtains patient consent as required")
    lead = AbilityFactory(code="2.1.1", text="Inspires confidence")
    standard = AbilityFactory(code="1.2.8", text="Maintains a high standard of work")
    nurse = PositionFactory(name="Registered nurse")
    RequirementFactory(position=nurse, ability=consent, min_level=level_of("R"))
    manager = PositionFactory(name="Clinical nurse manager")
    RequirementFactory(position=manager, ability=lead, min_level=level_of("M"))
    RequirementFactory(
        position=manager, ability=standard, min_level=level_of("M"), importance="optional"
    )
    course = CourseFactory(code="NUR306", title="Ethics and law")
    CourseAbilityFactory(course=course, ability=consent, level=level_of("I"))
    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory(
            name="BSc Nursing",
            certification=None,
            own_degree_level="bachelor",
            courses=[course],
            targets=[nurse],
        )
    return {"programme": programme, "manager": manager}


def test_recommend_words_statuses_in_the_language_asked_and_marks_optional_new_gaps(nursing):
    """Observed on a nursing programme: `recommend --add-target` listed the new target's
    optional requirement among its "New gaps" as if it were one (the decide page marks it
    optional), and in Chinese every status stayed the engine's English code ("missing",
    "partial" in full-width brackets)."""
    options = {"program": str(nursing["programme"].pk), "add_target": [nursing["manager"].pk]}
    english = recommend(**options)
    new_gaps = english.split("### New gaps: Clinical nurse manager")[1].split("##")[0]
    assert "2.1.1 Inspires confidence: needs M, has — (missing)" in new_gaps
    assert "1.2.8 Maintains a high standard of work: needs M, has — (missing, optional)" in (
        new_gaps
    )
    assert "1.2.6 Obtains patient consent as required: needs R, has I (partial)" in english

    chinese = recommend(**options, language="zh-hans")
    assert "missing" not in chinese
    assert "partial" not in chinese
    assert "optional" not in chinese


@pytest.mark.parametrize("target_added", [False, True])
def test_recommend_reads_each_name_table_once(paper, target_added):
    """The command shares the engine inputs' read of the competency areas, and one read of the
    abilities' and courses' names, between its answers (what a target changes, the
    recommendations, the coverage after them), as the decide page does: the areas were read
    three times (four with a target added), the abilities' names twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from positions.models import Position

    options = {}
    if target_added:
        options["add_target"] = [str(Position.objects.get(name="Market researcher").pk)]
    with CaptureQueriesContext(connection) as captured:
        recommend(program=PROGRAMME, **options)
    tables = [
        query["sql"].split(" FROM ", 1)[-1].split(" ", 1)[0]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
    ]
    assert tables.count('"positions_competencyarea"') == 1, tables
    assert tables.count('"positions_ability"') == 1, tables
