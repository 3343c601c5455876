"""Speed benchmark: `sva score` stages on a generated 100-page tender PDF.

    .venv/bin/python benchmarks/bench_score.py [--pages 100] [--repeat 3]

Prints the median wall-clock seconds of ingest alone and of the whole assessment, and
pages per second. Generated here so the figure is reproducible on any machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyser.ingest import read_tender  # noqa: E402
from analyser.pipeline import Analyser  # noqa: E402
from corpus.render import render_pdf  # noqa: E402


def tender_body(pages: int) -> list[dict[str, object]]:
    body: list[dict[str, object]] = []
    for n in range(1, pages + 1):
        body.append({"h1": f"{n} Section {n}"})
        for k in range(1, 7):
            body.append(
                {
                    "p": f"{n}.{k} The Contractor shall provide the services described in this section "
                    "in accordance with the specification, the Council's policies and good industry "
                    "practice, and shall report performance monthly to the Contract Manager. "
                    "Value for money will be kept under review throughout the contract term."
                }
            )
        if n % 5 == 0:
            body.append(
                {
                    "table": {
                        "ruled": True,
                        "header": ["Criterion", "Weighting"],
                        "rows": [["Price", "40%"], ["Quality", "50%"], ["Social Value", "10%"]],
                    }
                }
            )
        body.append({"page_break": True})
    return body


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pdf"
        source = {
            "id": "bench",
            "title": "Benchmark tender",
            "buyer": "Benchmark Council",
            "layout": {"columns": 1, "header": "Benchmark Council", "footer": "OFFICIAL"},
            "body": tender_body(args.pages),
        }
        render_pdf(source, path)
        analyser = Analyser()
        ingest_times, total_times = [], []
        pages = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            tender = read_tender(path)
            ingest_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            assessment = analyser.assess_path(path)
            total_times.append(time.perf_counter() - start)
            pages = len(tender.pages)
    ingest, total = statistics.median(ingest_times), statistics.median(total_times)
    print(f"pages: {pages}")
    print(
        f"ingest (pypdfium2 text + pdfplumber tables on candidate pages): {ingest:.2f} s ({pages / ingest:.0f} pages/s)"
    )
    print(
        f"whole assessment: {total:.2f} s ({pages / total:.0f} pages/s); verdict {assessment.verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
