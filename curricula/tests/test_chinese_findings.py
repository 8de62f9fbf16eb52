"""A progression finding's severity pill and its title are joined by the catalogue's
"%(pill)s %(text)s" (context "a pill, then the text it marks"), not by the template's space:
English keeps the space, Chinese writes none (the pill's margin sets it apart). Observed: 中 and
the finding's title with a space between them on a Chinese page.

`chinese_stand_in` gives the message a stand-in translation should the catalogue have none; the
expected text is computed through the catalogue."""

import re

import pytest
from django.utils import translation

from curricula.tests.test_progression_pages import falling  # noqa: F401

MARKED = ("a pill, then the text it marks", "%(pill)s %(text)s")

pytestmark = pytest.mark.django_db


def _finding(client, programme, **headers) -> str:
    html = client.get(programme.get_absolute_url(), **headers).content.decode()
    match = re.search(r'<p class="finding finding--\w+">(.*?)</p>', html, re.S)
    assert match, "no finding on the page"
    return match.group(1)


def _parts(finding: str) -> tuple[str, str]:
    """The pill, and the finding's title and reason (text without markup after the title)."""
    pill = re.search(r'<span class="pill[^"]*">[^<]*</span>', finding)
    text = re.search(r"<strong>.*?</strong>[^<〉]*", finding)
    assert pill, finding
    assert text, finding
    return pill.group(0), text.group(0)


def test_in_chinese_the_pill_and_the_finding_are_joined_by_the_catalogue(
    client,
    falling,  # noqa: F811
    chinese_stand_in,
):
    chinese_stand_in(*MARKED)
    finding = _finding(client, falling, HTTP_ACCEPT_LANGUAGE="zh-hans")
    pill, text = _parts(finding)
    with translation.override("zh-hans"):
        expected = translation.pgettext(*MARKED) % {"pill": pill, "text": text}
    assert finding == expected


def test_in_english_the_pill_and_the_finding_are_a_space_apart(client, falling):  # noqa: F811
    finding = _finding(client, falling)
    pill, text = _parts(finding)
    assert pill == '<span class="pill pill--warn">Medium</span>'
    assert finding == f"{pill} {text}"
    assert text.startswith("<strong>Level falls after a later course.</strong> ")
