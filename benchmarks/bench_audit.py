"""Throughput benchmark of the batch audit (`sva audit`): documents per minute.

    .venv/bin/python benchmarks/bench_audit.py [--docs 200] [--workers 2]

Copies the corpus PDFs (corpus/rendered/*.pdf) round-robin into --docs distinct files (a PDF
comment appended to each copy, so every file has its own hash and none is answered from the
cache), audits them cold into a fresh folder with --workers processes, and prints the wall
time (process-pool start, every assessment, the tables, spreadsheet and report) and the
documents per minute; then the same audit again, answered from the cache.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyser.audit import audit  # noqa: E402


def make_documents(folder: Path, count: int) -> list[Path]:
    sources = sorted((ROOT / "corpus" / "rendered").glob("*.pdf"))
    if not sources:
        raise SystemExit("no corpus PDFs in corpus/rendered (run `make corpus`)")
    files = []
    for n in range(count):
        source = sources[n % len(sources)]
        path = folder / f"{n:04d}-{source.name}"
        path.write_bytes(source.read_bytes() + f"\n% sva audit benchmark copy {n}\n".encode())
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=200, help="documents to audit (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sva-bench-audit-") as tmp:
        folder = Path(tmp) / "tenders"
        folder.mkdir()
        files = make_documents(folder, args.docs)
        out = Path(tmp) / "audit"
        start = time.perf_counter()
        result = audit(files, out, workers=args.workers, progress=sys.stderr.isatty())
        cold = time.perf_counter() - start
        pages = int(result.assessments["pages"].fillna(0).sum())
        start = time.perf_counter()
        warm_result = audit(files, out, workers=args.workers)
        warm = time.perf_counter() - start
    per_minute = result.total / cold * 60
    print(
        f"audit of {result.total} corpus PDFs ({pages} pages) with {args.workers} worker processes "
        f"on {os.cpu_count()} cores: {cold:.1f} s cold = {per_minute:.0f} documents per minute "
        f"({result.assessed} assessed, {result.failed} failed); again from the cache: "
        f"{warm:.1f} s ({warm_result.cached} cached)"
    )
    return 0 if result.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
