"""Programmes and certifications at every tertiary level of ISCED 2011: a nursing faculty's
diploma (associate) programme and its doctorate are made in the admin and the API, filtered,
shown and exported under their level's name; another value is refused naming the levels."""

import io

import openpyxl
from django.urls import reverse
from django.utils import translation

from certifications.models import Certification
from certifications.tests.factories import CertificationFactory
from core.models import degree_level_refusal
from core.tests.admin_forms import change_form_data
from curricula.models import Programme
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

REFUSAL = "is not a degree level: use one of associate, bachelor, master, doctorate."


def test_staff_add_a_doctorate_and_a_diploma_in_the_admin(db, admin_client):
    url = reverse("admin:curricula_programme_add")
    for name, degree in (("PhD in Nursing", "doctorate"), ("Diploma in Nursing", "associate")):
        data = change_form_data(admin_client.get(url))
        data.update({"name": name, "own_degree_level": degree})
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context["errors"]
    assert Programme.objects.get(name="PhD in Nursing").degree_level == "doctorate"
    changelist = reverse("admin:curricula_programme_changelist")
    listed = admin_client.get(changelist, {"degree_level": "doctorate"}).context["cl"].result_list
    assert [programme.name for programme in listed] == ["PhD in Nursing"]


def test_staff_add_a_doctoral_certification_in_the_admin(db, admin_client):
    url = reverse("admin:certifications_certification_add")
    data = change_form_data(admin_client.get(url))
    data.update({"name": "Nurse researcher", "degree_level": "doctorate", "order": "1"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert Certification.objects.get(name="Nurse researcher").degree_level == "doctorate"


def test_the_api_makes_and_filters_programmes_at_the_new_levels(db, staff_client, api_client):
    response = staff_client.post(
        "/api/v1/programs/",
        {"name": "PhD in Nursing", "own_degree_level": "doctorate"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["degree_level"] == "doctorate"
    ProgrammeFactory(certification=CertificationFactory(degree_level="associate"))
    ProgrammeFactory(certification=None, own_degree_level="master")
    doctorates = api_client.get("/api/v1/programs/", {"degree_level": "doctorate"}).json()
    assert [row["name"] for row in doctorates["results"]] == ["PhD in Nursing"]
    associates = api_client.get("/api/v1/programs/", {"degree_level": "associate"}).json()
    assert [row["degree_level"] for row in associates["results"]] == ["associate"]
    certifications = api_client.get("/api/v1/certifications/").json()["results"]
    assert [row["degree_level"] for row in certifications] == ["associate"]


def test_the_api_refuses_another_level_naming_the_levels(db, staff_client, api_client):
    response = staff_client.post(
        "/api/v1/programs/", {"name": "PhD in Nursing", "own_degree_level": "phd"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"own_degree_level": [f"“phd” {REFUSAL}"]}
    assert not Programme.objects.exists()

    response = api_client.get("/api/v1/programs/", {"degree_level": "PhD"})
    assert response.status_code == 400
    assert response.json() == {"degree_level": [f"“PhD” {REFUSAL}"]}


def test_a_doctorates_pages_and_workbook_name_its_level(db, client):
    programme = ProgrammeFactory(
        name="PhD in Nursing", certification=None, own_degree_level="doctorate"
    )
    html = " ".join(client.get(programme.get_absolute_url()).content.decode().split())
    assert "<li>Doctorate · no certification recorded</li>" in html
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    summary = dict(
        row[:2]
        for row in openpyxl.load_workbook(io.BytesIO(response.content))["Summary"].iter_rows(
            values_only=True
        )
    )
    assert summary["Degree level"] == "Doctorate"


def test_a_programme_without_certification_finds_its_targets_title_at_its_own_level(db, client):
    """Observed: a doctorate (a programme of no certification, at its own degree level) whose
    target is placed under its track at that level showed the position's name alone, where a
    certified programme shows the title the placement lists it under: the placement was looked
    up at the certification's level, which a programme without one does not have."""
    track = TrackFactory(name="Nursing research")
    position = PositionFactory(name="Nurse scientist")
    PlacementFactory(
        position=position, track=track, degree_level="doctorate", title="Clinical researcher"
    )
    programme = ProgrammeFactory(certification=None, own_degree_level="doctorate", track=track)
    programme.targets.create(position=position)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "(listed as “Clinical researcher”)" in html


def test_the_new_levels_are_named_in_chinese(db, client):
    """A diploma programme and a doctorate read 专科 and 博士 on the Chinese page, as 本科 and 硕士
    do; a wrong level is refused in Chinese naming the codes."""
    diploma = ProgrammeFactory(certification=None, own_degree_level="associate")
    doctorate = ProgrammeFactory(certification=None, own_degree_level="doctorate")
    client.cookies["django_language"] = "zh-hans"
    assert "专科" in client.get(diploma.get_absolute_url()).content.decode()
    assert "博士" in client.get(doctorate.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        message = degree_level_refusal("phd")
    assert message == "“phd”不是学历层次：请使用 associate、bachelor、master、doctorate 之一。"  # noqa: RUF001
