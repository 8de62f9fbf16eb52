"""WCAG 3.1.2 Language of Parts: a record's text shown on a page of another language (an English
title on a Chinese page, for want of a Chinese one; a Chinese statement on an English page)
carries its own `lang`, so a screen reader reads it with the right voice. Only where its
language is known: Han characters are Chinese, other text is in its record's `language`; a
record of no language gets no attribute. Observed before: on the Chinese pages, English titles
and statements sat bare inside `<html lang="zh-hans">`."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.i18n import text_language
from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
)
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HOSTILE = 'Data <script>alert("x")</script> & <b lang="fr">Co</b>'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Langs(HTMLParser):
    """Each run of text with the language it is in: its innermost `lang`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str]] = []
        self.script_tags = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.script_tags += 1
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        # A page's <title> is plain text, in which no part can have a language of its own.
        if data.strip() and not any(tag == "title" for tag, _lang in self.stack):
            lang = next((lang for _tag, lang in reversed(self.stack) if lang), "")
            self.runs.append((data, lang))


def _parse(html: str) -> _Langs:
    parser = _Langs()
    parser.feed(html)
    return parser


def langs_of(html: str, text: str) -> set[str]:
    """The languages `text` is read in wherever the page shows it (in full, in one run)."""
    found = {lang for data, lang in _parse(html).runs if text in data}
    assert found, f"{text!r} not shown"
    return found


@pytest.fixture
def catalogue(client, staff_user):
    client.force_login(staff_user)
    english = AbilityFactory(code="EN1", text="analyse sales data", language="en")
    chinese = AbilityFactory(code="ZH1", text="具有数据分析能力", language="zh")
    both = AbilityFactory(code="BI1", text="write copy", text_zh="撰写文案", language="en")
    # Of no language, nor its framework: nothing says which (Ability.shown_language).
    nameless = AbilityFactory(
        code="UN1", text="plan logistics", language="", framework=FrameworkFactory(language="")
    )
    position = PositionFactory(name="Analyst", name_zh="分析师")
    for ability in (english, chinese, both, nameless):
        RequirementFactory(position=position, ability=ability)
    english_course = CourseFactory(code="E101", title="Sales analytics", language="en")
    chinese_course = CourseFactory(code="Z101", title="网店运营", language="zh")
    both_course = CourseFactory(
        code="B101", title="Copywriting", title_zh="文案写作", language="en"
    )
    unknown_course = CourseFactory(code="U101", title="Logistics basics", language="")
    hostile_course = CourseFactory(code="H101", title=HOSTILE, language="en")
    unused = CourseFactory(code="X101", title="Spare course", language="en")
    courses = [english_course, chinese_course, both_course, unknown_course, hostile_course, unused]
    CourseAbilityFactory(course=english_course, ability=english)
    CourseAbilityFactory(course=chinese_course, ability=chinese)
    CourseAbilityFactory(course=both_course, ability=both)
    CourseAbilityFactory(course=unknown_course, ability=nameless)
    CourseAbilityFactory(course=hostile_course, ability=english)
    programme = ProgrammeFactory(name="E-commerce", courses=courses, targets=[position])
    other = ProgrammeFactory(name="Marketing", courses=[english_course], targets=[position])
    coverage_recompute(force=True)
    return {
        "programme": programme,
        "other": other,
        "position": position,
        "english_course": english_course,
        "hostile_course": hostile_course,
        "chinese": chinese,
        "english": english,
    }


def test_text_language_is_han_or_the_record_s_language_or_unknown():
    assert text_language("网店运营", "en") == "zh-Hans"
    assert text_language("Python 程序设计", "") == "zh-Hans"
    assert text_language("Sales analytics", "en") == "en"
    assert text_language("Ventes", "FR_ca") == "fr-CA"
    assert text_language("Logistics basics", "") == ""
    # Latin letters alone in a Chinese record: not evidently Chinese, so not said to be.
    assert text_language("SQL", "zh") == ""
    # Not a language tag: no attribute rather than a made-up one.
    assert text_language("Sales", 'en" onclick="x') == ""


def test_the_filter_escapes_a_hostile_title_in_both_languages():
    template = Template("{% load records %}{{ title|in_lang:language }}")
    for active in ("en", "zh-hans"):
        with translation.override(active):
            html = template.render(Context({"title": HOSTILE, "language": "en"}))
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert 'lang="fr"' not in html
    with translation.override("zh-hans"):
        hostile_lang = Template("{% load records %}{{ t|in_lang:l }}").render(
            Context({"t": "x", "l": '"><script>'})
        )
    assert hostile_lang == "x"


def _map_page(client, catalogue, headers) -> str:
    response = client.get(catalogue["programme"].get_absolute_url(), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_chinese_map_marks_english_titles_and_statements_english(client, catalogue):
    page = _map_page(client, catalogue, ZH)
    assert langs_of(page, "Sales analytics") == {"en"}
    assert langs_of(page, "analyse sales data") == {"en"}
    # Chinese text on a Chinese page, and text of no known language: no `lang` of its own.
    assert langs_of(page, "文案写作") == {"zh-hans"}
    assert langs_of(page, "撰写文案") == {"zh-hans"}
    assert langs_of(page, "Logistics basics") == {"zh-hans"}
    assert langs_of(page, "plan logistics") == {"zh-hans"}
    parsed = _parse(page)
    assert not any("alert" in data and lang != "en" for data, lang in parsed.runs)
    assert "<script>alert" not in page


def test_english_map_marks_chinese_titles_and_statements_chinese(client, catalogue):
    page = _map_page(client, catalogue, EN)
    assert langs_of(page, "网店运营") == {"zh-Hans"}
    assert langs_of(page, "具有数据分析能力") == {"zh-Hans"}
    assert langs_of(page, "Sales analytics") == {"en"}
    assert langs_of(page, "Copywriting") == {"en"}
    assert "<script>alert" not in page


def test_course_page_in_chinese_and_english(client, catalogue):
    url = catalogue["english_course"].get_absolute_url()
    page = client.get(url, **ZH).content.decode()
    assert langs_of(page, "Sales analytics") == {"en"}
    assert langs_of(page, "analyse sales data") == {"en"}
    page = client.get(url, **EN).content.decode()
    assert langs_of(page, "Sales analytics") == {"en"}
    hostile = client.get(catalogue["hostile_course"].get_absolute_url(), **ZH).content.decode()
    assert "<script>alert" not in hostile
    assert "&lt;script&gt;" in hostile


def test_position_page_marks_statements(client, catalogue):
    url = reverse("positions:detail", args=[catalogue["position"].pk])
    page = client.get(url, **ZH).content.decode()
    assert langs_of(page, "analyse sales data") == {"en"}
    assert langs_of(page, "撰写文案") == {"zh-hans"}
    page = client.get(url, **EN).content.decode()
    assert langs_of(page, "具有数据分析能力") == {"zh-Hans"}


def test_gap_report_marks_unused_courses(client, catalogue):
    url = reverse("curricula:programme-gaps", args=[catalogue["programme"].pk])
    page = client.get(url, **ZH).content.decode()
    assert langs_of(page, "Spare course") == {"en"}


def test_compare_marks_statements(client, catalogue):
    url = reverse("curricula:programme-compare")
    query = {"p": [catalogue["programme"].pk, catalogue["other"].pk]}
    page = client.get(url, query, **ZH).content.decode()
    assert langs_of(page, "analyse sales data") == {"en"}
    page = client.get(url, query, **EN).content.decode()
    assert langs_of(page, "具有数据分析能力") == {"zh-Hans"}


def test_review_queue_marks_course_and_ability(client, catalogue):
    suggestion = SuggestionFactory(course=catalogue["english_course"], ability=catalogue["chinese"])
    url = reverse("suggestions:course-review", args=[suggestion.course_id])
    page = client.get(url, **ZH).content.decode()
    assert langs_of(page, "Sales analytics") == {"en"}
    page = client.get(url, **EN).content.decode()
    assert langs_of(page, "具有数据分析能力") == {"zh-Hans"}


def test_review_queue_marks_an_ability_in_its_framework_s_language(client, catalogue):
    """The ability states no language, its framework does (English): on the Chinese review
    queue its statement is read in English, taken with the row (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = catalogue["english_course"]
    url = reverse("suggestions:course-review", args=[course.pk])
    counts = []
    for number in range(1, 4):
        ability = AbilityFactory(
            framework=FrameworkFactory(language="en"), text=f"pack parcels {number}", language=""
        )
        SuggestionFactory(course=course, ability=ability)
        page = client.get(url, **ZH).content.decode()
        assert langs_of(page, f"pack parcels {number}") == {"en"}
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **ZH)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts
