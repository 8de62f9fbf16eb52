# ruff: noqa: RUF001  (Chinese text takes full-width commas and parentheses)
"""Chinese descriptions of positions, competency areas, training stages and modules, as
certifications and programmes have them: a Chinese text beside the record's own, which Chinese
pages and the API's `display_description` show, falling back to the own text where none is
given. The loader fills the paper's from `data_zh` (an editorial translation: the two positions
only Table I lists, Section III's five areas and the five-in-one stages; the paper describes no
module) and leaves staff's alone."""

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.models import TrainingStage
from core.models import Provenance
from curricula.models import Module
from curricula.paper import paper_load
from curricula.paper.loader import KEPT, UPDATED
from positions.models import CompetencyArea, Position

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ARCHITECT = "E-commerce system architect"


def test_the_loader_gives_every_described_paper_record_a_chinese_description(paper):
    for model in (Position, CompetencyArea, TrainingStage):
        described = model.objects.exclude(description="")
        assert described.exists(), model
        assert not described.filter(description_zh="").exists(), model
    # No English description, no Chinese one: Table II's positions and the modules.
    assert Position.objects.filter(description="").count() == 13
    assert not Position.objects.filter(description="").exclude(description_zh="").exists()
    assert not Module.objects.exclude(description_zh="").exists()
    architect = Position.objects.get(name=ARCHITECT)
    assert "表一" in architect.description_zh
    assert "表二未给出该职位的能力要求" in architect.description_zh
    assert CompetencyArea.objects.get(code="DA").description_zh.startswith("人才应")
    assert TrainingStage.objects.get(code="simulation").description_zh.startswith(
        "递进式“五位一体”模式的第 3 步"
    )


def test_a_chinese_position_page_shows_the_chinese_description_and_the_own_where_none(
    client, paper
):
    architect = Position.objects.get(name=ARCHITECT)
    url = architect.get_absolute_url()
    page = client.get(url, **ZH).content.decode()
    assert architect.description_zh[:15] in page
    assert "Table II gives no ability profile" not in page
    english = client.get(url).content.decode()
    assert "Table II gives no ability profile" in english
    assert architect.description_zh[:15] not in english
    Position.objects.filter(pk=architect.pk).update(description_zh="")
    assert "Table II gives no ability profile" in client.get(url, **ZH).content.decode()


def test_the_api_offers_the_chinese_descriptions_beside_the_own(paper, api_client):
    for record, url in (
        (Position.objects.get(name=ARCHITECT), "/api/v1/positions/{}/"),
        (CompetencyArea.objects.get(code="MK"), "/api/v1/competency-areas/{}/"),
    ):
        english = api_client.get(url.format(record.pk)).json()
        chinese = api_client.get(url.format(record.pk), **ZH).json()
        assert english["description"] == chinese["description"] == record.description
        assert english["description_zh"] == chinese["description_zh"] == record.description_zh
        assert english["display_description"] == record.description
        assert chinese["display_description"] == record.description_zh


def test_staff_write_a_position_s_chinese_description_through_the_api(paper, staff_client):
    architect = Position.objects.get(name=ARCHITECT)
    response = staff_client.patch(
        f"/api/v1/positions/{architect.pk}/", {"description_zh": "负责系统架构。"}, format="json"
    )
    assert response.status_code == 200, response.content
    architect.refresh_from_db()
    assert (architect.description_zh, architect.provenance) == ("负责系统架构。", Provenance.EDIT)
    assert architect.history.first().description_zh == "负责系统架构。"


def test_stages_and_modules_read_their_description_in_the_interface_s_language(paper):
    stage = TrainingStage.objects.get(code="theory")
    module = Module.objects.get(code="EB")
    module.description, module.description_zh = "Basics.", "基础。"
    module.save()
    assert (stage.display_description, module.display_description) == (stage.description, "Basics.")
    with translation.override("zh-hans"):
        assert stage.display_description == stage.description_zh
        assert module.display_description == "基础。"
        module.description_zh = ""
        assert module.display_description == "Basics."


@pytest.mark.parametrize(
    ("url_name", "model", "find"),
    [
        ("admin:positions_position_change", Position, {"name": ARCHITECT}),
        ("admin:positions_competencyarea_change", CompetencyArea, {"code": "RD"}),
        ("admin:certifications_trainingstage_change", TrainingStage, {"code": "theory"}),
        ("admin:curricula_module_change", Module, {"code": "EB"}),
    ],
)
def test_the_admin_edits_the_chinese_description(admin_client, paper, url_name, model, find):
    record = model.objects.get(**find)
    page = admin_client.get(reverse(url_name, args=[record.pk])).content.decode()
    assert 'name="description_zh"' in page


def test_a_database_loaded_before_gets_the_chinese_descriptions_on_the_next_load(paper):
    Position.objects.update(description_zh="")
    CompetencyArea.objects.update(description_zh="")
    TrainingStage.objects.update(description_zh="")
    report = paper_load()
    assert report.count(Position, UPDATED) == 2
    assert report.count(CompetencyArea, UPDATED) == 5
    assert report.count(TrainingStage, UPDATED) == 5
    assert paper_load().total(UPDATED) == 0


def test_a_staff_edited_chinese_area_description_survives_a_reload(paper, admin_client):
    area = CompetencyArea.objects.get(code="BN")
    form = {
        "code": area.code,
        "name": area.name,
        "name_zh": area.name_zh,
        "description": area.description,
        "description_zh": "商务谈判能力：由课程负责人改写。",
        "order": area.order,
        "source_ref": area.source_ref,
    }
    response = admin_client.post(
        reverse("admin:positions_competencyarea_change", args=[area.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = paper_load()
    assert report.count(CompetencyArea, KEPT) == 1
    area.refresh_from_db()
    assert (area.description_zh, area.provenance) == (
        "商务谈判能力：由课程负责人改写。",
        Provenance.EDIT,
    )
    assert area.history.first().description_zh == "商务谈判能力：由课程负责人改写。"
