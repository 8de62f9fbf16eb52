"""Each kind of record is the paper's by its own rule: its provenance, or the source reference the
paper's loader gives that kind (which an edit keeps). A record staff add citing another table's
reference by hand (a position citing Table III, a programme citing Table I) is not the paper's,
neither in the queries' counts nor on a page asking about one record read already."""

import pytest
from django.apps import apps as django_apps
from django.db import connection

from certifications.models import PAPER_CERTIFICATION_RULE, Certification
from certifications.tests.factories import CertificationFactory
from core.models import strip_stored_source_refs
from curricula.models import (
    PAPER_LIST_ENTRY_RULE,
    PAPER_PROGRAMME_RULE,
    CertificationCourse,
    Programme,
)
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import (
    PAPER_PLACEMENT_RULE,
    PAPER_POSITION_RULE,
    TABLE_II_PROFILE_RULE,
    Placement,
    Position,
    Track,
)
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

# One reference of each kind the loader writes (curricula.paper.loader).
POSITION_TABLE_II = "Table II, position 4"
POSITION_TABLE_I_ONLY = "Table I, Data analysis, Master; Table II gives no profile"
PLACEMENT = "Table I, Data analysis, Master, title 2"
CERTIFICATION = "Table III, certification 1"
PROGRAMME = "Table III, Cross-border e-commerce engineer (Bachelor), Research and development"
LIST_ENTRY = f"{PROGRAMME}, course 3"
REQUIREMENT = (
    "Table II, position 4, statement 2; importance and level editorial (Table II gives neither)"
)
ABILITY = "Table II, position 4, statement 2; area editorial (Table II gives no area)"
ALL_REFS = {
    REQUIREMENT,
    ABILITY,
    POSITION_TABLE_II,
    POSITION_TABLE_I_ONLY,
    PLACEMENT,
    CERTIFICATION,
    PROGRAMME,
    LIST_ENTRY,
}


def _position(source_ref, provenance):
    return PositionFactory(source_ref=source_ref, provenance=provenance)


def _placement(source_ref, provenance):
    return PlacementFactory(source_ref=source_ref, provenance=provenance)


def _certification(source_ref, provenance):
    return CertificationFactory(source_ref=source_ref, provenance=provenance)


def _programme(source_ref, provenance):
    return ProgrammeFactory(source_ref=source_ref, provenance=provenance)


def _list_entry(source_ref, provenance):
    return CertificationCourse.objects.create(
        certification=CertificationFactory(),
        track=TrackFactory(),
        course=CourseFactory(),
        source_ref=source_ref,
        provenance=provenance,
    )


# Each kind: how to make one, its model, its rule, the references the loader gives it.
KINDS = {
    "position": (
        _position,
        Position,
        PAPER_POSITION_RULE,
        {POSITION_TABLE_II, POSITION_TABLE_I_ONLY},
    ),
    "placement": (_placement, Placement, PAPER_PLACEMENT_RULE, {PLACEMENT}),
    "certification": (_certification, Certification, PAPER_CERTIFICATION_RULE, {CERTIFICATION}),
    "programme": (_programme, Programme, PAPER_PROGRAMME_RULE, {PROGRAMME}),
    "list entry": (_list_entry, CertificationCourse, PAPER_LIST_ENTRY_RULE, {LIST_ENTRY}),
}


def _is_paper(model, rule, record) -> tuple[bool, bool]:
    """What the query's condition and the Python check each say of `record`."""
    return model.objects.filter(rule.q, pk=record.pk).exists(), rule.holds(record)


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_citing_another_kinds_reference_is_not_the_papers(db, kind):
    make, model, rule, own = KINDS[kind]
    for source_ref in sorted(ALL_REFS - own):
        record = make(source_ref, "edit")
        assert (source_ref, _is_paper(model, rule, record)) == (source_ref, (False, False))
        if hasattr(model, "from_paper"):
            assert not record.from_paper, source_ref


@pytest.mark.parametrize("kind", KINDS)
def test_the_papers_records_are_the_papers_also_once_staff_edited_them(db, kind):
    make, model, rule, own = KINDS[kind]
    for source_ref in sorted(own):
        for provenance in ("paper", "edit"):
            record = make(source_ref, provenance)
            assert (source_ref, provenance, _is_paper(model, rule, record)) == (
                source_ref,
                provenance,
                (True, True),
            )
            if hasattr(model, "from_paper"):
                assert record.from_paper, (source_ref, provenance)
    # Its provenance alone says so while no one edited it, whatever it cites.
    record = make("", "paper")
    assert _is_paper(model, rule, record) == (True, True)


def test_a_reference_only_resembling_the_loaders_is_not_the_papers(db):
    """The rule asks for the whole reference: one the loader's is only part of is staff's."""
    for source_ref in (f"See {POSITION_TABLE_II}", f"{POSITION_TABLE_II} and 5"):
        record = _position(source_ref, "edit")
        assert _is_paper(Position, PAPER_POSITION_RULE, record) == (False, False)


def test_table_ii_profiles_only_the_positions_citing_it(db):
    """The positions list's count of Table II's profiles asks for the reference alone: the
    paper's positions Table I alone lists are the paper's, yet have no profile."""
    cases = {
        (POSITION_TABLE_II, "edit"): True,
        (POSITION_TABLE_I_ONLY, "paper"): False,
        (CERTIFICATION, "edit"): False,
        ("", "paper"): False,
    }
    for (source_ref, provenance), expected in cases.items():
        record = _position(source_ref, provenance)
        assert _is_paper(Position, TABLE_II_PROFILE_RULE, record) == (expected, expected)


def test_a_staff_position_citing_another_table_does_not_read_as_the_papers_on_its_page(
    client, paper
):
    """Observed: the position page asked whether a position was the paper's by any of the paper's
    references, so a position staff add citing a placement's Table I reference by hand read "Not
    listed in Table I.", and one citing a requirement's Table II reference, placed and without
    requirements, read that the study gives no profile for it."""
    unplaced = PositionFactory(name="Site engineer", provenance="edit", source_ref=PLACEMENT)
    html = client.get(unplaced.get_absolute_url()).content.decode()
    assert "Not listed in Table I" not in html

    placed = PositionFactory(name="Drone pilot", provenance="edit", source_ref=REQUIREMENT)
    PlacementFactory(position=placed, track=Track.objects.first(), title="UAV operator")
    html = client.get(placed.get_absolute_url()).content.decode()
    assert "No requirements defined yet." in html
    assert "the study names this position" not in html


def test_the_papers_positions_edited_by_staff_still_read_as_the_papers_on_their_pages(
    client, paper
):
    profiled_only = Position.objects.filter(placements__isnull=True, provenance="paper").first()
    table_i_only = Position.objects.get(name="Data modeler")
    Position.objects.filter(pk__in=[profiled_only.pk, table_i_only.pk]).update(provenance="edit")
    html = client.get(profiled_only.get_absolute_url()).content.decode()
    assert "Not listed in Table I." in html
    html = client.get(table_i_only.get_absolute_url()).content.decode()
    assert "the study names this position" in html


@pytest.mark.parametrize("kind", KINDS)
def test_a_reference_saved_with_surrounding_whitespace_is_stored_without_it(db, kind):
    """Observed: a reference typed with a trailing newline or spaces (pasted into a form, read
    from a file) was stored so, and the rules' `$` matched it before the newline in Python and
    on SQLite, not on PostgreSQL: the same record was the paper's or not by the backend. It is
    stored stripped, and so the paper's on every backend, in the queries as on its page."""
    make, model, rule, own = KINDS[kind]
    for source_ref in sorted(own):
        for padded in (f"{source_ref}\n", f"  {source_ref} ", f"{source_ref}\r\n"):
            record = make(padded, "edit")
            record.refresh_from_db()
            assert record.source_ref == source_ref
            assert (padded, _is_paper(model, rule, record)) == (padded, (True, True))


@pytest.mark.parametrize("kind", KINDS)
def test_the_query_and_the_check_agree_on_a_reference_stored_with_a_trailing_newline(db, kind):
    """A reference stored with a trailing newline before references were stripped (or by raw
    SQL): the query's condition and the Python check give one answer on every backend, as
    PostgreSQL's `$` and Python's did not."""
    make, model, rule, own = KINDS[kind]
    for source_ref in sorted(own):
        record = make("", "edit")
        # Raw SQL: around the field's own preparation, as a write before it left the value.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {model._meta.db_table} SET source_ref = %s WHERE id = %s",
                [f"{source_ref}\n", record.pk],
            )
        record.refresh_from_db()
        assert record.source_ref == f"{source_ref}\n"
        in_query, in_python = _is_paper(model, rule, record)
        assert (source_ref, in_query) == (source_ref, in_python)


def test_the_migrations_strip_the_references_stored_before(db):
    """The data migrations' step strips what was stored with whitespace, and the record is then
    the paper's on every backend."""
    padded = f"{CERTIFICATION}\n"
    record = _certification("", "edit")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Certification._meta.db_table} SET source_ref = %s WHERE id = %s",
            [padded, record.pk],
        )
    strip_stored_source_refs(django_apps, "certifications")
    record.refresh_from_db()
    assert record.source_ref == CERTIFICATION
    assert _is_paper(Certification, PAPER_CERTIFICATION_RULE, record) == (True, True)
