"""Courses written in Chinese through the app's doors: a catalogue naming its courses only in
Chinese, as a Chinese programme's is, ranked against the Chinese statements of a framework."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.models import Ability
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    framework, abilities = small_framework()
    for code, text_zh in {"LOG": "管理跨境物流与供应链", "MKT": "策划海外市场营销活动"}.items():
        Ability.objects.filter(pk=abilities[code].pk).update(text_zh=text_zh)
    return framework


def test_a_course_named_only_in_chinese_reads_its_title_once(framework, client, staff_user):
    """Observed: a catalogue naming its courses only in Chinese (课程名称 without 英文名称)
    gives each course its Chinese title as its title too, and the title was matched twice, as
    the title and as the Chinese title: its words weighed double against the description's, and
    the review page listed each of them twice, “物流” (名称 → 中文名称) and “物流” (中文标题 →
    中文名称)."""
    course = CourseFactory(
        code="ZH002",
        title="国际物流与供应链管理",
        title_zh="国际物流与供应链管理",
        description="讲授国际货运代理、海外仓与跨境物流模式。",
        outcomes="",
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    (suggestion,) = Suggestion.objects.filter(course=course, ability__code="LOG")
    fields = [m["query_field"] for m in suggestion.explanation["matches"]]
    assert "title_zh" not in fields
    assert "title" in fields
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(Chinese title →" not in html
    assert "(title → Chinese label)" in html


def test_a_course_with_an_english_and_a_chinese_title_reads_both(framework):
    course = CourseFactory(
        code="EN002",
        title="International logistics",
        title_zh="国际物流与供应链管理",
        description="",
        outcomes="",
    )
    query = services.course_query(course)
    assert query.fields["title"] == "International logistics"
    assert query.fields["title_zh"] == "国际物流与供应链管理"


@pytest.mark.parametrize(
    ("description", "outcomes"),
    [
        ("국제 전자상거래 데이터 분석과 마케팅을 배운다.", "데이터 분석을 할 수 있다"),
        ("ベトナム向けのマーケティングを学ぶ。", ""),
    ],
    ids=["korean", "kana"],
)
def test_a_course_in_a_script_the_engine_does_not_read_is_unmatched_not_without_text(
    framework, description, outcomes
):
    """Observed: a course described in Korean (or in Japanese kana) was named among the courses
    "without a description or outcomes" (没有可供排序的描述或学习成果), sending its designer
    to the admin to add a text it has, rather than among those no ability matched, with what
    would help (an English text)."""
    course = CourseFactory(code="KO001", title="", description=description, outcomes=outcomes)
    result = services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert result.courses_without_text == []
    assert result.courses_unmatched == [course.pk]


@pytest.mark.parametrize(
    "description",
    ["", "！！！。。。，，，、、、——", "😀🚀🛒📈", "N/A", "１２"],  # noqa: RUF001
    ids=["empty", "full-width punctuation", "emoji", "n/a", "full-width number"],
)
def test_a_course_whose_text_says_nothing_is_without_text(framework, description):
    course = CourseFactory(code="ZH006", title="！！！", description=description, outcomes="——")  # noqa: RUF001
    result = services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert result.courses_without_text == [course.pk]
    assert result.courses_unmatched == []


def test_a_position_named_only_in_chinese_reads_its_name_once(framework):
    """As a course: a position a Chinese university adds under its Chinese name only (name and
    Chinese name the same) had its name matched twice, as the title and the Chinese title."""
    position = PositionFactory(
        name="跨境物流专员", name_zh="跨境物流专员", description_zh="负责管理跨境物流与供应链。"
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    (suggestion,) = Suggestion.objects.filter(position=position, ability__code="LOG")
    fields = [m["query_field"] for m in suggestion.explanation["matches"]]
    assert "title" in fields
    assert "title_zh" not in fields


def test_a_course_written_in_traditional_chinese_is_suggested_its_abilities(
    framework, client, staff_user
):
    """Observed: a Taiwan university's course, 國際供應鏈規劃, against abilities stated in
    Simplified Chinese (规划跨国供应链), shared no word with them but the characters the two
    scripts write alike: `manage.py suggest` answered "No ability matched". Read as Simplified,
    it meets 供应链 and 规划, its template and verb (學生能夠設計) propose the level, and the
    review page quotes the course as it is written."""
    Ability.objects.filter(framework=framework, code="LOG").update(text_zh="规划跨国供应链")
    course = CourseFactory(
        code="TW101",
        title="國際供應鏈規劃",
        title_zh="國際供應鏈規劃",
        description="講授跨國供應鏈與海外倉。",
        outcomes="學生能夠設計跨國供應鏈方案",
    )
    out = StringIO()
    call_command("suggest", "--course", "tw101", "--framework", str(framework.pk), stdout=out)
    assert "No ability matched" not in out.getvalue()
    suggestion = Suggestion.objects.get(course=course, ability__code="LOG")
    assert suggestion.rank == 1
    terms = {m["term"] for m in suggestion.explanation["matches"]}
    assert {"供應鏈", "規劃"} <= terms
    assert not {"供应链", "规划"} & terms
    assert suggestion.proposed_level.code == "M"  # 設計, after the template 學生能夠
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:course-review", args=[course.pk])).content.decode()
    assert "“供應鏈”" in html
