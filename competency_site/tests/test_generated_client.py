"""A client generated from the served schema works, as an integrator would use it.

openapi-python-client (pinned in requirements-dev.txt) generates a package from GET /api/schema/
into a temporary folder; every generated module must import, then a staff token creates, reads,
changes (PATCH and PUT) and deletes a course and a course-ability link through it against a live
server, and an anonymous client reads without credentials. One generation per session: it takes
a few seconds.
"""

import importlib
import json
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from curricula.models import Course, CourseAbility
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, level

PACKAGE = "competency_api_client"


@pytest.fixture(scope="session")
def client_package(tmp_path_factory, django_db_setup, django_db_blocker):
    """The generated package, imported whole (a module that fails to import fails here)."""
    from django.test import Client

    with django_db_blocker.unblock():
        schema = Client().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    folder = tmp_path_factory.mktemp("generated")
    (folder / "schema.json").write_bytes(schema.content)
    generator = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(settings.BASE_DIR / "docs" / "openapi-client.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        modules = {
            info.name: importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")
        }
        yield package, modules
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _api(modules, name: str):
    return modules[f"{PACKAGE}.api.{name}"]


def _model(modules, module: str, name: str):
    return getattr(modules[f"{PACKAGE}.models.{module}"], name)


def test_every_generated_module_imports(client_package):
    _package, modules = client_package
    operations = [name for name in modules if ".api." in name and name.count(".") == 3]
    # Writes with request bodies are the modules that once failed (NameError on Unset).
    assert f"{PACKAGE}.api.courses.courses_partial_update" in operations
    assert f"{PACKAGE}.api.imports.imports_create" in operations
    assert len(operations) > 60


@pytest.mark.django_db(transaction=True)
def test_staff_token_crud_and_anonymous_reads_through_the_generated_client(
    client_package, live_server, staff_user
):
    package, modules = client_package
    token = Token.objects.create(user=staff_user).key
    staff = package.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")
    anonymous = package.Client(base_url=live_server.url)
    ability = AbilityFactory()
    level("I"), level("M")

    # A course: create, read, PATCH, PUT, delete.
    CourseRequest = _model(modules, "course_request", "CourseRequest")
    PatchedCourseRequest = _model(modules, "patched_course_request", "PatchedCourseRequest")
    code = f"GEN-{uuid.uuid4().hex[:6]}"
    created = _api(modules, "courses.courses_create").sync_detailed(
        client=staff, body=CourseRequest(code=code, title="Generated")
    )
    assert created.status_code == 201, created.content
    course_id = created.parsed.id
    read = _api(modules, "courses.courses_retrieve").sync_detailed(course_id, client=anonymous)
    assert read.status_code == 200
    assert read.parsed.title == "Generated"
    etag = read.headers["etag"]
    patched = _api(modules, "courses.courses_partial_update").sync_detailed(
        course_id, client=staff, body=PatchedCourseRequest(title="Patched"), if_match=etag
    )
    assert patched.status_code == 200, patched.content
    assert patched.parsed.title == "Patched"
    stale = _api(modules, "courses.courses_partial_update").sync_detailed(
        course_id, client=staff, body=PatchedCourseRequest(title="Lost"), if_match=etag
    )
    assert stale.status_code == 412
    put = _api(modules, "courses.courses_update").sync_detailed(
        course_id, client=staff, body=CourseRequest(code=code, title="Replaced")
    )
    assert put.status_code == 200, put.content
    assert Course.objects.get(pk=course_id).title == "Replaced"

    # A course-ability link: create, read, PATCH, PUT, delete.
    LinkRequest = _model(modules, "course_ability_request", "CourseAbilityRequest")
    PatchedLinkRequest = _model(
        modules, "patched_course_ability_request", "PatchedCourseAbilityRequest"
    )
    link = _api(modules, "course_abilities.course_abilities_create").sync_detailed(
        client=staff, body=LinkRequest(course=course_id, ability=ability.pk, level="I")
    )
    assert link.status_code == 201, link.content
    link_id = link.parsed.id
    patched = _api(modules, "course_abilities.course_abilities_partial_update").sync_detailed(
        link_id, client=staff, body=PatchedLinkRequest(note="capstone")
    )
    assert patched.status_code == 200, patched.content
    put = _api(modules, "course_abilities.course_abilities_update").sync_detailed(
        link_id,
        client=staff,
        body=LinkRequest(course=course_id, ability=ability.pk, level="M", note="capstone"),
    )
    assert put.status_code == 200, put.content
    stored = CourseAbility.objects.select_related("level").get(pk=link_id)
    assert (stored.level.code, stored.note) == ("M", "capstone")
    listed = _api(modules, "course_abilities.course_abilities_list").sync(
        client=anonymous, course=course_id, page_size=10
    )
    assert [row.id for row in listed.results] == [link_id]
    assert listed.results[0].level == "M"

    # Anonymous writes are refused with the documented error body, not a crash.
    refused = _api(modules, "course_abilities.course_abilities_destroy").sync_detailed(
        link_id, client=anonymous
    )
    assert refused.status_code == 401
    assert json.loads(refused.content)["detail"]

    deleted = _api(modules, "course_abilities.course_abilities_destroy").sync_detailed(
        link_id, client=staff
    )
    assert deleted.status_code == 204
    deleted = _api(modules, "courses.courses_destroy").sync_detailed(course_id, client=staff)
    assert deleted.status_code == 204
    assert not Course.objects.filter(pk=course_id).exists()

    # Public reads need no credentials: lists, a CASE document list, the levels.
    Ordering = _model(modules, "levels_list_ordering_item", "LevelsListOrderingItem")
    levels = _api(modules, "levels.levels_list").sync(
        client=anonymous, ordering=[Ordering("-rank")], page_size=2
    )
    assert [row.code for row in levels.results] == ["M", "R"]  # deepest first
    documents = _api(modules, "case_1_1.get_all_cf_documents").sync(client=anonymous)
    assert documents.cf_documents


@pytest.mark.django_db(transaction=True)
def test_the_programme_workbook_downloads_as_a_file(client_package, live_server):
    """The XLSX response is not dropped by the generator (docs/openapi-client.yaml maps it)."""
    package, modules = client_package
    programme = ProgrammeFactory(name="Workbook programme")
    answer = _api(modules, "programs.programs_workbook_retrieve").sync_detailed(
        programme.pk, client=package.Client(base_url=live_server.url)
    )
    assert answer.status_code == 200
    assert answer.parsed is not None
    workbook = openpyxl.load_workbook(answer.parsed.payload)
    assert workbook.sheetnames


def test_an_association_of_a_publishers_own_type_parses_through_the_generated_client(
    client_package,
):
    """The CASE provider publishes a publisher's own association types (ext:isSkillOf), as CASE
    1.1 allows: the schema must let a generated client read them, not only the CASE ones."""
    _package, modules = client_package
    association = _model(modules, "cf_association", "CFAssociation")
    body = {
        "identifier": str(uuid.uuid4()),
        "uri": "https://case.example.edu/ims/case/v1p1/CFAssociations/x",
        "originNodeURI": {"title": "a", "identifier": str(uuid.uuid4()), "uri": "https://a"},
        "destinationNodeURI": {"title": "b", "identifier": str(uuid.uuid4()), "uri": "https://b"},
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
    }

    for kind in ("isChildOf", "ext:isSkillOf"):
        parsed = association.from_dict({**body, "associationType": kind})
        assert str(getattr(parsed.association_type, "value", parsed.association_type)) == kind
