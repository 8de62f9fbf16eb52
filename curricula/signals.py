"""Model signal receivers that mark coverage reports stale. Thin: each calls one service.

Single saves and deletes arrive here, but not a fixture's rows (`loaddata`'s raw saves: a dump
carries its reports as they were, and `recompute_coverage --all` brings any up to date). Bulk
writes (which bypass model signals) send positions.signals.requirements_bulk_changed /
abilities_bulk_changed, or call the coverage services directly. A row's original foreign keys
are read from it when it is saved or deleted (core.stored_values), so moving a link to another
course marks the programmes of both courses.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver

from core.stored_values import stored_values, stored_values_watch
from curricula.coverage import services
from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from curricula.paper.presence import paper_presence_forget
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Level,
    Requirement,
)
from positions.signals import (
    abilities_bulk_changed,
    framework_import_changed,
    requirements_bulk_changed,
)

# Sent with course_ids: existing courses whose own fields (title, description, ...) were
# rewritten in bulk (a course catalogue import), which sends no post_save, and created_ids: the
# courses it created; the apps above (suggestions) listen, as they do to
# positions.signals.positions_bulk_changed.
courses_bulk_changed = Signal()

# The foreign keys naming a row's owner: a row moved marks the old owner's programmes too.
_OWNERS = {
    CourseAbility: ("course_id",),
    ProgrammeCourse: ("programme_id",),
    ProgrammeTarget: ("programme_id",),
    Requirement: ("position_id",),
    AbilityRelation: ("source_id", "target_id"),
}
# The fields whose change alone makes a report stale.
_INPUTS = {
    Ability: ("area_id",),
    Programme: ("crosswalk_exact_match", "crosswalk_related", "crosswalk_children"),
}
for _model, _names in _OWNERS.items():
    stored_values_watch(_model, *_names, owner=True)
for _model, _names in _INPUTS.items():
    stored_values_watch(_model, *_names)


def _ids(instance, name: str) -> set:
    """The owner the row has now, and the one its row had before this save or delete."""
    values, stored = instance.__dict__, stored_values(instance)
    if name in values:
        now = values[name]
    else:
        now = stored[name] if name in stored else getattr(instance, name)
    return {now, stored.get(name)} - {None}


def _changed(instance, names) -> bool:
    """Whether this save writes one of these fields with a value its row did not have."""
    stored = stored_values(instance)
    return any(stored[name] != instance.__dict__[name] for name in names if name in stored)


@receiver(post_save, sender=CourseAbility, dispatch_uid="coverage_link_saved")
@receiver(post_delete, sender=CourseAbility, dispatch_uid="coverage_link_deleted")
def link_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    services.coverage_mark_stale_for_courses(course_ids=_ids(instance, "course_id"))


@receiver(post_save, sender=ProgrammeCourse, dispatch_uid="coverage_programme_course_saved")
@receiver(post_delete, sender=ProgrammeCourse, dispatch_uid="coverage_programme_course_deleted")
@receiver(post_save, sender=ProgrammeTarget, dispatch_uid="coverage_programme_target_saved")
@receiver(post_delete, sender=ProgrammeTarget, dispatch_uid="coverage_programme_target_deleted")
def programme_content_changed(sender, instance, origin=None, raw=False, **kwargs):
    if raw:
        return
    # Deleting a programme cascades to its courses and targets: there is no report left to mark,
    # and marking would re-create the coverage row the same delete is removing.
    origin_model = getattr(origin, "model", type(origin))
    if origin_model is Programme:
        return
    services.coverage_mark_stale(programme_ids=_ids(instance, "programme_id"))


@receiver(post_save, sender=Requirement, dispatch_uid="coverage_requirement_saved")
@receiver(post_delete, sender=Requirement, dispatch_uid="coverage_requirement_deleted")
def requirement_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    services.coverage_mark_stale_for_positions(position_ids=_ids(instance, "position_id"))


@receiver(post_save, sender=Programme, dispatch_uid="coverage_programme_created")
def programme_saved(sender, instance, created, raw=False, **kwargs):
    # A new programme gets its (empty, stale) report row at once, so lists show a state; a
    # programme whose crosswalk rule set changed gets a new report.
    if raw:
        return
    if created or _changed(instance, _INPUTS[sender]):
        services.coverage_mark_stale(programme_ids={instance.pk})


@receiver(post_save, sender=AbilityRelation, dispatch_uid="coverage_relation_saved")
@receiver(post_delete, sender=AbilityRelation, dispatch_uid="coverage_relation_deleted")
def relation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # A crosswalk can change the coverage of a programme requiring or building either end.
    services.coverage_mark_stale_for_abilities(
        ability_ids=_ids(instance, "source_id") | _ids(instance, "target_id")
    )


@receiver(post_save, sender=Ability, dispatch_uid="coverage_ability_saved")
def ability_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    # Only the area feeds the report (names are attached when it is served).
    if not created and _changed(instance, _INPUTS[sender]):
        services.coverage_mark_stale_for_abilities(ability_ids={instance.pk})


@receiver(post_save, sender=Level, dispatch_uid="coverage_level_saved")
@receiver(post_delete, sender=Level, dispatch_uid="coverage_level_deleted")
def level_changed(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        services.coverage_mark_stale_for_levels(level_ids={instance.pk})


@receiver(post_save, sender=CompetencyArea, dispatch_uid="coverage_area_saved")
@receiver(pre_delete, sender=CompetencyArea, dispatch_uid="coverage_area_deleted")
def area_changed(sender, instance, created=False, raw=False, **kwargs):
    # pre_delete: deleting an area nulls its abilities' area by a bulk UPDATE, without signals.
    if not created and not raw:
        services.coverage_mark_stale_for_areas(area_ids={instance.pk})


@receiver(requirements_bulk_changed, dispatch_uid="coverage_requirements_bulk_changed")
def requirements_bulk(sender, position_ids, **kwargs):
    services.coverage_mark_stale_for_positions(position_ids=position_ids)


@receiver(abilities_bulk_changed, dispatch_uid="coverage_abilities_bulk_changed")
def abilities_bulk(sender, ability_ids, **kwargs):
    services.coverage_mark_stale_for_abilities(ability_ids=ability_ids)


@receiver(framework_import_changed, dispatch_uid="coverage_framework_import_changed")
def framework_import(
    sender, changes, removed, reworded, framework_ids, related_ability_ids, position_ids, **kwargs
):
    # Recording the import's differences is part of the import: the links and programmes it
    # touched are curricula's to name, which positions cannot import.
    return services.coverage_import_changes(
        changes=changes,
        removed=removed,
        reworded=reworded,
        framework_ids=framework_ids,
        related_ability_ids=related_ability_ids,
        position_ids=position_ids,
    )


@receiver(post_save, sender=Framework, dispatch_uid="paper_presence_framework_saved")
@receiver(post_delete, sender=Framework, dispatch_uid="paper_presence_framework_deleted")
def paper_presence_changed(sender, **kwargs):
    # After the commit: an answer read before it is then old, whichever process stored it.
    transaction.on_commit(paper_presence_forget)
