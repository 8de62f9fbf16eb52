"""A refused framework file's problems quote what a row wrote by its start (shown), as the
course imports do, not whole. Observed: an ESCO relations file of 150 rows, each naming an
occupation, a skill and a relation type of 130,000 characters, was refused with a report of 13 MB
(three problems a row, the first hundred kept, each quoting its value whole), stored with the job
and written twice on its admin page; now that a refusal keeps a hundred problems rather than the
first alone, each quoted value counted a hundredfold."""

import io
import json
import zipfile

import pytest

from core.spreadsheets import SHOWN_CHARS
from positions.importers import framework_import
from positions.tests.test_import_moodle_all_problems import FRAMEWORK, HEADER, _row

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
# A message is its text and the value's start: well under the value's length.
MESSAGE_MOST = SHOWN_CHARS + 200


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _zip(files: dict[str, list[str]], sep: str = "\n") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, lines in files.items():
            archive.writestr(name, sep.join(lines) + sep)
    return buffer.getvalue()


def _esco() -> tuple[str, bytes]:
    files = {
        "occupations_en.csv": [
            "conceptType,conceptUri,iscoGroup,preferredLabel",
            f"Occupation,{OCC}o1,2511,Analyst",
        ],
        "skills_en.csv": [
            "conceptType,conceptUri,skillType,preferredLabel",
            f"KnowledgeSkillCompetence,{SKILL}s1,skill/competence,Write code",
        ],
        "occupationSkillRelations_en.csv": [
            "occupationUri,relationType,skillType,skillUri",
            f"{OCC}{LONG}1,{LONG},skill/competence,{SKILL}{LONG}2",
            f"{OCC}{LONG}3,{LONG},skill/competence,{SKILL}{LONG}4",
        ],
    }
    return "esco.zip", _zip(files)


def _onet() -> tuple[str, bytes]:
    soc = "O*NET-SOC Code"
    files = {
        "Occupation Data.txt": [f"{soc}\tTitle\tDescription", "11-1011.00\tChief Executives\tLead"],
        "Skills.txt": [
            f"{soc}\tElement ID\tElement Name\tScale ID\tData Value\tNot Relevant",
            f"{LONG}1\t2.A.1.a\tReading\tIM\t4.0\t",
            f"{LONG}2\t2.A.1.a\tReading\tIM\t4.0\t",
        ],
    }
    return "onet.zip", _zip(files)


def _moodle() -> tuple[str, bytes]:
    lines = [
        HEADER,
        FRAMEWORK,
        _row("", "A"),
        _row(f"{LONG}1", "B"),  # an unknown parent
        _row("", "C", related=f"{LONG}2"),  # an unknown cross reference
        _row("", "A"),  # a second A
    ]
    return "moodle.csv", ("\n".join(lines) + "\n").encode()


def _case() -> tuple[str, bytes]:
    doc = "d0000000-0000-4000-8000-000000000001"
    items = [
        {"identifier": f"i0000000-0000-4000-8000-00000000000{n}", "fullStatement": f"Item {n}"}
        for n in (1, 2)
    ]
    assocs = [
        {
            "identifier": f"a0000000-0000-4000-8000-00000000000{n}",
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": item["identifier"], "uri": "", "title": "x"},
            "destinationNodeURI": {"identifier": f"{LONG}{n}", "uri": "", "title": "x"},
        }
        for n, item in enumerate(items, start=1)
    ]
    package = {
        "CFDocument": {"identifier": doc, "title": "Doc", "uri": "https://example.org/doc"},
        "CFItems": items,
        "CFAssociations": assocs,
    }
    return "case.json", json.dumps(package).encode()


SOURCES = {"esco": _esco, "onet": _onet, "moodle": _moodle, "case": _case}


@pytest.mark.parametrize("format", sorted(SOURCES))
def test_a_refused_file_s_problems_quote_a_long_value_by_its_start(tmp_path, format):
    name, content = SOURCES[format]()
    path = tmp_path / name
    path.write_bytes(content)
    report = framework_import(path=path, format=format)

    assert not report.ok
    problems = report.error["problems"]
    assert len(problems) >= 2, report.error
    for problem in problems:
        assert len(problem["message"]) < MESSAGE_MOST, problem["message"][:300]
    # Still said where they are, and what they quote, by its start.
    assert any("xxxx…" in problem["message"] for problem in problems), problems
