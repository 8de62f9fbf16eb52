"""What an import changed in its frameworks: abilities added, removed, reworded and moved, the
requirements pointing at removed or reworded ones, and (from the apps above, through the
`framework_import_changed` signal) the course links pointing at them and the programmes whose
coverage changed.

Removed abilities are never deleted: an ability the source no longer lists is retired (a flag),
and flagged for review when a requirement or a course link still uses it; a reworded ability in
use is flagged for review too. An ability listed again is no longer retired.

Runs inside the import's transaction, after the importer has written: `ImportReport.snapshot`
kept each framework's abilities as they were before (when the importer first named the
framework), and `RecordSync.finish` noted the abilities the source offered.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from positions.models import Ability, Requirement
from positions.signals import framework_import_changed

# Lists stop growing here; the counts still count everything.
CHANGES_LIST_LIMIT = 500
_CHANGE_REASON = "import: changes"


def _listed(items: list[Any]) -> dict[str, Any]:
    return {"count": len(items), "items": items[:CHANGES_LIST_LIMIT]}


def framework_changes_record(*, report, position_ids: set[int]) -> dict[str, Any]:
    """Compare the imported frameworks with the snapshot, retire what the source dropped, and
    return the changes (also kept on `report.changes`). Writes: `retired`/`needs_review` on the
    abilities concerned (with history). Sends `framework_import_changed` so that the apps above
    add what they derive (course links, programmes' coverage) and say which abilities they use."""
    before = report.abilities_before
    seen = report.abilities_seen
    after = {
        pk: (framework_id, code, text, parent_id, retired)
        for pk, framework_id, code, text, parent_id, retired in Ability.objects.filter(
            framework_id__in=report.frameworks
        ).values_list("id", "framework_id", "code", "text", "parent_id", "retired")
    }
    # A framework the source offered no ability of (a file of positions only) loses nothing.
    offered = {after[pk][0] for pk in seen if pk in after}
    added = sorted(pk for pk in after if pk not in before)
    removed = sorted(
        pk
        for pk, row in before.items()
        if pk not in seen and pk in after and row[0] in offered and not row[4]
    )
    restored = sorted(pk for pk in seen if pk in before and before[pk][4])
    kept = [pk for pk in sorted(before) if pk in after and pk in seen]
    reworded = [pk for pk in kept if before[pk][2] != after[pk][2]]
    moved = [pk for pk in kept if before[pk][3] != after[pk][3]]

    def code(pk: int | None) -> str | None:
        """The ability's code, or its statement where it has none (a framework without codes)."""
        if pk is None:
            return None
        row = after.get(pk) or before.get(pk)
        return (row[1] or row[2]) if row else str(pk)

    def ability(pk: int) -> dict[str, Any]:
        row = after.get(pk) or before[pk]
        return {"id": pk, "code": row[1], "text": row[2]}

    watched = set(removed) | set(reworded)
    requirement_rows = list(
        Requirement.objects.filter(ability_id__in=watched)
        .order_by("position_id", "order", "id")
        .values_list("id", "position_id", "position__name", "ability_id", "min_level__code")
    )
    changes: dict[str, Any] = {
        "frameworks": list(report.frameworks),
        "added": _listed([ability(pk) for pk in added]),
        "removed": _listed([ability(pk) for pk in removed]),
        "reworded": _listed(
            [
                {"id": pk, "code": after[pk][1], "before": before[pk][2], "after": after[pk][2]}
                for pk in reworded
            ]
        ),
        "moved": _listed(
            [
                {
                    "id": pk,
                    "code": after[pk][1],
                    "text": after[pk][2],
                    "from": code(before[pk][3]),
                    "to": code(after[pk][3]),
                }
                for pk in moved
            ]
        ),
        "restored": _listed([ability(pk) for pk in restored]),
        "requirements": _listed(
            [
                {
                    "id": pk,
                    "position": {"id": position_id, "name": position_name},
                    "ability": {
                        "id": ability_id,
                        "code": (after.get(ability_id) or before[ability_id])[1],
                        "text": (after.get(ability_id) or before[ability_id])[2],
                    },
                    "min_level": level,
                    "change": "removed" if ability_id in removed else "reworded",
                }
                for pk, position_id, position_name, ability_id, level in requirement_rows
            ]
        ),
        "links": _listed([]),
        "programmes": _listed([]),
    }
    in_use = {row[3] for row in requirement_rows}
    for _receiver, used in framework_import_changed.send(
        sender=Ability,
        changes=changes,
        removed=set(removed),
        reworded=set(reworded),
        framework_ids=set(report.frameworks),
        related_ability_ids=set(report.relation_ends),
        position_ids=set(position_ids),
    ):
        in_use |= set(used or ())
    flagged = _retire(removed=removed, restored=restored, review=watched & in_use)
    report.retired_or_restored = set(removed) | set(restored)
    changes["retired"] = len(removed)
    changes["flagged_for_review"] = flagged
    for item in changes["removed"]["items"]:
        item["in_use"] = item["id"] in in_use
    report.changes = changes
    return changes


def _retire(*, removed: list[int], restored: list[int], review: set[int]) -> int:
    """Retire the removed abilities, bring back the restored ones, flag those in use for
    review; with history rows, as every import change has. Returns how many were flagged."""
    touched = set(removed) | set(restored) | review
    if not touched:
        return 0
    abilities = list(Ability.objects.filter(pk__in=touched))
    # A bulk update leaves auto_now alone: stamped by hand, so what is dated by its abilities'
    # latest change (a CASE package's ETag, Last-Modified and cache) sees the retirement.
    now = timezone.now()
    for obj in abilities:
        obj.updated_at = now
        if obj.pk in removed:
            obj.retired = True
        if obj.pk in restored:
            obj.retired = False
        if obj.pk in review:
            obj.needs_review = True
    bulk_update_with_history(
        abilities,
        Ability,
        ["retired", "needs_review", "updated_at"],
        batch_size=2000,
        default_change_reason=_CHANGE_REASON,
    )
    return len(review)


def changes_summary(changes: dict[str, Any]) -> str:
    """A few lines for the command line: counts, then the first items of each list."""
    lines = [
        _(
            "changes: %(added)d abilities added, %(removed)d removed (retired), %(reworded)d "
            "reworded, %(moved)d moved; %(requirements)d requirements and %(links)d course "
            "links point at removed or reworded abilities; %(programmes)d programmes' coverage "
            "changed; %(flagged)d abilities flagged for review"
        )
        % {
            "added": changes["added"]["count"],
            "removed": changes["removed"]["count"],
            "reworded": changes["reworded"]["count"],
            "moved": changes["moved"]["count"],
            "requirements": changes["requirements"]["count"],
            "links": changes["links"]["count"],
            "programmes": changes["programmes"]["count"],
            "flagged": changes.get("flagged_for_review", 0),
        }
    ]
    shown = 10
    for item in changes["removed"]["items"][:shown]:
        lines.append(f"  - {item['code']} {item['text']}")
    for item in changes["reworded"]["items"][:shown]:
        lines.append(f"  ~ {item['code'] or '-'}: {item['before']!r} -> {item['after']!r}")
    for item in changes["moved"]["items"][:shown]:
        lines.append(f"  > {item['code'] or item.get('text')}: {item['from']} -> {item['to']}")
    for item in changes["programmes"]["items"][:shown]:
        lines.append(
            "  "
            + _("programme %(name)s: %(before)s%% -> %(after)s%%")
            % {
                "name": item["name"],
                "before": _percent(item["before"]),
                "after": _percent(item["after"]),
            }
        )
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
