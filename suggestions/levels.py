"""The level a suggested course link starts at: a heuristic a person can check, stated in words.

Plain Python, no Django. It reads the course's learning outcomes as Bloom's taxonomy does:

- the verbs of remembering and understanding (define, describe, explain; 了解, 理解) introduce
  an ability: **I**;
- applying and analysing (apply, use, analyse, implement; 应用, 分析) reinforce it: **R**;
- evaluating and creating (evaluate, design, develop, create; 评价, 设计, 开发) master it: **M**.

A line is read by its leading verb, after any template ("Students will be able to explain how
platforms create value" is I), or the highest of the verbs coordinated with it ("了解并掌握…",
"describe and design …" are M), the highest of its sentences'; a line that does not start with
one, by its strongest verb (see suggestions.engine.outcomes, which also keeps the verbs out of
what is matched, and moves a verb a tier by its degree: 初步掌握 and "a basic mastery" are R,
"independently design" M).

Which outcomes? First those that share a matched term with the ability (the outcome that
justified the suggestion); else any outcome of the course. With no Bloom verb at all, the
course's place in the training stages decides (first third I, middle R, last third M), and with
no stage either, I: the lightest claim, for a person to raise.

I, R and M name the three tiers, not a site's levels: the suggestions store each as the level
of its rank on the site's own scale (positions.selectors.level_of_tier: the lowest, middle and
highest; on a scale holding the codes I, R and M, those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from suggestions.engine.outcomes import bloom_verbs, leading_verb
from suggestions.engine.text import cut_short, read_part, simplified

_RANK = {"I": 1, "R": 2, "M": 3}
_NAMES = {"I": "remember/understand", "R": "apply/analyse", "M": "evaluate/create"}
# Chinese syllabi's own tiers, read as the three levels (see suggestions.engine.outcomes): a
# verb of them is no Bloom verb read by Bloom's names (理解 is R here, where Bloom's
# "understand" introduces), so its reason names the tiers.
_TIER_VERBS = ("了解", "识记", "理解", "领会", "熟悉", "掌握", "精通")
TIERS_SAID = "Chinese syllabus tiers: 了解 I < 理解 R < 掌握 M"
# What an outcome is read for, as a reason no verb decided says it: the tiers' verbs are looked
# for as Bloom's are.
VERBS_LOOKED_FOR = "Bloom verb or Chinese syllabus tier verb"


def on_syllabus_tiers(verb: str) -> bool:
    """Whether `verb` (as an outcome writes it, perhaps with its degree: 初步掌握) is one of the
    Chinese syllabus tiers' verbs, which give its level, rather than a verb of Bloom's lists."""
    read = simplified(verb)
    return any(tier in read for tier in _TIER_VERBS)


def _scale_said(level: str, verb: str) -> str:
    """The scale the level was read on, as the English reason names it in brackets."""
    return TIERS_SAID if on_syllabus_tiers(verb) else f"Bloom: {_NAMES[level]}"


@dataclass(frozen=True)
class LevelProposal:
    """The proposed level and why: `rule` is "outcome" (an outcome naming the ability),
    "course" (the course's strongest outcome), "stage" or "default"; `verb` and `line` the
    Bloom verb and the outcome it was read in; `stage`, `place` and `count` the training stage.
    `reason` says the same in an English sentence (pages translate from the parts)."""

    code: str  # I, R or M
    rule: str
    reason: str
    verb: str = ""
    line: str = ""
    stage: str = ""
    place: int = 0
    count: int = 0

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "rule": self.rule,
            "reason": self.reason,
            "verb": self.verb,
            "line": self.line,
            "stage": self.stage,
            "place": self.place,
            "count": self.count,
        }


def _line_level(line: str) -> tuple[str, str] | None:
    """(level, verb) a line says: its leading verb's, after any template ("Explain how
    platforms create value" is I, not M for "create"), or the highest verb coordinated with it
    ("describe and design" is M), else its strongest Bloom verb's (the first such verb wins a
    tie)."""
    lead = leading_verb(line)
    if lead:
        return lead.level, lead.verb
    best = None
    for verb, level in bloom_verbs(line):
        if best is None or _RANK[level] > _RANK[best[0]]:
            best = (level, verb)
    return best


def _strongest(lines: Iterable[str]) -> tuple[str, str, str] | None:
    """(level, verb, line) of the highest level the lines say (see _line_level); the first such
    line wins a tie."""
    best = None
    for line in lines:
        found = _line_level(line)
        if found and (best is None or _RANK[found[0]] > _RANK[best[0]]):
            best = (found[0], found[1], line.strip())
    return best


def _joined(a: str, b: str) -> bool:
    """Whether two adjacent characters belong to one Latin word (Chinese has no spaces: a
    Chinese term is found anywhere in a line)."""
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


def _names(line: str, term: str, whole: bool = True) -> bool:
    """Whether `line` names `term` (both lowercased) as a word or words, not inside another
    word: "it" (IT) is not in "edit", "art" not in "start". Not `whole`: the term is the start
    of a quote cut short, and may end inside a word."""
    start = line.find(term)
    while start != -1:
        end = start + len(term)
        before = line[start - 1] if start else " "
        after = line[end] if end < len(line) and whole else " "
        if not _joined(before, term[0]) and not _joined(term[-1], after):
            return True
        start = line.find(term, start + 1)
    return False


def _quote(line: str, limit: int = 90) -> str:
    return cut_short(line, limit)


def propose_level(
    *,
    outcomes: Sequence[str],
    matched_terms: Iterable[str] = (),
    stage_position: tuple[int, int] | None = None,
    stage_name: str = "",
) -> LevelProposal:
    """The level to propose for a link, with the reason in one sentence.

    `outcomes` are the course's outcome lines (its description's sentences may be added by the
    caller); `matched_terms` the terms the suggestion matched on; `stage_position` the course's
    training stage as (1-based place, number of stages).
    """
    outcomes = [line for line in outcomes if line.strip()]
    # A quote cut short ("…", see engine.text.quote), perhaps inside a word, names the line
    # it starts.
    terms = [(t.removesuffix("…").lower(), not t.endswith("…")) for t in matched_terms if t.strip()]
    # Lines by how much of the match they name, most first: the outcome about the ability
    # decides, not one sharing a word with it ("health" in "Apply health education ..." for
    # an ability on epidemiology); a line naming less decides only where those naming more have
    # no Bloom verb.
    named: dict[int, list[str]] = {}
    for line in outcomes:
        count = sum(_names(line.lower(), t, whole) for t, whole in dict.fromkeys(terms))
        if count:
            named.setdefault(count, []).append(line)
    found = None
    for count in sorted(named, reverse=True):
        found = _strongest(named[count])
        if found:
            break
    if found:
        level, verb, line = found
        return LevelProposal(
            level,
            "outcome",
            f"{level}: the outcome “{_quote(line)}” uses “{verb}” ({_scale_said(level, verb)}).",
            verb=verb,
            line=_quote(line),
        )
    found = _strongest(outcomes)
    if found:
        level, verb, line = found
        return LevelProposal(
            level,
            "course",
            f"{level}: no outcome naming this ability has a {VERBS_LOOKED_FOR}; the course's "
            f"strongest outcome verb is “{verb}” in “{_quote(line)}” "
            f"({_scale_said(level, verb)}).",
            verb=verb,
            line=_quote(line),
        )
    if stage_position and stage_position[1] > 0:
        place, count = stage_position
        share = place / count
        level = "I" if share <= 1 / 3 else "R" if share <= 2 / 3 else "M"
        return LevelProposal(
            level,
            "stage",
            f"{level}: no {VERBS_LOOKED_FOR} in the outcomes; the course is in training "
            f"stage “{stage_name}”, {place} of {count}.",
            stage=stage_name,
            place=place,
            count=count,
        )
    return LevelProposal(
        "I",
        "default",
        f"I: no {VERBS_LOOKED_FOR} in the outcomes and no training stage; I is the lightest claim.",
    )


# --- What a position's requirement would be -------------------------------------------------
#
# A position's suggestion is read from its own description, such as a job advert. The advert says
# how deep (the Bloom verb of the line naming the ability: "design" → M, "awareness" → I) and
# how much it matters (the line's own words, "must", "is a plus", "者优先", or the heading the line
# sits under, "Requirements:", "Nice to have:", "加分项").

_OPTIONAL_CUES = re.compile(
    r"\b(?:nice[- ]to[- ]have|preferred|preferably|preferable|desirable|a plus|an advantage|"
    r"advantageous|bonus|ideally|optional)\b|优先|加分|更佳|为佳|择优",
    re.IGNORECASE,
)
_ESSENTIAL_CUES = re.compile(
    # What the position does is what it needs: "Responsibilities:", "you will be responsible
    # for", "岗位职责".
    r"\b(?:must|required|requirements?|essential|mandatory|necessary|needs? to|"
    r"responsibilit(?:y|ies)|responsible|duties)\b"
    r"|必须|必备|要求|须具备|需具备|职责",
    re.IGNORECASE,
)
# A line naming a cue heads the lines below it when it ends with a colon ("Requirements:",
# "加分项" and a full-width colon), is a Markdown heading, or is a cue alone, perhaps with a
# noun ("Nice to have", "Preferred qualifications", "任职要求"): "Must know SQL" is a
# requirement, not a heading.
_HEADING_ALONE = re.compile(
    rf"(?:{_OPTIONAL_CUES.pattern}|{_ESSENTIAL_CUES.pattern})"
    r"(?:\s*(?:qualifications?|skills?|requirements?|experience|points?|项|条件))?",
    re.IGNORECASE,
)
_HEADING_PREFIX = re.compile(r"^(?:任职|岗位|职位)")


@dataclass(frozen=True)
class ImportanceProposal:
    """The importance to propose for a requirement: `value` "essential" or "optional"; `rule`
    "cue" (the line naming the ability says it), "heading" (the heading it sits under says it)
    or "default" (nothing said: essential); `cue` the words that decided, `line` where."""

    value: str
    rule: str
    cue: str = ""
    line: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "rule": self.rule, "cue": self.cue, "line": self.line}


def _cue(text: str) -> tuple[str, str] | None:
    """(importance, the cue as written) that `text` states; optional first, as the narrower
    claim of a line that says both ("required; Python is a plus" is split before). Traditional
    Chinese is read as Simplified (者優先 as 者优先), the cue given as written."""
    read = simplified(text)  # of the same length: a match's span is its place in `text`
    for value, pattern in (("optional", _OPTIONAL_CUES), ("essential", _ESSENTIAL_CUES)):
        found = pattern.search(read)
        if found:
            return value, text[found.start() : found.end()]
    return None


def _is_heading(line: str) -> bool:
    text = simplified(line.strip())  # 崗位職責, 加分項 are headings as 岗位职责, 加分项 are
    if text.startswith("#") or text.endswith((":", "：")):  # noqa: RUF001
        return True
    bare = _HEADING_PREFIX.sub("", text.strip("-•*·>()（）[]【】 ").rstrip(".!。！"))  # noqa: RUF001
    return bool(_HEADING_ALONE.fullmatch(bare))


_SEGMENT = re.compile(r"(?<=[.!?。！？；;])\s*")  # noqa: RUF001


Segment = tuple[str, tuple[str, str] | None, str]


def descriptions_segments(*descriptions: str) -> list[Segment]:
    """The sentences of a position's descriptions (a job advert, English then Chinese), each
    read apart: a heading ending one ("Nice to have:") heads none of the next's. Of each, the
    part the engine reads (`read_part`): an importance is never read, nor quoted, from past it."""
    return [
        segment
        for description in descriptions
        for segment in description_segments(read_part(description).splitlines())
    ]


def description_segments(lines: Sequence[str]) -> list[Segment]:
    """Each sentence of the lines with the importance its heading states (None when the
    heading states none, or there is none) and that heading: what propose_requirement reads,
    made once per description."""
    out = []
    section: tuple[str, str] | None = None
    heading = ""
    for line in lines:
        if not line.strip():
            continue
        if _is_heading(line):
            section, heading = _cue(line), line.strip()
            continue
        for part in _SEGMENT.split(line):
            if part.strip():
                out.append((part.strip(), section, heading))
    return out


def _naming(lines: Iterable[str], matched_terms: Iterable[str]) -> list:
    """The items of `lines` (sentence, section, heading) naming one of the matched terms (see
    _names). A term that is only a Bloom verb ("familiarity" matching an ability's "be familiar
    with") says how, not what: the line holding it is not about the ability."""
    terms = [
        (t.removesuffix("…").lower(), not t.endswith("…"))
        for t in matched_terms
        if t.strip() and not (len(t.split()) == 1 and bloom_verbs(t))
    ]
    return [item for item in lines if any(_names(item[0].lower(), t, whole) for t, whole in terms)]


def propose_requirement(
    *, segments: Sequence[Segment], matched_terms: Iterable[str]
) -> tuple[LevelProposal | None, ImportanceProposal]:
    """The minimum level and the importance a position's description (its description_segments)
    proposes for the ability its matched terms name: propose_requirement_level and
    propose_importance from one reading of the sentences naming it."""
    relevant = _naming(segments, matched_terms)
    return _requirement_level(relevant), _importance(relevant)


def propose_importance(*, lines: Sequence[str], matched_terms: Iterable[str]) -> ImportanceProposal:
    """Whether a position's description makes the ability essential or optional: the sentences
    naming a matched term say it themselves, or their heading does. Essential when one of them
    says essential (an advert requiring it and also listing it as a plus requires it), optional
    when one says optional, else essential (what a requirement was before anything was read)."""
    return _importance(_naming(description_segments(lines), matched_terms))


def _importance(relevant: Sequence[Segment]) -> ImportanceProposal:
    found: dict[str, ImportanceProposal] = {}
    for text, section, heading in relevant:
        cue = _cue(text)
        if cue:
            found.setdefault(cue[0], ImportanceProposal(cue[0], "cue", cue[1], _quote(text)))
        elif section:
            found.setdefault(
                section[0], ImportanceProposal(section[0], "heading", section[1], _quote(heading))
            )
    return (
        found.get("essential")
        or found.get("optional")
        or ImportanceProposal("essential", "default")
    )


def propose_requirement_level(
    *, lines: Sequence[str], matched_terms: Iterable[str]
) -> LevelProposal | None:
    """The minimum level a position's description asks for an ability: the strongest Bloom
    verb of its sentences naming a matched term (rule "description"); None when none has one
    (the reviewer's default, SUGGESTIONS_REQUIREMENT_LEVEL, applies)."""
    return _requirement_level(_naming(description_segments(lines), matched_terms))


def _requirement_level(relevant: Sequence[Segment]) -> LevelProposal | None:
    found = _strongest([text for text, _section, _heading in relevant])
    if found is None:
        return None
    level, verb, line = found
    return LevelProposal(
        level,
        "description",
        f"{level}: the description's “{_quote(line)}” uses “{verb}” ({_scale_said(level, verb)}).",
        verb=verb,
        line=_quote(line),
    )
