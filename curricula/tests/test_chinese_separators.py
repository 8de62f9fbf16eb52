# ruff: noqa: RUF002  (Chinese text takes full-width separators)
"""Lists of longer items the pages write in Chinese: separated by the catalogue's "; " (Chinese
writes ；), not an ASCII "; " hard-coded in the template. Before, a Chinese page read
"缺失：D400 Course 3; D500 Course 4" in the certification readiness, the certification list's
programmes taking a direction, the courses building nothing the targets require and the map's
"required by" column (on screen and in the printable report).

`chinese_stand_in` gives the separator a stand-in translation should the catalogue have none."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.coverage.services import coverage_recompute
from curricula.models import CertificationCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
LONG_SEPARATOR = ("list separator", "; ")


@pytest.fixture
def separator(chinese_stand_in) -> str:
    chinese_stand_in(*LONG_SEPARATOR)
    with translation.override("zh-hans"):
        chinese = translation.pgettext(*LONG_SEPARATOR)
    assert chinese != "; "
    return chinese


@pytest.fixture
def programme(db):
    """Two targets requiring one ability X1, which B200 builds; A100 and C300 build nothing
    required. The certification lists D400 and D500 (missing) for the direction; A100 and C300
    are added beyond the list. A second programme takes the same direction."""
    a100, b200, c300 = (CourseFactory(code=code) for code in ("A100", "B200", "C300"))
    ability = AbilityFactory(code="X1", text="Write copy")
    CourseAbilityFactory(course=b200, ability=ability, level=level("M"))
    targets = [PositionFactory(name="Editor"), PositionFactory(name="Designer")]
    for position in targets:
        RequirementFactory(position=position, ability=ability, min_level=level("R"))
    programme = ProgrammeFactory(courses=[a100, b200, c300], targets=targets)
    for order, course in enumerate((b200, CourseFactory(code="D400"), CourseFactory(code="D500"))):
        CertificationCourse.objects.create(
            certification=programme.certification, track=programme.track, course=course, order=order
        )
    ProgrammeFactory(certification=programme.certification, track=programme.track)
    coverage_recompute(force=True)
    return programme


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _after(text: str, start: str, length: int = 300) -> str:
    assert start in text, start
    return text[text.index(start) :][:length]


def test_readiness_lists_are_separated_by_the_catalogue_s_separator(client, programme, separator):
    for name in ("curricula:programme-detail", "curricula:programme-report"):
        html = client.get(reverse(name, args=[programme.pk]), **ZH).text
        section = _text(re.search(r'id="certification-readiness".*?</section>', html, re.S)[0])
        assert re.search(rf"D400 Course \d+{re.escape(separator)}D500", section), (name, section)
        assert re.search(rf"A100 Course \d+{re.escape(separator)}C300", section), (name, section)
        assert "; " not in section, name


def test_courses_building_nothing_required_are_separated_by_the_catalogue_s_separator(
    client, programme, separator
):
    with translation.override("zh-hans"):
        label = translation.gettext("Courses building nothing the targets require")
    for name in ("curricula:programme-detail", "curricula:programme-report"):
        text = _text(client.get(reverse(name, args=[programme.pk]), **ZH).text)
        unused = _after(text, label)
        assert re.search(rf"A100 Course \d+{re.escape(separator)}C300", unused), (name, unused)
        assert "; " not in unused, name


def test_required_by_names_the_targets_with_the_catalogue_s_separator(client, programme, separator):
    for name in ("curricula:programme-detail", "curricula:programme-report"):
        text = _text(client.get(reverse(name, args=[programme.pk]), **ZH).text)
        assert f"Designer{separator}Editor" in text, name
        assert "Designer; Editor" not in text, name


def test_the_programmes_taking_a_direction_are_separated_by_the_catalogue_s_separator(
    client, programme, separator
):
    with translation.override("zh-hans"):
        label = translation.gettext("Programmes taking it")
    text = _text(client.get(reverse("certifications:list"), **ZH).text)
    taking = _after(text, label, 120)
    assert separator in taking, taking
    assert "; " not in taking, taking


def test_in_english_the_lists_read_as_before(client, programme):
    text = _text(client.get(reverse("curricula:programme-report", args=[programme.pk])).text)
    assert "Designer; Editor" in text
    assert re.search(r"A100 [^;]*; C300", _after(text, "Courses building nothing"))
    assert re.search(r"D400 [^;]*; D500", _after(text, "Missing:"))
    taking = _after(_text(client.get(reverse("certifications:list")).text), "Programmes taking it")
    assert "; " in taking[:120]


def test_an_ability_s_page_lists_the_targets_requiring_it_as_the_language_writes_them(
    client, programme, separator, chinese_stand_in
):
    """The "Required by" line of a programme's ability page: "Designer (at least R, optional);
    Editor (at least R)" in English, with the catalogue's brackets and separators in Chinese."""
    from positions.models import Ability, Requirement

    Requirement.objects.filter(position__name="Designer").update(importance="optional")
    bracketed = ("a name, then what is said of it in brackets", "%(name)s (%(said)s)")
    short_separator = ("list separator", ", ")
    chinese_stand_in(*bracketed)
    chinese_stand_in(*short_separator)
    ability = Ability.objects.get(code="X1")
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    for language in ("zh-hans", "en"):
        text = _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language).text)
        with translation.override(language):
            least = translation.gettext("at least %(level)s") % {"level": "R"}
            said = translation.pgettext(*short_separator).join(
                [least, translation.gettext("optional")]
            )
            designer = translation.pgettext(*bracketed) % {"name": "Designer", "said": said}
            editor = translation.pgettext(*bracketed) % {"name": "Editor", "said": least}
            between = translation.pgettext(*LONG_SEPARATOR)
        assert f"{designer}{between}{editor}" in text, (
            language,
            text[text.find("Designer") - 20 :][:120],
        )
    assert "Designer (at least R, optional); Editor (at least R)" in text


def test_the_workbook_lists_the_targets_as_the_language_writes_them(
    client, programme, separator, chinese_stand_in
):
    """Observed: the Chinese workbook's summary read "面向职位 | Designer, Editor" and its map's
    required-by column "Designer; Editor": joined in Python with ASCII separators, where the
    pages write the catalogue's (、 and ；)."""
    import io

    from openpyxl import load_workbook

    short_separator = ("list separator", ", ")
    chinese_stand_in(*short_separator)
    url = reverse("curricula:programme-workbook", args=[programme.pk])
    for language, headers in (("zh-hans", ZH), ("en", {})):
        book = load_workbook(io.BytesIO(client.get(url, **headers).content))
        with translation.override(language):
            comma = translation.pgettext(*short_separator)
            semicolon = translation.pgettext(*LONG_SEPARATOR)
            prepares_for = translation.gettext("Prepares for")
        cells = [
            [value for value in row if value is not None]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
        assert [prepares_for, f"Designer{comma}Editor"] in cells, language
        assert any(f"Designer{semicolon}Editor" in row for row in cells), language
    assert comma == ", "
    assert semicolon == "; "
