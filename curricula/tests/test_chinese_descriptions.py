# ruff: noqa: RUF001  (Chinese text takes full-width commas and parentheses)
"""Chinese beyond names: certifications' and programmes' descriptions, the tracks' aliases (Table
III's career directions) and the starter links' notes have a Chinese text beside the record's
own, which Chinese pages and the API's display fields show, falling back to the record's own where
there is none. The loader fills them from `data_zh` and the starter file (an editorial
translation) and leaves staff's alone; the exports that other systems read keep the own text."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.models import Certification
from core.models import Provenance
from curricula.models import CourseAbility, Programme
from curricula.paper import paper_load
from curricula.paper.loader import KEPT, UPDATED
from curricula.paper.starter import starter_links
from positions.models import Track, TrackAlias

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
BACHELOR = "Cross-border e-commerce engineer"


def _programme() -> Programme:
    return Programme.objects.get(certification__name=BACHELOR, track__name="Data analysis")


def _link() -> CourseAbility:
    return CourseAbility.objects.select_related("course").get(
        course__code="CBE128", ability__code="P05.2"
    )


def test_the_loader_gives_every_description_alias_and_starter_note_a_chinese_text(paper):
    assert not Certification.objects.filter(description_zh="").exists()
    assert not Programme.objects.filter(description_zh="").exists()
    assert not TrackAlias.objects.filter(name_zh="").exists()
    starter = CourseAbility.objects.filter(provenance=Provenance.STARTER)
    assert starter.count() == len(starter_links())
    assert not starter.filter(note_zh="").exists()
    bachelor = Certification.objects.get(name=BACHELOR)
    assert "跨境电子商务工程师资格证书" in bachelor.description_zh
    assert _programme().description_zh == (
        "表三，跨境电子商务工程师（本科），数理分析方向：该职业方向的课程。"
    )
    assert TrackAlias.objects.get(name="Mathematical analysis").name_zh == "数理分析"
    assert _link().note_zh == "商务数据分析使数据分析能力达到熟练掌握。"


def test_chinese_pages_show_the_chinese_description_and_the_own_where_none(client, paper):
    bachelor = Certification.objects.get(name=BACHELOR)
    senior = Certification.objects.exclude(pk=bachelor.pk).get()
    senior.description_zh = ""
    senior.save()
    page = client.get(reverse("certifications:list"), **ZH).content.decode()
    assert bachelor.description_zh[:20] in page
    assert "all students must obtain" not in page
    assert "The name is kept as Table" in page  # no Chinese description: the own one
    english = client.get(reverse("certifications:list")).content.decode()
    assert "all students must obtain" in english
    assert bachelor.description_zh[:20] not in english

    programme = _programme()
    page = client.get(programme.get_absolute_url(), **ZH).content.decode()
    assert "数理分析方向：该职业方向的课程" in page
    assert "the courses of this career direction" not in page
    Programme.objects.filter(pk=programme.pk).update(description_zh="")
    page = client.get(programme.get_absolute_url(), **ZH).content.decode()
    assert "the courses of this career direction" in page


def test_chinese_pages_name_the_career_directions_aliases_in_chinese_once(client, paper):
    """Table III's "Technological development" and Section III F's "technology development" are
    both 技术开发: a Chinese page names it once."""
    for url in (reverse("certifications:list"), reverse("positions:list")):
        page = client.get(url, **ZH).content.decode()
        assert "Technological development" not in page, url
        assert "Mathematical analysis" not in page, url
        assert "数理分析" in page, url
        assert "技术开发, 技术开发" not in page, url
        english = client.get(url).content.decode()
        assert "Technological development, technology development" in english, url
    research = Track.objects.get(name="Research and development")
    with translation.override("zh-hans"):
        assert research.display_aliases == ["技术开发"]
    assert research.display_aliases == ["Technological development", "technology development"]


def test_chinese_pages_show_the_starter_notes_in_chinese(client, paper):
    link = _link()
    page = client.get(link.course.get_absolute_url(), **ZH).content.decode()
    assert link.note_zh in page
    assert link.note not in page
    assert link.note in client.get(link.course.get_absolute_url()).content.decode()
    CourseAbility.objects.filter(pk=link.pk).update(note_zh="")
    page = client.get(link.course.get_absolute_url(), **ZH).content.decode()
    assert link.note in page


def test_the_api_offers_the_chinese_texts_beside_the_own(paper, api_client):
    certification = Certification.objects.get(name=BACHELOR)
    url = f"/api/v1/certifications/{certification.pk}/"
    english, chinese = api_client.get(url).json(), api_client.get(url, **ZH).json()
    assert english["description"] == chinese["description"] == certification.description
    assert english["description_zh"] == chinese["description_zh"] == certification.description_zh
    assert english["display_description"] == certification.description
    assert chinese["display_description"] == certification.description_zh

    programme = _programme()
    url = f"/api/v1/programs/{programme.pk}/"
    english, chinese = api_client.get(url).json(), api_client.get(url, **ZH).json()
    assert english["description_zh"] == programme.description_zh
    assert english["display_description"] == programme.description
    assert chinese["display_description"] == programme.description_zh

    track = Track.objects.get(name="Data analysis")
    url = f"/api/v1/tracks/{track.pk}/"
    english, chinese = api_client.get(url).json(), api_client.get(url, **ZH).json()
    assert english["aliases"] == chinese["aliases"] == ["Mathematical analysis"]
    assert english["display_aliases"] == ["Mathematical analysis"]
    assert chinese["display_aliases"] == ["数理分析"]

    link = _link()
    url = f"/api/v1/course-abilities/{link.pk}/"
    english, chinese = api_client.get(url).json(), api_client.get(url, **ZH).json()
    assert english["note"] == chinese["note"] == link.note
    assert english["note_zh"] == link.note_zh
    assert (english["display_note"], chinese["display_note"]) == (link.note, link.note_zh)


def test_staff_write_the_chinese_description_and_note_through_the_api(paper, staff_client):
    api_client = staff_client
    programme = _programme()
    response = api_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"description_zh": "数据分析方向。"}, format="json"
    )
    assert response.status_code == 200, response.content
    programme.refresh_from_db()
    assert (programme.description_zh, programme.provenance) == ("数据分析方向。", Provenance.EDIT)
    link = _link()
    response = api_client.patch(
        f"/api/v1/course-abilities/{link.pk}/", {"note_zh": "已修订。"}, format="json"
    )
    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert (link.note_zh, link.provenance) == ("已修订。", Provenance.EDIT)


def test_a_database_loaded_before_gets_the_chinese_texts_on_the_next_load(paper):
    """A paper record without them (loaded before they existed) is the loader's: it fills them."""
    Certification.objects.update(description_zh="")
    Programme.objects.update(description_zh="")
    TrackAlias.objects.update(name_zh="")
    CourseAbility.objects.filter(provenance=Provenance.STARTER).update(note_zh="")
    report = paper_load()
    assert report.count(Certification, UPDATED) == 2
    assert report.count(Programme, UPDATED) == 6
    assert report.count(TrackAlias, UPDATED) == 3
    assert report.count(CourseAbility, UPDATED) == len(starter_links())
    assert _link().note_zh == "商务数据分析使数据分析能力达到熟练掌握。"
    assert paper_load().total(UPDATED) == 0


def test_a_staff_edited_chinese_description_or_note_survives_a_reload(paper, admin_client):
    """Staff edit the Chinese description in the admin (provenance "edit"): the loader keeps it."""
    certification = Certification.objects.get(name=BACHELOR)
    form = {
        "name": certification.name,
        "name_zh": certification.name_zh,
        "description": certification.description,
        "description_zh": "学生须取得跨境电子商务工程师证书。",
        "degree_level": certification.degree_level,
        "awarding_body": "",
        "order": certification.order,
        "source_ref": certification.source_ref,
    }
    response = admin_client.post(
        reverse("admin:certifications_certification_change", args=[certification.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = _link()
    link.note_zh = "由课程负责人改写。"
    link.provenance = Provenance.EDIT
    link.save()
    report = paper_load()
    assert report.count(Certification, KEPT) == 1
    assert report.count(CourseAbility, KEPT) == 1
    certification.refresh_from_db()
    assert certification.description_zh == "学生须取得跨境电子商务工程师证书。"
    assert certification.provenance == Provenance.EDIT
    assert _link().note_zh == "由课程负责人改写。"


def test_the_admin_finds_a_track_and_an_alias_by_its_chinese_alias(admin_client, paper):
    tracks = admin_client.get(reverse("admin:positions_track_changelist"), {"q": "数理分析"})
    assert tracks.context["cl"].result_count == 1
    assert tracks.context["cl"].result_list[0].name == "Data analysis"
    aliases = admin_client.get(reverse("admin:positions_trackalias_changelist"), {"q": "技术开发"})
    assert {alias.name for alias in aliases.context["cl"].result_list} == {
        "Technological development",
        "technology development",
    }


def test_the_link_export_keeps_the_own_note_and_the_chinese_one_in_its_own_column(
    paper, staff_client
):
    """The links' CSV (read back by the import and by other systems) keeps its English column
    names and the own note in `note`, whatever the request's language; the Chinese note is in
    `note_zh` beside it."""
    response = staff_client.get("/api/v1/course-abilities/export/", **ZH)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "course",
        "framework",
        "ability",
        "level",
        "note",
        "note_zh",
        "ability_uri",
        "ability_external_id",
    ]
    notes = {(row[4], row[5]) for row in rows[1:]}
    assert (_link().note, _link().note_zh) in notes


def test_the_map_s_ability_page_and_the_chinese_workbook_give_the_chinese_note(client, paper):
    """The notes the pages show are read in Chinese on the programme's ability page and in the
    workbook's provenance sheet; the English workbook keeps the own note."""
    from openpyxl import load_workbook

    programme = Programme.objects.get(
        certification__name="Cross border senior e-commerce engineer",
        track__name="Data analysis",
    )
    link = CourseAbility.objects.get(course__code="CBE129", ability__code="P08.2")
    page = client.get(
        reverse("curricula:programme-ability", args=[programme.pk, link.ability_id]), **ZH
    ).content.decode()
    assert link.note_zh in page
    assert link.note not in page
    url = reverse("curricula:programme-workbook", args=[programme.pk])

    def provenance_sheet(**headers) -> str:
        book = load_workbook(io.BytesIO(client.get(url, **headers).content))
        sheet = book.worksheets[-1]
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)

    chinese = provenance_sheet(**ZH)
    assert link.note_zh in chinese
    assert link.note not in chinese
    english = provenance_sheet()
    assert link.note in english
    assert link.note_zh not in english
