"""*Find in the map* reads an ability by the site search's word rules (core.search), in its
English statement, its Chinese name and its code, whatever the interface's language. Observed:
it was a substring match on the statement shown, so in English an ability was not found by its
Chinese name, "cast" found "forecast demand" and "运营" found 货运营销 (货运 + 营销)."""

import re

import pytest

from curricula.tests.test_map_views import _rows, workspace  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def named(workspace):  # noqa: F811
    for code, name in (("D1", "分析销售数据"), ("D3", "预测货运营销需求"), ("M1", "策划推广活动")):
        ability = workspace["abilities"][code]
        ability.text_zh = name
        ability.save()
    return workspace


def _found(client, world, q: str, language: dict) -> list[str]:
    page = client.get(world["programme"].get_absolute_url(), {"q": q}, **language)
    assert page.status_code == 200
    html = page.content.decode()
    return _rows(html) if 'id="curriculum-map"' in html else []


def test_in_english_an_ability_is_found_by_its_chinese_name(client, named):
    assert _found(client, named, "销售", EN) == ["D1"]
    assert _found(client, named, "推广活动", EN) == ["M1"]


def test_in_chinese_an_ability_is_found_by_its_english_statement_and_its_code(client, named):
    assert _found(client, named, "sales", ZH) == ["D1"]
    assert _found(client, named, "m2", ZH) == ["M2"]


def test_words_match_as_the_site_search_matches_them_not_as_substrings(client, named):
    # Stemmed: "planning" is a form of "plan"; a word's inside is no word of its own.
    assert _found(client, named, "planning", EN) == ["M1"]
    assert _found(client, named, "cast", EN) == []
    # 预测货运营销需求 is 货运 + 营销: the characters 运营 only sit side by side.
    assert _found(client, named, "运营", ZH) == []
    assert _found(client, named, "营销", ZH) == ["D3"]
    # Every word must match, in any of the record's texts and in any order.
    assert _found(client, named, "数据 analyse", EN) == ["D1"]
    assert _found(client, named, "数据 campaigns", EN) == []


def test_the_start_of_a_code_finds_the_abilities_whose_codes_begin_so(client, named):
    """A partial code is no word of the code (D1 is the word "d1"), yet staff type one to find a
    branch: it finds the abilities whose codes begin with it, in any case and width."""
    assert _found(client, named, "d", EN) == ["D1", "D2", "D3"]
    assert _found(client, named, "ｍ", ZH) == ["M1", "M2"]  # noqa: RUF001
    # Not the inside of a code.
    assert _found(client, named, "1", EN) == []


def test_a_search_of_stop_words_alone_finds_no_ability(client, named):
    """The help and the README said so, yet a search of stop words (no words left to look for)
    kept every row."""
    assert _found(client, named, "the", EN) == []
    assert _found(client, named, "of the 的", ZH) == []


@pytest.fixture
def dotted(workspace):  # noqa: F811
    """A framework numbered as most professional ones are (a Moodle nursing or pharmacy
    framework): 1.2.5, 1.5.2, 2.1.5."""
    for old, new in (("D1", "1.2.5"), ("D2", "1.5.2"), ("D3", "2.1.5"), ("M1", "2.2.1")):
        ability = workspace["abilities"][old]
        ability.code = new
        ability.save()
    return workspace


def _codes(client, world, q: str) -> list[str]:
    """The codes of the map's rows for the search, dots and all (`_rows` reads word codes)."""
    html = client.get(world["programme"].get_absolute_url(), {"q": q}, **EN).content.decode()
    if 'id="curriculum-map"' not in html:
        return []
    table = html.split('id="curriculum-map"')[1].split("</table>")[0]
    return re.findall(
        r'<tr id="row-\d+"[^>]*>\s*<th[^>]*><a[^>]*><span class="code">([^<]+)', table
    )


def test_a_dotted_code_is_found_by_its_start_not_by_its_digits_in_any_order(client, dotted):
    """Observed on a nursing programme mapped to a Moodle framework: *Find in the map* for
    "1.2.5" also kept 1.5.2 and 2.1.5, and "2.2" kept every code holding two 2s, because a
    dotted code's numbers were each a word of it. A code is a word whole (and by its start);
    a bare number inside it is not."""
    assert _codes(client, dotted, "1.2.5") == ["1.2.5"]
    assert _codes(client, dotted, "2.2") == ["2.2.1"]
    assert _codes(client, dotted, "1") == ["1.2.5", "1.5.2"]
    assert _codes(client, dotted, "5") == []
    # Words of a statement still find it, and a number in a statement is a word of it.
    assert _codes(client, dotted, "forecast") == ["2.1.5"]


@pytest.fixture
def numbered(workspace):  # noqa: F811
    """Codes a part of which continues another's: 2.2.1 beside 2.20, NUR.1.2 beside NURS.1."""
    for old, new in (("D1", "2.2.1"), ("D2", "2.20"), ("D3", "NUR.1.2"), ("M1", "NURS.1")):
        ability = workspace["abilities"][old]
        ability.code = new
        ability.save()
    return workspace


def test_the_start_of_a_dotted_code_is_read_a_part_at_a_time_as_the_site_search_reads_it(
    client, numbered
):
    """Observed: *Find in the map* for "2.2" kept 2.20 and "nur" kept NURS.1 (the start of a
    code as typed), where the site search, for the same words, finds 2.2.1 and NUR.1.2 alone:
    a dotted code's start is read a part at a time on both. A code without a dot is still
    found by its start as typed (M finds M2)."""
    assert _codes(client, numbered, "2.2") == ["2.2.1"]
    assert sorted(_codes(client, numbered, "2")) == ["2.2.1", "2.20"]
    assert _codes(client, numbered, "2.20") == ["2.20"]
    assert _codes(client, numbered, "NUR") == ["NUR.1.2"]
    assert _codes(client, numbered, "ｎｕｒ.１") == ["NUR.1.2"]  # noqa: RUF001 (full width)
    assert _codes(client, numbered, "nurs") == ["NURS.1"]
    assert _codes(client, numbered, "nu") == []
    assert _codes(client, numbered, "m") == ["M2"]
    # Words and codes together, as on the site search.
    assert _codes(client, numbered, "nur forecast") == ["NUR.1.2"]
    assert _codes(client, numbered, "2 dashboards") == ["2.20"]


def test_a_code_typed_with_a_chinese_full_stop_is_the_code_in_the_map_too(client, numbered):
    assert _codes(client, numbered, "2。2") == ["2.2.1"]
    assert _codes(client, numbered, "NUR。1") == ["NUR.1.2"]


@pytest.fixture
def accented(workspace):  # noqa: F811
    """Codes and statements written with accents, as a French or German framework writes them."""
    for old, code, text in (
        ("D1", "ÉCO1", "Rédiger un résumé"),
        ("D2", "ÉCO.2", "Analyser les données"),
        ("D3", "GRÜN1", "Plan MÜNCHEN deliveries"),
    ):
        ability = workspace["abilities"][old]
        ability.code, ability.text = code, text
        ability.save()
    return workspace


def test_find_in_the_map_reads_accents_as_the_site_search_does(client, accented):
    """Observed: *Find in the map* for "resume" kept no "Rédiger un résumé" and "eco" no code
    ÉCO1 (the start of a code as typed), where "éco" found it: a letter is found with or
    without its accent, in a statement and in a code's start, as on the site search."""
    assert _codes(client, accented, "resume") == ["ÉCO1"]
    assert _codes(client, accented, "RÉSUMÉ") == ["ÉCO1"]
    assert _codes(client, accented, "munchen") == ["GRÜN1"]
    assert sorted(_codes(client, accented, "eco")) == ["ÉCO.2", "ÉCO1"]
    assert _codes(client, accented, "grun") == ["GRÜN1"]
    assert _codes(client, accented, "donnees") == ["ÉCO.2"]


def test_a_statement_pasted_whole_finds_its_row_though_the_box_cuts_it(client, workspace):  # noqa: F811
    """Observed: pasting a statement longer than the box takes (200 characters) found no row,
    its last word cut in two: the search is cut at a word's end, as the site search's is."""
    from curricula.tests.test_search_page import LONG_STATEMENT

    ability = workspace["abilities"]["D2"]
    ability.text = LONG_STATEMENT
    ability.save()
    assert _found(client, workspace, LONG_STATEMENT, EN) == ["D2"]


def test_traditional_chinese_finds_an_ability_named_in_simplified(client, named):
    """Observed: a reader in Taiwan typing 銷售 (sales) in *Find in the map* found nothing, the
    ability being named 分析销售数据; nor 資料 (Taiwan's word for data) found it."""
    assert _found(client, named, "銷售", ZH) == ["D1"]
    assert _found(client, named, "分析銷售數據", EN) == ["D1"]
    assert _found(client, named, "資料", ZH) == ["D1"]


def test_an_ability_is_found_by_the_name_the_review_page_gives_it(client, workspace):  # noqa: F811
    """Observed: an ESCO skill's statement is its description ("Guide application and
    fulfilment of relevant industry standards…") and its name, the one the suggestion review
    shows, is its label ("manage IT security compliances"): after accepting it, a reviewer who
    typed that name in *Find in the map* was told no required ability matched."""
    ability = workspace["abilities"]["D1"]
    ability.short_name = "manage IT security compliances"
    ability.save()
    assert _found(client, workspace, "compliances", EN) == ["D1"]
    assert _found(client, workspace, "security compliances", ZH) == ["D1"]


def test_find_in_the_map_reads_british_and_american_spellings_as_one(client, workspace):  # noqa: F811
    """Observed: "optimize" did not find "optimise software", nor "behavior" "consumer
    behaviour"; "analyze" stays apart from "analyse", as in the suggestion engine."""
    abilities = workspace["abilities"]
    abilities["D2"].text = "optimise dashboards"
    abilities["D2"].save()
    abilities["M2"].text = "write copy on consumer behaviour"
    abilities["M2"].save()
    assert _found(client, workspace, "optimize", EN) == ["D2"]
    assert _found(client, workspace, "behavior", EN) == ["M2"]
    assert _found(client, workspace, "analyze", EN) == []
