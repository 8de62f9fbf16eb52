# ruff: noqa: RUF001  (Chinese text takes full-width colons)
"""A programme's coverage record, as the admin names it (its title, its row, its history),
gives its state in the reader's language. Observed in the admin in Chinese: "跨境电子商务工程师
… : fresh", the stored state (an English word) after an English colon."""

import pytest
from django.utils import translation

from curricula.coverage.services import coverage_recompute
from curricula.models import ProgrammeCoverage

pytestmark = pytest.mark.django_db


def test_a_coverage_records_name_gives_its_state_in_the_readers_language(paper, admin_client):
    coverage_recompute(force=True)
    coverage = ProgrammeCoverage.objects.select_related("programme").first()
    with translation.override("zh-hans"):
        name = str(coverage)
        state = coverage.get_state_display()
    assert state != coverage.state
    assert name == f"{coverage.programme}：{state}"
    assert str(coverage) == f"{coverage.programme}: Fresh"
    page = admin_client.get(
        f"/admin/curricula/programmecoverage/{coverage.pk}/change/",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert ": fresh" not in page
