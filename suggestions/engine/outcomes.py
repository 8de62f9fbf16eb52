"""Learning outcomes: how deep a line goes apart from what it is about.

An outcome is written to a template: "Students will be able to identify the parts of a supply
chain", "Explain how platforms create value", "了解跨境电商的基本流程", numbered by a bullet,
a number or a syllabus's label ("1）", "（一）", "课程目标1：", "LO2."). The template
("students will be able to", "能够", the numbering) and the line's leading Bloom verb
("identify", "explain", "了解") say how deep (`levels.py` reads the level from the verb);
the rest says what about. Matched as terms, the template's words made every course whose
outcomes start "Identify ..." share a term with every ability that identifies something,
whatever the subject. So the engine matches an outcome field on `subject_text` (the template
and leading verbs blanked), and the level is read from `leading_verb`.

A line with no leading verb is read by the verbs in it (`bloom_verbs`), nouns made from them
included where they name the doing ("analysis of", "familiarity with"), but not a plural
("buildings": things built) nor such a noun before another noun ("construction drawings",
"management accounting"): those name a topic.

Bloom's verbs, by level:

- remembering and understanding (define, describe, explain; 了解) introduce an ability: I;
- applying and analysing (apply, use, analyse, implement, prepare, produce, draft, write,
  configure, deploy, debug; 应用, 分析, 编制, 编写, 调试, 完成, 撰写) reinforce it: R;
- evaluating and creating (evaluate, design, develop, create; 评价, 设计, 开发) master it: M.

Chinese syllabi grade their outcomes in three tiers of their own, 了解 < 理解 < 掌握 (熟悉 sits
with 理解): one course lists what it touches, what it deepens and what it masters. The tiers are
the three levels, so 理解 and 熟悉 reinforce (R) where Bloom's "understand" introduces. English
"familiar" is no verb of Bloom's lists but that middle tier's English (aware of < familiar with
< master, as competency scales write awareness < familiarity < proficiency): R, as 熟悉, so a
course's English and Chinese outcomes propose one level.
National syllabi (the self-taught examinations', many universities') name their first tiers
识记 and 领会, read as 了解 (I) and 理解 (R).

A degree before a Chinese verb moves it one tier on that scale, as syllabi write their tiers with
it ("初步了解 < 了解 < 理解 < 掌握 < 熟练掌握"): 初步, 一般 and 基本 (a first, a general, a basic
grasp) one down, so 初步掌握 and 基本掌握 are R, 初步理解 I, 初步了解 stays I; 熟练, 深入, 灵活
and 独立 (proficiently, in depth, flexibly, independently) one up, so 熟练运用 and 深入理解 are M,
熟练掌握 stays M. The verb quoted is the qualified one (初步掌握), so a reviewer sees why. English
degrees move an English verb alike: "basic", "introductory", "preliminary" (a basic
understanding of) one down; "thoroughly", "in depth", "independently", "proficiently",
"flexibly" one up, before the verb ("independently design": M) or after its object ("understand
networks in depth": R), quoted with it ("understand … in depth").

A Chinese verb compounded with the noun after it is part of a noun, no verb of the line:
设计模式 (design patterns), 设计方法, 应用场景, 分析报告 (see _names_a_thing); 设计数据库 is a
verb and its object. Neither is a verb after 的, the head of a noun phrase: 设计模式的应用 (the
application of design patterns), 算法的设计与分析 (see _heads_a_noun_phrase). What is matched
keeps such a noun whole: the 设计 of 设计模式 is not blanked as a leading verb.

A job advert names people, teams and what they bring with the same words. A title's head is a
person ("System Architect", "Technical Lead", "Data Analyst", 数据分析师, 开发工程师), and a
Bloom word before a person, a team or an experience says which ("Design Engineer", "Lead
Software Engineer", "design team", "design experience", "communication and teamwork skills",
设计团队, 开发经验), as "development team" does; what experience is in is a field ("experience
in Java development"). None of these is a verb of the line. "Proficient in" is the English of
精通 (M), as "familiar with" is of 熟悉. After a duty's verb (负责, 从事, 参与) a verb heading
的's noun phrase is the duty: 负责产品的规划与设计 asks to plan and design (M).

A post is named alike: "Scrum Master" (a person, as "architect" and "lead" are after a noun with
no object), "Head of Product Design" (in a post's title, what its holder heads is a field),
设计总监, 开发主管, 数据分析专员 (a post's holder, as 经理 is). And what one has: a gerund after an
adjective before "skills" or "experience" ("strong planning skills"), or joined to a noun there
("planning and design skills"), names the skill, as "design skills" does.

A past participle before a noun describes it, as an adjective does: "written reports", "applied
statistics", "excellent written and verbal communication" ask for no doing. At a line's start,
after a verb's word ("are written", "we designed") or before a preposition ("developed by") it is
the verb.

系统 is a noun (a system) as often as an adverb (系统地): before 的 and a verb of knowing it is
the adverb (系统的掌握), before 的 and any other verb the noun (系统的设计与实现, the design and
implementation of a system, as 数据库的设计).

"Introductory" is a degree ("an introductory knowledge of") or a course's kind ("Introductory
programming"), never the verb "introduce".

An outcome asks for the highest of its coordinated verbs: "了解并掌握数据库设计方法" and
"describe and design a network" ask to master (M), "理解网络协议并能设计局域网" too. A verb
is coordinated when it joins the leading one directly ("了解并掌握", "identify, describe and
explain") or after its object, by 并 (并且, 并能, 同时), a Chinese comma, or "and" / "as well as".
Not after a purpose or subordinate word (以, 以便, 用于, 如何; "to design", "how", "that") up to
the next comma: "运用统计软件以设计并评价实验" applies (R), "Explain how firms design and
evaluate products" explains (I). After an object, 和, 与 and 及 join nouns ("原理与设计方法"),
and an English verb must be in its base form and not followed by "of" ("the structure and design
of networks" names a topic). "to" opens a clause of purpose before a verb, not before a noun:
"Apply theory to practice and design interventions" asks to design (M), as "practice" after
"apply ... to" is where theory is applied; "Use UML to design and evaluate" uses (R).

A line of several sentences (split by ；, 。, "; ", ". ") asks for the highest of them, each read
as an outcome of its own: "了解网络原理；掌握网络设计" asks to master (M).
"""  # noqa: RUF002

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .text import (
    CURRICULUM_COMPOUNDS,
    ENGLISH_COMPOUND_RE,
    chinese_word_ends,
    english_compound,
    simplified,
)

# Verb -> level, by Anderson and Krathwohl's revised taxonomy where a verb is theirs. Of a
# care programme's verbs: administer, provide, undertake (carrying out: apply) and educate (as
# teach, instruct: apply) are R, and prioritise (analyse) R; reflect (on one's practice:
# evaluate), coordinate and monitor (their "checking": evaluate) and supervise (judging others'
# work: evaluate, as lead) are M. Delegate, advocate, document, triage and counsel name a
# professional act, not a depth of learning: no level of their own. Of a programming course's
# verbs: write (a program, a query), configure and deploy carry out a procedure learnt (Apply:
# executing, implementing) as produce and draft do, and debug finds where a fault lies (Analyse:
# differentiating, attributing): R, and so are their Chinese 编写 and 调试 (配置 and 部署 are
# as often nouns: a system's configuration, a strategy's deployment). Of a syllabus's verbs of
# doing, 完成 (carry out, complete: "能够独立完成进出口单证的缮制") and 撰写 (write) are R as
# "carry out" and "write" are; 沟通 and 制作 are left out, as often a line's subject
# (沟通技巧, 制作工艺) as its verb.
#
# English verbs are matched on their start ("analys" matches analyse, analysis,
# analysing; analyze is listed apart), so each entry is a stem, followed by at most a short
# ending; "use" only as use, uses, used, using (not "user", "useful").
BLOOM = {
    "I": {
        "en": """define describ identif name recall recogni outline explain
            understand summari classif interpret know aware introduc illustrat
            discuss""",
        "zh": "了解 认识 知道 识记 描述 说明 识别 列举 概述 解释 认知",
    },
    "R": {
        "en": """apply appli use using implement operat practi perform execut solv analys
            analyz compar calculat conduct examin demonstrat prepar manag organi carry
            negotiat communicat present produc draft
            administer provid undertak educat prioriti familiar
            writ configur deploy debug""",
        "zh": """理解 领会 熟悉 应用 运用 使用 操作 实施 实践 分析 比较 计算 处理 执行 掌握运用
            开展 编制 编写 调试 完成 撰写""",
    },
    "M": {
        "en": """evaluat assess critiqu judg justif design develop creat construct build
            formulat plan propos synthesi integrat optimi lead master innovat architect
            devis reflect coordinat supervis monitor proficien""",
        "zh": "评价 评估 设计 开发 创建 构建 制定 规划 创新 整合 优化 精通 掌握 策划 领导",
    },
}

# Stems read only in these forms, as other words start with them: "use" (not "user",
# "useful"), "produce" (not "product", "production", "productive"), "draft" (not "draftsman").
_ONLY_FORMS = {
    "use": frozenset({"", "s", "d"}),
    "produc": frozenset({"e", "es", "ed", "ing"}),
    "draft": frozenset({"", "s", "ed", "ing"}),
    # Not "priorities", "supervisory", "educational", "providence", "monitors" (the devices).
    "prioriti": frozenset({"se", "ses", "sed", "sing", "ze", "zes", "zed", "zing"}),
    "supervis": frozenset({"e", "es", "ed", "ing", "ion"}),
    "educat": frozenset({"e", "es", "ed", "ing", "ion"}),
    "provid": frozenset({"e", "es", "ed", "ing"}),
    "undertak": frozenset({"e", "es", "en", "ing"}),
    "administer": frozenset({"", "s", "ed", "ing"}),
    "monitor": frozenset({"", "ed", "ing"}),
    # Not "writer" (a person), "configurable", "debugger" (a tool).
    "writ": frozenset({"e", "es", "ing", "ten"}),
    "configur": frozenset({"e", "es", "ed", "ing"}),
    "deploy": frozenset({"", "s", "ed", "ing"}),
    "debug": frozenset({"", "s", "ged", "ging"}),
    # Not "introductory", a degree (or a course's kind: "Introductory programming").
    "introduc": frozenset({"e", "es", "ed", "ing", "tion", "tions"}),
    # "Proficient in", "proficiency with": the English of 精通 (M), as "familiar with" is of 熟悉
    # (R); not "proficiently", a degree (see _names_no_doing for "proficient use").
    "proficien": frozenset({"t", "cy"}),
}
# Who does it, not doing it: "developer", "designer", "manager", "planner", "operator",
# "analyst" name a person (a job advert's title, most often), not a Bloom verb. A plural of a
# gerund names things made, not the making: "buildings", "drawings", "findings"; so does "plant".
_AGENT_ENDINGS = frozenset({"er", "ers", "or", "ors", "ner", "ners", "ings", "t", "ts"})


def _ending_ok(stem: str, ending: str) -> bool:
    forms = _ONLY_FORMS.get(stem)
    if forms is not None:
        return ending in forms
    return len(ending) <= 5 and ending not in _AGENT_ENDINGS


def _table() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    english, chinese = [], []
    for level, words in BLOOM.items():
        english += [(stem, level) for stem in words["en"].split()]
        chinese += [(word, level) for word in words["zh"].split()]
    # Longest first, so "掌握运用" is read before "掌握".
    chinese.sort(key=lambda pair: -len(pair[0]))
    return english, chinese


_ENGLISH, _CHINESE = _table()
_EN_WORD = re.compile(r"[a-z]+")
# A degree before a Chinese verb moves it a tier (see the module's docstring).
_DEGREE = {"初步": -1, "一般": -1, "基本": -1, "熟练": 1, "深入": 1, "灵活": 1, "独立": 1}
_LEVELS = ("I", "R", "M")
# One pass over a line: longest Chinese verbs first, so "掌握运用" is read before "掌握"; a
# degree, perhaps with 地, is part of the verb it qualifies.
_CHINESE_RE = re.compile(
    "(?:(?P<degree>" + "|".join(_DEGREE) + ")地?)?"
    "(?P<verb>" + "|".join(re.escape(word) for word, _level in _CHINESE) + ")"
)
_CHINESE_LEVEL = dict(_CHINESE)


def _moved(level: str, step: int) -> str:
    """`level` moved `step` tiers, within I to M."""
    return _LEVELS[min(max(_LEVELS.index(level) + step, 0), len(_LEVELS) - 1)]


def _chinese_level(match: re.Match) -> str:
    """The level of a _CHINESE_RE match: its verb's, moved a tier by its degree."""
    level = _CHINESE_LEVEL[match["verb"]]
    return _moved(level, _DEGREE[match["degree"]]) if match["degree"] else level


# A Chinese verb compounded with a noun after it names a thing, not a doing: 设计模式 (design
# patterns), 设计方法, 应用场景, 分析报告; in a job advert, a person, a team or an experience
# (分析师, 开发工程师, 设计团队, 开发经验), as "design team" is in English. The noun is jieba's
# word after the verb, or the rest of the word jieba keeps whole with it (设计模式, 分析方法,
# 理解能力). A verb of knowing or using takes such a noun as its object (掌握方法, 运用工具),
# unless jieba keeps the two as one word; any other noun is an object (设计数据库).
_NOMINAL_HEADS = frozenset(
    ("模式", "方法", "场景", "报告", "原则", "原理", "思想", "思维", "思路", "理念", "指标",
     "体系", "标准", "规范", "能力", "制度", "工具",
     # A job advert's person, team or experience: 分析师, 开发工程师, 设计团队, 开发经验.
     "师", "工程师", "人员", "团队", "部门", "经理", "经验",
     # A post's holder, as 经理 is: 设计总监, 开发主管, 数据分析专员, 开发组长.
     "总监", "主管", "负责人", "专员", "组长", "助理", "顾问")
)  # fmt: skip
_KNOWING_OR_USING = frozenset(
    ("了解", "认识", "知道", "识记", "领会", "理解", "熟悉", "掌握", "精通", "掌握运用", "运用",
     "使用")
)  # fmt: skip


def _names_a_thing(read: str, verb: str, start: int, end: int) -> bool:
    """Whether the Chinese verb `verb` at read[start:end] (Simplified) is part of a noun."""
    ends = chinese_word_ends(read)
    whole = ends.get(start)
    if whole is not None and whole > end:
        return read[end:whole] in _NOMINAL_HEADS
    after = ends.get(end)
    return after is not None and read[end:after] in _NOMINAL_HEADS and verb not in _KNOWING_OR_USING


# A degree moves an English verb a tier as 初步 and 熟练 move a Chinese one: "a basic
# understanding of", "introductory", "preliminary" one down; "thoroughly", "in depth",
# "independently", "proficiently", "flexibly" one up. It stands before the verb or the noun made
# from it ("a thorough knowledge of", "independently design"), or, in an outcome's leading
# clause, after the verb's object ("understand networks in depth"). Not "general", which names
# a field as often ("general practice", "general surgery").
_ENGLISH_DEGREE = {
    **dict.fromkeys(("basic", "introductory", "elementary", "preliminary"), -1),
    **dict.fromkeys(
        (
            "thorough", "thoroughly", "deep", "deeply", "in depth", "independent",
            "independently", "proficient", "proficiently", "skilful", "skilfully", "skillful",
            "skillfully", "fluent", "fluently", "flexible", "flexibly",
        ),
        1,
    ),
}  # fmt: skip
_DEGREE_WORDS = "|".join(sorted(_ENGLISH_DEGREE, key=len, reverse=True)).replace(" ", r"[\s-]+")
_DEGREE_BEFORE = re.compile(rf"(?<![a-z-])(?:{_DEGREE_WORDS})\s+$", re.IGNORECASE)
# After the object only an adverb or "in depth" ("understand networks in depth", "apply the
# tools proficiently"), not an adjective ("explain deep learning").
_DEGREE_AFTER = re.compile(r"(?<![a-z-])(?:in[\s-]+depth|[a-z]+ly)(?![a-z-])", re.IGNORECASE)


def _english_degree(words: str) -> int:
    """How many tiers an English degree word or phrase moves a verb (0: none)."""
    return _ENGLISH_DEGREE.get(" ".join(re.split(r"[\s-]+", words.lower())), 0)


def _degree_before(text: str, at: int) -> re.Match | None:
    """A degree word right before `at` ("thoroughly master", "a basic understanding")."""
    return _DEGREE_BEFORE.search(text, max(0, at - 20), at)


@lru_cache(maxsize=65536)
def english_level(word: str) -> str | None:
    """The Bloom level of a lowercase English word, or None when it is no Bloom verb."""
    for stem, level in _ENGLISH:
        if word.startswith(stem) and _ending_ok(stem, word[len(stem) :]):
            return level
    return None


# A curriculum compound names a kind of course: the 设计 of 课程设计 or the 认识 of 认识实习
# is no verb of the line, nor the "practical" of practical training (ENGLISH_COMPOUND_RE).
_COMPOUND_RE = re.compile("|".join(sorted(CURRICULUM_COMPOUNDS, key=len, reverse=True)))


# Words that may follow a noun made from a verb when it names the doing: "analysis of",
# "familiarity with", "evaluation and ...". Any other word after it is a noun it qualifies.
_AFTER_THE_DOING_WORDS = """of for with in on to and or at by from into onto through using as via
    within under between about against per than is are was be the a an"""
_AFTER_THE_DOING = frozenset(_AFTER_THE_DOING_WORDS.split())
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")


# "Master" names an academic degree in a job advert or a programme's text ("Master's degree",
# "a Masters in Data Science", "Master of Science", "Bachelor or Master degree"), not the doing.
_DEGREE_AFTER_MASTER = re.compile(
    r"(?:['’]s|s['’]?)?\s+(?:(?:degrees?|diplomas?|programmes?|programs?|level|students?|"  # noqa: RUF001
    r"thes[ie]s|candidates?|graduates?|holders?|or\s+(?:phd|doctor))\b|of\s+[a-z])"
    r"|(?:s|['’]s)\s+in\b",  # noqa: RUF001
    re.IGNORECASE,
)
_DEGREE_BEFORE_MASTER = re.compile(
    r"(?:\b(?:a|an|the|his|her|their|our|your|its)|bachelor(?:['’]?s)?\s*(?:/|or|and|,))\s*$",  # noqa: RUF001
    re.IGNORECASE,
)


def _names_a_degree(lowered: str, start: int, end: int) -> bool:
    """Whether the word "master(s)" at lowered[start:end] names a degree or a person, not the
    verb: with a degree's word after it, or an article or "bachelor or" before it."""
    if not lowered[start:end].startswith("master"):
        return False
    word_end = start + len("master")
    return bool(
        _DEGREE_AFTER_MASTER.match(lowered, word_end)
        or _DEGREE_BEFORE_MASTER.search(lowered, max(0, start - 16), start)
    )


def _qualifies_a_noun(lowered: str, word: re.Match) -> bool:
    """Whether `word`, a noun made from a verb, stands before another noun, naming a topic
    ("construction drawings", "management accounting", "evaluation criteria"), not the doing
    ("construction of", "structural analysis")."""
    if not word.group().endswith(_NOUN_ENDINGS):
        return False
    following = _NEXT_WORD.match(lowered, word.end())
    return following is not None and following.group(1) not in _AFTER_THE_DOING


# A job advert names people, teams and what they have with Bloom's words. Before a word naming
# a person, a team or what one brings ("design team", "Design Engineer", "design experience",
# "communication and teamwork skills"), a Bloom word says which, as "development team" does;
# across a title's capitalised words too ("Lead Software Engineer"), before a person only. A
# Bloom word that is also a person ("architect", "lead") after a noun or an adjective, with no
# object after it, is that person: a job title's head ("System Architect", "Technical Lead",
# "team lead"); after a word a verb follows ("to", "will", "and", "we") it is the verb.
# Plural persons are left out ("manage developers", "lead engineers" are doings).
_PERSONS = frozenset(
    ("engineer", "developer", "designer", "architect", "analyst", "manager", "lead", "specialist",
     "consultant", "scientist", "programmer", "administrator", "officer", "director", "assistant",
     "intern", "technician", "coordinator", "tester")
)  # fmt: skip
_WHO_OR_WHAT = _PERSONS | frozenset(
    ("team", "department", "experience", "skills", "skill", "background", "expertise")
)
_PERSON_VERBS = frozenset({"architect", "architects", "lead", "leads", "master", "masters"})
_NOUN_TOO = frozenset({"design", "plan", "draft"})
_BEFORE_A_VERB = frozenset(
    ("to", "will", "shall", "can", "could", "must", "should", "may", "might", "would", "and", "or",
     "also", "then", "please", "help", "we", "you", "i", "they", "he", "she", "who", "not")
)  # fmt: skip
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z][A-Za-z&-]*)")
_WORD_BEFORE = re.compile(r"([a-z][a-z&-]*)[ \t]+$")
# After a noun phrase, no object: a preposition, a conjunction, or what an advert says of the
# person it names ("Certified Scrum Master preferred", "Tech Lead required").
_OBJECTLESS = frozenset(
    ("for", "at", "in", "of", "with", "on", "and", "or", "preferred", "required", "desired",
     "desirable", "is", "are")
)  # fmt: skip
# After a determiner a word is a noun: "the architect designs", "our lead".
_DETERMINERS = frozenset(
    ("the", "a", "an", "our", "your", "their", "its", "this", "my", "his", "her")
)
# What experience is in is a field ("experience in Java development", "background in system
# design"), as in "Java development experience"; a gerund after it is a doing ("experience
# designing", "experience in designing").
_FIELD_OF = re.compile(r"\b(?:experience|background|expertise)\s+(?:in|with|of)\b[^.;:!?]*$")
# So is what a post's holder is head of, in the post's name as a title writes it ("Head of
# Product Design", "Director of Software Development"); lowercase "director of museum" may be
# followed by a verb (a list of labels).
_POST_OF = re.compile(r"\b(?:Head|Director|VP|Vice President)\s+of\b[^.;:!?,]*$")
_ARE_DEGREES = ("in", "with", "at")


# What one has, named with a Bloom word: "design skills", "planning experience".
_HAD = frozenset(("skills", "skill", "experience", "background", "expertise"))
# After these a word is a verb, not a noun's modifier: "to plan", "we lead", "are written".
_BEFORE_A_VERB_OR_PARTICIPLE = _BEFORE_A_VERB | frozenset(
    ("be", "is", "are", "was", "were", "been", "being", "am", "has", "have", "had", "having",
     "get", "gets", "got")
)  # fmt: skip


def _modifies(before: str) -> bool:
    """Whether a word after `before` may modify a noun (an adjective's or a noun's place):
    not after a word a verb follows, nor after an adverb ("thoroughly master")."""
    return before not in _BEFORE_A_VERB_OR_PARTICIPLE and not before.endswith("ly")


def _describes_a_noun(line: str, start: int, end: int) -> bool:
    """Whether the Bloom word at line[start:end], a past participle, is an adjective: before a
    noun ("written reports", "applied statistics", "highly developed skills") or joined to an
    adjective before one ("written and verbal communication"), after a word it may modify a
    noun after, or in a compound ("well-written"). At a line's start ("Designed and built the
    platform"), after a verb's word ("are written", "we designed") or before a preposition or
    an article ("reports written in English") it is the verb."""
    lowered = line.lower()
    if not lowered.endswith(("ed", "en"), start, end):
        return False
    if not (start and lowered[start - 1] == "-"):
        # An adverb may qualify an adjective too: "highly developed skills".
        before = _WORD_BEFORE.search(lowered, max(0, start - 30), start)
        if before is None or before.group(1) in _BEFORE_A_VERB_OR_PARTICIPLE:
            return False
    after = _NEXT_WORD.match(lowered, end)
    if after is None:
        return False
    if after.group(1) in ("and", "or"):
        joined = _NEXT_WORD.match(lowered, after.end())
        return bool(
            joined
            and joined.group(1) not in _STARTS_NO_NOUN
            and english_level(joined.group(1)) is None
            and _before_a_noun(lowered, joined)
        )
    return _before_a_noun(lowered, after, is_next=True)


# Words that start no noun: prepositions and adverbs a participle's clause goes on with
# ("processes used during production", "tasks performed throughout the firm", "planned
# beforehand", "languages used today"), and determiners: "civilisations used their land" is a
# verb and its object.
_STARTS_NO_NOUN_WORDS = """during throughout before after prior across over without upon among
    around along beyond inside outside including according today beforehand outdoors together
    only also here there when where which who that so since until while if not"""
_STARTS_NO_NOUN = _AFTER_THE_DOING | _DETERMINERS | frozenset(_STARTS_NO_NOUN_WORDS.split())


def _before_a_noun(lowered: str, word: re.Match, *, is_next: bool = False) -> bool:
    """Whether a noun follows the word matched by `word` (or, `is_next`, is that word)."""
    following = word if is_next else _NEXT_WORD.match(lowered, word.end())
    return following is not None and following.group(1) not in _STARTS_NO_NOUN


def _heads(line: str, at: int) -> bool:
    """Whether the word ending at `at` ends its noun phrase: no word after it but one of
    _OBJECTLESS ("Design Engineer (Hardware)", "Technical Lead for payments"), not "developer
    tools", "architect scalable systems"."""
    following = _WORD_AFTER.match(line, at)
    return following is None or following.group(1).lower() in _OBJECTLESS


def _names_who_or_what(line: str, start: int, end: int) -> bool:
    """Whether the Bloom word at line[start:end] is a person, or says which person, team or
    experience, or (a noun made from a verb) names the field an experience is in, not a
    doing; "proficient" not before "in", "with" or "at" is a degree (see _ONLY_FORMS)."""
    lowered = line.lower()
    word = lowered[start:end]
    after = _WORD_AFTER.match(line, end)
    following = after.group(1).lower() if after else None
    if word.startswith("proficien"):
        return following not in _ARE_DEGREES
    if following in _PERSONS and _heads(line, after.end()):
        return True
    # Before a team or what one has, only a word that is a noun too: "design team" and "design
    # skills" name them, "develop skills" and "lead team meetings" are doings.
    nominal = word in _NOUN_TOO or word.endswith(_NOUN_ENDINGS)
    if nominal and following in _WHO_OR_WHAT:
        return True
    before = _WORD_BEFORE.search(lowered, max(0, start - 30), start)
    if following in ("and", "or", "&"):
        joined = _WORD_AFTER.match(line, after.end())
        then = joined and _WORD_AFTER.match(line, joined.end())
        then = then.group(1).lower() if then else None
        if nominal and then in _WHO_OR_WHAT:
            return True
        # A gerund joined to a noun before what one has is a noun as that one is: "planning and
        # design skills", "writing and communication skills"; "developing and leading teams"
        # is a doing.
        if word.endswith("ing") and then in _HAD and not joined.group(1).lower().endswith("ing"):
            return True
    # A gerund before what one has, after an adjective or a determiner, names it: "strong
    # planning skills", "excellent writing skills"; "to develop skills", "developing skills in"
    # at a line's start are doings.
    if (
        word.endswith("ing")
        and following in _HAD
        and before
        and _modifies(before.group(1))
        and before.group(1) not in _HAD  # "experience developing skills assessments"
    ):
        return True
    if line[start].isupper():  # a title: "Lead Software Engineer", "Lead Data Analyst"
        words = after
        for _ in range(3):
            if not words or not words.group(1)[0].isupper():
                break
            if words.group(1).lower() in _PERSONS and _heads(line, words.end()):
                return True
            words = _WORD_AFTER.match(line, words.end())
    if (
        word in _PERSON_VERBS
        and before
        and (before.group(1) in _DETERMINERS or (_modifies(before.group(1)) and _heads(line, end)))
    ):
        return True
    return not word.endswith("ing") and bool(
        _FIELD_OF.search(lowered, 0, start) or _POST_OF.search(line, 0, start)
    )


# After 的 a verb heads a noun phrase: 设计模式的应用 (the application of design patterns),
# 数据库的设计; so does one joined to it by 与, 和, 及 or 、 (算法的设计与分析). Not after a
# degree or an adverb, where syllabi often write 的 for 地 (熟练的应用, 全面的了解): a verb.
_NOUN_JOIN = frozenset("与和及、")
# Nor is it after a duty's verb in its clause, 负责, 从事, 参与, 主导, 承担 (responsible for,
# engaged in, taking part in, leading, undertaking): 负责产品的规划与设计 says what the holder
# does, as "Responsible for the planning and design of products" does.
_DUTY = re.compile("负责|从事|参与|主导|承担")
_CLAUSE_START = re.compile("[，,；;。：:！？]")  # noqa: RUF001


# 系统 is a noun (a system) as often as an adverb (systematically, 系统地). Before 的 and a
# verb of knowing it is the adverb, 的 written for 地 (系统的掌握, 系统的了解): a system knows
# nothing. Before 的 and any other verb it is the noun, what the verb is done to: 系统的设计与实现
# (the design and implementation of a system), as 数据库的设计 is.
_NOUN_TOO_ZH = ("系统",)
_KNOWING = _KNOWING_OR_USING - {"运用", "使用", "掌握运用"}


def _heads_a_noun_phrase(read: str, start: int, nominal_end: int | None, verb: str) -> bool:
    """Whether the Chinese verb `verb` starting at read[start] follows 的 as a noun phrase's
    head, or is joined by 与/和/及 to one ending at `nominal_end`."""
    if start and read[start - 1] in _NOUN_JOIN and nominal_end == start - 1:
        return True
    if not start or read[start - 1] != "的":
        return False
    before = read[: start - 1]
    if _DUTY.search(_CLAUSE_START.split(before)[-1]):
        return False
    if before.endswith(_NOUN_TOO_ZH):
        return verb not in _KNOWING
    return not before.endswith((*_DEGREE, *_CHINESE_ADVERBS))


# How much of a line (bloom_verbs) or of a clause (leading_verb, subject_text) is read: an
# outcome, a requirement or a sentence of a description is far shorter (the ESCO pool's longest
# line is 1,512 characters), and reading a verb's context is linear in the text before it, so a
# description pasted as one line of a megabyte took minutes a course (its twenty suggestions'
# levels), a worker's whole time.
READ_CHARS = 2000


@lru_cache(maxsize=8192)
def bloom_verbs(line: str) -> tuple[tuple[str, str], ...]:
    """The Bloom verbs of one line as (verb as written, level), in order of appearance.
    Traditional Chinese is read as Simplified (應用 is 应用) and quoted as written. Only the
    line's first READ_CHARS characters are read."""
    line = line[:READ_CHARS]
    found: list[tuple[int, str, str]] = []
    lowered = line.lower()
    compounds = [m.span() for m in ENGLISH_COMPOUND_RE.finditer(lowered)]
    for match in _EN_WORD.finditer(lowered):
        level = english_level(match.group())
        if (
            level
            and not any(s <= match.start() < e for s, e in compounds)
            and not _qualifies_a_noun(lowered, match)
            and not _names_a_degree(lowered, match.start(), match.end())
            and not _names_who_or_what(line, match.start(), match.end())
            and not _describes_a_noun(line, match.start(), match.end())
        ):
            degree = _degree_before(lowered, match.start())
            if degree:
                level = _moved(level, _english_degree(degree.group().strip()))
            start = degree.start() if degree else match.start()
            found.append((start, lowered[start : match.end()], level))
    read = simplified(line)  # of the same length: a match's span is its place in `line`
    compounds = [m.span() for m in _COMPOUND_RE.finditer(read)]
    nominal_end = None
    for match in _CHINESE_RE.finditer(read):
        verb = match["verb"]
        if _heads_a_noun_phrase(read, match.start(), nominal_end, verb):
            nominal_end = match.end()
            continue
        if not any(s <= match.start("verb") < e for s, e in compounds) and not _names_a_thing(
            read, verb, match.start("verb"), match.end()
        ):
            found.append((match.start(), line[match.start() : match.end()], _chinese_level(match)))
    return tuple((word, level) for _pos, word, level in sorted(found))


# --- The template and the leading verb -------------------------------------------------------

# Where an outcome starts again within a field: a line, a semicolon, a sentence's end (not the
# full stop of a number: "1. Identify").
_CLAUSE_END = re.compile(r"\n|[;；。！？]|(?<![0-9])[.!?](?=\s|$)")  # noqa: RUF001

# A bullet or a number before an outcome: "-", "1.", "(2)", "①", "a)", and full-width ones
# ("1）", "（2）", "⑴", "⒉"); an item's number under its part ("1.1 ", "2.3"); a Chinese  # noqa: RUF003
# numeral as syllabi number their parts ("一、", "（一）").  # noqa: RUF003
_BULLET = (
    r"(?:[-*•·●▪>]+|\d{1,2}(?:[.．]\d{1,2}){1,2}[.．]?(?=\s|[\u4e00-\u9fff])"  # noqa: RUF001
    r"|\(?\d{1,2}[.)、．）](?=\s|[\u4e00-\u9fff])|[（(]\d{1,2}[）)]|[①-⑳⑴-⒇⒈-⒛]"  # noqa: RUF001
    r"|\(?[a-h][.)](?=\s)"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．](?=\s|[\u4e00-\u9fff]))"  # noqa: RUF001
)
# The label a syllabus numbers an outcome with, closed by its punctuation: "课程目标1：",  # noqa: RUF003
# "目标2:", an engineering-accreditation syllabus's "课程目标1（支撑毕业要求2.1）：", "CO1:",  # noqa: RUF003
# "LO2.", "ILO 3:". Its words are every syllabus's heading (课程, 目标), or the graduation
# requirement it serves, not what the outcome is about; without the punctuation it is a word
# of the line ("CO2 emissions", "目标市场").
_LABEL = (
    r"(?:(?:课程|教学|学习)?目标|(?:[cips]?lo|co)\s?)\d{1,2}(?:\.\d{1,2})?\s*"
    r"(?:[（(][^（()）]{0,40}[）)]\s*)?[:：.．、)）](?=\s|[\u4e00-\u9fff]|$)"  # noqa: RUF001
)
_WHO = r"(?:the\s+)?(?:students?|learners?|participants?|graduates?|trainees?|candidates?|you)"
_ABLE = (
    r"(?:(?:will|shall|should|must|can|could)\s+)?(?:be\s+)?"
    r"(?:able\s+to|expected\s+to|prepared\s+to|have\s+the\s+ability\s+to|"
    r"gain\s+the\s+ability\s+to|learn\s+(?:how\s+)?to)"
    r"|will|shall|should|must|can|could|are\s+able\s+to"
)
# "Demonstrate an understanding of": the depth is the noun's (understanding, I), not the verb's.
_SHOWS = (
    r"(?:demonstrate|show|display|have|gain|acquire|develop|possess)s?\s+"
    r"(?:(?:a|an|the)\s+)?(?:[a-z-]+\s+)?"
    r"(?=(?:understanding|knowledge|awareness|familiarity|appreciation)\b)"
    r"|(?:(?:demonstrate|show)s?\s+(?:(?:a|an|the)\s+)?|an\s+)?ability\s+to\s+"
)
_ENGLISH_TEMPLATE = re.compile(
    rf"\s*(?:{_BULLET}\s*)?(?:{_LABEL}\s*)?"
    # "On completion of this course, ...", "By the end of the module: ..."
    r"(?:(?:(?:upon|on|after)\s+(?:the\s+)?(?:successful\s+)?(?:completion|completing)"
    r"|(?:by|at)\s+the\s+end)\b[^,:，：]{0,80}[,:，：]\s*)?"  # noqa: RUF001
    rf"(?:{_WHO}\s+(?:{_ABLE})\s*[:：]?\s*)?"  # noqa: RUF001
    r"(?:(?:be\s+)?(?:able|expected)\s+to\s+)?(?:be\s+)?"
    rf"(?:{_SHOWS})?",
    re.IGNORECASE,
)
_CHINESE_TEMPLATE = re.compile(
    rf"\s*(?:{_BULLET}\s*)?(?:{_LABEL}\s*)?"
    # "通过本课程的学习，", "完成本课程学习后，", "学完本课程，": 完成 here is no verb of doing.  # noqa: RUF003
    r"(?:(?:通过|完成|学完|修完)(?:本|该|这门|此)?(?:课程|门课|学习)[^，,：:]{0,30}[，,：:]\s*)?"  # noqa: RUF001
    # Single characters only after "学生": 能 starts 能源, 会 starts 会计.
    r"(?:(?:学生|学员|同学们?)(?:应该?|将|须|需|要)?(?:能够|能|可以|会)?"
    r"|(?:应该?|将|须)?(?:能够|可以)|应能|将能)?"
    r"(?:[:：]\s*)?"  # noqa: RUF001
)
# An adverb before a verb: "critically evaluate", "熟练掌握".
_ENGLISH_ADVERB = re.compile(r"[a-z]+ly\s+", re.IGNORECASE)
# (A degree that moves a verb's tier, 熟练, 初步, is part of the verb: _DEGREE.)
_CHINESE_ADVERBS = ("全面", "系统", "正确", "较好", "充分", "准确", "进一步", "综合")
_CHINESE_ADVERB = re.compile("(?:" + "|".join(_CHINESE_ADVERBS) + ")地?")
_ENGLISH_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)?|and/or|and|or|&)\s+", re.IGNORECASE)
_CHINESE_JOIN = re.compile(r"以及|并且|[并和与及、，,]")  # noqa: RUF001
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# A noun made from a verb names a topic when it starts a line ("Management accounting",
# "Performance analysis"), not what students do.
_NOUN_ENDINGS = ("ment", "ments", "ion", "ions", "ance", "ances", "ence", "ive", "ives", "ure")


class Lead(NamedTuple):
    """A clause's leading Bloom verb as written, its level, and where the subject starts."""

    verb: str
    level: str
    end: int


def _english_verb(text: str, at: int) -> tuple[str, str, int] | None:
    """(verb, level, its end) for an English Bloom verb at `at`, with a degree word right before
    it ("thoroughly master", "a basic understanding"): the verb is then quoted with it."""
    m = _LATIN_WORD.match(text, at)
    if not m:
        return None
    word = m.group().lower()
    level = english_level(word)
    if level is None or (word.endswith(_NOUN_ENDINGS) and "understand" not in word):
        return None
    if at and text[at - 1].isalnum():
        return None
    if english_compound(text, at):  # "Practical training in ..."
        return None
    if _names_a_degree(text.lower(), at, m.end()):  # "Master's degree in ..."
        return None
    if _names_who_or_what(text, at, m.end()):  # "Architect", "Design Engineer", "design team"
        return None
    if _describes_a_noun(text, at, m.end()):  # "applied statistics"
        return None
    degree = _degree_before(text, at)
    if degree:
        words = " ".join(degree.group().lower().split())
        return f"{words} {word}", _moved(level, _english_degree(words)), m.end()
    return word, level, m.end()


def _chinese_verb(text: str, at: int, *, level: bool = False) -> tuple[str, str, int] | None:
    m = _CHINESE_RE.match(text, at)
    if not m or _COMPOUND_RE.match(text, m.start("verb")):
        return None
    if level and _names_a_thing(text, m["verb"], m.start("verb"), m.end()):
        return None
    return m.group(), _chinese_level(m), m.end()


def _verb_at(text: str, at: int, *, level: bool = False) -> tuple[str, str, int] | None:
    """(verb as written, level, its end) for a Bloom verb starting at `at`, perhaps after an
    adverb ("critically evaluate", "熟练掌握"). Read for its `level` (as for what is matched), a
    Chinese verb that is part of a noun (设计模式) is none."""
    found = _english_verb(text, at) or _chinese_verb(text, at, level=level)
    if found is None:
        adverb = _ENGLISH_ADVERB.match(text, at) or _CHINESE_ADVERB.match(text, at)
        if adverb:
            found = _english_verb(text, adverb.end()) or _chinese_verb(
                text, adverb.end(), level=level
            )
    return found


def _run(text: str, at: int, *, level: bool = False) -> tuple[list[tuple[str, str, int]], int]:
    """The run of Bloom verbs starting at `at` ("identify, describe and explain", "了解并掌握"):
    each as (verb, level, where it starts), and where the run ends; ([], at) when no verb starts
    there. Read for its `level`, see _verb_at."""
    found = _verb_at(text, at, level=level)
    verbs: list[tuple[str, str, int]] = []
    end = at
    while found is not None:
        verbs.append((found[0], found[1], found[2] - len(found[0])))
        end = found[2]
        join = _ENGLISH_JOIN.match(text, end) or _CHINESE_JOIN.match(text, end)
        found = _verb_at(text, join.end(), level=level) if join else None
    return verbs, end


# After a verb's object, what joins another verb to it ("了解X并掌握Y", a Chinese comma, "identify
# risks and design controls"), or starts a clause under it ("以了解", "如何", "to design", "how"),
# whose verbs ask nothing of their own up to the next comma.
_AFTER_OBJECT = re.compile(
    r"(?P<join>(?P<comma>[，,]\s*)?(?:(?:并且|并|而且|同时)(?:能够|能|会|可以)?|"  # noqa: RUF001
    r"(?<![a-z])(?:and|as\s+well\s+as)\s+(?:to\s+)?)"
    r"|[，,]\s*(?:能够|能|会|可以)?(?=[\u4e00-\u9fff]))"  # noqa: RUF001
    r"|(?P<under>如何|怎样|怎么|为什么|以便|以(?!及|上|下|外|前|后|内)|从而|用于|用来|为了|"
    r"(?<![a-z])(?:how|why|what|which|who|whom|whose|when|where|whether|that|so|because|"
    r"while|if|in\s+order|such\s+as)(?![a-z])"
    r"|(?<![a-z])to\s+(?=[a-z]))",
    re.IGNORECASE,
)
# An English verb joined after its object is in the form the outcome's verbs take ("design",
# "analyse", "identify"), not a noun's or a gerund's ("design of", "planning processes").
_BASE_ENDINGS = frozenset({"", "e", "y", "se", "ze"})
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
# "to" opens a clause of purpose before a verb: a Bloom verb ("to design") or another verb
# outcomes write there ("to test and evaluate designs"); not before a noun ("to data", "to the
# design of"). After a verb that takes a thing to a place ("apply theory to practice"),
# "practice" is the place, a noun (British English spells the verb "practise"), and a verb after
# it is the outcome's own: "Apply theory to practice and design interventions" asks to design.
_VERBS_AFTER_TO = frozenset(
    ("test", "improve", "support", "ensure", "promote", "inform", "address")
)
_TAKES_TO_A_PLACE = ("appl", "relat", "link", "transfer", "translat", "adapt", "connect")
_PLACES = frozenset({"practice"})


def _opens_a_purpose(text: str, to: re.Match, outer: str) -> bool:
    """Whether the "to" of `to` opens a clause of purpose, after the verb `outer`."""
    word = _LATIN_WORD.match(text, to.end())
    if word is None:
        return False
    word = word.group().lower()
    if word in _PLACES and outer.split()[-1].startswith(_TAKES_TO_A_PLACE):
        return False
    return bool(english_level(word)) or word in _VERBS_AFTER_TO


def _joined_after_object(text: str, at: int, outer: str) -> list[tuple[str, str, int]]:
    """The verbs joined to an outcome's leading run after their objects, from `at` (the run's
    end) to the clause's end, each as (verb, level, where it starts). `outer` is the run's last
    verb."""
    verbs: list[tuple[str, str, int]] = []
    under = False
    mark = _AFTER_OBJECT.search(text, at)
    while mark:
        following: list[tuple[str, str, int]] = []
        end = mark.end()
        if mark["under"]:
            if not mark["under"].lower().startswith("to") or _opens_a_purpose(text, mark, outer):
                under = True
        else:
            if mark["comma"] is not None or mark.group().startswith(("，", ",")):  # noqa: RUF001
                under = False
            if not under:
                following, end = _run(text, end, level=True)
                following = [v for v in following if _may_follow_an_object(text, v)]
                end = max(end, mark.end())
                if following:
                    outer = following[-1][0]
        verbs += following
        mark = _AFTER_OBJECT.search(text, max(end, mark.end()))
    return verbs


def _may_follow_an_object(text: str, verb: tuple[str, str, int]) -> bool:
    word, _level, start = verb
    if not word.isascii():
        return True
    start += len(word)
    word = word.split()[-1]  # "independently design": the verb's form is "design"'s
    start -= len(word)
    for stem, _ in _ENGLISH:
        if word.startswith(stem) and _ending_ok(stem, word[len(stem) :]):
            ending = word[len(stem) :]
            break
    else:
        return False
    return ending in _BASE_ENDINGS and not _OF.match(text, start + len(word))


_RANK = {level: rank for rank, level in enumerate(_LEVELS)}


def _leading(text: str, at: int) -> tuple[str, str, int, int] | None:
    """The verb that decides a clause whose outcome starts at `at`: the highest of its leading
    run ("了解并掌握", "describe and design") and the verbs joined to it after their objects
    ("了解X并掌握Y"), the first of them on a tie. (that verb, its level, where the leading
    run ends, where that verb starts), or None when no verb starts the outcome."""
    verbs, end = _run(text, at, level=True)
    if not verbs:
        return None
    verbs += _joined_after_object(text, end, verbs[-1][0])
    verbs = [_with_degree_after(text, verbs, i) for i in range(len(verbs))]
    verb, level, start = max(verbs, key=lambda v: _RANK[v[1]])  # the first of the highest
    return verb, level, end, start


def _with_degree_after(
    text: str, verbs: list[tuple[str, str, int]], i: int
) -> tuple[str, str, int]:
    """verbs[i], moved by an English degree after its object ("understand networks in depth",
    "apply the tools proficiently") and quoted with it ("understand … in depth"): a degree
    before the next verb, and before anything that joins another verb or opens a clause."""
    word, level, start = verbs[i]
    if not word.isascii() or _english_degree(word.split()[0]):
        return verbs[i]
    end = start + len(word)
    stop = verbs[i + 1][2] if i + 1 < len(verbs) else len(text)
    mark = _AFTER_OBJECT.search(text, end, stop)
    stop = mark.start() if mark else stop
    for degree in _DEGREE_AFTER.finditer(text, end, stop):
        step = _english_degree(degree.group())
        if step:
            words = " ".join(degree.group().lower().replace("-", " ").split())
            return f"{word} … {words}", _moved(level, step), start
    return verbs[i]


def _template_end(clause: str) -> int:
    """Where the template that opens an outcome clause ends (0 when there is none)."""
    english = _ENGLISH_TEMPLATE.match(clause)
    at = english.end() if english else 0
    chinese = _CHINESE_TEMPLATE.match(clause, at)
    return chinese.end() if chinese else at


def _clauses(text: str):
    """(start, end) of each clause of `text`, its end at most READ_CHARS past its start."""
    start = 0
    for brk in _CLAUSE_END.finditer(text):
        yield start, min(brk.start(), start + READ_CHARS)
        start = brk.end()
    yield start, min(len(text), start + READ_CHARS)


@lru_cache(maxsize=8192)
def leading_verb(line: str) -> Lead | None:
    """The Bloom verb a clause of `line` starts with, after any template ("Students will be
    able to", "学生能够"): of the sentences (clauses) that start with one, the highest, the first
    on a tie ("了解网络原理；掌握网络设计" asks to master), each read as a whole outcome. Its
    `end` is where that clause's subject starts. None when no clause starts with a Bloom verb.
    Traditional Chinese is read as Simplified (學生能夠設計 as 学生能够设计), the verb given as
    written (設計)."""  # noqa: RUF002
    read = simplified(line)  # of the same length: every place in it is the place in `line`
    best: Lead | None = None
    for start, end in _clauses(read):
        clause = read[start:end]
        found = _leading(clause, _template_end(clause))
        if found and (best is None or _RANK[found[1]] > _RANK[best.level]):
            verb = found[0]
            if read != line and not verb.isascii():
                at = start + found[3]
                verb = line[at : at + len(verb)]
            best = Lead(verb, found[1], start + found[2])
    return best


def subject_text(text: str) -> str:
    """`text` (outcomes) with each clause's template and leading Bloom verbs blanked: what the
    outcomes are about. Blanked with spaces, so every other character keeps its place (an
    explanation quotes terms at their place in the text as written). Traditional Chinese is
    read as Simplified to find them, and what is left is as written."""
    if not text:
        return text
    out = list(text)
    read = simplified(text)  # of the same length: blanks fall on the same places in `text`
    for start, end in _clauses(read):
        clause = read[start:end]
        cut = _template_end(clause)
        # Read as for the level: the 设计 of 设计模式 is part of what the outcome is about.
        verbs, end = _run(clause, cut, level=True)
        if verbs:
            cut = end
        out[start : start + cut] = " " * cut
    return "".join(out)
