"""Google Lighthouse (accessibility, best practices, SEO, performance) over the site's pages, in
English and Chinese, anonymous and signed in, desktop and mobile. `make lighthouse` serves the
site and runs this; it is not part of CI (Lighthouse is no dependency of the project).

    python .ci/lighthouse_walk.py --base http://127.0.0.1:8124 --session S --out DIR

Lighthouse comes from npm (`npx --prefix LIGHTHOUSE_DIR lighthouse`, pinned by the Makefile) and
drives Debian's Chromium (CHROME_PATH, /usr/bin/chromium); it downloads no browser. Each page's
JSON and HTML reports go to DIR/<language>-<preset>-<name>.report.*; every audit scoring under
0.9 is printed, with its explanation.

Known and accepted (see the tests each finding led to, test_layout_shift_browser.py,
test_page_descriptions.py, test_browsable_api_axe_browser.py): Lighthouse does not audit a page
answered 404 (the error pages are checked by test_error_pages_language.py and the markup
sweep); the API documentation (Swagger UI's bundle) is third-party; the browsable API asks
robots not to index it (DRF's own meta robots); pages are not gzipped (BREACH: they carry a
CSRF token; static files are, by whitenoise); signed-in pages are `no-store`, so never in the
back/forward cache; on the development server static files are neither compressed nor minified.
Lighthouse 13 wants Node 22: on Node 20 three performance insights (duplicated and legacy
JavaScript, third parties) end in an error, which says nothing about the site.
"""

import argparse
import json
import os
import subprocess
from pathlib import Path

# (name, path, signed in)
PAGES = [
    ("home", "/", False),
    ("search", "/search/?q=web", False),
    ("positions", "/positions/", False),
    ("position", "/positions/1/", False),
    ("programmes", "/programs/", False),
    ("programme", "/programs/1/", False),
    ("ability", "/programs/1/map/1/", False),
    ("course", "/courses/1/", False),
    ("compare", "/programs/compare/?p=1&p=2", False),
    ("decide", "/programs/1/decide/", False),
    ("report", "/programs/1/report/", False),
    ("certifications", "/certifications/", False),
    ("api", "/api/v1/", False),
    ("login", "/accounts/login/", False),
    ("staff-programme", "/programs/1/", True),
    ("staff-review", "/suggestions/programs/1/", True),
    ("staff-catalogue", "/suggestions/catalogue/", True),
    ("staff-decide", "/programs/1/decide/", True),
    ("staff-map-import", "/programs/1/map/import/", True),
]
QUIET = {"duplicated-javascript-insight", "legacy-javascript-insight", "third-parties-insight"}


def failing(report: dict) -> list[str]:
    """One line per audit of the report's categories scoring under 0.9 (or ending in error)."""
    lines, seen = [], set()
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit["id"] in seen or audit["id"] in QUIET:
                continue
            seen.add(audit["id"])
            score, mode = audit["score"], audit["scoreDisplayMode"]
            if mode == "error" or (score is not None and score < 0.9):
                detail = audit.get("displayValue") or audit.get("errorMessage") or ""
                lines.append(f"{category['id']}: {audit['id']} ({score}) {audit['title']} {detail}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8124")
    parser.add_argument("--session", default="")
    parser.add_argument("--out", default="lighthouse-out")
    parser.add_argument("--lighthouse", default="npx lighthouse")
    parser.add_argument("--pages", default="", help="names of PAGES, comma-separated")
    parser.add_argument("--presets", default="desktop,mobile")
    parser.add_argument("--languages", default="en,zh-hans")
    args = parser.parse_args()
    names = set(filter(None, args.pages.split(",")))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for language in args.languages.split(","):
        for preset in args.presets.split(","):
            for name, path, signed_in in PAGES:
                if names and name not in names:
                    continue
                cookies = [f"django_language={language}"]
                if signed_in:
                    if not args.session:
                        continue
                    cookies.append(f"sessionid={args.session}")
                stem = out / f"{language}-{preset}-{name}"
                command = [
                    *args.lighthouse.split(),
                    args.base + path,
                    "--chrome-flags=--headless=new --no-sandbox",
                    "--extra-headers=" + json.dumps({"Cookie": "; ".join(cookies)}),
                    "--output=json",
                    "--output=html",
                    f"--output-path={stem}",
                    "--quiet",
                    *(["--preset=desktop"] if preset == "desktop" else []),
                ]
                subprocess.run(command, env=env, check=False)
                report = json.loads(Path(f"{stem}.report.json").read_text())
                scores = {
                    key: None if value["score"] is None else round(value["score"] * 100)
                    for key, value in report["categories"].items()
                }
                print(f"{language:7} {preset:7} {name:18} {path:32} {scores}")
                for line in failing(report):
                    print(f"    {line}")


if __name__ == "__main__":
    main()
