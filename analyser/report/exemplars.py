"""Good-practice examples: substantive clauses from our own corpus, per rubric dimension.

    python -m analyser.report.exemplars            # rewrite analyser/data/exemplars.json
    python -m analyser.report.exemplars --check    # exit 1 if the committed file is stale

Only the TRAIN split of ``corpus/labels/clauses.jsonl`` is used (dev and test stay unseen).
A clause is a candidate when it is labelled substantive and is about this tender (not
background); clauses the annotators tagged ``good_practice`` come first. Each candidate is
mapped to the dimensions whose cues it shows (the same cues ``analyser.score`` uses), and
each dimension keeps a few short, readable clauses from different documents and nations.
The output is deterministic: same labels, same file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyser import score as S

ROOT = Path(__file__).resolve().parents[2]
CLAUSES = ROOT / "corpus" / "labels" / "clauses.jsonl"
DOCUMENTS = ROOT / "corpus" / "labels" / "documents.jsonl"
SPLITS = ROOT / "corpus" / "splits.json"
OUT = Path(__file__).resolve().parents[1] / "data" / "exemplars.json"
PER_DIMENSION = 4
MAX_CHARS = 520
MIN_CHARS = 70

NATIONS = {"scotland": "scotland", "wales": "wales", "northern_ireland": "northern_ireland"}

WEIGHT_OF_TOTAL = re.compile(
    r"(1[0-9]|[2-9][0-9])(\.\d+)?\s*(%|per\s*cent)\s+of\s+the\s+(total|overall)|"
    r"\b(1[0-9]|[2-9][0-9])(\.\d+)?%\s*\)|of\s+the\s+[\d,]+\s+marks|equivalent\s+to\s+\w+\s+(%|per\s+cent)",
    re.IGNORECASE,
)


UNITS = re.compile(
    r"\b\d[\d,.]*\s*(person[\s-]weeks|apprentice\w*|starts|placements|hours|weeks|%|per\s+cent|roles|jobs|FTE)|"
    r"per\s+£\s?1\s?(m|million)|(for\s+)?each\s+(contract|framework)\s+year|per\s+(contract\s+)?year",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    """What a clause must show to exemplify a dimension, and how to say what it shows."""

    test: Callable[[str, dict[str, Any]], bool]
    shows: Callable[[str], str]


def _any(text: str, *patterns: re.Pattern[str]) -> bool:
    return any(p.search(text) for p in patterns)


def _join(parts: Iterable[tuple[bool, str]]) -> str:
    words = [w for ok, w in parts if ok]
    return "; ".join(words)


CUES: dict[str, Cue] = {
    "D1": Cue(
        lambda t, r: (
            r["role"] == "weight"
            and bool(WEIGHT_OF_TOTAL.search(t))
            and bool(
                re.search(r"social\s+value|community\s+benefit|socially\s+responsible", t, re.I)
            )
        ),
        lambda t: _join(
            [
                (True, "states social value's share of the total score"),
                (
                    bool(re.search(r"because|reason|minimum|above|so\s+that", t, re.I)),
                    "explains why",
                ),
                (
                    bool(re.search(r"quality|x\s*\d|×", t, re.I)),
                    "resolves the nesting inside quality",
                ),
            ]
        ),
    ),
    "D2": Cue(
        lambda t, r: bool(S.NAMED.search(t)) and bool(S.SELECTED.search(t)),
        lambda t: _join(
            [
                (True, "names the outcomes or measures wanted"),
                (bool(S.SELECTED.search(t)), "says they were selected for this contract"),
                (
                    bool(re.search(r"because|reflect|so\s+that|gap|shortage|need", t, re.I)),
                    "explains why they fit",
                ),
            ]
        ),
    ),
    "D3": Cue(
        lambda t, r: (
            bool(S.QUANTIFY.search(t) or UNITS.search(t))
            and _any(t, S.EVIDENCE, S.BASELINE)
            and r["role"] in ("requirement", "evaluation")
        ),
        lambda t: _join(
            [
                (True, "asks for numbers with units and periods"),
                (bool(S.BASELINE.search(t)), "sets a baseline or unit"),
                (bool(S.EVIDENCE.search(t)), "says what evidence proves delivery"),
            ]
        ),
    ),
    "D4": Cue(
        lambda t, r: (
            r["role"] == "evaluation"
            and bool(S.CRITERIA.search(t) or S.SCALE.search(t))
            and _any(t, S.WORD_LIMIT, S.PLAN, S.COMBINE, S.CRITERIA)
            and r["kind"] != "table_row"
        ),
        lambda t: _join(
            [
                (True, "tells bidders how the answer is marked"),
                (bool(S.WORD_LIMIT.search(t)), "sets a word limit"),
                (bool(S.PLAN.search(t)), "asks for a delivery plan"),
                (bool(S.COMBINE.search(t)), "explains how the parts combine"),
            ]
        ),
    ),
    "D5": Cue(
        lambda t, r: (
            bool(S.ADDITIONAL.search(t))
            and bool(re.search(r"for\s+example|such\s+as|e\.g\.|,\s+or\s+|including", t, re.I))
        ),
        lambda t: _join(
            [
                (True, "requires commitments over and above the core service"),
                (
                    bool(re.search(r"for\s+example|such\s+as|e\.g\.", t, re.I)),
                    "gives examples of what will not count",
                ),
                (bool(S.PROPORTIONATE.search(t)), "scales expectations to the contract"),
            ]
        ),
    ),
    "D6": Cue(
        lambda t, r: (
            r["role"] == "contract"
            and _any(t, S.INCORPORATED, S.REMEDY, S.KPI)
            and _any(t, S.REMEDY, S.KPI, S.FREQUENCY)
        ),
        lambda t: _join(
            [
                (bool(S.INCORPORATED.search(t)), "makes the commitments contract terms"),
                (
                    bool(S.KPI.search(t) or S.FREQUENCY.search(t)),
                    "sets KPIs or reporting frequency",
                ),
                (bool(S.REMEDY.search(t)), "states the remedy for non-delivery"),
            ]
        ),
    ),
    "D7": Cue(
        lambda t, r: (
            _any(t, S.AREA, S.GROUPS)
            and bool(S.NEEDS.search(t) or S.GROUPS.search(t) and S.AREA.search(t))
        ),
        lambda t: _join(
            [
                (bool(S.AREA.search(t)), "defines the area"),
                (bool(S.GROUPS.search(t)), "names priority groups"),
                (
                    bool(S.NEEDS.search(t)),
                    "grounds priorities in evidence of local need or engagement",
                ),
            ]
        ),
    ),
    "D8": Cue(
        lambda t, r: (
            bool(S.RESERVED.search(t))
            or sum(bool(p.search(t)) for _, p in S.MECHANISM) >= 1
            and bool(S.SME.search(t) or S.RESERVED.search(t))
        ),
        lambda t: _join(
            [
                (bool(S.RESERVED.search(t)), "reserves the contract"),
                (bool(S.MECHANISM[0][1].search(t)), "uses lots sized for small suppliers"),
                (bool(S.MECHANISM[2][1].search(t)), "requires subcontracts to be advertised"),
                (bool(S.MECHANISM[1][1].search(t)), "requires prompt payment"),
                (bool(S.MECHANISM[3][1].search(t)), "sets an SME/VCSE spend commitment"),
                (bool(S.SME.search(t)), "names SMEs, VCSEs or social enterprises"),
            ]
        ),
    ),
}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def build(
    clauses: list[dict[str, Any]], documents: list[dict[str, Any]], train: set[str]
) -> dict[str, Any]:
    """The exemplars file's content from the label files (train documents only)."""
    docs = {d["doc_id"]: d for d in documents}
    candidates = [
        r
        for r in clauses
        if r["doc_id"] in train
        and r.get("label") == "substantive"
        and r.get("role") not in (None, "background")
        and MIN_CHARS <= len(r["text"]) <= MAX_CHARS
    ]
    out: dict[str, list[dict[str, Any]]] = {}
    for dim, cue in CUES.items():
        matches = [r for r in candidates if cue.test(r["text"], r)]
        # good practice first, then the clause that shows most, then shorter, then stable order
        matches.sort(
            key=lambda r: (
                -(bool(r.get("good_practice")) + cue.shows(r["text"]).count(";")),
                r.get("kind") == "table_row",
                len(r["text"]),
                r["clause_id"],
            )
        )
        chosen: list[dict[str, Any]] = []
        used_docs: set[str] = set()
        nations: set[str] = set()
        for prefer_new_nation in (True, False):
            for r in matches:
                if len(chosen) >= PER_DIMENSION:
                    break
                doc = docs.get(r["doc_id"], {})
                nation = NATIONS.get(str(doc.get("jurisdiction")), "england")
                if r["doc_id"] in used_docs or (prefer_new_nation and nation in nations):
                    continue
                used_docs.add(r["doc_id"])
                nations.add(nation)
                chosen.append(_exemplar(r, doc, nation, cue.shows(r["text"])))
        out[dim] = chosen
    return {
        "about": (
            "Good-practice clauses from the labelled corpus (train split), per rubric dimension. "
            "Generated by `python -m analyser.report.exemplars`; do not edit by hand."
        ),
        "source": "corpus/labels/clauses.jsonl (train split of corpus/splits.json)",
        "dimensions": out,
    }


def _exemplar(r: dict[str, Any], doc: dict[str, Any], nation: str, shows: str) -> dict[str, Any]:
    return {
        "text": " ".join(r["text"].split()),
        "doc_id": r["doc_id"],
        "clause_id": r["clause_id"],
        "page": r.get("page"),
        "buyer": doc.get("buyer", ""),
        "title": doc.get("title", ""),
        "jurisdiction": doc.get("jurisdiction", ""),
        "nation": nation,
        "date": doc.get("date", ""),
        "good_practice": bool(r.get("good_practice")),
        "why": shows[:1].upper() + shows[1:] + "." if shows else "",
    }


def render() -> str:
    splits = json.loads(SPLITS.read_text(encoding="utf-8"))
    data = build(_read_jsonl(CLAUSES), _read_jsonl(DOCUMENTS), set(splits["train"]))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python -m analyser.report.exemplars", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    counts = {k: len(v) for k, v in json.loads(text)["dimensions"].items()}
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
