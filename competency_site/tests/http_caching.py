"""What the caching tests share: a response's Cache-Control directives, and a programme whose
pages show something (a target position with a requirement a course builds)."""

from django.utils.cache import cc_delim_re

from curricula.models import Programme
from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory


def cache_directives(response) -> set[str]:
    return {d.strip().casefold() for d in cc_delim_re.split(response.get("Cache-Control", ""))}


def linked_programme() -> Programme:
    position = PositionFactory()
    requirement = RequirementFactory(position=position)
    link = CourseAbilityFactory(ability=requirement.ability)
    return ProgrammeFactory(courses=[link.course], targets=[position])
