"""The suggestions' commands: the evaluation on a small ESCO fixture, and generation."""

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import Suggestion, SuggestionScope
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

FIXTURE = Path(__file__).parent / "fixtures" / "esco_small"


def _evaluate(*args) -> str:
    out = StringIO()
    call_command("evaluate_suggestions", "--esco", str(FIXTURE), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_evaluate_prints_one_json_object_with_recall_at_the_k_given_and_touches_no_database():
    with CaptureQueriesContext(connection) as queries:
        output = _evaluate("--k", "10", "--json")
    assert len(queries) == 0
    result = json.loads(output)  # exactly one object: anything else on stdout would fail here
    assert set(result) == {"queries", "candidates", "recall@10", "mrr", "seconds"}
    assert result["queries"] == 5
    assert result["candidates"] == 30
    assert 0 < result["recall@10"] <= 1
    assert 0 < result["mrr"] <= 1


def test_evaluate_default_k_is_20_and_the_engine_beats_the_baseline_on_the_fixture():
    engine = json.loads(_evaluate("--json"))
    baseline = json.loads(_evaluate("--json", "--baseline", "tfidf"))
    assert "recall@20" in engine
    assert engine["mrr"] >= baseline["mrr"]


def test_evaluate_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"occupations_<lang>\.csv"):
        call_command("evaluate_suggestions", "--esco", str(tmp_path), "--json")


def _evaluate_at(path, *args) -> dict:
    out = StringIO()
    call_command("evaluate_suggestions", "--esco", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_finds_the_trio_where_the_esco_importer_would(tmp_path):
    """An ESCO download unpacks into a folder of its own, names the language-free relations file
    without a suffix in older versions, and may be given as the zip itself: the importer reads
    all of these, and so does the evaluation, with the same figures."""
    expected = _evaluate_at(FIXTURE)
    unpacked = tmp_path / "ESCO dataset - v1.1.1 - classification - en - csv"
    unpacked.mkdir()
    for name in ("occupations_en.csv", "skills_en.csv"):
        (unpacked / name).write_bytes((FIXTURE / name).read_bytes())
    relations = (FIXTURE / "occupationSkillRelations_en.csv").read_bytes()
    (unpacked / "occupationSkillRelations.csv").write_bytes(relations)
    (unpacked / "README.txt").write_text("not a CSV of the trio")
    got = _evaluate_at(tmp_path)
    assert {k: got[k] for k in ("queries", "candidates", "recall@20", "mrr")} == {
        k: expected[k] for k in ("queries", "candidates", "recall@20", "mrr")
    }

    archive = tmp_path / "esco.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in unpacked.iterdir():
            zf.write(file, f"{unpacked.name}/{file.name}")
    assert _evaluate_at(archive)["recall@20"] == expected["recall@20"]


def test_evaluate_reads_the_top_level_pool_when_a_subfolder_holds_another(tmp_path):
    """Observed: the development sample keeps the whole pool in full_pool/skills_en.csv beside
    its ICT pool; searched with subfolders by name, full_pool/ sorted first and the ICT figures
    were computed on 13,939 skills. The shallowest file wins, as an importer's would."""
    for name in ("occupations_en.csv", "skills_en.csv", "occupationSkillRelations_en.csv"):
        (tmp_path / name).write_bytes((FIXTURE / name).read_bytes())
    (tmp_path / "full_pool").mkdir()
    full_pool = tmp_path / "full_pool" / "skills_en.csv"
    full_pool.write_text(
        (FIXTURE / "skills_en.csv").read_text()
        + "".join(f"KnowledgeSkillCompetence,http://x/{n},,,skill {n},,,,,,,,\n" for n in range(50))
    )
    assert _evaluate_at(tmp_path)["candidates"] == 30
    assert _evaluate_at(tmp_path, "--skills", str(full_pool))["candidates"] == 80


def test_evaluate_refuses_a_file_without_a_needed_column_naming_file_and_column(tmp_path):
    for name in ("occupations_en.csv", "occupationSkillRelations_en.csv"):
        (tmp_path / name).write_bytes((FIXTURE / name).read_bytes())
    (tmp_path / "skills_en.csv").write_text("conceptUri,label\nhttp://x/1,parse logs\n")
    with pytest.raises(CommandError, match=r"skills_en\.csv.*preferredLabel"):
        _evaluate_at(tmp_path)


def test_evaluate_refuses_a_file_that_is_not_utf8_naming_it(tmp_path):
    for name in ("occupations_en.csv", "skills_en.csv"):
        (tmp_path / name).write_bytes((FIXTURE / name).read_bytes())
    text = (FIXTURE / "occupationSkillRelations_en.csv").read_text() + "x,essential,skill,caf\xe9\n"
    (tmp_path / "occupationSkillRelations_en.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(CommandError, match=r"occupationSkillRelations_en\.csv.*UTF-8"):
        _evaluate_at(tmp_path)


def _copy_trio(to: Path, **replace: str) -> None:
    """The fixture's trio in `to`, with the files named in `replace` written with that text."""
    for name in ("occupations_en.csv", "skills_en.csv", "occupationSkillRelations_en.csv"):
        key = name.removesuffix(".csv")
        if key in replace:
            (to / name).write_text(replace[key], encoding="utf-8")
        else:
            (to / name).write_bytes((FIXTURE / name).read_bytes())


def test_evaluate_reads_a_header_whose_names_are_padded_with_spaces(tmp_path):
    """Observed: "occupationUri, relationType, skillType, skillUri" (a spreadsheet's export)
    passed the column check, which strips the header's names, then the rows, keyed by the names
    as written, failed with a KeyError traceback."""
    relations = (FIXTURE / "occupationSkillRelations_en.csv").read_text().splitlines()
    padded = ", ".join(relations[0].split(","))
    _copy_trio(tmp_path, occupationSkillRelations_en="\n".join([padded, *relations[1:]]) + "\n")
    assert _evaluate_at(tmp_path)["recall@20"] == _evaluate_at(FIXTURE)["recall@20"]


def test_evaluate_counts_a_skill_listed_twice_once(tmp_path):
    """Observed: a pool naming one skill URI on two rows (two exports concatenated) ended in the
    engine's "candidate ids must be unique" ValueError traceback. The ESCO importer keeps a
    concept's first row and skips the repeat; the evaluation does the same."""
    skills = (FIXTURE / "skills_en.csv").read_text()
    _copy_trio(tmp_path, skills_en=skills + skills.splitlines()[3] + "\n")
    assert _evaluate_at(tmp_path) | {"seconds": 0} == _evaluate_at(FIXTURE) | {"seconds": 0}


def test_evaluate_refuses_a_trio_with_nothing_to_score_instead_of_reporting_zero(tmp_path):
    """Observed: relations that all point at skills outside the pool (a --skills file of another
    pool, or an empty relations file) printed {"queries": 0, ..., "recall@20": 0.0, "mrr": 0.0}:
    figures for a ranking that was never measured, read as the engine finding nothing."""
    outside = "occupationUri,relationType,skillType,skillUri\n" + "".join(
        f"http://example.org/esco-small/occupation/o1,essential,skill,http://x/elsewhere/{n}\n"
        for n in range(3)
    )
    _copy_trio(tmp_path, occupationSkillRelations_en=outside)
    with pytest.raises(CommandError, match="no occupation has a relation to a skill of the pool"):
        _evaluate_at(tmp_path)
    (tmp_path / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
    )
    with pytest.raises(CommandError, match="no occupation has a relation to a skill of the pool"):
        _evaluate_at(tmp_path)


def test_evaluate_takes_the_skills_file_of_a_zip_given_as_the_pool(tmp_path):
    """Observed: --skills naming an ESCO download's zip read the archive's first member as the
    pool, here the occupations file (its conceptUri and preferredLabel pass the skills' column
    check): 5 occupations ranked as the candidate skills. The skills file is found by name, as
    in --esco."""
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("occupations_en.csv", "skills_en.csv", "occupationSkillRelations_en.csv"):
            zf.write(FIXTURE / name, f"esco/{name}")
    got = _evaluate_at(FIXTURE, "--skills", str(archive))
    assert got | {"seconds": 0} == _evaluate_at(FIXTURE) | {"seconds": 0}
    without = tmp_path / "without.zip"
    with zipfile.ZipFile(without, "w") as zf:
        for name in ("occupations_en.csv", "occupationSkillRelations_en.csv"):
            zf.write(FIXTURE / name, name)
    with pytest.raises(CommandError, match=r"No skills file \(skills_<lang>\.csv\) in .*without"):
        _evaluate_at(FIXTURE, "--skills", str(without))


@pytest.mark.django_db
def test_suggest_generates_for_named_courses_and_reports_json():
    framework, abilities = small_framework()
    course = database_course()
    out = StringIO()
    call_command(
        "suggest", "--course", course.code, "--framework", str(framework.pk), "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["courses"] == 1
    assert result["created"] >= 1
    assert Suggestion.objects.filter(course=course, ability=abilities["DB"]).exists()
    with pytest.raises(CommandError, match="NOPE"):
        call_command("suggest", "--course", "NOPE")


@pytest.mark.django_db
def test_suggest_names_a_course_in_any_case():
    """A course code typed in another case (cs101 for CS101) is that course, as everywhere."""
    framework, abilities = small_framework()
    course = database_course(code="CS101")
    out = StringIO()
    call_command(
        "suggest", "--course", "cs101", "--framework", str(framework.pk), "--json", stdout=out
    )
    assert json.loads(out.getvalue())["courses"] == 1
    assert Suggestion.objects.filter(course=course, ability=abilities["DB"]).exists()


@pytest.mark.django_db
def test_a_refresh_reports_progress_over_what_it_regenerates_and_says_when_nothing_needed_it():
    from curricula.models import Course
    from suggestions import services

    framework, _abilities = small_framework()
    changed, unchanged = database_course(), database_course()
    for fw in (framework, None):  # two scopes each: this framework's and all frameworks'
        services.suggestions_generate(course_ids=[changed.pk, unchanged.pk], framework=fw)

    calls = []
    services.suggestions_refresh(
        course_ids=[changed.pk, unchanged.pk], on_progress=lambda *a: calls.append(a)
    )
    assert calls == [(0, 0)], "nothing changed: nothing to do, and the bar says so"

    Course.objects.filter(pk=changed.pk).update(description="Web shops and their marketing.")
    calls.clear()
    result = services.suggestions_refresh(
        course_ids=[changed.pk, unchanged.pk], on_progress=lambda *a: calls.append(a)
    )
    assert result.courses == 2, "the changed course, once per scope"
    assert calls[0] == (0, 2)
    assert calls[-1] == (2, 2)
    assert all(total == 2 for _done, total in calls)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)

    out = StringIO()
    call_command("suggest", "--refresh", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Nothing to refresh")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--programme", "0"], "No programme has the id or name “0”"),
        (
            ["--programme", "99999999999999999999999"],
            "No programme has the id or name “9{23}”",
        ),
        (["--position", "99999999999999999999999"], "Unknown position id"),
        (["--position", "0", "-5"], "Unknown position ids: 0, -5"),
        (["--all-positions", "--framework", "99999999999999999999999"], "No framework"),
        (["--all-courses", "--k", "0"], "--k: "),
        (["--all-courses", "--k", "-3"], "--k: "),
    ],
)
def test_suggest_refuses_what_names_nothing_and_a_k_below_one_and_writes_nothing(args, message):
    """`--programme 0` generated for every position with a description (0 is falsy), a 23-digit
    id was an OverflowError traceback, and `--k 0` deleted every pending suggestion in scope."""
    framework, _abilities = small_framework()
    course = database_course()
    PositionFactory(name="Web developer", description="Develops web applications.")
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    stored = list(Suggestion.objects.order_by("pk").values_list("pk", "course_id", "position_id"))
    scopes = SuggestionScope.objects.count()
    assert stored
    with pytest.raises(CommandError, match=message):
        call_command("suggest", *args, stdout=StringIO(), stderr=StringIO())
    after = list(Suggestion.objects.order_by("pk").values_list("pk", "course_id", "position_id"))
    assert after == stored
    assert SuggestionScope.objects.count() == scopes


def test_evaluate_takes_a_folder_given_as_the_pool(tmp_path):
    """Observed: --skills naming a folder (an unpacked download) said "<folder> is missing" of a
    folder that was there. A folder is read as --esco reads one: its skills file by name."""
    folder = tmp_path / "unpacked"
    folder.mkdir()
    for name in ("occupations_en.csv", "skills_en.csv"):
        (folder / name).write_bytes((FIXTURE / name).read_bytes())

    got = _evaluate_at(FIXTURE, "--skills", str(folder))

    assert got | {"seconds": 0} == _evaluate_at(FIXTURE) | {"seconds": 0}
    with pytest.raises(CommandError, match=r"nowhere does not exist"):
        _evaluate_at(FIXTURE, "--skills", str(tmp_path / "nowhere"))


@pytest.mark.django_db
def test_a_refresh_by_command_redoes_runs_whose_framework_changed_since():
    """Observed: a framework changed while its background refresh could not be queued (the
    broker down during an import; the log says to run `manage.py suggest --refresh`), and the
    command answered "Nothing to refresh: every course's and position's suggestions were made
    from its current text and frameworks": it compared the texts only."""
    from unittest import mock

    from positions.tests.factories import AbilityFactory

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with mock.patch(
        "suggestions.tasks.refresh_suggestions.apply_async", side_effect=OSError("no broker")
    ):
        sql = AbilityFactory(
            framework=framework,
            code="SQL",
            short_name="write SQL queries on a relational database schema",
            text="write SQL queries on a relational database schema",
        )
    assert not Suggestion.objects.filter(course=course, ability=sql).exists()

    out = StringIO()
    call_command("suggest", "--refresh", stdout=out, stderr=StringIO())
    assert not out.getvalue().startswith("Nothing to refresh"), out.getvalue()
    assert Suggestion.objects.filter(course=course, ability=sql).exists()
    out = StringIO()
    call_command("suggest", "--refresh", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Nothing to refresh")


@pytest.mark.django_db
def test_suggest_counts_its_suggestions_courses_and_positions_in_the_singular_and_plural():
    """Observed: "1 suggestions for 0 courses"; every count now takes its noun's number."""
    framework, _abilities = small_framework()
    course = database_course()
    out = StringIO()
    call_command(
        "suggest",
        "--course",
        course.code,
        "--framework",
        str(framework.pk),
        "--k",
        "1",
        stdout=out,
        stderr=StringIO(),
        verbosity=0,
    )
    assert out.getvalue().startswith(
        "1 suggestion for 1 course and 0 positions (1 new, 0 updated, 0 dropped) in "
    ), out.getvalue()
    other = database_course(code="DB2")
    out = StringIO()
    call_command(
        "suggest",
        "--course",
        course.code,
        other.code,
        "--framework",
        str(framework.pk),
        "--k",
        "2",
        stdout=out,
        stderr=StringIO(),
        verbosity=0,
    )
    assert out.getvalue().startswith(
        "4 suggestions for 2 courses and 0 positions (3 new, 1 updated, 0 dropped) in "
    ), out.getvalue()


@pytest.mark.django_db
def test_suggest_names_one_unknown_course_code_or_several():
    with pytest.raises(CommandError, match=r"^Unknown course code: NOPE$"):
        call_command("suggest", "--course", "NOPE")
    with pytest.raises(CommandError, match=r"^Unknown course codes: NOPE, NADA$"):
        call_command("suggest", "--course", "NOPE", "NADA")
    with pytest.raises(CommandError, match=r"^Unknown position id: 999999$"):
        call_command("suggest", "--position", "999999")


@pytest.mark.django_db
def test_suggests_progress_bar_redraws_in_place():
    """Observed: each redraw of `suggest`'s bar was a line of its own (the command's stderr
    wrapper ends every write with a line break, and colours it red on a terminal): 0/32 twice,
    32/32 twice, blank lines between. A redraw starts with a carriage return, and the bar ends
    with one line break."""
    small_framework()
    database_course(code="CS101")
    err = StringIO()
    call_command("suggest", "--all-courses", stdout=StringIO(), stderr=err)
    bar = err.getvalue()
    assert "1/1" in bar
    assert bar.count("\n") == 1, repr(bar)


def test_evaluate_leaves_out_skills_without_a_label_as_the_esco_importer_does():
    """ESCO v1.0's en-us download gives 13 skills without a preferredLabel (not translated
    yet). Observed: each was ranked as an empty candidate and the relations to them were scored,
    though the importer skips such a skill and the relations naming it. Here (real rows) two of
    six skills have no label, and one of the veterinarian's four relations names one of them."""
    fixture = (
        Path(__file__).parents[2] / "positions" / "tests" / "fixtures" / "esco_v10_enus_unlabelled"
    )
    result = _evaluate_at(fixture, "--baseline", "tfidf")
    assert result["queries"] == 1
    assert result["candidates"] == 4
