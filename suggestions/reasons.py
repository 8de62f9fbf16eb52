"""The reasons of a suggestion's explanation in the reader's language, worded when shown from
the parts stored (a level's rule, verb, line and stage; an importance's cue): the review pages
(suggestion_tags) and the API (`explanation.level.reason`) word them by these functions."""

from django.utils.translation import gettext as _

from suggestions.levels import on_syllabus_tiers


def level_reason(level: dict) -> str:
    """The level heuristic's reason, in the reader's language."""
    if not isinstance(level, dict):
        return ""
    code, rule = level.get("code", ""), level.get("rule", "")
    parts = {
        "code": code,
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
                "了解 I < 理解 R < 掌握 M)."
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
                "“%(line)s” (the Chinese syllabus tiers: 了解 I < 理解 R < 掌握 M)."
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
                "tiers: 了解 I < 理解 R < 掌握 M)."
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
