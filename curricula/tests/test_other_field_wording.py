"""A university mapping another field (nursing, civil engineering) without the paper's data sees
pages about its own records: no cross-border e-commerce, no Luan et al., no Table I/III or
Section IV A, and empty states that say how to add records rather than to load the paper. With
the paper loaded, the pages read as they always did."""

import pytest
from django.db import models
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Placement, Position, Track
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

PAPER_WORDS = (
    "e-commerce",
    "E-commerce",
    "Luan et al.",
    "Table I",
    "Table II",
    "Table III",
    "Section IV",
    "five-in-one",
    "the study",
    "load_paper",
)


def _paper_words(html: str) -> list[str]:
    return [word for word in PAPER_WORDS if word in html]


@pytest.fixture
def nursing(db):
    """A nursing programme without a certification, made from nothing as a designer would."""
    assessment = AbilityFactory(code="NUR.A.1", text="Perform a patient assessment")
    position = PositionFactory(name="Registered nurse")
    RequirementFactory(position=position, ability=assessment, min_level=level("M"))
    # Placed under a track of its own, with a title other than its name.
    track = TrackFactory(name="Adult nursing")
    PlacementFactory(position=position, track=track, degree_level="bachelor", title="Staff nurse")
    course = CourseFactory(code="NUR102", title="Health Assessment")
    CourseAbilityFactory(course=course, ability=assessment, level=level("I"))
    programme = ProgrammeFactory(
        name="Bachelor of Nursing",
        certification=None,
        own_degree_level="bachelor",
        courses=[course],
        targets=[position],
    )
    return {"programme": programme, "position": position, "course": course, "track": track}


def _pages(nursing) -> dict[str, str]:
    programme, position = nursing["programme"], nursing["position"]
    return {
        "overview": reverse("home"),
        "programmes": reverse("curricula:programme-list"),
        "programme": programme.get_absolute_url(),
        "report": reverse("curricula:programme-report", args=[programme.pk]),
        "positions": reverse("positions:list"),
        "positions searched": reverse("positions:list") + "?q=nurse",
        "positions searched for nothing": reverse("positions:list") + "?q=zzz",
        "positions cell": reverse("positions:list")
        + f"?track={nursing['track'].pk}&degree=bachelor",
        "positions cell searched": reverse("positions:list")
        + f"?track={nursing['track'].pk}&degree=bachelor&q=nurse",
        "positions cell searched for nothing": reverse("positions:list")
        + f"?track={nursing['track'].pk}&degree=bachelor&q=zzz",
        "position": position.get_absolute_url(),
        "certifications": reverse("certifications:list"),
        "course": reverse("courses:detail", args=[nursing["course"].pk]),
    }


def test_pages_of_another_field_say_nothing_of_the_paper(client, nursing):
    for name, url in _pages(nursing).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert (name, _paper_words(response.content.decode())) == (name, [])


def test_a_position_of_another_field_without_requirements_is_not_said_to_come_from_the_study(
    client, db
):
    position = PositionFactory(name="Site engineer")
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No requirements defined yet." in html
    assert "Not listed in Table I" not in html
    assert "the study" not in html


def test_empty_pages_say_how_to_add_records_not_to_load_the_paper(client, db):
    """A university starting from its own catalogue (`make run PAPER=no`) is told where to add
    programmes, positions and certifications, not to load the study's tables: load_paper
    --if-empty loads nothing into a database that holds its records."""
    html = client.get(reverse("home")).content.decode()
    assert "load_paper" not in html
    assert "No programmes yet." in html
    assert "administration" in html
    html = client.get(reverse("certifications:list")).content.decode()
    assert "load_paper" not in html
    assert "No certifications yet." in html
    html = client.get(reverse("positions:list")).content.decode()
    assert "load_paper" not in html


def test_the_papers_pages_keep_their_wording(client, paper):
    html = client.get(reverse("home")).content.decode()
    assert "the study of cross-border e-commerce talent" in " ".join(html.split())
    assert "Luan et al." in html
    html = client.get(reverse("positions:list")).content.decode()
    assert "Table I: positions by track and degree" in html
    html = " ".join(client.get(reverse("positions:list") + "?q=analyst").content.decode().split())
    assert "Table I entr" in html
    track = Track.objects.get(name="Data analysis")
    cell = reverse("positions:list") + f"?track={track.pk}&degree=master"
    html = client.get(cell).content.decode()
    assert "<h1>Table I: Data analysis, Master</h1>" in html
    html = client.get(reverse("certifications:list")).content.decode()
    assert "Table III of the study" in " ".join(html.split())
    programme = ProgrammeFactory._meta.model.objects.filter(provenance="paper").first()
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Section IV A" in html


def test_with_the_paper_loaded_a_new_position_without_requirements_is_not_the_studys(client, paper):
    """The study's Table-I-only positions (Data modeler) are said to have no profile in the
    study; a position staff add beside them is not."""
    position = PositionFactory(name="Site engineer")
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No requirements defined yet." in html
    assert "the study names this position" not in html
    data_modeler = PositionFactory._meta.model.objects.get(name="Data modeler")
    html = client.get(data_modeler.get_absolute_url()).content.decode()
    assert "the study names this position" in html


def test_the_positions_search_counts_entries_in_neutral_words(client, nursing):
    html = " ".join(client.get(reverse("positions:list") + "?q=nurse").content.decode().split())
    assert "1 entry under a track and degree matches “nurse”." in html
    html = " ".join(client.get(reverse("positions:list") + "?q=zzz").content.decode().split())
    assert "No entry under a track and degree matches." in html
    cell = reverse("positions:list") + f"?track={nursing['track'].pk}&degree=bachelor"
    html = " ".join(client.get(cell).content.decode().split())
    assert "<title>Adult nursing, Bachelor" in html
    assert "1 position placed under this track and degree level." in html


def test_a_position_of_another_field_names_its_track_and_degree_without_table_i(client, nursing):
    html = " ".join(client.get(nursing["position"].get_absolute_url()).content.decode().split())
    assert "Adult nursing, Bachelor — “Staff nurse”" in html
    assert "Table I" not in html


def test_with_the_paper_loaded_only_the_papers_positions_speak_of_table_i(client, paper):
    """A position staff add beside the paper's, placed or not, says nothing of Table I; the
    paper's own (placed, or profiled in Table II only) read as before, also once staff edited
    them (an edit keeps the source reference the loader gave)."""
    unplaced = PositionFactory(name="Site engineer")
    placed = PositionFactory(name="Drone pilot")
    PlacementFactory(position=placed, track=Track.objects.first(), title="UAV operator")
    for position in (unplaced, placed):
        html = " ".join(client.get(position.get_absolute_url()).content.decode().split())
        # The footer cites the paper the database holds: the position's own lines do not.
        assert "Not listed in Table I" not in html, position.name
        assert "Table I:" not in html, position.name
    html = " ".join(client.get(placed.get_absolute_url()).content.decode().split())
    assert "— “UAV operator”" in html

    profiled_only = Position.objects.filter(placements__isnull=True, provenance="paper").first()
    html = client.get(profiled_only.get_absolute_url()).content.decode()
    assert "Not listed in Table I." in html
    edited = Placement.objects.filter(provenance="paper").select_related("position").first()
    Placement.objects.filter(pk=edited.pk).update(provenance="edit")
    html = " ".join(client.get(edited.position.get_absolute_url()).content.decode().split())
    assert "Table I: " in html


def test_a_placement_staff_cite_another_table_for_is_not_table_is_on_the_position_page(
    client, paper
):
    """Observed: the position page asked whether a placement was the paper's by any of the
    paper's source references, the positions list by Table I's placement reference alone. A
    placement staff add citing Table II as its source read "Table I: …" on its position's page,
    while the positions list showed it as staff's ("position: …", not "Table II: …"). The page
    follows the list's rule now."""
    position = PositionFactory(name="Drone pilot")
    track = Track.objects.first()
    PlacementFactory(
        position=position,
        track=track,
        title="UAV operator",
        provenance="edit",
        source_ref="Table II, position 4",
    )
    html = " ".join(client.get(position.get_absolute_url()).content.decode().split())
    assert "— “UAV operator”" in html
    assert "Table I:" not in html
    listed = " ".join(
        client.get(reverse("positions:list"), {"search": "UAV operator"}).content.decode().split()
    )
    assert "UAV operator</a>" in listed
    assert "position: Drone pilot" in listed
    assert "Table II: Drone pilot" not in listed


def test_a_target_placed_under_another_title_is_named_without_table_i(client, nursing):
    """A programme on the position's track and degree names the title the position is placed
    under, as the paper's programmes name Table I's, but not as Table I's."""
    from certifications.tests.factories import CertificationFactory

    programme = ProgrammeFactory(
        name="Bachelor of Nursing (registered)",
        certification=CertificationFactory(name="Registered nurse licence"),
        track=nursing["track"],
        courses=[nursing["course"]],
        targets=[nursing["position"]],
    )
    pages = (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    )
    for url in pages:
        html = " ".join(client.get(url).content.decode().split())
        assert "(listed as “Staff nurse”)" in html, url
        assert _paper_words(html) == [], url


def _text(client, url: str) -> str:
    return " ".join(client.get(url).content.decode().split())


def test_with_the_paper_loaded_a_cell_of_staff_placements_is_not_table_is(client, paper):
    """A track and degree staff placed positions under, beside the paper's, is not Table I's:
    its page's title and counts use neutral words; a cell mixing the paper's placements with
    a staff one too (the words must hold for every entry)."""
    own_track = TrackFactory(name="Drone logistics")
    PlacementFactory(position=PositionFactory(name="Drone pilot"), track=own_track)
    cell = reverse("positions:list") + f"?track={own_track.pk}&degree=bachelor"
    html = _text(client, cell)
    assert "<h1>Drone logistics, Bachelor</h1>" in html
    assert "1 position placed under this track and degree level." in html
    assert "Table I" not in html.split("<footer")[0]
    html = _text(client, cell + "&q=drone")
    assert "1 entry under a track and degree matches “drone”." in html

    mixed_track = Track.objects.get(name="Data analysis")
    # The paper's placements stay Table I's once staff edited them (the source reference stays).
    Placement.objects.filter(track=mixed_track).update(provenance="edit")
    cell = reverse("positions:list") + f"?track={mixed_track.pk}&degree=master"
    assert "<h1>Table I: Data analysis, Master</h1>" in _text(client, cell)
    PlacementFactory(
        position=PositionFactory(name="Data steward"),
        track=mixed_track,
        degree_level="master",
        title="Steward of data",
    )
    cell = reverse("positions:list") + f"?track={mixed_track.pk}&degree=master"
    html = _text(client, cell)
    assert "<h1>Data analysis, Master</h1>" in html
    # Each entry too: the staff one's position is no Table II name.
    assert "position: Data steward" in html
    assert "Table II: Data steward" not in html
    assert "positions placed under this track and degree level." in html
    assert "Table I lists" not in html
    html = _text(client, reverse("positions:list"))
    assert "position: Data steward" in html
    assert "Table II: Data steward" not in html
    # Searched down to the paper's own entries, the cell's count is Table I's again.
    html = _text(client, cell + "&q=modeler")
    assert "1 Table I entry matches “modeler”." in html


def test_with_the_paper_loaded_the_positions_search_counts_staff_entries_neutrally(client, paper):
    PlacementFactory(
        position=PositionFactory(name="Drone analyst"),
        track=Track.objects.get(name="Data analysis"),
        degree_level="master",
    )
    html = _text(client, reverse("positions:list") + "?q=drone")
    assert "1 entry under a track and degree matches “drone”." in html
    html = _text(client, reverse("positions:list") + "?q=analyst")
    assert "entries under a track and degree match “analyst”." in html
    assert "Table I entr" not in html
    html = _text(client, reverse("positions:list") + "?q=modeler")
    assert "1 Table I entry matches “modeler”." in html


def test_with_the_paper_loaded_a_target_placed_by_staff_is_not_named_as_table_is(client, paper):
    """A paper programme's target staff placed on its track and degree under another title is
    'listed as' it; the paper's own targets keep their Table I titles."""
    from curricula.models import Programme, ProgrammeTarget

    programme = Programme.objects.filter(provenance="paper", track__isnull=False).first()
    paper_titles = list(
        Placement.objects.filter(
            provenance="paper",
            track=programme.track,
            degree_level=programme.certification.degree_level,
        )
        .exclude(title__iexact=models.F("position__name"))
        .values_list("title", flat=True)
    )
    assert paper_titles
    position = PositionFactory(name="Drone pilot")
    PlacementFactory(
        position=position,
        track=programme.track,
        degree_level=programme.certification.degree_level,
        title="UAV operator",
    )
    ProgrammeTarget.objects.create(programme=programme, position=position)
    pages = (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    )
    for url in pages:
        html = _text(client, url)
        assert "(listed as “UAV operator”)" in html, url
        assert "(Table I: “UAV operator”)" not in html, url
        for title in paper_titles:
            assert f"(Table I: “{title}”)" in html, (url, title)


def test_a_universitys_own_training_stages_are_not_called_the_five_in_one_progression(
    client, nursing, django_assert_max_num_queries
):
    """The certifications page headed a nursing school's own stages (theory, placement) "The
    five-in-one progression", Section IV A's name for the paper's five."""
    from certifications.models import TrainingStage

    TrainingStage.objects.create(code="TH", name="Theory teaching", name_zh="理论教学", order=1)
    TrainingStage.objects.create(code="PL", name="Clinical placement", order=2)
    html = client.get(reverse("certifications:list")).content.decode()
    assert "Clinical placement" in html
    assert _paper_words(html) == []
    assert ">Training stages</h2>" in html


def test_the_papers_stages_keep_their_name(client, paper):
    html = client.get(reverse("certifications:list")).content.decode()
    assert "The five-in-one progression</h2>" in html


WORDS_OF_THE_PAPERS_MODEL = ("five-in-one", "Five-in-one", "ouble certification", "ross-border")


def test_the_course_form_does_not_place_a_course_in_the_papers_five_in_one_progression(
    admin_client, nursing
):
    """The course admin (every university's) helped its training stage with "Where the course
    sits in the five-in-one progression.", Section IV A's name for the paper's own model."""
    for url in (
        reverse("admin:curricula_course_add"),
        reverse("admin:curricula_course_change", args=[nursing["course"].pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert "training stage" in html.lower(), url
        assert [w for w in WORDS_OF_THE_PAPERS_MODEL if w in html] == [], url


def test_the_api_documentation_uses_no_words_of_the_papers_model(client, db):
    """The API schema, the same for every university, described the progression endpoint as
    finding what breaks "the five-in-one progression" and readiness as "Double certification"."""
    schema = client.get("/api/schema/", {"format": "json"}).content.decode()
    assert [w for w in WORDS_OF_THE_PAPERS_MODEL if w in schema] == []
