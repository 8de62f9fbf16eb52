"""One record of each kind the API's object paths name, for tests that walk every operation."""

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory
from suggestions.tests.factories import SuggestionFactory


def one_record_of_each_kind() -> dict[str, int]:
    """A record's id by the first segment of the paths under /api/v1/ that name it
    (`courses` in /api/v1/courses/{id}/); `history` is a history record of a link."""
    course = CourseFactory()
    position = PositionFactory()
    link = CourseAbilityFactory(course=course)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    relation = AbilityRelation.objects.create(
        source=AbilityFactory(), target=link.ability, relation_type=RelationType.EXACT_MATCH_OF
    )
    return {
        "ability-relations": relation.pk,
        "course-abilities": link.pk,
        "courses": course.pk,
        "programs": programme.pk,
        "positions": position.pk,
        "requirements": RequirementFactory(position=position).pk,
        "suggestions": SuggestionFactory(course=course).pk,
        "history": link.history.first().history_id,
    }
