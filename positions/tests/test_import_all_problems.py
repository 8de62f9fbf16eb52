"""A CASE package, an ESCO download or the O*NET files are refused with every independent problem
at once, each where it is (a file's line, a package's item or association), as a Moodle file is
(test_import_moodle_all_problems). Observed: each stopped at its first problem, so an integrator
mending a 2,000-row ESCO or CASE file re-ran the import once a problem. Still all or nothing:
nothing is written when anything is wrong; a file that cannot be read at all (not JSON, a
missing column) still stops at once."""

import io
import json
import zipfile
from html import unescape
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions.importers import framework_import
from positions.importers.base import PROBLEM_LIST_LIMIT
from positions.models import Ability, Framework, ImportJob, ImportStatus, Position

pytestmark = pytest.mark.django_db

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"

# ESCO: lines count the header as line 1.
ESCO_FILES = {
    "occupations_en.csv": [
        "conceptType,conceptUri,iscoGroup,preferredLabel",
        f"Occupation,{OCC}o1,2511,Analyst",
        # line 3: no label, as ESCO gives a concept not yet translated into the download's
        # language: skipped with a warning, no problem (test_import_esco_unlabelled)
        f"Occupation,{OCC}o2,2512,",
    ],
    "skills_en.csv": [
        "conceptType,conceptUri,skillType,preferredLabel",
        f"KnowledgeSkillCompetence,{SKILL}s1,skill/competence,Write code",
        f"KnowledgeSkillCompetence,{SKILL}s2,skill/competence,",  # line 3: no label, skipped
        "KnowledgeSkillCompetence,,skill/competence,Test code",  # line 4: no URI
    ],
    "occupationSkillRelations_en.csv": [
        "occupationUri,relationType,skillType,skillUri",
        f"{OCC}o1,essential,skill/competence,{SKILL}s1",
        f"{OCC}o1,essential,skill/competence,{SKILL}nowhere",  # line 3: unknown skill
        f"{OCC}o1,sometimes,skill/competence,{SKILL}s1",  # line 4: unknown type
        f"{OCC}o9,optional,skill/competence,{SKILL}s1",  # line 5: unknown occupation
        # line 6: the concepts without a label are in their files: skipped, no problem
        f"{OCC}o2,optional,skill/competence,{SKILL}s2",
    ],
}
ESCO_EXPECTED = [
    ("skills_en.csv line 4", "conceptUri and preferredLabel are required"),
    ("occupationSkillRelations_en.csv line 3", f"skill {SKILL}nowhere is not in the skills"),
    ("occupationSkillRelations_en.csv line 4", "relation type 'sometimes' is neither"),
    ("occupationSkillRelations_en.csv line 5", f"occupation {OCC}o9 is not in the occupations"),
]

SOC = "O*NET-SOC Code"
ONET_FILES = {
    "Occupation Data.txt": [
        f"{SOC}\tTitle\tDescription",
        "11-1011.00\tChief Executives\tLead",
        "11-1021.00\t\tManage",  # line 3: no title
    ],
    "Skills.txt": [
        f"{SOC}\tElement ID\tElement Name\tScale ID\tData Value\tNot Relevant",
        "11-1011.00\t2.A.1.a\tReading\tIM\t4.0\t",
        "11-1011.00\t2.A.1.b\tListening\tIM\tlots\t",  # line 3: not a number
        "99-9999.00\t2.A.1.a\tReading\tLV\t3.0\tN",  # line 4: unknown occupation
        "11-1011.00\t2.A.1.a\tReading\tLV\t9.0\tN",  # line 5: out of range
        "11-1011.00\t\tSpeaking\tIM\t3.0\t",  # line 6: no element ID
        # line 7: the occupation without a title is in its file: no second problem
        "11-1021.00\t2.A.1.a\tReading\tIM\t3.0\t",
    ],
}
ONET_EXPECTED = [
    ("Occupation Data.txt line 3", "a code and a title are required"),
    ("Skills.txt line 3", "Data Value 'lots' is not a number"),
    ("Skills.txt line 4", "occupation 99-9999.00 is not in Occupation Data.txt"),
    ("Skills.txt line 5", "Data Value 9.0 is outside 0-7"),
    ("Skills.txt line 6", "Element ID and Element Name are required"),
]

DOC = "d0000000-0000-4000-8000-000000000001"


def _item(n: int, **values) -> dict:
    return {"identifier": f"i0000000-0000-4000-8000-00000000000{n}", **values}


def _node(identifier: str) -> dict:
    return {"identifier": identifier, "uri": f"https://example.org/{identifier}", "title": "x"}


CASE_PACKAGE = {
    "CFDocument": {"identifier": DOC, "title": "Doc", "uri": "https://example.org/doc"},
    "CFItems": [
        _item(1, fullStatement="First"),
        _item(2),  # CFItems[1]: no fullStatement
        _item(3, fullStatement="  "),  # CFItems[2]: a blank one
        {"fullStatement": "Anonymous"},  # CFItems[3]: no identifier
    ],
    "CFAssociations": [
        {
            # CFAssociations[0]: a parent neither in the package nor its document
            "identifier": "a0000000-0000-4000-8000-000000000001",
            "associationType": "isChildOf",
            "originNodeURI": _node(_item(1)["identifier"]),
            "destinationNodeURI": _node("nowhere"),
        },
        {
            # CFAssociations[1]: no type
            "identifier": "a0000000-0000-4000-8000-000000000002",
            "originNodeURI": _node(_item(1)["identifier"]),
            "destinationNodeURI": _node(DOC),
        },
        {
            # CFAssociations[2]: an end naming nothing
            "identifier": "a0000000-0000-4000-8000-000000000003",
            "associationType": "isRelatedTo",
            "originNodeURI": _node(_item(1)["identifier"]),
            "destinationNodeURI": {"title": "nothing"},
        },
    ],
}
CASE_EXPECTED = [
    ("CFItems[1]", "a CFItem needs a fullStatement"),
    ("CFItems[2]", "a CFItem needs a fullStatement"),
    ("CFItems[3]", "a CFItem needs an identifier"),
    ("CFAssociations[0]", "isChildOf points at nowhere, which is neither in the package"),
    ("CFAssociations[1]", "a CFAssociation needs an associationType"),
    ("CFAssociations[2]", "the destination node has neither identifier nor URI"),
]


def _zip(files: dict[str, list[str]], sep: str = "\n") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, lines in files.items():
            archive.writestr(name, sep.join(lines) + sep)
    return buffer.getvalue()


# format -> (upload name, content, expected problems)
CASES = {
    "esco": ("esco.zip", lambda: _zip(ESCO_FILES), ESCO_EXPECTED),
    "onet": ("onet.zip", lambda: _zip(ONET_FILES), ONET_EXPECTED),
    "case": ("case.json", lambda: json.dumps(CASE_PACKAGE).encode(), CASE_EXPECTED),
}


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _source(tmp_path, format: str):
    name, content, expected = CASES[format]
    path = tmp_path / name
    path.write_bytes(content())
    return path, expected


def _assert_every_problem(error: dict, expected: list[tuple[str, str]]) -> None:
    problems = error.get("problems") or []
    assert [p["where"] for p in problems] == [where for where, _text in expected], error
    for problem, (_where, text) in zip(problems, expected, strict=True):
        assert text in problem["message"], (problem, text)
    assert error["problems_total"] == len(expected)
    assert f"{len(expected)} problems" in error["message"]


def _nothing_written() -> None:
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()
    assert not Position.objects.exists()


@pytest.mark.parametrize("format", sorted(CASES))
def test_every_independent_problem_is_reported_together_and_nothing_is_written(tmp_path, format):
    path, expected = _source(tmp_path, format)
    report = framework_import(path=path, format=format)

    assert not report.ok
    _assert_every_problem(report.error, expected)
    _nothing_written()


@pytest.mark.parametrize("format", sorted(CASES))
def test_the_command_prints_every_problem_where_it_is(tmp_path, format):
    path, expected = _source(tmp_path, format)
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_framework", str(path), format=format, stdout=StringIO(), stderr=StringIO()
        )
    message = str(raised.value)
    assert f"{len(expected)} problems" in message
    assert "Nothing was written" in message
    lines = [line.strip() for line in message.splitlines()]
    for where, text in expected:
        assert any(line.startswith(f"{where}: ") and text in line for line in lines), (
            where,
            message,
        )
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    _nothing_written()


@pytest.mark.parametrize("format", sorted(CASES))
def test_the_api_job_s_report_lists_every_problem(
    staff_client, django_capture_on_commit_callbacks, format
):
    name, content, expected = CASES[format]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile(name, content()), "format": format},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    detail = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()

    assert detail["status"] == ImportStatus.FAILED
    _assert_every_problem(detail["report"]["error"], expected)
    _nothing_written()


@pytest.mark.parametrize("format", sorted(CASES))
@pytest.mark.django_db(transaction=True)
def test_the_admin_says_every_problem_of_a_job_run_inline(client, admin_user, format):
    client.force_login(admin_user)
    name, content, expected = CASES[format]
    response = client.post(
        reverse("admin:positions_importjob_add"),
        {"format": format, "upload": SimpleUploadedFile(name, content()), "min_level": ""},
        follow=True,
    )
    [message] = [unescape(str(m)) for m in response.context["messages"] if name in str(m)]
    assert "has run and failed" in message
    for where, text in expected:
        assert f"{where}: " in message, (where, message)
        assert text in message, (text, message)
    _nothing_written()


# What still stops at once: a file the rest cannot be checked against.


def test_an_esco_file_missing_a_column_still_stops_at_once(tmp_path):
    skills = ["conceptType,conceptUri,skillType", *ESCO_FILES["skills_en.csv"][1:]]
    files = {**ESCO_FILES, "skills_en.csv": skills}
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    assert report.error["where"] == "skills_en.csv line 1"
    assert "missing columns: preferredLabel" in report.error["message"]
    assert "problems" not in report.error


def test_a_case_file_that_is_not_json_still_stops_at_once(tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{"CFDocument": ', encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert "malformed JSON" in report.error["message"]
    assert "problems" not in report.error


def test_a_single_problem_is_reported_as_before(tmp_path):
    files = {
        **ONET_FILES,
        "Skills.txt": [ONET_FILES["Skills.txt"][0], ONET_FILES["Skills.txt"][3]],
        "Occupation Data.txt": ONET_FILES["Occupation Data.txt"][:2],
    }
    path = tmp_path / "onet.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="onet")

    assert report.error["where"] == "Skills.txt line 2"
    assert "occupation 99-9999.00 is not in Occupation Data.txt" in report.error["message"]
    assert "problems" not in report.error


# Problems found as the records are made (text no database stores: a NUL), also together.

NUL = "\x00"


def test_a_case_package_s_items_refused_as_written_are_refused_together(tmp_path):
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [
            _item(1, fullStatement=f"First{NUL}"),
            _item(2, fullStatement="Second"),
            _item(3, fullStatement=f"Third{NUL}"),
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [p["where"] for p in report.error["problems"]] == ["CFItems[0]", "CFItems[2]"]
    assert all("NUL" in p["message"] for p in report.error["problems"])
    _nothing_written()


def test_esco_rows_refused_as_written_are_refused_together(tmp_path):
    files = {
        "occupations_en.csv": [
            *ESCO_FILES["occupations_en.csv"][:2],
            f"Occupation,{OCC}o2,2512,Tester{NUL}",
        ],
        "skills_en.csv": [*ESCO_FILES["skills_en.csv"][:2], f"K,{SKILL}s2,skill,Debug{NUL}"],
        "occupationSkillRelations_en.csv": ESCO_FILES["occupationSkillRelations_en.csv"][:2],
    }
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    assert [p["where"] for p in report.error["problems"]] == [
        "occupations_en.csv line 3",
        "skills_en.csv line 3",
    ], report.error
    _nothing_written()


def test_onet_rows_refused_as_written_are_refused_together(tmp_path):
    files = {
        "Occupation Data.txt": [
            *ONET_FILES["Occupation Data.txt"][:2],
            f"11-1021.00\tManagers\tManage{NUL}",
        ],
        "Skills.txt": [
            *ONET_FILES["Skills.txt"][:2],
            f"11-1011.00\t2.A.1.b\tListening{NUL}\tIM\t3.0\t",
        ],
    }
    path = tmp_path / "onet.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="onet")

    assert [p["where"] for p in report.error["problems"]] == [
        "Occupation Data.txt line 3",
        "Skills.txt line 3",
    ], report.error
    _nothing_written()


def test_the_list_is_capped_in_file_order_and_says_how_many_more(tmp_path):
    n = 2 * PROBLEM_LIST_LIMIT + 25
    relations = [
        "occupationUri,relationType,skillType,skillUri",
        *(f"{OCC}o1,essential,skill/competence,{SKILL}gone{i}" for i in range(n)),
    ]
    files = {
        **ESCO_FILES,
        "occupations_en.csv": ESCO_FILES["occupations_en.csv"][:2],
        "occupationSkillRelations_en.csv": relations,
    }
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    problems = report.error["problems"]
    assert report.error["problems_total"] == n + 1
    assert len(problems) == PROBLEM_LIST_LIMIT
    # The skills file's problems first (it is read before the relations), then line by line.
    assert [p["where"] for p in problems[:3]] == [
        "skills_en.csv line 4",
        "occupationSkillRelations_en.csv line 2",
        "occupationSkillRelations_en.csv line 3",
    ]
    assert f"{n + 1 - PROBLEM_LIST_LIMIT} more" in report.summary()


def test_each_package_of_an_array_says_its_problems(tmp_path):
    second = {
        "CFDocument": {"identifier": "d0000000-0000-4000-8000-000000000002", "title": "Two"},
        "CFItems": [_item(4)],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps([CASE_PACKAGE, {"CFDocument": {}}, second]), encoding="utf-8")
    report = framework_import(path=path, format="case")

    wheres = [p["where"] for p in report.error["problems"]]
    assert wheres == [
        *(f"package 1: {where}" for where, _text in CASE_EXPECTED),
        "package 2: CFDocument",
        "package 3: CFItems[0]",
    ], wheres
    _nothing_written()


def test_a_cycle_of_case_parents_comes_with_the_other_problems(tmp_path):
    one, two = _item(1)["identifier"], _item(2)["identifier"]
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [_item(1, fullStatement="One"), _item(2, fullStatement="Two"), _item(3)],
        "CFAssociations": [
            {
                "associationType": "isChildOf",
                "originNodeURI": _node(one),
                "destinationNodeURI": _node(two),
            },
            {
                "associationType": "isChildOf",
                "originNodeURI": _node(two),
                "destinationNodeURI": _node(one),
            },
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"][:40]) for p in report.error["problems"]] == [
        ("CFItems[2]", "a CFItem needs a fullStatement"),
        ("CFAssociations", "isChildOf associations form a cycle thro"),
    ]
    _nothing_written()


# Problems found as the records are made come with those found reading the files, not in a
# second round once those are mended (as a Moodle file's do).


def test_esco_rows_refused_as_written_come_with_the_rows_refused_as_read(tmp_path):
    files = {
        "occupations_en.csv": [
            *ESCO_FILES["occupations_en.csv"][:2],
            f"Occupation,{OCC}o2,2512,Tester{NUL}",  # line 3: refused as written
        ],
        "skills_en.csv": [*ESCO_FILES["skills_en.csv"][:2], f"K,{SKILL}s2,skill,Debug{NUL}"],
        "occupationSkillRelations_en.csv": [
            *ESCO_FILES["occupationSkillRelations_en.csv"][:2],
            f"{OCC}o1,essential,skill/competence,{SKILL}nowhere",  # line 3: refused as read
        ],
    }
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    assert [(p["where"], p["message"][:20]) for p in report.error["problems"]] == [
        ("occupations_en.csv line 3", "name contains a NUL "),
        ("skills_en.csv line 3", "text contains a NUL "),
        ("occupationSkillRelations_en.csv line 3", f"skill {SKILL}nowhe"[:20]),
    ], report.error
    _nothing_written()


def test_onet_rows_refused_as_written_come_with_the_rows_refused_as_read(tmp_path):
    files = {
        "Occupation Data.txt": [
            *ONET_FILES["Occupation Data.txt"][:2],
            f"11-1021.00\tManagers\tManage{NUL}",  # line 3: refused as written
        ],
        "Skills.txt": [
            *ONET_FILES["Skills.txt"][:2],
            f"11-1011.00\t2.A.1.b\tListening{NUL}\tIM\t3.0\t",  # line 3: refused as written
            "99-9999.00\t2.A.1.a\tReading\tLV\t3.0\tN",  # line 4: refused as read
        ],
    }
    path = tmp_path / "onet.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="onet")

    assert [p["where"] for p in report.error["problems"]] == [
        "Occupation Data.txt line 3",
        "Skills.txt line 3",
        "Skills.txt line 4",
    ], report.error
    assert "NUL" in report.error["problems"][1]["message"]
    _nothing_written()


def test_onet_without_element_files_says_so_with_the_occupations_problems(tmp_path):
    path = tmp_path / "onet.zip"
    path.write_bytes(_zip({"Occupation Data.txt": ONET_FILES["Occupation Data.txt"]}))
    report = framework_import(path=path, format="onet")

    assert [(p["where"], p["message"]) for p in report.error["problems"]] == [
        ("Occupation Data.txt line 3", "a code and a title are required"),
        ("", "none of Skills.txt, Knowledge.txt, Abilities.txt in the source"),
    ], report.error
    _nothing_written()


def test_an_esco_broader_file_missing_a_column_is_found_with_the_other_problems(tmp_path):
    broader = "broaderRelationsSkillPillar_en.csv"
    files = {
        **ESCO_FILES,
        "occupations_en.csv": ESCO_FILES["occupations_en.csv"][:2],
        "skills_en.csv": ESCO_FILES["skills_en.csv"][:2],
        "occupationSkillRelations_en.csv": ESCO_FILES["occupationSkillRelations_en.csv"][:3],
        broader: ["conceptType,conceptUri,broaderType", f"KnowledgeSkillCompetence,{SKILL}s1,x"],
    }
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    assert [(p["where"], p["message"]) for p in report.error["problems"]] == [
        (
            "occupationSkillRelations_en.csv line 3",
            f"skill {SKILL}nowhere is not in the skills file (unknown reference)",
        ),
        (f"{broader} line 1", "missing columns: broaderUri"),
    ], report.error
    _nothing_written()


def test_an_esco_broader_file_s_rows_are_read_with_the_other_files(tmp_path):
    broader = "broaderRelationsSkillPillar_en.csv"
    files = {
        **ESCO_FILES,
        "occupations_en.csv": ESCO_FILES["occupations_en.csv"][:2],
        "skills_en.csv": ESCO_FILES["skills_en.csv"][:2],
        "occupationSkillRelations_en.csv": ESCO_FILES["occupationSkillRelations_en.csv"][:3],
        broader: ["conceptUri,broaderUri", f"{SKILL}s1,{SKILL}s0,{SKILL}s9"],
    }
    path = tmp_path / "esco.zip"
    path.write_bytes(_zip(files))
    report = framework_import(path=path, format="esco")

    assert [(p["where"], p["message"][:20]) for p in report.error["problems"]] == [
        ("occupationSkillRelations_en.csv line 3", f"skill {SKILL}nowhere"[:20]),
        (f"{broader} line 2", "more fields than the header has"[:20]),
    ], report.error
    _nothing_written()


def test_a_case_package_s_items_refused_as_written_come_with_those_refused_as_read(tmp_path):
    package = {
        "CFDocument": {**CASE_PACKAGE["CFDocument"], "title": f"Doc{NUL}"},
        "CFItems": [
            _item(1, fullStatement="First"),
            _item(2),  # CFItems[1]: refused as read
            _item(3, fullStatement=f"Third{NUL}"),  # CFItems[2]: refused as written
            _item(4, fullStatement="Fourth", abbreviatedStatement=f"4{NUL}"),
        ],
        "CFAssociations": [
            *CASE_PACKAGE["CFAssociations"][1:2],  # CFAssociations[0]: refused as read
            {
                "associationType": "isChildOf",
                "originNodeURI": _node(_item(3)["identifier"]),
                "destinationNodeURI": _node(_item(1)["identifier"]),
                "sequenceNumber": 2,
            },
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"][:28]) for p in report.error["problems"]] == [
        ("CFDocument", "name contains a NUL characte"),
        ("CFItems[1]", "a CFItem needs a fullStateme"),
        ("CFItems[2]", "text contains a NUL characte"),
        ("CFItems[3]", "short_name contains a NUL ch"),
        ("CFAssociations[0]", "a CFAssociation needs an ass"),
    ], report.error
    _nothing_written()


def test_a_case_package_with_a_cycle_still_checks_its_items_as_written(tmp_path, settings):
    one, two = _item(1)["identifier"], _item(2)["identifier"]
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [_item(1, fullStatement=f"One{NUL}"), _item(2, fullStatement="Two")],
        "CFAssociations": [
            {
                "associationType": "isChildOf",
                "originNodeURI": _node(one),
                "destinationNodeURI": _node(two),
            },
            {
                "associationType": "isChildOf",
                "originNodeURI": _node(two),
                "destinationNodeURI": _node(one),
            },
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case", options={"top_level_areas": True})

    assert [(p["where"], p["message"][:28]) for p in report.error["problems"]] == [
        ("CFItems[0]", "text contains a NUL characte"),
        ("CFAssociations", "isChildOf associations form "),
    ], report.error
    _nothing_written()


def test_a_case_package_s_associations_refused_as_written_come_with_the_other_problems(
    tmp_path,
):
    """Observed: an association refused as its relation was made (a NUL in its notes) stopped
    the import alone, after the items' problems had been said, and one at a time."""
    one, two = _item(1)["identifier"], _item(2)["identifier"]
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [
            _item(1, fullStatement=f"First{NUL}"),
            _item(2, fullStatement="Second"),
        ],
        "CFAssociations": [
            {
                "identifier": f"a0000000-0000-4000-8000-00000000000{n}",
                "associationType": "isRelatedTo",
                "originNodeURI": _node(one),
                "destinationNodeURI": _node(two),
                "notes": f"note {n}{NUL}",
            }
            for n in (1, 2)
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"][:24]) for p in report.error["problems"]] == [
        ("CFItems[0]", "text contains a NUL char"),
        ("CFAssociations[0]", "notes contains a NUL cha"),
        ("CFAssociations[1]", "notes contains a NUL cha"),
    ], report.error
    _nothing_written()


def test_a_case_package_s_associations_refused_as_written_come_with_those_refused_as_read(
    tmp_path,
):
    one, two = _item(1)["identifier"], _item(2)["identifier"]
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [_item(1, fullStatement="First"), _item(2)],  # CFItems[1]: no statement
        "CFAssociations": [
            {
                "identifier": "a0000000-0000-4000-8000-000000000001",
                "associationType": "isRelatedTo",
                "originNodeURI": _node(one),
                "destinationNodeURI": {**_node("elsewhere"), "title": f"Else{NUL}where"},
            },
            {
                # between two items of the package: its ends keep no title, nothing refused
                "identifier": "a0000000-0000-4000-8000-000000000002",
                "associationType": "isRelatedTo",
                "originNodeURI": _node(one),
                "destinationNodeURI": {**_node(two), "title": f"x{NUL}"},
            },
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"][:28]) for p in report.error["problems"]] == [
        ("CFItems[1]", "a CFItem needs a fullStateme"),
        ("CFAssociations[0]", "target_label contains a NUL "),
    ], report.error
    _nothing_written()


def test_a_case_association_end_naming_its_node_by_no_text_is_refused_with_the_others(
    tmp_path,
):
    """Observed: an end whose identifier was a number and whose URI a list was imported as an
    outside node with the external identifier "5" and the URI "[1]"."""
    package = {
        "CFDocument": CASE_PACKAGE["CFDocument"],
        "CFItems": [_item(1, fullStatement="First"), _item(2)],  # CFItems[1]: no statement
        "CFAssociations": [
            {
                "identifier": "a0000000-0000-4000-8000-000000000001",
                "associationType": "isRelatedTo",
                "originNodeURI": _node(_item(1)["identifier"]),
                "destinationNodeURI": {"identifier": 5, "uri": [1], "title": "x"},
            },
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")

    assert [(p["where"], p["message"]) for p in report.error["problems"]] == [
        ("CFItems[1]", "a CFItem needs a fullStatement"),
        ("CFAssociations[0]", "the destination node's identifier and URI must be text"),
    ], report.error
    _nothing_written()
