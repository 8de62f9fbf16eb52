"""The admin as a whole (every registered model), inline link edits, and link import/export."""

import io
import itertools
import re
from html import unescape

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from tablib import Dataset

from certifications.models import Certification, TrainingStage
from certifications.tests.factories import CertificationFactory
from core.models import Provenance
from core.tests.admin_forms import change_form_data
from curricula.models import (
    CertificationCourse,
    Course,
    CourseAbility,
    CourseAbilityCount,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
    Suggestion,
    SuggestionDeletion,
    SuggestionScope,
)
from curricula.resources import CourseAbilityResource
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    ImportJob,
    Level,
    Placement,
    Position,
    RelationType,
    Requirement,
    Track,
    TrackAlias,
)
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

PROJECT_APPS = ("positions", "certifications", "curricula")
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def _suggestion() -> Suggestion:
    ability = AbilityFactory()
    return Suggestion.objects.create(
        course=CourseFactory(),
        ability=ability,
        framework=ability.framework,
        score=0.5,
        rank=1,
        method="lexical",
        explanation={"terms": ["marketing"]},
    )


# One way to make a row of every model the project registers in the admin.
BUILDERS = {
    Framework: FrameworkFactory,
    CompetencyArea: CompetencyAreaFactory,
    Ability: AbilityFactory,
    AbilityRelation: lambda: AbilityRelation.objects.create(
        source=AbilityFactory(), target=AbilityFactory(), relation_type=RelationType.IS_PEER_OF
    ),
    Track: TrackFactory,
    TrackAlias: lambda: TrackAlias.objects.create(track=TrackFactory(), name=f"Alias {_n()}"),
    Level: lambda: Level.objects.create(code=f"L{_n()}", name="Level", rank=100 + _n()),
    Position: PositionFactory,
    ImportJob: lambda: ImportJob.objects.create(format="case", path=f"/srv/import/{_n()}.json"),
    Placement: PlacementFactory,
    Requirement: RequirementFactory,
    Certification: CertificationFactory,
    TrainingStage: lambda: TrainingStage.objects.create(
        code=f"stage-{_n()}", name="Stage", order=100 + _n()
    ),
    Module: lambda: Module.objects.create(code=f"MOD{_n()}", name="Module"),
    Course: CourseFactory,
    CourseAbility: CourseAbilityFactory,
    Programme: ProgrammeFactory,
    ProgrammeCourse: lambda: ProgrammeCourse.objects.create(
        programme=ProgrammeFactory(), course=CourseFactory()
    ),
    ProgrammeTarget: lambda: ProgrammeTarget.objects.create(
        programme=ProgrammeFactory(), position=PositionFactory()
    ),
    CertificationCourse: lambda: CertificationCourse.objects.create(
        certification=CertificationFactory(), track=TrackFactory(), course=CourseFactory()
    ),
    # get_or_create: saving a programme may already have created its coverage row.
    ProgrammeCoverage: lambda: ProgrammeCoverage.objects.get_or_create(
        programme=ProgrammeFactory()
    )[0],
    Suggestion: lambda: _suggestion(),
    SuggestionScope: lambda: SuggestionScope.objects.create(
        course=CourseFactory(), framework=FrameworkFactory(), generated_at=timezone.now()
    ),
}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS),
    key=lambda model: model._meta.label,
)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# Bookkeeping the database keeps by itself, which nobody edits: the link count's slots, kept by
# PostgreSQL triggers; the suggestions' deletions, recorded for deletions/ by what deletes them.
UNEDITED = {CourseAbilityCount, SuggestionDeletion}


def test_every_project_model_is_registered_and_has_a_builder():
    """Historical tables and database bookkeeping aside, no model of the three apps is missing
    from the admin."""
    models = {
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model not in UNEDITED
    }
    assert models == set(REGISTERED)
    assert set(BUILDERS) == models


def test_admin_has_the_site_header(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Competency-to-curriculum mapping" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_add_change_and_history_pages_render(admin_client, model):
    """A superuser sees every page of every model; read-only models refuse the add page."""
    obj = BUILDERS[model]()
    model_admin = admin.site._registry[model]

    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200
    add = admin_client.get(_url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
    if isinstance(model_admin, SimpleHistoryAdmin):
        assert admin_client.get(_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, model
):
    for _ in range(3):
        BUILDERS[model]()
    url = _url(model, "changelist")
    admin_client.get(url)  # warm caches (content types, sessions) so both counts compare alike
    with CaptureQueriesContext(connection) as three_rows:
        assert admin_client.get(url).status_code == 200

    for _ in range(27):
        BUILDERS[model]()
    with django_assert_max_num_queries(len(three_rows.captured_queries)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count >= 30


@pytest.mark.django_db
def test_course_search_finds_by_code_and_title(admin_client):
    wanted = CourseFactory(code="ECOM-101", title="Cross-border logistics")
    other = CourseFactory(code="MKT-200", title="Brand marketing")
    url = _url(Course, "changelist")

    by_code = admin_client.get(url, {"q": "ECOM"}).context["cl"].result_list
    by_title = admin_client.get(url, {"q": "logistics"}).context["cl"].result_list

    assert list(by_code) == [wanted]
    assert list(by_title) == [wanted]
    assert other not in by_title


@pytest.mark.django_db
def test_link_search_finds_by_course_code_and_ability_text(admin_client):
    link = CourseAbilityFactory(course__code="ECOM-101", ability__text="negotiate with suppliers")
    CourseAbilityFactory()
    url = _url(CourseAbility, "changelist")

    assert list(admin_client.get(url, {"q": "ECOM-101"}).context["cl"].result_list) == [link]
    assert list(admin_client.get(url, {"q": "suppliers"}).context["cl"].result_list) == [link]


def _chinese_named() -> dict:
    """A record of each kind an administrator searches, with a Chinese name (as the paper's)."""
    course = CourseFactory(title="Dynamic web design", title_zh="动态网页设计")
    ability = AbilityFactory(text="Design web pages", text_zh="网页界面设计能力")
    position = PositionFactory(name="Web editor", name_zh="网页编辑")
    return {
        Course: course,
        Ability: ability,
        Position: position,
        Programme: ProgrammeFactory(name="Web operations", name_zh="网站运营"),
        CourseAbility: CourseAbilityFactory(course=course, ability=ability),
        Requirement: RequirementFactory(position=position, ability=ability),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "term"),
    [
        (Course, "网页设计"),
        (Ability, "界面设计"),
        (Position, "网页编辑"),
        (Programme, "网站运营"),
        (CourseAbility, "动态网页"),
        (Requirement, "网页编辑"),
    ],
)
def test_the_admin_finds_records_by_their_chinese_names(admin_client, model, term):
    """The paper's records carry Chinese names, shown in the Chinese interface: searching the
    admin (and its autocomplete) for them found nothing."""
    wanted = _chinese_named()[model]
    CourseAbilityFactory()  # one of each kind that does not match
    RequirementFactory()

    found = admin_client.get(_url(model, "changelist"), {"q": term}).context["cl"].result_list

    assert list(found) == [wanted]


@pytest.mark.django_db
def test_the_admin_searches_and_autocompletes_the_chinese_names(admin_client):
    """Observed: staff typing a course's, an ability's or a position's Chinese name (in a
    changelist's search, or in the autocomplete of a link's course or ability) found nothing:
    the searches read the English names only."""
    from positions.models import Position
    from positions.tests.factories import PositionFactory

    link = CourseAbilityFactory(
        course__title="Cross-border E-commerce Practice",
        course__title_zh="跨境电商实务",
        ability__text="have data analysis ability",
        ability__text_zh="具有数据分析能力",
    )
    CourseAbilityFactory()
    position = PositionFactory(name="Data analyst", name_zh="数据分析师")
    programme = ProgrammeFactory(name="E-commerce", name_zh="跨境电商专业")

    def found(model, q):
        return list(admin_client.get(_url(model, "changelist"), {"q": q}).context["cl"].result_list)

    assert found(Course, "跨境电商") == [link.course]
    assert found(Ability, "数据分析") == [link.ability]
    assert found(CourseAbility, "跨境电商") == [link]
    assert found(CourseAbility, "数据分析") == [link]
    assert found(Position, "分析师") == [position]
    assert found(Programme, "跨境电商") == [programme]
    module = Module.objects.create(
        code="EB", name="E-commerce basic module", name_zh="电子商务基础模块"
    )
    assert found(Module, "基础模块") == [module]
    answer = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "数据分析",
            "app_label": "curricula",
            "model_name": "courseability",
            "field_name": "ability",
        },
    ).json()
    assert [int(result["id"]) for result in answer["results"]] == [link.ability_id]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["resume", "RÉSUMÉ", "Résumé", "ｒｅｓｕｍｅ", "ｃｖ１"])  # noqa: RUF001
def test_the_admin_searches_in_any_case_width_and_accent(admin_client, q):
    """Observed: staff typing "resume" found no course "Résumé writing" nor an ability "Write
    a RÉSUMÉ", and "RÉSUMÉ" found the course on PostgreSQL only (SQLite's LIKE ignores the
    case of ASCII letters alone); a code or word typed in full width found nothing. The
    changelists and the autocomplete read as the site search and the API do: in any case,
    width and accent, on both backends."""
    from positions.models import Position
    from positions.tests.factories import PlacementFactory, PositionFactory

    link = CourseAbilityFactory(
        course__code="CV1", course__title="Résumé writing", ability__text="Write a RÉSUMÉ"
    )
    CourseAbilityFactory(course__code="MKT1", course__title="Marketing")
    position = PositionFactory(name="Careers adviser")
    PlacementFactory(position=position, title="CV1 résumé adviser")

    def found(model, query):
        answer = admin_client.get(_url(model, "changelist"), {"q": query})
        return list(answer.context["cl"].result_list)

    code = q == "ｃｖ１"  # noqa: RUF001
    assert found(Course, q) == [link.course]
    assert found(Ability, q) == ([] if code else [link.ability])
    assert found(CourseAbility, q) == [link]
    assert found(Position, q) == [position]
    answer = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": q,
            "app_label": "curricula",
            "model_name": "courseability",
            "field_name": "course",
        },
    ).json()
    assert [int(result["id"]) for result in answer["results"]] == [link.course_id]


@pytest.mark.django_db
def test_ability_page_shows_the_courses_that_build_it(admin_client):
    link = CourseAbilityFactory(course__code="ECOM-101")
    response = admin_client.get(_url(Ability, "change", link.ability_id))
    assert response.status_code == 200
    assert "ECOM-101" in response.text


@pytest.mark.django_db
def test_inline_rows_inputs_are_named_for_screen_readers(admin_client):
    """A tabular inline labels its columns with header cells only; each row's select, input and
    delete box carries its own name (field and row), so axe finds no unnamed control."""
    course = CourseFactory()
    CourseAbilityFactory.create_batch(2, course=course)
    page = admin_client.get(_url(Course, "change", course.pk)).text
    for row in (1, 2):
        for field in ("Level", "Note", "Delete"):
            assert f'aria-label="{field}, row {row}"' in page, (field, row)
    # The template row "Add another" copies is named without a number.
    template_row = re.search(r'<select[^>]*name="ability_links-__prefix__-level"[^>]*>', page)
    assert 'aria-label="Level"' in template_row.group()


@pytest.mark.django_db
def test_admin_pages_load_the_accessibility_styles_and_script(admin_client):
    page = admin_client.get(_url(Course, "add")).text
    assert "css/admin.css" in page
    assert "js/admin.js" in page


# --- Inline edits: provenance and history --------------------------------------------------------


@pytest.mark.django_db
def test_editing_a_link_inline_on_a_course_marks_it_edited_and_records_who(
    admin_client, admin_user
):
    course = CourseFactory(provenance=Provenance.PAPER, source_ref="Table III")
    link = CourseAbilityFactory(
        course=course, level=level("R"), provenance=Provenance.PAPER, source_ref="Table III, row 2"
    )
    untouched = CourseAbilityFactory(course=course, provenance=Provenance.PAPER)
    url = _url(Course, "change", course.pk)
    data = change_form_data(admin_client.get(url))
    data["ability_links-0-level"] = level("M").pk

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    link.refresh_from_db()
    assert link.level.code == "M"
    assert link.provenance == Provenance.EDIT
    assert link.source_ref == "Table III, row 2", "the original source is kept"
    latest = link.history.latest()
    assert latest.history_user == admin_user
    assert latest.level.code == "M"
    assert latest.prev_record.level.code == "R"
    untouched.refresh_from_db()
    assert untouched.provenance == Provenance.PAPER, "an unchanged inline row is not marked"
    course.refresh_from_db()
    assert course.provenance == Provenance.PAPER, "saving an unchanged course does not mark it"


@pytest.mark.django_db
def test_adding_and_deleting_links_inline_records_history(admin_client, admin_user):
    course = CourseFactory()
    doomed = CourseAbilityFactory(course=course)
    new_ability = AbilityFactory()
    url = _url(Course, "change", course.pk)
    data = change_form_data(admin_client.get(url))
    data["ability_links-0-DELETE"] = "on"
    data.update(
        {
            "ability_links-TOTAL_FORMS": "2",
            "ability_links-1-course": course.pk,
            "ability_links-1-ability": new_ability.pk,
            "ability_links-1-level": level("I").pk,
            "ability_links-1-note": "added inline",
        }
    )

    assert admin_client.post(url, data).status_code == 302

    added = CourseAbility.objects.get(course=course)
    assert added.ability == new_ability
    assert added.provenance == Provenance.EDIT
    assert added.history.get().history_user == admin_user
    deletion = CourseAbility.history.get(id=doomed.pk, history_type="-")
    assert deletion.history_user == admin_user


@pytest.mark.django_db
def test_changing_a_course_through_its_form_marks_it_edited(admin_client, admin_user):
    course = CourseFactory(provenance=Provenance.STARTER, source_ref="starter.csv")
    url = _url(Course, "change", course.pk)
    data = change_form_data(admin_client.get(url))
    data["title"] = "International trade practice"

    assert admin_client.post(url, data).status_code == 302

    course.refresh_from_db()
    assert (course.title, course.provenance) == ("International trade practice", Provenance.EDIT)
    assert course.source_ref == "starter.csv"
    assert course.history.latest().history_user == admin_user


@pytest.mark.django_db
def test_reverting_a_link_through_history_marks_it_edited(admin_client):
    link = CourseAbilityFactory(level=level("I"), provenance=Provenance.PAPER)
    first = link.history.get()
    link.level = level("M")
    link.save()
    url = _url(CourseAbility, "simple_history", link.pk, first.history_id)
    data = change_form_data(admin_client.get(url))

    assert admin_client.post(url, data).status_code == 302

    link.refresh_from_db()
    assert link.level.code == "I"
    assert link.provenance == Provenance.EDIT


@pytest.mark.django_db
def test_programme_shows_its_coverage_read_only(admin_client):
    programme = ProgrammeFactory()
    ProgrammeCoverage.objects.update_or_create(
        programme=programme, defaults={"state": "fresh", "percent": 87.5}
    )
    response = admin_client.get(_url(Programme, "change", programme.pk))
    assert response.status_code == 200
    assert "87.5" in response.text
    assert "coverage-0-state" not in response.text, "coverage is not an editable inline"


# --- Course-ability link import and export ------------------------------------------------------


def _csv(*rows: str) -> SimpleUploadedFile:
    text = "\n".join(["course,framework,ability,level,note", *rows]) + "\n"
    return SimpleUploadedFile("links.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def catalogue(db):
    framework = FrameworkFactory(name="Cross-border e-commerce abilities")
    return {
        "framework": framework,
        "a1": AbilityFactory(framework=framework, code="A1"),
        "a2": AbilityFactory(framework=framework, code="A2"),
        "c1": CourseFactory(code="C-101"),
        "c2": CourseFactory(code="C-102"),
    }


def _preview(client, upload, file_format: str = "0"):
    return client.post(
        _url(CourseAbility, "import"), {"format": file_format, "import_file": upload}
    )


@pytest.mark.django_db
def test_link_import_previews_then_confirm_creates_the_links(admin_client, admin_user, catalogue):
    existing = CourseAbilityFactory(
        course=catalogue["c1"], ability=catalogue["a1"], level=level("I"), provenance="paper"
    )
    fw = catalogue["framework"]
    upload = _csv(
        f"C-101,{fw.identifier},A1,M,deepened in the project",
        f"C-102,{fw.name},A2,r,",
    )

    preview = _preview(admin_client, upload)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert CourseAbility.objects.count() == 1, "the preview writes nothing"
    existing.refresh_from_db()
    assert existing.level.code == "I"

    confirm = admin_client.post(
        _url(CourseAbility, "process_import"), preview.context["confirm_form"].initial
    )

    assert confirm.status_code == 302
    existing.refresh_from_db()
    assert (existing.level.code, existing.note) == ("M", "deepened in the project")
    assert existing.provenance == Provenance.IMPORT
    assert existing.source_ref == "links.csv, line 2"
    created = CourseAbility.objects.get(course=catalogue["c2"])
    assert (created.ability, created.level.code) == (catalogue["a2"], "R")
    assert created.provenance == Provenance.IMPORT
    assert created.history.get().history_user == admin_user


@pytest.mark.django_db
def test_link_import_reports_bad_rows_by_line_and_writes_nothing(admin_client, catalogue):
    fw = catalogue["framework"]
    upload = _csv(
        f"C-101,{fw.identifier},A1,M,",
        f"NOPE-1,{fw.identifier},A2,M,",
        f"C-102,{fw.identifier},ZZ9,Q,",
    )

    response = _preview(admin_client, upload)

    assert response.status_code == 200
    invalid = {row.number: row for row in response.context["result"].invalid_rows}
    assert set(invalid) == {3, 4}, "lines count the header as line 1, like a spreadsheet"
    assert invalid[3].field_specific_errors == {"course": ["Unknown course code “NOPE-1”."]}
    assert set(invalid[4].field_specific_errors) == {"ability", "level"}
    assert "Unknown course code “NOPE-1”." in response.text
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not CourseAbility.objects.exists()


@pytest.mark.django_db
def test_link_import_is_all_or_nothing_even_without_a_preview(catalogue):
    fw = catalogue["framework"]
    dataset = Dataset(headers=["course", "framework", "ability", "level", "note"])
    dataset.append(["C-101", str(fw.identifier), "A1", "M", ""])
    dataset.append(["NOPE-1", str(fw.identifier), "A2", "M", ""])

    result = CourseAbilityResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not CourseAbility.objects.exists(), "the good first row is rolled back too"


@pytest.mark.django_db
def test_link_import_explains_framework_problems(catalogue):
    FrameworkFactory(name="Twin")
    # A1 in a second framework: a row naming no framework cannot tell which A1 it means.
    AbilityFactory(framework=FrameworkFactory(name="Twin"), code="A1")
    dataset = Dataset(headers=["course", "framework", "ability", "level", "note"])
    dataset.append(["C-101", "Twin", "A1", "M", ""])
    dataset.append(["C-101", "No such framework", "A1", "M", ""])
    dataset.append(["C-101", "", "A1", "M", ""])

    result = CourseAbilityResource().import_data(dataset, dry_run=True)

    errors = [row.field_specific_errors for row in result.invalid_rows]
    assert "Several frameworks are named “Twin”" in errors[0]["framework"][0]
    assert "Unknown framework “No such framework”" in errors[1]["framework"][0]
    assert "names an ability of several frameworks" in errors[2]["ability"][0]
    assert "give its framework" in errors[2]["ability"][0]


@pytest.mark.django_db
def test_link_import_reports_missing_columns(admin_client, catalogue):
    upload = SimpleUploadedFile("links.csv", b"course,ability\nC-101,A1\n", "text/csv")
    response = _preview(admin_client, upload)
    assert response.status_code == 200
    # The framework column may be left out: an ability code only one framework has is enough.
    assert "The file lacks the column(s): level." in response.text
    assert not CourseAbility.objects.exists()


@pytest.mark.django_db
def test_link_import_rolls_back_when_the_data_changed_before_confirm(admin_client, catalogue):
    fw = catalogue["framework"]
    preview = _preview(
        admin_client, _csv(f"C-101,{fw.identifier},A1,M,", f"C-102,{fw.identifier},A2,M,")
    )
    catalogue["c2"].delete()

    confirm = admin_client.post(
        _url(CourseAbility, "process_import"), preview.context["confirm_form"].initial, follow=True
    )

    assert "Nothing was imported" in confirm.text
    assert not CourseAbility.objects.exists()


@pytest.mark.django_db
def test_link_import_reads_xlsx(admin_client, catalogue):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Course", "Framework", "Ability", "Level", "Note"])
    sheet.append(["C-101", str(catalogue["framework"].identifier), "A1", "R", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("links.xlsx", buffer.getvalue())

    preview = _preview(admin_client, upload, file_format="1")
    admin_client.post(
        _url(CourseAbility, "process_import"), preview.context["confirm_form"].initial
    )

    link = CourseAbility.objects.get()
    assert (link.course, link.ability, link.level.code, link.note) == (
        catalogue["c1"],
        catalogue["a1"],
        "R",
        "",
    )


@pytest.mark.django_db
def test_staff_without_link_permissions_cannot_import(client, staff_without_perms):
    client.force_login(staff_without_perms)
    assert client.get(_url(CourseAbility, "import")).status_code == 403


@pytest.mark.django_db
def test_link_export_round_trips(admin_client, catalogue):
    codeless = AbilityFactory(framework=catalogue["framework"], code="")
    CourseAbilityFactory(course=catalogue["c1"], ability=catalogue["a1"], level=level("I"))
    CourseAbilityFactory(
        course=catalogue["c2"], ability=codeless, level=level("M"), note="with, a comma"
    )
    before = set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id", "note"))
    prefix = "courseabilityresource_"
    fields = {f"{prefix}{name}": "on" for name in ("course", "framework", "ability", "level")}

    response = admin_client.post(
        _url(CourseAbility, "export"), {"format": "0", **fields, f"{prefix}note": "on"}
    )

    assert response.status_code == 200
    exported = response.content.decode("utf-8-sig")  # a byte order mark, for Excel
    assert exported.splitlines()[0] == "course,framework,ability,level,note"
    assert f"C-101,{catalogue['framework'].identifier},A1,I," in exported

    unchanged = CourseAbilityResource().import_data(Dataset().load(exported, format="csv"))
    assert [row.import_type for row in unchanged.rows] == ["skip", "skip"]

    CourseAbility.objects.all().delete()
    result = CourseAbilityResource().import_data(Dataset().load(exported, format="csv"))

    assert not result.has_errors()
    assert not result.has_validation_errors()
    after = set(CourseAbility.objects.values_list("course_id", "ability_id", "level_id", "note"))
    assert after == before


def test_staff_add_a_programme_without_certification_with_a_termed_course_in_the_admin(
    admin_client,
):
    """Any programme: no certification, its own degree level, a course placed in term 3."""
    track, course = TrackFactory(), CourseFactory()
    url = _url(Programme, "add")
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "name": "BSc Digital Commerce",
            "track": track.pk,
            "own_degree_level": "bachelor",
            "programme_courses-TOTAL_FORMS": "1",
            "programme_courses-0-course": course.pk,
            "programme_courses-0-order": "0",
            "programme_courses-0-term": "3",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    programme = Programme.objects.get(name="BSc Digital Commerce")
    assert programme.certification is None
    assert programme.degree_level == "bachelor"
    assert programme.programme_courses.get().term == 3


def test_the_admin_refuses_a_programme_with_neither_certification_nor_degree_level(
    admin_client,
):
    url = _url(Programme, "add")
    data = change_form_data(admin_client.get(url))
    data.update({"name": "Nothing", "track": TrackFactory().pk})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "needs its own degree level" in response.text
    assert not Programme.objects.filter(name="Nothing").exists()


def test_a_programme_is_deleted_with_its_coverage(admin_client, django_user_model):
    """Nobody could delete a programme, a superuser included: its coverage row, whose admin
    refuses deletion by hand (coverage is computed), was counted as a kind the account may not
    delete."""
    programme = ProgrammeFactory()
    ProgrammeCoverage.objects.get_or_create(programme=programme)
    url = reverse("admin:curricula_programme_delete", args=[programme.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected" not in page.content.decode()
    assert "doesn't have permission to delete" not in page.content.decode()
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert not ProgrammeCoverage.objects.filter(programme_id=programme.pk).exists()
    # The coverage itself is still never deleted by hand.
    coverage, _ = ProgrammeCoverage.objects.get_or_create(programme=ProgrammeFactory())
    delete_coverage = reverse("admin:curricula_programmecoverage_delete", args=[coverage.pk])
    assert admin_client.get(delete_coverage).status_code == 403


def _autocomplete(client, model_name: str, field_name: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "curricula",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )


@pytest.mark.django_db
def test_staff_who_may_add_links_can_search_the_link_forms_courses_and_abilities(
    client, django_user_model
):
    """Staff holding only the add and change permissions on links can fill the link form's
    course and ability boxes (Django's autocomplete asks for permission to view courses and
    abilities, and answered 403: the boxes stayed empty, with no reason given)."""
    from django.contrib.auth.models import Permission

    course = CourseFactory(code="NET210", title="Network marketing")
    ability = AbilityFactory(text="Negotiate with overseas suppliers")
    editor = django_user_model.objects.create_user(username="linker", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["add_courseability", "change_courseability"])
    )
    client.force_login(editor)

    courses = _autocomplete(client, "courseability", "course", "NET210")
    abilities = _autocomplete(client, "courseability", "ability", "overseas")

    assert courses.status_code == 200
    assert [item["id"] for item in courses.json()["results"]] == [str(course.pk)]
    assert abilities.status_code == 200
    assert [item["id"] for item in abilities.json()["results"]] == [str(ability.pk)]
    # Not a way around the permissions: a field of a model the user may not edit stays closed.
    assert _autocomplete(client, "programmecourse", "course", "NET210").status_code == 403


@pytest.mark.django_db
def test_the_editors_autocomplete_serves_only_the_boxes_the_form_shows(client, django_user_model):
    """Observed (sec2): staff allowed to add import jobs, and not to view users, listed every
    account through the autocomplete of the import job's `created_by`, a field no form of theirs
    shows, and found an account by the e-mail address searched for (the users' admin searches
    e-mail and names). The editors' autocomplete is for the boxes their form shows."""
    from django.contrib.auth.models import Permission

    django_user_model.objects.create_user(username="alice", email="alice@corp.example")
    importer = django_user_model.objects.create_user(username="importer", is_staff=True)
    importer.user_permissions.set(Permission.objects.filter(codename="add_importjob"))
    client.force_login(importer)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "positions",
            "model_name": "importjob",
            "field_name": "created_by",
            "term": "corp.example",
        },
    )

    assert response.status_code == 403
    assert "alice" not in response.content.decode()


@pytest.mark.django_db
def test_staff_without_permissions_cannot_search_through_the_autocomplete(
    client, staff_without_perms
):
    CourseFactory(code="NET210")
    client.force_login(staff_without_perms)

    assert _autocomplete(client, "courseability", "course", "NET210").status_code == 403


def _framework_with_links(links: int) -> Framework:
    framework = FrameworkFactory()
    course = CourseFactory()
    for _ in range(links):
        CourseAbilityFactory(course=course, ability=AbilityFactory(framework=framework))
    return framework


def test_deleting_a_framework_with_many_links_counts_them_instead_of_listing_each(
    admin_client, settings
):
    """The confirmation page named every ability and link one by one, three queries each: a
    framework of 2,000 abilities took 17 s (an ESCO one, with its links, would time out). Past
    ADMIN_DELETE_LISTED records it gives the summary's counts by kind, in queries that do not
    grow with the records; deleting still deletes them all."""
    settings.ADMIN_DELETE_LISTED = 5

    def confirm(framework):
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(_url(Framework, "delete", framework.pk))
        assert page.status_code == 200
        return page, len(queries)

    _few, few_queries = confirm(_framework_with_links(4))
    many, many_queries = confirm(_framework_with_links(8))

    assert many_queries == few_queries
    html = many.content.decode()
    assert "Course-ability links: 8" in html  # the summary
    assert not re.search(r"/admin/curricula/courseability/\d+/change/", html)
    assert "16 related records, counted by kind above." in html  # 8 abilities, 8 links
    framework = many.context["object"]
    assert (
        admin_client.post(_url(Framework, "delete", framework.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not Ability.objects.filter(framework=framework).exists()
    # A few are still listed one by one.
    small = _framework_with_links(1)
    html = admin_client.get(_url(Framework, "delete", small.pk)).content.decode()
    assert len(re.findall(r"/admin/curricula/courseability/\d+/change/", html)) == 1


def test_a_long_delete_confirmation_still_says_what_the_account_may_not_delete(
    client, django_user_model, settings
):
    from django.contrib.auth.models import Permission

    settings.ADMIN_DELETE_LISTED = 2
    framework = _framework_with_links(3)
    user = django_user_model.objects.create_user(username="pruner", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_framework", "delete_framework", "delete_ability"]
        )
    )
    client.force_login(user)

    page = client.get(_url(Framework, "delete", framework.pk))

    assert page.status_code == 200
    assert set(map(str, page.context["perms_lacking"])) == {"course-ability link"}


@pytest.mark.django_db
def test_a_link_s_history_names_who_changed_it_linked_only_for_those_who_may_open_users(
    client, admin_client, django_user_model
):
    """Staff allowed to edit links read a link's history: who changed it was a link to the user's
    admin page, which answered them 403."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(username="linker", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["add_courseability", "change_courseability"])
    )
    link = CourseAbilityFactory(level=level("I"))
    link.level = level("M")
    link._history_user = editor
    link.save()
    url = _url(CourseAbility, "history", link.pk)
    user_page = reverse("admin:auth_user_change", args=[editor.pk])
    client.force_login(editor)

    page = client.get(url)

    assert page.status_code == 200
    assert "linker" in page.content.decode()
    assert user_page not in page.content.decode()
    assert user_page in admin_client.get(url).content.decode()


def _history_rows(page) -> list[dict[str, str]]:
    """The admin history page's table, newest change first: each row's cells by column head,
    as text."""

    def text(html: str) -> str:
        # Inline markup (a change's field in <strong>) joins its text; other tags part words.
        html = re.sub(r"</?(?:strong|em|a)\b[^>]*>", "", html)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    table = re.search(r'<table id="change-history".*?</table>', page.content.decode(), re.S)[0]
    heads = [text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [text(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        rows.append(dict(zip(heads, cells, strict=True)))
    return rows


@pytest.mark.django_db
def test_a_history_says_who_or_what_made_each_change_and_why_never_none(
    admin_client, django_user_model
):
    """The admin's history pages (a link's "History of this link" among them) wrote "None" for
    a change without a reason and for one a loader or a command made (no user), and "Deleted
    module (pk=None)" for a module set where there was none: a loader's change now names it as
    its record says (its provenance), the rest show a dash, and real users and reasons still
    show."""
    editor = django_user_model.objects.create_user(username="linker", is_staff=True)
    module = Module.objects.create(code="DM", name="Data module")
    course = CourseFactory(code="NET210", provenance=Provenance.PAPER)  # by the paper's loader
    link = CourseAbilityFactory(course=course, level=level("I"), provenance=Provenance.STARTER)
    link.level, link._history_user, link._change_reason = level("R"), editor, "Set on the map"
    link.save()
    link = CourseAbility.objects.get(pk=link.pk)
    link.level, link.provenance = level("M"), Provenance.EDIT  # a command: no user, no reason
    link.save()
    course.module = module
    course.save()

    links = _history_rows(admin_client.get(_url(CourseAbility, "history", link.pk)))
    courses = _history_rows(admin_client.get(_url(Course, "history", course.pk)))

    assert [(row["Changed by"], row["Change reason"]) for row in links] == [
        ("—", "—"),
        ("linker", "Set on the map"),
        ("Editorial starter mapping", "—"),
    ]
    assert courses[0]["Changes"] == "Module: — → Data module"
    assert courses[1]["Changed by"] == "The paper (Luan et al.)"
    assert not [row for row in links + courses if "None" in " ".join(row.values())]


def test_the_programme_changelist_filters_by_degree_level_once_on_the_level_that_applies(
    admin_client,
):
    """The list had two "By degree level" filters (the certification's level and the
    programme's own, both called "degree level"), each missing the other's programmes. One
    filter now takes the level that applies: the certification's, else the programme's own."""
    with_certification = ProgrammeFactory(certification=CertificationFactory(degree_level="master"))
    own_level = ProgrammeFactory(certification=None, own_degree_level="master")
    bachelor = ProgrammeFactory(certification=None, own_degree_level="bachelor")
    url = _url(Programme, "changelist")

    response = admin_client.get(url)
    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert titles.count("degree level") == 1, titles
    assert response.text.count("By degree level") == 1

    masters = admin_client.get(url, {"degree_level": "master"}).context["cl"].result_list
    assert set(masters) == {with_certification, own_level}
    bachelors = admin_client.get(url, {"degree_level": "bachelor"}).context["cl"].result_list
    assert set(bachelors) == {bachelor}


def test_the_programme_changelist_reads_each_coverage_state_without_its_report(admin_client):
    """The list shows each programme's coverage state; it joined the coverage row whole, so a
    page of programmes read every listed programme's stored report (hundreds of kilobytes each
    for a large framework) to print one word."""
    programme = ProgrammeFactory()
    ProgrammeCoverage.objects.update_or_create(
        programme=programme, defaults={"report": {"positions": ["x" * 100]}, "summary": {"a": 1}}
    )
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(_url(Programme, "changelist"))
    assert response.status_code == 200
    listing = [q["sql"] for q in queries if "curricula_programmecoverage" in q["sql"]]
    assert listing, "the list joins the coverage row for its state"
    for sql in listing:
        assert '"curricula_programmecoverage"."report"' not in sql, sql
        assert '"curricula_programmecoverage"."summary"' not in sql, sql
    assert str(ProgrammeCoverage.objects.get().get_state_display()) in response.text


@pytest.mark.django_db
def test_reverting_a_course_to_a_version_whose_module_is_gone_offers_it_without_a_module(
    admin_client,
):
    """The admin's revert form of a deleted course whose module was deleted since: the module's
    deletion would have cleared the course's (SET_NULL), so the form shows none, where it showed
    the gone module's id and refused it ("was deleted"), and the course comes back without one."""
    from curricula.models import Module

    course = CourseFactory(module=Module.objects.create(code="OLD", name="Old"))
    pk = course.pk
    course.delete()
    Module.objects.all().delete()
    deletion = Course.history.filter(id=pk).latest("history_id")
    url = reverse("admin:curricula_course_simple_history", args=[pk, deletion.history_id])
    data = change_form_data(admin_client.get(url))
    assert data.get("module", "") == ""

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Course.objects.get(pk=pk).module_id is None
