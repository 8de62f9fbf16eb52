# ruff: noqa: RUF001  (Chinese lines take full-width punctuation)
"""A position's requirement level read from its job advert (plain Python, no database): an
advert is not a syllabus, and its titles, teams and years of experience were read as Bloom
verbs ("System Architect" → M, "Data Analyst" → R, "design team" → M, 开发工程师 → M,
3年以上Java开发经验 → M). The lines and their levels, judged before the engine was run on them,
are in job_advert_lines.py."""

import pytest

from suggestions.engine.outcomes import bloom_verbs, leading_verb
from suggestions.levels import propose_requirement_level
from suggestions.tests.job_advert_lines import CHINESE, ENGLISH


@pytest.mark.parametrize(("line", "expected", "term"), ENGLISH + CHINESE)
def test_a_job_advert_line_proposes_the_level_judged_for_it(line, expected, term):
    proposal = propose_requirement_level(lines=[line], matched_terms=[term])
    assert (proposal.code if proposal else None) == expected, proposal


# --- a job title's head noun names a person ---------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Senior E-commerce System Architect",
        "Solution Architect / Technical Lead",
        "Report to the development team lead",
        "Data Analyst, Supply Chain",
        "Business analysts at our Shanghai office",
        "The architect reviews every change",
    ],
)
def test_a_person_named_after_a_noun_is_no_verb(line):
    """Observed: "Senior E-commerce System Architect" proposed M, "architect" read as the verb;
    "Data Analyst" R. "Analyst" always names a person; "architect" and "lead" do after a noun or
    an adjective with no object after them (a job title's head), as "developer" and "manager"
    already did."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("Architect scalable payment systems", "architect"),
        ("You will architect our data platform", "architect"),
        ("Lead a small team of engineers", "lead"),
        ("Design and architect microservices", "architect"),
        ("Plan production in the plant", "plan"),
        ("Develop developer tools", "develop"),
        ("Lead Developer Experience initiatives", "lead"),
    ],
)
def test_architect_and_lead_with_an_object_are_verbs(line, verb):
    assert verb in [v for v, _level in bloom_verbs(line)]


# --- a word before a person, a team or what one has qualifies it ------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Lead Software Engineer (Backend)",
        "Design Engineer (Hardware)",
        "Work closely with the design team to deliver new features",
        "Join our design team in Shanghai",
        "Design experience with Figma",
        "Strong communication and teamwork skills",
        "Design and development experience in fintech",
    ],
)
def test_a_bloom_word_before_a_person_a_team_or_experience_names_them(line):
    """Observed: "Work closely with the design team" and "Design Engineer" proposed M: "design"
    before "team", "engineer", "experience" or "skills" says which team, engineer, experience or
    skills, as "development team" and "communication skills" already did."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Design databases for the team", "M"),
        ("Lead a team of five developers", "M"),
        ("Manage a team of developers", "R"),
        ("Design and develop services with the team", "M"),
        ("Develop skills in team leadership", "M"),
        ("Lead team meetings", "M"),
        ("Writes unit tests for the team", "R"),
    ],
)
def test_a_doing_with_a_team_in_the_line_is_read_as_before(line, code):
    proposal = propose_requirement_level(lines=[line], matched_terms=["team"])
    assert proposal is not None
    assert proposal.code == code


# --- experience in a field names the field ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "3+ years of experience in Java development",
        "Experience with the design and development of web applications",
        "Solid background in software engineering and system design",
    ],
)
def test_experience_in_a_field_names_the_field(line):
    """Observed: "3+ years of experience in Java development" proposed M: what experience is
    in is a field, as in "Java development experience", not a doing asked of the holder."""
    assert bloom_verbs(line) == ()


def test_experience_doing_something_is_the_doing():
    assert bloom_verbs("Experience designing distributed systems") == (("designing", "M"),)
    assert bloom_verbs("Experience in designing APIs") == (("designing", "M"),)


# --- "proficient in" is the English of 精通 ----------------------------------------------------


@pytest.mark.parametrize(
    ("english", "chinese"),
    [("Proficient in SQL and Excel", "精通SQL和Excel"), ("Proficiency in Java", "精通Java")],
)
def test_proficient_in_proposes_the_level_of_its_chinese_tier_word(english, chinese):
    """Observed: "Proficient in SQL" proposed nothing, "精通SQL" M. As "familiar with" is the
    English of 熟悉 (R), "proficient in" is that of 精通 (M), the top of a competency scale
    (awareness < familiarity < proficiency)."""
    en = propose_requirement_level(lines=[english], matched_terms=["sql", "java"])
    zh = propose_requirement_level(lines=[chinese], matched_terms=["sql", "java"])
    assert en is not None
    assert zh is not None
    assert en.code == zh.code == "M"


def test_proficient_before_a_verb_is_still_its_degree():
    assert bloom_verbs("Proficient use of Excel") == (("proficient use", "M"),)
    assert bloom_verbs("A proficient team") == ()


# --- Chinese: a verb before a person, a team or experience ------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "数据分析师",
        "高级前端开发工程师",
        "UI设计师（电商方向）",
        "3年以上Java开发经验",
        "有产品设计经验者优先",
        "加入我们的设计团队",
        "软件开发人员",
    ],
)
def test_a_chinese_verb_before_a_person_a_team_or_experience_names_them(line):
    """Observed: 高级前端开发工程师 proposed M, 数据分析师 R, 3年以上Java开发经验 M: 开发工程师,
    分析师, 设计团队, 开发经验 are a person, a team, an experience, as 设计模式 is a thing."""
    assert bloom_verbs(line) == ()


# --- 负责…的设计: what the holder does ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("负责产品的规划与设计", "规划"),
        ("负责电商平台的设计与开发", "设计"),
        ("参与系统的开发", "开发"),
    ],
)
def test_a_duty_s_noun_phrase_names_the_doing(line, verb):
    """Observed: 负责产品的规划与设计 proposed nothing, where "Responsible for the planning and
    design of products" proposes M: after 负责, 从事, 参与 (responsible for, engaged in, taking
    part in) the verb heading 的's noun phrase is the duty, not a topic."""
    assert verb in [v for v, _level in bloom_verbs(line)]
    assert bloom_verbs("设计模式的应用") == ()


# --- more persons: a master, a head of, a post's holder --------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Scrum Master (Agile Delivery)",
        "Certified Scrum Master preferred",
        "Agile coach or Scrum Master",
        "Head of Product Design",
        "Director of Software Development",
        "设计总监",
        "软件开发主管",
        "数据分析专员",
    ],
)
def test_a_post_named_with_a_bloom_word_is_no_verb(line):
    """Observed: "Scrum Master" proposed M, "Head of Product Design" M, 设计总监 M, 数据分析专员
    R. "Master" is a person after a noun with no object, as "architect" and "lead" are; what a
    head or a director of is heads is a field, as what experience is in is; 总监, 主管, 专员 are
    a post's holder, as 经理 and 工程师 are."""
    assert bloom_verbs(line) == ()
    assert leading_verb(line) is None


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("Master the basics of SQL", "master"),
        ("Students will thoroughly master", "thoroughly master"),
        ("Lead the design of the platform", "lead"),
        ("Head the design team and develop its roadmap", "develop"),
        ("负责设计团队的管理，规划产品", "规划"),
    ],
)
def test_a_post_s_word_with_an_object_is_still_the_verb(line, verb):
    assert verb in [v for v, _level in bloom_verbs(line)]
