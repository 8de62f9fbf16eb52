"""`manage.py tidy_text`: names and prose stored before NameField and ProseField refused control
characters (a database upgraded from an earlier release) are listed, with an exit status a
deployment can stop on, and with --fix tidied as a framework import tidies them, each record
with a history entry. The rows are written here by QuerySet.update(), which skips the
validators as the earlier releases' doors did."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.management.commands.tidy_text import FOUND_EXIT_CODE
from core.stored_text import TEXT_TIDY_REASON, models_with_text_fields, stored_illegal_text
from curricula.models import Course, Programme
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Ability, Position, Track
from positions.tests.factories import AbilityFactory, PositionFactory, TrackFactory

pytestmark = pytest.mark.django_db

ESCAPE_NAME = "\x1b[31mData\x1b[0m analyst"
NEL_TITLE = "Networks\x85 and systems"
TAB_NAME = "Data\tScience"
PROSE = "Line one\n\tindented\x0bvertical tab\x7f"


def _run(*args, batch_size: int = 1000) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("tidy_text", *args, f"--batch-size={batch_size}", stdout=out, stderr=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def _store(model, pk, **values) -> None:
    # Bypasses every validator, as a row written by an earlier release did.
    model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def stored():
    position = PositionFactory()
    _store(Position, position.pk, name=ESCAPE_NAME, description=PROSE)
    course = CourseFactory()
    _store(Course, course.pk, title=NEL_TITLE)
    track = TrackFactory()
    _store(Track, track.pk, name=TAB_NAME)
    ability = AbilityFactory()
    _store(Ability, ability.pk, text="Build\x07 models")
    # Prose keeps its tabs and line breaks: nothing to tidy here.
    clean = PositionFactory(description="First\tcolumn\r\nsecond line")
    return {
        "position": position,
        "course": course,
        "track": track,
        "ability": ability,
        "clean": clean,
    }


def test_a_clean_database_says_so_and_exits_zero():
    out, error = _run()
    assert error is None
    assert "No stored text holds a character its field refuses." in out

    out, error = _run("--json")
    assert error is None
    assert json.loads(out)["found"] == 0


def test_stored_refused_characters_are_listed_with_a_distinct_exit_status(stored):
    out, error = _run()
    assert error is not None
    assert error.returncode == FOUND_EXIT_CODE != 1
    position, course = stored["position"], stored["course"]
    assert f"positions.Position {position.pk} name: U+001B" in out
    assert f"positions.Position {position.pk} description: U+000B, U+007F" in out
    assert f"curricula.Course {course.pk} title: U+0085" in out
    assert f"positions.Track {stored['track'].pk} name: U+0009" in out
    assert f"positions.Position {stored['clean'].pk} " not in out
    # Shown by code point: printed as stored, the escape would colour the reader's terminal.
    assert "\x1b" not in out
    assert "\x85" not in out
    assert "⟨U+001B⟩[31mData⟨U+001B⟩[0m analyst" in out
    assert "Values holding characters their field refuses: 5 in 4 records" in str(error)
    # A dry run writes nothing.
    assert Position.objects.get(pk=position.pk).name == ESCAPE_NAME


def test_the_listing_in_json_names_model_id_field_and_characters(stored):
    out, error = _run("--json", "--dry-run")
    assert error.returncode == FOUND_EXIT_CODE
    report = json.loads(out)
    assert report["fixed"] is False
    assert (report["found"], report["records"], report["left"]) == (5, 4, 5)
    assert report["by_model"]["positions.Position"] == 2
    found = {(item["model"], item["id"], item["field"]): item for item in report["values"]}
    assert found["curricula.Course", stored["course"].pk, "title"]["characters"] == ["U+0085"]
    assert found["positions.Position", stored["position"].pk, "name"]["characters"] == ["U+001B"]
    assert found["positions.Track", stored["track"].pk, "name"]["excerpt"] == "Data⟨U+0009⟩Science"


def test_chunks_of_any_size_find_every_row(stored):
    positions = PositionFactory.create_batch(3)
    for position in positions:
        _store(Position, position.pk, name=f"{position.name}\x1b")
    report = json.loads(_run("--json", batch_size=1)[0])
    ids = [item["id"] for item in report["values"] if item["model"] == "positions.Position"]
    assert ids == [stored["position"].pk, stored["position"].pk, *(p.pk for p in positions)]


def test_fix_tidies_as_an_import_does_with_history_and_leaves_a_clean_database(stored):
    position = stored["position"]
    before = Position.objects.get(pk=position.pk)
    history_before = position.history.count()

    out, error = _run("--fix")

    assert error is None
    assert "Tidied: 5 values in 4 records" in out
    position.refresh_from_db()
    assert position.name == "[31mData[0m analyst"
    # Prose keeps its tabs and line breaks; a name's tab is a space.
    assert position.description == "Line one\n\tindentedvertical tab"
    assert Course.objects.get(pk=stored["course"].pk).title == "Networks and systems"
    assert Track.objects.get(pk=stored["track"].pk).name == "Data Science"
    assert Ability.objects.get(pk=stored["ability"].pk).text == "Build models"
    # Not a staff edit: importers still update the record.
    assert position.provenance == before.provenance
    assert position.updated_at > before.updated_at
    assert position.history.count() == history_before + 1
    record = position.history.latest()
    assert record.history_change_reason == TEXT_TIDY_REASON
    assert record.name == position.name
    assert Course.history.filter(
        id=stored["course"].pk, history_change_reason=TEXT_TIDY_REASON
    ).exists()
    # The tidied records can be edited again, by any door that cleans.
    position.full_clean()

    out, error = _run()
    assert error is None
    assert "No stored text holds a character its field refuses." in out


def test_fix_leaves_a_record_whose_tidied_text_breaks_a_rule_and_says_why(stored):
    # Track names are unique: "Data\tScience" tidied is the name another track holds.
    TrackFactory(name="Data Science")
    empty = ProgrammeFactory()
    _store(Programme, empty.pk, name="\x1b\x1b")

    out, error = _run("--fix", "--json")

    assert error.returncode == FOUND_EXIT_CODE
    report = json.loads(out)
    assert (report["tidied"], report["left"]) == (4, 2)
    left = {
        (item["model"], item["id"]): item for item in report["values"] if item["status"] == "left"
    }
    assert set(left) == {("positions.Track", stored["track"].pk), ("curricula.Programme", empty.pk)}
    assert any(
        "already exists" in reason
        for reason in left["positions.Track", stored["track"].pk]["reasons"]
    )
    assert Track.objects.get(pk=stored["track"].pk).name == TAB_NAME
    assert Programme.objects.get(pk=empty.pk).name == "\x1b\x1b"
    # The others are tidied all the same.
    assert Course.objects.get(pk=stored["course"].pk).title == "Networks and systems"
    assert "Left as they are: 2 values in 2 records" in str(error)


def test_the_command_writes_in_the_language_asked_for():
    out, error = _run("--language", "zh_Hans")
    assert error is None
    assert "所存文本中没有其字段所拒绝的字符。" in out
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("tidy_text", "--language", "xx", stdout=StringIO())


def test_the_database_picks_the_rows_one_query_per_model(stored):
    """No table is read whole: each model with a name or prose is asked once (its matches fit in
    one chunk), for the rows its `__regex` condition picks."""
    PositionFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        found = list(stored_illegal_text())
    assert len(queries) == len(models_with_text_fields())
    regex = "REGEXP" if connection.vendor == "sqlite" else "~"
    assert all(f" {regex} " in query["sql"] for query in queries.captured_queries)
    assert {entry.pk for entry in found if entry.model is Position} == {stored["position"].pk}


def test_fix_records_the_user_named_as_the_history_user(stored, staff_user):
    """Before, --fix wrote history rows with no user: who tidied could not be told apart from
    an import."""
    out, error = _run("--fix", f"--user={staff_user.username}")

    assert error is None, out
    record = Position.history.filter(
        id=stored["position"].pk, history_change_reason=TEXT_TIDY_REASON
    ).get()
    assert record.history_user == staff_user
    assert (
        Course.history.get(
            id=stored["course"].pk, history_change_reason=TEXT_TIDY_REASON
        ).history_user
        == staff_user
    )


def test_an_unknown_user_is_a_clear_error_and_nothing_is_written(stored):
    _out, error = _run("--fix", "--user=nobody-here")

    assert error is not None
    assert error.returncode == 1
    assert "nobody-here" in str(error)
    assert Position.objects.get(pk=stored["position"].pk).name == ESCAPE_NAME
    assert not Position.history.filter(history_change_reason=TEXT_TIDY_REASON).exists()


def test_the_user_option_is_documented_in_the_help():
    from core.management.commands.tidy_text import Command

    parser = Command().create_parser("manage.py", "tidy_text")
    assert "--user" in parser.format_help()


def test_codes_identifiers_references_and_uris_are_listed_and_tidied():
    """Codes, external identifiers, source references and URIs refuse control characters too:
    one stored before (or by a bulk write) kept its record from being saved by any door, and
    the listing did not name it."""
    ability = AbilityFactory()
    _store(
        Ability,
        ability.pk,
        code="A\t1\x1b",
        external_id="ext\u200b-1",
        source_ref="Table\x85 3",
        uri="https://example.org/a b\x1b",
    )
    position = PositionFactory()
    _store(Position, position.pk, code="P\n1")

    out, error = _run("--json")

    assert error.returncode == FOUND_EXIT_CODE
    listed = {(item["model"], item["field"]) for item in json.loads(out)["values"]}
    assert listed == {
        ("positions.Ability", "code"),
        ("positions.Ability", "external_id"),
        ("positions.Ability", "source_ref"),
        ("positions.Ability", "uri"),
        ("positions.Position", "code"),
    }

    out, error = _run("--fix")

    assert error is None, out
    ability.refresh_from_db()
    assert (ability.code, ability.external_id, ability.source_ref, ability.uri) == (
        "A 1",
        "ext-1",
        "Table 3",
        "https://example.org/a%20b",
    )
    assert Position.objects.get(pk=position.pk).code == "P 1"
    ability.full_clean()
