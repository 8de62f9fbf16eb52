"""The pure cores stay pure: the coverage and progression engines and the decision cores load no
Django, so they can be tested, benchmarked and called from a task, a view or a command alike."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = (
    "curricula.coverage.engine",
    "curricula.decisions.whatif",
    "curricula.decisions.cover",
    "curricula.progression.engine",
)


def test_importing_the_pure_cores_loads_no_django_module():
    """In a fresh interpreter (this one has Django loaded already), importing them, and so their
    packages' __init__ modules, leaves no module whose name starts with `django` loaded."""
    code = "\n".join(
        [
            "import sys",
            *(f"import {name}" for name in PURE_MODULES),
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('django'))))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
