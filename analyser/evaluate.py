"""Measure the analyser on labelled data: the corpus splits and the labelled real notices.

    python -m analyser.evaluate weights --split test
    python -m analyser.evaluate all            # weights, clauses and verdicts on test + real

Figures: effective social value weight within 0.5 points; "no weight invented" where the
label says none is stated; clause detection recall/precision; token/substantive macro-F1;
tender verdict accuracy. The test split is for reporting only: never tune on it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyser.errors import InputError
from analyser.pipeline import Analyser
from analyser.types import Assessment

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL_NOTICES = ROOT.parent / "shared" / "corpus-real" / "ocds-notices"


@dataclass
class DocResult:
    doc_id: str
    gold: dict[str, Any]
    assessment: Assessment | None
    error: str = ""
    gold_clauses: list[dict[str, Any]] = field(default_factory=list)


def norm(text: str) -> str:
    """Comparable text: lower case, one space, and table furniture dropped (the segmenter
    writes a row as "Q5 | Social value | 20%"; a gold row may keep the source's dot leaders
    or column spacing)."""
    return " ".join(DOT_LEADER.sub(" ", text.lower().replace("|", " ")).split())


DOT_LEADER = re.compile(r"(?:\.\s?){3,}|…+")


def load_corpus(split: str) -> list[dict[str, Any]]:
    splits = json.loads((CORPUS / "splits.json").read_text())
    wanted = (
        set(splits[split])
        if split != "all"
        else {i for k in ("train", "dev", "test") for i in splits[k]}
    )
    docs = [
        json.loads(line)
        for line in (CORPUS / "labels" / "documents.jsonl").read_text().splitlines()
        if line
    ]
    return [d for d in docs if d["doc_id"] in wanted]


def load_clause_labels() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line in (CORPUS / "labels" / "clauses.jsonl").read_text().splitlines():
        if line:
            rec = json.loads(line)
            out.setdefault(rec["doc_id"], []).append(rec)
    return out


def run_corpus(split: str, analyser: Analyser, progress: bool = True) -> list[DocResult]:
    clause_labels = load_clause_labels()
    results = []
    docs = load_corpus(split)
    for n, doc in enumerate(docs, 1):
        files = sorted(doc["files"], key=lambda f: not f.endswith(".pdf"))
        path = ROOT / files[0]
        if progress:
            print(f"\r  assessing {n}/{len(docs)} {doc['doc_id']:<20}", end="", file=sys.stderr)
        try:
            assessment = analyser.assess_path(path)
            error = ""
        except (InputError, ImportError) as exc:
            assessment, error = None, str(exc)
        results.append(
            DocResult(doc["doc_id"], doc, assessment, error, clause_labels.get(doc["doc_id"], []))
        )
    if progress:
        print(file=sys.stderr)
    return results


def real_half(ocid: str) -> str:
    """Which half of the labelled real notices a notice is in: ``train`` (the md5 of its ocid
    is even; the clause models train on these, and their errors were read while building the
    analyser) or ``held_out`` (odd; only ever counted, for an unbiased real-notice figure)."""
    return "train" if int(hashlib.md5(ocid.encode()).hexdigest(), 16) % 2 == 0 else "held_out"


def run_real(analyser: Analyser) -> list[DocResult]:
    import yaml

    labels_path = CORPUS / "real" / "labels.yaml"
    if not labels_path.exists() or not REAL_NOTICES.exists():
        return []
    notices = yaml.safe_load(labels_path.read_text())["notices"]
    results = []
    for notice in notices:
        gold = {"verdict": notice["verdict"], "sv_weight": notice["sv_weight"]}
        try:
            assessment = analyser.assess_path(REAL_NOTICES / notice["path"])
            error = ""
        except InputError as exc:
            assessment, error = None, str(exc)
        results.append(DocResult(notice["ocid"], gold, assessment, error, []))
    return results


def run_challenge(path: Path, analyser: Analyser) -> list[DocResult]:
    """Extracts written for evaluation (``corpus/challenge/*.yaml``), assessed as plain text."""
    import yaml

    extracts = yaml.safe_load(path.read_text(encoding="utf-8"))["extracts"]
    results = []
    for item in extracts:
        gold: dict[str, Any] = {
            "sv_weight": {"effective_pct": item.get("sv_effective_pct"), "basis": item.get("basis")}
        }
        if "verdict" in item:
            gold["verdict"] = item["verdict"]
        clauses = [
            {**c, "clause_id": f"{item['id']}-{i}"} for i, c in enumerate(item.get("clauses", []))
        ]
        try:
            assessment = analyser.assess_bytes(item["text"].encode(), f"{item['id']}.txt")
            error = ""
        except InputError as exc:
            assessment, error = None, str(exc)
        results.append(DocResult(item["id"], gold, assessment, error, clauses))
    return results


def weight_figures(results: Sequence[DocResult]) -> dict[str, Any]:
    within = invented_ok = gold_null = basis_ok = 0
    errors = []
    for r in results:
        gold = r.gold["sv_weight"]
        g = gold.get("effective_pct")
        p = r.assessment.social_value_weight.effective_pct if r.assessment else None
        pb = r.assessment.social_value_weight.basis if r.assessment else "error"
        ok = (g is None and p is None) or (g is not None and p is not None and abs(g - p) <= 0.5)
        within += ok
        if g is None:
            gold_null += 1
            invented_ok += p is None
        basis_ok += pb == gold.get("basis")
        if not ok:
            errors.append(
                {
                    "doc": r.doc_id,
                    "gold": g,
                    "predicted": p,
                    "gold_basis": gold.get("basis"),
                    "basis": pb,
                }
            )
    n = len(results) or 1
    return {
        "documents": len(results),
        "weight_within_0.5": round(within / n, 3),
        "weight_within_0.5_count": f"{within}/{len(results)}",
        "no_weight_invented": round(invented_ok / gold_null, 3) if gold_null else None,
        "no_weight_invented_count": f"{invented_ok}/{gold_null}",
        "basis_accuracy": round(basis_ok / n, 3),
        "errors": errors,
    }


def _match(pred_text: str, gold: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The gold clause a predicted clause falls inside (or that falls inside it)."""
    p = norm(pred_text)
    if len(p) < 8:
        return None
    best = None
    for g in gold:
        t = norm(g["text"])
        if (p in t or (t in p and len(t) > 15)) and (
            best is None or g["label"] != "not_social_value"
        ):
            best = g
            if g["label"] != "not_social_value":
                break
    return best


def clause_figures(results: Sequence[DocResult]) -> dict[str, Any]:
    tp = fp = 0
    found_gold: set[str] = set()
    gold_sv_total = 0
    pairs: list[tuple[str, str]] = []
    worst: list[dict[str, Any]] = []
    for r in results:
        gold_sv = [g for g in r.gold_clauses if g["label"] != "not_social_value"]
        gold_sv_total += len(gold_sv)
        if not r.assessment:
            continue
        for c in r.assessment.clauses:
            g = _match(c.clause.text, r.gold_clauses)
            if g is not None and g["label"] != "not_social_value":
                tp += 1
                found_gold.add(g["clause_id"])
                pairs.append((g["label"], c.label))
                if g["label"] != c.label:
                    worst.append(
                        {
                            "doc": r.doc_id,
                            "gold": g["label"],
                            "predicted": c.label,
                            "confidence": c.confidence,
                            "text": c.clause.text[:300],
                        }
                    )
            else:
                fp += 1
    recall = len(found_gold) / gold_sv_total if gold_sv_total else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    return {
        "gold_sv_clauses": gold_sv_total,
        "detection_recall": round(recall, 3),
        "detection_precision": round(precision, 3),
        "label_macro_f1": round(macro_f1(pairs, ("token", "substantive")), 3),
        "label_pairs": len(pairs),
        "worst": sorted(worst, key=lambda w: -w["confidence"])[:20],
    }


def macro_f1(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> float:
    pairs = list(pairs)
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def verdict_figures(results: Sequence[DocResult]) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    for r in results:
        predicted = r.assessment.verdict if r.assessment else "error"
        confusion[(r.gold["verdict"], predicted)] += 1
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    total = sum(confusion.values()) or 1
    return {
        "verdict_accuracy": round(correct / total, 3),
        "verdict_count": f"{correct}/{sum(confusion.values())}",
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
        "errors": [
            r.doc_id
            for r in results
            if (r.assessment.verdict if r.assessment else "error") != r.gold["verdict"]
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analyser.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=["weights", "clauses", "verdicts", "all"])
    parser.add_argument("--split", default="test", choices=["train", "dev", "test", "all"])
    parser.add_argument("--no-real", action="store_true", help="skip the labelled real notices")
    parser.add_argument(
        "--no-challenge", action="store_true", help="skip the challenge extracts (corpus/challenge)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    analyser = Analyser()
    report: dict[str, Any] = {}
    sets = [(f"corpus {args.split} split", run_corpus(args.split, analyser))]
    if not args.no_real:
        real = run_real(analyser)
        if real:
            sets.append(("real notices (all; the clause models trained on half)", real))
            held_out = [r for r in real if real_half(r.doc_id) == "held_out"]
            sets.append(("real notices, held-out half", held_out))
    if not args.no_challenge:
        for path in sorted((CORPUS / "challenge").glob("*.yaml")):
            kind = "weights" if path.stem.startswith("weights") else "clauses"
            if args.what in (kind, "all") or (kind == "clauses" and args.what == "verdicts"):
                sets.append((f"challenge {path.stem}", run_challenge(path, analyser)))
    for name, results in sets:
        figures: dict[str, Any] = {}
        if args.what in ("weights", "all") and all(r.gold["sv_weight"]["basis"] for r in results):
            figures["weights"] = weight_figures(results)
        if args.what in ("clauses", "all") and any(r.gold_clauses for r in results):
            figures["clauses"] = clause_figures(results)
        if args.what in ("verdicts", "all") and all("verdict" in r.gold for r in results):
            figures["verdicts"] = verdict_figures(results)
        report[name] = figures
        print(f"\n== {name}: {len(results)} documents ==")
        for section, values in figures.items():
            for key, value in values.items():
                if key in ("errors", "worst") and not args.errors:
                    continue
                if isinstance(value, list):
                    print(f"  {section}.{key}:")
                    for item in value:
                        print(f"      {item}")
                else:
                    print(f"  {section}.{key}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
