"""BENCHMARKS.md is written by `make bench` (benchmarks/run.py): its machine and results, then
benchmarks/NOTES.md copied in. A note added to BENCHMARKS.md alone is lost at the next run."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmarks_md_ends_with_the_notes_make_bench_copies_in():
    """Observed: three sections measured alone (the link suggestions of 2026-12-08, the OpenAPI
    schema, a bulk accept) were written into BENCHMARKS.md and not into NOTES.md: `make bench`
    would have dropped them."""
    notes = (ROOT / "benchmarks" / "NOTES.md").read_text()
    written = (ROOT / "BENCHMARKS.md").read_text()
    results = written.index("\n## Results\n")
    table_end = written.index("\n\n", written.index("\n|", results))
    assert written[table_end:].strip() == notes.strip(), (
        "BENCHMARKS.md's notes differ from benchmarks/NOTES.md: write a note in both"
    )
