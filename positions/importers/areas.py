"""The `top_level_areas` import option (Moodle and CASE, importers.TOP_LEVEL_AREAS): a
framework's top-level competencies become its competency areas, and every ability goes in the
area of its top-level ancestor.

The top-level competencies stay abilities too, each in its own area: the tree, the identifiers
and the cross references that name them are kept, a requirement on one is covered through its
children (the crosswalk children rule) and reported in its area, and coverage counts only what
a position requires, so a heading nobody requires is never reported missing.

Areas are global and their codes unique, so a framework's area codes are namespaced by it
(`F<framework id>-<top-level code>`) and an import reuses only its own framework's area made of
the same competency (`CompetencyArea.framework` and `external_id`); a code another area holds
is not taken over: the new area gets the next free one, and the report says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.models import code_from_text
from positions.importers.base import ImportReport, RecordSync, validate_fields
from positions.models import CompetencyArea, Framework

CODE_LENGTH = CompetencyArea._meta.get_field("code").max_length
_DIGEST = 4


def area_code_candidates(framework_id: int, local: str) -> Iterator[str]:
    """The codes an area of framework `framework_id` made of the top-level competency coded
    `local` may take, best first: `F<id>-<local>`, then `~2`, `~3`, ... after it. A local code
    too long for the field is cut and followed by a digest of the whole, so two long codes
    sharing their start stay two."""
    prefix = f"F{framework_id}-"
    # A code holds no hidden character (core.models.validate_code_characters); a publisher's
    # may: a control character (a tab) is a space here, an invisible one is left out.
    local = code_from_text(local)
    n = 1
    while True:
        suffix = "" if n == 1 else f"~{n}"
        room = CODE_LENGTH - len(prefix) - len(suffix)
        if len(local) <= room:
            head = local
        else:
            digest = hashlib.sha256(local.encode()).hexdigest()[:_DIGEST]
            head = f"{local[: max(room - _DIGEST - 1, 0)]}~{digest}"
        yield f"{prefix}{head}{suffix}"
        n += 1


def top_ancestors(parent_of: Mapping[Hashable, Hashable | None]) -> dict[Hashable, Hashable]:
    """Each node's top-level ancestor (a node whose parent is None is its own), for the nodes
    whose chain of parents reaches one; the parents are known to make no cycle. Linear: each
    node is walked once, up to the first whose top, or whose hanging from nothing, is known
    (a CASE package's chain of 10,000 items below another framework's item, each walked to its
    end, took 4 s; 40,000, 73 s)."""
    top: dict[Hashable, Hashable] = {}
    hanging: set[Hashable] = set()
    for start in parent_of:
        path, node = [], start
        while (
            node in parent_of
            and node not in top
            and node not in hanging
            and parent_of[node] is not None
        ):
            path.append(node)
            node = parent_of[node]
        if node in top:
            found = top[node]
        elif node in parent_of and parent_of[node] is None:
            found = node
        else:
            hanging.update(path)  # hangs from nothing the tree says is top-level
            continue
        top[node] = found
        for item in path:
            top[item] = found
    return top


@dataclass
class TopLevel:
    """A top-level competency: its ability's key in the abilities' RecordSync (its
    identifier), its code in the source ('' when it has none), where the source has it, and
    what the source says of the area it was (`texts`: its description and Chinese name and
    description, each only where the source gives it; a CASE package this site published)."""

    key: Hashable
    code: str
    where: str
    texts: dict[str, str] = field(default_factory=dict)


def top_level_areas_write(
    *,
    framework: Framework,
    tops: list[TopLevel],
    top_of: Mapping[Hashable, Hashable],
    abilities: RecordSync,
    report: ImportReport,
    source_ref: str,
) -> None:
    """Make each top-level competency (`tops`, in the source's order; their abilities written
    and flushed) an area of `framework`, named as its ability, and put every ability `top_of`
    maps to a top-level one in that area (before `abilities` is flushed again and finished).

    An area of the framework made of the same competency by an earlier import is updated, never
    made again; a new one gets the first of `area_code_candidates` no area holds, with a report
    warning when the first was taken."""
    own = {
        area.external_id: area
        for area in CompetencyArea.objects.filter(framework=framework).exclude(external_id="")
    }
    prefix = f"F{framework.pk}-"
    held = dict(
        CompetencyArea.objects.filter(code__startswith=prefix).values_list("code", "external_id")
    )
    areas = RecordSync(
        kind="area",
        model=CompetencyArea,
        fields=[],
        existing=own,
        report=report,
        source_ref=source_ref,
    )
    area_of_top: dict[Hashable, CompetencyArea] = {}
    for order, top in enumerate(tops, start=1):
        ability = abilities.objects[top.key]
        external_id = str(ability.identifier)
        where = top.where
        values = {
            **top.texts,
            "name": (ability.short_name or ability.text).strip()[:255],
            "order": order,
        }
        if external_id not in own:
            code = _free_code(framework, top.code or str(order), held, report, where)
            held[code] = external_id
            values.update(framework_id=framework.pk, external_id=external_id, code=code)
        area = areas.offer(external_id, values, where=where)
        validate_fields(area, where=where, exclude=["framework"])
        area_of_top[top.key] = area
    areas.flush()
    areas.finish()
    placed = {key: area_of_top[top].pk for key, top in top_of.items() if top in area_of_top}
    created = {key: pk for key, pk in placed.items() if abilities.status.get(key) == "created"}
    for key, pk in placed.items():
        if key not in created:
            abilities.offer(key, {"area_id": pk})
    abilities.link_created("area_id", created)


def _free_code(
    framework: Framework, local: str, held: dict[str, str], report: ImportReport, where: str
) -> str:
    """The first candidate code no area holds (`held`: code -> the external identifier of the
    area holding it, among those with the framework's prefix)."""
    candidates = area_code_candidates(framework.pk, local)
    first = next(candidates)
    if first not in held:
        return first
    code = next(code for code in candidates if code not in held)
    report.warn(
        where,
        _("the competency area code %(code)s is another area's: this framework's area is %(other)s")
        % {"code": first, "other": code},
    )
    return code
