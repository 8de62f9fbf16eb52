# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width brackets)
"""An import job's name (its admin title, its row in the list) in the reader's language."""

import pytest
from django.utils import translation

from positions.models import ImportJob

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.django_db
def test_an_import_jobs_name_is_in_the_readers_language(admin_client):
    """Observed in the admin in Chinese: "ESCO CSV 下载包（文件夹或 zip）: bad2.csv (failed)", the
    job's stored status (an English word) and an English colon and brackets."""
    job = ImportJob.objects.create(
        format="esco", path="/srv/imports/bad.csv", source_name="bad.csv", status="failed"
    )
    with translation.override("zh-hans"):
        name = str(job)
        status = job.get_status_display()
    assert "failed" not in name
    assert name.endswith(f"bad.csv（{status}）")
    assert "）: " not in name
    assert str(job) == "ESCO CSV download (folder or zip): bad.csv (Failed)"
    page = admin_client.get(f"/admin/positions/importjob/{job.pk}/change/", **ZH).content.decode()
    assert "(failed)" not in page
