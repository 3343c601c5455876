"""Rubric agreement and calibration on the labelled corpus.

    python -m analyser.report.calibrate --split dev            # the whole pipeline
    python -m analyser.report.calibrate --split dev --oracle   # gold clauses and weight -> score.py

For each document of the split: the predicted rubric level of D1-D8 against the gold
``dimensions`` of ``corpus/labels/documents.jsonl``, and the score against the verdict
(substantive tenders should score 60 or more, token tenders under 30). ``--oracle`` feeds
``analyser.score`` the gold clause labels, roles and weight instead of the pipeline's, which
isolates the rubric rules from detection, weighting and classification errors.
The test split is for reporting only: never tune on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyser.score import score
from analyser.types import AssessedClause, Clause, SocialValueWeight, Tender

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DIMENSIONS = tuple(f"D{i}" for i in range(1, 9))


@dataclass
class Row:
    doc_id: str
    verdict: str
    score: int
    gold: dict[str, int]
    pred: dict[str, int]

    @property
    def overlap(self) -> bool:
        return (self.verdict == "substantive" and self.score < 60) or (
            self.verdict == "token" and self.score >= 30
        )


def _documents(split: str) -> list[dict[str, Any]]:
    wanted = set(json.loads((CORPUS / "splits.json").read_text())[split])
    docs = [
        json.loads(line)
        for line in (CORPUS / "labels" / "documents.jsonl").read_text().splitlines()
        if line
    ]
    return [d for d in docs if d["doc_id"] in wanted]


def _gold_clauses(doc_id: str, rows: Sequence[dict[str, Any]]) -> list[AssessedClause]:
    from analyser.classify import signals_of

    out = []
    for r in rows:
        if r["doc_id"] != doc_id or r["label"] == "not_social_value":
            continue
        clause = Clause(
            id="g" + r["clause_id"].split("#")[-1],
            page=r.get("page"),
            text=r["text"],
            heading_path=(r["heading_path"],) if r.get("heading_path") else (),
            kind="table_row" if r.get("kind") == "table_row" else "paragraph",
        )
        out.append(AssessedClause(clause, r["label"], r["role"], 1.0, signals_of(r["text"])))
    return out


def run(split: str, oracle: bool = False, progress: bool = True) -> list[Row]:
    from analyser.ingest import read_tender

    docs = _documents(split)
    clause_rows: list[dict[str, Any]] = []
    if oracle:
        clause_rows = [
            json.loads(line)
            for line in (CORPUS / "labels" / "clauses.jsonl").read_text().splitlines()
            if line
        ]
    analyser = None
    if not oracle:
        from analyser.pipeline import Analyser

        analyser = Analyser()
    out = []
    for n, doc in enumerate(docs, 1):
        if progress:
            print(f"\r  {n}/{len(docs)} {doc['doc_id']:<12}", end="", file=sys.stderr)
        path = ROOT / sorted(doc["files"], key=lambda f: not f.endswith(".pdf"))[0]
        if oracle:
            tender: Tender = read_tender(path)
            w = doc["sv_weight"]
            weight = SocialValueWeight(w["effective_pct"], w["basis"], (), w.get("derivation", ""))
            _, total, _, dims, _, _ = score(
                tender, _gold_clauses(doc["doc_id"], clause_rows), weight
            )
        else:
            assert analyser is not None
            a = analyser.assess_path(path)
            total, dims = a.score, list(a.dimensions)
        out.append(
            Row(
                doc["doc_id"],
                doc["verdict"],
                total,
                dict(doc["dimensions"]),
                {d.id: d.level for d in dims},
            )
        )
    if progress:
        print(file=sys.stderr)
    return out


def report(rows: Sequence[Row]) -> str:
    n = len(rows)
    lines = [
        f"{n} documents",
        "",
        "dimension  exact  within 1  (gold level -> predicted level: count)",
    ]
    for dim in DIMENSIONS:
        exact = sum(r.gold[dim] == r.pred[dim] for r in rows)
        near = sum(abs(r.gold[dim] - r.pred[dim]) <= 1 for r in rows)
        misses = Counter((r.gold[dim], r.pred[dim]) for r in rows if r.gold[dim] != r.pred[dim])
        detail = ", ".join(f"{g}->{p}: {k}" for (g, p), k in sorted(misses.items()))
        lines.append(f"{dim:<9}  {exact / n:5.2f}  {near / n:8.2f}  {detail}")
    total = sum(r.gold[d] == r.pred[d] for r in rows for d in DIMENSIONS)
    lines.append(f"all        {total / (8 * n):5.2f}")
    subs = [r for r in rows if r.verdict == "substantive"]
    tokens = [r for r in rows if r.verdict == "token"]
    lines += [
        "",
        f"substantive scoring under 60: {sum(r.overlap for r in subs)} of {len(subs)}",
        f"token scoring 30 or more:     {sum(r.overlap for r in tokens)} of {len(tokens)}",
    ]
    for r in rows:
        if r.overlap:
            lines.append(f"  {r.doc_id}: {r.verdict}, score {r.score}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rubric agreement and calibration on the corpus.")
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--oracle", action="store_true", help="score the gold clauses and weight")
    args = parser.parse_args(argv)
    print(report(run(args.split, args.oracle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
