"""The site search: one box in every page's header, a results page grouped by kind, words not
substrings in English and Chinese; and the positions page's own search, by words too."""

import re

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    operating = PositionFactory(name="Operating manager")
    PlacementFactory(position=operating, title="Operation and promotion engineer")
    chinese = PositionFactory(name="网络运营专员")
    PlacementFactory(position=chinese, title="网络运营专员")
    PositionFactory(name="Cooperation officer")
    ability = AbilityFactory(code="P10.1", text="Be familiar with store operations")
    RequirementFactory(position=operating, ability=ability)
    AbilityFactory(code="P10.2", text="Cooperative teamwork")
    course = CourseFactory(code="OPS1", title="Online Store Operation")
    CourseFactory(code="ZH1", title="跨境电商运营")
    CourseFactory(code="ZH2", title="国际货运营销")
    programme = ProgrammeFactory(name="Operation and promotion", courses=[course])
    return {"operating": operating, "chinese": chinese, "course": course, "programme": programme}


def search(client, **query):
    response = client.get(reverse("search"), query)
    assert response.status_code == 200
    return response.content.decode()


def _group(html: str, kind: str) -> str:
    start = html.index(f'id="search-{kind}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("url", ["/", "/programs/", "/positions/", "/certifications/"])
def test_every_page_has_the_search_box_in_its_header(client, url):
    html = client.get(url).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert re.search(
        r'<form class="site-search" action="/search/" method="get" role="search"', header
    )
    assert 'name="q"' in header


def test_results_are_grouped_by_kind_and_match_words(client, world):
    html = search(client, q="operations")
    positions = _group(html, "positions")
    assert "Operating manager" in positions
    assert "Cooperation officer" not in positions
    abilities = _group(html, "abilities")
    assert "store operations" in abilities
    assert "Cooperative" not in abilities
    assert world["operating"].get_absolute_url() in abilities  # required by
    courses = _group(html, "courses")
    assert "Online Store Operation" in courses
    assert world["programme"].get_absolute_url() in courses  # taught in
    assert "Operation and promotion" in _group(html, "programmes")


def test_chinese_queries_find_chinese_words(client, world):
    html = search(client, q="运营")
    assert "网络运营专员" in _group(html, "positions")
    courses = _group(html, "courses")
    assert "跨境电商运营" in courses
    assert "国际货运营销" not in courses


def test_chinese_queries_find_records_by_their_chinese_names_and_read_them_in_chinese(client):
    """An English record with a Chinese name (core.i18n) is found by it; in Chinese the hits
    read in Chinese, in English in English."""
    course = CourseFactory(code="CN1", title="Online Store Operation", title_zh="网店运营")
    PositionFactory(name="Store operator", name_zh="网店运营专员")
    CourseFactory(code="CN2", title="Freight marketing", title_zh="国际货运营销")
    html = client.get(reverse("search"), {"q": "运营"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = html.content.decode()
    courses = _group(html, "courses")
    assert "网店运营" in courses
    assert "Online Store Operation" not in courses
    assert "国际货运营销" not in courses  # 货运 + 营销: not the word
    assert "网店运营专员" in _group(html, "positions")
    english = search(client, q="运营")
    assert course.title in _group(english, "courses")


def test_each_kind_says_how_many_and_shows_them_all_on_request(client, world, monkeypatch):
    from curricula.selectors import search as search_selectors

    for n in range(3):
        CourseFactory(code=f"OP{n}", title=f"Operations {n}")
    monkeypatch.setattr(search_selectors, "PER_KIND", 2)
    html = search(client, q="operations")
    assert "Showing 2 of 4: show them all" in _group(html, "courses")
    everything = search(client, q="operations", kind="courses")
    assert _group(everything, "courses").count("<li>") == 4
    assert 'id="search-positions"' not in everything
    assert 'id="search-positions"' in search(client, q="operations", kind="nonsense")


def test_one_kind_past_its_page_is_paged_not_linked_to_itself(client, world, monkeypatch):
    """Asked for one kind, the page showed its first ONE_KIND hits and "Showing 200 of 1000:
    show them all", a link to itself: the rest (a large framework's abilities) could not be
    reached."""
    from curricula.selectors import search as search_selectors

    for n in range(4):
        CourseFactory(code=f"OP{n}", title=f"Operations {n}")
    monkeypatch.setattr(search_selectors, "ONE_KIND", 2)
    first = _group(search(client, q="operations", kind="courses"), "courses")
    assert "show them all" not in first
    assert first.count("<li>") == 2
    assert "Page 1 of 3" in first
    assert 'href="?kind=courses&amp;q=operations&amp;page=2"' in first
    last = _group(search(client, q="operations", kind="courses", page="3"), "courses")
    assert last.count("<li>") == 1
    assert "Page 3 of 3" in last
    shown = set(
        re.findall(
            r"OPS1|OP\d",
            first
            + _group(search(client, q="operations", kind="courses", page="2"), "courses")
            + last,
        )
    )
    assert shown == {"OPS1", "OP0", "OP1", "OP2", "OP3"}
    # A page past the end, or none, is the last or the first, as the other lists answer.
    assert "Page 3 of 3" in search(client, q="operations", kind="courses", page="9")
    assert "Page 1 of 3" in search(client, q="operations", kind="courses", page="x")


@pytest.mark.parametrize("query", ["", "   ", "the of and", "%", "x" * 5000, "<script>"])
def test_odd_queries_are_answered_not_500s(client, world, query):
    html = search(client, q=query)
    assert "<script>" not in html.split("<main", 1)[1]


def test_the_search_page_query_count_does_not_grow_with_hits(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        search(client, q="operations")
    for n in range(15):
        CourseFactory(code=f"MORE{n}", title=f"Operations {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        search(client, q="operations")


def test_the_positions_page_searches_words(client, world):
    html = client.get(reverse("positions:list"), {"q": "operations"}).content.decode()
    assert "Operating manager" in html or "Operation and promotion engineer" in html
    assert "Cooperation officer" not in html
    chinese = client.get(reverse("positions:list"), {"q": "运营"}).content.decode()
    assert "网络运营专员" in chinese


def test_a_course_hit_leads_to_its_own_page_even_in_no_programme(client, world):
    """A course found leads to its course page; before there was one it led to the first
    programme teaching it, and a course in no programme (just imported) was not a link at all."""
    html = search(client, q="运营")
    courses = _group(html, "courses")
    untaught = CourseFactory._meta.model.objects.get(code="ZH1")
    assert f'<a href="{untaught.get_absolute_url()}">跨境电商运营</a>' in courses

    courses = _group(search(client, q="operations"), "courses")
    assert f'<a href="{world["course"].get_absolute_url()}">Online Store Operation</a>' in courses
    assert world["programme"].get_absolute_url() in courses  # still: taught in


def test_chinese_queries_find_positions_and_programmes_by_their_chinese_descriptions(client):
    """Observed: a position or programme whose Chinese description (description_zh) named the
    words was not found by them, though their English descriptions are searched: each kind's
    Chinese fields are the Chinese of the English fields it is found by."""
    PositionFactory(name="Store operator", description_zh="负责跨境电商店铺的日常运营")
    ProgrammeFactory(name="E-commerce", description_zh="培养跨境电商运营人才")
    PositionFactory(name="Freight clerk", description_zh="国际货运营销")
    html = search(client, q="店铺运营")
    assert "Store operator" in _group(html, "positions")
    html = search(client, q="运营人才")
    assert "E-commerce" in _group(html, "programmes")
    assert "Freight clerk" not in _group(search(client, q="运营"), "positions")


@pytest.fixture
def dotted():
    """A framework numbered as most professional ones are (a Moodle nursing framework), beside
    the paper's codes with a letter (P10.1)."""
    for code, text in (
        ("1.2", "Assess the patient"),
        ("1.1.2", "Record vital signs"),
        ("1.2.5", "Plan care with the family"),
        ("1.5.2", "Administer medicines"),
        ("2.1.5", "Forecast staffing needs"),
        ("2.2.1", "Lead a ward round"),
        ("2.25", "Teach students"),
        ("12.2", "Audit care records"),
        ("3.1", "Give level 5 handover reports"),
        ("P10.1", "Be familiar with store operations"),
        ("P10.2", "Cooperative teamwork"),
        ("NUR.1.2", "Dress a wound"),
        ("NURS.1", "Keep a ward clean"),
    ):
        AbilityFactory(code=code, text=text)


def _codes(client, q: str, kind: str = "abilities") -> set[str]:
    group = _group(search(client, q=q, kind=kind), kind)
    return set(re.findall(r'<span class="code">([^<]+)</span>', group))


def test_a_dotted_code_is_found_by_its_start_not_by_its_digits_in_any_order(client, dotted):
    """Observed on a programme mapped to a Moodle framework: on SQLite /search/?q=2.2 listed 88
    abilities (1.2, 1.1.2, ...), every code holding a 2, because a dotted code's numbers were
    each a word of it; PostgreSQL's full-text search reads 2.2 as one word and found no 2.2.1.
    On both, a dotted code is found by itself and by its start, a section at a time."""
    assert _codes(client, "1.2.5") == {"1.2.5"}
    assert _codes(client, "2.2") == {"2.2.1"}
    assert _codes(client, "1.2") == {"1.2", "1.2.5"}
    assert _codes(client, "５.２") == set()  # full width: 5.2, no code begins so  # noqa: RUF001
    # A number inside a dotted code is no word of it; its first part is its start.
    assert _codes(client, "2") == {"2.1.5", "2.2.1", "2.25"}
    assert _codes(client, "5") == {"3.1"}  # "level 5": a word of the statement
    assert _codes(client, "1.2.5.1") == set()


def test_a_code_with_letters_is_found_by_its_lettered_part_and_whole(client, dotted):
    """P10.1: its part with a letter is a word of it (as on *Find in the map*); the whole code,
    or its start, finds it alone."""
    assert _codes(client, "p10") == {"P10.1", "P10.2"}
    assert _codes(client, "P10.1") == {"P10.1"}


def test_a_code_is_found_by_its_first_part_alone_whatever_that_part_is_made_of(client, dotted):
    """Observed: /search/?q=NUR found no NUR.1.2 (a part of letters alone was a word on neither
    database) and ?q=1 no 1.2.5, though ?q=1.2 found it: a code's first part is its start, the
    start of a code a part at a time, so NUR finds no NURS.1 and 2 no 12.2."""
    assert _codes(client, "NUR") == {"NUR.1.2"}
    assert _codes(client, "nur wound") == {"NUR.1.2"}
    assert _codes(client, "nur.1") == {"NUR.1.2"}
    assert _codes(client, "nurs") == {"NURS.1"}
    assert _codes(client, "1") == {"1.2", "1.1.2", "1.2.5", "1.5.2"}
    assert _codes(client, "12") == {"12.2"}
    assert _codes(client, "nu") == set()


def test_a_code_typed_with_a_chinese_full_stop_is_the_code(client, dotted):
    """A Chinese input method in Chinese punctuation types 。 for the dot: "2。2" and "NUR。1"
    found 2.1.5, 2.25 and NUR.1.2 alike (the words 2 and NUR) where the code was meant."""
    assert _codes(client, "2。2") == {"2.2.1"}
    assert _codes(client, "nur。1") == {"NUR.1.2"}
    assert _codes(client, "ｐ１０｡１") == {"P10.1"}  # noqa: RUF001 (full width, half-width stop)
    # Between Chinese words it is a full stop still.
    assert _codes(client, "2。伤口") == set()


def test_a_version_number_is_found_by_its_major_number(client):
    """Observed: "python 3" found no course titled "Python 3.11" (3.11 is one word, a code),
    though "python 3.11" did."""
    CourseFactory(code="CS1", title="Python 3.11 for data work")
    CourseFactory(code="CS2", title="Python 2.7 maintenance")
    CourseFactory(code="CS3", title="Excel 365 in 3 days")
    assert _codes(client, "python 3", "courses") == {"CS1"}
    assert _codes(client, "python 3.11", "courses") == {"CS1"}
    assert _codes(client, "3", "courses") == {"CS1", "CS3"}
    assert _codes(client, "python 3.1", "courses") == set()
    # PostgreSQL's parser reads ECOM-101.2 as ecom and -101.2: a number is checked as here.
    CourseFactory(code="CS4", title="ECOM-101.2 revision")
    assert _codes(client, "101", "courses") == {"CS4"}
    assert _codes(client, "ecom 101.2", "courses") == {"CS4"}


def test_words_still_find_abilities_beside_a_dotted_code(client, dotted):
    assert _codes(client, "forecast") == {"2.1.5"}
    assert _codes(client, "forecasting 2.1") == {"2.1.5"}
    assert _codes(client, "forecast 1.2") == set()
    assert _codes(client, "operations") == {"P10.1"}
    # A number in a statement is a word of it.
    assert _codes(client, "5") == {"3.1"}
    assert _codes(client, "care") == {"1.2.5", "12.2"}


def test_english_words_written_against_chinese_are_words_on_either_database(client):
    """Observed on PostgreSQL (not on SQLite): "python" found no course titled "Python程序设计"
    and "nur" no "护理NUR.1.2评估", its parser reading a Chinese character as a letter (课程python
    one word); *Find in the map* and *Find courses* found them."""
    CourseFactory(code="CS1", title="Python程序设计")
    CourseFactory(code="CS2", title="护理NUR.1.2评估")
    CourseFactory(code="CS3", title="Pythagoras for 护理")
    assert _codes(client, "python", "courses") == {"CS1"}
    assert _codes(client, "nur", "courses") == {"CS2"}
    assert _codes(client, "程序设计 python", "courses") == {"CS1"}


def test_english_words_in_chinese_names_are_found_by_the_site_and_positions_searches(client):
    """Observed on both databases: a record's Chinese name was searched for Chinese words only,
    so "sql" found no course whose Chinese title is "SQL数据库" and no position named
    "SQL数据库管理员" in Chinese, which *Find in the map*, the API and the admin found."""
    CourseFactory(code="DB1", title="Databases", title_zh="SQL数据库")
    CourseFactory(code="DB2", title="Spreadsheets", title_zh="电子表格")
    position = PositionFactory(name="Database administrator", name_zh="SQL数据库管理员")
    PlacementFactory(position=position, title="Data keeper")
    PositionFactory(name="Clerk", name_zh="文员")
    assert _codes(client, "sql", "courses") == {"DB1"}
    assert _codes(client, "SQL 数据库", "courses") == {"DB1"}
    assert "Database administrator" in _group(search(client, q="sql"), "positions")
    listed = client.get(reverse("positions:list"), {"q": "sql"}).content.decode()
    assert "Data keeper" in listed
    assert "Clerk" not in listed


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("resume", True),
        ("RÉSUMÉ", True),
        ("résumés", True),
        ("ＲＥＳＵＭＥ", True),  # noqa: RUF001
        ("resu", False),
    ],
)
def test_the_site_search_folds_accents(client, query, found):
    """Observed: "resume" found no "Résumé writing" course, nor "Rédiger un résumé" ability."""
    CourseFactory(code="CV1", title="Résumé writing")
    AbilityFactory(code="F1", text="Rédiger un RÉSUMÉ")
    assert ("CV1" in _codes(client, query, "courses")) is found
    assert ("F1" in _codes(client, query)) is found


# An ESCO-like statement longer than the search boxes take (200 characters), its 200th
# character inside a word.
LONG_STATEMENT = (
    "Manage the cross-border logistics of an online store, including the choice of carriers, "
    "customs declarations, warehousing abroad and returns, so that parcels reach customers in "
    "time and at a predictable cost for the business"
)


def test_a_statement_pasted_whole_finds_its_record_though_the_box_cuts_it(client):
    """Observed: pasting an ability's statement longer than 200 characters found nothing: the
    search kept its first 200 characters, the last word cut in two ("predi"), a word no record
    has. A search cut short ends at a word's end."""
    assert len(LONG_STATEMENT) > 200
    assert LONG_STATEMENT[199].isalpha()
    assert LONG_STATEMENT[200].isalpha()
    AbilityFactory(code="L1", text=LONG_STATEMENT)
    CourseFactory(code="LC1", title=LONG_STATEMENT)
    position = PositionFactory(name=LONG_STATEMENT)
    PlacementFactory(position=position, title=LONG_STATEMENT)
    assert _codes(client, LONG_STATEMENT) == {"L1"}
    assert _codes(client, LONG_STATEMENT, "courses") == {"LC1"}
    listed = client.get(reverse("positions:list"), {"q": LONG_STATEMENT}).content.decode()
    assert "parcels reach customers" in listed.split("<main", 1)[1].split("</form>", 1)[1]


@pytest.fixture
def british():
    behaviour = PositionFactory(name="Consumer behaviour analyst")
    PlacementFactory(position=behaviour, title="Consumer behaviour analyst")
    ability = AbilityFactory(code="S1", text="optimise software")
    RequirementFactory(position=behaviour, ability=ability)
    AbilityFactory(code="S2", text="analyse market data")
    course = CourseFactory(code="CAT1", title="Course catalogue design")
    ProgrammeFactory(name="Software engineering programme", courses=[course])


def test_the_site_search_reads_british_and_american_spellings_as_one(client, british):
    """Observed: a designer typing "optimize" did not find the ability "optimise software", nor
    "behavior" the position "Consumer behaviour analyst" (on SQLite and PostgreSQL alike)."""
    assert "optimise software" in _group(search(client, q="optimize"), "abilities")
    assert "Consumer behaviour analyst" in _group(search(client, q="behavior"), "positions")
    assert "Course catalogue design" in _group(search(client, q="catalog"), "courses")
    assert "Software engineering programme" in _group(search(client, q="program"), "programmes")
    # As the suggestion engine: "analyze" is not "analyse".
    assert "analyse market data" not in search(client, q="analyze")


def test_the_positions_page_reads_british_and_american_spellings_as_one(client, british):
    html = client.get(reverse("positions:list"), {"q": "behavior"}).content.decode()
    assert "Consumer behaviour analyst" in html


def test_a_search_of_either_spelling_costs_the_queries_of_one_spelling(
    client, british, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as one:
        search(client, q="software")
    for q in ("optimize", "behavior", "program"):
        with django_assert_max_num_queries(len(one.captured_queries)):
            search(client, q=q)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("positions:list"), {"q": "analyst"})
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("positions:list"), {"q": "behavior"})
