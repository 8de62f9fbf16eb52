# ruff: noqa: RUF001  (Chinese text takes full-width punctuation)
"""A nursing programme designed in Chinese (护理学): a framework whose statements are written in
Chinese, a catalogue whose outcomes grade themselves by their verbs (了解, 应用, 设计, 评价), and
the level proposed for each suggested link."""

import pytest

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory
from suggestions import services
from suggestions.levels import propose_level

pytestmark = pytest.mark.django_db

NURSING = {
    "N01": "健康评估能力：能够系统收集护理对象的健康史并进行体格检查",
    "N02": "基础护理操作技能：熟练完成静脉输液、导尿、吸痰等基础护理操作",
    "N03": "急危重症护理：能够识别急危重症病人并实施心肺复苏等急救措施",
    "N04": "用药护理：掌握常用药物的作用、不良反应及给药方法",
    "N05": "护患沟通：能够与患者及家属进行有效沟通，开展健康教育",
    "N06": "护理研究：能够检索文献、设计护理研究并分析数据",
    "N07": "社区护理：能够开展社区健康管理与慢性病随访",
    "N08": "护理管理：能够制定护理质量改进计划",
}


def nursing_framework(*, chinese_statement_too: bool = False):
    """The framework as a Chinese designer writes it: each statement in Chinese, and, where
    `chinese_statement_too`, the same statement typed again as its Chinese statement (the
    admin asks for both)."""
    framework = FrameworkFactory(name="护理学本科专业核心能力", language="zh-hans")
    return {
        code: AbilityFactory(
            framework=framework,
            code=code,
            text=text,
            text_zh=text if chinese_statement_too else "",
        )
        for code, text in NURSING.items()
    }, framework


def level_of(course, code):
    suggestion = Suggestion.objects.get(course=course, ability__code=code)
    return suggestion.proposed_level.code, suggestion.explanation["level"]


def test_the_level_reads_every_matched_word_not_only_those_shown():
    """Observed: 护理研究 (“设计护理研究方案 / 分析研究数据 / 评价护理文献的质量”) suggested for
    “能够检索文献、设计护理研究并分析数据” was proposed R for “分析研究数据”. The level is read from
    the outcome naming most of the matched words, but only the eight heaviest matches (those the
    review page shows) were given to it: a Chinese course matches one word in its title,
    description and outcomes alike, three of the eight, and 护理 and 护理研究, which
    “设计护理研究方案” names, were left out. Read with every matched word, that outcome names
    the most, and its 设计 proposes M."""
    _abilities, framework = nursing_framework()
    course = CourseFactory(
        code="NUR401",
        title="护理研究",
        description="介绍文献检索、研究设计与统计分析方法。",
        outcomes="设计护理研究方案\n分析研究数据\n评价护理文献的质量",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    code, level = level_of(course, "N06")
    assert (code, level["verb"], level["line"]) == ("M", "设计", "设计护理研究方案")


def test_an_ability_whose_chinese_statement_repeats_its_statement_is_read_once():
    """Observed: a framework written in Chinese with each ability's Chinese statement typed
    again (the admin has both fields) had every matched word listed twice among a suggestion's
    reasons, as “(课程描述 → 名称)” and “(课程描述 → 中文名称)”, half of the eight shown, and
    the ability's words weighed double against an ability whose Chinese statement is blank. A
    statement that is its Chinese statement is read once, as a course title that is its Chinese
    title is."""
    _abilities, framework = nursing_framework(chinese_statement_too=True)
    course = CourseFactory(
        code="NUR301",
        title="急危重症护理学",
        description="介绍急诊、ICU和院前急救中急危重症病人的识别与护理。",
        outcomes="应用心肺复苏术抢救心搏骤停病人\n识别急危重症病人的早期表现",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestion = Suggestion.objects.get(course=course, ability__code="N03")
    fields = {m["candidate_field"] for m in suggestion.explanation["matches"]}
    assert fields == {"label"}
    # 心肺复苏, which the first outcome shares with the ability, is among the reasons now, and
    # that outcome's 应用 proposes R.
    code, level = level_of(course, "N03")
    assert (code, level["verb"]) == ("R", "应用")


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("识记常用药物的剂量与用法", "I", "识记"),
        ("学生能够领会护理程序的基本思想", "R", "领会"),
        ("了解人体各系统的组成", "I", "了解"),
        ("理解无菌技术的原则", "R", "理解"),
        ("熟练掌握静脉输液技术", "M", "熟练掌握"),
        ("应用心肺复苏术抢救病人", "R", "应用"),
        ("分析护理对象的健康问题", "R", "分析"),
        ("设计健康教育方案", "M", "设计"),
        ("评价护理质量", "M", "评价"),
    ],
)
def test_a_chinese_syllabus_s_verbs_propose_their_tier(line, code, verb):
    """Observed: “识记常用药物的剂量与用法” proposed no level of its own (I only as the
    default, and a training stage's level where the course has one), nor “领会…”: 识记 and 领会
    are the first two tiers of China's national syllabi (识记, 领会, 应用; the self-taught
    examinations' and many universities'), read as 了解 (I) and 理解 (R)."""
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "course", verb)


@pytest.mark.parametrize(
    ("line", "code", "verb"),
    [
        ("初步了解护理学的发展史", "I", "初步了解"),
        ("一般了解卫生法规", "I", "一般了解"),
        ("初步理解护理伦理的原则", "I", "初步理解"),
        ("初步掌握静脉输液技术", "R", "初步掌握"),
        ("基本掌握常用护理技术", "R", "基本掌握"),
        ("深入理解护理程序", "M", "深入理解"),
        ("熟练运用护理程序", "M", "熟练运用"),
        ("灵活运用沟通技巧", "M", "灵活运用"),
        ("学生能够独立操作呼吸机", "M", "独立操作"),
        ("熟练掌握静脉输液技术", "M", "熟练掌握"),
        ("能够独立设计健康教育方案", "M", "独立设计"),
        ("初步地掌握心肺复苏术", "R", "初步地掌握"),
        # A degree that says how well, not how deep, leaves the verb's tier.
        ("全面掌握护理评估方法", "M", "掌握"),
        ("正确理解医嘱", "R", "理解"),
    ],
)
def test_a_degree_before_a_verb_moves_it_a_tier(line, code, verb):
    """Observed: “初步掌握静脉输液技术” (a first, basic grasp) proposed M, as 熟练掌握 does,
    while 初步了解 stayed at 了解's I: the degree was skipped. Syllabi write their tiers with it
    (初步了解 < 了解 < 理解 < 掌握 < 熟练掌握): 初步, 一般 and 基本 move a verb one tier down, 熟练,
    深入, 灵活 and 独立 one up, within I to M. The explanation quotes the verb with its degree."""
    proposal = propose_level(outcomes=[line])
    assert (proposal.code, proposal.rule, proposal.verb) == (code, "course", verb)
    assert f"“{verb}”" in proposal.reason


def test_a_degree_counts_in_a_line_without_a_leading_verb():
    proposal = propose_level(outcomes=["本课程要求学生初步掌握静脉输液技术"])
    assert (proposal.code, proposal.verb) == ("R", "初步掌握")


def test_the_review_page_names_the_highest_coordinated_verb(client, staff_user):
    """Observed: “了解并掌握常用药物的给药方法” proposed I, the review page giving 了解 as the
    reason. The outcome asks to master (掌握, M): the level and the reason shown say so."""
    from django.urls import reverse

    _abilities, framework = nursing_framework()
    course = CourseFactory(
        code="NUR205",
        title="护理药理学",
        description="介绍常用药物的作用与不良反应。",
        outcomes="了解并掌握常用药物的作用、不良反应及给药方法",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    code, level = level_of(course, "N04")
    assert (code, level["verb"]) == ("M", "掌握")
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "uses “掌握”" in html
    assert "uses “了解”" not in html
