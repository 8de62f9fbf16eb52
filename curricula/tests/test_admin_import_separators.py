"""The admin's import pages join their lists with the catalogue's separator, as the site's pages
do (`{% translate ", " context "list separator" %}`): a job's counts and the columns it left
out, and the preview's columns left out and programmes changed; a sentence ending in a list
ends with the catalogue's full stop. Observed in Chinese: "2 新建, 0 更新, 0 未变" and
"Learning hours, Credit" with ASCII commas, and an English full stop after a list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _in_chinese(*items: str) -> str:
    with translation.override("zh-hans"):
        separator = translation.pgettext("list separator", ", ")
    assert separator != ", "
    return separator.join(items)


def _count(n: int, outcome: str) -> str:
    with translation.override("zh-hans"):
        return f"{n} {translation.pgettext('import count', outcome)}"


def test_a_course_import_job_s_page_joins_its_counts_and_columns_with_the_catalogue_s_separator(
    admin_client,
):
    job = ImportJob.objects.create(
        format="courses",
        source_name="courses.csv",
        path="/srv/imports/courses.csv",
        status=ImportStatus.SUCCEEDED,
        progress=100,
        language="zh-hans",
        report={
            "counts": {"course": {"created": 2, "updated": 0, "unchanged": 1, "conflict": 0}},
            "details": {"ignored_columns": ["Learning hours", "Credit"]},
        },
    )
    url = reverse("admin:curricula_course_import_job", args=[job.pk])
    page = admin_client.get(url, **ZH).content.decode()

    counts = [_count(2, "created"), _count(0, "updated"), _count(1, "unchanged")]
    assert _in_chinese(*counts, _count(0, "conflict")) in page
    assert _in_chinese("Learning hours", "Credit") in page


def test_the_catalogue_preview_joins_its_columns_and_programmes_with_the_catalogue_s_separator(
    admin_client,
):
    taught = CourseFactory(code="C1", title="Dynamic web design")
    ProgrammeFactory(name="Programme A", courses=[taught])
    ProgrammeFactory(name="Programme B", courses=[taught])
    upload = SimpleUploadedFile(
        "courses.csv", b"code,title,Learning hours,Credit\nC1,Web design,x,4\n"
    )
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}, **ZH
    )
    assert preview.context["confirm_form"] is not None
    html = " ".join(preview.content.decode().split())
    assert _in_chinese("Learning hours", "Credit") in html
    with translation.override("zh-hans"):
        programmes = [
            translation.ngettext("%(name)s (%(count)s course)", "%(name)s (%(count)s courses)", 1)
            % {"name": name, "count": 1}
            for name in ("Programme A", "Programme B")
        ]
        stop = translation.pgettext("end of a sentence", ".")
    assert _in_chinese(*programmes) + stop in html


def test_the_crosswalk_import_page_joins_its_columns_with_the_catalogue_s_separator(admin_client):
    from positions.services import CROSSWALK_CSV_COLUMNS

    page = admin_client.get(reverse("admin:positions_abilityrelation_import_csv"), **ZH)
    with translation.override("zh-hans"):
        stop = translation.pgettext("end of a sentence", ".")
    assert f"{_in_chinese(*CROSSWALK_CSV_COLUMNS)}</code>{stop}" in page.content.decode()
