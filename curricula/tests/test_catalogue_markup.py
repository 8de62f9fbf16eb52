"""Catalogue cells copied from a web page or exported by a CMS or an LMS hold HTML: the import
keeps their text, one paragraph or list item per line, and not the markup."""

import pytest

from curricula.models import Course
from curricula.services import course_catalogue_import

pytestmark = pytest.mark.django_db


def _import(description: str, outcomes: str) -> Course:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "title", "description", "outcomes"])
    writer.writerow(["MKT1", "Principles of Marketing", description, outcomes])
    report = course_catalogue_import(content=buffer.getvalue().encode(), file_name="c.csv")
    assert report.ok, report.errors
    return Course.objects.get(code="MKT1")


def test_html_in_a_description_or_outcomes_is_read_as_its_text_one_item_a_line():
    """Observed: "<p>Core <b>marketing</b> …</p><ul><li>…" was stored as written: the course
    page showed the tags, the ranking read "li", "ul", "amp" as words, and an outcomes list
    was one outcome, so a level was proposed from the whole list's strongest verb."""
    course = _import(
        "<p>Core <b>marketing</b> concepts &amp; the mix.</p><ul><li>consumer behaviour</li>"
        "<li>market research</li></ul>",
        "<ol><li>Explain the marketing mix</li><li>Apply segmentation<br>to a market</li></ol>",
    )
    assert course.description == (
        "Core marketing concepts & the mix.\nconsumer behaviour\nmarket research"
    )
    assert course.outcomes == "Explain the marketing mix\nApply segmentation\nto a market"


@pytest.mark.parametrize(
    "text",
    [
        "Scores < 50 fail; > 80 earn a distinction",
        "Compare a<b and b>c in SQL",
        "Use the <code> of conduct",  # no closing tag, one word: kept as written
        "Fish &amp; chips",  # an entity without any tag is text someone typed
    ],
)
def test_text_that_is_no_markup_is_kept_as_written(text):
    assert _import(text, text).description == text


def test_a_catalogue_s_chinese_titles_are_imported():
    """Observed: a catalogue giving each course its Chinese title (`title_zh`, the course's
    field that the Chinese pages show and the suggestions read) had that column ignored: the
    Chinese names were lost, and a course titled only in Chinese beside an English one was
    ranked from the English alone."""
    content = "code,title,title_zh,description\nMKT1,Online Marketing,网络营销,SEO and SEM\n"
    report = course_catalogue_import(content=content.encode(), file_name="c.csv")
    assert report.ok, report.errors
    assert report.ignored_columns == []
    assert Course.objects.get(code="MKT1").title_zh == "网络营销"
