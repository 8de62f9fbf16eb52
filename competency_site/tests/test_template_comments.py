"""Django's `{# … #}` comment ends on its own line: one spread over several lines is not a
comment but text, rendered into the page. Found by the Chinese page sweep, which saw a decide
page in Chinese show an English paragraph about htmx's history ("Back and Forward load that
address…"): a template's note to its readers, written as a multi-line `{# #}`."""

import re
from pathlib import Path

from django.conf import settings

OPEN_WITHOUT_CLOSE = re.compile(r"\{#(?!.*#\})")


def _templates():
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.html"):
        if not {".venv", "node_modules", "var", "staticfiles"} & set(path.parts):
            yield path


def test_no_template_spreads_a_short_comment_over_lines():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OPEN_WITHOUT_CLOSE.search(line)
    ]
    assert found == [], "use {% comment %} for a comment of several lines: " + ", ".join(found)
