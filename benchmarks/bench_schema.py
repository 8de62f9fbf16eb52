"""GET /api/schema/: the time of a request for the OpenAPI schema, as drf-spectacular's own view
answers it (generated and rendered each time) and as the site's answers it (generated and
rendered once per process, language and media type: core.api.views.SchemaView). Needs no
database: the view is called directly, as the URL resolver would.

    .venv/bin/python benchmarks/bench_schema.py [--requests 10]

Prints, for each format and language, the first request's time and the median and slowest of
the others, in CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = [
    ("JSON (?format=json)", {"format": "json"}, {}),
    ("YAML (no format: the default)", {}, {}),
    ("JSON asked by Accept (Swagger UI, ReDoc)", {}, {"HTTP_ACCEPT": "application/json"}),
]


def _times(view, params: dict, headers: dict, language: str, requests: int) -> list[float]:
    from django.test import RequestFactory
    from django.utils import translation

    factory = RequestFactory()
    times = []
    with translation.override(language):
        for _ in range(requests):
            started = time.process_time()
            response = view(factory.get("/api/schema/", params, **headers))
            if hasattr(response, "render"):
                response.render()
            assert response.status_code == 200, response.status_code
            times.append(time.process_time() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    import django

    django.setup()
    from drf_spectacular.views import SpectacularAPIView

    from core.api.views import SchemaView

    print("| request | language | view | first | median of the rest | slowest of the rest |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, params, headers in CASES:
        for language in ("en", "zh-hans"):
            for label, view_class in (
                ("drf-spectacular's", SpectacularAPIView),
                ("ours", SchemaView),
            ):
                times = _times(view_class.as_view(), params, headers, language, options.requests)
                rest = times[1:]
                print(
                    f"| {name} | {language} | {label} | {times[0] * 1000:.0f} ms "
                    f"| {statistics.median(rest) * 1000:.1f} ms | {max(rest) * 1000:.1f} ms |"
                )


if __name__ == "__main__":
    main()
