"""The Chinese admin names a module and a training stage in Chinese: observed, the course list's
module and training-stage filters (and the course form's choices) read "International business
module" and "Theory teaching" beside Chinese labels, because both models' __str__ wrote their
stored English name. They read the name in the reader's language (its Chinese name, where it
has one), as a level does; exports keep writing codes, and the CASE catalogue its own names."""

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.models import TrainingStage
from curricula.models import Module
from curricula.resources import CourseResource
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    module = Module.objects.create(
        code="IB", name="International business module", name_zh="国际商务模块"
    )
    stage = TrainingStage.objects.create(
        code="THEORY", name="Theory teaching", name_zh="理论教学", order=91
    )
    return CourseFactory(code="C1", module=module, stage=stage)


def test_a_module_and_a_stage_read_in_the_interface_language(course):
    with translation.override("zh-hans"):
        assert (str(course.module), str(course.stage)) == ("国际商务模块", "理论教学")
    with translation.override("en"):
        assert (str(course.module), str(course.stage)) == (
            "International business module",
            "Theory teaching",
        )


def test_without_a_chinese_name_the_chinese_admin_reads_the_name_given(course):
    Module.objects.filter(pk=course.module_id).update(name_zh="")
    course.module.refresh_from_db()
    with translation.override("zh-hans"):
        assert str(course.module) == "International business module"


def test_the_course_list_of_the_chinese_admin_filters_by_chinese_names(admin_client, course):
    url = reverse("admin:curricula_course_changelist")
    html = admin_client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "国际商务模块" in html
    assert "理论教学" in html
    assert "International business module" not in html
    assert "Theory teaching" not in html


def test_the_catalogue_export_still_writes_codes_in_chinese(course):
    with translation.override("zh-hans"):
        dataset = CourseResource().export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["module"], row["stage"]) == ("IB", "THEORY")
