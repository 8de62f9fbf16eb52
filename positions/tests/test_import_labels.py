# ruff: noqa: RUF002  (Chinese text takes full-width brackets and separators)
"""An import's report keeps English keys (its counts' kinds and outcomes, its progress stages),
which the API gives as they are (a contract), but a page shows them in the reader's language.
Observed: a Chinese reader's job page read "ability: 2 created, ..." and "40 (writing
abilities)"."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from positions.importers import framework_import
from positions.importers.base import LABELS
from positions.models import ImportJob, ImportStatus

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def _in_chinese(context: str, *messages: str) -> list[str]:
    with translation.override("zh-hans"):
        return [translation.pgettext(context, message) for message in messages]


def _separators() -> tuple[str, str]:
    """The catalogue's list separators in Chinese: the short one (、) and the long one (；)."""
    comma, semicolon = _in_chinese("list separator", ", ", "; ")
    assert (comma, semicolon) != (", ", "; ")
    return comma, semicolon


def test_a_framework_job_s_admin_page_names_its_counts_and_stage_in_the_reader_s_language(
    admin_client, chinese_stand_in
):
    labels = ["framework", "ability", "relation", "created", "updated", "unchanged", "conflict"]
    labels += ["removed"]
    for label in labels:
        chinese_stand_in("import count", label)
    chinese_stand_in("import stage", "writing abilities")
    framework, ability, relation, created, updated, unchanged, conflict, removed = _in_chinese(
        "import count", *labels
    )
    [writing] = _in_chinese("import stage", "writing abilities")
    job = ImportJob.objects.create(
        format="moodle",
        source_name="framework.csv",
        path="/srv/imports/framework.csv",
        status=ImportStatus.SUCCEEDED,
        progress=100,
        language="en",
        report={
            "counts": {
                "ability": {"created": 2, "updated": 0, "conflict": 1, "unchanged": 44},
                "relation": {
                    "created": 0,
                    "removed": 1,
                    "updated": 0,
                    "conflict": 0,
                    "unchanged": 3,
                },
                "framework": {"created": 0, "updated": 1, "conflict": 0, "unchanged": 0},
            }
        },
    )
    url = reverse("admin:positions_importjob_change", args=[job.pk])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    with translation.override("zh-hans"):
        colon = translation.gettext("%(label)s: %(value)s")
        succeeded = str(ImportStatus.SUCCEEDED.label)
    comma, semicolon = _separators()
    summary = semicolon.join(
        colon % {"label": kind, "value": comma.join(outcomes)}
        for kind, outcomes in [
            (framework, [f"0 {created}", f"1 {updated}", f"0 {unchanged}", f"0 {conflict}"]),
            (ability, [f"2 {created}", f"0 {updated}", f"44 {unchanged}", f"1 {conflict}"]),
            (
                relation,
                [f"0 {created}", f"0 {updated}", f"3 {unchanged}", f"0 {conflict}", f"1 {removed}"],
            ),
        ]
    )
    assert summary in page
    assert f"100 ({succeeded})" in page

    # Running, its stage is the worker's, from the cache; the list shows it too.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache.set(job.progress_cache_key, {"progress": 40, "stage": "writing abilities"})
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"40 ({writing})" in page
    listing = admin_client.get(
        reverse("admin:positions_importjob_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f"40 ({writing})" in listing

    # In English, as before.
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "40 (writing abilities)" in page
    assert "ability: 2 created, 0 updated, 44 unchanged, 1 conflict" in page


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("esco", "esco_v12"),
        ("onet", "onet"),
        ("moodle", "moodle/current.csv"),
        ("case", "case/package_1_1.json"),
    ],
)
def test_every_stage_an_import_reports_has_a_label(fmt, source):
    """A stage added to an importer without a label would show in English on a Chinese page."""
    stages = set()
    report = framework_import(
        path=FIXTURES / source, format=fmt, progress=lambda _fraction, stage: stages.add(stage)
    )
    assert report.ok, report.error
    assert len(stages) > 1
    assert stages - set(LABELS) == set()


def test_every_kind_and_outcome_a_report_counts_has_a_label():
    """A kind added to the reports (the competency areas an import makes) without a label showed
    in English on a Chinese job page."""
    from positions.importers.base import KINDS, OUTCOMES, REMOVABLE_KINDS

    counted = {*KINDS, *OUTCOMES, *(o for outcomes in REMOVABLE_KINDS.values() for o in outcomes)}
    assert counted - set(LABELS) == set()


def test_the_admin_s_message_on_an_import_lists_its_counts_as_the_reader_s_language_does(
    rf, django_capture_on_commit_callbacks
):
    """Observed: a Chinese admin's message on a finished import read "能力：2 新建, 0 更新; …",
    its counts joined by an ASCII ", " and "; " where Chinese writes 、 and ；."""
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from positions.admin_imports import message_import_job_on_commit

    job = ImportJob.objects.create(
        format="moodle",
        source_name="framework.csv",
        path="/srv/imports/framework.csv",
        status=ImportStatus.SUCCEEDED,
        progress=100,
        language="en",
        report={
            "counts": {
                "ability": {"created": 2, "updated": 0, "conflict": 1, "unchanged": 44},
                "framework": {"created": 0, "updated": 1, "conflict": 0, "unchanged": 0},
            }
        },
    )

    def message(language: str) -> str:
        request = rf.get("/")
        request.session = {}
        request._messages = FallbackStorage(request)
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            message_import_job_on_commit(request, job, url="/job/")
        [said] = [str(message) for message in get_messages(request)]
        return said

    comma, semicolon = _separators()
    with translation.override("zh-hans"):
        colon = translation.gettext("%(label)s: %(value)s")
    framework, ability, created, updated, unchanged, conflict = _in_chinese(
        "import count", "framework", "ability", "created", "updated", "unchanged", "conflict"
    )
    chinese = message("zh-hans")
    assert (
        colon
        % {
            "label": framework,
            "value": comma.join(
                [f"0 {created}", f"1 {updated}", f"0 {unchanged}", f"0 {conflict}"]
            ),
        }
        + semicolon
        + colon
        % {
            "label": ability,
            "value": comma.join(
                [f"2 {created}", f"0 {updated}", f"44 {unchanged}", f"1 {conflict}"]
            ),
        }
    ) in chinese, chinese
    assert ", " not in chinese
    assert "; " not in chinese
    assert (
        "framework: 0 created, 1 updated, 0 unchanged, 0 conflict; "
        "ability: 2 created, 0 updated, 44 unchanged, 1 conflict"
    ) in message("en")
