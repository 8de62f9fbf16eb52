"""`manage.py load_paper` writes the paper's Tables I-III verbatim, and reloading is safe.

The expected facts are typed here from the paper, not imported from curricula/paper/data.py, so a
slip in the data fails a test instead of agreeing with itself.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from certifications.models import Certification, TrainingStage
from core.models import Provenance
from curricula.models import (
    CertificationCourse,
    Course,
    CourseAbility,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
)
from curricula.paper import PaperLoadError, data, paper_load
from curricula.paper.loader import CREATED, KEPT, UNCHANGED, UPDATED
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import (
    Ability,
    CompetencyArea,
    Framework,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
    TrackAlias,
)
from positions.tests.factories import FrameworkFactory, PositionFactory

PAPER_MODELS = [
    Framework,
    CompetencyArea,
    Track,
    TrackAlias,
    Position,
    Ability,
    Requirement,
    Placement,
    Certification,
    TrainingStage,
    Module,
    Course,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
    CertificationCourse,
]
ALL_MODELS = [*PAPER_MODELS, CourseAbility]

TABLE_II_NAMES = [
    "Web editor and artist",
    "PC and mobile web page designer, website developer and maintainer",
    "Website promotion and planner",
    "Online marketing specialist",
    "Market researcher",
    "Senior sales consultant",
    "Customer service commissioner",
    "Data analyst",
    "Internet marketing manager",
    "Internet operating manager",
    "Operating manager",
    "Risk control specialist",
    "Business negotiation representative",
]
STATEMENTS_PER_POSITION = [3, 4, 5, 4, 4, 3, 3, 4, 5, 3, 3, 3, 3]
BACHELOR_ENGINEER = "Cross-border e-commerce engineer"
MASTER_ENGINEER = "Cross border senior e-commerce engineer"

TABLE_III = {
    (BACHELOR_ENGINEER, "Technological development"): [
        "Dynamic Web Design",
        "Web Interface Design and Beautification",
        "E-commerce Security",
        "Mobile APP Planning and Implementation",
    ],
    (BACHELOR_ENGINEER, "Operation and promotion"): [
        "Online retail practice",
        "online editing practice",
        "business website operation",
        "online customer service and management",
        "online store operation and management",
        "online marketing and planning",
        "international trade practice",
        "cross-border culture and communication",
        "e-commerce law",
    ],
    (BACHELOR_ENGINEER, "Mathematical analysis"): [
        "Database technology",
        "data engineering",
        "commodity information collection and processing",
        "network investigation and analysis",
    ],
    (MASTER_ENGINEER, "Technological development"): [
        "E-commerce website construction",
        "e-commerce system planning and design",
        "management information system",
        "e-commerce security",
        "data analysis language proficiency",
    ],
    (MASTER_ENGINEER, "Operation and promotion"): [
        "Introduction to E-commerce",
        "Network Operations Management",
        "Enterprise E-commerce Management",
        "Consumer Behavior",
        "International Trade Practice",
        "International Payment and Settlement",
        "Cross-border Logistics and Supply Chain",
    ],
    (MASTER_ENGINEER, "Mathematical analysis"): [
        "Business data analysis",
        "data mining technology",
        "big data modeling",
        "business mode planning",
    ],
}

# Table III's career directions are Table I's types under other names.
TABLE_III_DIRECTIONS = {
    "Technological development": "Research and development",
    "Operation and promotion": "Operation and promotion",
    "Mathematical analysis": "Data analysis",
}

TABLE_I = {
    ("Research and development", "bachelor"): [
        ("developer and designer of website", "Web editor and artist"),
        (
            "PC and mobile website developer and maintainer",
            "PC and mobile web page designer, website developer and maintainer",
        ),
    ],
    ("Research and development", "master"): [
        ("website needs and planner", "Website promotion and planner"),
        ("e-commerce system architect", "E-commerce system architect"),
    ],
    ("Operation and promotion", "bachelor"): [
        ("internet marketing specialist", "Online marketing specialist"),
        ("senior sales consultant", "Senior sales consultant"),
    ],
    ("Operation and promotion", "master"): [
        ("business operation manager", "Operating manager"),
        ("network marketing manager", "Internet marketing manager"),
        ("website operation manager", "Internet operating manager"),
    ],
    ("Data analysis", "bachelor"): [
        ("data analyst", "Data analyst"),
        ("market research commissioner", "Market researcher"),
    ],
    ("Data analysis", "master"): [
        ("data analyst", "Data analyst"),
        ("data modeler", "Data modeler"),
    ],
}


def snapshot() -> dict:
    """Every loaded row with its last update time, and the history rows written so far."""
    rows = {model: set(model.objects.values_list("pk", "updated_at")) for model in ALL_MODELS}
    history = {model: model.history.count() for model in ALL_MODELS if hasattr(model, "history")}
    return {"rows": rows, "history": history}


# -- Section III and the framework -------------------------------------------------------------


def test_the_framework_is_the_papers_with_a_fixed_identifier(paper):
    """The framework carries the paper's citation and an identifier every install shares."""
    framework = Framework.objects.get()
    assert str(framework.identifier) == "7e9209f2-0fac-41c6-9bfb-41438f591a78"
    assert framework.version == "1.0"
    assert framework.provenance == Provenance.PAPER
    for author in ["Lanlan Luan", "Yiqun Li", "Jiawen Shen", "Xinyi Fu", "Wei Shi", "Jingyi Liu"]:
        assert author in framework.source
    assert "Training Modes of Talents" in framework.source
    assert "Shanghai University of International Business and Economics" in framework.source
    assert framework.abilities.count() == 47


def test_five_competency_areas_with_the_sections_paragraphs(paper):
    """Section III A-E become five areas in order, each described by its paragraph verbatim."""
    areas = list(CompetencyArea.objects.order_by("order"))
    assert [(a.code, a.name, a.order) for a in areas] == [
        ("RD", "Research and development ability", 1),
        ("MK", "Marketing ability", 2),
        ("MO", "Management and operation ability", 3),
        ("DA", "Data analysis ability", 4),
        ("BN", "Business negotiation ability", 5),
    ]
    assert areas[0].description.startswith(
        "As an elementary e-commerce talent, one should be proficient in e-commerce technology "
        "and have a good master of the latest development"
    )
    assert "operate MIS and ERP software skillfully" in areas[2].description
    # Section III E runs over a page break; the loaded paragraph is one continuous text.
    assert areas[4].description.endswith(
        "Moreover, the ability to conduct trade negotiations, avoid trade risks, open up "
        "international markets and resolve trade disputes is also important."
    )
    assert all(area.source_ref.startswith("Section III ") for area in areas)


def test_three_tracks_whose_aliases_resolve_the_other_tables_names(paper):
    """Table III's and Section III F's names for the tracks find Table I's types."""
    assert list(Track.objects.order_by("order").values_list("name", flat=True)) == [
        "Research and development",
        "Operation and promotion",
        "Data analysis",
    ]

    def resolve(label):
        return TrackAlias.objects.get(name__iexact=label).track.name

    assert resolve("Technological development") == "Research and development"
    assert resolve("technology development") == "Research and development"
    assert resolve("Mathematical analysis") == "Data analysis"
    assert resolve("mathematical analysis") == "Data analysis"
    # Aliases are unique, so the same wording in two places is stored once.
    assert TrackAlias.objects.count() == 3


# -- Table II ----------------------------------------------------------------------------------


def test_table_ii_positions_and_the_two_table_i_only_positions(paper):
    """15 positions: Table II's 13 named as printed, and two with no requirements defined."""
    assert Position.objects.count() == 15
    table_ii = Position.objects.filter(requirements__isnull=False).distinct().order_by("order")
    assert [p.name for p in table_ii] == TABLE_II_NAMES
    without = Position.objects.filter(requirements__isnull=True).order_by("name")
    assert [p.name for p in without] == ["Data modeler", "E-commerce system architect"]
    assert all(p.provenance == Provenance.PAPER for p in Position.objects.all())


def test_47_requirements_essential_and_mastered_in_table_ii_order(paper):
    """Each Table II statement is one ability required at M, numbered as the paper numbers it."""
    assert Requirement.objects.count() == 47
    counts = [Position.objects.get(name=name).requirements.count() for name in TABLE_II_NAMES]
    assert counts == STATEMENTS_PER_POSITION
    assert set(Requirement.objects.values_list("importance", "min_level__code")) == {
        ("essential", "M")
    }
    marketing = Position.objects.get(name="Online marketing specialist")
    requirements = list(marketing.requirements.order_by("order").select_related("ability"))
    assert [r.order for r in requirements] == [1, 2, 3, 4]
    assert requirements[0].ability.text == (
        "be familiar with information release and dissemination process"
    )
    assert requirements[1].ability.code == "P04.2"
    assert requirements[1].source_ref == (
        "Table II, position 4, statement 2; importance and level editorial (Table II gives neither)"
    )


def test_a_requirement_says_its_importance_and_level_are_not_the_papers(paper):
    """Table II heads its column "Professional ability requirements" and numbers them: it ranks
    none above another and names no depth ("1. be familiar with information release and
    dissemination process; 2. understand Internet marketing rules, ..."). Every requirement the
    loader writes is essential and at M, so its source reference says both are editorial, as an
    ability's says its area is: it cited Table II alone, so the paper seemed to ask for mastery."""
    refs = set(Requirement.objects.values_list("source_ref", flat=True))
    assert len(refs) == 47
    assert all(
        ref.endswith("; importance and level editorial (Table II gives neither)") for ref in refs
    )


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("P01.3", "be able to communicate with the front desk architect"),
        (
            "P02.2",
            "be familiar with web page standard H5, browser compatibility, SEO (search engine "
            "optimization)",
        ),
        (
            "P03.2",
            "be proficient in marketing planning, publicity and promotion of company products, be "
            "processed with strong planning ability",
        ),
        (
            "P03.3",
            "have sales experience and image processing capabilities of cross border platforms "
            "such as express sell, Amazon and Dunhuang net",
        ),
        # Printed with a trailing "." instead of ";".
        ("P05.1", "be proficient in all kinds of office software and information system software"),
        # Printed run together with statements 3 and 4, without separators.
        (
            "P08.2",
            "master the ability of modeling algorithms such as personalized recommendation, "
            "clustering, association, PageRank and so on",
        ),
        (
            "P08.3",
            "be familiar with Linux/Unix system and Hadoop/HBase/Hive/Storm distributed "
            "architecture",
        ),
        (
            "P10.2",
            "skillfully use database and business intelligence tools to tune and enhance the PV "
            "value of network background system and user interaction UI",
        ),
        (
            "P12.3",
            "be able to conduct risk identification and predication with the combination of "
            "various kinds of data and tools, be able to put forward timely plans to prevent the "
            "spread of risk",
        ),
        (
            "P13.3",
            "provide suggestions for enterprises to help them win strategic benefits through "
            "collaboration and integration of suppliers, distributors and brands at home and "
            "abroad",
        ),
    ],
)
def test_statements_are_verbatim(paper, code, text):
    """The paper's wording, spelling and capitalisation survive; only numbering is stripped."""
    ability = Ability.objects.get(code=code)
    assert ability.text == text
    assert ability.area is not None
    assert "Table II gives no area" in ability.source_ref


def test_no_statement_keeps_a_number_or_separator(paper):
    """Only the leading "1. " and the trailing ";" / "." are stripped, from every statement."""
    for text in Ability.objects.values_list("text", flat=True):
        assert text == text.strip()
        assert not text[0].isdigit()
        assert text[-1] not in ";.", text


# -- Table I -----------------------------------------------------------------------------------


def test_table_i_placements_are_the_crosswalk(paper):
    """13 placements keep Table I's titles and point at Table II's (or the new) positions."""
    assert Placement.objects.count() == 13
    found = {}
    for placement in Placement.objects.select_related("track", "position").order_by("order"):
        key = (placement.track.name, placement.degree_level)
        found.setdefault(key, []).append((placement.title, placement.position.name))
    assert found == TABLE_I
    unplaced = Position.objects.filter(placements__isnull=True).order_by("order")
    assert [p.name for p in unplaced] == [
        "Customer service commissioner",
        "Risk control specialist",
        "Business negotiation representative",
    ]


# -- Table III and Section IV ----------------------------------------------------------------------


def test_two_certifications_named_as_printed(paper):
    assert list(Certification.objects.order_by("order").values_list("name", "degree_level")) == [
        (BACHELOR_ENGINEER, "bachelor"),
        (MASTER_ENGINEER, "master"),
    ]
    assert "Cross border senior e-commerce engineer" in (
        Certification.objects.get(degree_level="master").description
    )


def test_the_double_certification_requirement_is_quoted_as_section_iv_c_words_it(paper):
    """Section IV C: "At the same time, all students must obtain cross-border e-commerce engineer
    qualification certificate or recognized relevant professional qualification certificate."
    The bachelor certification cites it in those words, in quotation marks, so a reader finds
    it in the paper; it read "obtain the ... certificate or a recognized ...", words the paper
    does not print."""
    quote = (
        "all students must obtain cross-border e-commerce engineer qualification certificate or "
        "recognized relevant professional qualification certificate."
    )
    description = Certification.objects.get(name=BACHELOR_ENGINEER).description
    assert f'Section IV C: "{quote}"' in description
    assert "obtain the cross-border" not in description
    assert "or a recognized" not in description


def test_31_distinct_courses_with_modules_and_justified_stages(paper):
    """33 Table III entries make 31 courses: two are listed twice in different capitalisation."""
    assert ProgrammeCourse.objects.count() == 33
    assert Course.objects.count() == 31
    titles = [t.casefold() for t in Course.objects.values_list("title", flat=True)]
    assert len(set(titles)) == 31
    for title in ["E-commerce Security", "International trade practice"]:
        assert Course.objects.get(title=title).programmes.count() == 2
    assert not Course.objects.filter(credits__isnull=False).exists()
    assert not Course.objects.filter(module__isnull=True).exists()
    assert list(Module.objects.order_by("order").values_list("name", flat=True)) == [
        "E-commerce basic module",
        "International business module",
        "Network technology module",
        "Innovation and entrepreneurship module",
        "Graduation design module",
    ]
    assert list(TrainingStage.objects.order_by("order").values_list("name", flat=True)) == [
        "Theory teaching",
        "Cognitive demonstration",
        "Simulation",
        "Actual operation",
        "Certification assessment",
    ]
    practice = Course.objects.filter(title__iendswith=" practice")
    assert practice.count() == 3
    assert set(practice.values_list("stage__name", flat=True)) == {"Actual operation"}
    assert Course.objects.filter(stage__isnull=True).exists()


def test_course_titles_are_cased_as_the_paper_first_lists_them(paper):
    """Table III prints a course in Title Case in some rows and in its sentence's case in
    others; a course's title is its first listing, capitalised as the head of a list."""
    first_listed = {}
    for listed in TABLE_III.values():
        for text in listed:
            first_listed.setdefault(text.casefold(), text[0].upper() + text[1:])
    titles = set(Course.objects.values_list("title", flat=True))
    assert titles == set(first_listed.values())
    assert {"Online retail practice", "Mobile APP Planning and Implementation"} <= titles
    assert "Online Retail Practice" not in titles


def test_the_names_migration_gives_loaded_databases_the_papers_names(paper):
    """A database loaded before areas were headed "... ability" and courses cased as printed
    gets the paper's names from the data migration, and the old ones back from its reverse;
    a record staff edited is left alone."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("curricula.migrations.0016_paper_names_as_printed")
    CompetencyArea.objects.filter(code="MK").update(name="Marketing")
    Course.objects.filter(code="CBE105").update(title="Online Retail Practice")
    Course.objects.filter(code="CBE106").update(title="Online Editing Practice", provenance="edit")
    migration.forwards(apps, None)
    assert CompetencyArea.objects.get(code="MK").name == "Marketing ability"
    assert Course.objects.get(code="CBE105").title == "Online retail practice"
    assert Course.objects.get(code="CBE106").title == "Online Editing Practice"  # staff's
    migration.backwards(apps, None)
    assert CompetencyArea.objects.get(code="MK").name == "Marketing"
    assert Course.objects.get(code="CBE105").title == "Online Retail Practice"
    # Every new name of the migration is the loader's.
    areas = {code: name for code, name, *_rest in data.AREAS}
    courses = {code: title for code, title, *_rest in data.COURSES}
    assert all(areas[code] == new for code, (_old, new) in migration.AREAS.items())
    assert all(courses[code] == new for code, (_old, new) in migration.COURSES.items())


def test_six_programmes_list_table_iii_verbatim_and_in_order(paper):
    """Each programme's courses come back in Table III's order with Table III's exact text."""
    assert Programme.objects.count() == 6
    for (certification, direction), listed in TABLE_III.items():
        programme = Programme.objects.select_related("track").get(
            certification__name=certification, name=f"{certification} — {direction}"
        )
        assert programme.track.name == TABLE_III_DIRECTIONS[direction]
        entries = programme.programme_courses.order_by("order").select_related("course")
        assert [e.listed_as for e in entries] == listed
        assert [e.course.title.casefold() for e in entries] == [t.casefold() for t in listed]


def test_each_certification_keeps_table_iii_lists_of_its_own(paper):
    """Double certification: every direction's list is the certification's, apart from the
    programmes, in Table III's order and words."""
    assert CertificationCourse.objects.count() == 33
    for (certification, direction), listed in TABLE_III.items():
        rows = CertificationCourse.objects.filter(
            certification__name=certification, track__name=TABLE_III_DIRECTIONS[direction]
        ).order_by("order")
        assert [row.listed_as for row in rows] == listed
        assert {row.provenance for row in rows} == {Provenance.PAPER}


def test_a_second_programme_on_a_paper_direction_leaves_the_paper_programmes_alone(paper):
    """Programmes may share a certification and track: reloading still finds the paper's own by
    name, creates nothing and leaves the staff's programme as it is."""
    original = Programme.objects.get(name=f"{BACHELOR_ENGINEER} — Technological development")
    extra = Programme.objects.create(
        name="BSc Web Engineering",
        certification=original.certification,
        track=original.track,
        provenance=Provenance.EDIT,
    )
    report = paper_load()
    assert report.total(CREATED) == report.total(UPDATED) == 0
    assert Programme.objects.count() == 7
    extra.refresh_from_db()
    assert extra.name == "BSc Web Engineering"
    assert not extra.programme_courses.exists()
    assert original.programme_courses.count() == 4


def test_programme_targets_follow_table_i_through_track_and_degree(paper):
    """A programme targets what Table I places under its track at its certification's degree."""
    for programme in Programme.objects.select_related("certification", "track"):
        expected = {
            name for _title, name in TABLE_I[(programme.track.name, programme.degree_level)]
        }
        targets = set(
            ProgrammeTarget.objects.filter(programme=programme).values_list(
                "position__name", flat=True
            )
        )
        assert targets == expected, programme.name
    master_data = Programme.objects.get(
        certification__name=MASTER_ENGINEER, track__name="Data analysis"
    )
    assert set(master_data.target_positions.values_list("name", flat=True)) == {
        "Data analyst",
        "Data modeler",
    }


def test_every_paper_record_says_where_in_the_paper_it_comes_from(paper):
    for model in PAPER_MODELS:
        for provenance, source_ref in model.objects.values_list("provenance", "source_ref"):
            assert provenance == Provenance.PAPER, model
            assert source_ref, model


# -- the starter mapping ---------------------------------------------------------------------------


def test_starter_links_are_marked_editorial_and_explained(paper):
    links = CourseAbility.objects.all()
    assert 60 <= links.count() <= 110
    for provenance, source_ref, note in links.values_list("provenance", "source_ref", "note"):
        assert provenance == Provenance.STARTER
        assert source_ref == "Editorial starter mapping"
        assert len(note) > 20
    assert set(links.values_list("level__code", flat=True)) == {"I", "R", "M"}


def test_each_programme_has_covered_partial_and_missing_requirements(paper):
    """Under the starter mapping every programme shows real coverage and real, explainable gaps."""
    ranks = dict(Level.objects.values_list("pk", "rank"))
    for programme in Programme.objects.all():
        course_ids = set(programme.courses.values_list("pk", flat=True))
        statuses = set()
        for requirement in Requirement.objects.filter(position__programmes=programme):
            best = max(
                (
                    ranks[level_id]
                    for level_id in CourseAbility.objects.filter(
                        course_id__in=course_ids, ability_id=requirement.ability_id
                    ).values_list("level_id", flat=True)
                ),
                default=0,
            )
            if best >= ranks[requirement.min_level_id]:
                statuses.add("covered")
            elif best:
                statuses.add("partial")
            else:
                statuses.add("missing")
        assert statuses == {"covered", "partial", "missing"}, programme.name


def test_the_database_rejects_a_duplicate_link_requirement_or_listing(paper):
    link = CourseAbility.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseAbility.objects.create(course=link.course, ability=link.ability, level=link.level)
    requirement = Requirement.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.create(
            position=requirement.position,
            ability=requirement.ability,
            min_level=requirement.min_level,
        )
    entry = ProgrammeCourse.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCourse.objects.create(programme=entry.programme, course=entry.course)


# -- reloading -------------------------------------------------------------------------------------


def test_reloading_creates_and_changes_nothing(paper):
    """A second run finds every record as the paper has it: no new rows, no saves, no history."""
    before = snapshot()
    report = paper_load()
    assert report.total(CREATED) == report.total(UPDATED) == report.total(KEPT) == 0
    assert report.total(UNCHANGED) == sum(len(rows) for rows in before["rows"].values())
    assert snapshot() == before


def test_reloading_restores_a_record_changed_without_marking_it_edited(paper):
    """A paper record whose provenance is still "paper" is the loader's: it is put right."""
    Ability.objects.filter(code="P04.1").update(text="garbled")
    report = paper_load()
    assert report.count(Ability, UPDATED) == 1
    assert report.total(CREATED) == 0
    assert Ability.objects.get(code="P04.1").text == (
        "be familiar with information release and dissemination process"
    )


def test_records_staff_edited_survive_a_reload(paper):
    """Once staff edit a record (provenance "edit"), the loader reports it kept and leaves it."""
    ability = Ability.objects.get(code="P04.1")
    ability.text = "be familiar with publishing content across channels"
    ability.provenance = Provenance.EDIT
    ability.save()
    course = Course.objects.get(code="CBE101")
    course.title = "Dynamic Web Design and Development"
    course.provenance = Provenance.EDIT
    course.save()
    link = CourseAbility.objects.get(course__code="CBE101", ability__code="P02.1")
    link.level = Level.objects.get(code="R")
    link.provenance = Provenance.EDIT
    link.save()
    position = Position.objects.get(name="Data analyst")
    position.name = "Data analyst (big data)"
    position.provenance = Provenance.EDIT
    position.save()
    track = Track.objects.get(name="Data analysis")
    track.name = "Data science"
    track.provenance = Provenance.EDIT
    track.save()
    counts = {model: model.objects.count() for model in ALL_MODELS}

    report = paper_load()

    assert {model: model.objects.count() for model in ALL_MODELS} == counts
    assert report.total(CREATED) == report.total(UPDATED) == 0
    assert report.total(KEPT) == 5
    for model in [Ability, Course, CourseAbility, Position, Track]:
        assert report.count(model, KEPT) == 1
    assert Ability.objects.get(code="P04.1").text.startswith("be familiar with publishing")
    assert Course.objects.get(code="CBE101").title == "Dynamic Web Design and Development"
    assert CourseAbility.objects.get(pk=link.pk).level.code == "R"
    assert Position.objects.filter(name="Data analyst").count() == 0
    assert Position.objects.get(pk=position.pk).requirements.count() == 4
    assert Track.objects.get(pk=track.pk).name == "Data science"
    assert Programme.objects.filter(track=track).count() == 2


def test_if_empty_skips_a_loaded_database_and_loads_an_empty_one(db):
    report = paper_load(if_empty=True)
    assert not report.skipped
    assert Course.objects.count() == 31
    link = CourseAbility.objects.first()
    link.delete()

    report = paper_load(if_empty=True)

    assert report.skipped
    assert not report.counts
    # A plain run would bring the deleted starter link back; --if-empty leaves the data as it is.
    assert not CourseAbility.objects.filter(course=link.course, ability=link.ability).exists()
    paper_load()
    assert CourseAbility.objects.filter(course=link.course, ability=link.ability).exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda: CourseFactory(code="UNI101", title="Our own course"),
        lambda: ProgrammeFactory(name="Our own programme"),
        lambda: PositionFactory(name="Our own position"),
        lambda: FrameworkFactory(name="Our own framework"),
    ],
    ids=["course", "programme", "position", "framework"],
)
def test_if_empty_leaves_a_universitys_own_catalogue_alone(db, make):
    """`make setup` runs --if-empty: a database holding a university's own courses, programmes,
    positions or frameworks (but not the paper's) gets none of the paper's records, and says why."""
    make()
    before = {model: model.objects.count() for model in ALL_MODELS}

    report = paper_load(if_empty=True)

    assert report.skipped
    assert not report.counts
    assert {model: model.objects.count() for model in ALL_MODELS} == before
    assert not Framework.objects.filter(identifier=data.FRAMEWORK_IDENTIFIER).exists()

    out = StringIO()
    call_command("load_paper", "--if-empty", stdout=out)
    message = out.getvalue()
    assert "already holds" in message
    assert "not loaded" in message
    assert "already loaded" not in message
    assert {model: model.objects.count() for model in ALL_MODELS} == before


def test_no_starter_loads_the_paper_only_and_starter_links_never_replace_a_link(db):
    report = paper_load(include_starter=False)
    assert not CourseAbility.objects.exists()
    assert report.count(Course, CREATED) == 31
    course = Course.objects.get(code="CBE101")
    ability = Ability.objects.get(code="P02.1")
    imported = CourseAbility.objects.create(
        course=course,
        ability=ability,
        level=Level.objects.get(code="I"),
        note="Our syllabus only introduces it.",
        provenance=Provenance.IMPORT,
    )

    report = paper_load()

    assert report.count(CourseAbility, KEPT) == 1
    assert CourseAbility.objects.filter(provenance=Provenance.STARTER).count() == (
        report.count(CourseAbility, CREATED)
    )
    imported.refresh_from_db()
    assert (imported.level.code, imported.provenance) == ("I", Provenance.IMPORT)


# -- the command ----------------------------------------------------------------------------


def test_command_prints_a_summary_and_nothing_at_verbosity_0(db):
    out = StringIO()
    call_command("load_paper", verbosity=0, stdout=out)
    assert out.getvalue() == ""

    call_command("load_paper", stdout=out)
    summary = out.getvalue()
    for header in ["Created", "Updated", "Unchanged", "Kept"]:
        assert header in summary
    assert "Course-ability links" in summary
    assert "Nothing to change." in summary

    out = StringIO()
    call_command("load_paper", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()


def test_command_reports_a_clear_error_and_writes_nothing(db):
    """Without the levels the migrations create, the command fails with a message, atomically."""
    Level.objects.filter(code="M").delete()
    with pytest.raises(CommandError, match="Level “M” is missing"):
        call_command("load_paper", verbosity=0)
    assert not Framework.objects.exists()
    with pytest.raises(PaperLoadError):
        paper_load()


def test_a_missing_level_s_message_names_the_site_s_levels(db):
    """Observed: on a site whose scale is coded 1, 2, 3 the loader said "run the migrations,
    which create I, R and M", which had run and would create nothing: it names the levels the
    paper's mapping is written in and the site's own."""
    Level.objects.all().delete()
    for rank, (code, name) in enumerate([("1", "Novice"), ("2", "Competent"), ("3", "Expert")]):
        Level.objects.create(code=code, name=name, rank=rank + 1)
    with pytest.raises(PaperLoadError) as raised:
        paper_load()
    message = str(raised.value)
    assert "run the migrations" not in message
    assert "1 (Novice), 2 (Competent), 3 (Expert)" in message


def test_with_no_levels_at_all_the_loader_says_to_run_the_migrations(db):
    Level.objects.all().delete()
    with pytest.raises(PaperLoadError, match="run the migrations"):
        paper_load()


def test_command_help_prints_and_says_what_if_empty_does():
    """`manage.py load_paper --help` crashed: argparse cannot format a lazy description."""
    from curricula.management.commands.load_paper import Command

    text = Command().create_parser("manage.py", "load_paper").format_help()
    assert "editorial starter mapping" in text
    assert "empty database" in text
