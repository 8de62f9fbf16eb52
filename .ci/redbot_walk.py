"""REDbot (Mark Nottingham's HTTP linter) over every kind of address the site serves: pages in
English and Chinese, anonymous and signed in, htmx fragments, downloads, the API with and
without a token, CASE, static files, 404s. `make redbot` serves the site and runs this; it is
not part of CI (REDbot is no dependency of the project).

Run with the Python of an environment that has redbot (`pip install redbot==2.7.1`):
    python .ci/redbot_walk.py --base http://127.0.0.1:8123 --token T --session S --out DIR
Each address's full REDbot report goes to DIR/<name>.txt; the warnings and errors are printed.
REDbot's own CLI sends no request headers, so this drives its HttpResource directly.

Known and accepted (see core.middleware and core.api.middleware): a page fetched without the
`csrftoken` cookie is a 200 to its own If-None-Match (each such request is given a new CSRF
secret; the `csrf` addresses, sent with the cookie, are 304); "public is probably not
necessary" and "varies in N ways" on API reads; a 404 "returned the full content unchanged"
(preconditions do not apply to a 404, RFC 9110, 13.2.1); whitenoise's compressed static files
share their uncompressed file's ETag."""

import argparse
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

CASE = "/ims/case/v1p1"
# (name, path, kind): kind picks the request headers (see _headers).
WALK = [
    ("home", "/", ""),
    ("home-zh", "/", "zh"),
    ("home-with-cookie", "/", "csrf"),
    ("home-staff", "/", "staff"),
    ("search", "/search/?q=web", ""),
    ("positions", "/positions/", ""),
    ("position", "/positions/1/", "csrf"),
    ("position-cell", "/positions/1/cells/1/1/", ""),
    ("certifications", "/certifications/", ""),
    ("programmes-zh", "/programs/", "zh"),
    ("programme", "/programs/1/", "csrf"),
    ("programme-staff", "/programs/1/", "staff"),
    ("gaps-fragment", "/programs/1/gaps/", "htmx"),
    ("map-row", "/programs/1/map/1/", ""),
    ("map-cell-panel", "/programs/1/map/1/?course=1", "htmx"),
    ("report", "/programs/1/report/", ""),
    ("course", "/courses/1/", "csrf"),
    ("map-csv", "/programs/1/map.csv", ""),
    ("workbook", "/programs/1/workbook.xlsx", ""),
    ("chart", "/programs/1/chart.svg", ""),
    ("api-root", "/api/v1/", ""),
    ("api-programmes", "/api/v1/programs/", ""),
    ("api-programmes-token", "/api/v1/programs/", "token"),
    ("api-programme", "/api/v1/programs/1/", ""),
    ("api-programme-zh", "/api/v1/programs/1/", "zh"),
    ("api-coverage", "/api/v1/programs/1/coverage/", ""),
    ("api-map-csv", "/api/v1/programs/1/map.csv", ""),
    ("api-workbook", "/api/v1/programs/1/workbook.xlsx", ""),
    ("api-moodle-csv", "/api/v1/frameworks/1/moodle.csv", ""),
    ("api-requirements-export", "/api/v1/requirements/export/", ""),
    ("api-history-token", "/api/v1/history/?model=course", "token"),
    ("api-schema", "/api/schema/?format=json", ""),
    ("api-docs", "/api/docs/", ""),
    ("api-404", "/api/v1/programs/999999/", ""),
    ("case-documents", "/ims/case/v1p1/CFDocuments", ""),
    ("case-404", "/ims/case/v1p1/CFItems/00000000-0000-0000-0000-000000000000", ""),
    ("page-404", "/programs/999999/", ""),
    ("favicon", "/favicon.ico", ""),
]


def _discovered(base: str) -> list[tuple[str, str, str]]:
    """The CASE documents and packages, and the static files the home page links."""
    found = []
    with urllib.request.urlopen(f"{base}/ims/case/v1p1/CFDocuments") as answer:
        for number, document in enumerate(json.load(answer)["CFDocuments"]):
            identifier = document["identifier"]
            found.append((f"case-document-{number}", f"{CASE}/CFDocuments/{identifier}", ""))
            found.append((f"case-package-{number}", f"{CASE}/CFPackages/{identifier}", ""))
    with urllib.request.urlopen(f"{base}/") as answer:
        for path in sorted(set(re.findall(r'"(/static/[^"]+)"', answer.read().decode()))):
            found.append((f"static-{Path(path).name}", path, ""))
    return found


def _headers(kind: str, args) -> list[str]:
    return {
        "zh": ["Accept-Language: zh-Hans"],
        "htmx": ["HX-Request: true"],
        "token": [f"Authorization: Token {args.token}"],
        "staff": [f"Cookie: sessionid={args.session}"],
        "csrf": [f"Cookie: csrftoken={args.csrf}"],
    }.get(kind, [])


def check_one(url: str, headers: list[str]) -> None:
    """Check one address with REDbot, its text report on stdout, then one line per warning or
    error, each starting `!!`."""
    from configparser import ConfigParser

    import thor
    from httplint.note import levels
    from redbot.formatter import find_formatter
    from redbot.resource import HttpResource

    config = ConfigParser()
    config.read_dict({"redbot": {"enable_local_access": "True"}})
    config = config["redbot"]
    resource = HttpResource(config)
    pairs = [tuple(part.strip() for part in header.split(":", 1)) for header in headers]
    resource.set_request(url, headers=pairs)
    formatter = find_formatter("text", "text", False)(
        config, resource, sys.stdout.write, {"tty_out": False, "descend": False}
    )
    formatter.bind_resource(resource)

    @thor.events.on(formatter)
    def formatter_done() -> None:
        for note in resource.response.notes:
            if note.level in (levels.WARN, levels.BAD):
                sys.stdout.write(f"!! {note.level.value}: {note.summary}\n")
        thor.stop()

    resource.check()
    thor.run()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8123")
    parser.add_argument("--token", default="")
    parser.add_argument("--session", default="")
    parser.add_argument("--out", default="redbot-out")
    parser.add_argument("--one", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        check_one(args.one[0], args.one[1:])
        return
    with urllib.request.urlopen(f"{args.base}/") as answer:
        args.csrf = re.search(r"csrftoken=([^;]+)", answer.headers["Set-Cookie"]).group(1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, path, kind in WALK + _discovered(args.base):
        if (kind == "token" and not args.token) or (kind == "staff" and not args.session):
            continue
        report = subprocess.run(
            [sys.executable, __file__, "--one", args.base + path, *_headers(kind, args)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        (out / f"{name}.txt").write_text(report)
        status = report.split("\n", 1)[0].strip()
        print(f"{name:28} {path:60} {status}")
        for line in report.splitlines():
            if line.startswith("!! "):
                print(f"    {line[3:]}")


if __name__ == "__main__":
    main()
