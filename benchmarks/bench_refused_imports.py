"""A wholly wrong file against a good one of the same size: an import refusing a file collects
every problem (the first hundred kept, all counted) and checks the refused rows as it would write
them, so a file with a problem on every row must cost no more time or memory than one it imports.

    DATABASE_URL=postgres://root@127.0.0.1:5432/refused_bench \\
        .venv/bin/python benchmarks/bench_refused_imports.py [--rows 100000] [--formats esco,...]

Each import runs in a child process (its own peak resident memory, from wait4) as the command
runs it: ESCO (half the rows occupations, half skills, as many relations; bad: a NUL in every
label, an unknown relation type on every relation), Moodle (bad: an unknown parent, an unknown
cross reference and a NUL in every row), CASE (one isChildOf chain as deep as the file; bad: a
NUL in every statement) and the CSV course catalogue, checked only (--dry-run; bad: credits
written with their unit on every row). The good files are imported (written), the bad refused.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
MOODLE_HEADER = (
    '"Parent ID number","ID number","Short name",Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross-referenced competency ID numbers",'
    '"Exported ID (optional)","Is framework",Taxonomy'
)


def esco(folder: Path, rows: int, bad: bool, tag: str) -> tuple[Path, list[str]]:
    path = folder / "esco"
    path.mkdir()
    half, nul = max(rows // 2, 1), "\x00" if bad else ""
    with (path / "occupations_en.csv").open("w") as out:
        out.write("conceptType,conceptUri,iscoGroup,preferredLabel\n")
        out.writelines(f"Occupation,{OCC}{tag}o{i},2511,Analyst{nul} {i}\n" for i in range(half))
    with (path / "skills_en.csv").open("w") as out:
        out.write("conceptType,conceptUri,skillType,preferredLabel\n")
        out.writelines(
            f"KnowledgeSkillCompetence,{SKILL}{tag}s{i},skill/competence,Do{nul} {i}\n"
            for i in range(half)
        )
    kind = "sometimes" if bad else "essential"
    with (path / "occupationSkillRelations_en.csv").open("w") as out:
        out.write("occupationUri,relationType,skillType,skillUri\n")
        out.writelines(
            f"{OCC}{tag}o{i % half},{kind},skill/competence,{SKILL}{tag}s{(i * 7) % half}\n"
            for i in range(rows)
        )
    return path, ["import_framework", "--format", "esco"]


def moodle(folder: Path, rows: int, bad: bool, tag: str) -> tuple[Path, list[str]]:
    path = folder / "moodle.csv"
    with path.open("w") as out:
        out.write(MOODLE_HEADER + "\n")
        out.write(
            f',fw-{tag},"Framework",,1,"No,Yes",'
            '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":1}]",,,,,,1,\n'
        )
        for i in range(rows):
            if bad:
                parent, name, related = f"P{i}", f"N\x00{i}", f"R{i}"
            else:
                parent, name, related = (f"c{i - 1}" if i % 100 else ""), f"N{i}", ""
            out.write(f'{parent},c{i},"{name}",,1,,,,0,null,"{related}",,,\n')
    return path, ["import_framework", "--format", "moodle"]


def case(folder: Path, rows: int, bad: bool, tag: str) -> tuple[Path, list[str]]:
    def ident(name: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}{name}"))

    doc = {"identifier": ident("doc"), "uri": "https://example.org/doc", "title": f"Deep {tag}"}
    nul = "\x00" if bad else ""
    items = [
        {"identifier": ident(f"i{i}"), "fullStatement": f"Statement{nul} {i}"} for i in range(rows)
    ]
    assocs = [
        {
            "identifier": ident(f"a{i}"),
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": ident(f"i{i}"), "uri": "", "title": "x"},
            "destinationNodeURI": {
                "identifier": doc["identifier"] if i == 0 else ident(f"i{i - 1}"),
                "uri": "",
                "title": "x",
            },
        }
        for i in range(rows)
    ]
    path = folder / "case.json"
    path.write_text(json.dumps({"CFDocument": doc, "CFItems": items, "CFAssociations": assocs}))
    return path, ["import_framework", "--format", "case"]


def courses(folder: Path, rows: int, bad: bool, tag: str) -> tuple[Path, list[str]]:
    path = folder / "courses.csv"
    with path.open("w") as out:
        out.write("code,title,credits\n")
        unit = " ECTS credits" if bad else ""
        out.writelines(f"{tag[:6]}{i},Course {i},{i % 30 + 1}{unit}\n" for i in range(rows))
    return path, ["import_courses", "--dry-run"]


FORMATS = {"esco": esco, "moodle": moodle, "case": case, "courses": courses}


def run_one(command: list[str], path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of the command in a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command, str(path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    from benchmarks.run import ensure_database

    url = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/refused_bench")
    os.environ["DATABASE_URL"] = url
    ensure_database(url)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)

    print(f"Refused against imported files, {args.rows} rows, {url.rsplit('/', 1)[-1]}")
    for name in args.formats.split(","):
        for bad in (True, False):
            tag = uuid.uuid4().hex[:8]
            with tempfile.TemporaryDirectory() as folder:
                path, command = FORMATS[name](Path(folder), args.rows, bad, tag)
                wall, peak, status = run_one(command, path)
            # A bad file is refused (status 1); a good one is imported (0).
            expected = 1 if bad else 0
            said = "" if status == expected else f"  (exit {status}, expected {expected})"
            kind = "every row bad" if bad else "good"
            print(f"  {name:8} {kind:13}: {wall:7.1f} s wall, {peak:6.0f} MB peak{said}")


if __name__ == "__main__":
    main()
