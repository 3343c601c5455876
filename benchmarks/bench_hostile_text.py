"""Speed benchmark: plain-text inputs built to be slow (huge tables, thousands of figures in
one sentence, long runs of spaces or dots). Each must be assessed in seconds, not minutes.

    .venv/bin/python benchmarks/bench_hostile_text.py [--scale 1.0]

Prints the wall-clock seconds and the verdict (or the one-line input error) of each case.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyser.errors import InputError  # noqa: E402
from analyser.pipeline import Analyser  # noqa: E402

CASES: dict[str, Callable[[int], bytes]] = {
    "identical pipe rows": lambda n: ("| a | 1 |\n" * n).encode(),
    "distinct pipe rows": lambda n: "".join(
        f"| item {i} | {i % 90}% |\n" for i in range(n)
    ).encode(),
    "one sentence of figures": lambda n: ("Quality 60% / Price 40%, " * n + "\n").encode(),
    "quoted amendments": lambda n: (
        'Section 5 stated: "Social Value 10%" ' * n + "replaced with:\n"
    ).encode(),
    "dot leader": lambda n: ("Social value " + "." * (n * 10) + " 10%\n").encode(),
    "run of spaces": lambda n: ("Social value" + " " * (n * 10) + "10%\n").encode(),
    "question marks": lambda n: ("Q1. " * (n * 5)).encode(),
    # heading-like numbered lines, each run on by the next line (segment._runs_on)
    "numbered lines running on": lambda n: "".join(
        f"{i % 90 + 1}.{i % 9 + 1} Tenders will be evaluated for each\nLot in turn.\n\n"
        for i in range(n)
    ).encode(),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size multiplier (1.0: 5000 units)"
    )
    args = parser.parse_args(argv)
    n = max(1, int(5000 * args.scale))
    analyser = Analyser()
    for name, make in CASES.items():
        data = make(n)
        started = time.perf_counter()
        try:
            outcome = analyser.assess_bytes(data, "hostile.txt").verdict
        except InputError as exc:
            outcome = f"input error: {exc}"
        seconds = time.perf_counter() - started
        print(f"{name:<26} {len(data) / 1e6:6.2f} MB {seconds:7.2f} s  {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
