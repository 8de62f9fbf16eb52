"""With the paper loaded, the certifications page, the programmes list and a programme's
certification readiness cite Table III only for what the paper lists (provenance, or the source
reference the loader gave a record, which an edit keeps): a certification, a course list or a
programme staff added beside the paper's is not Table III's."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from certifications.models import Certification
from certifications.tests.factories import CertificationFactory
from core.models import Provenance
from curricula.models import CertificationCourse, Programme
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

TABLE_III_LEDE = "Table III of the study: each professional certification"


def _text(client, url: str) -> str:
    return " ".join(client.get(url).content.decode().split())


def _lede(html: str) -> str:
    return html.split('<p class="lede">', 1)[1].split("</p>", 1)[0]


def _readiness(html: str) -> str:
    return html.split('id="certification-readiness"', 1)[1].split("</section>", 1)[0]


def _paper_programme() -> Programme:
    return Programme.objects.order_by("order").first()


def test_the_papers_certifications_alone_are_table_iii(client, paper):
    lede = _lede(_text(client, reverse("certifications:list")))
    assert lede.startswith(TABLE_III_LEDE)


def test_a_certification_staff_added_is_not_called_table_iii(client, paper):
    CertificationFactory(name="Drone operations licence")
    total = Certification.objects.count()
    lede = _lede(_text(client, reverse("certifications:list")))
    assert TABLE_III_LEDE not in lede
    assert lede == (
        "Each professional certification, the career directions it is taken in, and the courses "
        "it lists for each. A programme need not lead to one. Table III of the study lists "
        f"{total - 1} of the {total} certifications below."
    )


def test_a_course_staff_added_to_a_papers_list_is_not_table_iii(client, paper):
    """The lede calls the courses listed Table III's too: one added by staff makes it not."""
    programme = _paper_programme()
    CertificationCourse.objects.create(
        certification=programme.certification, track=programme.track, course=CourseFactory()
    )
    lede = _lede(_text(client, reverse("certifications:list")))
    assert TABLE_III_LEDE not in lede
    assert lede.startswith("Each professional certification, the career directions")
    assert lede.endswith(
        "Table III of the study lists these certifications, but not every course or direction "
        "below."
    )


def test_a_programme_staff_added_under_a_papers_certification_is_not_table_iii(client, paper):
    """Its direction shows its own courses, which Table III does not list."""
    ProgrammeFactory(certification=_paper_programme().certification)
    lede = _lede(_text(client, reverse("certifications:list")))
    assert TABLE_III_LEDE not in lede


def test_the_papers_records_staff_edited_are_still_table_iii(client, paper):
    """An edit keeps the source reference the loader gave a record: by it, a certification,
    a list entry or a programme staff edited is still the paper's."""
    for model in (Certification, CertificationCourse, Programme):
        model.objects.update(provenance=Provenance.EDIT)
    assert _lede(_text(client, reverse("certifications:list"))).startswith(TABLE_III_LEDE)
    assert "(Table III)" in _lede(_text(client, reverse("curricula:programme-list")))
    readiness = _readiness(_text(client, _paper_programme().get_absolute_url()))
    assert "direction (Table III)." in readiness


def test_the_papers_programmes_alone_are_called_table_iii_directions(client, paper):
    lede = _lede(_text(client, reverse("curricula:programme-list")))
    assert lede == (
        "Each programme is a certification taken in one career direction (Table III). Open one "
        "for its curriculum map and gap report."
    )


def test_a_programme_staff_added_is_not_called_a_table_iii_direction(client, paper):
    ProgrammeFactory(
        name="Drone logistics", certification=None, track=None, own_degree_level="bachelor"
    )
    total = Programme.objects.count()
    lede = _lede(_text(client, reverse("curricula:programme-list")))
    assert "(Table III)" not in lede
    assert lede == (
        "Open a programme for its curriculum map and gap report. Table III of the study gives "
        f"{total - 1} of the {total} programmes below."
    )


def test_readiness_against_the_papers_list_cites_table_iii(client, paper):
    readiness = _readiness(_text(client, _paper_programme().get_absolute_url()))
    assert "direction (Table III)." in readiness


def test_readiness_against_a_list_staff_changed_cites_no_table_iii(client, paper):
    programme = _paper_programme()
    CertificationCourse.objects.create(
        certification=programme.certification, track=programme.track, course=CourseFactory()
    )
    readiness = _readiness(_text(client, programme.get_absolute_url()))
    assert "Table III" not in readiness
    assert "lists for the" in readiness


def test_readiness_against_a_staff_certifications_list_cites_no_table_iii(client, paper):
    programme = ProgrammeFactory(name="Drone logistics")
    CertificationCourse.objects.create(
        certification=programme.certification, track=programme.track, course=CourseFactory()
    )
    readiness = _readiness(_text(client, programme.get_absolute_url()))
    assert "Table III" not in readiness
    assert "The programme contains 0 of the 1 courses" in readiness


ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_new_words_are_translated(client, paper, chinese_stand_in):
    """Chinese pages read the neutral words in Chinese (the stand-in until the catalogue has
    them)."""
    added = (
        "Table III of the study lists these certifications, but not every course or direction "
        "below."
    )
    neutral = (
        "The programme contains %(present)s of the %(listed)s courses %(certification)s lists "
        "for the %(track)s direction."
    )
    chinese_stand_in(None, added)
    chinese_stand_in(None, neutral)
    programme = _paper_programme()
    CertificationCourse.objects.create(
        certification=programme.certification, track=programme.track, course=CourseFactory()
    )
    html = client.get(reverse("certifications:list"), **ZH).content.decode()
    with translation.override("zh-hans"):
        added_zh, neutral_zh = gettext(added), gettext(neutral)
    assert added_zh in html
    assert "论文表三：" not in html  # noqa: RUF001 (the paper's own introduction)
    readiness = _readiness(client.get(programme.get_absolute_url(), **ZH).content.decode())
    assert neutral_zh.split("%(")[0] in readiness
    assert "表三" not in readiness


def _progression(html: str) -> str:
    return html.split('id="progression-heading"', 1)[1].split("</p>", 1)[0]


def test_a_papers_programme_reads_its_progression_as_section_iv_as_plan(client, paper):
    programme = _paper_programme()
    programme.provenance = Provenance.EDIT  # an edit keeps the source reference
    programme.save()
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ):
        text = _progression(_text(client, url))
        assert "Section IV A calls the paper's five-in-one training plan progressive" in text


def test_a_programme_staff_added_is_not_said_to_follow_section_iv_a(client, paper):
    """The study's five-in-one plan is its programmes'; one staff added beside them is read
    by the neutral words."""
    programme = ProgrammeFactory(name="Drone logistics")
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ):
        text = _progression(_text(client, url))
        assert "Section IV" not in text
        assert "is how this product reads a progressive plan" in text


def test_emptied_lists_with_the_paper_loaded_do_not_ask_to_load_it(client, paper):
    """Staff deleted every programme and certification: the paper is loaded (its framework is
    there), so running load_paper is no advice; the pages say where staff add them."""
    Programme.objects.all().delete()
    Certification.objects.all().delete()
    for url in (reverse("home"), reverse("curricula:programme-list")):
        html = _text(client, url)
        assert "load_paper" not in html, url
        assert (
            "No programmes yet. Staff add them in the administration (Programmes, Add), or "
            "through the API." in html
        ), url
    html = _text(client, reverse("certifications:list"))
    assert "load_paper" not in html
    assert "No certifications yet. Staff add them in the administration" in html
