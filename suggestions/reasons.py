"""The reasons of a suggestion's explanation in the reader's language, worded when shown from
the parts stored (a level's rule, verb, line and stage; an importance's cue): the review pages
(suggestion_tags) and the API (`explanation.level.reason`) word them by these functions."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from positions.selectors import TIERS, level_of_tier
from suggestions.levels import on_syllabus_tiers


def tier_codes(levels: Iterable[Any]) -> dict[str, str]:
    """The code of the site's level each tier the heuristic proposes (I, R, M) stands for
    (level_of_tier), read from `levels` (the scale, read once per page or response): a tier
    naming no level of the scale (R on a scale of two) is not in it."""
    levels = list(levels)
    return {tier: level.code for tier in TIERS if (level := level_of_tier(tier, levels))}


def level_reason(level: dict, codes: Mapping[str, str] | None = None) -> str:
    """The level heuristic's reason, in the reader's language, naming each tier (the stored
    `code`, I, R or M) by the code of the site's level it stands for (`codes`, tier_codes of
    the scale); a tier `codes` lacks, or all of them when None, by its letter."""
    if not isinstance(level, dict):
        return ""
    codes = codes or {}
    code, rule = level.get("code", ""), level.get("rule", "")
    low, middle, high = (codes.get(tier, tier) for tier in TIERS)
    parts = {
        "code": codes.get(code, code),
        "low": low,
        "middle": middle,
        "high": high,
        "verb": level.get("verb", ""),
        "line": level.get("line", ""),
        "stage": level.get("stage", ""),
        "place": level.get("place", 0),
        "count": level.get("count", 0),
    }
    # A Chinese syllabus tier's verb (理解, 掌握) gives its level on those tiers, not Bloom's.
    tiers = on_syllabus_tiers(parts["verb"])
    if rule == "outcome" and tiers:
        return (
            _(
                "%(code)s: the outcome “%(line)s” uses “%(verb)s” (the Chinese syllabus tiers: "
                "了解 %(low)s < 理解 %(middle)s < 掌握 %(high)s)."
            )
            % parts
        )
    if rule == "outcome":
        return _("%(code)s: the outcome “%(line)s” uses “%(verb)s” (Bloom's taxonomy).") % parts
    if rule == "course" and tiers:
        return (
            _(
                "%(code)s: no outcome naming this ability has a Bloom verb or Chinese "
                "syllabus tier verb; the course's strongest outcome verb is “%(verb)s” in "
                "“%(line)s” (the Chinese syllabus tiers: 了解 %(low)s < 理解 %(middle)s < "
                "掌握 %(high)s)."
            )
            % parts
        )
    if rule == "course":
        return (
            _(
                "%(code)s: no outcome naming this ability has a Bloom verb or Chinese "
                "syllabus tier verb; the course's strongest outcome verb is “%(verb)s” in "
                "“%(line)s” (Bloom's taxonomy)."
            )
            % parts
        )
    if rule == "stage":
        return (
            _(
                "%(code)s: no Bloom verb or Chinese syllabus tier verb in the outcomes; the "
                "course is in training stage “%(stage)s”, %(place)s of %(count)s."
            )
            % parts
        )
    if rule == "default":
        return (
            _(
                "%(code)s: no Bloom verb or Chinese syllabus tier verb in the outcomes and no "
                "training stage."
            )
            % parts
        )
    if rule == "description" and tiers:
        return (
            _(
                "%(code)s: the description's “%(line)s” uses “%(verb)s” (the Chinese syllabus "
                "tiers: 了解 %(low)s < 理解 %(middle)s < 掌握 %(high)s)."
            )
            % parts
        )
    if rule == "description":
        return (
            _("%(code)s: the description's “%(line)s” uses “%(verb)s” (Bloom's taxonomy).") % parts
        )
    return level.get("reason", "")


def importance_reason(importance: dict) -> str:
    """Why a position's suggestion proposes its importance, in the reader's language; empty
    when nothing in the description said (essential by default, which needs no reason)."""
    if not isinstance(importance, dict):
        return ""
    parts = {"cue": importance.get("cue", ""), "line": importance.get("line", "")}
    optional = importance.get("value") == "optional"
    if importance.get("rule") == "cue":
        if optional:
            return _("optional: the description says “%(cue)s” in “%(line)s”.") % parts
        return _("essential: the description says “%(cue)s” in “%(line)s”.") % parts
    if importance.get("rule") == "heading":
        if optional:
            return _("optional: the description lists it under “%(line)s”.") % parts
        return _("essential: the description lists it under “%(line)s”.") % parts
    return ""
