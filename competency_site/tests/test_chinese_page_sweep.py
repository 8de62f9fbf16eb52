# ruff: noqa: RUF001  (Chinese text takes full-width colons and parentheses)
"""Every page of the site, in Chinese, holds no English words of the product's own. The sweep
starts at the overview and follows the site's links (one page for each kind of address, as
staff, with the paper's data loaded), adds what no link leads to (a search, a filtered map, an
address with no page), and reads each page's text and its spoken or hovered attributes
(aria-label, title, placeholder, alt). From that it takes away every text the database holds
(names, statements, codes, sources: the data's own words, whatever their language), and the
catalogue's stand-ins for messages not translated yet (〈msgid〉). An English word left is a
message not marked for translation, or one rendered outside the reader's language."""

import re
from html.parser import HTMLParser

import pytest

from core.tests.leaks import ENGLISH_WORD, STAND_IN, data_texts
from core.times import zone_names
from curricula.coverage.services import coverage_recompute

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
# Words a Chinese page writes in Latin letters on purpose: file formats, keys on the keyboard,
# a time's zone as its offset from UTC (core.times: "UTC+08:00", as Chinese writes it too),
# the names of a CSV file's encodings and of the programs that save them (UTF-8, GB18030, GBK,
# Big5, Windows-1252; Excel, WPS), and the paper's citation in the footer (its authors and its
# English title).
ALLOWED = {"API", "CSV", "XLSX", "SVG", "PDF", "Enter", "Esc", "Shift", "Ctrl", "Delete", "UTC"}
ALLOWED |= {"UTF", "GB", "GBK", "Big", "Windows", "Excel", "WPS"}
CITATION = (
    "Research on Cross-border E-commerce Professional Capabilities and Training Modes of Talents"
)
ALLOWED_TEXTS = (CITATION, "Luan")
# Not swept: the admin (Django's and its add-ons' own pages), the API, downloads, and links
# that change something or leave the page (logging out, switching the language).
SKIPPED = re.compile(r"^/(admin|api|ims|static|i18n|accounts/logout)/|\.(csv|xlsx|svg|json)$")
EXTRA = ["/search/?q=CBE114", "/search/?q=数据", "/no-such-page/"]
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self._hidden += 1
        self.texts += [value for name, value in attrs.items() if name in READ_ATTRIBUTES and value]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def english_words(texts: list[str], data: list[str]) -> set[str]:
    text = STAND_IN.sub(" ", " \n ".join(" ".join(t.split()) for t in texts))
    # Whole words only: a level's code (I) is not the end of "API".
    values = sorted({" ".join(v.split()) for v in (*ALLOWED_TEXTS, *data)}, key=len, reverse=True)
    quoted = "|".join(re.escape(value) for value in values if value)
    text = re.sub(rf"(?<![A-Za-z])(?:{quoted})(?![A-Za-z])", " ", text)
    # A shortened text (a long statement cut with an ellipsis) is the data's too.
    text = re.sub(r"[A-Za-z][^…\n]*…", " ", text)
    # An address (the printed report's "printed from").
    text = re.sub(r"https?://\S+", " ", text)
    # A command quoted as code (manage.py suggest --all-courses) is not prose.
    text = re.sub(r"manage\.py[^）)\n]*", " ", text)
    return set(ENGLISH_WORD.findall(text)) - ALLOWED


def _kind(address: str) -> str:
    path, _, query = address.partition("?")
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(sorted(re.findall(r"(\w+)=", query))))


def _sweep(client) -> dict[str, set[str]]:
    # Time zones go by their IANA names ("Asia/Shanghai") in every language (core.times).
    data = [*data_texts(), *zone_names()]
    queue, seen_kinds, found = ["/", *EXTRA], set(), {}
    while queue:
        address = queue.pop(0)
        kind = _kind(address)
        if kind in seen_kinds and address not in EXTRA:
            continue
        seen_kinds.add(kind)
        response = client.get(address, **ZH)
        if response.status_code in {301, 302} or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        words = english_words(page.texts, data)
        if words:
            found[address] = words
        for link in page.links:
            link = link.split("#")[0]
            if link.startswith("/") and not link.startswith("//") and not SKIPPED.search(link):
                queue.append(link)
    assert len(seen_kinds) >= 15, seen_kinds  # the sweep went through the site
    return found


def test_the_check_sees_english_prose_and_leaves_the_datas_and_the_stand_ins():
    data = ["Dynamic Web Design"]
    assert english_words(["课程：Dynamic Web Design", "〈Not translated yet〉"], data) == set()
    assert english_words(["Not Found", "按 Enter 保存"], data) == {"Not", "Found"}


# Messages the catalogue may not translate yet: stand-ins until it does.
NEW_MESSAGES: list[str] = []


def test_every_page_in_chinese_has_no_english_of_its_own(
    client, paper, staff_user, chinese_stand_in
):
    for message in NEW_MESSAGES:
        chinese_stand_in(None, message)
    coverage_recompute(force=True)
    client.force_login(staff_user)
    assert _sweep(client) == {}
