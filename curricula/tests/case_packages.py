"""What the CASE round-trip tests share: a package as this site publishes it, and a package
written to a file for an import to read."""

import json
from pathlib import Path

ROOT = "/ims/case/v1p1/"


def published_package(client, identifier) -> dict:
    """The CFPackage this site publishes under `identifier` (streamed or not)."""
    response = client.get(f"{ROOT}CFPackages/{identifier}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def written_package(tmp_path, name: str, package: dict) -> Path:
    """`package` written as JSON to `tmp_path / name`, for an import to read."""
    path = tmp_path / name
    path.write_text(json.dumps(package), encoding="utf-8")
    return path
