"""Write pytest's assert-rewritten bytecode of every test module and conftest.py, once, in
parallel, before `make test` starts its workers.

pytest rewrites the asserts of each test module as it imports it, and keeps the result beside the
module's bytecode (`__pycache__/<name>.cpython-311-pytest-9.2.0.pyc`) only when it may write
bytecode. Under PYTHONDONTWRITEBYTECODE it may not, so every process that collects the suite
(each pytest-xdist worker) parsed, rewrote and compiled all ~1,000 test modules again: about 14 s
of CPU each, two thirds of a worker's collection. pytest still reads a rewritten file it finds,
after checking it against the hash of its source, so one written here serves every worker; one
whose source has changed since is rewritten by pytest as before.

Written as pytest writes them (its own functions, the hash-checked format it reads), with the
default `enable_assertion_pass_hook` (off), which pytest.ini does not set; if it ever does, or
pytest's internals move, this writes nothing and says why: pytest then rewrites as it did.
"""

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _targets() -> list[Path]:
    ini = ConfigParser(interpolation=None)
    ini.read(ROOT / "pytest.ini")
    if ini.has_option("pytest", "enable_assertion_pass_hook"):
        raise LookupError("pytest.ini sets enable_assertion_pass_hook")
    files = [ROOT / "conftest.py"]
    for top in ini.get("pytest", "testpaths").split():
        for path in sorted((ROOT / top).rglob("*.py")):
            if path.name == "conftest.py" or (
                path.name.startswith("test_") and "__pycache__" not in path.parts
            ):
                files.append(path)
    return files


def _write(path: Path) -> bool:
    from _pytest.assertion.rewrite import (
        PYC_TAIL,
        _read_pyc,
        _rewrite_test,
        _write_pyc_fp,
        get_cache_dir,
    )

    cache_dir = get_cache_dir(path)
    pyc = cache_dir / (path.name[:-3] + PYC_TAIL)
    if _read_pyc(path, pyc, lambda message: None) is not None:
        return False  # already there, and its source unchanged
    source_hash, code = _rewrite_test(path, None)
    cache_dir.mkdir(exist_ok=True)
    partial = Path(f"{pyc}.{os.getpid()}")
    with open(partial, "wb") as file:
        _write_pyc_fp(file, source_hash, code)
    os.replace(partial, pyc)
    return True


def main() -> int:
    try:
        files = _targets()
        with ProcessPoolExecutor() as pool:
            written = sum(pool.map(_write, files, chunksize=16))
    except Exception as error:  # pytest's internals moved: pytest rewrites the modules itself
        print(f"Test modules' rewritten asserts not written ({error}); pytest rewrites them.")
        return 0
    print(f"Rewritten asserts of {written} of {len(files)} test modules written.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
