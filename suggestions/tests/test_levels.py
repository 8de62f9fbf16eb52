"""The level heuristic (plain Python): Bloom verbs of the outcome that matched, then of the
course, then the training stage, then I; always with its reason."""

import pytest

from suggestions.levels import bloom_verbs, propose_level


def test_the_outcome_naming_the_ability_decides_by_its_strongest_verb():
    proposal = propose_level(
        outcomes=["Describe the relational model", "Design a relational database schema"],
        matched_terms=["schema"],
    )
    assert proposal.code == "M"
    assert proposal.rule == "outcome"
    assert "design" in proposal.reason.lower()
    assert proposal.line == "Design a relational database schema"


def test_an_apply_verb_reinforces_and_a_describe_verb_introduces():
    assert propose_level(outcomes=["Use SQL to query data"], matched_terms=["sql"]).code == "R"
    assert propose_level(outcomes=["Explain how SQL works"], matched_terms=["sql"]).code == "I"


def test_without_a_named_outcome_the_courses_strongest_verb_decides():
    proposal = propose_level(
        outcomes=["Analyse sales data", "Identify customers"], matched_terms=["logistics"]
    )
    assert (proposal.code, proposal.rule, proposal.verb) == ("R", "course", "analyse")


def test_without_any_verb_the_stage_decides_and_then_the_lightest_claim():
    stage = propose_level(outcomes=["Shipping"], stage_position=(5, 5), stage_name="Internship")
    assert (stage.code, stage.rule) == ("M", "stage")
    assert "Internship" in stage.reason
    assert propose_level(outcomes=[], stage_position=(1, 5)).code == "I"
    assert propose_level(outcomes=[]).rule == "default"


def test_chinese_verbs_and_look_alike_english_words():
    assert [level for _verb, level in bloom_verbs("了解跨境电商, 能设计网站")] == ["I", "M"]
    assert bloom_verbs("users and useful tools") == ()
    assert propose_level(outcomes=["掌握跨境物流的运作"], matched_terms=["物流"]).code == "M"


@pytest.mark.parametrize(
    ("outcome", "level"),
    [
        ("了解跨境物流的基本流程", "I"),
        ("理解跨境物流的运作原理", "R"),
        ("熟悉跨境物流的各个环节", "R"),
        ("掌握跨境物流方案的制定", "M"),
    ],
)
def test_a_chinese_syllabus_s_three_tiers_are_the_three_levels(outcome, level):
    """Chinese syllabi grade their outcomes 了解 < 理解 (熟悉) < 掌握, three depths in one
    course's list: 理解 and 熟悉 read as I made the middle tier the first one."""
    assert propose_level(outcomes=[outcome], matched_terms=["物流"]).code == level


def test_an_outcome_names_a_term_as_a_word_not_inside_another_word():
    # Matched terms are quoted as written ("IT", "art"): found inside "edit" or "start", they
    # made an outcome that does not name the ability decide its level.
    proposal = propose_level(
        outcomes=["Create and edit spreadsheets", "Describe IT support"],
        matched_terms=["IT", "IT support"],
    )
    assert (proposal.code, proposal.rule, proposal.line) == ("I", "outcome", "Describe IT support")
    assert propose_level(outcomes=["Design a start page"], matched_terms=["art"]).rule == "course"
    # Chinese has no spaces between words: a term is found anywhere in the line.
    assert propose_level(outcomes=["能设计跨境物流方案"], matched_terms=["物流"]).rule == "outcome"
    assert propose_level(outcomes=["Use SQL-based tools"], matched_terms=["sql"]).rule == "outcome"


def test_a_quote_cut_short_still_names_its_outcome():
    # A line close in meaning is quoted with its first 200 characters and "…"; the outcome it
    # was cut from is still the one naming the ability.
    from suggestions.engine.text import quote

    for cut in range(3):  # cut between words, or inside one
        line = "Evaluate " + "x" * cut + " the security of small office networks and" * 8
        quoted = quote(line)
        assert quoted.endswith("…")
        proposal = propose_level(outcomes=["Describe firewalls", line], matched_terms=[quoted])
        assert (proposal.code, proposal.rule) == ("M", "outcome")


def test_outcomes_a_cell_separates_by_semicolons_are_read_one_by_one():
    """Observed: a catalogue writing its outcomes on one line, separated by semicolons (as
    Chinese syllabi do, with full-width ones), was read as one outcome, so every ability got the
    line's strongest verb: 海外仓 was proposed M from 设计物流方案 though its outcome says 应用."""
    from curricula.models import Course
    from suggestions.services import outcome_lines

    semicolon = "\uff1b"  # full-width, as Chinese text writes it
    course = Course(
        outcomes=semicolon.join(["了解跨境物流模式", "应用海外仓管理方法", "设计物流方案"])
        + "\nBuild a dashboard; Explain KPIs"
    )
    lines = outcome_lines(course)
    assert lines == [
        "了解跨境物流模式",
        "应用海外仓管理方法",
        "设计物流方案",
        "Build a dashboard",
        "Explain KPIs",
    ]
    assert propose_level(outcomes=lines, matched_terms=["海外"]).code == "R"


def test_the_level_quotes_an_outcome_as_the_course_page_lists_it():
    """Observed: the level's reason quoted the outcome with its bullet ("the outcome “• Design a
    relational database schema” uses “design”"), which the course page lists without."""
    from core.outcomes import outcome_items
    from curricula.models import Course
    from suggestions.services import outcome_lines

    outcomes = "• Design a relational database schema\n1) Explain normal forms; - Write SQL"
    lines = outcome_lines(Course(outcomes=outcomes))
    assert lines == outcome_items(outcomes)
    assert lines == ["Design a relational database schema", "Explain normal forms", "Write SQL"]
    proposal = propose_level(outcomes=lines, matched_terms=["database"])
    assert proposal.line == "Design a relational database schema"
    assert "“Design a relational" in proposal.reason


@pytest.mark.parametrize(
    ("outcome", "term"),
    [
        ("编制施工组织设计", "施工组织"),
        ("能够编制工程量清单计价和工程概预算", "工程量"),
    ],
)
def test_drawing_up_a_plan_or_a_budget_reinforces_as_preparing_one_does(outcome, term):
    """编制 (draw up a plan, a budget, a bill of quantities) is an engineering syllabus's usual
    verb, the Chinese of "prepare" (R). Observed: a civil engineering course's 编制施工组织设计
    was proposed M for the 设计 in the name of the document (a construction organisation plan),
    and 编制工程量清单 I, for want of any verb."""
    proposal = propose_level(outcomes=[outcome], matched_terms=[term])
    assert (proposal.code, proposal.verb) == ("R", "编制")
    english = propose_level(outcomes=["Prepare a bill of quantities"], matched_terms=["bill"])
    assert english.code == "R"


@pytest.mark.parametrize(
    ("outcome", "term", "code", "verb"),
    [
        ("Produce construction drawings for a steel frame", "drawings", "R", "produce"),
        ("Students will be able to draft site reports", "reports", "R", "draft"),
        ("Prepare construction schedules", "schedules", "R", "prepare"),
        ("Design reinforced concrete buildings", "concrete", "M", "design"),
    ],
)
def test_an_outcome_s_leading_verb_decides_over_a_noun_later_in_it(outcome, term, code, verb):
    """Observed on a civil engineering programme: "Produce construction drawings" was proposed M
    for "construction", read as construct, because "produce" was no verb of the list. Producing,
    preparing and drafting a document apply what was learnt (Bloom: application, R); creating
    and designing one master it (M)."""
    proposal = propose_level(outcomes=[outcome], matched_terms=[term])
    assert (proposal.code, proposal.verb) == (code, verb)


@pytest.mark.parametrize(
    "line",
    [
        "Construction drawings and site documentation",
        "Buildings and their loads",
        "Loads on buildings; construction site safety",
        "Timber buildings",
    ],
)
def test_a_noun_naming_what_is_built_or_a_topic_is_no_bloom_verb(line):
    """ "construction" and "buildings" name the field's works (a building, the construction
    site), not constructing or building: a plural ("buildings") is a thing, and a noun made from
    a verb before another noun ("construction drawings") names a topic, as "Management
    accounting" does at the start of a line. Observed: both proposed M (construct, build)."""
    assert bloom_verbs(line) == ()
    assert propose_level(outcomes=[line], matched_terms=["loads", "timber", "drawings"]).code != "M"


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("Structural analysis of steel frames", "R", "analysis"),
        ("Evaluation of bridge designs", "M", "evaluation"),
        ("Familiarity with building codes", "R", "familiarity"),  # as 熟悉
        ("Construction of timber frames", "M", "construction"),
        ("Bridges, and how to build them", "M", "build"),
    ],
)
def test_a_noun_naming_the_doing_still_says_its_level(line, code, verb):
    """The deliberate cases stay: a line with no leading verb is read by the strongest verb it
    has, and a noun made from a verb counts where it names the doing ("analysis of", "evaluation
    of", "familiarity with", or ending the phrase)."""
    terms = ["frames", "bridge", "codes", "bridges"]
    proposal = propose_level(outcomes=[line], matched_terms=terms)
    assert (proposal.code, proposal.verb) == (code, verb)


def test_a_word_that_only_starts_like_a_new_verb_is_none():
    assert bloom_verbs("product lines, production costs, a productive draftsman") == ()


def test_the_outcome_naming_the_most_of_the_match_decides_not_one_sharing_a_word():
    """Observed (a nursing catalogue): Epidemiology ("Interpret epidemiological data on
    population health") was proposed at R for a course whose outcome on it reads "Explain
    epidemiological data on population health" (I), because another outcome, "Apply health
    education approaches with families", shares the word "health" and "apply" is stronger.
    Accepted, the link covered a requirement at R the course only introduces. The outcome
    naming the most of what matched decides; one sharing a word only decides when that one has
    no Bloom verb."""
    outcomes = [
        "Explain epidemiological data on population health",
        "Describe screening and immunisation programmes",
        "Apply health education approaches with families",
    ]
    terms = ["epidemiological", "data", "population", "health"]
    proposal = propose_level(outcomes=outcomes, matched_terms=terms)
    assert (proposal.code, proposal.rule, proposal.verb) == ("I", "outcome", "explain")
    assert proposal.line == "Explain epidemiological data on population health"


def test_when_the_outcome_naming_most_has_no_verb_one_naming_fewer_decides():
    outcomes = [
        "Care across hospital and community services",
        "Plan screening programmes in the community",
    ]
    proposal = propose_level(
        outcomes=outcomes, matched_terms=["care", "hospital", "community", "services"]
    )
    assert (proposal.code, proposal.rule, proposal.verb) == ("M", "outcome", "plan")


@pytest.mark.parametrize(
    ("outcome", "term", "code", "verb"),
    [
        ("Reflect on own practice and identify learning needs", "practice", "M", "reflect"),
        ("Coordinate care across hospital and community services", "care", "M", "coordinate"),
        ("Supervise healthcare assistants in the ward", "assistants", "M", "supervise"),
        ("Monitor vital signs and escalate deterioration", "vital", "M", "monitor"),
        ("Administer medicines safely", "medicines", "R", "administer"),
        ("Provide person-centred care", "care", "R", "provide"),
        ("Undertake a nursing assessment", "assessment", "R", "undertake"),
        ("Educate patients about their medicines", "patients", "R", "educate"),
        ("Prioritise care for a group of patients", "patients", "R", "prioritise"),
        ("Students will be able to prioritize care", "care", "R", "prioritize"),
    ],
)
def test_a_nursing_outcome_s_leading_verb_decides(outcome, term, code, verb):
    """Observed (a nursing programme): "Reflect on own practice" was proposed R for "practice",
    a noun later in the line, because "reflect" was no verb of the list; "Coordinate care",
    "Supervise ...", "Administer medicines", "Provide care", "Undertake ..." and "Educate
    patients" were read by whatever verb or noun followed, or not at all. By Anderson and
    Krathwohl's revised taxonomy, reflecting on one's practice, coordinating, monitoring
    (checking) and supervising evaluate (M); administering, providing, undertaking (carrying
    out) and educating apply, and prioritising analyses (R)."""
    proposal = propose_level(outcomes=[outcome], matched_terms=[term])
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "outcome", verb)
    assert f"uses “{verb}”" in proposal.reason


@pytest.mark.parametrize(
    "line",
    [
        "Nursing priorities in the community",
        "Supervisory roles in nursing teams",
        "Educational resources for families",
        "Healthcare providers and their teams",
        "Cardiac monitors",
    ],
)
def test_a_word_that_only_starts_like_a_nursing_verb_is_none(line):
    assert bloom_verbs(line) == ()


@pytest.mark.parametrize(
    ("outcome", "term", "code", "verb"),
    [
        ("Write small programs to automate routine tasks", "programs", "R", "write"),
        ("Students will be able to write SQL queries", "sql", "R", "write"),
        ("Writes unit tests for a web service", "tests", "R", "writes"),
        ("Configure a web server and its firewall", "server", "R", "configure"),
        ("Deploy a web application to a cloud platform", "cloud", "R", "deploy"),
        ("Debug programs with a debugger", "programs", "R", "debug"),
        ("Identify and debug faults in embedded software", "faults", "R", "debug"),
    ],
)
def test_a_programming_outcome_s_verb_says_its_level(outcome, term, code, verb):
    """Observed: "Write small programs to ..." was read with no Bloom verb, and its course fell
    back to I ("no Bloom verb and no training stage"). Writing, configuring and deploying carry
    out what was learnt (Bloom's revised taxonomy: Apply, executing and implementing), as
    producing and drafting do; debugging finds where a fault lies (Analyse: differentiating,
    attributing): R."""
    proposal = propose_level(outcomes=[outcome], matched_terms=[term])
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "outcome", verb)


@pytest.mark.parametrize(
    "line", ["Technical writers and their audiences", "rewrite rules", "debuggers and profilers"]
)
def test_a_word_that_only_starts_like_a_programming_verb_is_none(line):
    """A person who writes, or a word that only contains the verb, is no Bloom verb."""
    assert bloom_verbs(line) == ()


@pytest.mark.parametrize(
    ("outcome", "term", "verb"),
    [("能够编写简单的程序", "程序", "编写"), ("调试嵌入式程序", "嵌入式", "调试")],
)
def test_a_chinese_programming_outcome_reads_as_its_english_one(outcome, term, verb):
    """编写 (write) and 调试 (debug) are R, as their English verbs are, so a course's English and
    Chinese outcomes propose one level; 调试工具 (a debugging tool) names a thing."""
    proposal = propose_level(outcomes=[outcome], matched_terms=[term])
    assert (proposal.code, proposal.verb) == ("R", verb)
    assert bloom_verbs("编写程序并调试") == (("编写", "R"), ("调试", "R"))
    assert bloom_verbs("了解调试工具") == (("了解", "I"),)
