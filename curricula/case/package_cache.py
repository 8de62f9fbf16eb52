"""Large CASE packages, written once and served from disk until they change.

A package above CASE_PACKAGE_CACHE_THRESHOLD items and associations is streamed from the
database into `<CASE_PACKAGE_CACHE_DIR>/<identifier>-<version>.json.gz` on the first request for
that version (provider.package_version), then served from that file to every client: a file
response, gzip as stored for clients that accept it, decompressed on the fly for the others.
No request builds such a package in memory, and only one process builds a given version at a
time (a cache lock); another request meanwhile gets it streamed from the database, in bounded
memory, without keeping it. Older versions of the same package are removed when a new one is
written.
"""

import gzip
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from core.downloads import content_disposition

JSON = "application/json"
READ_BYTES = 64 * 1024
# A build that takes longer than this is taken to have died; another may start.
BUILD_LOCK_SECONDS = 600


def cache_folder() -> Path:
    return Path(settings.CASE_PACKAGE_CACHE_DIR)


def package_response(
    *, request, identifier, version: str, chunks: Callable[[], Iterable[bytes]]
) -> StreamingHttpResponse | FileResponse:
    """The package's response, from its cached file (written first when missing)."""
    folder = cache_folder()
    name = f"{identifier}-{version.strip('W/').strip(chr(34))}"
    path = folder / f"{name}.json.gz"
    if not path.exists():
        lock = f"case:package-build:{name}"
        if not cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS):
            return StreamingHttpResponse(chunks(), content_type=JSON)
        try:
            _write(folder, path, chunks())
            _prune(folder, identifier, keep=path)
        finally:
            cache.delete(lock)
    if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = FileResponse(path.open("rb"), content_type=JSON)
        response["Content-Disposition"] = content_disposition(
            label=str(identifier), suffix=".json", fallback="package", inline=True
        )
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(_gunzipped(path), content_type=JSON)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _write(folder: Path, path: Path, chunks: Iterable[bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".building-", suffix=".json.gz")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path, identifier, *, keep: Path) -> None:
    for old in folder.glob(f"{identifier}-*.json.gz"):
        if old != keep:
            old.unlink(missing_ok=True)


def _gunzipped(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as stream:
        while chunk := stream.read(READ_BYTES):
            yield chunk
