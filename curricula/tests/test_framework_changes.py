"""What changed in a framework: every import (command, admin upload, API) records abilities
added, removed, reworded and moved, the requirements and course links on removed or reworded
abilities, and the programmes whose coverage changed; removed abilities are retired, not deleted."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.importers import framework_import
from positions.models import Ability, ImportJob, ImportStatus
from positions.tests.factories import PositionFactory, RequirementFactory, level

DOC = "22222222-aaaa-4aaa-8aaa-000000000001"
A, B, C, D, E, F = (f"22222222-aaaa-4aaa-8aaa-0000000000{n}" for n in range(10, 16))


def _item(ident, code, text):
    return {
        "identifier": ident,
        "uri": f"https://b.example/{ident}",
        "fullStatement": text,
        "humanCodingScheme": code,
    }


def _assoc(kind, origin, destination):
    return {
        "identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{origin}:{destination}")),
        "uri": f"https://b.example/assoc/{kind}/{origin}/{destination}",
        "associationType": kind,
        "originNodeURI": {"identifier": origin, "uri": f"https://b.example/{origin}", "title": "o"},
        "destinationNodeURI": {
            "identifier": destination,
            "uri": f"https://b.example/{destination}",
            "title": "d",
        },
    }


def _package(items, assocs=()):
    return {
        "CFDocument": {"identifier": DOC, "uri": f"https://b.example/{DOC}", "title": "Board"},
        "CFItems": items,
        "CFAssociations": list(assocs),
    }


V1 = _package(
    [
        _item(A, "B.1", "Promote products online"),
        _item(B, "B.2", "Handle customs paperwork"),
        _item(C, "B.3", "Write listings"),
        _item(D, "B.4", "Run campaigns"),
        _item(F, "B.6", "Fax orders"),
    ],
    [_assoc("isChildOf", C, A)],
)
# v2: B.1 reworded, B.2 and B.6 dropped, B.3 moved under B.4, B.5 added, and B.4 now an exact
# match of B.1.
V2 = _package(
    [
        _item(A, "B.1", "Promote products on online marketplaces"),
        _item(C, "B.3", "Write listings"),
        _item(D, "B.4", "Run campaigns"),
        _item(E, "B.5", "Answer buyers"),
    ],
    [_assoc("isChildOf", C, D), _assoc("exactMatchOf", D, A)],
)


def _write(tmp_path, name, package):
    path = tmp_path / name
    path.write_text(json.dumps(package))
    return path


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


@pytest.fixture
def imported(db, tmp_path, django_capture_on_commit_callbacks):
    """v1 imported; a programme requires B.1 and B.2 at M; course K1 builds B.4 at M (no
    crosswalk yet) and K2 builds B.2 at R."""
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(path=_write(tmp_path, "v1.json", V1), format="case").ok
        by_code = {a.code: a for a in Ability.objects.all()}
        position = PositionFactory(name="Seller")
        RequirementFactory(position=position, ability=by_code["B.1"], min_level=level("M"))
        RequirementFactory(position=position, ability=by_code["B.2"], min_level=level("M"))
        k1, k2 = CourseFactory(code="K1"), CourseFactory(code="K2")
        CourseAbilityFactory(course=k1, ability=by_code["B.4"], level=level("M"))
        CourseAbilityFactory(course=k2, ability=by_code["B.2"], level=level("R"))
        programme = ProgrammeFactory(name="Online trade", courses=[k1, k2], targets=[position])
    programme.refresh_from_db()
    assert programme.coverage.percent == 0.0
    return {"programme": programme, "by_code": by_code, "v2": _write(tmp_path, "v2.json", V2)}


def test_a_reimport_records_every_kind_of_change(imported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(path=imported["v2"], format="case")
    assert report.ok, report.error
    changes = report.as_dict()["changes"]
    assert [i["code"] for i in changes["added"]["items"]] == ["B.5"]
    assert sorted(i["code"] for i in changes["removed"]["items"]) == ["B.2", "B.6"]
    (reworded,) = changes["reworded"]["items"]
    assert (reworded["code"], reworded["before"], reworded["after"]) == (
        "B.1",
        "Promote products online",
        "Promote products on online marketplaces",
    )
    (moved,) = changes["moved"]["items"]
    assert (moved["code"], moved["from"], moved["to"]) == ("B.3", "B.1", "B.4")
    assert sorted(
        (i["ability"]["code"], i["change"]) for i in changes["requirements"]["items"]
    ) == [
        ("B.1", "reworded"),
        ("B.2", "removed"),
    ]
    assert [
        (i["course"]["code"], i["ability"]["code"], i["change"]) for i in changes["links"]["items"]
    ] == [("K2", "B.2", "removed")]
    # The new exact match lets K1's B.4 cover B.1: one of two essential requirements.
    (programme,) = changes["programmes"]["items"]
    assert (programme["name"], programme["before"], programme["after"]) == (
        "Online trade",
        0.0,
        50.0,
    )
    imported["programme"].coverage.refresh_from_db()
    assert imported["programme"].coverage.percent == 50.0


def test_removed_abilities_are_retired_not_deleted_and_flagged_when_used(
    imported, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = framework_import(path=imported["v2"], format="case")
    by_code = {a.code: a for a in Ability.objects.all()}
    # B.2 has a requirement and a link; nothing used B.6; B.1 was reworded and is required.
    assert (by_code["B.2"].retired, by_code["B.2"].needs_review) == (True, True)
    assert (by_code["B.6"].retired, by_code["B.6"].needs_review) == (True, False)
    assert (by_code["B.1"].retired, by_code["B.1"].needs_review) == (False, True)
    assert not by_code["B.4"].retired
    assert report.changes["retired"] == 2
    assert report.changes["flagged_for_review"] == 2
    in_use = {i["code"]: i["in_use"] for i in report.changes["removed"]["items"]}
    assert in_use == {"B.2": True, "B.6": False}
    # The link and the requirement on the retired ability are still there.
    assert by_code["B.2"].requirements.count() == 1


def test_an_ability_listed_again_is_no_longer_retired(imported, tmp_path):
    assert framework_import(path=imported["v2"], format="case").ok
    report = framework_import(path=_write(tmp_path, "v3.json", V1), format="case")
    assert [i["code"] for i in report.changes["restored"]["items"]] == ["B.2", "B.6"]
    # B.5, new in v2, is the one v1 lacks now.
    assert list(Ability.objects.filter(retired=True).values_list("code", flat=True)) == ["B.5"]


def test_an_unchanged_reimport_records_no_changes(imported, tmp_path):
    report = framework_import(path=_write(tmp_path, "again.json", V1), format="case")
    changes = report.changes
    assert all(changes[k]["count"] == 0 for k in ("added", "removed", "reworded", "moved"))
    assert changes["programmes"]["count"] == 0
    assert changes["retired"] == 0


def test_the_command_keeps_an_import_job_and_prints_the_changes(imported, capsys):
    call_command("import_framework", str(imported["v2"]), format="case")
    out = capsys.readouterr().out
    assert "1 abilities added, 2 removed (retired), 1 reworded, 1 moved" in out
    assert "programme Online trade: 0.0% -> 50.0%" in out
    assert "B.1: 'Promote products online' -> 'Promote products on online marketplaces'" in out
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.path.endswith("v2.json")
    assert job.report["changes"]["removed"]["count"] == 2


def test_the_api_job_carries_the_changes(
    imported, staff_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("v2.json", imported["v2"].read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/", {"format": "case", "file": upload}, format="multipart"
        )
    assert response.status_code == 202, response.content
    body = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert body["status"] == "succeeded"
    assert body["changes"]["removed"]["count"] == 2
    assert body["changes"]["programmes"]["items"][0]["after"] == 50.0


def test_the_admin_upload_job_page_shows_the_changes(
    imported, admin_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("v2.json", imported["v2"].read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:positions_importjob_add"), {"format": "case", "upload": upload}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    html = admin_client.get(reverse("admin:positions_importjob_change", args=[job.pk])).content
    html = html.decode()
    assert "Programmes whose coverage changed" in html
    assert "Online trade" in html
    assert "Handle customs paperwork" in html
    assert "still used: flagged for review" in html
    assert "<del>Promote products online</del>" in html


def test_a_failed_import_records_no_changes(imported, tmp_path):
    broken = _write(tmp_path, "broken.json", {"CFDocument": {}})
    report = framework_import(path=broken, format="case")
    assert not report.ok
    assert report.as_dict()["changes"] is None
    assert not Ability.objects.filter(retired=True).exists()


def test_the_api_lists_retired_abilities_and_those_to_review(
    imported, api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(path=imported["v2"], format="case").ok
    review = api_client.get("/api/v1/abilities/?needs_review=true").json()["results"]
    assert sorted(a["code"] for a in review) == ["B.1", "B.2"]
    retired = api_client.get("/api/v1/abilities/?retired=true").json()["results"]
    assert sorted((a["code"], a["retired"]) for a in retired) == [("B.2", True), ("B.6", True)]


def _without_codes(package):
    return {
        **package,
        "CFItems": [
            {k: v for k, v in item.items() if k != "humanCodingScheme"}
            for item in package["CFItems"]
        ],
    }


def test_abilities_without_codes_are_named_by_their_statements(
    db, tmp_path, django_capture_on_commit_callbacks
):
    # A framework without codes (CASE items without humanCodingScheme, a typed list): the
    # changes named the abilities of requirements and course links, and the parents of moved
    # ones, by code only, so the page listed "Seller:  (removed)" and moves as "— → —".
    with django_capture_on_commit_callbacks(execute=True):
        assert framework_import(
            path=_write(tmp_path, "v1.json", _without_codes(V1)), format="case"
        ).ok
        customs = Ability.objects.get(text="Handle customs paperwork")
        RequirementFactory(position=PositionFactory(name="Seller"), ability=customs)
        CourseAbilityFactory(course=CourseFactory(code="K2"), ability=customs, level=level("R"))
        report = framework_import(
            path=_write(tmp_path, "v2.json", _without_codes(V2)), format="case"
        )
    assert report.ok, report.error
    changes = report.as_dict()["changes"]
    html = render_to_string("admin/positions/importjob/changes.html", {"changes": changes})
    assert "Seller: Handle customs paperwork (removed)" in html
    assert "K2: Handle customs paperwork (R) (removed)" in html
    # B.1, the old parent, was reworded too: it is named as it now reads.
    assert "Write listings: Promote products on online marketplaces → Run campaigns" in html
    assert "<li><del>Promote products online</del>" in html  # reworded, no code to show
