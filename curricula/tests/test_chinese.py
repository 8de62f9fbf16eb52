# ruff: noqa: RUF001  (Chinese text takes full-width commas and semicolons)
"""Chinese: the paper's records have Chinese names (an editorial translation) that pages and the
API show while the interface is Chinese; the interface's own words (chart, level names, preview
statuses, admin sections, source references) are translated too. In English nothing changes."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.limits import at_line
from curricula.coverage.services import coverage_recompute
from curricula.models import Course, Programme
from curricula.paper import data, data_zh
from curricula.paper.source_refs import source_ref_label
from curricula.templatetags.maps import status_label
from positions.models import Ability, CompetencyArea, Level, Position, Track

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def computed(paper):
    coverage_recompute(force=True)


def _programme() -> Programme:
    return Programme.objects.order_by("order").first()


def test_every_paper_record_has_a_chinese_name(paper):
    """47 statements, 15 positions, 31 courses, 5 areas and 3 tracks, none left blank."""
    counts = {
        Ability: ("text_zh", 47),
        Position: ("name_zh", 15),
        Course: ("title_zh", 31),
        CompetencyArea: ("name_zh", 5),
        Track: ("name_zh", 3),
    }
    for model, (field, count) in counts.items():
        assert model.objects.count() == count, model
        assert not model.objects.filter(**{field: ""}).exists(), model
    assert CompetencyArea.objects.get(code="MK").name_zh == "市场营销能力"
    assert Ability.objects.get(code="P05.2").text_zh == "具有数据分析能力"
    # Marked as an editorial translation where the data lives.
    assert "editorial translation" in data_zh.__doc__
    assert set(data_zh.COURSES) == {code for code, *_rest in data.COURSES}


def test_names_follow_the_interface_language(paper):
    area = CompetencyArea.objects.get(code="DA")
    course = Course.objects.get(code="CBE114")
    ability = Ability.objects.get(code="P05.2")
    assert (area.display_name, course.display_title, ability.display_text) == (
        "Data analysis ability",
        "Database technology",
        "have data analysis ability",
    )
    with translation.override("zh-hans"):
        assert (area.display_name, course.display_title, ability.display_text) == (
            "数据分析能力",
            "数据库技术",
            "具有数据分析能力",
        )
        # No Chinese name: the record's own.
        course.title_zh = ""
        assert course.display_title == "Database technology"


def test_programme_page_and_chart_in_chinese(client, computed):
    programme = _programme()
    page = client.get(programme.get_absolute_url(), **ZH).content.decode()
    track = programme.track
    assert track.name_zh in page
    assert "动态网页设计" in page  # a course column (CBE101)
    assert "熟练掌握" in page  # the level legend's "Mastered"
    assert "Dynamic Web Design" not in page
    chart = client.get(reverse("curricula:programme-chart", args=[programme.pk]), **ZH)
    svg = chart.content.decode()
    assert "按能力领域的覆盖情况" in svg  # the SVG's title
    assert "各能力领域的核心能力" in svg  # its heading
    assert "研发能力" in svg  # an area's bar
    for english in ("Essential abilities by competency area", "Coverage by competency area"):
        assert english not in svg
    assert ">已覆盖<" in svg


def test_english_pages_keep_the_papers_words(client, computed):
    page = client.get(_programme().get_absolute_url()).content.decode()
    assert "Dynamic Web Design" in page
    assert "动态网页设计" not in page


def test_positions_certifications_and_position_pages_in_chinese(client, computed):
    positions = client.get(reverse("positions:list"), **ZH).content.decode()
    assert "研发类" in positions  # a Table I track
    assert "网页编辑与美工" in positions  # a Table II name beside Table I's title
    certifications = client.get(reverse("certifications:list"), **ZH).content.decode()
    assert "网络零售实务" in certifications
    position = Position.objects.get(code="P04")
    detail = client.get(position.get_absolute_url(), **ZH).content.decode()
    assert "<h1>网络营销专员</h1>" in detail
    assert "表二，职位 4" in detail  # its source reference
    assert "具有网店销售经验和一定的图片处理能力" in detail


def test_the_api_answers_in_the_language_asked(paper, api_client):
    """The API shows the stored names and, under Accept-Language: zh-hans, the Chinese ones in
    `display_name` / `display_title` / `display_text`; the Chinese fields are readable too."""
    course = Course.objects.get(code="CBE101")
    url = f"/api/v1/courses/{course.pk}/"
    english = api_client.get(url).json()
    chinese = api_client.get(url, **ZH).json()
    assert english["title"] == chinese["title"] == "Dynamic Web Design"
    assert english["title_zh"] == chinese["title_zh"] == "动态网页设计"
    assert english["display_title"] == "Dynamic Web Design"
    assert chinese["display_title"] == "动态网页设计"
    position = Position.objects.get(code="P04")
    body = api_client.get(f"/api/v1/positions/{position.pk}/", **ZH).json()
    assert body["display_name"] == "网络营销专员"


def test_level_names_statuses_and_source_references_are_translated():
    level = Level.objects.get(code="M")
    assert level.display_name == "Mastered"
    with translation.override("zh-hans"):
        assert level.display_name == "熟练掌握"
        assert status_label("partial") == "部分覆盖"
        assert status_label("missing") == "缺失"
        assert source_ref_label("Table II, position 4") == "表二，职位 4"
        assert (
            source_ref_label("Table I, Data analysis, Master; Table II gives no profile")
            == "表一，数据分析类，硕士；表二未给出能力要求"
        )
        assert source_ref_label("Editorial starter mapping") != "Editorial starter mapping"
        assert source_ref_label("ESCO import, 2024") == "ESCO import, 2024"
    assert status_label("partial") == "partial"
    assert source_ref_label("Table II, position 4") == "Table II, position 4"


def test_admin_sections_are_headed_in_chinese(admin_client):
    """The admin heads each app's section with its verbose name, translated."""
    from django.apps import apps

    with translation.override("zh-hans"):
        names = {label: str(apps.get_app_config(label).verbose_name) for label in LABELS}
    assert names == LABELS
    page = admin_client.get("/admin/", **ZH).content.decode()
    assert f">{names['positions']}<" in page or f"{names['positions']}</a>" in page


LABELS = {"positions": "职位", "certifications": "职业认证", "curricula": "课程体系"}


def test_find_in_the_map_matches_the_chinese_and_the_own_statement(client, paper):
    """In Chinese the map's rows read in Chinese; its search finds a row by either wording."""
    programme = Programme.objects.get(
        certification__name="Cross-border e-commerce engineer", track__name="Data analysis"
    )
    url = programme.get_absolute_url()
    for query in ("数据分析能力", "data analysis ability"):
        page = client.get(url, {"q": query}, **ZH).content.decode()
        # The map's table only: the progression below it lists every ability the programme builds.
        grid = page[page.index('id="curriculum-map"') :].split("</table>", 1)[0]
        assert "具有数据分析能力" in grid, query
        assert "具有扎实的计算机基础" not in grid, query


def test_certifications_programmes_modules_and_stages_read_in_chinese(client, computed):
    """Table III's certifications and programmes and Section IV's modules and stages have
    Chinese names too, so a Chinese page names no record in English but the paper's quotes."""
    from certifications.models import Certification, TrainingStage
    from curricula.models import Module

    assert not Certification.objects.filter(name_zh="").exists()
    assert not Module.objects.filter(name_zh="").exists()
    assert not TrainingStage.objects.filter(name_zh="").exists()
    assert not Programme.objects.filter(name_zh="").exists()
    programme = _programme()
    assert programme.name_zh == "跨境电子商务工程师 — 技术开发"
    page = client.get(programme.get_absolute_url(), **ZH).content.decode()
    assert "<h1>跨境电子商务工程师 — 技术开发</h1>" in page
    assert "网络技术模块" in page  # the map's module header
    certifications = client.get(reverse("certifications:list"), **ZH).content.decode()
    assert "跨境高级电子商务工程师" in certifications
    assert "认知演示" in certifications
    assert "Cognitive demonstration" not in certifications


def _readiness(html: str) -> str:
    start = html.index('id="certification-readiness"')
    return html[start : html.index("</section>", start)]


def test_certification_readiness_names_the_certification_track_and_courses_in_chinese(
    client, computed
):
    """The programme page's readiness named the certification, the direction and the missing
    and added courses in English in a Chinese page: 培养方案包含 Cross-border e-commerce
    engineer 为 Research and development 方向列出的 4 门课程中的 4 门."""
    from curricula.models import CertificationCourse

    programme = _programme()
    listed = CertificationCourse.objects.filter(
        certification=programme.certification, track=programme.track
    ).values("course")
    dropped = programme.programme_courses.filter(course__in=listed).order_by("order").first()
    dropped_course = dropped.course
    added = Course.objects.exclude(programme_entries__programme=programme).order_by("code")[0]
    dropped.delete()
    programme.programme_courses.create(course=added, order=99)
    readiness = _readiness(client.get(programme.get_absolute_url(), **ZH).content.decode())
    assert programme.certification.name_zh in readiness
    assert programme.track.name_zh in readiness
    assert dropped_course.title_zh in readiness
    assert added.title_zh in readiness
    for english in (
        programme.certification.name,
        programme.track.name,
        dropped_course.title,
        added.title,
    ):
        assert english not in readiness
    english = _readiness(client.get(programme.get_absolute_url()).content.decode())
    assert programme.certification.name in english
    assert dropped_course.title in english


def test_the_map_csv_and_the_workbook_name_everything_in_chinese(client, computed):
    """Observed: under the Chinese headers 课程名称 and 面向职位, the map CSV and the workbook
    gave the courses as Table III lists them in English ("Dynamic Web Design"), the targets,
    the competency areas and the provenance sheet's courses and abilities in English too,
    beside the Chinese statements of the other columns."""
    import io

    from openpyxl import load_workbook

    programme = _programme()
    csv_text = b"".join(
        client.get(reverse("curricula:programme-map-csv", args=[programme.pk]), **ZH)
    ).decode("utf-8-sig")
    assert "CBE101,动态网页设计," in csv_text
    assert "Dynamic Web Design" not in csv_text
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("curricula:programme-workbook", args=[programme.pk]), **ZH).content
        )
    )
    texts = {
        sheet.title: " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
        for sheet in book.worksheets
    }
    everything = " ".join(texts.values())
    for english in (
        "Dynamic Web Design",  # a course
        "Web editor and artist",  # a target position
        "Research and development ability",  # a competency area
        "have excellent web interface design",  # an ability
        "Editorial starter mapping",  # a source reference
    ):
        assert english not in everything, english
    for chinese in ("动态网页设计", "网页编辑与美工", "研发能力", "具有出色的网页界面设计"):
        assert chinese in texts["数据来源"] + texts["地图"] + texts["概要"], chinese
    # In English, the paper's own words.
    english_book = load_workbook(
        io.BytesIO(client.get(reverse("curricula:programme-workbook", args=[programme.pk])).content)
    )
    assert "Dynamic Web Design" in " ".join(
        str(v) for row in english_book["Map"].iter_rows(values_only=True) for v in row if v
    )


def test_table_one_heads_each_position_with_its_chinese_name(client, computed):
    """Observed: in Chinese, Table I's grid headed every position with Table I's English title
    ("developer and designer of website", "data analyst"), its Chinese name below in small type
    or, where the titles agree, nowhere. In Chinese the name leads and Table I's title follows
    it; in English the grid is Table I's, as before."""
    import re

    page = client.get(reverse("positions:list"), **ZH).content.decode()
    links = re.findall(r'<a href="/positions/\d+/">([^<]*)</a>', page)
    assert "网页编辑与美工" in links
    assert "数据分析师" in links
    assert "developer and designer of website" not in links
    assert "data analyst" not in links
    assert "（表一：“developer and designer of website”）" in page
    english = client.get(reverse("positions:list")).content.decode()
    assert "developer and designer of website</a>" in english
    assert "Table II: Web editor and artist" in english


def test_the_paper_s_framework_has_a_chinese_name(client, computed, api_client):
    """Observed: in Chinese, every ability on a course's page and every card of a suggestion
    review was followed by "Cross-border e-commerce professional abilities 1.0": frameworks had
    no Chinese name."""
    from positions.models import Framework

    framework = Framework.objects.get(identifier=data.FRAMEWORK_IDENTIFIER)
    assert framework.name_zh == data_zh.FRAMEWORK_NAME
    course = Course.objects.get(code="CBE101")
    page = client.get(course.get_absolute_url(), **ZH).content.decode()
    assert data_zh.FRAMEWORK_NAME in page
    assert framework.name not in page
    english = client.get(course.get_absolute_url()).content.decode()
    assert framework.name in english
    answer = api_client.get(f"/api/v1/frameworks/{framework.pk}/", **ZH).json()
    assert (answer["name"], answer["display_name"]) == (framework.name, data_zh.FRAMEWORK_NAME)


def test_the_search_in_chinese_puts_no_ascii_colon_after_a_chinese_label(
    client, paper, chinese_stand_in
):
    """The search listed an ability's positions after "要求该能力的职位: " (the translated label,
    then the template's own colon and space), then after "要求该能力的职位： " (the label's own
    full-width colon, then the template's space); the colon and its spacing are the message's
    now. In English it reads as before."""  # noqa: RUF002
    chinese_stand_in(None, "required by")
    chinese = client.get(reverse("search"), {"q": "数据分析"}, **ZH).content.decode()
    english = client.get(reverse("search"), {"q": "data analysis"}).content.decode()

    with translation.override("zh-hans"):
        label = translation.gettext("required by")
        labelled = translation.gettext("%(label)s: %(value)s") % {"label": label, "value": "<a"}
    assert labelled in chinese
    assert f"{label}: " not in chinese
    assert 'required by: <a href="' in english


def test_the_footer_cites_the_paper_by_its_title_with_a_chinese_rendering(client, paper):
    """The paper is in English and has no Chinese title: the Chinese footer cites it as written
    and gives a translation of the title, said to be one."""
    html = client.get("/", **ZH).content.decode()
    footer = html[html.index("<footer") :]
    assert "<cite>Research on Cross-border E-commerce Professional Capabilities" in footer
    assert "译名《跨境电子商务专业能力与人才培养模式研究》" in footer


def test_an_import_s_source_reference_is_read_in_the_interface_s_language():
    """Observed: a position a Chinese requirements file created showed its source as
    “导入 · req.csv, line 2”, the line in English, though the import's reports say
    “req.csv 第 2 行”. The stored reference stays as written (exports, history)."""
    with translation.override("zh-hans"):
        assert source_ref_label("req.csv, line 2") == at_line(2, file="req.csv")
        assert "line" not in source_ref_label("护理学课程.xlsx, line 12")
        assert source_ref_label("ESCO import, 2024") == "ESCO import, 2024"
    assert source_ref_label("req.csv, line 2") == "req.csv line 2"


def test_the_programme_s_downloads_are_named_in_the_reader_s_language(client, computed):
    """Observed: in Chinese the map CSV, the workbook and the chart, all naming the programme in
    Chinese inside, downloaded as cross-border-e-commerce-engineer-technological-development-
    workbook.xlsx: named after the English name. Under filename*= the Chinese name, beside an
    ASCII filename= a browser without RFC 6266 support takes."""
    from urllib.parse import quote

    programme = _programme()
    for name, suffix in (
        ("curricula:programme-map-csv", "-map.csv"),
        ("curricula:programme-workbook", "-workbook.xlsx"),
        ("curricula:programme-chart", "-coverage.svg"),
    ):
        url = reverse(name, args=[programme.pk])
        chinese = client.get(url, **ZH)["Content-Disposition"]
        assert f'filename="programme-{programme.pk}{suffix}"' in chinese
        assert quote("跨境电子商务工程师") in chinese, chinese
        english = client.get(url)["Content-Disposition"]
        assert "cross-border-e-commerce-engineer" in english
        assert "filename*" not in english
    api = client.get(f"/api/v1/programs/{programme.pk}/workbook.xlsx", **ZH)
    assert quote("跨境电子商务工程师") in api["Content-Disposition"]


def test_a_listed_title_s_bracket_follows_the_name_without_a_space_in_chinese(client, computed):
    """Observed: 面向职位：网络营销经理 （表一：“network marketing manager”）: a space before the
    full-width bracket, on the programme page, its gap report, the printable report and the
    map's position filter. English keeps its space: manager (Table I: …)."""  # noqa: RUF002
    import re

    pages = [
        reverse("curricula:programme-detail", args=[programme.pk])
        for programme in Programme.objects.all()
    ]
    pages += [url + "report/" for url in pages]
    noted = 0
    for url in pages:
        page = client.get(url, **ZH).content.decode()
        text = re.sub(r"<[^>]+>", "", page)
        noted += "（表一：" in text
        assert not re.search(r"\s（(表一|列为)", text), url
        english = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
        assert ("(Table I: " in english) == ("（表一：" in text), url
        assert not re.search(r"\s\s\(Table I: ", english), url
    assert noted
