"""Writes for decision support: applying a what-if scenario as one change."""

from __future__ import annotations

from django.db import transaction

from curricula import services
from curricula.decisions import whatif
from curricula.models import Course, CourseAbility, Programme
from positions.models import Ability, Level

# What applying a scenario can write: whoever applies one needs all of these.
SCENARIO_PERMISSIONS = (
    "curricula.change_programme",
    "curricula.add_programmecourse",
    "curricula.delete_programmecourse",
    "curricula.add_programmetarget",
    "curricula.delete_programmetarget",
    "curricula.add_courseability",
    "curricula.change_courseability",
    "curricula.delete_courseability",
)


@transaction.atomic
def programme_scenario_apply(*, programme: Programme, scenario: whatif.Scenario) -> dict:
    """Apply a checked scenario (see `requests.scenario_check`) in one transaction, through the
    supply side's own services, so coverage is marked stale and history is written as for any
    staff edit; the recompute is enqueued once, after commit.

    Writes: the programme's courses (removed ones' ProgrammeCourse rows deleted, added ones
    appended in the order given), its target positions (ProgrammeTarget rows deleted and
    created) and each link (created, its level changed, or deleted). Any ValidationError rolls
    the whole scenario back. Returns what was applied, as ids.
    """
    if scenario.add_course_ids or scenario.remove_course_ids:
        removed = set(scenario.remove_course_ids)
        current = list(
            programme.programme_courses.order_by("order", "id").values_list("course_id", flat=True)
        )
        services.programme_update(
            programme=programme,
            course_ids=[pk for pk in current if pk not in removed] + list(scenario.add_course_ids),
        )
    if scenario.add_target_ids or scenario.remove_target_ids:
        untargeted = set(scenario.remove_target_ids)
        targets = programme.targets.values_list("position_id", flat=True)
        services.programme_update(
            programme=programme,
            target_position_ids=[pk for pk in targets if pk not in untargeted]
            + list(scenario.add_target_ids),
        )

    courses = Course.objects.in_bulk({course_id for course_id, _a, _l in scenario.links})
    abilities = Ability.objects.in_bulk({ability_id for _c, ability_id, _l in scenario.links})
    levels = Level.objects.in_bulk()
    existing = {
        (link.course_id, link.ability_id): link
        for link in CourseAbility.objects.filter(
            course_id__in=list(courses), ability_id__in=list(abilities)
        )
    }
    applied_links = []
    for course_id, ability_id, level_id in scenario.links:
        link = existing.get((course_id, ability_id))
        if level_id is None:
            if link is not None:
                services.course_ability_unlink(link=link)
        elif link is None:
            services.course_ability_link(
                course=courses[course_id], ability=abilities[ability_id], level=levels[level_id]
            )
        elif link.level_id != level_id:
            services.course_ability_update(link=link, level=levels[level_id])
        applied_links.append(
            {
                "course": course_id,
                "ability": ability_id,
                "level": levels[level_id].code if level_id is not None else None,
            }
        )
    return {
        "add_courses": list(scenario.add_course_ids),
        "remove_courses": list(scenario.remove_course_ids),
        "links": applied_links,
        "add_targets": list(scenario.add_target_ids),
        "remove_targets": list(scenario.remove_target_ids),
    }
