"""Chinese typed in either script, and in Taiwan's words or the mainland's, as a user in Taiwan
or Hong Kong searches: the site search (core.search), the positions page, the map's Find, the
API's ?search= and the admin all find a record written in the other. Observed: 數據分析 found
no course titled 数据分析, 数据分析 none written 數據分析, and 資料分析 (Taiwan's word for
data analysis) none of either."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import search_ids, search_query, text_terms
from curricula.models import Course
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

FIELDS = ("title", "description")


@pytest.fixture
def courses():
    return {
        code: CourseFactory(code=code, title=title, title_zh=title_zh)
        for code, title, title_zh in [
            ("SIMP", "数据分析基础", ""),
            ("TRAD", "數據分析實務", ""),
            ("TW", "資料分析導論", ""),
            ("SOFT", "Software engineering", "软件工程"),
            ("SRV", "服务器运维", ""),
            ("NET", "網絡營銷", ""),
            ("PRG", "程序设计基础", ""),
            ("INFO", "資訊管理", ""),
            ("LOG", "国际物流", ""),
        ]
    }


def found(query: str) -> list[str]:
    ids = search_ids(Course.objects.all(), fields=FIELDS, chinese_fields=("title_zh",), query=query)
    codes = dict(Course.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [codes[pk] for pk in ids]


def test_traditional_finds_simplified_and_simplified_traditional(courses):
    assert set(found("數據分析")) == {"SIMP", "TRAD", "TW"}
    assert set(found("数据分析")) == {"SIMP", "TRAD", "TW"}
    assert set(found("數據")) == {"SIMP", "TRAD", "TW"}
    assert set(found("网络营销")) == {"NET"}
    # Traditional records are read as words too, not character by character.
    assert {"数据", "分析", "实务"} <= text_terms("數據分析實務")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("資料分析", {"SIMP", "TRAD", "TW"}),  # Taiwan's 資料 is the mainland's 数据
        ("资料分析", {"TW"}),  # typed in Simplified it is read as the mainland's 资料 (materials)
        ("軟體工程", {"SOFT"}),
        ("软体", set()),
        ("伺服器", {"SRV"}),
        ("服務器", {"SRV"}),
        ("程式設計", {"PRG"}),
        ("資訊", {"INFO"}),
        ("信息管理", {"INFO"}),
        ("网络", {"NET"}),
        ("國際物流", {"LOG"}),
    ],
)
def test_taiwan_and_mainland_words_find_each_other(courses, query, expected):
    assert set(found(query)) == expected


def test_a_match_as_typed_ranks_before_one_in_the_other_script(db):
    """Each course is found by either spelling; the one written as typed comes first, whatever
    was entered first (the variants' matches otherwise came in the order of their keys)."""
    for code, title in [("TW", "資料分析導論"), ("TRAD", "數據分析實務"), ("SIMP", "数据分析基础")]:
        CourseFactory(code=code, title=title)
    assert found("数据分析")[0] == "SIMP"
    assert found("數據分析")[0] == "TRAD"
    assert found("資料分析")[0] == "TW"
    assert found("数据分析 基础") == ["SIMP"]


def test_the_words_of_a_traditional_query_are_the_simplified_ones():
    assert search_query("數據分析").chinese == ("数据", "分析")
    assert search_query("數據分析").matches("数据分析师")
    assert not search_query("數據分析").matches("数据库")


def test_the_site_search_page_finds_either_script(client, courses):
    html = client.get(reverse("search"), {"q": "數據分析"}).content.decode()
    assert "数据分析基础" in html
    assert "數據分析實務" in html


def test_the_api_search_finds_either_script(api_client, courses):
    for query, expected in [
        ("數據分析", ["SIMP", "TRAD", "TW"]),
        ("数据分析", ["SIMP", "TRAD", "TW"]),
        ("軟體", ["SOFT"]),
        ("數據_析", []),  # LIKE's wildcards are characters typed, in every spelling
        ("數據%", []),
    ]:
        results = api_client.get("/api/v1/courses/", {"search": query}).json()["results"]
        assert sorted(course["code"] for course in results) == expected, query


def test_the_admin_search_finds_either_script(admin_client, courses):
    url = reverse("admin:curricula_course_changelist")
    listed = admin_client.get(url, {"q": "數據分析"}).context["cl"].result_list
    assert sorted(course.code for course in listed) == ["SIMP", "TRAD", "TW"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_a_traditional_query_keeps_the_gin_index(courses):
    from curricula.selectors import search as site

    with CaptureQueriesContext(connection) as queries:
        search_ids(
            site._querysets()["courses"],
            fields=site.FIELDS["courses"],
            chinese_fields=site.CHINESE_FIELDS["courses"],
            query="資料 operations",
        )
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "curricula_course_words" in plan, plan


def test_the_positions_page_finds_either_script(client):
    from positions.tests.factories import PositionFactory

    PositionFactory(code="DA", name="Data analyst", name_zh="数据分析师")
    html = client.get(reverse("positions:list"), {"q": "數據分析"}).content.decode()
    assert "Data analyst" in html


def test_a_query_of_one_chinese_character_finds_the_words_holding_it(db):
    """Observed: 税 (tax) typed alone found neither 国际税收 nor 关税实务, jieba reading them
    国际 / 税收 and 关税 / 实务: a character typed alone is looked for inside the words, as a
    reader typing one expects. Inside a longer query it is still a word (运营 does not find
    国际货运营销, and 课 of 实践课 is no part of 课程)."""
    for code, title in [("TAX", "国际税收"), ("DUTY", "关税实务"), ("LAW", "电子商务法")]:
        CourseFactory(code=code, title=title)
    CourseFactory(code="PRAC", title="综合实践课")
    CourseFactory(code="COURSE", title="实践课程设计")
    assert set(found("税")) == {"TAX", "DUTY"}
    assert set(found("稅")) == {"TAX", "DUTY"}
    assert set(found("税 实务")) == {"DUTY"}
    assert set(found("税收")) == {"TAX"}
    assert set(found("综合实践课")) == {"PRAC"}
    assert set(found("的")) == set()
